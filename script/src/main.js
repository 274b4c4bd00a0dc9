// The Skopos tracking script. Reads its settings from its own <script> tag, installs the
// global `skopos(...)` API (replaying calls queued before it loaded), and tracks pageviews,
// SPA navigation and, in the full bundle, engagement time, links, declarative events and
// errors. Nothing it does may break the host page: every entry point runs inside `safe`,
// and the build wraps the whole bundle in try/catch. It never touches `history`: SPA
// navigation is noticed by watching the path (every 300 ms, and at once on popstate).

import { win, doc, flag, site, disabled, currentPath, safe, on, store } from './page.js';
import { track, flush, block, retry, useVisitor, setDebug } from './transport.js';
import { crumb, trackErrors } from './errors.js';
import { customEvent, trackInteractions } from './interactions.js';

/** The path of the last pageview: a navigation to the same path is not another one. */
let lastPath;
/** When the page last became visible, or 0 while it is hidden. */
let visibleSince;

/**
 * A pageview, also kept as a breadcrumb. The page load's first goes at once: it opens the
 * session with the landing URL (UTM parameters).
 */
const pageview = (now) => {
  FULL && crumb('pageview', { path: (lastPath = currentPath()) });
  track('pageview', { path: (lastPath = currentPath()) }, now);
};

/** Queues the whole seconds the page was visible since the last report, on the page's path. */
const reportEngagement = (seconds = visibleSince && ((Date.now() - visibleSince) / 1e3) | 0) => {
  seconds && track('engagement', { seconds, path: lastPath });
  visibleSince &&= Date.now();
};

const navigated = () => {
  if (currentPath() != lastPath) {
    FULL && reportEngagement();
    pageview();
  }
};

const commands = {
  event: customEvent,
  pageview: () => pageview(),
  'opt-out'() {
    store('optout', 1);
    block(1);
    FULL && (store('queue', ''), useVisitor(1));
  },
  'opt-in'() {
    store('optout', '');
    block(disabled);
    FULL && useVisitor();
  },
  ...(FULL && {
    debug: setDebug,
    identify: (id, fields) => track('identify', { ...fields, user_id: id + '' }, 1),
    // The next user of a shared device is someone else: in persistent mode, a new visitor id.
    'reset-identify': () => useVisitor(1),
  }),
};

const skopos = (command, ...args) => safe(commands[command] || Object, ...args);

if (site) {
  const queued = win.skopos?.q || [];
  block(disabled || store('optout'));
  win.skopos = skopos;
  if (FULL) {
    useVisitor();
    visibleSince = !doc.hidden && Date.now();
    on(doc, 'visibilitychange', () =>
      doc.hidden ? (reportEngagement(), (visibleSince = 0), flush(1)) : (visibleSince = Date.now()),
    );
    on(win, 'online', () => retry());
    flag('track-errors', 1) && trackErrors();
    trackInteractions();
  }
  for (const args of queued) skopos(...args);
  // pushState and replaceState show as a new path; popstate (back, forward, and `#`
  // navigation, which hash-routed apps use) says so at once.
  flag('auto-track', 1) && (pageview(1), setInterval(safe, 300, navigated), on(win, 'popstate', navigated));
  FULL && retry();
}
