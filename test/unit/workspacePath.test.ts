import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, symlink, writeFile, realpath } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { resolveInWorkspace } from '../../src/context/workspacePath';

let root: string;
let ws: string;
let outside: string;

before(async () => {
  root = await realpath(await mkdtemp(path.join(tmpdir(), 'sy-ws-')));
  ws = path.join(root, 'ws');
  outside = path.join(root, 'outside');
  await mkdir(path.join(ws, 'src'), { recursive: true });
  await mkdir(outside);
  await writeFile(path.join(ws, 'src', 'a.ts'), 'a');
  await writeFile(path.join(outside, 'secret.txt'), 's');
  await symlink(outside, path.join(ws, 'escape'));
  await symlink(path.join(outside, 'secret.txt'), path.join(ws, 'link.txt'));
  await symlink(path.join(ws, 'src'), path.join(ws, 'inner'));
});
after(() => rm(root, { recursive: true, force: true }));

describe('resolveInWorkspace', () => {
  it('accepts relative and absolute paths inside, existing or not', async () => {
    assert.deepEqual(await resolveInWorkspace('src/a.ts', [ws]), { ok: true, realPath: path.join(ws, 'src', 'a.ts') });
    assert.deepEqual(await resolveInWorkspace(path.join(ws, 'src', 'new', 'b.ts'), [ws]), { ok: true, realPath: path.join(ws, 'src', 'new', 'b.ts') });
    assert.deepEqual(await resolveInWorkspace('inner/a.ts', [ws]), { ok: true, realPath: path.join(ws, 'src', 'a.ts') });
  });
  it('refuses .., absolute paths elsewhere and symlinks that leave the workspace', async () => {
    for (const p of ['../outside/secret.txt', 'src/../../outside', '/etc/passwd', 'escape/secret.txt', 'link.txt', 'escape/new.txt']) {
      const r = await resolveInWorkspace(p, [ws]);
      assert.equal(r.ok, false, p);
    }
    const r = await resolveInWorkspace('link.txt', [ws]);
    assert.ok(!r.ok && /symbolic link/.test(r.reason));
  });
  it('accepts any of several folders and refuses without one', async () => {
    assert.equal((await resolveInWorkspace(path.join(outside, 'secret.txt'), [ws, outside])).ok, true);
    assert.equal((await resolveInWorkspace('a', [])).ok, false);
    assert.equal((await resolveInWorkspace('  ', [ws])).ok, false);
  });
});
