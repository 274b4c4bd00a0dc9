// The script tag's settings and the helpers every module shares.
//
// `FULL` is replaced at build time (esbuild `define`): `true` in skopos.js, `false` in
// skopos.lite.js, whose minifier then drops every branch only the full bundle uses.
//
// The code is written for size: the budgets are 2,048 and 800 bytes gzipped. Hence
// short helpers used everywhere, settings read where they are used, `a && b()` for
// one-line conditions, and no validation the collector already does (see transport.js).

export const win = window;
export const doc = document;
export const nav = navigator;
export const loc = location;
const tag = doc.currentScript;

export const attr = (name) => tag.getAttribute('data-' + name);

/** A present attribute is on unless it says "false": `data-debug` and `data-debug="true"` alike. */
export const flag = (name, fallback, value = attr(name)) => (value == null ? fallback : value != 'false');

export const site = attr('site-id');

/** `data-host`, by default the origin the script was loaded from. */
export const endpoint = new URL('/api/event', attr('host') || tag.src);

const hashMode = flag('hash-mode');

/** The path reports group by: the route after `#` in hash mode, else the URL's path. */
export const currentPath = () => (hashMode && loc.hash.slice(1)) || loc.pathname;

/**
 * Nothing is sent for automation (navigator.webdriver) and obvious crawlers (the collector
 * checks user agents fully), nor, where the owner respects them, under Do Not Track or
 * Global Privacy Control.
 */
export const disabled =
  nav.webdriver ||
  /bot|crawl|headless/i.test(nav.userAgent) ||
  (flag('respect-dnt') && (nav.doNotTrack == 1 || nav.globalPrivacyControl));

/** Runs `fn` so that nothing it throws reaches the host page. */
export const safe = (fn, ...args) => {
  try {
    return fn(...args);
  } catch {}
};

export const on = (target, type, fn, capture) => target.addEventListener(type, (event) => safe(fn, event), capture);

/** localStorage under a `skopos_` prefix: `store(key)` reads, `store(key, value)` writes. */
export const store = (key, value) =>
  safe(() => (value === undefined ? localStorage['skopos_' + key] : (localStorage['skopos_' + key] = value)));

/** The first `max` characters, never splitting a surrogate pair (the collector would refuse it). */
export const cut = (text, max) => [...('' + text)].slice(0, max).join('');
