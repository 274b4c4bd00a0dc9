// The real desktop app in a window, driven through tauri-driver and WebKitWebDriver
// (W3C WebDriver over HTTP; run inside `xvfb-run -a dbus-run-session`): it starts and shows
// the overview, a site is added in the window, a beacon sent to its collector shows up live,
// and closing the window leaves the app in the tray with the collector still answering.
// Screenshots go to $OUT.
//
// Usage: node tests/desktop/e2e.mjs BINARY

import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import assert from 'node:assert/strict';

const here = dirname(fileURLToPath(import.meta.url));
const bin = process.argv[2];
const out = process.env.OUT || mkdtempSync(join(tmpdir(), 'skopos-e2e-'));
mkdirSync(out, { recursive: true });
const work = mkdtempSync(join(tmpdir(), 'skopos-e2e-work-'));
const driverPort = await freePort();
const collectorPort = await freePort();
const collector = `http://127.0.0.1:${collectorPort}`;

function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const driver = spawn('tauri-driver', ['--port', String(driverPort)], {
  stdio: ['ignore', 'inherit', 'inherit'],
  env: {
    ...process.env,
    SKOPOS_DATA_DIR: join(work, 'data'),
    SKOPOS_DESKTOP_SETTINGS: join(work, 'desktop.json'),
    SKOPOS_COLLECTOR: `127.0.0.1:${collectorPort}`,
    SKOPOS_UPDATE_ENDPOINT: 'http://127.0.0.1:9/none',
    WEBKIT_DISABLE_DMABUF_RENDERER: '1',
    NO_AT_BRIDGE: '1',
  },
});

const base = `http://127.0.0.1:${driverPort}`;
async function wd(method, path, body) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json.value ?? json)}`);
  return json.value;
}

let session;
const s = (path) => `/session/${session}${path}`;
/** An element reference's id (the W3C key, whatever the driver calls it). */
const elementId = (reference) => reference && Object.values(reference)[0];

async function waitFor(what, check, timeout = 20000) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await check();
      if (last) return last;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${last}`);
    await sleep(250);
  }
}
const find = (testid) =>
  wd('POST', s('/element'), { using: 'css selector', value: `[data-testid="${testid}"]` }).then(elementId);
const click = async (testid) => wd('POST', s(`/element/${await waitFor(testid, () => find(testid))}/click`), {});
const text = async (element) => (await wd('GET', s(`/element/${element}/text`))).trim();
const type = async (testid, value) => {
  const element = await waitFor(testid, () => find(testid));
  await wd('POST', s(`/element/${element}/clear`), {});
  await wd('POST', s(`/element/${element}/value`), { text: value });
};
async function screenshot(name) {
  await sleep(1500);
  writeFileSync(join(out, `${name}.png`), Buffer.from(await wd('GET', s('/screenshot')), 'base64'));
}

const windows = () =>
  execFileSync('xdotool', ['search', '--onlyvisible', '--name', '^Skopos$'], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);

/** Resident memory of a process and all its descendants (the WebKit processes), in MiB. */
function treeRssMiB(pid) {
  const children = (parent) =>
    execFileSync('ps', ['-o', 'pid=', '--ppid', String(parent)], { encoding: 'utf8' })
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
  const all = [String(pid)];
  for (let i = 0; i < all.length; i++) {
    try {
      all.push(...children(all[i]));
    } catch {
      // no children
    }
  }
  let kib = 0;
  for (const each of all) {
    const status = readFileSync(`/proc/${each}/status`, 'utf8');
    kib += Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0);
  }
  return { processes: all.length, mib: kib / 1024 };
}

let failed = false;
try {
  await waitFor('tauri-driver', () => fetch(`${base}/status`).then((r) => r.ok));
  const launched = Date.now();
  session = (
    await wd('POST', '/session', {
      capabilities: { alwaysMatch: { browserName: 'wry', 'tauri:options': { application: bin } } },
    })
  ).sessionId;

  await waitFor('the collector', () => fetch(`${collector}/health`).then((r) => r.ok));
  await waitFor('the overview', () => find('overview-empty'), 30000);
  console.log(`figure - cold start to the rendered overview: ${Date.now() - launched} ms (through WebDriver, an upper bound)`);
  await sleep(5000);
  const appPid = execFileSync('xdotool', ['getwindowpid', windows()[0]], { encoding: 'utf8' }).trim();
  const rss = treeRssMiB(appPid);
  console.log(`figure - idle resident memory: ${rss.mib.toFixed(1)} MiB over ${rss.processes} processes (app and WebKit)`);
  await screenshot('desktop-01-overview');
  console.log('ok - the app starts with its collector and shows the overview');

  await click('add-first-site');
  await type('site-name', 'Desktop blog');
  await type('site-domain', 'blog.test');
  await click('site-save');
  // Saving leads to the site's page with its snippet.
  const snippet = await text(await waitFor('the snippet', () => find('snippet-code')));
  const trackingId = snippet.match(/data-site-id="([a-z0-9]+)"/)?.[1];
  assert.ok(trackingId && snippet.includes(`${collector}/script.js`), snippet);
  await screenshot('desktop-02-site-added');
  console.log(`ok - a site is added in the window (${trackingId})`);

  await click(`nav-site-${trackingId}`);
  await waitFor('the dashboard', () => find('site-dashboard'));
  const beacon = await fetch(`${collector}/collect`, {
    method: 'POST',
    headers: {
      'content-type': 'text/plain',
      origin: 'https://blog.test',
      'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
    },
    body: JSON.stringify({ site: trackingId, url: 'https://blog.test/hello', events: [{ kind: 'pageview', path: '/hello' }] }),
  });
  assert.equal(beacon.status, 204);
  await waitFor('the live counter', async () => (await text(await find('live-visitors'))) === '1');
  await screenshot('desktop-03-live');
  console.log('ok - a beacon on the collector shows up live in the window');

  // Close the window as a person does (the title bar's close button).
  const [window] = windows();
  // Debian's python3, which python3-xlib is installed for.
  execFileSync('/usr/bin/python3', [join(here, 'close_window.py'), window]);
  await waitFor('the window to hide', () => {
    try {
      return windows().length === 0;
    } catch {
      return true; // xdotool exits 1 when nothing matches
    }
  });
  const health = await fetch(`${collector}/health`);
  assert.equal(health.status, 200, 'the collector still answers after the window closed');
  console.log('ok - closing the window hides it and leaves the app and collector running');
} catch (error) {
  failed = true;
  console.error(`FAIL - ${error.stack || error}`);
  if (session) {
    await screenshot('desktop-failure').catch((e) => console.error(`no screenshot: ${e}`));
    const source = await wd('GET', s('/source')).catch((e) => `no page source: ${e}`);
    writeFileSync(join(out, 'desktop-failure.html'), String(source));
  }
} finally {
  if (session) await wd('DELETE', s('')).catch(() => {});
  driver.kill('SIGTERM');
  await sleep(500);
  rmSync(work, { recursive: true, force: true });
  console.log(`screenshots: ${out}`);
}
process.exit(failed ? 1 : 0);
