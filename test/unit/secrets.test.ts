/**
 * The one secret policy (src/openrouter/secrets.ts), over tables: credential file names (and the
 * templates and look-alikes that are not), the content rules line by line, and the redaction of
 * known keys (also reversed and encoded) and token-shaped strings; plus a generated check that the
 * rules stay linear on long hostile inputs.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { findSecretLines, isSecretPath, maskKey, redactSecrets, stripSecretLines } from '../../src/openrouter/secrets';

describe('isSecretPath: name rules', () => {
  const secret = [
    '.env',
    '.env.local',
    'config/.env.production',
    'prod.env',
    '.envrc',
    'deploy/prod.tfvars',
    'infra/terraform.tfstate',
    'infra/terraform.tfstate.backup',
    'vars.tfvars.json',
    'certs/server.pem',
    'tls/private.key',
    'home/.ssh/id_rsa',
    'id_rsa.pub',
    'id_ed25519',
    'store.p12',
    'ID_RSA',
    'secrets\\win.PEM',
    'app.keystore',
    'vault.kdbx',
    'putty.ppk',
    '.aws/credentials',
    '.aws/config',
    'credentials/readme.md',
    'gcloud/application_default_credentials.json',
    'my-service-account.json',
    'gcp_service_account_key.json',
    'client_secret_123.apps.googleusercontent.com.json',
    '.kube/config',
    'kubeconfig',
    'prod.kubeconfig',
    '.htpasswd',
    'conf/.htpasswd',
    '.netrc',
    '.npmrc',
    '.yarnrc.yml',
    '.pypirc',
    '.pgpass',
    '.my.cnf',
    '.git-credentials',
    '.docker/config.json',
    '.cargo/credentials',
    '.vault-token',
    'config/secrets.yml',
    'secrets.json',
    'db.secret',
    '.bash_history',
    'Pulumi.prod.yaml',
  ];
  const plain = [
    'src/env.ts',
    'environment.md',
    'keyboard.ts',
    'src/keys.ts',
    'docs/credentials-guide.md',
    'README.md',
    'monkey.json',
    'pem.ts',
    '.env.example',
    'config/.env.sample',
    '.env.template',
    'src/tokenizer.ts',
    'main.tf',
    'variables.tf',
    'package.json',
    'docker-compose.yml',
    'src/secretary.ts',
    'kube/deployment.yaml',
    '.gitignore',
    '..',
    '',
  ];
  for (const p of secret) it(`flags ${p}`, () => assert.equal(isSecretPath(p), true));
  for (const p of plain) it(`does not flag ${JSON.stringify(p)}`, () => assert.equal(isSecretPath(p), false));
  it('adds the switchyard.context.exclude globs (name anywhere, or the relative path)', () => {
    assert.equal(isSecretPath('data/prod.private', ['*.private']), true);
    assert.equal(isSecretPath('vault/a/b.txt', ['vault/**']), true);
    assert.equal(isSecretPath('src/vault/b.txt', ['vault/**']), false, 'a path glob is anchored at the folder');
    assert.equal(isSecretPath('src/vault/b.txt', ['**/vault/**']), true);
    assert.equal(isSecretPath('a/b.txt', ['', '  ']), false, 'empty globs match nothing');
  });
});

const OR_KEY = 'sk-or-v1-0123456789abcdef0123456789abcdef';

describe('findSecretLines / stripSecretLines: content rules', () => {
  const hits: [string, string][] = [
    ['OpenRouter key', `const k = "${OR_KEY}";`],
    ['OpenAI project key', 'OPENAI=sk-proj-ABCDEFGHIJKLMNOPQRST1234'],
    ['Anthropic key', 'key: sk-ant-api03-AAAAAAAAAAAAAAAAAAAA'],
    ['AWS access key id', 'aws_access_key_id = AKIAIOSFODNN7EXAMPLE'],
    ['GitHub token', 'token ghp_0123456789abcdefghijABCDEFGHIJ012345'],
    ['GitHub fine-grained token', 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789'],
    ['GitLab token', 'glpat-abcdefghij0123456789'],
    ['Slack token', 'xoxb-1234567890-abcdefghij'],
    ['Google API key', 'AIzaSyA-abcdefghijklmnopqrstuvwxyz01234'],
    ['Hugging Face token', 'HF=hf_abcdefghijklmnopqrstuvwxyz0123456789'],
    ['Stripe key', 'sk_live_abcdefghijklmnop1234'],
    [
      'JWT',
      'Authorization: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
    ],
    ['bearer header', 'curl -H "Authorization: Bearer abc.def-ghi_jkl"'],
    ['basic auth header', 'Authorization: Basic dXNlcjpwYXNzd29yZDEyMw=='],
    ['URL with password', 'url = https://user:hunter22@example.com/repo.git'],
    ['URL with a token as user', '\turl = https://x9Fq2LmZ7pR4tY8wK3nB@github.com/o/r.git'],
    ['dotenv assignment', 'DATABASE_PASSWORD=s3cr3tP4ss'],
    ['exported token', 'export GITHUB_TOKEN=abc123def456ghi789'],
    ['YAML password', '  password: hunter22'],
    ['JSON client secret', '{"client_secret": "GOCSPX-a1b2c3d4e5f6g7h8"}'],
    ['quoted api key in code', 'apiKey = "a8f3e2d1c0b9a8f7e6d5"'],
    ['AWS secret access key', 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCY'],
    ['camelCase secret key', 'secretKey: "k3y-9f8e7d6c5b4a"'],
    ['a bare KEY', 'KEY=9f8e7d6c5b4a3f2e'],
  ];
  for (const [name, line] of hits) {
    it(`finds ${name}`, () => {
      const text = `first line\n${line}\nlast line`;
      assert.deepEqual(
        findSecretLines(text).map((l) => l.line),
        [2],
        JSON.stringify(findSecretLines(text)),
      );
      assert.equal(stripSecretLines(text), 'first line\n\nlast line');
      assert.notEqual(redactSecrets(line), line, 'redacted too');
      assert.match(redactSecrets(line), /\[redacted\]/);
    });
  }
  const misses = [
    'const token = getToken();',
    'password: ${{ secrets.DB_PASSWORD }}',
    'API_KEY=your-api-key-here',
    'token = process.env.TOKEN',
    'SECRET=changeme123',
    'https://github.com/owner/repo.git',
    'git@github.com:owner/repo.git',
    'Rate limit exceeded: free-models-per-day',
    'author = "Jane Doe"',
    'passwordHash = hash(input)',
    'See the basic introduction to tokens',
    'const sk = "sk-short"',
    'ssh://git@example.com/repo',
    'mailto:someone@example.com',
    'const tokenizer = createTokenizer2("cl100k");',
    'const maxTokens = 4096;',
    'max_tokens: gpt4o',
    'keyboard = layout2qwerty',
    'const monkey = banana42x',
  ];
  for (const line of misses) {
    it(`leaves ${JSON.stringify(line)} alone`, () => {
      assert.deepEqual(findSecretLines(line), []);
      assert.equal(redactSecrets(line), line);
    });
  }
  it('marks every line of a private key block, terminated or cut off', () => {
    const pem =
      'a\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\nAAAABG5vbmUAAAAEbm9uZQ==\n-----END OPENSSH PRIVATE KEY-----\nz';
    assert.deepEqual(
      findSecretLines(pem).map((l) => l.line),
      [2, 3, 4, 5],
    );
    assert.equal(redactSecrets(pem), 'a\n[redacted]\nz');
    assert.equal(
      redactSecrets('-----BEGIN RSA PRIVATE KEY-----\nMIIEow'),
      '[redacted]',
      'a truncated read loses the rest',
    );
    assert.deepEqual(
      findSecretLines('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----'),
      [],
      'certificates are public',
    );
  });
  it('keeps CRLF line ends when stripping', () => {
    assert.equal(stripSecretLines(`a\r\nTOKEN=${OR_KEY}\r\nb`), 'a\r\n\r\nb');
  });
});

describe('redactSecrets', () => {
  it('keeps what surrounds a secret readable', () => {
    assert.equal(
      redactSecrets('url = https://user:hunter22@example.com/r.git'),
      'url = https://user:[redacted]@example.com/r.git',
    );
    assert.equal(redactSecrets('DB_PASSWORD=s3cr3tP4ss # prod'), 'DB_PASSWORD=[redacted] # prod');
    assert.equal(redactSecrets('Authorization: Bearer abc.def-ghi_jkl'), 'Authorization: Bearer [redacted]');
    assert.equal(redactSecrets(`key ${OR_KEY}.`), 'key [redacted].');
  });
  it('removes known secrets verbatim whatever their shape, and their simple transformations', () => {
    const key = 'hunter2hunter2!';
    assert.equal(redactSecrets('my key is hunter2hunter2!', [key]), 'my key is [redacted]');
    for (const form of [
      [...key].reverse().join(''),
      Buffer.from(key).toString('base64'),
      Buffer.from(key).toString('hex'),
      Buffer.from(key).toString('base64url'),
    ]) {
      assert.doesNotMatch(
        redactSecrets(`out: ${form}`, [key]),
        new RegExp(form.slice(0, 8).replace(/[+/]/g, '.')),
        form,
      );
    }
    assert.equal(redactSecrets('short abc', ['abc']), 'short abc', 'too short to be a key: left alone');
  });
  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        const once = redactSecrets(`${s} ${OR_KEY} TOKEN=a1b2c3d4e5 ${s}`);
        assert.equal(redactSecrets(once), once);
        assert.doesNotMatch(once, /0123456789abcdef/);
      }),
    );
  });
  // No timing target here (that is bench/'s job): the test's timeout only stops a run that hangs.
  it('handles long hostile inputs without catastrophic backtracking', { timeout: 60_000 }, () => {
    const plain = [
      'a'.repeat(200_000),
      `${'a_'.repeat(50_000)}=`,
      `https://${'a'.repeat(100_000)}`,
      'Bearer '.repeat(20_000),
      `x=${'=a'.repeat(50_000)}`,
    ];
    for (const input of plain) {
      assert.equal(redactSecrets(input), input, `${input.slice(0, 20)}…`);
      assert.deepEqual(findSecretLines(input), []);
    }
    assert.equal(redactSecrets(`-----BEGIN RSA PRIVATE KEY-----${'A'.repeat(100_000)}`), '[redacted]');
  });
});

describe('maskKey', () => {
  it('shows only a recognisable head and tail', () => {
    assert.equal(maskKey('sk-or-v1-abcdef0123456789xyz'), 'sk-or-v1-abc…xyz');
    assert.equal(maskKey('short'), '…');
  });
});
