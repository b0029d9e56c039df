// Calls Parlance with the official openai npm client, unchanged, and prints what it got as JSON
// (the Java test OpenAiClientTest compares it with Parlance's own answers).
// Usage: node openai-embeddings.mjs <baseURL> <apiKey> <model> <alias>
import OpenAI from 'openai';

const [baseURL, apiKey, model, alias] = process.argv.slice(2);
// No retries: the test must see each answer once.
const client = new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 60_000 });
const wrongKey = new OpenAI({ baseURL, apiKey: 'not-' + apiKey, maxRetries: 0, timeout: 60_000 });

async function call(what) {
  try {
    return { ok: await what() };
  } catch (e) {
    return { failed: { name: e.constructor.name, status: e.status ?? null, type: e.type ?? null,
      code: e.code ?? null, param: e.param ?? null, message: e.message } };
  }
}

const results = {
  // The client asks for base64 unless told otherwise, and decodes it to numbers itself.
  string: await call(() => client.embeddings.create({ model, input: 'The cat sat on the mat.' })),
  list: await call(() => client.embeddings.create({ model, input: ['The cat sat on the mat.', 'Dogs bark.'], encoding_format: 'float' })),
  alias: await call(() => client.embeddings.create({ model: alias, input: ['Dogs bark.'] })),
  rawBase64: await call(async () => (await client.embeddings.create({ model, input: 'Dogs bark.', encoding_format: 'base64' })).data[0].embedding),
  dimensions: await call(() => client.embeddings.create({ model, input: 'Dogs bark.', dimensions: 16 })),
  tokenIds: await call(() => client.embeddings.create({ model, input: [[101, 102]] })),
  emptyText: await call(() => client.embeddings.create({ model, input: [''] })),
  unknownModel: await call(() => client.embeddings.create({ model: 'text-embedding-3-small', input: 'Dogs bark.' })),
  wrongKey: await call(() => wrongKey.embeddings.create({ model, input: 'Dogs bark.' })),
};
process.stdout.write(JSON.stringify(results));
