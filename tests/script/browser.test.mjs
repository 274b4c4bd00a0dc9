// The tracking script in real Chromium against the real collector: one collector, page
// server and browser for all cases (see harness.mjs); each case checks what landed in the
// store through `skopos-server export`.

import { before, after } from 'node:test';
import { start, stop } from './harness.mjs';

before(start, { timeout: 660_000 });
after(stop);

await import('./cases/pageviews.mjs');
await import('./cases/engagement.mjs');
await import('./cases/events.mjs');
await import('./cases/errors.mjs');
await import('./cases/transport.mjs');
await import('./cases/privacy.mjs');
await import('./cases/robustness.mjs');
