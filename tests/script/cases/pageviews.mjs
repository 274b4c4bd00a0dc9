// Pageviews: page loads, SPA navigation, hash routing, manual pageviews, excluded paths,
// UTM parameters and the referrer.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { page, visitor, newSite, waitForStore, storeAfter, eventLines } from '../harness.mjs';

test('a page load sends one pageview with the page, referrer, UTM parameters and browser details', async () => {
  const site = newSite();
  const v = await visitor();
  await v.page.goto(page({ site, path: '/pricing', query: '?utm_source=newsletter&utm_medium=email&utm_campaign=launch&utm_term=t&utm_content=c&ref=x' }), {
    referer: 'https://news.ycombinator.com/item?id=1',
  });
  const store = await waitForStore(site, (store) => store.sessions[0] && store);
  assert.deepEqual(eventLines(store), ['pageview /pricing']);
  const [session] = store.sessions;
  assert.equal(session.pageviews, 1);
  assert.equal(session.entry_path, '/pricing');
  assert.equal(session.referrer_host, 'news.ycombinator.com');
  assert.deepEqual(
    [session.utm_source, session.utm_medium, session.utm_campaign, session.utm_term, session.utm_content],
    ['newsletter', 'email', 'launch', 't', 'c'],
  );
  assert.deepEqual([session.browser, session.os, session.device], ['Chrome', 'Linux', 'desktop']);
  assert.equal(session.screen, '1280x720');
  assert.equal(session.language, 'en-US');
  assert.deepEqual(v.problems, []);
  await v.close();
});

test('SPA navigation through pushState, replaceState and popstate counts each new path once', async () => {
  const site = newSite();
  const v = await visitor();
  await v.page.goto(page({ site, path: '/app/home', query: '?utm_source=ads' }));
  await waitForStore(site, (store) => store.events.length == 1);
  const go = (code) => v.page.evaluate(code);
  await go(() => history.pushState({}, '', '/app/products'));
  await go(() => history.replaceState({}, '', '/app/products?sort=price')); // same path: not another pageview
  await go(() => new Promise((done) => setTimeout(done, 400)));
  await go(() => history.replaceState({}, '', '/app/products/42'));
  await go(() => new Promise((done) => setTimeout(done, 400)));
  await v.page.goBack(); // popstate
  const store = await waitForStore(site, (store) => store.events.length == 4 && store);
  assert.deepEqual(eventLines(store), [
    'pageview /app/home',
    'pageview /app/products',
    'pageview /app/products/42',
    'pageview /app/home', // /app/products was replaced in the history
  ]);
  assert.equal(store.sessions.length, 1);
  assert.equal(store.sessions[0].pageviews, 4);
  assert.equal(store.sessions[0].utm_source, 'ads', 'the landing URL opened the session');
  assert.equal((await storeAfter(site, 500)).events.length, 4, 'no duplicates arrive later');
  await v.close();
});

test('hash mode counts #/routes as paths, through hashchange', async () => {
  const site = newSite();
  const v = await visitor();
  await v.page.goto(page({ site, path: '/spa', attrs: { 'hash-mode': 'true' }, body: '<a id="about" href="#/about">About</a>' }) + '#/start');
  await v.page.click('#about');
  await v.page.evaluate(() => (location.hash = '#/contact'));
  await v.page.evaluate(() => (location.hash = '#/contact')); // unchanged: no pageview
  const store = await waitForStore(site, (store) => store.events.length == 3 && store);
  assert.deepEqual(eventLines(store), ['pageview /start', 'pageview /about', 'pageview /contact']);
  await v.close();
});

test('data-auto-track="false" sends no pageview by itself; skopos("pageview") does', async () => {
  const site = newSite();
  const v = await visitor();
  await v.page.goto(page({ site, path: '/manual', attrs: { 'auto-track': 'false' } }));
  await v.page.evaluate(() => history.pushState({}, '', '/manual/next'));
  assert.equal((await storeAfter(site, 500)).events.length, 0);
  await v.page.evaluate(() => skopos('pageview'));
  const store = await waitForStore(site, (store) => store.events.length && store);
  assert.deepEqual(eventLines(store), ['pageview /manual/next']);
  await v.close();
});

test('data-exclude patterns with * keep matching paths out', async () => {
  const site = newSite();
  const v = await visitor();
  const attrs = { exclude: '/admin/*, /preview' };
  await v.page.goto(page({ site, path: '/admin/users', attrs }));
  await v.page.evaluate(() => skopos('event', 'admin-click'));
  await v.page.goto(page({ site, path: '/preview', attrs }));
  await v.page.goto(page({ site, path: '/public', attrs }));
  await v.page.evaluate(() => history.pushState({}, '', '/admin/settings'));
  await v.page.evaluate(() => history.pushState({}, '', '/previewed'));
  const store = await waitForStore(site, (store) => store.events.length >= 2 && store);
  assert.deepEqual(eventLines(await storeAfter(site, 500)), ['pageview /public', 'pageview /previewed']);
  await v.close();
});
