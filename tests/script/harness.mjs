// The test harness: the real collector binary on loopback, a page server on a second
// origin (shop.test / blog.test, mapped to 127.0.0.1 inside Chromium), a proxy that can
// answer 503 in front of the collector, and Debian's Chromium driven by playwright-core.
//
// One collector, one page server and one browser serve every test. Each test gets its own
// browser context (fresh storage) and its own site, so that its visitors and sessions never
// mix with another test's: all tests share one IP address and one user agent. The user agent
// is set for the whole browser (a normal desktop Chrome): Playwright's per-context override
// does not reach beacons sent while a page unloads, which would then go out as
// HeadlessChrome, a bot to the collector.

import { spawn, execFileSync } from 'node:child_process';
import { createServer, request as httpRequest } from 'node:http';
import { mkdtempSync, writeFileSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const scriptDir = join(here, '../../script');
const serverBin =
  process.env.SKOPOS_SERVER_BIN ||
  join(process.env.CARGO_TARGET_DIR || join(here, '../../target'), 'debug', 'skopos-server');
const chromiumBin = process.env.CHROMIUM_BIN || '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--host-resolver-rules=MAP *.test 127.0.0.1',
];

/** The shared state every test uses; filled by `start()`. */
export const h = {};

export const USER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';

/** Sites created before the collector starts, handed out one per test. */
const SITES = { strict: 40, persistent: 6 };
const sitePool = { strict: [], persistent: [] };

/** A site of its own for a test: on shop.test (strict mode) or blog.test (persistent mode). */
export const newSite = (mode = 'strict') => {
  const site = sitePool[mode].shift();
  if (!site) throw new Error(`no ${mode} site left: raise SITES in harness.mjs`);
  return site;
};

const cli = (...args) =>
  execFileSync(serverBin, ['--data-dir', h.dataDir, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** Everything the collector stored for a site, through `skopos-server export`. */
export const exportStore = (site) => JSON.parse(cli('export', '--site', site));

/**
 * Polls the store until `check(store)` returns something truthy and returns that; throws
 * with the last store seen when it does not within the timeout.
 */
export async function waitForStore(site, check, { timeout = 6000 } = {}) {
  const deadline = Date.now() + timeout;
  let store;
  for (;;) {
    store = exportStore(site);
    const result = check(store);
    if (result) return result;
    if (Date.now() > deadline) {
      throw new Error(`store never matched ${check}\n${JSON.stringify(store, null, 1).slice(0, 4000)}`);
    }
    await sleep(100);
  }
}

/** Waits `ms` and returns the store then, for asserting that something did not arrive. */
export async function storeAfter(site, ms) {
  await sleep(ms);
  return exportStore(site);
}

/**
 * Where test pages load the bundle from: the page server, which serves the files in
 * script/dist. SKOPOS_SCRIPT_FROM=collector loads them from the collector's /script.js and
 * /script.lite.js instead (the bundles embedded in the binary when it was built).
 */
export function scriptUrl(bundle = 'full') {
  const lite = bundle === 'lite';
  return process.env.SKOPOS_SCRIPT_FROM === 'collector'
    ? `${h.collectorUrl}/${lite ? 'script.lite.js' : 'script.js'}`
    : `${h.pagesOrigin('shop')}/${lite ? 'skopos.lite.js' : 'skopos.js'}`;
}

const pages = new Map();
let pageCount = 0;

/**
 * Registers a test page and returns its URL. `attrs` are the script tag's attributes
 * (without `data-`; `null` leaves one out); `snippet` adds the queueing stub before the tag;
 * `src` loads the script from elsewhere than `scriptUrl(bundle)`.
 */
export function page({
  path = `/p${++pageCount}`,
  site,
  host = sitePool.modes[site] == 'persistent' ? 'blog' : 'shop',
  bundle = 'full',
  attrs = {},
  head = '',
  body = '',
  snippet = '',
  query = '',
  src = scriptUrl(bundle),
} = {}) {
  const all = { 'site-id': site, host: h.collectorUrl, 'batch-interval': 200, ...attrs };
  const attrText = Object.entries(all)
    .filter(([, value]) => value !== null)
    .map(([name, value]) => (value === true ? ` data-${name}` : ` data-${name}="${String(value).replace(/"/g, '&quot;')}"`))
    .join('');
  const stub = snippet
    ? `<script>window.skopos=window.skopos||function(){(skopos.q=skopos.q||[]).push(arguments)};${snippet}</script>`
    : '';
  pages.set(path, `<!doctype html><html><head><meta charset="utf-8"><title>Test ${path}</title>${head}${stub}
<script defer src="${src}"${attrText}></script></head><body>${body}</body></html>`);
  return `${h.pagesOrigin(host)}${path}${query}`;
}

function servePages(req, res) {
  const url = new URL(req.url, 'http://pages');
  const bundle = { '/skopos.js': 'skopos.js', '/skopos.lite.js': 'skopos.lite.js' }[url.pathname];
  if (bundle) {
    res.writeHead(200, { 'content-type': 'text/javascript' });
    return res.end(readFileSync(join(scriptDir, 'dist', bundle)));
  }
  if (url.pathname === '/favicon.ico') return res.writeHead(204).end();
  // Beacons to the page server go on to the collector: a script loaded from here and
  // without data-host sends them here.
  if (url.pathname === '/api/event') return proxyToCollector(req, res);
  if (url.pathname.startsWith('/files/')) {
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-disposition': 'attachment' });
    return res.end('file');
  }
  if (url.pathname === '/slow.js') {
    return setTimeout(() => res.writeHead(200, { 'content-type': 'text/javascript' }).end(''), 300);
  }
  const html = pages.get(url.pathname) ?? [...pages].find(([path]) => path.endsWith('/*') && url.pathname.startsWith(path.slice(0, -1)))?.[1];
  if (html) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    return res.end(html);
  }
  res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
}

/**
 * A proxy in front of the collector: answers 503 (as a full write queue would) while
 * `h.proxy.failing` is set, and counts what it saw.
 */
function proxyToCollector(req, res) {
  const origin = req.headers.origin;
  const cors = origin ? { 'access-control-allow-origin': origin } : {};
  h.proxy.seen++;
  h.proxy.requests.push({ method: req.method, cookie: req.headers.cookie, type: req.headers['content-type'] });
  if (h.proxy.failing) {
    h.proxy.refused++;
    req.resume();
    return res.writeHead(503, { ...cors, 'retry-after': '1' }).end('busy');
  }
  const target = new URL(h.collectorUrl);
  const forward = httpRequest(
    { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
    (answer) => {
      res.writeHead(answer.statusCode, answer.headers);
      answer.pipe(res);
    },
  );
  forward.on('error', () => res.writeHead(502).end());
  req.pipe(forward);
}

const listen = (handler) =>
  new Promise((resolve) => {
    const server = createServer(handler);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });

async function waitForBinary() {
  if (!existsSync(serverBin)) {
    throw new Error(`${serverBin} does not exist: build it with \`cargo build -p skopos-server\` or set SKOPOS_SERVER_BIN`);
  }
}

function startCollector() {
  return new Promise((resolve, reject) => {
    const child = spawn(serverBin, ['--data-dir', h.dataDir, 'serve', '--collector', '127.0.0.1:0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let output = '';
    const onData = (chunk) => {
      output += chunk;
      const match = output.match(/collector listening on (http:\/\/[\d.:]+)/);
      if (match) resolve({ child, url: match[1] });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`collector exited with ${code}:\n${output}`)));
    setTimeout(() => reject(new Error(`collector did not start:\n${output}`)), 15000).unref();
  });
}

export async function start() {
  await waitForBinary();
  h.dataDir = mkdtempSync(join(tmpdir(), 'skopos-script-'));
  // Every test runs from 127.0.0.1: lift the per-IP rate limit.
  writeFileSync(join(h.dataDir, 'skopos.toml'), '[collector.rate_limit]\nper_second = 10000\nburst = 10000\n');
  sitePool.modes = {};
  for (const [mode, count] of Object.entries(SITES)) {
    for (let i = 0; i < count; i++) {
      const domain = mode == 'strict' ? 'shop.test' : 'blog.test';
      const site = cli('site', 'add', '--name', `${mode} ${i}`, '--domain', domain, '--privacy-mode', mode).trim();
      sitePool[mode].push(site);
      sitePool.modes[site] = mode;
    }
  }
  const collector = await startCollector();
  h.collector = collector.child;
  h.collectorUrl = collector.url;
  h.pagesServer = await listen(servePages);
  h.pagesOrigin = (host) => `http://${host}.test:${h.pagesServer.address().port}`;
  h.proxy = { failing: false, seen: 0, refused: 0, requests: [] };
  h.proxyServer = await listen(proxyToCollector);
  h.proxyUrl = `http://127.0.0.1:${h.proxyServer.address().port}`;
  h.browser = await launch();
}

/** Chromium as a visitor's browser: automation markers off, unless `automation`. */
export const launch = ({ automation = false } = {}) =>
  chromium.launch({
    executablePath: chromiumBin,
    args: [
      ...CHROMIUM_ARGS,
      `--user-agent=${USER_AGENT}`,
      ...(automation ? [] : ['--disable-blink-features=AutomationControlled']),
    ],
  });

export async function stop() {
  await h.browser?.close();
  h.pagesServer?.close();
  h.proxyServer?.close();
  if (h.collector) {
    h.collector.kill('SIGTERM');
    await new Promise((resolve) => h.collector.once('exit', resolve));
  }
  if (h.dataDir) rmSync(h.dataDir, { recursive: true, force: true });
}

/**
 * A fresh visitor: a new browser context with its own storage, and one page
 * whose console errors and uncaught exceptions are collected in `problems`.
 */
export async function visitor({ browser = h.browser, ...options } = {}) {
  const context = await browser.newContext(options);
  const tab = await context.newPage();
  const problems = [];
  tab.on('console', (message) => message.type() === 'error' && problems.push(`console: ${message.text()}`));
  tab.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  const beacons = [];
  context.on('request', (request) => {
    if (request.url().includes('/api/event')) beacons.push(request);
  });
  return { context, page: tab, problems, beacons, close: () => context.close() };
}

/** Makes the page report itself hidden or visible, as switching tabs would. */
export const setHidden = (tab, hidden) =>
  tab.evaluate((hidden) => {
    if (hidden) {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    } else {
      // Back to the browser's own answers, which an unload changes.
      delete document.hidden;
      delete document.visibilityState;
    }
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);

/** The kinds and paths of a store's events, in order: `pageview /a`. */
export const eventLines = (store) => store.events.map((event) => `${event.kind} ${event.path}`);
