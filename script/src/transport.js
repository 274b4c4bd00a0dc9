// Sends events to the collector in the native format (docs/wire-protocol.md): `text/plain`
// JSON, so no CORS preflight, with `fetch(..., {keepalive: true})`, or
// `navigator.sendBeacon` when the page is being hidden.
//
// The full bundle batches the events the script makes itself (flushed by size, by time and
// when the page is hidden) and keeps batches the collector could not take (offline, 429,
// 5xx) in localStorage, at most 50, for a later try. Events carrying the owner's data
// (custom events, identify) go at once, each alone: the collector refuses a whole beacon
// over one property beyond its caps, so alone such an event can only lose itself, and the
// caps live in one place. The lite bundle sends every event at once.

import { doc, nav, loc, attr, flag, site, endpoint, currentPath, store } from './page.js';

/** Events waiting for the next flush. */
export let queue = [];
let timer;
let blocked;
let visitor;
let debug = FULL && flag('debug');

export const setDebug = (on) => (debug = on != false);

/** Stops (opt-out, automation, Do Not Track) or resumes collection. */
export const block = (on) => {
  blocked = on;
  queue = [];
};

/** `data-exclude="/admin/*, /preview"` matches like ^(/admin/.*|/preview)$. */
const excluded = (path, patterns = attr('exclude')) =>
  patterns && RegExp('^(' + patterns.replace(/\*/g, '.*').replace(/,\s*/g, '|') + ')$').test(path);

/**
 * Tracks an event of `kind` on the current path: queued, or sent `now`. Returns a queued
 * event so that callers may update it before it goes.
 */
export const track = (kind, fields, now) => {
  const event = { kind, path: currentPath(), ...fields };
  if (!blocked && !(FULL && excluded(event.path)))
    if (!FULL || now) post(payload([event]));
    else {
      // At most 20 events per beacon keeps within the collector's 20 error reports.
      queue.push(event) < (Math.min(attr('max-batch-size'), 20) || 10)
        ? (timer ||= setTimeout(flush, attr('batch-interval') || 5e3))
        : flush();
      return event;
    }
};

/** Sends everything queued; `hidden` when the page is being hidden. */
export const flush = (hidden) => {
  clearTimeout(timer);
  timer = 0;
  queue[0] && post(payload(queue), hidden);
  queue = [];
};

const payload = (events) =>
  JSON.stringify({
    site,
    url: loc.href.slice(0, 2048),
    referrer: doc.referrer,
    screen: [screen.width, screen.height],
    language: nav.language,
    events,
    ...(FULL && { visitor }),
  });

const post = (body, hidden) =>
  FULL
    ? (debug && console.log(body),
      // Offline, a beacon would be lost; a failed fetch is kept.
      (hidden && nav.onLine && nav.sendBeacon(endpoint, body)) ||
        fetch(endpoint, { method: 'POST', body, keepalive: true }).then(
          // Refusals (400, 403, 404, 413) would fail again: only these are kept.
          (response) => (response.status > 499 || response.status == 429 ? keep(body) : retry()),
          // A navigation aborts the page's view of a keepalive fetch that still arrives.
          () => (nav.onLine && doc.hidden) || keep(body),
        ))
    : fetch(endpoint, { method: 'POST', body, keepalive: true }).catch(Object);

const stored = () => JSON.parse(store('queue') || '[]');

const keep = (body) => store('queue', JSON.stringify([...stored(), body].slice(-50)));

/** Sends the batches kept from earlier failures. */
export const retry = (bodies = stored()) => bodies[0] && !blocked && (store('queue', ''), bodies.map((body) => post(body)));

/**
 * The first-party visitor id, only where the owner turned it on (`data-persistent`) for a
 * site in persistent privacy mode; otherwise nothing that identifies the visitor is kept in
 * the browser. `fresh` forgets the current one.
 */
export const useVisitor = (fresh) => {
  fresh && store('vid', '');
  visitor = (flag('persistent') && !blocked && (store('vid') || store('vid', Math.random() + ''))) || undefined;
};
