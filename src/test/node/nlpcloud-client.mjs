// Calls Parlance with NLP Cloud's official npm client, its base URL pointed at Parlance through
// the client's rootURL property, and prints what it got as JSON (read by NlpCloudClientTest).
// Usage: node nlpcloud-client.mjs <parlanceRoot e.g. http://127.0.0.1:8080/api/v1> <token> <requests.json>
// requests.json: [{"name", "model", "gpu", "lang", "async", "method", "params"}]
import { readFileSync } from 'node:fs';
import NLPCloud from 'nlpcloud';

const [parlanceRoot, token, requestsFile] = process.argv.slice(2);
const results = {};
for (const r of JSON.parse(readFileSync(requestsFile, 'utf8'))) {
  const client = new NLPCloud({ model: r.model, token, gpu: r.gpu ?? false, lang: r.lang ?? '', async: r.async ?? false });
  // The client keeps its gpu/ and <lang>/ segments: only NLP Cloud's host and version change.
  client.rootURL = client.rootURL.replace('https://api.nlpcloud.io/v1', parlanceRoot);
  try {
    const response = await client[r.method](r.params);
    results[r.name] = { status: response.status, url: response.config.url, data: response.data };
  } catch (e) {
    results[r.name] = { status: e.response?.status ?? null, url: e.config?.url ?? null, data: e.response?.data ?? e.message };
  }
}
process.stdout.write(JSON.stringify(results));
