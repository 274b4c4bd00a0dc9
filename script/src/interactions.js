// What the full bundle learns from interactions, through listeners on the document (so
// elements added to the page later are covered too): outbound links, file downloads,
// declarative events (`skopos-event` and friends) and breadcrumbs.

import { doc, loc, flag, on, cut } from './page.js';
import { track } from './transport.js';
import { crumb } from './errors.js';

/** `skopos('event', name, props)` and declarative events; sent at once (see transport.js). */
export const customEvent = (name, props) => {
  FULL && crumb('event', { name });
  track('event', { name, props }, 1);
};

/**
 * A short description of an element: its tag, id and text. Never a field's value: an
 * input's text content is empty whatever was typed into it.
 */
const describe = (el) => ({ target: cut(el.localName + (el.id ? '#' + el.id : '') + ' ' + el.textContent.trim(), 60) });

const onInteraction = (event, type = event.type, el = event.target) => {
  const link = el.closest?.('a[href]');
  const target = type == 'click' && /^http/.test(link?.protocol) && link.href.slice(0, 2048);
  const declared = el.closest?.('[skopos-event]');
  const attr = (name) => declared.getAttribute('skopos-' + name);
  // Clicks, and changes of form fields.
  (type == 'click' || type == 'change') && crumb(type, describe(el));
  target &&
    // The seed script's download extensions.
    (/\.(pdf|zip|rar|7z|tar|gz|dmg|exe|msi|docx?|xlsx?|pptx?|csv|mp[34]|avi|mov|webm)$/i.test(link.pathname)
      ? flag('track-downloads', 1) && track('download', { target })
      : link.host != loc.host && flag('track-outbound', 1) && track('outbound', { target }));
  // <button skopos-event="signup" skopos-data='{"plan":"pro"}' skopos-data-from="email:#email">:
  // `key:#selector` pairs are read now, not when the element appeared.
  if (declared && (attr('event-on') || 'click') == type) {
    const props = JSON.parse(attr('data')) || {};
    attr('data-from')
      ?.split(',')
      .map((pair) => {
        const [key, selector] = pair.split(/:(.*)/);
        const source = doc.querySelector(selector);
        source && (props[key.trim()] = (source.value ?? source.textContent).trim());
      });
    customEvent(attr('event'), props);
  }
};

/** `skopos-event-on` may name any of these. */
export const trackInteractions = () => ['click', 'submit', 'change', 'input'].map((type) => on(doc, type, onInteraction, 1));
