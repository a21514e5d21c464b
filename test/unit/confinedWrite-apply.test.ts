/**
 * An agent edit of several files is all or nothing: a failure at any step of any file (a link put
 * there before its check or swapped in before its last look, its folder moved out of the
 * workspace, the disk full while the temporary files are written, an I/O error at the rename)
 * leaves every file as it was — replaced files keep their old content and mode, created files and
 * their new folders are gone, deleted files are back — and no temporary file is left. The error
 * names the file that failed and the ones not written. Against a real file system in a temp dir.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, beforeEach, describe, it } from 'node:test';
import { confinedApplyError, writeAllInside, type WriteHooks } from '../../src/context/confinedWrite';
import { bytes, noTemp, read, swapForLink } from './writeFixture';

let root: string;
let ws: string;
let outside: string;

beforeEach(async () => {
  if (root) await rm(root, { recursive: true, force: true });
  root = await mkdtemp(path.join(tmpdir(), 'sy-apply-'));
  ws = path.join(root, 'ws');
  outside = path.join(root, 'outside');
  for (const folder of ['src', 'lib', 'old', outside]) await mkdir(path.resolve(ws, folder), { recursive: true });
  await writeFile(path.join(ws, 'src', 'a.ts'), 'A\n', { mode: 0o640 });
  await writeFile(path.join(ws, 'old', 'gone.ts'), 'GONE\n');
  await writeFile(path.join(outside, 'victim'), 'OUTSIDE\n');
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

/** The three kinds of change, each in its own folder; the create makes its folder. */
const REPLACE = { rel: 'src/a.ts', content: 'NEW A\n' };
const CREATE = { rel: 'new/deep/c.ts', content: 'NEW C\n' };
const DELETE = { rel: 'old/gone.ts', content: null };
type Change = typeof REPLACE | typeof CREATE | typeof DELETE;

const entries = (changes: readonly Change[]) =>
  changes.map((c) => ({ absolute: path.join(ws, c.rel), bytes: c.content === null ? null : bytes(c.content) }));
const files = (changes: readonly Change[]) => changes.map((c) => ({ rel: c.rel, deleting: c.content === null }));

/** Each change as it was before the apply (the one named `except` is left to the test: a link may be there now). */
async function asBefore(except?: string): Promise<void> {
  if (except !== REPLACE.rel) {
    assert.equal(await read(path.join(ws, REPLACE.rel)), 'A\n', 'the replaced file keeps its old content');
    assert.equal((await stat(path.join(ws, REPLACE.rel))).mode & 0o777, 0o640, 'and its mode');
  }
  if (except !== CREATE.rel)
    assert.equal(existsSync(path.join(ws, 'new')), false, 'the created file and its folders are gone');
  if (except !== DELETE.rel) assert.equal(await read(path.join(ws, DELETE.rel)), 'GONE\n', 'the deleted file is back');
  assert.equal(await read(path.join(outside, 'victim')), 'OUTSIDE\n');
  assert.deepEqual(
    (await readdir(outside)).filter((n) => n !== 'moved'),
    ['victim'],
    'nothing made outside',
  );
  await noTemp(ws);
}

const fail = (code: string) => async (): Promise<void> => {
  throw Object.assign(new Error(code), { code });
};

/** A fault at one step of one file, what it is reported as, and whether that file is left to the test. */
const FAULTS: readonly {
  label: string;
  hooks(target: string): WriteHooks;
  why: string;
  ownFile?: true;
}[] = [
  {
    label: 'a link put there before its check (at the file, or at the folder a create makes)',
    hooks: (t) => ({
      beforePrepare: (p) =>
        p !== t
          ? Promise.resolve()
          : existsSync(path.dirname(p))
            ? swapForLink(p, path.join(outside, 'victim'))
            : swapForLink(path.join(ws, 'new'), outside),
    }),
    why: 'link',
    ownFile: true,
  },
  {
    label: 'the disk full while the temporary files are written',
    hooks: (t) => ({ beforePrepare: (p) => (p === t ? fail('ENOSPC')() : Promise.resolve()) }),
    why: 'failed',
  },
  {
    label: 'a link swapped in before its last look',
    hooks: (t) => ({
      beforeCommit: (p) => (p === t ? swapForLink(p, path.join(outside, 'victim')) : Promise.resolve()),
    }),
    why: 'link',
    ownFile: true,
  },
  {
    label: 'its folder moved out of the workspace',
    hooks: (t) => ({
      beforeCommit: (p) => (p === t ? rename(path.dirname(p), path.join(outside, 'moved')) : Promise.resolve()),
    }),
    why: 'outside',
    ownFile: true,
  },
  {
    label: 'an I/O error at the rename',
    hooks: (t) => ({ beforeRename: (p) => (p === t ? fail('EIO')() : Promise.resolve()) }),
    why: 'failed',
  },
];

/** Each kind of change first, in the middle and last. */
const ORDERS: readonly (readonly Change[])[] = [
  [REPLACE, CREATE, DELETE],
  [CREATE, DELETE, REPLACE],
  [DELETE, REPLACE, CREATE],
];

describe('writeAllInside: a fault at any step of any file changes nothing', () => {
  for (const fault of FAULTS)
    for (const order of ORDERS)
      order.forEach((change, at) => {
        const where = ['first', 'middle', 'last'][at];
        it(`${fault.label}: the ${where} file (${change.content === null ? 'delete' : change === CREATE ? 'create' : 'replace'}, order ${order.map((c) => c.rel).join(' ')})`, async (t) => {
          if (fault.why === 'outside' && process.platform !== 'linux')
            return t.skip('the open folder is followed through /proc');
          const r = await writeAllInside(entries(order), [ws], fault.hooks(path.join(ws, change.rel)));
          assert.equal(r.ok, false);
          if (r.ok) return;
          assert.equal(r.failed, at);
          assert.equal(r.result.why, fault.why);
          assert.deepEqual(r.kept, []);
          await asBefore(fault.ownFile ? change.rel : undefined);
          if (fault.why === 'outside') await noTemp(path.join(outside, 'moved'));
          const others = order.filter((c) => c !== change);
          assert.match(
            confinedApplyError(files(order), r),
            new RegExp(
              `^${change.rel}.*; the others were left as they were: ${others.map((c) => `${c.rel} not ${c.content === null ? 'deleted' : 'written'}`).join(', ')}$`,
            ),
          );
        });
      });
});

describe('writeAllInside: all files written, or all put back', () => {
  it('replaces, creates and deletes in one apply, the same file twice (the last wins); undone, each is back as that apply left it', async () => {
    const newer = { rel: REPLACE.rel, content: 'NEWER A\n' };
    assert.deepEqual(await writeAllInside(entries([REPLACE, CREATE, DELETE, newer]), [ws]), { ok: true });
    const written = async (): Promise<void> => {
      assert.equal(await read(path.join(ws, REPLACE.rel)), 'NEWER A\n');
      assert.equal((await stat(path.join(ws, REPLACE.rel))).mode & 0o777, 0o640);
      assert.equal(await read(path.join(ws, CREATE.rel)), 'NEW C\n');
      assert.equal(existsSync(path.join(ws, DELETE.rel)), false);
      await noTemp(ws);
    };
    await written();
    const d = { rel: 'new/deep/more/d.ts', content: 'D\n' };
    const again = [
      { rel: REPLACE.rel, content: 'X\n' },
      { rel: CREATE.rel, content: 'Y\n' },
      { rel: REPLACE.rel, content: 'Z\n' },
      d,
    ];
    const undone = await writeAllInside(entries(again), [ws], {
      beforeRename: (p) => (p === path.join(ws, d.rel) ? fail('EIO')() : Promise.resolve()),
    });
    assert.equal(undone.ok, false);
    await written();
    assert.equal(
      existsSync(path.join(ws, 'new', 'deep', 'more')),
      false,
      'the folder made for d.ts is gone, new/deep kept',
    );
  });
});

describe('writeAllInside: a change that cannot be put back is named', () => {
  it('the old file kept aside removed meanwhile: that file is reported written, the others restored', async () => {
    const r = await writeAllInside(entries([REPLACE, DELETE, CREATE]), [ws], {
      beforeRename: async (p) => {
        if (p !== path.join(ws, CREATE.rel)) return;
        const src = path.join(ws, 'src');
        for (const name of await readdir(src)) if (name.endsWith('.old')) await unlink(path.join(src, name));
        await fail('EIO')();
      },
    });
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.deepEqual(r.kept, [{ index: 0, code: 'ENOENT' }]);
    assert.equal(await read(path.join(ws, REPLACE.rel)), 'NEW A\n');
    assert.equal(await read(path.join(ws, DELETE.rel)), 'GONE\n');
    assert.equal(
      confinedApplyError(files([REPLACE, DELETE, CREATE]), r),
      'new/deep/c.ts could not be written (EIO); the others were left as they were: old/gone.ts not deleted; ' +
        'src/a.ts was written and could not be put back (ENOENT)',
    );
  });
});
