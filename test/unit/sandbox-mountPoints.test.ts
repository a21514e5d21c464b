/**
 * The paths bwrap mounts on, reached through links (a symlinked home, a tool folder or dotfile
 * linked by GNU Stow, a user-data folder under a linked cache): given as they are, bwrap could not
 * make the mount point and every command failed; resolved, the command runs and the secret stays
 * hidden. Real links in a temp dir, and the real bwrap where it works.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { bwrapArguments } from '../../src/agent/sandbox/bwrap';
import { mountPoints } from '../../src/agent/sandbox/mountPoints';
import { BWRAP, bwrapWorks } from './bwrapHere';

const works = bwrapWorks;

// Not under /tmp: the sandbox has a private empty /tmp, where every path would simply be missing.
const results = path.resolve(__dirname, '../../test-results');
mkdirSync(results, { recursive: true });
const root = realpathSync(mkdtempSync(path.join(results, 'sy-mounts-')));
after(() => rmSync(root, { recursive: true, force: true }));
const at = (...parts: string[]): string => path.join(root, ...parts);

// The real places.
mkdirSync(at('data', 'profile', 'user-data'), { recursive: true });
writeFileSync(at('data', 'profile', 'user-data', 'secret.txt'), 'EDITOR-SECRET');
mkdirSync(at('dotfiles', 'gh'), { recursive: true });
writeFileSync(at('dotfiles', 'gh', 'hosts.yml'), 'GH-TOKEN');
writeFileSync(at('dotfiles', 'npmrc'), 'NPM-TOKEN');
mkdirSync(at('projects', 'app'), { recursive: true });
// The names that reach them through links.
mkdirSync(at('home', '.config'), { recursive: true });
symlinkSync(at('data'), at('home', '.cache')); // a parent link: home/.cache/profile/user-data
symlinkSync(at('dotfiles', 'gh'), at('home', '.config', 'gh')); // a folder link (Stow)
symlinkSync(at('dotfiles', 'npmrc'), at('home', '.npmrc')); // a file link (Stow)
symlinkSync(at('projects'), at('home', 'code')); // the workspace opened through a link

const userData = at('home', '.cache', 'profile', 'user-data');
const folders = [at('home', 'code', 'app')];
const hideFolders = [userData, at('home', '.config', 'gh'), at('data', 'profile', 'user-data'), at('home', '.aws')];
const hideFiles = [at('home', '.npmrc'), at('home', '.netrc')];

describe('mountPoints: what bwrap mounts on, links resolved', () => {
  it('gives each path resolved, drops the missing and the second name of one place', () => {
    assert.deepEqual(mountPoints(folders, hideFolders, hideFiles), {
      writable: [at('projects', 'app')],
      hiddenFolders: [at('data', 'profile', 'user-data'), at('dotfiles', 'gh')],
      hiddenFiles: [at('dotfiles', 'npmrc')],
    });
  });

  it('keeps a folder that holds a workspace folder visible, whichever name reaches it', () => {
    const mounts = mountPoints(folders, [at('home', 'code'), at('projects')], []);
    assert.deepEqual(mounts.hiddenFolders, []);
  });

  it('lets a command run with them hidden, where the unresolved names made bwrap fail', { skip: !works }, () => {
    const run = (m: {
      writable: readonly string[];
      hiddenFolders: readonly string[];
      hiddenFiles: readonly string[];
    }) =>
      spawnSync(
        BWRAP!,
        bwrapArguments({
          ...m,
          readOnly: [],
          cwd: m.writable[0]!,
          network: false,
          shell: '/bin/sh',
          command: `cat ${userData}/secret.txt ${at('home', '.config', 'gh', 'hosts.yml')} ${at('home', '.npmrc')}; echo ran`,
        }),
        { encoding: 'utf8' },
      );
    const given = run({
      writable: folders,
      hiddenFolders: hideFolders.slice(0, 2),
      hiddenFiles: hideFiles.slice(0, 1),
    });
    assert.notEqual(given.status, 0, 'bwrap made mount points through the links (the fault no longer reproduces)');
    assert.match(given.stderr, /Can't mkdir parents|No such file/);
    const resolvedRun = run(mountPoints(folders, hideFolders, hideFiles));
    assert.match(resolvedRun.stdout, /ran/, resolvedRun.stderr);
    assert.doesNotMatch(resolvedRun.stdout, /EDITOR-SECRET|GH-TOKEN|NPM-TOKEN/);
  });
});
