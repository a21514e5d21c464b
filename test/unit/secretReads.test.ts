/**
 * The agent's reads under the one secret policy, over tables: Git's ignore files read as Git
 * reads them (nested `.gitignore` files, `!` take-backs, ignored folders, `.git/info/exclude`,
 * Windows separators, case), and the decision whether a read asks — by a credential file's name
 * (the name the model gave or the real one behind a link), by the content, or because Git ignores
 * the file.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import ignore from 'ignore';
import { gitIgnores, gitignoreFolders, type GitignoreLayer } from '../../src/context/gitignore';
import { secretReadWhy, type SecretReadPolicy } from '../../src/context/secretRead';
import { isSecretPath } from '../../src/openrouter/secrets';

const layer = (dir: string, ...lines: string[]): GitignoreLayer => ({ dir, rules: ignore().add(lines) });

/** A repository's ignore files, nearest first as the caller passes them for `config/local/x`. */
const REPO: GitignoreLayer[] = [
  layer('config/local', '!keep.json'),
  layer('config', 'local.json', '*.local.*', 'local/'),
  layer('', 'node_modules/', 'dist', '*.log', '!important.log', '.env.local'),
  // .git/info/exclude: the root's folder, last.
  layer('', 'scratch/', 'notes-*.md'),
];

describe('gitIgnores: nested .gitignore files and .git/info/exclude, as Git reads them', () => {
  const ignored = [
    'node_modules/left-pad/index.js',
    'dist/extension.js',
    'src/dist/x.js',
    'debug.log',
    'logs/today.log',
    'config/local.json',
    'config/db.local.yaml',
    'config/deep/local.json',
    'config/local/keep.json', // inside an ignored folder: a deeper `!` cannot take it back
    'scratch/plan.txt',
    'notes-monday.md',
    'sub/notes-tuesday.md',
    '.env.local',
    'config\\local.json',
    '.\\dist\\win.js',
    'DIST/upper.js',
    'Config/Local.json',
  ];
  const kept = [
    'important.log',
    'src/app.ts',
    'local.json', // the config/ rule is for its own folder only
    'other/db.local.yaml',
    'config/app.json',
    'README.md',
    'scratchpad.txt',
    '../dist/outside.js',
    '',
  ];
  for (const p of ignored) it(`ignores ${JSON.stringify(p)}`, () => assert.equal(gitIgnores(p, REPO), true));
  for (const p of kept) it(`keeps ${JSON.stringify(p)}`, () => assert.equal(gitIgnores(p, REPO), false));

  it('lets the nearest file take a pattern back, and the nearest verdict wins', () => {
    const layers = [layer('pkg', '!secret.txt'), layer('', 'secret.txt')];
    assert.equal(gitIgnores('pkg/secret.txt', layers), false);
    assert.equal(gitIgnores('other/secret.txt', layers), true);
    assert.equal(gitIgnores('pkg/secret.txt', [...layers].reverse()), true, 'order is precedence');
  });

  it('has no verdict without ignore files', () => assert.equal(gitIgnores('a/b.txt', []), false));

  it('lists the folders whose .gitignore applies, nearest first, whatever the separator', () => {
    assert.deepEqual(gitignoreFolders('a/b/c.txt'), ['a/b', 'a', '']);
    assert.deepEqual(gitignoreFolders('a\\b\\c.txt'), ['a/b', 'a', '']);
    assert.deepEqual(gitignoreFolders('c.txt'), ['']);
  });
});

describe('isSecretPath: credential files by name, every kind, in any folder, case or separator', () => {
  const kinds: Record<string, string[]> = {
    'Git settings with remote URLs': [
      '.git/config',
      'vendor/lib/.git/config',
      '.git/modules/sub/config',
      '.git/worktrees/feature/config',
      '.GIT/CONFIG',
      '.git\\config',
    ],
    'Git and network credentials': ['.git-credentials', 'home/.netrc', '_netrc', '.gitconfig'],
    'package managers': ['.npmrc', 'web/.npmrc', '.pypirc', '.yarnrc.yml', 'x/.cargo/credentials.toml'],
    databases: ['.pgpass', '.my.cnf'],
    containers: ['.docker/config.json', 'ci/.docker/config.json', '.dockercfg'],
    'cloud credentials': ['.aws/credentials', 'home\\.aws\\credentials', 'gcloud/credentials.db'],
    'keys and certificates': ['server.pem', 'tls/Server.KEY', 'id_rsa', '.ssh/id_ed25519', 'deploy/id_ecdsa.pub'],
    'environment files': ['.env', '.env.production', '.env-staging', '.env_local', 'api/prod.env', '.ENV.LOCAL'],
    'secrets files': ['secrets.yaml', 'config/secrets.json', 'Secrets.toml'],
    'cluster access': ['kubeconfig', 'kubeconfig.yaml', 'prod.kubeconfig', 'staging-kubeconfig', '.kube/config'],
    'infrastructure state': ['terraform.tfstate', 'infra/prod.tfvars', 'x.tfstate.backup'],
  };
  for (const [kind, paths] of Object.entries(kinds))
    for (const p of paths) it(`${kind}: ${p}`, () => assert.equal(isSecretPath(p), true));
  const templates = ['.env.example', '.env-example', '.env_example', '.env-sample', 'git/config.ts', '.gitignore'];
  for (const p of templates) it(`not a credential file: ${p}`, () => assert.equal(isSecretPath(p), false));
});

/** A policy whose Git ignores `ignoredRels` and nothing else. */
const policy = (ignoredRels: string[] = [], exclude: string[] = []): SecretReadPolicy => ({
  exclude,
  knownSecrets: ['sk-or-v1-known0123456789abcdef'],
  gitIgnored: async (rel) => ignoredRels.includes(rel),
});

describe('secretReadWhy: an agent read asks by name, by content or because Git ignores the file', () => {
  const cases: [string, { givenRel: string; realRel: string; text: string }, string[], string | undefined][] = [
    ['a plain file', { givenRel: 'src/a.ts', realRel: 'src/a.ts', text: 'export {}' }, [], undefined],
    ['.git/config by name', { givenRel: '.git/config', realRel: '.git/config', text: '[core]' }, [], 'name'],
    ['a link named plainly to .env', { givenRel: 'docs/x.txt', realRel: '.env', text: 'A=1' }, [], 'name'],
    ['a link named .env to a plain file', { givenRel: '.env', realRel: 'src/a.ts', text: 'x' }, [], 'name'],
    ['a Windows-separated name', { givenRel: 'sub\\.git\\config', realRel: 'sub/.git/config', text: '' }, [], 'name'],
    [
      'a token in a remote URL',
      {
        givenRel: 'notes.txt',
        realRel: 'notes.txt',
        text: '[remote "origin"]\n\turl = https://x9Fq2LmZ7pR4tY8wK3nB@github.com/o/r.git\n',
      },
      [],
      'content',
    ],
    [
      'a private key block',
      { givenRel: 'a.txt', realRel: 'a.txt', text: '-----BEGIN OPENSSH PRIVATE KEY-----\nb3Bl\n' },
      [],
      'content',
    ],
    [
      'a GitHub token',
      { givenRel: 'a.md', realRel: 'a.md', text: 'ghp_0123456789abcdefghijABCDEFGHIJ012345' },
      [],
      'content',
    ],
    [
      "the user's own key",
      { givenRel: 'a.md', realRel: 'a.md', text: 'key: sk-or-v1-known0123456789abcdef' },
      [],
      'content',
    ],
    ['a file Git ignores', { givenRel: 'dist/a.js', realRel: 'dist/a.js', text: 'x' }, ['dist/a.js'], 'ignored'],
    [
      'a link to a file Git ignores',
      { givenRel: 'src/l.js', realRel: 'local/c.json', text: '{}' },
      ['local/c.json'],
      'ignored',
    ],
    [
      'an ignored link to a tracked file',
      { givenRel: 'local/l.js', realRel: 'src/a.ts', text: 'x' },
      ['local/l.js'],
      'ignored',
    ],
    ['an absolute real path (another folder)', { givenRel: '/x/a', realRel: '/x/a', text: '' }, ['/x/a'], undefined],
  ];
  for (const [name, read, ignoredRels, want] of cases)
    it(name, async () => assert.equal(await secretReadWhy(read, policy(ignoredRels)), want));

  it('adds switchyard.context.exclude to the names', async () => {
    const read = { givenRel: 'data/prod.private', realRel: 'data/prod.private', text: '' };
    assert.equal(await secretReadWhy(read, policy([], ['*.private'])), 'name');
    assert.equal(await secretReadWhy(read, policy()), undefined);
  });

  it('asks Git about both names only when neither name nor content decided', async () => {
    const asked: string[] = [];
    const p: SecretReadPolicy = { ...policy(), gitIgnored: async (rel) => (asked.push(rel), false) };
    await secretReadWhy({ givenRel: 'a\\b.ts', realRel: 'c/d.ts', text: '' }, p);
    assert.deepEqual(asked, ['a/b.ts', 'c/d.ts']);
    asked.length = 0;
    await secretReadWhy({ givenRel: '.env', realRel: '.env', text: '' }, p);
    assert.deepEqual(asked, []);
  });
});
