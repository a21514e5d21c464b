/** Patterns that look like secrets: OpenRouter keys, generic `sk-` keys, bearer tokens. */
const SECRET_PATTERNS: readonly RegExp[] = [/sk-or-[A-Za-z0-9_-]{6,}/g, /\bsk-[A-Za-z0-9_-]{16,}/g, /(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi];

/**
 * Removes anything that looks like an API key from text bound for logs, error messages or the
 * webview. Known keys are removed verbatim too, whatever their shape.
 */
export function redactSecrets(text: string, knownSecrets: readonly string[] = []): string {
  let out = text;
  for (const secret of knownSecrets) {
    if (secret.length >= 8) out = out.split(secret).join('[redacted]');
  }
  for (const pattern of SECRET_PATTERNS) {
    out = out.replace(pattern, (_match, prefix: unknown) => (typeof prefix === 'string' ? `${prefix}[redacted]` : '[redacted]'));
  }
  return out;
}

/** `sk-or-v1-abc…xyz`: enough to recognise a key, never enough to use it. */
export function maskKey(key: string): string {
  const trimmed = key.trim();
  if (trimmed.length <= 16) return '…';
  const head = trimmed.startsWith('sk-or-v1-') ? trimmed.slice(0, 12) : trimmed.slice(0, 4);
  return `${head}…${trimmed.slice(-3)}`;
}
