// JavaScript errors (full bundle only): uncaught errors, failed script/stylesheet/image
// loads and unhandled rejections, deduplicated in the page with counts, each with the last
// ten breadcrumbs of what happened before it (kept in memory only).

import { win, on, cut } from './page.js';
import { track, queue } from './transport.js';

const crumbs = [];

/** Remembers something that happened, for the next errors' context. */
export const crumb = (type, fields) => crumbs.push({ type, ...fields }) > 10 && crumbs.shift();

/** A repeat (same message) joins the report still waiting in the batch, as its count. */
const report = (message, stack, source, line, column, known = queue.find((e) => e.message == (message += ''))) =>
  known
    ? known.count++
    : track('error', {
        message,
        stack,
        source,
        line,
        column,
        count: 1,
        breadcrumbs: crumbs.slice(),
      });

export const trackErrors = () => {
  on(
    win,
    'error',
    (event, el = event.target, url = el.src || el.href) =>
      el.localName
        ? report(el.localName + ' failed to load: ' + url, '', url)
        : report(event.message, event.error?.stack, event.filename, event.lineno, event.colno),
    // Failed loads do not bubble, but the capture phase still passes the window.
    1,
  );
  on(win, 'unhandledrejection', (event) => report(event.reason, event.reason?.stack));
  for (const level of ['error', 'warn']) {
    const original = console[level];
    console[level] = function (...args) {
      try {
        crumb(level, { message: cut(args.join(' '), 200) });
      } catch {}
      return original.apply(this, args);
    };
  }
};
