import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { placeholderNote, protectedMounts, type PathKind } from '../../src/agent/sandbox/protectedMounts';
import {
  SANDBOX_READ_ONLY,
  SANDBOX_READ_ONLY_FILES,
  SANDBOX_READ_ONLY_FOLDERS,
} from '../../src/agent/sandbox/protectedPaths';

/** A file system of `entries` below workspace folders that exist (with their parents); the rest is missing. */
function fs(folders: readonly string[], entries: Record<string, PathKind> = {}): (p: string) => PathKind {
  return (p) => {
    if (p in entries) return entries[p]!;
    if (folders.some((f) => f === p || f.startsWith(`${p === '/' ? '' : p}/`))) return 'folder';
    return 'missing';
  };
}

describe('what the sandbox holds read-only at each workspace folder', () => {
  it('gives every missing protected name a placeholder of its kind, in every folder', () => {
    const folders = ['/ws/a', '/ws/b'];
    const plan = protectedMounts(folders, fs(folders));
    assert.deepEqual(plan.existing, []);
    assert.deepEqual(plan.links, []);
    for (const folder of folders) {
      for (const name of SANDBOX_READ_ONLY_FOLDERS)
        assert.ok(
          plan.placeholders.some((p) => p.path === `${folder}/${name}` && p.kind === 'folder'),
          name,
        );
      for (const name of SANDBOX_READ_ONLY_FILES)
        assert.ok(
          plan.placeholders.some((p) => p.path === `${folder}/${name}` && p.kind === 'file'),
          name,
        );
    }
    assert.equal(plan.placeholders.length, 2 * SANDBOX_READ_ONLY.length);
    for (const name of ['.vscode', '.github', '.git', '.envrc', '.gitlab-ci.yml', '.npmrc'])
      assert.ok(SANDBOX_READ_ONLY.includes(name), name);
  });

  it('leaves a missing name the user let a command create (git init) without a placeholder, and only that name, only while missing', () => {
    const folders = ['/ws/a', '/ws/b'];
    const plan = protectedMounts(folders, fs(folders), ['/ws/a/.git']);
    assert.ok(!plan.placeholders.some((p) => p.path === '/ws/a/.git'));
    assert.ok(plan.placeholders.some((p) => p.path === '/ws/b/.git'));
    assert.equal(plan.placeholders.length, 2 * SANDBOX_READ_ONLY.length - 1);
    for (const kind of ['folder', 'file', { link: '/elsewhere' }] as const) {
      const held = protectedMounts(['/ws'], fs(['/ws'], { '/ws/.git': kind }), ['/ws/.git']);
      assert.ok(
        held.existing.includes('/ws/.git') || held.links.includes('/ws/.git'),
        `an existing .git (${JSON.stringify(kind)}) stays held`,
      );
    }
  });

  it('binds an existing name onto itself, whether it is a file or a folder (a worktree .git is a file)', () => {
    const folders = ['/ws'];
    const entries: Record<string, PathKind> = {
      '/ws/.git': 'file',
      '/ws/.vscode': 'folder',
      '/ws/.envrc': 'file',
      '/ws/.npmrc': 'folder',
    };
    const plan = protectedMounts(folders, fs(folders, entries));
    assert.deepEqual([...plan.existing].sort(), Object.keys(entries).sort());
    for (const p of Object.keys(entries)) assert.ok(!plan.placeholders.some((h) => h.path === p), p);
    assert.equal(plan.placeholders.length, SANDBOX_READ_ONLY.length - 4);
  });

  it('follows a linked name: an existing target is held through the link', () => {
    const folders = ['/ws'];
    const plan = protectedMounts(folders, fs(folders, { '/ws/.vscode': { link: 'conf' }, '/ws/conf': 'folder' }));
    assert.ok(plan.existing.includes('/ws/.vscode'));
    assert.deepEqual(plan.links, ['/ws/.vscode']);
    assert.ok(!plan.placeholders.some((h) => h.path.startsWith('/ws/.vscode') || h.path === '/ws/conf'));
  });

  it('puts the placeholder of a dangling link at the first missing component of its target', () => {
    const folders = ['/ws', '/other'];
    const plan = protectedMounts(
      folders,
      fs(folders, {
        '/ws/.envrc': { link: 'real.envrc' },
        '/ws/.github': { link: './ci/github' },
        '/ws/.npmrc': { link: '/other/npm/rc' },
        '/ws/.yarnrc': { link: 'real.envrc' },
      }),
    );
    const at = (p: string): string | undefined => plan.placeholders.find((h) => h.path === p)?.kind;
    assert.equal(at('/ws/real.envrc'), 'file');
    assert.equal(at('/ws/ci'), 'folder');
    assert.equal(at('/other/npm'), 'folder');
    // Two links to one target: one placeholder.
    assert.equal(plan.placeholders.filter((h) => h.path === '/ws/real.envrc').length, 1);
    assert.deepEqual([...plan.links].sort(), ['/ws/.envrc', '/ws/.github', '/ws/.npmrc', '/ws/.yarnrc']);
    for (const link of ['/ws/.envrc', '/ws/.github', '/ws/.npmrc'])
      assert.ok(!plan.placeholders.some((h) => h.path === link) && !plan.existing.includes(link), link);
  });

  it('needs nothing for a link out of the workspace (read-only already), a loop or a path through a file', () => {
    const folders = ['/ws'];
    const plan = protectedMounts(
      folders,
      fs(folders, {
        '/ws/.vscode': { link: '/etc/elsewhere/x' },
        '/ws/.git': { link: '.git' },
        '/ws/.envrc': { link: 'notes.txt/envrc' },
        '/ws/notes.txt': 'file',
        '/ws/.github': { link: '../ws/.github' },
      }),
    );
    const all = [...plan.existing, ...plan.placeholders.map((h) => h.path)];
    for (const p of ['/etc/elsewhere', '/ws/.vscode', '/ws/.git', '/ws/.envrc', '/ws/notes.txt', '/ws/.github'])
      assert.ok(!all.includes(p), p);
  });
});

describe("what the model is told about placeholders in a command's output", () => {
  const folders = ['/ws', '/ws2'];
  const placeholders = ['/ws/.envrc', '/ws/.git', '/ws/.vscode', '/ws2/.npmrc', '/ws/conf/github'];
  it('names each placeholder the output mentions, relative to its folder, and says what to do instead', () => {
    const note = placeholderNote(
      " M a.txt\n?? .envrc\n?? .npmrc\nError: EROFS: read-only file system, open '.vscode/tasks.json'\nmkdir: conf/github: x",
      placeholders,
      folders,
    );
    assert.ok(note);
    assert.match(note, /\.envrc, \.vscode, \.npmrc, conf\/github are protected paths that do not exist/);
    assert.match(note, /write_file/);
    assert.doesNotMatch(note, /\.git\b(?!hub)/);
  });
  it('says nothing when no placeholder is named (.gitignore, .github and x.envrc are other names)', () => {
    assert.equal(
      placeholderNote('?? .gitignore\n.github/workflows\nx.envrc .envrc2 src/', placeholders, folders),
      undefined,
    );
    assert.match(
      placeholderNote('fatal: .git: Read-only file system', placeholders, folders) ?? '',
      /^\[sandbox: \.git is a protected path.*run a command that is only `git init` \(it asks the user\)\.\]$/,
    );
  });
});
