/**
 * The agent's search fallback (src/agent/search.ts) on real files in a temp dir: it never reads
 * through a link out of the workspace, leaves out files that usually hold secrets (by the given
 * name and by the name behind a link), and a pattern or glob that backtracks forever ends at the
 * deadline while the event loop stays free. Generated variants of catastrophic patterns.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { confinedFiles, jsSearch, listFolder, withoutSecretFiles } from '../../src/agent/search';

let root: string;
let ws: string;

before(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'sy-search-'));
  ws = path.join(root, 'repo');
  const home = path.join(root, 'home');
  await mkdir(path.join(ws, 'src'), { recursive: true });
  await mkdir(path.join(home, '.aws'), { recursive: true });
  await writeFile(path.join(home, '.aws', 'credentials'), 'aws_secret_access_key = OUTSIDE-NEEDLE\n');
  await writeFile(path.join(home, 'notes.txt'), 'OUTSIDE-NEEDLE in a plain file\n');
  await writeFile(path.join(ws, 'src', 'a.ts'), 'const x = 1; // NEEDLE here\n');
  await writeFile(path.join(ws, '.env'), 'NEEDLE_TOKEN=1\n');
  await writeFile(path.join(ws, 'src', 'long.txt'), `${'a'.repeat(40)}!\n`);
  await symlink(path.join(home, 'notes.txt'), path.join(ws, 'docs.txt')); // a file link out
  await symlink(path.join(home, '.aws'), path.join(ws, 'config')); // a folder link out
  await symlink(path.join(ws, '.env'), path.join(ws, 'src', 'settings.txt')); // inside, but a secret behind an innocent name
});
after(async () => rm(root, { recursive: true, force: true }));

const FILES = ['src/a.ts', '.env', 'src/long.txt', 'docs.txt', 'config/credentials', 'src/settings.txt'];

describe('jsSearch: confined', () => {
  for (const [name, isRegex, query] of [
    ['a literal', false, 'NEEDLE'],
    ['a regex', true, 'NEE+DLE'],
    ['a regex ripgrep rejects (look-behind)', true, '(?<=OUTSIDE-)NEEDLE|NEEDLE'],
  ] as const) {
    it(`${name}: matches inside only, never through links out, never in secret files`, async () => {
      const found = await jsSearch(ws, FILES, { query, isRegex }, undefined, { deadlineMs: 20_000 });
      assert.deepEqual(found.lines, ['src/a.ts:1: const x = 1; // NEEDLE here']);
      assert.equal(
        found.skippedSecrets,
        3,
        '.env, the link to it, and config/credentials (by its name, before its link is even resolved)',
      );
      assert.ok(!JSON.stringify(found).includes('OUTSIDE'), 'nothing from outside');
    });
  }
  it('honours the glob, with the same confinement', async () => {
    const found = await jsSearch(ws, FILES, { query: 'NEEDLE', isRegex: false, glob: '**/*.txt' }, undefined, {
      deadlineMs: 20_000,
    });
    assert.deepEqual(found.lines, []);
    assert.equal(found.skippedSecrets, 1, 'the link to .env');
  });
  it('leaves out what switchyard.context.exclude names', async () => {
    const found = await jsSearch(ws, FILES, { query: 'NEEDLE', isRegex: false }, undefined, {
      deadlineMs: 20_000,
      secretGlobs: ['src/*.ts'],
    });
    assert.deepEqual(found.lines, []);
  });
});

describe('jsSearch: bounded in time, host never blocked', () => {
  const catastrophic = [
    { query: '(a+)+$', isRegex: true },
    { query: '(a|a)*b', isRegex: true },
    { query: '(a*)*b', isRegex: true },
    { query: '(?:a|aa)+c', isRegex: true },
    { query: 'x', isRegex: false, glob: `${'*a'.repeat(14)}*b` },
  ];
  for (const q of catastrophic) {
    it(
      `stops ${JSON.stringify(q.glob ?? q.query)} at the deadline, the event loop still ticking`,
      { timeout: 60_000 },
      async () => {
        let ticks = 0;
        const ticker = setInterval(() => ticks++, 10);
        const files = q.glob ? ['a'.repeat(60)] : ['src/long.txt'];
        if (q.glob) await writeFile(path.join(ws, files[0]!), 'x\n');
        const found = await jsSearch(ws, files, q, undefined, { deadlineMs: 400 });
        clearInterval(ticker);
        assert.equal(found.stopped, 'deadline');
        assert.deepEqual(found.lines, []);
        assert.ok(ticks > 0, 'timers ran while the pattern was matching');
      },
    );
  }
  it('stops when the task is stopped', { timeout: 60_000 }, async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const found = await jsSearch(ws, ['src/long.txt'], { query: '(a+)+$', isRegex: true }, controller.signal, {
      deadlineMs: 30_000,
    });
    assert.equal(found.stopped, 'aborted');
  });
});

describe('confinedFiles: list_files honours the same limit', () => {
  before(async () => {
    await symlink(path.join(ws, 'src', 'a.ts'), path.join(ws, 'src', 'alias.ts')); // a file link that stays inside
    await symlink(path.join(root, 'home', 'planted.txt'), path.join(ws, 'src', 'gone.txt')); // dangling: points at nothing (yet)
  });
  const listed = ['src/a.ts', 'src/alias.ts', 'missing/dir/file.ts'];
  for (const [name, entry] of [
    ['a file link out of the workspace', 'docs.txt'],
    ['a folder link out of the workspace', 'config/credentials'],
    ['a folder link out, deeper', 'config/deeper/x.txt'],
    ['a dangling link', 'src/gone.txt'],
  ] as const) {
    it(`drops ${name} (${entry}), keeps files and file links inside`, async () => {
      assert.deepEqual(await confinedFiles(ws, [...listed, entry]), listed);
    });
  }
  it('lists the rest: plain files, a file link inside (even to a secret), a file not on disk', async () => {
    const kept = await confinedFiles(ws, [
      ...FILES,
      'config/deeper/x.txt',
      'missing/dir/file.ts',
      'src/alias.ts',
      'src/gone.txt',
    ]);
    assert.deepEqual(kept, [
      'src/a.ts',
      '.env',
      'src/long.txt',
      'src/settings.txt',
      'missing/dir/file.ts',
      'src/alias.ts',
    ]);
    assert.deepEqual(
      listFolder(kept, '', false).lines,
      ['missing/', 'src/', '.env'],
      'no "config/" nor "docs.txt" entry',
    );
    assert.deepEqual(listFolder(kept, 'src', false).lines, ['a.ts', 'alias.ts', 'long.txt', 'settings.txt']);
  });
});

describe('withoutSecretFiles (ripgrep output)', () => {
  it('drops matches in secret-looking files and counts them', () => {
    const result = withoutSecretFiles({
      lines: ['.env:1: A=1', 'src/a.ts:3: ok', 'deploy/prod.tfvars:2: k', 'config/.env.local:1: x'],
      truncated: false,
      engine: 'ripgrep',
    });
    assert.deepEqual(result.lines, ['src/a.ts:3: ok']);
    assert.equal(result.skippedSecrets, 3);
    assert.deepEqual(
      withoutSecretFiles({ lines: ['src/a.ts:1: x'], truncated: false, engine: 'ripgrep' }, ['src/**']).lines,
      [],
    );
  });
});
