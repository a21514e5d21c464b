/**
 * OAuth PKCE as OpenRouter runs it (contract §7): the consent page `GET /auth` at the site
 * origin, a code minted on "Authorize" and sent back to `callback_url`, and
 * `POST /api/v1/auth/keys` exchanging code + verifier for a permanent key.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { sendError } from './errors';
import { asRecord, sendJson } from './http';

interface PendingCode {
  readonly challenge: string;
  readonly method: string;
  readonly expiresAt: number;
}

/** Codes starting with this are always "expired" (no need to wait ten minutes). */
export const EXPIRED_CODE_PREFIX = 'expired';

/** Ten minutes, like OpenRouter. */
export const DEFAULT_CODE_TTL_MS = 10 * 60 * 1000;

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** `callback_url` with `code=` added to its query (keeping any query and fragment it has). */
export function withCode(callback: string, code: string): string {
  const hash = callback.indexOf('#');
  const base = hash >= 0 ? callback.slice(0, hash) : callback;
  const fragment = hash >= 0 ? callback.slice(hash) : '';
  const sep = base.includes('?') ? (base.endsWith('?') || base.endsWith('&') ? '' : '&') : '?';
  return `${base}${sep}code=${encodeURIComponent(code)}${fragment}`;
}

/** The consent page, the codes it mints, and the exchange. */
export class OAuthServer {
  private readonly codes = new Map<string, PendingCode>();
  /** Keys minted by successful exchanges, in order. */
  readonly issued: string[] = [];

  constructor(private readonly ttlMs = DEFAULT_CODE_TTL_MS) {}

  /**
   * `GET /auth?callback_url&code_challenge&code_challenge_method`: the consent page. Its form
   * posts to a relative `auth/authorize`, so it also works when code-server serves the page
   * through its port proxy (`/proxy/<port>/auth`, which is how code-server opens loopback URLs).
   */
  page(res: ServerResponse, query: URLSearchParams): void {
    const callback = query.get('callback_url') ?? '';
    if (!callback) return sendError(res, 400, 'callback_url is required', { error_type: 'invalid_request' });
    const hidden = (name: string, value: string | null): string =>
      value === null ? '' : `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
    const html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Fake OpenRouter — Authorize</title></head>
<body>
<h1>Authorize application</h1>
<p>An application wants to create an API key for your (fake) OpenRouter account.</p>
<p>It will be sent back to <code id="callback">${escapeHtml(callback)}</code>.</p>
<form id="consent" method="POST" action="auth/authorize">
${hidden('callback_url', callback)}${hidden('code_challenge', query.get('code_challenge'))}${hidden('code_challenge_method', query.get('code_challenge_method'))}
<button id="authorize" type="submit">Authorize</button>
</form>
<p><a id="cancel" href="${escapeHtml(callback)}">Cancel</a></p>
</body></html>`;
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(html);
  }

  /** "Authorize" (`GET` or `POST /auth/authorize`): mints a code and redirects (302) to the callback. */
  authorize(res: ServerResponse, form: Readonly<Record<string, unknown>>): void {
    const field = (name: string): string => (typeof form[name] === 'string' ? form[name] : '');
    const callback = field('callback_url');
    if (!callback) return sendError(res, 400, 'callback_url is required', { error_type: 'invalid_request' });
    const code = this.mint(field('code_challenge'), { method: field('code_challenge_method') || 'S256' });
    res.writeHead(302, { Location: withCode(callback, code) }).end();
  }

  /** Mints a code for a challenge without the page (tests); `ttlMs` ≤ 0 gives an expired code. */
  mint(challenge: string, options: { readonly method?: string; readonly ttlMs?: number } = {}): string {
    const code = `code-${randomBytes(16).toString('hex')}`;
    this.codes.set(code, {
      challenge,
      method: options.method ?? 'S256',
      expiresAt: Date.now() + (options.ttlMs ?? this.ttlMs),
    });
    return code;
  }

  /** `POST /api/v1/auth/keys` `{code, code_verifier, code_challenge_method}`. Codes are single use. */
  exchange(res: ServerResponse, body: unknown): void {
    const b = asRecord(body);
    const method = typeof b.code_challenge_method === 'string' ? b.code_challenge_method : 'S256';
    if (method !== 'S256')
      return sendError(res, 400, 'Invalid code_challenge_method', { error_type: 'invalid_request' });
    const code = typeof b.code === 'string' ? b.code : '';
    const verifier = typeof b.code_verifier === 'string' ? b.code_verifier : '';
    if (code.startsWith(EXPIRED_CODE_PREFIX)) return sendError(res, 403, 'Authorization code expired');
    const pending = this.codes.get(code);
    if (!pending) return sendError(res, 403, 'Invalid code or code_verifier');
    this.codes.delete(code); // single use, whatever the outcome
    if (Date.now() >= pending.expiresAt) return sendError(res, 403, 'Authorization code expired');
    if (pending.method !== 'S256')
      return sendError(res, 400, 'Invalid code_challenge_method', { error_type: 'invalid_request' });
    const expected = createHash('sha256').update(verifier).digest('base64url');
    if (pending.challenge && expected !== pending.challenge)
      return sendError(res, 403, 'Invalid code or code_verifier');
    const key = `sk-or-v1-${randomBytes(32).toString('hex')}`;
    this.issued.push(key);
    sendJson(res, 200, { key, user_id: 'user_fake' });
  }

  /** Forgets pending codes (issued keys stay valid: keys are permanent). */
  reset(): void {
    this.codes.clear();
  }
}
