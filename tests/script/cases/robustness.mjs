// The host page comes first: no console errors, a page that throws or replaces `history`
// keeps working, the lite bundle, debug output, and the bundles the collector serves.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { h, scriptDir, page, visitor, newSite, waitForStore, storeAfter, eventLines, setHidden } from '../harness.mjs';

test('a whole visit leaves no console error and no uncaught exception on the host page', async () => {
  const site = newSite();
  const v = await visitor();
  await v.page.goto(
    page({
      site,
      path: '/clean',
      body: `<button id="b" skopos-event="tap" skopos-data-from="q:#q">b</button><input id="q" value="v">
        <a id="out" href="https://example.org/x.pdf" onclick="event.preventDefault()">x</a>`,
    }),
  );
  await v.page.click('#b');
  await v.page.click('#out');
  await v.page.evaluate(() => {
    skopos('event', 'e', { a: 1 });
    skopos('identify', 'u');
    skopos('unknown-command', 1);
    skopos();
    history.pushState({}, '', '/clean/2');
    console.warn('a warning the page logs itself');
  });
  await setHidden(v.page, true);
  await setHidden(v.page, false);
  await waitForStore(site, (store) => store.events.length == 5);
  assert.deepEqual(v.problems, []);
  await v.close();
});

test('a host page that throws and replaces history.pushState keeps working, and is tracked', async () => {
  const site = newSite();
  const v = await visitor();
  await v.page.goto(
    page({
      site,
      path: '/hostile',
      head: `<script>
        window.calls = [];
        const push = history.pushState;
        history.pushState = function (state, title, url) { calls.push(url); return push.call(this, state, title, url) };
        history.replaceState = function () { throw new Error('replaceState is broken here') };
        window.onerror = (message) => { calls.push('onerror ' + message) };
        throw new Error('page bug at load');
      </script>`,
      body: '<button id="bug" onclick="null.x">bug</button>',
    }),
  );
  await v.page.click('#bug');
  const calls = await v.page.evaluate(() => {
    history.pushState({}, '', '/hostile/next');
    try {
      history.replaceState({}, '', '/hostile/else');
    } catch (e) {
      calls.push('caught ' + e.message);
    }
    return calls;
  });
  assert.deepEqual(calls, [
    'onerror Uncaught Error: page bug at load',
    "onerror Uncaught TypeError: Cannot read properties of null (reading 'x')",
    '/hostile/next',
    'caught replaceState is broken here',
  ]);
  const store = await waitForStore(site, (store) => store.events.length == 2 && store.errors.length && store);
  assert.deepEqual(eventLines(store), ['pageview /hostile', 'pageview /hostile/next']);
  assert.equal(store.errors[0].message, "Uncaught TypeError: Cannot read properties of null (reading 'x')");
  await v.close();
});

test('the lite bundle: pageviews, SPA navigation, custom events and opt-out, and nothing more', async () => {
  const site = newSite();
  const v = await visitor();
  await v.page.goto(
    page({ site, path: '/lite', bundle: 'lite', body: '<a id="out" href="https://example.org/" onclick="event.preventDefault()">out</a>' }),
  );
  await v.page.evaluate(() => {
    skopos('event', 'lite-event', { plan: 'pro' });
    history.pushState({}, '', '/lite/next');
    skopos('identify', 'nobody');
    setTimeout(() => {
      throw new Error('not tracked by lite');
    });
  });
  await v.page.click('#out');
  await waitForStore(site, (store) => store.events.length == 3);
  await v.page.evaluate(() => skopos('opt-out'));
  await v.page.evaluate(() => history.pushState({}, '', '/lite/after'));
  const store = await storeAfter(site, 500);
  assert.deepEqual(eventLines(store).sort(), ['custom /lite', 'pageview /lite', 'pageview /lite/next']);
  assert.deepEqual(store.events.find((e) => e.kind == 'custom').props, { plan: 'pro' });
  assert.deepEqual([store.errors, store.visitors[0].user_id], [[], null]);
  await v.close();
});

test('data-debug logs every beacon; skopos("debug", false) stops it', async () => {
  const site = newSite();
  const v = await visitor();
  const logged = [];
  v.page.on('console', (message) => message.type() == 'log' && logged.push(message.text()));
  await v.page.goto(page({ site, path: '/debug', attrs: { debug: true } }));
  await waitForStore(site, (store) => store.events.length == 1);
  assert.equal(JSON.parse(logged[0]).events[0].kind, 'pageview');
  await v.page.evaluate(() => {
    skopos('debug', false);
    skopos('event', 'quiet');
  });
  await waitForStore(site, (store) => store.events.length == 2);
  assert.equal(logged.length, 1);
  await v.close();
});

test('without data-host, beacons go to the origin the script was loaded from', async () => {
  const site = newSite();
  const v = await visitor();
  const seen = h.proxy.seen;
  await v.page.goto(page({ site, path: '/own-origin', attrs: { host: null } }));
  await waitForStore(site, (store) => store.events.length == 1);
  assert.equal(h.proxy.seen, seen + 1, 'through the page server, where the script came from');
  await v.close();
});

test('the collector serves the committed bundles at /script.js and /script.lite.js; data-host defaults to it', async () => {
  for (const [path, file] of [
    ['/script.js', 'skopos.js'],
    ['/script.lite.js', 'skopos.lite.js'],
  ]) {
    const response = await fetch(h.collectorUrl + path);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type'), /javascript/);
    assert.equal(await response.text(), readFileSync(join(scriptDir, 'dist', file), 'utf8'), `${path} is script/dist/${file}`);
  }
  // No data-host: beacons go back to where the script came from.
  const site = newSite();
  const v = await visitor();
  await v.page.goto(page({ site, path: '/default-host', attrs: { host: null }, src: `${h.collectorUrl}/script.js` }));
  await waitForStore(site, (store) => store.events.length >= 1);
  await v.close();
});
