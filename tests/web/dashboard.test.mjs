// The web dashboard end to end, in Debian's Chromium against the real skopos-server: the
// owner registers, logs in, adds a site, copies its snippet, a test page on the site's
// origin sends beacons and an error, the numbers update live, a breakdown row becomes a
// filter, the range changes, a session opens, the error is resolved, a foreign origin is
// refused, and the owner logs out. Screenshots of each view go to $OUT.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const serverBin =
  process.env.SKOPOS_SERVER_BIN ||
  join(process.env.CARGO_TARGET_DIR || join(here, '../../target'), 'debug', 'skopos-server');
const out = process.env.OUT || mkdtempSync(join(tmpdir(), 'skopos-web-'));
const USER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';
const PASSWORD = 'correct horse battery';

const h = {};

/** Starts skopos-server on port 0 and reads the collector and dashboard URLs it prints. */
async function startServer(dataDir) {
  const child = spawn(
    serverBin,
    ['--data-dir', dataDir, 'serve', '--collector', '127.0.0.1:0', '--dashboard', '127.0.0.1:0'],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SKOPOS_LOG: 'warn' } },
  );
  child.stderr.on('data', (chunk) => process.stderr.write(chunk));
  const urls = {};
  for await (const line of createInterface({ input: child.stdout })) {
    const collector = line.match(/^collector listening on (\S+)/);
    const dashboard = line.match(/^dashboard on (\S+)/);
    if (collector) urls.collector = collector[1];
    if (dashboard) urls.dashboard = dashboard[1];
    if (line.startsWith('data folder')) break;
  }
  assert.ok(urls.collector && urls.dashboard, 'the server prints both addresses');
  return { child, ...urls };
}

/** The site's test page on http://shop.test:PORT/, with whatever snippet it is given. */
function startPages() {
  const server = createServer((request, response) => {
    const page = request.url.split('?')[0];
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(`<!doctype html><html><head><title>Shop ${page}</title>${h.snippet || ''}</head>
      <body><h1>Shop ${page}</h1><a id="pricing" href="/pricing">Pricing</a></body></html>`);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://shop.test:${server.address().port}` })),
  );
}

const shot = (page, name) => page.screenshot({ path: join(out, `${name}.png`), fullPage: false });
const byId = (page, id) => page.getByTestId(id);

before(async () => {
  h.dataDir = mkdtempSync(join(tmpdir(), 'skopos-web-data-'));
  h.server = await startServer(h.dataDir);
  h.pages = await startPages();
  h.browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_BIN || '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--host-resolver-rules=MAP *.test 127.0.0.1', `--user-agent=${USER_AGENT}`,
      // The script sends nothing for automated browsers (navigator.webdriver); the visitor
      // here stands for a person.
      '--disable-blink-features=AutomationControlled',
    ],
  });
  h.owner = await h.browser.newContext({ viewport: { width: 1320, height: 900 } });
  await h.owner.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: h.server.dashboard.replace(/\/$/, '') });
  h.page = await h.owner.newPage();
  h.errors = [];
  h.page.on('pageerror', (error) => h.errors.push(String(error)));
  h.page.on('console', (message) => message.type() === 'error' && h.errors.push(message.text()));
});

after(async () => {
  await h.browser?.close();
  h.pages?.server.close();
  if (h.server) {
    h.server.child.kill('SIGTERM');
    await new Promise((resolve) => h.server.child.once('exit', resolve));
  }
  rmSync(h.dataDir, { recursive: true, force: true });
});

test('the owner registers on first run and lands on an empty overview', async () => {
  const page = h.page;
  await page.goto(h.server.dashboard);
  await byId(page, 'auth-form').waitFor();
  await shot(page, '01-register');
  await byId(page, 'auth-username').fill('owner');
  await byId(page, 'auth-password').fill(PASSWORD);
  await byId(page, 'auth-submit').click();
  await byId(page, 'overview-empty').waitFor();
  await shot(page, '02-overview-empty');
});

test('a site is added and its snippet copied', async () => {
  const page = h.page;
  await byId(page, 'nav-sites').click();
  await byId(page, 'add-site').click();
  await byId(page, 'site-form').waitFor();
  await byId(page, 'site-name').fill('Shop');
  await byId(page, 'site-domain').fill('shop.test');
  await shot(page, '03-site-form');
  await byId(page, 'site-save').click();
  // Saving leads to the site's page with its snippet.
  const code = byId(page, 'snippet-code');
  await code.waitFor();
  h.snippet = (await code.textContent()).trim();
  h.trackingId = h.snippet.match(/data-site-id="([a-z0-9]+)"/)[1];
  assert.ok(h.snippet.includes(`${h.server.collector}/script.js`), h.snippet);
  await byId(page, 'copy-snippet').click();
  await page.getByText('Copied').first().waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), h.snippet);
  await shot(page, '04-site-snippet');
  await byId(page, 'nav-sites').click();
  await byId(page, `site-row-${h.trackingId}`).waitFor();
  await shot(page, '04-sites');
});

test('beacons from the site update the dashboard live', async () => {
  const page = h.page;
  await byId(page, `nav-site-${h.trackingId}`).click();
  await byId(page, 'site-dashboard').waitFor();
  await page.waitForFunction(() => document.querySelector('[data-testid="live-visitors"]')?.textContent.trim() === '0');

  h.visitorContext = await h.browser.newContext();
  h.visitor = await h.visitorContext.newPage();
  await h.visitor.goto(`${h.pages.origin}/`);
  await h.visitor.click('#pricing');
  await h.visitor.waitForURL(/pricing/);
  // An uncaught error on the page, which the script reports.
  await h.visitor.evaluate(() => setTimeout(() => { throw new Error('Checkout button exploded'); }));

  // No reload: the live stream moves the counter and refreshes the numbers.
  await page.waitForFunction(
    () => document.querySelector('[data-testid="live-visitors"]')?.textContent.trim() === '1',
    null, { timeout: 15000 },
  );
  await page.waitForFunction(
    () => document.querySelector('[data-testid="metric-pageviews"] [data-testid="metric-value"]')?.textContent.trim() === '2',
    null, { timeout: 20000 },
  );
  await byId(page, 'timeseries-chart').waitFor();
  await shot(page, '05-site-dashboard-live');
});

test('a breakdown row becomes a filter and the range changes', async () => {
  const page = h.page;
  const row = byId(page, 'breakdown-page').locator('[data-testid="breakdown-row"][data-value="/pricing"]');
  await row.waitFor({ timeout: 15000 });
  await row.click();
  await byId(page, 'filter-chip').waitFor();
  assert.match(page.url(), /f=page/);
  await shot(page, '06-filtered');
  await byId(page, 'range-7d').click();
  await page.waitForURL(/period=7d/);
  assert.match(page.url(), /f=page/, 'the filter stays with the new range');
  await byId(page, 'filter-remove').click();
  await page.waitForFunction(() => !location.hash.includes('f='));
});

test('a session opens with its timeline', async () => {
  const page = h.page;
  await byId(page, 'tab-sessions').click();
  const session = byId(page, 'session-row').first();
  await session.waitFor({ timeout: 15000 });
  await shot(page, '07-sessions');
  await session.click();
  await byId(page, 'session-timeline').waitFor();
  const kinds = await page.locator('[data-testid="timeline-item"]').evaluateAll((items) => items.map((i) => i.dataset.kind));
  assert.ok(kinds.filter((kind) => kind === 'pageview').length >= 2, kinds.join(','));
  await shot(page, '08-session-timeline');
});

test('the JS error is listed and resolved', async () => {
  const page = h.page;
  await byId(page, 'tab-errors').click();
  const error = byId(page, 'error-row').filter({ hasText: 'Checkout button exploded' });
  await error.waitFor({ timeout: 15000 });
  await shot(page, '09-errors');
  await error.click();
  await byId(page, 'error-detail').waitFor();
  await byId(page, 'error-resolve').click();
  await page.waitForFunction(() => /resolved/i.test(document.querySelector('[data-testid="error-status"]')?.textContent ?? ''));
  await byId(page, 'error-reopen').waitFor();
  await shot(page, '10-error-resolved');
});

test('another origin cannot use the dashboard API', async () => {
  const cookies = await h.owner.cookies(h.server.dashboard);
  const cookie = cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  assert.ok(cookies.every((c) => c.httpOnly && c.sameSite === 'Strict'), JSON.stringify(cookies));
  const state = await fetch(new URL('api/auth/state', h.server.dashboard), { headers: { cookie } }).then((r) => r.json());
  const forged = await fetch(new URL('api/list_sites', h.server.dashboard), {
    method: 'POST',
    headers: { cookie, 'x-skopos-csrf': state.csrf, origin: 'http://evil.test', 'content-type': 'application/json' },
    body: '{}',
  });
  assert.equal(forged.status, 403);
  // A page elsewhere cannot read the API either: no CORS, and the cookie is SameSite=Strict.
  const read = await h.visitor.evaluate(async (url) => {
    try {
      const response = await fetch(url, { method: 'POST', credentials: 'include', body: '{}' });
      return `status ${response.status}`;
    } catch {
      return 'blocked';
    }
  }, new URL('api/list_sites', h.server.dashboard).href);
  assert.equal(read, 'blocked');
});

test('logging out ends the session', async () => {
  const page = h.page;
  await byId(page, 'nav-overview').click();
  await byId(page, 'overview').waitFor();
  await byId(page, `overview-site-${h.trackingId}`).waitFor();
  await shot(page, '11-overview');
  const cookies = await h.owner.cookies(h.server.dashboard);
  await byId(page, 'logout').click();
  await byId(page, 'auth-form').waitFor();
  const cookie = cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const after = await fetch(new URL('api/list_sites', h.server.dashboard), {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json' },
    body: '{}',
  });
  assert.equal(after.status, 401);
  await shot(page, '12-logged-out');
  assert.deepEqual(h.errors.filter((e) => !/401|Unauthorized/.test(e)), [], 'no errors in the page');
});
