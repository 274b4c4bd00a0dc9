// The bundles' build: the committed bundles are what the source builds to, and both fit
// their gzip -9 budgets; the checks fail when that stops being true.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, appendFileSync, symlinkSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scriptDir } from './harness.mjs';

const build = (dir, ...args) => spawnSync(process.execPath, [join(dir, 'build.mjs'), ...args], { encoding: 'utf8' });

/** A scratch copy of script/ sharing its node_modules. */
function scratchCopy(t) {
  const dir = mkdtempSync(join(tmpdir(), 'skopos-build-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(scriptDir, dir, { recursive: true, filter: (path) => !path.includes('node_modules') });
  symlinkSync(join(scriptDir, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

test('the committed bundles are fresh and within budget: skopos.js ≤ 2,048 B, skopos.lite.js ≤ 800 B gzip -9', () => {
  const result = build(scriptDir, '--check');
  console.log(result.stdout.trim());
  assert.equal(result.status, 0, result.stdout + result.stderr);
  const sizes = Object.fromEntries(
    [...result.stdout.matchAll(/^(\S+) ([\d,]+) B gzip \(budget ([\d,]+)\)/gm)].map(([, file, size, budget]) => [
      file,
      [Number(size.replace(/,/g, '')), Number(budget.replace(/,/g, ''))],
    ]),
  );
  assert.deepEqual(Object.keys(sizes), ['skopos.js', 'skopos.lite.js']);
  assert.ok(sizes['skopos.js'][0] <= 2048 && sizes['skopos.js'][1] == 2048);
  assert.ok(sizes['skopos.lite.js'][0] <= 800 && sizes['skopos.lite.js'][1] == 800);
});

test('--check fails on a stale committed bundle', (t) => {
  const dir = scratchCopy(t);
  appendFileSync(join(dir, 'dist/skopos.lite.js'), ';');
  const result = build(dir, '--check');
  assert.equal(result.status, 1);
  assert.match(result.stderr, /skopos\.lite\.js is stale/);
  assert.doesNotMatch(result.stderr, /skopos\.js is stale/);
});

test('the build fails above the budget and prints the figures', (t) => {
  const dir = scratchCopy(t);
  appendFileSync(join(dir, 'src/main.js'), `\nFULL && console.log('${randomBytes(400).toString('base64')}');\n`);
  const result = build(dir);
  assert.equal(result.status, 1);
  assert.match(result.stdout, /^skopos\.js 2,\d{3} B gzip \(budget 2,048\), [\d,]+ B raw {2}OVER BUDGET$/m);
  assert.match(result.stdout, /^skopos\.lite\.js \d{3} B gzip \(budget 800\), [\d,]+ B raw$/m);
});
