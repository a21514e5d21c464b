/**
 * Issue 15, kind 3: context never leaves the workspace. Real symbolic links in a temp dir: links
 * out of the workspace (to a file, to a folder, chained, relative and absolute) are refused; links
 * that stay inside, and a workspace opened through a link, work. Nested .gitignore files
 * (secret-looking names: secrets.test.ts).
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import ignore from 'ignore';
import { ignoredByAny } from '../../src/context/gitignore';
import { lexicalPathProblem, resolveForWrite, resolveInWorkspace } from '../../src/context/workspacePath';

let root: string;
let ws: string;
let outside: string;

before(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'sy-ws-'));
  ws = path.join(root, 'repo');
  outside = path.join(root, 'home');
  await mkdir(path.join(ws, 'config'), { recursive: true });
  await mkdir(path.join(outside, '.aws'), { recursive: true });
  await writeFile(path.join(outside, '.aws', 'credentials'), '[default]\naws_secret_access_key=x\n');
  await writeFile(path.join(ws, 'src.ts'), 'export {};\n');
  await writeFile(path.join(ws, '.env'), 'TOKEN=x\n');
  // The reproduction: a relative link climbing out of the repository.
  await symlink(
    path.relative(path.join(ws, 'config'), path.join(outside, '.aws', 'credentials')),
    path.join(ws, 'config', 'example.ini'),
  );
  await symlink(path.join(outside, '.aws'), path.join(ws, 'config', 'aws')); // a folder link, absolute
  await symlink(path.join(ws, 'config', 'example.ini'), path.join(ws, 'chained.ini')); // link → link → outside
  await symlink(path.join(ws, 'src.ts'), path.join(ws, 'alias.ts')); // stays inside
  await symlink(path.join(ws, '.env'), path.join(ws, 'config', 'innocent.txt')); // inside, but a secret
  await symlink(ws, path.join(root, 'repo-link')); // the workspace opened through a link
  await symlink(path.join(outside, 'planted.txt'), path.join(ws, 'dangling.txt')); // points at nothing (yet)
  await mkdir(path.join(ws, 'inner'));
  await symlink(path.join(ws, 'inner'), path.join(ws, 'inner-link')); // a folder link that stays inside
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('resolveInWorkspace (real symlinks)', () => {
  it('accepts a plain file and a link that stays inside', async () => {
    assert.deepEqual(await resolveInWorkspace(path.join(ws, 'src.ts'), [ws]), {
      ok: true,
      realPath: path.join(ws, 'src.ts'),
    });
    assert.deepEqual(await resolveInWorkspace(path.join(ws, 'alias.ts'), [ws]), {
      ok: true,
      realPath: path.join(ws, 'src.ts'),
    });
    assert.deepEqual(
      await resolveInWorkspace('src.ts', [ws]),
      { ok: true, realPath: path.join(ws, 'src.ts') },
      'relative to the first folder',
    );
  });
  for (const [name, rel] of [
    ['a relative file link out of the repository', 'config/example.ini'],
    ['a file below an absolute folder link', 'config/aws/credentials'],
    ['a chain of links', 'chained.ini'],
  ] as const) {
    it(`refuses ${name}, saying why`, async () => {
      const result = await resolveInWorkspace(path.join(ws, rel), [ws]);
      assert.equal(result.ok, false);
      assert.match((result as { reason: string }).reason, /is a link to a file outside the workspace/);
      assert.match((result as { reason: string }).reason, new RegExp(path.basename(rel).replace('.', '\\.')));
    });
  }
  it('refuses ../ traversal and absolute paths outside', async () => {
    for (const p of ['../home/.aws/credentials', path.join(outside, '.aws', 'credentials'), '/etc/passwd']) {
      const result = await resolveInWorkspace(p, [ws]);
      assert.equal(result.ok, false, p);
      assert.match((result as { reason: string }).reason, /outside the workspace/);
    }
  });
  it('works for a workspace opened through a link, and with several folders', async () => {
    const viaLink = path.join(root, 'repo-link');
    assert.equal((await resolveInWorkspace(path.join(viaLink, 'src.ts'), [viaLink])).ok, true);
    assert.equal((await resolveInWorkspace(path.join(viaLink, 'config', 'example.ini'), [viaLink])).ok, false);
    assert.equal(
      (await resolveInWorkspace(path.join(outside, '.aws', 'credentials'), [ws, outside])).ok,
      true,
      'a second open folder counts',
    );
  });
  it('resolves a file that does not exist yet through its parent (tools creating files)', async () => {
    assert.deepEqual(await resolveInWorkspace(path.join(ws, 'new', 'file.ts'), [ws]), {
      ok: true,
      realPath: path.join(ws, 'new', 'file.ts'),
    });
    const escaping = await resolveInWorkspace(path.join(ws, 'config', 'aws', 'new-file'), [ws]);
    assert.equal(escaping.ok, false, 'a new file under a link to outside is outside');
  });
  it('refuses a dangling link and anything below it (its target could appear outside)', async () => {
    assert.equal((await resolveInWorkspace('dangling.txt', [ws])).ok, false);
    assert.equal((await resolveInWorkspace('dangling.txt/x', [ws])).ok, false);
  });
  it('refuses when no folder is open or the path is malformed', async () => {
    assert.equal((await resolveInWorkspace(path.join(ws, 'src.ts'), [])).ok, false);
    assert.equal((await resolveInWorkspace('a\0b', [ws])).ok, false);
    assert.equal((await resolveInWorkspace('', [ws])).ok, false);
  });
});

describe('lexicalPathProblem: refused before any file-system call', () => {
  const refused = [
    ['UNC share', '\\\\server\\share\\file.txt'],
    ['UNC with forward slashes', '//server/share/file.txt'],
    ['Win32 file namespace', '\\\\?\\C:\\Windows\\win.ini'],
    ['Win32 device namespace', '\\\\.\\PhysicalDrive0'],
    ['device namespace, forward slashes', '//./pipe/x'],
    ['POSIX device', '/dev/zero'],
    ['POSIX device folder', '/dev/fd/3'],
    ['kernel tree', '/proc/self/environ'],
    ['sysfs', '/sys/kernel'],
    ['drive-relative', 'C:secrets.txt'],
    ['bare drive', 'D:'],
    ['device name', 'nul'],
    ['device name with extension', 'src/CON.txt'],
    ['device name with trailing dot', 'out/com1.'],
    ['NUL byte', 'a\0b'],
    ['empty', ''],
    ['blank', '   '],
  ] as const;
  for (const [name, p] of refused)
    it(`refuses ${name}: ${JSON.stringify(p)}`, () => assert.ok(lexicalPathProblem(p, 'linux'), p));
  it('refuses alternate data streams on Windows only', () => {
    assert.ok(lexicalPathProblem('notes.txt:hidden', 'win32'));
    assert.ok(lexicalPathProblem('C:\\repo\\a.txt::$DATA', 'win32'));
    assert.equal(lexicalPathProblem('C:\\repo\\a.txt', 'win32'), undefined);
    assert.equal(lexicalPathProblem('notes:today.txt', 'linux'), undefined);
  });
  for (const p of [
    'src/a.ts',
    './a.ts',
    '../x',
    '/abs/path',
    'console.ts',
    'nullable.ts',
    'devices/x',
    'C:/repo/a.ts',
    'proc.ts',
  ]) {
    it(`leaves ${JSON.stringify(p)} to the file-system checks`, () =>
      assert.equal(lexicalPathProblem(p, 'linux'), undefined));
  }
  it('resolveInWorkspace and resolveForWrite refuse them with the reason', async () => {
    for (const p of ['//server/share/x', '/dev/zero', 'C:x', '/proc/self/environ']) {
      for (const result of [await resolveInWorkspace(p, [ws]), await resolveForWrite(p, [ws])]) {
        assert.equal(result.ok, false, p);
        assert.match((result as { reason: string }).reason, /UNC|device|drive|kernel/);
      }
    }
  });
});

describe('resolveForWrite: a write never follows a link', () => {
  for (const [name, rel, why] of [
    ['a file link out of the repository', 'config/example.ini', /is a symbolic link/],
    ['a file link that stays inside', 'alias.ts', /is a symbolic link/],
    ['a dangling link', 'dangling.txt', /is a symbolic link/],
    ['a new file below a linked folder (outside)', 'config/aws/new-file', /below "config\/aws", a symbolic link/],
    ['a new file below a linked folder (inside)', 'inner-link/new.ts', /below "inner-link", a symbolic link/],
    ['../ traversal', '../home/x.txt', /outside the workspace/],
    ['an absolute path outside', '/tmp/x.txt', /outside the workspace/],
  ] as const) {
    it(`refuses ${name}`, async () => {
      const result = await resolveForWrite(rel, [ws]);
      assert.equal(result.ok, false, rel);
      assert.match((result as { reason: string }).reason, why);
    });
  }
  it('allows plain files, new files and new folders, also through a workspace opened via a link', async () => {
    assert.deepEqual(await resolveForWrite('src.ts', [ws]), { ok: true, realPath: path.join(ws, 'src.ts') });
    assert.deepEqual(await resolveForWrite('new/deep/file.ts', [ws]), {
      ok: true,
      realPath: path.join(ws, 'new', 'deep', 'file.ts'),
    });
    assert.deepEqual(await resolveForWrite(path.join(ws, 'inner', 'x.ts'), [ws]), {
      ok: true,
      realPath: path.join(ws, 'inner', 'x.ts'),
    });
    const viaLink = path.join(root, 'repo-link');
    assert.equal((await resolveForWrite('src.ts', [viaLink])).ok, true, 'the folder itself may be a link');
    assert.equal((await resolveForWrite('config/example.ini', [viaLink])).ok, false);
  });
});

describe('nested .gitignore files', () => {
  const rules = new Map([
    ['/ws', ignore().add('*.log\n/build/\n')],
    ['/ws/pkg', ignore().add('dist/\nsecret.json\n')],
  ]);
  it('each applies below its own folder', () => {
    assert.equal(ignoredByAny('/ws/app.log', '/ws', rules), true);
    assert.equal(ignoredByAny('/ws/pkg/deep/x.log', '/ws', rules), true, 'the root rule reaches down');
    assert.equal(ignoredByAny('/ws/build/x.js', '/ws', rules), true);
    assert.equal(ignoredByAny('/ws/pkg/build/x.js', '/ws', rules), false, '/build/ is anchored at the root');
    assert.equal(ignoredByAny('/ws/pkg/dist/x.js', '/ws', rules), true, 'the nested rule');
    assert.equal(ignoredByAny('/ws/pkg/secret.json', '/ws', rules), true);
    assert.equal(ignoredByAny('/ws/secret.json', '/ws', rules), false, 'a nested rule does not reach up');
    assert.equal(ignoredByAny('/ws/src/a.ts', '/ws', rules), false);
  });
});
