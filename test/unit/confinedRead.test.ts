/**
 * A hostile repository's instruction files and skills, read without asking: real links, pipes and
 * binaries in a temp dir. Only a regular text file whose real path stays inside the workspace and
 * does not usually hold secrets is read; a pipe never blocks the read.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readConfinedText, readOpenedInside } from '../../src/context/confinedRead';

let root: string;
let ws: string;
let home: string;
const LIMITS = { maxBytes: 64 * 1024 };

before(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'sy-confined-'));
  ws = path.join(root, 'repo');
  home = path.join(root, 'home');
  await mkdir(path.join(home, '.ssh'), { recursive: true });
  await writeFile(path.join(home, '.ssh', 'id_rsa'), 'OUTSIDE-PRIVATE-KEY\n');
  await writeFile(path.join(home, 'notes.md'), 'OUTSIDE-NOTES\n');
  await mkdir(path.join(ws, 'docs', 'deep'), { recursive: true });
  await writeFile(path.join(ws, 'AGENTS.md'), 'Run npm test.\n');
  await writeFile(path.join(ws, '.env'), 'TOKEN=abc\n');
  await writeFile(path.join(ws, 'docs', 'deep', 'real.md'), 'Deep and real.\n');
  await writeFile(path.join(ws, 'bin.md'), Buffer.from([0x41, 0x00, 0x42]));
  await writeFile(path.join(ws, 'huge.md'), 'x'.repeat(LIMITS.maxBytes + 1));
  await symlink('AGENTS.md', path.join(ws, 'CLAUDE.md')); // the usual CLAUDE.md → AGENTS.md
  await symlink(path.join(home, '.ssh', 'id_rsa'), path.join(ws, 'abs-out.md'));
  await symlink('../home/notes.md', path.join(ws, 'rel-out.md'));
  await symlink(path.join(home, '.ssh'), path.join(ws, 'ssh')); // a folder link out
  await symlink('rel-out.md', path.join(ws, 'chain.md')); // link → link → outside
  await symlink(path.join(home, 'nothing-yet.md'), path.join(ws, 'dangling.md'));
  await symlink('loop-b.md', path.join(ws, 'loop-a.md'));
  await symlink('loop-a.md', path.join(ws, 'loop-b.md'));
  await symlink('.env', path.join(ws, 'innocent.md')); // inside, but a secret's file
  await symlink('/dev/zero', path.join(ws, 'zero.md'));
  await symlink('docs', path.join(ws, 'docs-link')); // a folder link that stays inside
  execFileSync('mkfifo', [path.join(ws, 'pipe.md')]);
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('readConfinedText', () => {
  it('reads a plain file, and links that stay inside the workspace', async () => {
    assert.deepEqual(await readConfinedText(ws, 'AGENTS.md', LIMITS), {
      ok: true,
      text: 'Run npm test.\n',
      realRel: 'AGENTS.md',
    });
    assert.deepEqual(await readConfinedText(ws, 'CLAUDE.md', LIMITS), {
      ok: true,
      text: 'Run npm test.\n',
      realRel: 'AGENTS.md',
    });
    const viaFolderLink = await readConfinedText(ws, 'docs-link/deep/real.md', LIMITS);
    assert.ok(viaFolderLink.ok && viaFolderLink.realRel === 'docs/deep/real.md');
  });

  it('refuses every way out of the workspace: links (absolute, relative, folder, chained, dangling), .., absolute paths', async () => {
    for (const rel of [
      'abs-out.md',
      'rel-out.md',
      'ssh/id_rsa',
      'chain.md',
      'dangling.md',
      '../home/notes.md',
      path.join(home, 'notes.md'),
      'docs/../../home/notes.md',
      'zero.md',
    ]) {
      const read = await readConfinedText(ws, rel, LIMITS);
      assert.equal(read.ok, false, rel);
      assert.equal(JSON.stringify(read).includes('OUTSIDE'), false, rel);
    }
    assert.deepEqual(await readConfinedText(ws, 'abs-out.md', LIMITS), { ok: false, why: 'outside' });
  });

  it("refuses a secret's file by the name given or by the name behind a link", async () => {
    assert.deepEqual(await readConfinedText(ws, '.env', LIMITS), { ok: false, why: 'secret' });
    assert.deepEqual(await readConfinedText(ws, 'innocent.md', LIMITS), { ok: false, why: 'secret' });
    assert.deepEqual(await readConfinedText(ws, 'AGENTS.md', { ...LIMITS, secretGlobs: ['AGENTS.md'] }), {
      ok: false,
      why: 'secret',
    });
  });

  it('refuses a named pipe at once (no blocking), a folder, a loop, a binary and a file over the limit', async () => {
    const cases: [string, string][] = [
      ['pipe.md', 'not a file'],
      ['docs', 'not a file'],
      ['bin.md', 'binary'],
      ['huge.md', 'too big'],
    ];
    for (const [rel, why] of cases) assert.deepEqual(await readConfinedText(ws, rel, LIMITS), { ok: false, why }, rel);
    for (const rel of ['loop-a.md', 'missing.md', 'a\0b.md', '']) {
      const read = await readConfinedText(ws, rel, LIMITS);
      assert.equal(read.ok, false, JSON.stringify(rel));
    }
  });
});

/** The agent's read_file path: the path was resolved and checked; what is there when the file is opened counts. */
describe('readOpenedInside (a link swapped in after the check)', () => {
  const read = (rel: string): ReturnType<typeof readOpenedInside> =>
    readOpenedInside(path.join(ws, rel), [ws], LIMITS.maxBytes);

  it('reads a regular file inside a root, and through a folder link that stays inside', async () => {
    const plain = await read('AGENTS.md');
    assert.equal(plain.ok && new TextDecoder().decode(plain.bytes), 'Run npm test.\n');
    assert.equal((await read('docs-link/deep/real.md')).ok, true);
  });

  it('is not led out by a last link, a folder link on the way, a chain or a device link', async () => {
    for (const rel of ['abs-out.md', 'rel-out.md', 'chain.md', 'ssh/id_rsa', 'zero.md', 'loop-a.md', 'dangling.md']) {
      const result = await read(rel);
      assert.equal(result.ok, false, rel);
      assert.ok(!result.ok && ['outside', 'absent'].includes(result.why), `${rel}: ${JSON.stringify(result)}`);
    }
  });

  it('says what it found instead: absent, a folder, a pipe (at once), binary, too big', async () => {
    const cases: [string, string][] = [
      ['missing.md', 'absent'],
      ['docs', 'folder'],
      ['pipe.md', 'not a file'],
      ['bin.md', 'binary'],
      ['huge.md', 'too big'],
    ];
    for (const [rel, why] of cases) assert.deepEqual(await read(rel), { ok: false, why }, rel);
  });

  it('accepts a file inside any of several roots, and only those', async () => {
    const notes = path.join(home, 'notes.md');
    assert.equal((await readOpenedInside(notes, [ws], LIMITS.maxBytes)).ok, false);
    assert.equal((await readOpenedInside(notes, [ws, home], LIMITS.maxBytes)).ok, true);
  });
});
