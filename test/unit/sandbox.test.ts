/**
 * The pure parts of containment: protected paths (edits that may run commands), the bubblewrap
 * command line, the key-free environment, and untrusted text shown with its invisible characters.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { approvalFor, DEFAULT_APPROVAL } from '../../src/agent/policy';
import { bwrapArguments, homeSecrets } from '../../src/agent/sandbox/bwrap';
import { scrubEnvironment } from '../../src/agent/sandbox/environment';
import { protectedPathReason } from '../../src/agent/sandbox/protectedPaths';
import type { ToolCall } from '../../src/agent/tools';
import { revealInvisible, textRuns } from '../../src/protocol/invisibleText';

const PROTECTED = [
  '.git/config',
  '.git/hooks/pre-commit',
  './.git/config',
  'src/../.git/config',
  '.GIT/config',
  '.git./config',
  '.git /config',
  '.git\\config',
  'sub/.git/config',
  'GIT~1/config',
  'git~12/hooks/pre-commit',
  'VSCODE~1/tasks.json',
  'DEVCON~1/devcontainer.json',
  'GITLAB~1.YML',
  'GI1F2E~1/config',
  'MYPROJ~1.COD',
  'ENVRC~1',
  '.vscode/tasks.json',
  '.vscode/settings.json',
  '.VSCode/launch.json',
  '.devcontainer/devcontainer.json',
  '.husky/pre-commit',
  '.githooks/pre-push',
  '.github/workflows/ci.yml',
  '.github/actions/x/action.yml',
  '.gitlab-ci.yml',
  '.circleci/config.yml',
  'Jenkinsfile',
  'azure-pipelines.yml',
  '.travis.yml',
  '.pre-commit-config.yaml',
  '.envrc',
  '.npmrc',
  '.yarnrc.yml',
  '.bashrc',
  '.zshrc',
  '.profile',
  '.bash_profile',
  '.zshenv',
  '.config/fish/config.fish',
  'project.code-workspace',
  '.gitmodules',
  // Every name lefthook, overcommit and mise read, and a dev container's single-file config.
  '.lefthook.yml',
  'lefthook-local.yaml',
  '.lefthook.toml',
  'LEFTHOOK.JSON',
  '.overcommit.yml',
  'mise.toml',
  '.mise.local.toml',
  'mise.dev.toml',
  '.devcontainer.json',
  'app/.devcontainer.json',
];
const ORDINARY = [
  'src/index.ts',
  'README.md',
  'git/config',
  '.gitignore',
  'docs/.github.md',
  '.github/CODEOWNERS',
  'vscode/tasks.json',
  'bashrc.txt',
  'src/.git-like/x',
  'test/workflows/ci.yml',
  'docs/lefthook.md',
  'mise.md',
  'devcontainer.json.example',
  'promise.toml',
  // Git revisions and backup names end in ~N too; none is the short name of a protected one.
  'HEAD~1',
  'main~2',
  'origin/main~10',
  'v1.2~3',
  'notes.txt~1',
  'report~1.pdf',
];

describe('protected paths', () => {
  for (const p of PROTECTED) {
    it(`${JSON.stringify(p)} may run commands, and asks even with autoApprove.edit`, () => {
      assert.match(protectedPathReason(p) ?? '', /may run commands/);
      const call: ToolCall = { id: 'c', name: 'write_file', args: { path: p, content: 'x' } };
      const v = approvalFor(
        call,
        { ...DEFAULT_APPROVAL, autoApprove: { read: true, edit: true, command: true } },
        new Set(['write_file']),
      );
      assert.ok(v.decision === 'ask' && !v.canAlwaysAllow && /may run commands/.test(v.reason), v.reason);
    });
  }
  it('leaves ordinary paths alone', () => {
    for (const p of ORDINARY) assert.equal(protectedPathReason(p), undefined, p);
  });
  it('also judges the path as resolved through links', () => {
    const call: ToolCall = {
      id: 'c',
      name: 'edit_file',
      args: { path: 'innocent/config', edits: [{ old_text: 'a', new_text: 'b' }] },
    };
    const v = approvalFor(
      call,
      { ...DEFAULT_APPROVAL, autoApprove: { read: true, edit: true, command: false } },
      new Set(),
      { sandboxed: true, resolvedPath: '.git/config' },
    );
    assert.equal(v.decision, 'ask');
  });
});

describe('the bubblewrap command line', () => {
  const plan = {
    writable: ['/ws'],
    readOnly: ['/ws/.git'],
    hiddenFolders: ['/root/.ssh'],
    hiddenFiles: ['/root/.npmrc'],
    cwd: '/ws/sub',
    shell: '/bin/bash',
    command: 'echo "a b"',
  };
  it('mounts the system read-only, the workspace writable, protected paths read-only, hides secrets last, with no network', () => {
    const args = bwrapArguments({ ...plan, network: false });
    const at = (...seq: string[]): number => args.findIndex((_, i) => seq.every((s, j) => args[i + j] === s));
    assert.ok(at('--unshare-all') >= 0 && !args.includes('--share-net'));
    assert.ok(at('--die-with-parent') >= 0 && at('--new-session') >= 0);
    assert.ok(at('--ro-bind', '/', '/') < at('--bind', '/ws', '/ws'));
    assert.ok(at('--bind', '/ws', '/ws') < at('--ro-bind', '/ws/.git', '/ws/.git'));
    assert.ok(at('--ro-bind', '/ws/.git', '/ws/.git') < at('--tmpfs', '/root/.ssh'));
    assert.ok(at('--ro-bind', '/dev/null', '/root/.npmrc') >= 0 && at('--tmpfs', '/tmp') >= 0);
    assert.deepEqual(args.slice(-6), ['--chdir', '/ws/sub', '--', '/bin/bash', '-c', 'echo "a b"']);
  });
  it('shares the network only when allowed', () => {
    assert.ok(bwrapArguments({ ...plan, network: true }).includes('--share-net'));
  });
  it('hides the usual credential folders of a home', () => {
    const { folders, files } = homeSecrets('/home/u/');
    for (const f of [
      '/home/u/.ssh',
      '/home/u/.aws',
      '/home/u/.config/gcloud',
      '/home/u/.docker',
      '/home/u/.local/share/code-server',
    ])
      assert.ok(folders.includes(f), f);
    for (const f of ['/home/u/.npmrc', '/home/u/.netrc', '/home/u/.git-credentials', '/home/u/.pypirc'])
      assert.ok(files.includes(f), f);
  });
});

describe('the environment of agent commands', () => {
  const key = 'sk-or-v1-' + 'a'.repeat(64);
  it("drops known keys under any name, credential-named variables and the editor's IPC handles", () => {
    const env = scrubEnvironment(
      {
        PATH: '/bin',
        HOME: '/root',
        LANG: 'C',
        OPENROUTER_API_KEY: key,
        RENAMED: `x${key}y`,
        OTHER_KEY_COPY: 'stored-key-12345',
        GITHUB_TOKEN: 'ghp_x',
        AWS_SECRET_ACCESS_KEY: 's',
        NPM_TOKEN: 'n',
        MY_PASSWORD: 'p',
        VSCODE_IPC_HOOK_CLI: '/tmp/s.sock',
        SSH_AUTH_SOCK: '/tmp/a',
        DB_PASS: 'x',
        NODE_OPTIONS: '--require x',
      },
      ['stored-key-12345'],
    );
    assert.deepEqual(Object.keys(env).sort(), ['HOME', 'LANG', 'PATH']);
  });
  it('drops a user key in any form the redactor knows, and any provider key shape, under any name', () => {
    const b64 = Buffer.from(key).toString('base64');
    const values: Record<string, string> = {
      BASE64: b64,
      BASE64_SHIFTED: Buffer.from(`K=${key}`).toString('base64'),
      HEX: Buffer.from(key).toString('hex'),
      PIECE: key.slice(20, 40),
      PERCENT: [...key].map((c) => `%${c.charCodeAt(0).toString(16)}`).join(''),
      REVERSED: [...key].reverse().join(''),
      GH: `ghp_${'A1b2C3d4'.repeat(5)}`,
      AWS_ID_UNDER_OTHER_NAME: 'AKIAABCDEFGHIJKLMNOP',
      HF: `hf_${'x1Y2z3'.repeat(6)}`,
      CLAUDE: `sk-ant-api03-${'q7W8e9'.repeat(6)}`,
      PEM: '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----',
    };
    const env = scrubEnvironment({ ...values, PATH: '/bin', DATABASE_HOST: 'db.local', TERM: 'xterm' }, [key]);
    assert.deepEqual(Object.keys(env).sort(), ['DATABASE_HOST', 'PATH', 'TERM']);
  });
  it('never passes on a value containing a key, whatever the variable is called (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Z][A-Z0-9_]{0,20}$/), fc.string(), fc.string(), (name, pre, post) => {
        const env = scrubEnvironment({ [name]: `${pre}${key}${post}` }, [key]);
        assert.equal(Object.keys(env).length, 0);
      }),
    );
  });
});

describe('untrusted text on cards', () => {
  it('writes out bidi, zero-width and control characters, keeping the rest', () => {
    assert.equal(revealInvisible('rm -rf ./\u202Eexe.ts'), 'rm -rf ./⟨U+202E RLO⟩exe.ts');
    assert.equal(revealInvisible('ls\u200B;\u2066x\u2069'), 'ls⟨U+200B ZWSP⟩;⟨U+2066 LRI⟩x⟨U+2069 PDI⟩');
    assert.equal(revealInvisible('echo a\rb\u001b[2J'), 'echo a⟨U+000D CR⟩b⟨U+001B ESC⟩[2J');
    assert.equal(revealInvisible('a\nb'), 'a⏎\nb');
    assert.equal(revealInvisible('npm test — ok é 中'), 'npm test — ok é 中');
    assert.equal(revealInvisible('tag\u{E0041}'), 'tag⟨U+E0041⟩');
  });
  it('writes out variation selectors, fillers, blanks and format controls (text hidden after any character)', () => {
    const hidden = [...'rm -rf ~'].map((c) => String.fromCodePoint(0xe0100 + c.charCodeAt(0) - 16)).join('');
    assert.equal(revealInvisible(`ls${hidden}`).match(/⟨U\+E01[0-9A-F]{2}⟩/g)?.length, 8);
    for (const char of ['\u180b', '\u180f', '\u2800', '\uffa0', '\u{1D173}', '\u{13430}', '\u{1BCA0}', '\u{E01EF}'])
      assert.match(revealInvisible(`ls ${char}x`), /^ls ⟨U\+[0-9A-F]{4,5}[^⟩]*⟩x$/, char.codePointAt(0)!.toString(16));
  });
  it('leaves no invisible character unmarked, and loses no visible one (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (text) => {
        const runs = textRuns(text);
        const plain = runs.map((r) => ('text' in r ? r.text.replace('⏎\n', '\n') : r.invisible)).join('');
        assert.equal(plain, text);
        for (const r of runs)
          if ('text' in r)
            assert.doesNotMatch(r.text, /[\u202a-\u202e\u2066-\u2069\u200b-\u200f\u0000-\u0008\u000b-\u001f\ufeff]/);
      }),
    );
  });
});
