// Builds the two bundles from one source and checks them against their size budgets.
//
//   node script/build.mjs           write script/dist/skopos.js and skopos.lite.js
//   node script/build.mjs --check   fail when a committed bundle differs from a fresh build
//
// Both modes print each bundle's size and fail when one is over its gzip -9 budget.
//
// esbuild bundles the modules and switches features off: `FULL` is defined true or false,
// and the lite bundle's dead branches and unused functions are dropped. terser then
// minifies; its compressor saves the full bundle some 60 bytes gzipped over esbuild's
// minifier, which the 2,048-byte budget needs.

import { build } from 'esbuild';
import { minify } from 'terser';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const check = process.argv.includes('--check');

const bundles = [
  { file: 'skopos.js', full: true, budget: 2048 },
  { file: 'skopos.lite.js', full: false, budget: 800 },
];

const bytes = (n) => n.toLocaleString('en-US');

export async function bundle(full) {
  const result = await build({
    entryPoints: [join(root, 'src/main.js')],
    bundle: true,
    format: 'iife',
    target: 'es2021',
    define: { FULL: String(full) },
    minifySyntax: true,
    legalComments: 'none',
    write: false,
  });
  const { code } = await minify(result.outputFiles[0].text, {
    ecma: 2021,
    compress: { passes: 2 },
    mangle: true,
  });
  // Whatever goes wrong at start stays inside the script.
  return Buffer.from(`try{${code}}catch{}\n`);
}

let failed = false;
for (const { file, full, budget } of bundles) {
  const code = await bundle(full);
  const path = join(root, 'dist', file);
  if (check) {
    let committed = null;
    try {
      committed = readFileSync(path);
    } catch {}
    if (!committed || !committed.equals(code)) {
      console.error(`${file} is stale: run \`node script/build.mjs\` and commit script/dist`);
      failed = true;
    }
  } else {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, code);
  }
  const gzipped = gzipSync(code, { level: 9 }).length;
  const over = gzipped > budget;
  console.log(
    `${file} ${bytes(gzipped)} B gzip (budget ${bytes(budget)}), ${bytes(code.length)} B raw${over ? '  OVER BUDGET' : ''}`,
  );
  failed ||= over;
}
process.exit(failed ? 1 : 0);
