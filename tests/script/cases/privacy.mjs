// Privacy: nothing identifying in the browser in strict mode, the persistent-mode visitor
// id, opt-out, Do Not Track and Global Privacy Control, and the automation filter.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { page, visitor, newSite, waitForStore, storeAfter, eventLines, launch } from '../harness.mjs';

test('strict mode: no cookies and nothing in storage', async () => {
  const site = newSite();
  const v = await visitor();
  await v.page.goto(page({ site, path: '/strict' }));
  await v.page.evaluate(() => {
    skopos('event', 'x');
    skopos('identify', 'u-1', { name: 'Ada' });
    history.pushState({}, '', '/strict/2');
  });
  await waitForStore(site, (store) => store.events.length == 3 && store.visitors[0]?.user_id);
  const storage = await v.page.evaluate(() => ({ local: { ...localStorage }, session: { ...sessionStorage }, cookie: document.cookie }));
  assert.deepEqual(storage, { local: {}, session: {}, cookie: '' });
  assert.deepEqual(await v.context.cookies(), []);
  assert.ok(v.beacons.every((r) => !JSON.parse(r.postData()).visitor), 'no visitor id is sent');
  await v.close();
});

test('persistent mode (data-persistent): a first-party id makes one visitor; reset-identify starts another', async () => {
  const site = newSite('persistent');
  const v = await visitor();
  const attrs = { persistent: true };
  await v.page.goto(page({ site, path: '/p/1', attrs }));
  const id = await v.page.evaluate(() => localStorage.skopos_vid);
  assert.ok(id);
  await v.page.goto(page({ site, path: '/p/2', attrs }));
  await v.page.evaluate(() => skopos('identify', 'ada'));
  await waitForStore(site, (store) => store.events.length == 2 && store.visitors[0]?.user_id);
  assert.equal(await v.page.evaluate(() => localStorage.skopos_vid), id);
  await v.page.evaluate(() => {
    skopos('reset-identify');
    skopos('event', 'next-user');
  });
  const store = await waitForStore(site, (store) => store.visitors.length == 2 && store);
  assert.notEqual(await v.page.evaluate(() => localStorage.skopos_vid), id);
  assert.deepEqual(store.visitors.map((visitor) => visitor.user_id).sort(), ['ada', null]);

  // Another browser with the same network and user agent is another visitor here.
  const other = await visitor();
  await other.page.goto(page({ site, path: '/p/3', attrs }));
  await waitForStore(site, (store) => store.visitors.length == 3);
  await other.close();
  await v.close();
});

test('opt-out sends nothing and persists across page loads; opt-in resumes', async () => {
  const site = newSite('persistent');
  const v = await visitor();
  const attrs = { persistent: true };
  await v.page.goto(page({ site, path: '/out', attrs }));
  await waitForStore(site, (store) => store.events.length == 1);
  await v.page.evaluate(() => skopos('opt-out'));
  const sent = v.beacons.length;
  await v.page.evaluate(() => {
    skopos('event', 'hidden-1');
    history.pushState({}, '', '/out/2');
  });
  await v.page.goto(page({ site, path: '/out/reload', attrs }));
  await v.page.evaluate(() => skopos('event', 'hidden-2'));
  assert.ok(!(await v.page.evaluate(() => localStorage.skopos_vid)), 'the visitor id is gone');
  assert.deepEqual(eventLines(await storeAfter(site, 500)), ['pageview /out']);
  assert.equal(v.beacons.length, sent, 'not one request');
  await v.page.evaluate(() => {
    skopos('opt-in');
    skopos('event', 'back');
  });
  await waitForStore(site, (store) => store.events.length == 2);
  await v.close();
});

test('with data-respect-dnt, Do Not Track and Global Privacy Control stop all tracking', async () => {
  const cases = [
    ['gpc', true, () => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true })],
    ['dnt', true, () => Object.defineProperty(Navigator.prototype, 'doNotTrack', { get: () => '1' })],
    ['gpc-ignored', false, () => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true })],
  ];
  for (const [name, respect, signal] of cases) {
    const site = newSite();
    const v = await visitor();
    await v.context.addInitScript(signal);
    await v.page.goto(page({ site, path: `/${name}`, attrs: { 'respect-dnt': respect } }));
    await v.page.evaluate(() => skopos('event', 'x'));
    const store = await storeAfter(site, respect ? 500 : 0);
    if (respect) {
      assert.equal(store.events.length, 0, name);
      assert.equal(v.beacons.length, 0, name);
    } else await waitForStore(site, (store) => store.events.length == 2);
    await v.close();
  }
});

test('automation (navigator.webdriver) is filtered in the page: not one request', async () => {
  const site = newSite();
  const browser = await launch({ automation: true });
  try {
    const v = await visitor({ browser });
    await v.page.goto(page({ site, path: '/robot', body: '<a id="out" href="https://example.org/">out</a>' }));
    assert.equal(await v.page.evaluate(() => navigator.webdriver), true);
    await v.page.evaluate(() => skopos('event', 'robot'));
    await v.page.click('#out');
    assert.equal((await storeAfter(site, 500)).events.length, 0);
    assert.equal(v.beacons.length, 0);
  } finally {
    await browser.close();
  }
});
