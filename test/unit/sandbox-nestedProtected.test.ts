/**
 * Protected names below a workspace folder's root (src/agent/sandbox/nestedProtected.ts), found
 * on a real file system: which names count where, that a folder read before is read again as soon
 * as it changes (even within the same clock tick), and what the model and the user are told.
 */
import assert from 'node:assert/strict';
import {
  cpSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { createdNote, NestedProtected } from '../../src/agent/sandbox/nestedProtected';

const roots: string[] = [];
after(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

function tree(files: readonly string[]): string {
  const root = mkdtempSync(path.join(tmpdir(), 'sy-nested-'));
  roots.push(root);
  for (const f of files) {
    mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    if (f.endsWith('/')) mkdirSync(path.join(root, f), { recursive: true });
    else writeFileSync(path.join(root, f), 'x');
  }
  return root;
}

const rel = (root: string, found: Map<string, boolean>): string[] =>
  [...found.keys()].map((p) => path.relative(root, p)).sort();

describe('nested protected names', () => {
  it('finds .git and .envrc below the root, *.code-workspace anywhere, home startup files only at home', async () => {
    const ws = tree([
      '.git/config',
      '.envrc',
      'a.code-workspace',
      'sub/.envrc',
      'sub/.git/config',
      'sub/.git/hooks/x/.envrc',
      'deep/er/B.CODE-WORKSPACE',
      'home/.bashrc',
      'home/.gitconfig',
      'sub/.bashrc',
      'sub/.vscode/tasks.json',
      'node_modules/dep/.envrc',
      'src/index.ts',
    ]);
    symlinkSync('/etc', path.join(ws, 'sub', 'linked'));
    symlinkSync('elsewhere', path.join(ws, 'src', '.envrc'));
    const found = await new NestedProtected(path.join(ws, 'home')).scan([ws]);
    assert.deepEqual(rel(ws, found), [
      'a.code-workspace',
      'deep/er/B.CODE-WORKSPACE',
      'home/.bashrc',
      'home/.gitconfig',
      'src/.envrc',
      'sub/.envrc',
      'sub/.git',
    ]);
    assert.equal(found.get(path.join(ws, 'src', '.envrc')), true, 'a link is reported as one');
  });

  it('reads a folder again once it changed, also right after it was read', async () => {
    const ws = tree(['sub/deep/file.ts']);
    const nested = new NestedProtected('/nowhere');
    const hold = await nested.hold([ws]);
    writeFileSync(path.join(ws, 'sub', 'deep', '.envrc'), 'x');
    assert.deepEqual(
      (await hold.undoCreated()).map((p) => path.relative(ws, p)),
      ['sub/deep/.envrc'],
    );
    const again = await nested.hold([ws]);
    mkdirSync(path.join(ws, 'sub', '.git'));
    assert.deepEqual(
      (await again.undoCreated()).map((p) => path.relative(ws, p)),
      ['sub/.git'],
    );
    assert.deepEqual(rel(ws, await nested.scan([ws])), []);
  });

  it('tells the model and the user what was removed, names quoted and inert', () => {
    const note = createdNote(['/w/sub/.envrc', '/w/[x](command:evil).code-workspace'], ['/w']) ?? '';
    assert.match(
      note,
      /^\[sandbox: this command created or changed "sub\/\.envrc", "\[x\] \(command:evil\)\.code-workspace", which are protected paths.*they were removed/,
    );
    assert.equal(createdNote([], ['/w']), undefined);
  });
});

describe('what a command created, removed after it', () => {
  it('keeps a nested .envrc, .git or .code-workspace the user had when a command only moved (renamed) its folder', async () => {
    const ws = tree(['lib/.envrc', 'lib/.git/config', 'lib/team.code-workspace', 'app/x.ts']);
    const hold = await new NestedProtected('/nonexistent-home').hold([ws]);
    renameSync(path.join(ws, 'lib'), path.join(ws, 'lib2'));
    renameSync(path.join(ws, 'app'), path.join(ws, 'app2'));
    assert.deepEqual(await hold.undoCreated(), []);
    for (const f of ['lib2/.envrc', 'lib2/.git/config', 'lib2/team.code-workspace'])
      assert.ok(existsSync(path.join(ws, f)), `${f} kept`);
  });

  it('still removes a copy or a hard link of one the user had, the original kept', async () => {
    const ws = tree(['lib/.envrc', 'lib/.git/config', 'other/']);
    const hold = await new NestedProtected('/nonexistent-home').hold([ws]);
    linkSync(path.join(ws, 'lib/.envrc'), path.join(ws, 'other/.envrc'));
    cpSync(path.join(ws, 'lib/.git'), path.join(ws, 'other/.git'), { recursive: true });
    const removed = (await hold.undoCreated()).map((p) => path.relative(ws, p)).sort();
    assert.deepEqual(removed, ['other/.envrc', 'other/.git']);
    assert.ok(existsSync(path.join(ws, 'lib/.envrc')) && existsSync(path.join(ws, 'lib/.git/config')));
    assert.ok(!existsSync(path.join(ws, 'other/.envrc')) && !existsSync(path.join(ws, 'other/.git')));
  });
});

describe('a workspace folder inside another', () => {
  it("never removes the inner folder's own .git or .envrc, however recently the folder changed", async () => {
    const ws = tree(['inner/.git/config', 'inner/.envrc', 'inner/src/a.ts']);
    const inner = path.join(ws, 'inner');
    await new Promise((resolve) => setTimeout(resolve, 100)); // the folders' ctimes older than the walk's racy window
    const nested = new NestedProtected('/nonexistent-home');
    for (const folders of [
      [ws, inner],
      [inner, ws],
    ]) {
      const hold = await nested.hold(folders);
      writeFileSync(path.join(inner, `made-${folders[0] === ws ? 1 : 2}.txt`), 'x'); // the command changes the folder
      assert.deepEqual(await hold.undoCreated(), [], folders.map((f) => path.relative(ws, f) || '.').join(', '));
      assert.ok(existsSync(path.join(inner, '.git/config')) && existsSync(path.join(inner, '.envrc')));
    }
  });

  it('holds its .git and .envrc read-only once it is no longer a workspace folder of its own', async () => {
    const ws = tree(['inner/.git/config', 'inner/.envrc']);
    const inner = path.join(ws, 'inner');
    await new Promise((resolve) => setTimeout(resolve, 100)); // the folders' ctimes older than the walk's racy window
    const nested = new NestedProtected('/nonexistent-home');
    assert.deepEqual((await nested.hold([ws, inner])).existing, []);
    assert.deepEqual([...(await nested.hold([ws])).existing].sort(), [
      path.join(inner, '.envrc'),
      path.join(inner, '.git'),
    ]);
  });
});
