/**
 * The secret rules on the completions path: which files' text is never sent (the one secret
 * policy's names plus `switchyard.completions.exclude`), and which lines are never sent whatever
 * the file (the prompt built from prefix, suffix and recent-edit snippets).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildFimPrompt } from '../../src/completions/prompt';
import { findSecretLines, isSecretPath } from '../../src/openrouter/secrets';

const SECRET_FILES = [
  '.env',
  '.env.local',
  'app/.env.production',
  '.envrc',
  'deploy/prod.tfvars',
  'infra/terraform.tfstate',
  'Pulumi.prod.yaml',
  'vault.yml',
  'certs/server.pem',
  'tls.key',
  'keystore.jks',
  'store.p12',
  '.ssh/id_ed25519',
  'home/u/.ssh/config',
  '.aws/credentials',
  'credentials.json',
  '.npmrc',
  '.pypirc',
  '.netrc',
  '.git-credentials',
  '.docker/config.json',
  'kubeconfig',
  'gcp-service-account.json',
  'client_secret_123.json',
  'secrets.yaml',
  'config/app.secret',
  '.bash_history',
  'C:\\w\\.ENV.production',
];
const ORDINARY_FILES = [
  'src/env.ts',
  '.env.example',
  'src/keys.ts',
  'README.md',
  'src/credentialsForm.tsx',
  'terraform/main.tf',
  'docs/secrets-howto.md',
];

describe('completions: secret-looking and excluded files', () => {
  for (const path of SECRET_FILES) it(`never sends ${path}`, () => assert.equal(isSecretPath(path, []), true));
  for (const path of ORDINARY_FILES) it(`may send ${path}`, () => assert.equal(isSecretPath(path, []), false));
  it('switchyard.completions.exclude adds globs', () => {
    const exclude = ['config/prod/**', '*.local.json'];
    assert.equal(isSecretPath('config/prod/db.yaml', exclude), true);
    assert.equal(isSecretPath('web/settings.local.json', exclude), true);
    assert.equal(isSecretPath('config/dev/db.yaml', exclude), false);
  });
});

/** Lines that hold a credential, whatever file they are in (values are fake). */
const SECRET_LINES = [
  'const apiKey = "sk-or-v1-0123456789abcdef0123456789abcdef0123456789abcdef";',
  'export OPENAI_API_KEY=sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789',
  'AWS_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"',
  'token: ghp_0123456789abcdefghijABCDEFGHIJ012345',
  "headers['Authorization'] = 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';",
  'const db = "postgres://admin:hunter2secret@db.example.com:5432/app";',
  '-----BEGIN OPENSSH PRIVATE KEY-----\n  b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n  -----END OPENSSH PRIVATE KEY-----',
];

describe('completions: credential-looking lines are never sent, whatever the file', () => {
  for (const line of SECRET_LINES) {
    it(`${line.slice(0, 40).replace(/\n/g, ' ')}…`, () => {
      assert.ok(findSecretLines(line).length > 0, 'the cursor line check refuses it');
      const code = `function connect() {\n  ${line}\n  return open();\n}\n`;
      const prompt = buildFimPrompt({
        prefix: `// settings\n${code}const x = `,
        suffix: `;\n${code}`,
        languageId: 'typescript',
        path: 'src/settings.ts',
        snippets: [{ path: 'src/other.ts', text: code }],
        multiline: false,
        maxLines: 1,
      });
      const sent = prompt.messages.map((m) => m.content).join('\n');
      for (const part of line.split('\n')) assert.ok(!sent.includes(part.trim()), 'the line is not in the request');
      assert.ok(sent.includes('return open();') && sent.includes('function connect() {'), 'the code around it is');
      assert.match(sent, /const x = <CURSOR>;/);
    });
  }

  it('ordinary code is sent unchanged', () => {
    const prefix =
      'const token = tokens.next();\nconst password = form.password.value;\nconst key = `${user}:${id}`;\nlet n = ';
    const prompt = buildFimPrompt({
      prefix,
      suffix: ';\n',
      languageId: 'typescript',
      path: 'a.ts',
      multiline: false,
      maxLines: 1,
    });
    assert.ok(String(prompt.messages[1]!.content).includes(prefix));
  });
});
