/**
 * `npm install` (npm ≥ 11.16) warns about every dependency whose install scripts package.json's
 * `allowScripts` does not cover, and npm 12 skips them. Every package of the lock file that has
 * install scripts is decided here: allowed (esbuild checks its platform binary; vsce-sign copies
 * its signing binary for vsce) or denied (keytar builds a native credential store only
 * `vsce publish` uses).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';

const root = path.resolve(import.meta.dirname, '../..');
const read = (file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(path.join(root, file), 'utf8')) as Record<string, unknown>;

it('every dependency with install scripts is covered by allowScripts (no npm install warning)', () => {
  const allow = (read('package.json').allowScripts ?? {}) as Record<string, boolean>;
  const packages = read('package-lock.json').packages as Record<string, { hasInstallScript?: boolean }>;
  const withScripts = Object.entries(packages)
    .filter(([, p]) => p.hasInstallScript)
    .map(([k]) => k.slice(k.lastIndexOf('node_modules/') + 'node_modules/'.length));
  assert.ok(withScripts.length > 0, 'the lock file lists packages with install scripts');
  const uncovered = withScripts.filter((name) => typeof allow[name] !== 'boolean');
  assert.deepEqual(
    uncovered,
    [],
    'add each to allowScripts in package.json (true to run its script, false to skip it)',
  );
});
