// Builds the dashboard into a temporary folder and fails when the result differs from the
// committed dist/ (which the Rust binaries embed); prints the bundle's size either way.
//
//   npm run verify

import { build } from 'vite';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = dirname(fileURLToPath(import.meta.url));
const committed = join(root, 'dist');
const fresh = mkdtempSync(join(tmpdir(), 'skopos-ui-'));

/** Every file under `dir`, as paths relative to it, sorted. */
function files(dir) {
  const found = [];
  const walk = (at) => {
    for (const entry of readdirSync(at)) {
      const path = join(at, entry);
      if (statSync(path).isDirectory()) walk(path);
      else found.push(relative(dir, path));
    }
  };
  try {
    walk(dir);
  } catch {
    return [];
  }
  return found.sort();
}

const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;

try {
  await build({ root, logLevel: 'warn', build: { outDir: fresh, emptyOutDir: true } });
  const built = files(fresh);
  const stale = [];
  for (const file of new Set([...built, ...files(committed)])) {
    let a = null;
    let b = null;
    try {
      a = readFileSync(join(fresh, file));
    } catch {}
    try {
      b = readFileSync(join(committed, file));
    } catch {}
    if (!a) stale.push(`${file}: in ui/dist but not built`);
    else if (!b) stale.push(`${file}: built but missing from ui/dist`);
    else if (!a.equals(b)) stale.push(`${file}: differs`);
  }
  let raw = 0;
  let gzip = 0;
  for (const file of built) {
    const bytes = readFileSync(join(fresh, file));
    const gzipped = gzipSync(bytes, { level: 9 }).length;
    raw += bytes.length;
    gzip += gzipped;
    console.log(`${file.padEnd(24)} ${kb(bytes.length).padStart(10)} raw ${kb(gzipped).padStart(10)} gzip`);
  }
  console.log(`${'total'.padEnd(24)} ${kb(raw).padStart(10)} raw ${kb(gzip).padStart(10)} gzip`);
  if (stale.length) {
    console.error(`\nui/dist is stale: run \`npm run build\` in ui/ and commit ui/dist\n  ${stale.join('\n  ')}`);
    process.exitCode = 1;
  } else {
    console.log('\nui/dist is up to date');
  }
} finally {
  rmSync(fresh, { recursive: true, force: true });
}
