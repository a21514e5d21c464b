/**
 * Nested protected names a command could change without creating one (src/agent/sandbox/
 * nestedProtected.ts, nestedLinks.ts): a nested `.envrc` or `.git` that is a symbolic link (a
 * mount cannot hold the link itself), and one hidden in a folder made unlistable (`chmod 111`,
 * `000`) from the walk after the command. The links in bubblewrap (skipped where it does not
 * work); the folders as a user who is not root (root reads any folder: the walk then runs as
 * `nobody`).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { bwrapArguments } from '../../src/agent/sandbox/bwrap';
import { NestedProtected } from '../../src/agent/sandbox/nestedProtected';
import { BWRAP, bwrapWorks } from './bwrapHere';

const works = bwrapWorks;

const roots: string[] = [];
after(() => {
  for (const r of roots) {
    spawnSync('chmod', ['-R', 'u+rwx', r]);
    rmSync(r, { recursive: true, force: true });
  }
});

function tree(files: Record<string, string>, links: Record<string, string> = {}): string {
  const root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'sy-nested-links-')));
  roots.push(root);
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    if (f.endsWith('/')) mkdirSync(path.join(root, f), { recursive: true });
    else writeFileSync(path.join(root, f), text);
  }
  for (const [f, target] of Object.entries(links)) {
    mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    symlinkSync(target, path.join(root, f));
  }
  return root;
}

/** Runs `command` in the sandbox as the extension does, the nested names held; resolves to its output and what was undone. */
async function runHeld(ws: string, command: string): Promise<{ out: string; undone: string[] }> {
  const hold = await new NestedProtected('/nonexistent-home').hold([ws]);
  const plan = { writable: [ws], readOnly: hold.existing, hiddenFolders: [], hiddenFiles: [], cwd: ws, network: false };
  const r = spawnSync(BWRAP!, bwrapArguments({ ...plan, shell: '/bin/bash', command }), { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const undone = (await hold.undoCreated()).map((p) => path.relative(ws, p)).sort();
  return { out: r.stdout, undone };
}

const tryIt = (what: string, shell: string): string =>
  `(${shell}) 2>/dev/null && echo "${what} written" || echo "${what} refused"`;

describe('a nested protected name that is a link', { skip: works ? false : 'no working bubblewrap here' }, () => {
  it('cannot be written through: its target is held read-only', async () => {
    const ws = tree(
      { 'conf/envrc': 'export A=1\n', 'conf/gitdir/config': '[core]\n' },
      { 'sub/.envrc': '../conf/envrc', 'pkg/.git': '../conf/gitdir', 'app/team.code-workspace': '../conf/envrc' },
    );
    const { out, undone } = await runHeld(
      ws,
      [
        tryIt('envrc', 'echo evil >> sub/.envrc'),
        tryIt('hook', 'mkdir -p pkg/.git/hooks && echo evil > pkg/.git/hooks/pre-commit'),
        tryIt('workspace', 'echo evil > app/team.code-workspace'),
      ].join('; '),
    );
    assert.equal(out, 'envrc refused\nhook refused\nworkspace refused\n');
    assert.deepEqual(undone, []);
    assert.equal(readFileSync(path.join(ws, 'conf/envrc'), 'utf8'), 'export A=1\n');
    assert.deepEqual(readdirSync(path.join(ws, 'conf/gitdir')), ['config']);
  });

  it('replaced or removed by a command, is put back as it was after it (and the model told)', async () => {
    const ws = tree(
      { 'conf/envrc': 'export A=1\n', 'conf/gitdir/config': '[core]\n' },
      { 'a/.envrc': '../conf/envrc', 'b/.envrc': '../conf/envrc', 'c/.git': '../conf/gitdir', 'd/.envrc': 'x' },
    );
    const { undone } = await runHeld(
      ws,
      [
        'rm a/.envrc && echo evil > a/.envrc',
        'ln -sfn ../evil b/.envrc',
        'rm c/.git && mkdir -p c/.git/hooks && echo evil > c/.git/hooks/pre-commit',
        'rm d/.envrc',
      ].join('; '),
    );
    assert.deepEqual(undone, ['a/.envrc', 'b/.envrc', 'c/.git', 'd/.envrc']);
    for (const [p, target] of [
      ['a/.envrc', '../conf/envrc'],
      ['b/.envrc', '../conf/envrc'],
      ['c/.git', '../conf/gitdir'],
      ['d/.envrc', 'x'],
    ])
      assert.equal(readlinkSync(path.join(ws, p!)), target, p);
    assert.equal(readFileSync(path.join(ws, 'conf/envrc'), 'utf8'), 'export A=1\n');
  });

  it('dangling: what a command creates at its target is removed after it, the link kept', async () => {
    const ws = tree({ 'lib/x.ts': '' }, { 'lib/.envrc': 'real.envrc', 'lib2/.envrc': '../cfg/deep/envrc' });
    const { undone } = await runHeld(ws, 'echo evil > lib/.envrc; mkdir -p cfg/deep && echo evil > cfg/deep/envrc');
    assert.deepEqual(undone, ['lib/.envrc', 'lib2/.envrc']);
    assert.ok(!existsSync(path.join(ws, 'lib/real.envrc')) && !existsSync(path.join(ws, 'cfg/deep/envrc')));
    assert.equal(readlinkSync(path.join(ws, 'lib/.envrc')), 'real.envrc');
    assert.ok(lstatSync(path.join(ws, 'lib2/.envrc')).isSymbolicLink());
  });
});

/** A walk before and after a "command" (`made`), run as a user who is not root; prints what was undone. */
const WALK = `
const loaded = await import(${JSON.stringify(path.resolve(import.meta.dirname, '../../src/agent/sandbox/nestedProtected.ts'))});
const { NestedProtected } = loaded.NestedProtected ? loaded : loaded.default;
import { execSync } from 'node:child_process';
const [ws, made] = process.argv.slice(-2);
const hold = await new NestedProtected('/nonexistent-home').hold([ws]);
execSync(made, { cwd: ws, stdio: 'inherit' });
console.log(JSON.stringify(await hold.undoCreated()));
`;

describe('a nested protected name in a folder closed to listing', () => {
  const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  const tsx = path.resolve(import.meta.dirname, '../../node_modules/tsx/dist/loader.mjs');

  it('is found and removed after the command, and the folder gets its mode back', () => {
    for (const [closed, mode] of [
      ['a', 0o111],
      ['a', 0o000],
      ['a/b', 0o311],
      ['a', 0o600],
      ['a/b/c', 0o100],
    ] as const) {
      const ws = tree({ 'a/b/c/d/x.ts': '' });
      if ('uid' in asUser) spawnSync('chown', ['-R', `${asUser.uid}:${asUser.gid}`, ws]);
      const made = `mkdir -p a/b/c/d && echo evil > a/b/c/d/.envrc && echo '{}' > a/b/c/x.code-workspace && chmod ${mode.toString(8)} ${closed}`;
      const r = spawnSync(process.execPath, ['--import', tsx, '--input-type=module', '-e', WALK, ws, made], {
        encoding: 'utf8',
        ...asUser,
      });
      assert.equal(r.status, 0, r.stderr);
      const undone = (JSON.parse(r.stdout.trim().split('\n').at(-1)!) as string[]).map((p) => path.relative(ws, p));
      const what = `${closed} ${mode.toString(8)}`;
      assert.deepEqual(undone.sort(), ['a/b/c/d/.envrc', 'a/b/c/x.code-workspace'], what);
      assert.equal(statSync(path.join(ws, closed)).mode & 0o7777, mode, what);
      chmodSync(path.join(ws, closed), 0o755);
      assert.ok(!existsSync(path.join(ws, 'a/b/c/d/.envrc')), what);
      if ('uid' in asUser) chownSync(ws, 0, 0);
    }
  });
});
