/**
 * The agent's lazy chunk shares the host bundle's modules (scripts/sharedChunks.mjs): built from a
 * small project the same way esbuild.mjs builds dist/, a class made in the chunk is an instance of
 * the host's class, and module state (a counter, like the secret registry) is one, not two.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as esbuild from 'esbuild';
import { buildSharedChunks } from '../../scripts/sharedChunks.mjs';

const TABLE = Symbol.for('switchyard.hostModules');

const FILES: Record<string, string> = {
  'src/shared.ts': `export class Marker {}
let count = 0;
export function bump(): number { return ++count; }`,
  'src/only-host.ts': `export const hostOnly = 'host';`,
  'src/feature.ts': `import { Marker, bump } from './shared';
import { own } from './feature-own';
export const make = (): Marker => new Marker();
export const bumpFromChunk = (): number => bump();
export const ownValue = own;`,
  'src/feature-own.ts': `export const own = 'chunk';`,
  'src/extension.ts': `import { Marker, bump } from './shared';
import { hostOnly } from './only-host';
export { Marker, bump, hostOnly };
// eslint-disable-next-line
export const loadFeature = (): typeof import('./feature') => require('./feature');`,
};

interface Host {
  Marker: new () => object;
  bump(): number;
  loadFeature(): { make(): object; bumpFromChunk(): number; ownValue: string };
}

describe('lazy chunks sharing the host bundle (scripts/sharedChunks.mjs)', () => {
  let root = '';
  let load: NodeJS.Require;

  before(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'switchyard-chunks-'));
    for (const [file, text] of Object.entries(FILES)) {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), text);
    }
    const lazyFeature: esbuild.Plugin = {
      name: 'lazy-feature',
      setup: (build) => build.onResolve({ filter: /^\.\/feature$/ }, () => ({ path: './feature.js', external: true })),
    };
    const host = {
      absWorkingDir: root,
      entryPoints: ['src/extension.ts'],
      outfile: path.join(root, 'dist/extension.js'),
      bundle: true,
      platform: 'node' as const,
      format: 'cjs' as const,
      logLevel: 'silent' as const,
      plugins: [lazyFeature],
    };
    await buildSharedChunks(esbuild, host, [{ chunk: 'feature', entry: 'src/feature.ts' }], host);
    load = createRequire(path.join(root, 'dist/extension.js'));
  });

  after(() => {
    delete (globalThis as Record<symbol, unknown>)[TABLE];
    rmSync(root, { recursive: true, force: true });
  });

  it('gives the chunk the host instance of a shared module: instanceof and module state hold across', () => {
    const host = load('./extension.js') as Host;
    const feature = host.loadFeature();
    assert.ok(feature.make() instanceof host.Marker, 'the chunk made an instance of the host class');
    assert.equal(host.bump(), 1);
    assert.equal(feature.bumpFromChunk(), 2, 'one counter, not one per bundle');
    assert.equal(host.bump(), 3);
    assert.equal(feature.ownValue, 'chunk');
  });

  it('keeps the chunk`s own modules out of the host bundle and the host`s own out of the chunk', () => {
    const hostText = readFileSync(path.join(root, 'dist/extension.js'), 'utf8');
    const chunkText = readFileSync(path.join(root, 'dist/feature.js'), 'utf8');
    assert.doesNotMatch(hostText, /'chunk'|"chunk"/);
    assert.match(chunkText, /"chunk"/);
    assert.doesNotMatch(chunkText, /Marker = class|class Marker/, 'the chunk has no copy of the shared class');
    assert.doesNotMatch(chunkText, /only-host|hostOnly/);
  });

  it('fails with a message naming the module when the chunk is loaded without the host bundle', () => {
    const table = (globalThis as Record<symbol, unknown>)[TABLE];
    delete (globalThis as Record<symbol, unknown>)[TABLE];
    try {
      const fresh = createRequire(path.join(root, 'dist/other.js'));
      delete fresh.cache[fresh.resolve('./feature.js')];
      assert.throws(() => fresh('./feature.js'), /does not share src\/shared\.ts/);
    } finally {
      (globalThis as Record<symbol, unknown>)[TABLE] = table;
    }
  });
});
