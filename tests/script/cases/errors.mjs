// JavaScript errors: uncaught errors, failed loads and unhandled rejections, deduplicated
// with counts, with the last ten breadcrumbs.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { page, visitor, newSite, waitForStore, storeAfter } from '../harness.mjs';

const byMessage = (store) => Object.fromEntries(store.errors.map((e) => [e.message, e]));

test('uncaught errors, failed script/stylesheet/image loads and unhandled rejections are reported, repeats as counts', async () => {
  const site = newSite();
  const v = await visitor();
  const url = page({ site, path: '/broken', head: '<script>function boom() { throw new TypeError("boom " + 1) }</script>' });
  await v.page.goto(url);
  await v.page.evaluate(() => {
    for (let i = 0; i < 3; i++) setTimeout(boom); // the same error three times
    const img = document.createElement('img');
    img.src = '/missing.png';
    const script = document.createElement('script');
    script.src = '/missing.js';
    const style = document.createElement('link');
    style.rel = 'stylesheet';
    style.href = '/missing.css';
    document.body.append(img, script, style);
    Promise.reject(new RangeError('rejected'));
    Promise.reject('plain reason');
  });
  const store = await waitForStore(site, (store) => store.errors.length == 6 && store);
  const errors = byMessage(store);
  const origin = new URL(url).origin;
  assert.deepEqual(Object.keys(errors).sort(), [
    'RangeError: rejected',
    'Uncaught TypeError: boom 1',
    `img failed to load: ${origin}/missing.png`,
    `link failed to load: ${origin}/missing.css`,
    'plain reason',
    `script failed to load: ${origin}/missing.js`,
  ]);
  const boom = errors['Uncaught TypeError: boom 1'];
  assert.equal(boom.occurrences, 3);
  assert.equal(boom.recent.length, 1, 'three occurrences arrived as one report with a count');
  assert.equal(boom.recent[0].count, 3);
  assert.equal(boom.source, url);
  assert.equal(boom.line, 1);
  assert.match(boom.stack, /TypeError: boom 1\n\s+at boom/);
  assert.equal(errors[`img failed to load: ${origin}/missing.png`].source, `${origin}/missing.png`);
  assert.match(errors['RangeError: rejected'].stack, /RangeError: rejected/);
  assert.equal(boom.recent[0].path, '/broken');
  await v.close();
});

test('errors carry the last ten breadcrumbs, and never what was typed into a field', async () => {
  const site = newSite();
  const v = await visitor();
  await v.page.goto(
    page({
      site,
      path: '/crumbs',
      body: `<button id="save" class="primary">Save  changes</button>
        <input id="name"><input id="secret" type="password" value="">`,
    }),
  );
  await v.page.click('#save');
  await v.page.fill('#name', 'Ada Lovelace');
  await v.page.fill('#secret', 'hunter2-very-secret'); // leaving #name fires its change
  await v.page.keyboard.press('Tab'); // and leaving #secret fires its own
  await v.page.evaluate(() => {
    skopos('event', 'checkout', { step: 2 });
    console.warn('low stock', 3);
    console.error('payment failed', { code: 402 });
    history.pushState({}, '', '/crumbs/next');
  });
  await v.page.waitForTimeout(400); // the navigation is seen
  await v.page.evaluate(() => {
    for (let i = 1; i <= 3; i++) skopos('event', `e${i}`);
    setTimeout(() => {
      throw new Error('after crumbs');
    });
  });
  const [error] = await waitForStore(site, (store) => store.errors.length && store.errors);
  const crumbs = error.recent[0].breadcrumbs;
  assert.equal(crumbs.length, 10);
  assert.deepEqual(crumbs, [
    { type: 'click', target: 'button#save Save  changes' },
    { type: 'change', target: 'input#name ' },
    { type: 'change', target: 'input#secret ' },
    { type: 'event', name: 'checkout' },
    { type: 'warn', message: 'low stock 3' },
    { type: 'error', message: 'payment failed [object Object]' },
    { type: 'pageview', path: '/crumbs/next' },
    { type: 'event', name: 'e1' },
    { type: 'event', name: 'e2' },
    { type: 'event', name: 'e3' },
  ]);
  assert.doesNotMatch(JSON.stringify(await storeAfter(site, 0)), /hunter2|Lovelace/);
  await v.close();
});

test('data-track-errors="false" reports no errors and leaves the console alone', async () => {
  const site = newSite();
  const v = await visitor();
  await v.page.goto(page({ site, path: '/quiet', attrs: { 'track-errors': 'false' } }));
  const wrapped = await v.page.evaluate(() => {
    setTimeout(() => {
      throw new Error('ignored');
    });
    return console.error.toString().includes('[native code]');
  });
  assert.equal(wrapped, true);
  const store = await storeAfter(site, 500);
  assert.equal(store.events.length, 1);
  assert.deepEqual(store.errors, []);
  await v.close();
});
