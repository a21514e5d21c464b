/**
 * The agent's writes, creates and deletes against a real file system in a temp dir, with a link
 * swapped in between the check and the write through the write's hooks (a command the agent ran,
 * a watcher, a build doing it at the worst moment): nothing outside the workspace is written,
 * created or deleted, and a link seen at the last look is refused.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import {
  chmod,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, beforeEach, describe, it } from 'node:test';
import { confinedWriteError, writeInside } from '../../src/context/confinedWrite';
import { bytes, noTemp, read, swapForLink } from './writeFixture';

let root: string;
let ws: string;
let outside: string;

beforeEach(async () => {
  if (root) await rm(root, { recursive: true, force: true });
  root = await mkdtemp(path.join(tmpdir(), 'sy-write-'));
  ws = path.join(root, 'ws');
  outside = path.join(root, 'outside');
  await mkdir(path.join(ws, 'src'), { recursive: true });
  await mkdir(outside);
  await writeFile(path.join(ws, 'src', 'a.ts'), 'old\n');
  await writeFile(path.join(outside, 'a.ts'), 'OUTSIDE\n');
  await writeFile(path.join(outside, 'victim'), 'OUTSIDE\n');
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('writeInside: plain writes', () => {
  it('writes an existing file, keeping its mode; creates a file in new folders; deletes', async () => {
    await chmod(path.join(ws, 'src', 'a.ts'), 0o750);
    assert.deepEqual(await writeInside(path.join(ws, 'src', 'a.ts'), [ws], bytes('new\n')), { ok: true });
    assert.equal(await read(path.join(ws, 'src', 'a.ts')), 'new\n');
    assert.equal((await stat(path.join(ws, 'src', 'a.ts'))).mode & 0o777, 0o750);
    assert.deepEqual(await writeInside(path.join(ws, 'x', 'y', 'b.ts'), [ws], bytes('b\n')), { ok: true });
    assert.equal(await read(path.join(ws, 'x', 'y', 'b.ts')), 'b\n');
    assert.deepEqual(await writeInside(path.join(ws, 'src', 'a.ts'), [ws], null), { ok: true });
    assert.equal(existsSync(path.join(ws, 'src', 'a.ts')), false);
    // Deleting what is not there (nor its folder) is no error.
    assert.deepEqual(await writeInside(path.join(ws, 'gone', 'c.ts'), [ws], null), { ok: true });
    await noTemp(path.join(ws, 'src'));
  });

  it('works in a workspace opened through a link', async () => {
    await symlink(ws, path.join(root, 'ws-link'));
    const r = await writeInside(
      path.join(root, 'ws-link', 'src', 'a.ts'),
      [path.join(root, 'ws-link')],
      bytes('via\n'),
    );
    assert.deepEqual(r, { ok: true });
    assert.equal(await read(path.join(ws, 'src', 'a.ts')), 'via\n');
    // The same file named by its real path, the folder given as the link.
    const real = await writeInside(path.join(ws, 'src', 'a.ts'), [path.join(root, 'ws-link')], bytes('real\n'));
    assert.deepEqual(real, { ok: true });
    assert.equal(await read(path.join(ws, 'src', 'a.ts')), 'real\n');
  });

  it('refuses a link at the file or on the way, and a path outside the roots', async () => {
    await swapForLink(path.join(ws, 'src', 'a.ts'), path.join(outside, 'a.ts'));
    await symlink(outside, path.join(ws, 'out'));
    await symlink(path.join(outside, 'nothing'), path.join(ws, 'dangling.ts'));
    for (const [p, content] of [
      ['src/a.ts', 'x'],
      ['src/a.ts', null],
      ['out/a.ts', 'x'],
      ['out/a.ts', null],
      ['out/new/b.ts', 'x'],
      ['dangling.ts', 'x'],
    ] as const)
      assert.deepEqual(
        await writeInside(path.join(ws, p), [ws], content === null ? null : bytes(content)),
        { ok: false, why: 'link' },
        p,
      );
    assert.deepEqual(await writeInside(path.join(outside, 'a.ts'), [ws], bytes('x')), { ok: false, why: 'outside' });
    assert.equal(await read(path.join(outside, 'a.ts')), 'OUTSIDE\n');
    assert.equal(existsSync(path.join(outside, 'nothing')), false);
    assert.equal(existsSync(path.join(outside, 'new')), false);
  });

  it('writes and replaces a file whose name is as long as the file system allows, leaving no temporary file', async () => {
    for (const name of ['n'.repeat(255), '€'.repeat(85), `${'é'.repeat(120)}.ts`]) {
      const file = path.join(ws, 'src', name);
      assert.deepEqual(await writeInside(file, [ws], bytes('one\n')), { ok: true }, `${name.length} chars created`);
      assert.deepEqual(await writeInside(file, [ws], bytes('two\n')), { ok: true }, `${name.length} chars replaced`);
      assert.equal(await read(file), 'two\n');
    }
    assert.deepEqual(
      (await readdir(path.join(ws, 'src'))).filter((n) => n.endsWith('.tmp')),
      [],
    );
  });

  it("keeps a replaced file's UTF-8 BOM (the agent's text has none), and adds none elsewhere", async () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const file = path.join(ws, 'src', 'bom.cs');
    await writeFile(file, Buffer.concat([bom, Buffer.from('old\r\n')]));
    assert.deepEqual(await writeInside(file, [ws], bytes('new\r\n')), { ok: true });
    assert.deepEqual(await readFile(file), Buffer.concat([bom, Buffer.from('new\r\n')]));
    assert.deepEqual(await writeInside(file, [ws], Buffer.concat([bom, Buffer.from('x')])), { ok: true });
    assert.deepEqual(await readFile(file), Buffer.concat([bom, Buffer.from('x')]), 'not doubled');
    const plain = path.join(ws, 'src', 'plain.ts');
    await writeFile(plain, 'old\n');
    assert.deepEqual(await writeInside(plain, [ws], bytes('new\n')), { ok: true });
    assert.equal(await read(plain), 'new\n');
    assert.deepEqual(await writeInside(path.join(ws, 'src', 'fresh.ts'), [ws], bytes('x')), { ok: true });
    assert.equal(await read(path.join(ws, 'src', 'fresh.ts')), 'x');
  });

  it('refuses to write over a folder', async () => {
    assert.deepEqual(await writeInside(path.join(ws, 'src'), [ws], bytes('x')), { ok: false, why: 'folder' });
  });
});

describe('writeInside: a link swapped in between the check and the write', () => {
  for (const [label, file] of [
    ['write (the file exists)', 'a.ts'],
    ['create (the file is new)', 'new.ts'],
  ] as const) {
    it(`${label}: a link seen at the last look is refused; nothing outside is written`, async () => {
      const target = path.join(ws, 'src', file);
      const r = await writeInside(target, [ws], bytes('AGENT\n'), {
        beforeCommit: () => swapForLink(target, path.join(outside, 'victim')),
      });
      assert.deepEqual(r, { ok: false, why: 'link' });
      assert.equal(await read(path.join(outside, 'victim')), 'OUTSIDE\n');
      await noTemp(path.join(ws, 'src'));
    });

    it(`${label}: a link swapped in after the last look is replaced by the rename, never written through`, async () => {
      const target = path.join(ws, 'src', file);
      const r = await writeInside(target, [ws], bytes('AGENT\n'), {
        beforeRename: () => swapForLink(target, path.join(outside, 'victim')),
      });
      assert.deepEqual(r, { ok: true });
      assert.equal(await read(path.join(outside, 'victim')), 'OUTSIDE\n');
      assert.equal((await lstat(target)).isSymbolicLink(), false);
      assert.equal(await read(target), 'AGENT\n');
    });

    it(`${label}: its folder swapped for a link to an outside folder is not followed`, async () => {
      const target = path.join(ws, 'src', file);
      const r = await writeInside(target, [ws], bytes('AGENT\n'), {
        beforeRename: async () => {
          await rename(path.join(ws, 'src'), path.join(ws, 'src.old'));
          await symlink(outside, path.join(ws, 'src'));
        },
      });
      assert.equal(await read(path.join(outside, 'a.ts')), 'OUTSIDE\n');
      assert.equal(existsSync(path.join(outside, 'new.ts')), false);
      if (process.platform === 'linux') {
        // The folder held open is the one checked: the write lands there, under its new name.
        assert.deepEqual(r, { ok: true });
        assert.equal(await read(path.join(ws, 'src.old', file)), 'AGENT\n');
      }
    });

    it(`${label}: its folder moved out of the workspace is refused`, async (t) => {
      if (process.platform !== 'linux') return t.skip('the open folder is followed through /proc');
      const target = path.join(ws, 'src', file);
      const r = await writeInside(target, [ws], bytes('AGENT\n'), {
        beforeCommit: () => rename(path.join(ws, 'src'), path.join(outside, 'moved')),
      });
      assert.deepEqual(r, { ok: false, why: 'outside' });
      assert.equal(
        existsSync(path.join(outside, 'moved', file)) && (await read(path.join(outside, 'moved', file))) === 'AGENT\n',
        false,
      );
      await noTemp(path.join(outside, 'moved'));
    });
  }

  it('delete: a link seen at the last look is refused; one swapped in later is removed, its target kept', async () => {
    const target = path.join(ws, 'src', 'a.ts');
    const r = await writeInside(target, [ws], null, {
      beforeCommit: () => swapForLink(target, path.join(outside, 'victim')),
    });
    assert.deepEqual(r, { ok: false, why: 'link' });
    await swapForLink(target, path.join(ws, 'src', 'kept'));
    await writeFile(path.join(ws, 'src', 'kept'), 'k');
    const later = await writeInside(path.join(ws, 'src', 'b.ts'), [ws], null, {
      beforeRename: () => swapForLink(path.join(ws, 'src', 'b.ts'), path.join(outside, 'victim')),
    });
    assert.deepEqual(later, { ok: true });
    assert.equal(await read(path.join(outside, 'victim')), 'OUTSIDE\n');
  });

  it('delete: its folder swapped for a link to an outside folder is not followed', async () => {
    const r = await writeInside(path.join(ws, 'src', 'a.ts'), [ws], null, {
      beforeRename: async () => {
        await rename(path.join(ws, 'src'), path.join(ws, 'src.old'));
        await symlink(outside, path.join(ws, 'src'));
      },
    });
    assert.equal(await read(path.join(outside, 'a.ts')), 'OUTSIDE\n');
    if (process.platform === 'linux') {
      assert.deepEqual(r, { ok: true });
      assert.equal(existsSync(path.join(ws, 'src.old', 'a.ts')), false);
    }
  });
});

describe('confinedWriteError', () => {
  it('says what is there now and that nothing was written or deleted', () => {
    assert.match(
      confinedWriteError('src/a.ts', { ok: false, why: 'link' }, false),
      /^src\/a\.ts is a link now.*; not written/,
    );
    assert.match(confinedWriteError('src/a.ts', { ok: false, why: 'link' }, true), /is a link now.*; not deleted/);
    assert.match(confinedWriteError('src', { ok: false, why: 'folder' }, false), /^src is a folder; not written/);
    assert.match(
      confinedWriteError('a', { ok: false, why: 'outside' }, false),
      /outside the workspace now.*not written/,
    );
    assert.match(
      confinedWriteError('a', { ok: false, why: 'failed', code: 'EACCES' }, true),
      /could not be deleted \(EACCES\)/,
    );
  });
});
