// End-to-end test of the Swagger page as a person uses it, in a real headless Chromium.
//
// Driven by sns/tests/test_swagger_browser.py; runnable by hand against any running server:
//   node sns/tests/swagger_e2e.mjs --base-url http://127.0.0.1:8000 \
//     --username demo --password demo-password-2024 [--expect-text TEXT] [--screenshot-dir DIR]
//
// Steps: open /api/docs/, check the operations rendered; get a token with "Try it out" on
// POST /api/v1/auth/token/; "Authorize" with that bearer token; "Try it out" + "Execute" on
// GET /api/v1/feed/ and read the live response code (must be 200). Every request the page makes
// is recorded and must stay on the server's own host (loopback); any other request is also
// aborted so that it cannot leave the machine.
//
// Prints one JSON summary on stdout. Exit 0 on success, 1 when a check fails (message on
// stderr, screenshot failure.png in --screenshot-dir), 2 on a usage or environment error.
// Needs playwright-core (make browser-deps: .tools/browser/node_modules) and Debian's chromium.

import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const TOOLS_DIR = process.env.BROWSER_TOOLS_DIR || path.resolve(here, '..', '..', '.tools', 'browser');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
// Flags for a machine with no network but loopback: no background, update or sync traffic.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const STEP_TIMEOUT_MS = 20_000;
const TOTAL_TIMEOUT_MS = Number(process.env.SWAGGER_E2E_TIMEOUT_MS || 100_000);

class CheckFailed extends Error {}

function check(condition, message) {
  if (!condition) throw new CheckFailed(message);
}

function usage(message) {
  process.stderr.write(`swagger_e2e: ${message}\n`);
  process.stdout.write(`${JSON.stringify({ ok: false, error: message })}\n`);
  process.exit(2);
}

const { values: opts } = parseArgs({
  options: {
    'base-url': { type: 'string' },
    username: { type: 'string' },
    password: { type: 'string' },
    'expect-text': { type: 'string' },
    'screenshot-dir': { type: 'string' },
    'screenshot-on-success': { type: 'boolean', default: false },
  },
});
for (const name of ['base-url', 'username', 'password']) {
  if (!opts[name]) usage(`--${name} is required`);
}
const baseUrl = opts['base-url'].replace(/\/+$/, '');
const baseHost = new URL(baseUrl).hostname;
if (!LOOPBACK_HOSTS.has(baseHost)) usage(`--base-url must be on loopback, got host ${baseHost}`);

let chromium;
try {
  ({ chromium } = createRequire(path.join(TOOLS_DIR, 'package.json'))('playwright-core'));
} catch (err) {
  usage(`playwright-core not found under ${TOOLS_DIR} (run: make browser-deps): ${err.message}`);
}

const summary = {
  ok: false,
  base_url: baseUrl,
  chromium: CHROMIUM,
  browser_version: null,
  steps: [],
  operations: 0,
  requests: [],
  request_hosts: [],
  off_host_requests: [],
  failed_requests: [],
  http_errors: [],
  page_errors: [],
  token_status: null,
  auth_header_sent: null,
  feed_status: null,
  feed_item_count: null,
  expect_text_found: null,
  screenshot: null,
  elapsed_ms: 0,
  error: null,
};
const started = Date.now();

async function step(name, fn) {
  const t0 = Date.now();
  try {
    return await fn();
  } finally {
    summary.steps.push({ name, ms: Date.now() - t0 });
  }
}

// The opblock of one operation, found by method and path as a person reads them.
function operation(page, method, apiPath) {
  return page
    .locator(`.opblock.opblock-${method}`)
    .filter({ has: page.locator(`.opblock-summary-path[data-path="${apiPath}"]`) })
    .first();
}

// "Try it out", optional request body, "Execute"; returns the live response code and body text.
async function tryItOut(page, block, body) {
  const summaryBar = block.locator('.opblock-summary');
  if ((await block.getAttribute('class')).split(/\s+/).includes('is-open') === false) {
    await summaryBar.click();
  }
  await block.locator('button.try-out__btn', { hasText: 'Try it out' }).click();
  if (body !== undefined) {
    const textarea = block.locator('textarea.body-param__text');
    await textarea.fill(JSON.stringify(body, null, 2));
  }
  await block.locator('button.execute').click();
  const liveRow = block.locator('.live-responses-table tbody tr.response').first();
  const statusCell = liveRow.locator('td.response-col_status');
  await statusCell.waitFor({ state: 'visible' });
  const status = (await statusCell.innerText()).trim();
  const bodyLocator = liveRow.locator('td.response-col_description pre').first();
  const text = (await bodyLocator.count()) ? await bodyLocator.innerText() : '';
  return { status, text };
}

async function main() {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 30_000,
  });
  summary.browser_version = browser.version();
  const context = await browser.newContext({ viewport: { width: 1280, height: 1600 } });
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  const page = await context.newPage();

  // Record every request the page (or a worker of it) makes; abort the ones off this host.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    let host = '';
    try {
      host = new URL(url).hostname;
    } catch {
      host = '';
    }
    const isLocal = url.startsWith('data:') || url.startsWith('blob:') || LOOPBACK_HOSTS.has(host);
    return isLocal ? route.continue() : route.abort('blockedbyclient');
  });
  context.on('request', (request) => {
    const url = request.url();
    summary.requests.push(`${request.method()} ${url}`);
    if (url.startsWith('data:') || url.startsWith('blob:')) return;
    const host = new URL(url).hostname;
    if (!summary.request_hosts.includes(host)) summary.request_hosts.push(host);
    if (!LOOPBACK_HOSTS.has(host)) summary.off_host_requests.push(url);
  });
  context.on('requestfailed', (request) => {
    summary.failed_requests.push(`${request.url()} ${request.failure()?.errorText ?? ''}`);
  });
  context.on('response', (response) => {
    if (response.status() >= 400) summary.http_errors.push(`${response.status()} ${response.url()}`);
  });
  page.on('pageerror', (err) => summary.page_errors.push(String(err)));

  const feedRequests = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/api/v1/feed/') feedRequests.push(request);
  });

  try {
    await step('open /api/docs/', async () => {
      const response = await page.goto(`${baseUrl}/api/docs/`, { waitUntil: 'load' });
      check(response && response.status() === 200, `GET /api/docs/ answered ${response?.status()}`);
      await page.locator('#swagger-ui .information-container .title').waitFor({ state: 'visible' });
      const title = await page.locator('#swagger-ui .information-container .title').innerText();
      check(title.includes('SNS API'), `Swagger UI title is ${JSON.stringify(title)}, not the SNS API`);
      await operation(page, 'get', '/api/v1/feed/').waitFor({ state: 'visible' });
      summary.operations = await page.locator('.opblock').count();
      check(summary.operations >= 10, `only ${summary.operations} operations rendered`);
      const loadError = await page.locator('.errors-wrapper, .loading-container .errors').count();
      check(loadError === 0, 'Swagger UI shows a schema loading error');
    });

    let access;
    await step('POST /api/v1/auth/token/ with Try it out', async () => {
      const block = operation(page, 'post', '/api/v1/auth/token/');
      const result = await tryItOut(page, block, { username: opts.username, password: opts.password });
      summary.token_status = result.status;
      check(result.status === '200', `token request answered ${result.status}: ${result.text.slice(0, 300)}`);
      let tokens;
      try {
        tokens = JSON.parse(result.text);
      } catch {
        throw new CheckFailed(`token response body shown is not JSON: ${result.text.slice(0, 300)}`);
      }
      check(typeof tokens.access === 'string' && tokens.access.split('.').length === 3, 'no JWT access token shown');
      access = tokens.access;
      // Fold it again so the page reads as a person left it.
      await block.locator('.opblock-summary').click();
    });

    await step('Authorize with the bearer token', async () => {
      const authorizeButton = page.locator('.auth-wrapper button.authorize');
      check(
        (await authorizeButton.getAttribute('class')).includes('unlocked'),
        'Authorize button is locked before authorizing',
      );
      await authorizeButton.click();
      const dialog = page.locator('.dialog-ux .modal-ux');
      await dialog.waitFor({ state: 'visible' });
      const bearer = dialog.locator('.auth-container').filter({ hasText: /\(http, Bearer\)/ });
      check((await bearer.count()) === 1, 'the Authorize dialog offers no "(http, Bearer)" scheme');
      await bearer.locator('input').fill(access);
      await bearer.locator('button[type=submit]', { hasText: 'Authorize' }).click();
      await bearer.locator('button', { hasText: 'Logout' }).waitFor({ state: 'visible' });
      await bearer.locator('button.btn-done', { hasText: 'Close' }).click();
      await dialog.waitFor({ state: 'hidden' });
      check(
        /\blocked\b/.test(await authorizeButton.getAttribute('class')),
        'Authorize button does not show the locked state after authorizing',
      );
    });

    await step('GET /api/v1/feed/ with Try it out', async () => {
      const block = operation(page, 'get', '/api/v1/feed/');
      const result = await tryItOut(page, block);
      summary.feed_status = result.status;
      check(feedRequests.length > 0, 'Execute sent no request to /api/v1/feed/');
      const auth = (await feedRequests.at(-1).allHeaders()).authorization || '';
      summary.auth_header_sent = auth.startsWith('Bearer ') ? 'Bearer <token>' : auth || null;
      check(auth === `Bearer ${access}`, 'the feed request did not carry the authorized bearer token');
      check(result.status === '200', `feed answered ${result.status}: ${result.text.slice(0, 300)}`);
      let page1;
      try {
        page1 = JSON.parse(result.text);
      } catch {
        throw new CheckFailed(`feed response body shown is not JSON: ${result.text.slice(0, 300)}`);
      }
      check(Array.isArray(page1.results), 'feed response has no "results" list');
      summary.feed_item_count = page1.results.length;
      if (opts['expect-text']) {
        summary.expect_text_found = result.text.includes(opts['expect-text']);
        check(summary.expect_text_found, `feed response does not show ${JSON.stringify(opts['expect-text'])}`);
      }
    });

    check(summary.off_host_requests.length === 0, `requests left the host: ${summary.off_host_requests.join(', ')}`);
    check(summary.page_errors.length === 0, `JavaScript errors on the page: ${summary.page_errors.join('; ')}`);
    const assetErrors = summary.http_errors.filter((e) => !e.includes('/api/v1/'));
    check(assetErrors.length === 0, `page assets failed: ${assetErrors.join(', ')}`);
    summary.ok = true;
    if (opts['screenshot-on-success'] && opts['screenshot-dir']) {
      summary.screenshot = await screenshot(page, 'success.png');
    }
  } catch (err) {
    summary.error = err instanceof CheckFailed ? err.message : `${err.name}: ${err.message.split('\n')[0]}`;
    if (opts['screenshot-dir']) summary.screenshot = await screenshot(page, 'failure.png');
  } finally {
    await browser.close().catch(() => {});
  }
}

async function screenshot(page, name) {
  try {
    mkdirSync(opts['screenshot-dir'], { recursive: true });
    const file = path.join(opts['screenshot-dir'], name);
    await page.screenshot({ path: file, fullPage: true, timeout: 10_000 });
    return file;
  } catch (err) {
    return `screenshot failed: ${err.message.split('\n')[0]}`;
  }
}

const deadline = new Promise((_, reject) => {
  setTimeout(() => reject(new Error(`gave up after ${TOTAL_TIMEOUT_MS} ms`)), TOTAL_TIMEOUT_MS).unref();
});
try {
  await Promise.race([main(), deadline]);
} catch (err) {
  summary.error = summary.error || `${err.name}: ${err.message.split('\n')[0]}`;
}
summary.elapsed_ms = Date.now() - started;
process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
if (!summary.ok) {
  process.stderr.write(`swagger_e2e: FAILED: ${summary.error}\n`);
  if (summary.screenshot) process.stderr.write(`swagger_e2e: screenshot: ${summary.screenshot}\n`);
  process.exit(1);
}
process.stderr.write(`swagger_e2e: OK in ${summary.elapsed_ms} ms (${summary.requests.length} requests, all on ${summary.request_hosts.join(', ')})\n`);
