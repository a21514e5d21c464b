/**
 * The one secret policy: which files usually hold credentials (name rules), which lines and tokens
 * look like credentials (content rules), and the redaction of every known key and token-shaped
 * string. Used by `@file`, the automatic chip, completions, agent reads, tool results, cards,
 * stored transcripts, error text and the log.
 *
 * Pure and total. It lives in the lowest layer that every other one may import (openrouter/), so
 * the wire's own error text is redacted with the same rules as a tool result. Every regular
 * expression here is linear: character classes with bounded or possessive-like quantifiers, no
 * nested repetition, so untrusted text of any length cannot make them backtrack catastrophically.
 */
import { newIgnore, type Ignore } from './ignorePackage';
import { knownSecretSpans, replaceSpans } from './knownSecrets';

/**
 * Names of files that usually hold secrets, as .gitignore patterns (the `ignore` package, Git's own
 * rules): a pattern without `/` matches a file or folder name at any depth. Matched
 * case-insensitively (macOS and Windows file systems are). Templates (`.env.example` …) are not.
 */
export const SECRET_GLOBS: readonly string[] = [
  // Shell environment files (dotenv, direnv) and dotfiles that export tokens.
  '.env',
  '.env.*',
  '.env-*',
  '.env_*',
  '*.env',
  '.envrc',
  '.direnv',
  '.secrets',
  '.bash_history',
  '.zsh_history',
  '*_history',
  '!.env.example',
  '!.env.sample',
  '!.env.template',
  '!.env.dist',
  '!.env-example',
  '!.env_example',
  '!.env-sample',
  '!*.env.example',
  '!*.env.sample',
  // Infrastructure variables and state (Terraform, Pulumi, Ansible vault).
  '*.tfvars',
  '*.tfvars.json',
  '*.tfstate',
  '*.tfstate.backup',
  '.terraformrc',
  'terraform.rc',
  'credentials.tfrc.json',
  'Pulumi.*.yaml',
  'vault.yml',
  'vault.yaml',
  // Keys, certificates with keys, key stores, password databases.
  '*.pem',
  '*.key',
  '*.p12',
  '*.pfx',
  '*.jks',
  '*.keystore',
  '*.kdbx',
  '*.ppk',
  '*.asc',
  '*.gpg',
  'id_rsa*',
  'id_dsa*',
  'id_ecdsa*',
  'id_ed25519*',
  '.ssh',
  '.gnupg',
  // Credential files of cloud providers and package managers.
  'credentials',
  'credentials.json',
  'credentials.yml',
  'credentials.yaml',
  'credentials.toml',
  '.credentials',
  '.aws',
  '.azure',
  'gcloud',
  'application_default_credentials.json',
  '.netrc',
  '_netrc',
  '.npmrc',
  '.yarnrc.yml',
  '.pypirc',
  '.pgpass',
  '.my.cnf',
  '.git-credentials',
  '.gitconfig',
  '.dockercfg',
  '**/.docker/config.json',
  '.vault-token',
  '.boto',
  '.s3cfg',
  '**/.cargo/credentials',
  '**/.cargo/credentials.toml',
  '**/.gem/credentials',
  // A repository's own Git settings: remote URLs carry tokens, `[credential]` and `[http]` headers too.
  '**/.git/config',
  '**/.git/config.worktree',
  '**/.git/modules/**/config',
  '**/.git/worktrees/*/config',
  '**/.git/worktrees/*/config.worktree',
  'settings-security.xml',
  'auth.json',
  'hosts.yml',
  // Service accounts, OAuth client secrets, cluster access, web-server passwords.
  '*service-account*.json',
  '*service_account*.json',
  'client_secret*.json',
  'kubeconfig',
  'kubeconfig.*',
  '*.kubeconfig',
  '*-kubeconfig',
  '.kube',
  '.htpasswd',
  '*.htpasswd',
  'secrets.*',
  '*.secret',
  '*.secrets',
];

const matcherCache = new Map<string, Ignore>();

/** One `ignore` matcher per pattern list (gitignore semantics, case-insensitive). */
function matcher(globs: readonly string[]): Ignore {
  const key = globs.join('\n');
  let m = matcherCache.get(key);
  if (!m) {
    m = newIgnore({ ignorecase: true }).add([...globs]);
    if (matcherCache.size > 16) matcherCache.clear();
    matcherCache.set(key, m);
  }
  return m;
}

/**
 * True when a workspace-relative path (either separator) names a file that usually holds secrets
 * ({@link SECRET_GLOBS}) or matches one of `extraGlobs` (the `switchyard.context.exclude` setting,
 * read like .gitignore lines: a pattern without `/` matches a file or folder name in any folder,
 * one with `/` the path from the workspace folder; `**` spans folders).
 */
export function isSecretPath(relativePath: string, extraGlobs: readonly string[] = []): boolean {
  const normal = relativePath
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .replace(/^\/+/, '');
  if (!normal || normal.split('/').includes('..')) return false;
  const extra = extraGlobs.filter((g) => typeof g === 'string' && g.trim()).map((g) => g.trim());
  try {
    return matcher(extra.length ? [...SECRET_GLOBS, ...extra] : SECRET_GLOBS).ignores(normal);
  } catch {
    // `ignore` refuses paths it cannot place (e.g. a bare "."): not a secret name.
    return false;
  }
}

/** Provider key shapes: whole tokens that are credentials wherever they appear. */
const TOKEN_SHAPES: readonly RegExp[] = [
  /\bsk-or-[A-Za-z0-9_-]{6,}/g, // OpenRouter
  /\bsk-(?:ant-|proj-|svcacct-|admin-)?[A-Za-z0-9_-]{16,}/g, // OpenAI, Anthropic and other `sk-` keys
  /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[0-9A-Z]{16}\b/g, // AWS access key ids
  /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}/g, // GitHub tokens
  /\bgithub_pat_[A-Za-z0-9_]{30,}/g,
  /\bglpat-[A-Za-z0-9_-]{20,}/g, // GitLab
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/g, // Slack
  /\bAIza[0-9A-Za-z_-]{35}/g, // Google API keys
  /\bya29\.[0-9A-Za-z_-]{20,}/g, // Google OAuth access tokens
  /\bhf_[A-Za-z0-9]{30,}/g, // Hugging Face
  /\bnpm_[A-Za-z0-9]{36}/g, // npm
  /\bpypi-[A-Za-z0-9_-]{50,}/g, // PyPI
  /\b[rsp]k_(?:live|test)_[A-Za-z0-9]{16,}/g, // Stripe
  /\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/g, // SendGrid
  /\b(?:gsk|xai|dop_v1|shpat|shpss|glc)_[A-Za-z0-9_]{24,}/g, // Groq, xAI, DigitalOcean, Shopify, Grafana
  /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, // JWT
];

/** A private key block, or its unterminated head (a truncated read). */
const PEM_BLOCK =
  /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----|$)/g;
/** `Authorization: Bearer …` / `Basic …`: the scheme stays, the credential goes. */
const AUTH_HEADER = /(\b(?:Bearer|Basic|Token)\s+)([A-Za-z0-9._~+/=-]{8,})/gi;
/** `scheme://user:password@host` or `scheme://token@host`. */
const URL_USERINFO = /(\b[a-z][a-z0-9+.-]{1,20}:\/\/)([^\s/@:'"<>]{1,200})(?::([^\s/@'"<>]{0,300}))?@/gi;
/** `NAME = value`, `name: "value"`, `"name": "value"`, `export NAME=value`: decided by {@link secretAssignment}. */
const ASSIGNMENT = /([A-Za-z_][A-Za-z0-9_.-]{0,80})(["']?\s{0,8}[:=]\s{0,8}["'`]?)([^\s"'`,;()[\]{}<>]{6,400})/g;
/** Last words of names whose values are credentials (`DB_PASSWORD`, `githubToken`, `client_secret`). */
const SECRET_LAST_WORDS = new Set([
  'password',
  'passwd',
  'pwd',
  'pass',
  'passphrase',
  'secret',
  'secrets',
  'token',
  'credential',
  'credentials',
  'pat',
  'apikey',
]);
/** Words before `key` that make it a credential (`api_key`, `secretKey`, `aws_secret_access_key`); `key` alone is one too. */
const KEY_QUALIFIERS = new Set([
  'api',
  'access',
  'secret',
  'private',
  'auth',
  'signing',
  'session',
  'encryption',
  'master',
  'client',
  'account',
  'service',
]);
/** Values that are references or placeholders, not secrets. */
const PLACEHOLDER =
  /^(?:\$|%|\{\{|process\.env|os\.environ|env\.|none$|null$|undefined$|true$|false$|changeme|example|placeholder|your|xxx|\*{3}|\.\.\.|<|\[redacted\])/i;

/** What a redacted credential is replaced by. */
export const REDACTED = '[redacted]';

/** Shannon entropy in bits per character. */
function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const c of value) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / value.length) * Math.log2(n / value.length);
  return bits;
}

/** A value that looks generated rather than written: long enough, letters and digits, varied. */
function looksGenerated(value: string, minLength = 8): boolean {
  if (value.length < minLength || PLACEHOLDER.test(value)) return false;
  if (!/[A-Za-z]/.test(value) || !/[0-9]/.test(value)) return false;
  return entropy(value) >= 2.5;
}

/** True when a variable or field name names a credential by its last word (`tokenizer` and `maxTokens` do not). */
function secretName(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  const last = words.at(-1);
  if (last === undefined) return false;
  if (SECRET_LAST_WORDS.has(last)) return true;
  const before = words.at(-2);
  return (last === 'key' || last === 'keys') && (before === undefined || KEY_QUALIFIERS.has(before));
}

/** True when `name = value` assigns a credential: a credential name and a generated-looking value. */
function secretAssignment(name: string, value: string): boolean {
  return secretName(name) && looksGenerated(value, 6);
}

/** Each known secret with the simple transformations a script might print it in. */
function knownForms(secret: string): string[] {
  const forms = [secret, [...secret].reverse().join('')];
  const base64 = Buffer.from(secret, 'utf8').toString('base64').replace(/=+$/, '');
  forms.push(base64, base64.replace(/\+/g, '-').replace(/\//g, '_'), Buffer.from(secret, 'utf8').toString('hex'));
  return forms;
}

/**
 * Removes credentials from text bound for the model, a card, a stored transcript, the log or an
 * error message: every `knownSecrets` entry (the user's stored keys, the environment's key) as
 * written, reversed, base64- or hex-encoded, and its pieces and disguises (knownSecrets.ts); provider key shapes; JWTs; private key blocks;
 * `Authorization` credentials; passwords and tokens in URLs; credential assignments with generated
 * values. What stays around a secret (the variable name, the URL's host) stays readable.
 */
export function redactSecrets(text: string, knownSecrets: readonly string[] = []): string {
  let out = text;
  for (const secret of knownSecrets) {
    if (typeof secret !== 'string' || secret.trim().length < 8) continue;
    for (const form of knownForms(secret.trim())) if (form.length >= 8) out = out.split(form).join(REDACTED);
  }
  out = replaceSpans(out, knownSecretSpans(out, knownSecrets), REDACTED);
  out = out.replace(PEM_BLOCK, REDACTED);
  for (const shape of TOKEN_SHAPES) out = out.replace(shape, REDACTED);
  out = out.replace(AUTH_HEADER, (whole, scheme: string, credential: string) =>
    credential === REDACTED || !looksCredential(scheme, credential) ? whole : `${scheme}${REDACTED}`,
  );
  out = out.replace(URL_USERINFO, (whole, scheme: string, user: string, password: string | undefined) => {
    if (password !== undefined) return password ? `${scheme}${user}:${REDACTED}@` : whole;
    return looksGenerated(user, 16) || user === REDACTED ? `${scheme}${REDACTED}@` : whole;
  });
  return out.replace(ASSIGNMENT, (whole, name: string, op: string, value: string) =>
    secretAssignment(name, value) ? `${name}${op}${REDACTED}` : whole,
  );
}

/** `Bearer x` always carries a credential; `Basic`/`Token` only when the word after looks generated. */
function looksCredential(scheme: string, credential: string): boolean {
  return /^bearer/i.test(scheme) ? true : looksGenerated(credential, 12);
}

/** A line that holds a credential, and which rule saw it. */
export type SecretLine = {
  readonly line: number;
  readonly rule: 'known' | 'token' | 'privateKey' | 'header' | 'url' | 'assignment';
};

/**
 * The lines (1-based) of `text` that hold a credential by the content rules of
 * {@link redactSecrets} (known keys included), each once, in order.
 */
export function findSecretLines(text: string, knownSecrets: readonly string[] = []): SecretLine[] {
  const found = new Map<number, SecretLine['rule']>();
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const lineOf = (offset: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((lineStarts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const mark = (from: number, to: number, rule: SecretLine['rule']): void => {
    for (let l = lineOf(from); l <= lineOf(Math.max(from, to - 1)); l++) if (!found.has(l)) found.set(l, rule);
  };
  for (const secret of knownSecrets) {
    if (typeof secret !== 'string' || secret.trim().length < 8) continue;
    for (const form of knownForms(secret.trim()))
      for (let i = text.indexOf(form); form.length >= 8 && i >= 0; i = text.indexOf(form, i + 1))
        mark(i, i + form.length, 'known');
  }
  for (const [from, to] of knownSecretSpans(text, knownSecrets)) mark(from, to, 'known');
  for (const m of text.matchAll(PEM_BLOCK)) mark(m.index, m.index + m[0].length, 'privateKey');
  for (const shape of TOKEN_SHAPES) for (const m of text.matchAll(shape)) mark(m.index, m.index + m[0].length, 'token');
  for (const m of text.matchAll(AUTH_HEADER))
    if (looksCredential(m[1] as string, m[2] as string)) mark(m.index, m.index + m[0].length, 'header');
  for (const m of text.matchAll(URL_USERINFO))
    if (m[3] || looksGenerated(m[2] as string, 16)) mark(m.index, m.index + m[0].length, 'url');
  for (const m of text.matchAll(ASSIGNMENT))
    if (secretAssignment(m[1] as string, m[3] as string)) mark(m.index, m.index + m[0].length, 'assignment');
  return [...found].sort((a, b) => a[0] - b[0]).map(([line, rule]) => ({ line, rule }));
}

/**
 * `text` with every line {@link findSecretLines} reports emptied (the line break stays, so line
 * numbers and the lines around keep their places) — for prompts built from files nobody reviewed.
 */
export function stripSecretLines(text: string, knownSecrets: readonly string[] = []): string {
  const lines = findSecretLines(text, knownSecrets);
  if (!lines.length) return text;
  const drop = new Set(lines.map((l) => l.line));
  return text
    .split('\n')
    .map((line, i) => (drop.has(i + 1) ? (line.endsWith('\r') ? '\r' : '') : line))
    .join('\n');
}

/** `sk-or-v1-abc…xyz`: enough to recognise a key, never enough to use it. */
export function maskKey(key: string): string {
  const trimmed = key.trim();
  if (trimmed.length <= 16) return '…';
  const head = trimmed.startsWith('sk-or-v1-') ? trimmed.slice(0, 12) : trimmed.slice(0, 4);
  return `${head}…${trimmed.slice(-3)}`;
}

/**
 * `value` with every string in it (array items and object values, recursively) passed through
 * {@link redactSecrets} — for a transcript or a card on its way to storage. Other values stay.
 */
export function redactStrings<T>(value: T, knownSecrets: readonly string[] = []): T {
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return redactSecrets(v, knownSecrets);
    if (depth > 32 || v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map((item) => walk(item, depth + 1));
    return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, walk(item, depth + 1)]));
  };
  return walk(value, 0) as T;
}
