// Drives the docs page ({root}/docs/) in Debian's Chromium as a user would: lists the paths the
// page shows, clicks Authorize, types the bare API key into the Bearer field, authorizes, closes
// the dialog, opens one operation, clicks "Try it out" and "Execute" with the prefilled example,
// and reads the answer off the page. Every wait is on an element, never on a fixed delay.
// Requests to anything but the page's own host are aborted and reported.
// Usage: node docs-try-it-out.mjs <docs url> <api key> <operation element id> <screenshot.png>
// Prints {"paths": [...], "requestBody", "curl", "status", "responseBody", "outsideRequests": [...]}.
import { chromium } from "playwright-core";

const [url, key, operationId, screenshot] = process.argv.slice(2);
if (!screenshot) {
  console.error("usage: node docs-try-it-out.mjs <docs url> <api key> <operation element id> <screenshot.png>");
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  // The flags that keep Chromium from reaching the internet (updates, sync, QUIC, proxies).
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-proxy-server"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 2200 } });
  // Generous: these only stop a broken run; each step waits for its element, however slow the machine.
  page.setDefaultTimeout(120_000);
  const own = new URL(url).host;
  const outsideRequests = [];
  await page.route("**/*", (route) => {
    const target = new URL(route.request().url());
    if (target.protocol === "data:" || target.host === own) {
      return route.continue();
    }
    outsideRequests.push(route.request().url());
    return route.abort();
  });

  await page.goto(url);
  await page.locator(".opblock").first().waitFor();
  const paths = await page.locator("[data-path]").evaluateAll((nodes) => nodes.map((n) => n.getAttribute("data-path")));

  // Authorize with the bare key, as a FastAPI user would.
  await page.locator(".auth-wrapper button.authorize").click();
  const dialog = page.locator(".modal-ux");
  await dialog.waitFor();
  // One form per scheme; the Bearer one takes the bare key and adds "Bearer " itself.
  // (Found by its heading: once authorized, the form shows ****** instead of the field.)
  const bearer = dialog.locator("form").filter({ hasText: "(http, Bearer)" });
  await bearer.locator("#auth-bearer-value").fill(key);
  await bearer.locator("button[aria-label='Apply credentials']").click();
  await bearer.locator("h6", { hasText: "Authorized" }).waitFor();
  await bearer.locator("button.btn-done").click();
  await dialog.waitFor({ state: "detached" });

  // Open the operation, try it out with the prefilled example, execute.
  const operation = page.locator("#" + operationId);
  await operation.locator(".opblock-summary-control").click();
  await operation.locator("button.try-out__btn").click();
  const requestBody = await operation.locator("textarea.body-param__text").inputValue();
  await operation.locator("button.execute").click();
  const answer = operation.locator(".live-responses-table .response").first();
  await answer.waitFor();
  const status = (await answer.locator(".response-col_status").innerText()).trim();
  const responseBody = await answer.locator(".response-col_description pre").first().innerText();
  const curl = await operation.locator(".curl-command").innerText();

  await page.screenshot({ path: screenshot, fullPage: true });
  console.log(JSON.stringify({ paths, requestBody, curl, status, responseBody, outsideRequests }));
} finally {
  await browser.close();
}
