// Transport: text/plain beacons without preflight or cookies, batching by size, time and
// page hide, requests per pageview, the offline queue and 503 replies.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { h, page, visitor, newSite, waitForStore, storeAfter, eventLines, setHidden } from '../harness.mjs';

test('a plain pageview costs one request at load and one on leaving; text/plain, no preflight, no cookies', async () => {
  const site = newSite();
  const v = await visitor();
  h.proxy.requests.length = 0;
  await v.page.goto(page({ site, path: '/one', attrs: { host: h.proxyUrl } }));
  await v.page.evaluate(() => (document.cookie = 'host_cookie=1; path=/'));
  await sleep(1200);
  await v.page.goto(page({ site: newSite(), path: '/two' }));
  const store = await waitForStore(site, (store) => store.sessions[0]?.engaged_seconds && store);
  assert.deepEqual(eventLines(store), ['pageview /one']);
  const requests = h.proxy.requests;
  assert.equal(requests.length, 2, JSON.stringify(requests));
  assert.deepEqual(
    requests.map((r) => [r.method, r.type, r.cookie]),
    [
      ['POST', 'text/plain;charset=UTF-8', undefined],
      ['POST', 'text/plain;charset=UTF-8', undefined],
    ],
  );
  await v.close();
});

test('batches flush by size, by time and when the page is hidden', async () => {
  const site = newSite();
  const v = await visitor();
  const body = '<a id="out" href="https://example.org/" onclick="event.preventDefault()">out</a>';
  await v.page.goto(page({ site, path: '/batch', attrs: { 'max-batch-size': 3, 'batch-interval': 60000 }, body }));
  await waitForStore(site, (store) => store.events.length == 1);
  for (let i = 0; i < 4; i++) await v.page.click('#out');
  let store = await waitForStore(site, (store) => store.events.length == 4 && store);
  assert.equal(v.beacons.length, 2, 'the pageview, then one beacon for three clicks');
  assert.equal((await storeAfter(site, 500)).events.length, 4, 'the fourth click waits');
  await setHidden(v.page, true);
  store = await waitForStore(site, (store) => store.events.length == 5 && store);
  assert.deepEqual(
    v.beacons.map((r) => r.resourceType()),
    ['fetch', 'fetch', 'ping'],
    'fetch with keepalive, and navigator.sendBeacon when the page is hidden',
  );

  const timed = newSite();
  await v.page.goto(page({ site: timed, path: '/timed', attrs: { 'batch-interval': 500 }, body }));
  await v.page.click('#out');
  const start = Date.now();
  await waitForStore(timed, (store) => store.events.length == 2);
  assert.ok(Date.now() - start >= 400, 'sent when the interval ran out');
  await v.close();
});

test('offline, batches wait in localStorage; back online, they are all replayed', async () => {
  const site = newSite();
  const v = await visitor();
  await v.page.goto(page({ site, path: '/trip', body: '<a id="out" href="https://example.org/" onclick="event.preventDefault()">out</a>' }));
  await waitForStore(site, (store) => store.events.length == 1);
  await v.context.setOffline(true);
  await v.page.evaluate(() => {
    history.pushState({}, '', '/trip/tunnel');
    skopos('event', 'offline-1');
    skopos('event', 'offline-2', { n: 2 });
  });
  await v.page.click('#out');
  await sleep(600);
  await setHidden(v.page, true); // no beacon while offline: kept instead
  await sleep(200);
  const kept = await v.page.evaluate(() => JSON.parse(localStorage.skopos_queue).length);
  assert.ok(kept >= 3, `kept ${kept} batches`);
  assert.equal((await storeAfter(site, 0)).events.length, 1, 'nothing arrived while offline');
  await v.context.setOffline(false);
  const store = await waitForStore(site, (store) => store.events.length == 5 && store);
  assert.deepEqual(eventLines(store).sort(), ['custom /trip/tunnel', 'custom /trip/tunnel', 'outbound /trip/tunnel', 'pageview /trip', 'pageview /trip/tunnel']);
  assert.equal(await v.page.evaluate(() => localStorage.skopos_queue), '');
  assert.equal((await storeAfter(site, 500)).events.length, 5, 'nothing twice');
  await v.close();
});

test('batches the collector answers with 503 are kept (at most 50) and sent again later', async () => {
  const site = newSite();
  const v = await visitor();
  h.proxy.failing = true;
  try {
    await v.page.goto(page({ site, path: '/busy', attrs: { host: h.proxyUrl } }));
    await v.page.evaluate(() => skopos('event', 'while-busy'));
    await v.page.waitForFunction(() => JSON.parse(localStorage.skopos_queue || '[]').length == 2);
  } finally {
    h.proxy.failing = false;
  }
  assert.equal((await storeAfter(site, 0)).events.length, 0);
  await v.page.evaluate(() => skopos('event', 'after'));
  const store = await waitForStore(site, (store) => store.events.length == 3 && store);
  assert.deepEqual(eventLines(store).sort(), ['custom /busy', 'custom /busy', 'pageview /busy']);

  h.proxy.failing = true;
  try {
    await v.page.evaluate(() => {
      for (let i = 0; i < 55; i++) skopos('event', `flood-${i}`);
    });
    await sleep(500);
    assert.equal(await v.page.evaluate(() => JSON.parse(localStorage.skopos_queue).length), 50);
  } finally {
    h.proxy.failing = false;
  }
  await v.close();
});
