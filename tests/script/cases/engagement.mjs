// Engagement time: counted only while the page is visible, sent when the page is hidden
// and on SPA navigation.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { page, visitor, newSite, waitForStore, setHidden } from '../harness.mjs';

test('engagement counts visible time only and is sent on hide and on SPA navigation', async () => {
  const site = newSite();
  const v = await visitor();
  await v.page.goto(page({ site, path: '/read' }));
  await sleep(1300);
  await setHidden(v.page, true); // ~1.3 s visible: 1 s reported now
  let session = await waitForStore(site, (store) => store.sessions[0]?.engaged_seconds && store.sessions[0]);
  assert.equal(session.engaged_seconds, 1);
  await sleep(2500); // hidden: not counted
  await setHidden(v.page, false);
  await sleep(1300);
  await v.page.evaluate(() => history.pushState({}, '', '/read/more')); // 1 s more, reported with the navigation
  await v.page.evaluate(() => skopos('event', 'flush-by-custom-event-does-not-matter'));
  session = await waitForStore(site, (store) => store.sessions[0]?.engaged_seconds == 2 && store.sessions[0]);
  await sleep(1200);
  await v.page.goto('about:blank'); // unload: the last second goes with a beacon
  session = await waitForStore(site, (store) => store.sessions[0]?.engaged_seconds == 3 && store.sessions[0]);
  assert.equal(session.pageviews, 2);
  await v.close();
});
