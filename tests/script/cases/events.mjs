// Custom events (API and declarative), the queue of calls made before the script loaded,
// outbound links, downloads and identify.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { page, visitor, newSite, waitForStore, storeAfter, eventLines } from '../harness.mjs';

const props = (store) => Object.fromEntries(store.events.filter((e) => e.kind == 'custom').map((e) => [e.name, e.props]));

test('skopos("event") sends custom events with properties; calls queued before load are replayed', async () => {
  const site = newSite();
  const v = await visitor();
  await v.page.goto(page({ site, path: '/shop', snippet: `skopos('event', 'early', {step: 1}); skopos('identify', 'u-early')` }));
  await v.page.evaluate(() => {
    skopos('event', 'signup', { plan: 'pro', seats: 3, nested: { a: { b: 1 } }, list: [1, 'two'] });
    skopos('event', 'no-props');
  });
  const store = await waitForStore(site, (store) => store.events.length == 4 && store.visitors[0]?.user_id && store);
  assert.deepEqual(eventLines(store).sort(), ['custom /shop', 'custom /shop', 'custom /shop', 'pageview /shop']);
  assert.deepEqual(props(store), {
    early: { step: 1 },
    signup: { plan: 'pro', seats: 3, nested: { a: { b: 1 } }, list: [1, 'two'] },
    'no-props': null,
  });
  assert.equal(store.sessions[0].events, 3);
  assert.equal(store.visitors[0].user_id, 'u-early');
  await v.close();
});

test('an event whose properties break the collector caps costs only itself', async () => {
  const site = newSite();
  const v = await visitor();
  await v.page.goto(page({ site, path: '/caps' }));
  await v.page.evaluate(() => {
    skopos('event', 'too-long', { text: 'x'.repeat(501) });
    skopos('event', 'too-deep', { a: { b: { c: { d: 1 } } } });
    skopos('event', 'fine', { ok: true });
    skopos('event', 'x'.repeat(101));
    history.pushState({}, '', '/caps/next');
  });
  const store = await waitForStore(site, (store) => store.events.length == 3 && store);
  assert.deepEqual(eventLines(await storeAfter(site, 500)).sort(), ['custom /caps', 'pageview /caps', 'pageview /caps/next']);
  assert.deepEqual(props(store), { fine: { ok: true } });
  await v.close();
});

test('declarative events: skopos-event, -event-on, -data and -data-from, also on elements added later', async () => {
  const site = newSite();
  const v = await visitor();
  await v.page.goto(
    page({
      site,
      path: '/form',
      body: `<input id="email" value="ada@example.com"><span id="plan">Team </span>
        <button id="buy" skopos-event="buy" skopos-data='{"sku":"A-1","price":9.5}' skopos-data-from="email:#email, plan:#plan, gone:#missing"><b>Buy</b></button>
        <form id="f" skopos-event="subscribe" skopos-event-on="submit" onsubmit="event.preventDefault()"><button id="send">Send</button></form>
        <select id="size" skopos-event="size" skopos-event-on="change"><option>S</option><option>M</option></select>
        <button id="plain" skopos-event="plain-click" skopos-event-on="submit">no click event</button>`,
    }),
  );
  await v.page.fill('#email', 'grace@example.com'); // read when the event fires
  await v.page.click('#buy b');
  await v.page.click('#send');
  await v.page.selectOption('#size', 'M');
  await v.page.click('#plain');
  await v.page.evaluate(() => {
    const late = document.createElement('a');
    late.setAttribute('skopos-event', 'late');
    late.id = 'late';
    late.textContent = 'late';
    document.body.append(late);
  });
  await v.page.click('#late');
  const store = await waitForStore(site, (store) => store.events.length == 5 && store);
  assert.deepEqual(props(await storeAfter(site, 400)), {
    buy: { sku: 'A-1', price: 9.5, email: 'grace@example.com', plan: 'Team' },
    subscribe: {},
    size: {},
    late: {},
  });
  await v.close();
});

test('outbound links and file downloads (the seed extension list) are tracked; the attributes turn them off', async () => {
  const site = newSite();
  const v = await visitor();
  const body = (url) => `
    <a id="out" href="https://github.com/acme" onclick="event.preventDefault()">GitHub</a>
    <a id="pdf" href="/files/guide.pdf" onclick="event.preventDefault()">Guide</a>
    <a id="zip" href="https://cdn.example.org/app.ZIP?v=2" onclick="event.preventDefault()">App</a>
    <a id="inner" href="/about" onclick="event.preventDefault()">About</a>
    <a id="mail" href="mailto:a@example.com" onclick="event.preventDefault()">Mail</a>
    <a id="leave" href="${url}">Leave</a>`;
  const elsewhere = page({ site: newSite(), path: '/elsewhere' }).replace('shop.test', 'elsewhere.test');
  const links = page({ site, path: '/links', body: body(elsewhere) });
  await v.page.goto(links);
  for (const id of ['out', 'pdf', 'zip', 'inner', 'mail']) await v.page.click(`#${id}`);
  await v.page.click('#leave'); // navigates away: sent with the page-hide beacon
  const store = await waitForStore(site, (store) => store.events.length == 5 && store);
  const targets = store.events.filter((e) => e.target).map((e) => `${e.kind} ${e.target}`);
  assert.deepEqual(targets.slice(0, 3), [
    'outbound https://github.com/acme',
    `download ${new URL('/files/guide.pdf', links)}`,
    'download https://cdn.example.org/app.ZIP?v=2',
  ]);
  assert.equal(targets[3], `outbound ${elsewhere}`);

  const off = newSite();
  await v.page.goto(page({ site: off, path: '/links-off', attrs: { 'track-outbound': 'false', 'track-downloads': 'false' }, body: body(elsewhere) }));
  for (const id of ['out', 'pdf', 'zip']) await v.page.click(`#${id}`);
  assert.deepEqual(eventLines(await storeAfter(off, 500)), ['pageview /links-off']);
  await v.close();
});

test('identify stores the visitor profile', async () => {
  const site = newSite();
  const v = await visitor();
  await v.page.goto(page({ site, path: '/account' }));
  await v.page.evaluate(() =>
    skopos('identify', 42, { name: 'Ada', email: 'ada@example.com', phone: '+44 20', metadata: { plan: 'team', seats: 5 } }),
  );
  const [profile] = await waitForStore(site, (store) => store.visitors[0]?.user_id && store.visitors);
  assert.deepEqual(
    { user_id: profile.user_id, name: profile.name, email: profile.email, phone: profile.phone, metadata: profile.metadata },
    { user_id: '42', name: 'Ada', email: 'ada@example.com', phone: '+44 20', metadata: { plan: 'team', seats: 5 } },
  );
  await v.close();
});
