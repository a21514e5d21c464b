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
import { knownSecretSpans, replaceSpans } from './knownSecrets';
import { entropy, keyBodyLines, TOKEN_SHAPES } from './tokenShapes';

export { isSecretPath, SECRET_GLOBS } from './secretPaths';

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
  'auth',
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

/** A value that looks generated rather than written: long enough, letters and digits, varied. */
function looksGenerated(value: string, minLength = 8): boolean {
  if (value.length < minLength || PLACEHOLDER.test(value)) return false;
  if (!/[A-Za-z]/.test(value) || !/[0-9]/.test(value)) return false;
  return entropy(value) >= 2.5;
}

/** A name's words, lower case (`DB_PASSWORD`, `dbPassword` and `db-password` are `db`, `password`). */
const nameWords = (name: string): string[] =>
  name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);

/** True when a variable or field name names a credential by its last word (`tokenizer` and `maxTokens` do not). */
function secretName(name: string): boolean {
  const words = nameWords(name);
  const last = words.at(-1);
  if (last === undefined) return false;
  if (SECRET_LAST_WORDS.has(last)) return true;
  const before = words.at(-2);
  return (last === 'key' || last === 'keys') && (before === undefined || KEY_QUALIFIERS.has(before));
}

/** Last words of names whose written value is a password, however plain (`"correcthorsebattery"`). */
const PASSWORD_WORDS = new Set(['password', 'passwd', 'pwd', 'passphrase']);

/**
 * A password written as a value: the name's last word is a password word and the value is a
 * literal — quoted (`password = "…"`, `passwd: '…'`) or set the environment's way, an upper-case
 * name and `=` or `: ` (`DB_PASSWORD=…`, `POSTGRES_PASSWORD: …`) — not a reference or placeholder.
 */
function passwordLiteral(name: string, op: string, value: string): boolean {
  if (!PASSWORD_WORDS.has(nameWords(name).at(-1) ?? '') || PLACEHOLDER.test(value)) return false;
  return /["'`]$/.test(op) || (/^[A-Z][A-Z0-9_]*$/.test(name) && /^(?:=|: ?)$/.test(op));
}

/** True when `name = value` assigns a credential: a credential name and a generated-looking value, or a password literal. */
function secretAssignment(name: string, op: string, value: string): boolean {
  return secretName(name) && (looksGenerated(value, 6) || passwordLiteral(name, op, value));
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
    secretAssignment(name, op, value) ? `${name}${op}${REDACTED}` : whole,
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
  for (const line of keyBodyLines(text)) if (!found.has(line)) found.set(line, 'privateKey');
  for (const shape of TOKEN_SHAPES) for (const m of text.matchAll(shape)) mark(m.index, m.index + m[0].length, 'token');
  for (const m of text.matchAll(AUTH_HEADER))
    if (looksCredential(m[1] as string, m[2] as string)) mark(m.index, m.index + m[0].length, 'header');
  for (const m of text.matchAll(URL_USERINFO))
    if (m[3] || looksGenerated(m[2] as string, 16)) mark(m.index, m.index + m[0].length, 'url');
  for (const m of text.matchAll(ASSIGNMENT))
    if (secretAssignment(m[1] as string, m[2] as string, m[3] as string))
      mark(m.index, m.index + m[0].length, 'assignment');
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
