/**
 * The `git` a granted `git init` runs (src/agent/sandbox/gitInit.ts `gitInitPath`): `.git` is
 * writable for that one command, so the program that runs must not be one a command planted in
 * the workspace — a PATH entry inside a workspace folder (`node_modules/.bin`, `./bin`, `.`, an
 * empty entry, a link from outside into the workspace) is left out. Also the real thing, in
 * bubblewrap (skipped where it does not work), as src/vscode/agent/commandSandbox.ts runs it.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { bwrapArguments } from '../../src/agent/sandbox/bwrap';
import { gitInitEnvironment, gitInitPath } from '../../src/agent/sandbox/gitInit';
import { ProtectedPlaceholders } from '../../src/agent/sandbox/placeholders';
import { BWRAP, bwrapWorks } from './bwrapHere';

const works = bwrapWorks;
const gitOnPath = spawnSync('git', ['--version']).status === 0;

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tempDir = (): string => {
  const d = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'switchyard-gitpath-')));
  dirs.push(d);
  return d;
};
const real = (p: string): string => {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
};

describe('gitInitPath', () => {
  it('leaves out relative entries and those inside a workspace folder, keeps the rest in order', () => {
    const ws = '/w/app';
    const other = '/w/lib';
    const cases: [string, string][] = [
      ['/w/app/node_modules/.bin:/usr/bin:/bin', '/usr/bin:/bin'],
      ['/usr/bin::/bin', '/usr/bin:/bin'],
      ['.:/usr/bin', '/usr/bin'],
      ['/usr/bin:bin:node_modules/.bin:./tools', '/usr/bin'],
      ['/usr/bin:/w/app', '/usr/bin'],
      ['/usr/bin:/w/app/', '/usr/bin'],
      ['/usr/bin:/w/app/./x/../bin', '/usr/bin'],
      ['/usr/bin:/w/lib/bin', '/usr/bin'],
      ['/w/application/bin:/usr/bin', '/w/application/bin:/usr/bin'],
      ['/usr/local/bin:/usr/bin', '/usr/local/bin:/usr/bin'],
    ];
    for (const [value, want] of cases)
      assert.equal(
        gitInitPath(value, [ws, other], (p) => p),
        want,
        value,
      );
  });

  it('follows links: an entry outside that leads into the workspace is left out', () => {
    const links: Record<string, string> = { '/opt/tools': '/w/app/tools', '/home/me/bin': '/home/me/dotfiles/bin' };
    const resolve = (p: string): string => links[p] ?? p;
    assert.equal(gitInitPath('/opt/tools:/home/me/bin:/usr/bin', ['/w/app'], resolve), '/home/me/bin:/usr/bin');
  });

  it('never gives an empty PATH (bash reads it as the current folder); none set: the system folders', () => {
    for (const value of ['', '.', ':', '/w/app/bin', 'bin:'])
      assert.equal(
        gitInitPath(value, ['/w/app'], (p) => p),
        '/dev/null',
        JSON.stringify(value),
      );
    assert.equal(
      gitInitPath(undefined, ['/w/app'], (p) => p),
      '/usr/local/bin:/usr/bin:/bin',
    );
    assert.equal(
      gitInitPath(undefined, ['/usr'], (p) => p),
      '/bin',
    );
  });
});

describe(
  'a granted git init in the sandbox',
  { skip: works && gitOnPath ? false : 'no bubblewrap or git here' },
  () => {
    /** A `git` that plants a hook in the `.git` it may write, then runs the real one. */
    const PLANTED = '#!/bin/sh\nmkdir -p .git/hooks && echo evil > .git/hooks/pre-commit\necho planted\n';

    it('runs the git of the system, not one planted in the workspace, whichever way PATH reaches it', () => {
      const outside = tempDir();
      for (const entry of ['ws/tools', 'ws/node_modules/.bin', 'tools', '.', '', 'link']) {
        const ws = tempDir();
        for (const folder of ['tools', 'node_modules/.bin']) {
          mkdirSync(path.join(ws, folder), { recursive: true });
          writeFileSync(path.join(ws, folder, 'git'), PLANTED);
          chmodSync(path.join(ws, folder, 'git'), 0o755);
        }
        writeFileSync(path.join(ws, 'git'), PLANTED);
        chmodSync(path.join(ws, 'git'), 0o755);
        const link = path.join(outside, `bin-${dirs.length}`);
        symlinkSync(path.join(ws, 'tools'), link);
        const first = entry === 'link' ? link : entry.startsWith('ws/') ? path.join(ws, entry.slice(3)) : entry;
        const gitDir = path.join(ws, '.git');
        const held = new ProtectedPlaceholders().hold([ws], [gitDir]);
        try {
          const command = 'git init -q && echo made';
          const plan = { writable: [ws], readOnly: held.readOnly, hiddenFolders: [], hiddenFiles: [], cwd: ws };
          const args = bwrapArguments({ ...plan, network: false, shell: '/bin/bash', command });
          const env = { ...process.env, PATH: gitInitPath(`${first}:${process.env.PATH}`, [ws], real) };
          const r = spawnSync(BWRAP!, args, { encoding: 'utf8', env });
          assert.equal(r.stdout, 'made\n', `${JSON.stringify(entry)}: ${r.stdout}${r.stderr}`);
        } finally {
          held.release();
        }
        assert.ok(existsSync(path.join(gitDir, 'HEAD')), entry);
        assert.ok(!readdirSync(path.join(gitDir, 'hooks')).includes('pre-commit'), entry);
      }
    });

    /** A template with a hook and a config that names a hooks folder, in `ws` (the sandbox's /tmp is its own). */
    function plantedTemplate(ws: string): string {
      const template = path.join(ws, 'tpl');
      mkdirSync(path.join(template, 'hooks'), { recursive: true });
      writeFileSync(path.join(template, 'hooks', 'pre-commit'), '#!/bin/sh\necho evil\n');
      chmodSync(path.join(template, 'hooks', 'pre-commit'), 0o755);
      writeFileSync(path.join(template, 'config'), '[core]\n\thooksPath = /tmp/evil\n');
      return template;
    }

    it("copies no template: the user's init.templateDir, GIT_TEMPLATE_DIR or config from the environment", () => {
      const ways: Record<string, (template: string, home: string) => Record<string, string>> = {
        'init.templateDir in ~/.gitconfig': (_t, home) => ({ HOME: home }),
        GIT_TEMPLATE_DIR: (t) => ({ GIT_TEMPLATE_DIR: t }),
        GIT_CONFIG_COUNT: (t) => ({
          GIT_CONFIG_COUNT: '1',
          GIT_CONFIG_KEY_0: 'init.templateDir',
          GIT_CONFIG_VALUE_0: t,
        }),
        GIT_CONFIG_PARAMETERS: (t) => ({ GIT_CONFIG_PARAMETERS: `'init.templatedir'='${t}'` }),
      };
      for (const [way, variables] of Object.entries(ways)) {
        const ws = tempDir();
        const template = plantedTemplate(ws);
        const home = path.join(ws, 'home');
        mkdirSync(home);
        writeFileSync(path.join(home, '.gitconfig'), `[init]\n\ttemplateDir = ${template}\n`);
        const extra = variables(template, home);
        const gitDir = path.join(ws, '.git');
        const held = new ProtectedPlaceholders().hold([ws], [gitDir]);
        try {
          const plan = { writable: [ws], readOnly: held.readOnly, hiddenFolders: [], hiddenFiles: [], cwd: ws };
          const args = bwrapArguments({ ...plan, network: false, shell: '/bin/bash', command: 'git init -q' });
          const host = { ...(process.env as Record<string, string>), ...extra };
          const r = spawnSync(BWRAP!, args, { encoding: 'utf8', env: gitInitEnvironment(host, [ws], real) });
          assert.equal(r.status, 0, `${way}: ${r.stderr}`);
        } finally {
          held.release();
        }
        assert.ok(existsSync(path.join(gitDir, 'HEAD')), way);
        const hooks = path.join(gitDir, 'hooks');
        assert.ok(!existsSync(hooks) || !readdirSync(hooks).includes('pre-commit'), way);
        const config = spawnSync('git', ['config', '--file', path.join(gitDir, 'config'), 'core.hooksPath']);
        assert.equal(config.stdout.toString(), '', way);
      }
    });
  },
);
