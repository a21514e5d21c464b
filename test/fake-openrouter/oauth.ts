/**
 * OAuth PKCE as OpenRouter runs it: the `/auth` page (at the site origin), a code minted on
 * "Authorize" and sent back to `callback_url`, and `POST /api/v1/auth/keys` exchanging it.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { sendError, sendJson } from './http';

interface PendingCode {
  readonly challenge: string;
  readonly method: string;
  readonly expiresAt: number;
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export class OAuthServer {
  private readonly codes = new Map<string, PendingCode>();
  /** Keys minted by exchanges. */
  readonly issued: string[] = [];

  constructor(private readonly ttlMs = 10 * 60 * 1000) {}

  /** `GET /auth?callback_url&code_challenge&code_challenge_method`: the consent page. */
  page(res: ServerResponse, query: URLSearchParams): void {
    const callback = query.get('callback_url') ?? '';
    const challenge = query.get('code_challenge') ?? '';
    const method = query.get('code_challenge_method') ?? 'plain';
    if (!callback) {
      res.writeHead(400, { 'Content-Type': 'text/plain' }).end('callback_url is required');
      return;
    }
    const hidden = (name: string, value: string): string => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
    const html = `<!DOCTYPE html><html><head><title>Fake OpenRouter — Authorize</title></head><body>
<h1>Authorize Switchyard</h1><p>Switchyard wants to create an API key for your (fake) OpenRouter account.</p>
<form method="POST" action="/auth/authorize">${hidden('callback_url', callback)}${hidden('code_challenge', challenge)}${hidden('code_challenge_method', method)}
<button id="authorize" type="submit">Authorize</button></form>
<p><a id="cancel" href="${escapeHtml(callback)}">Cancel</a></p></body></html>`;
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(html);
  }

  /** The consent form's POST: mint a code and redirect to the callback with `code=` added. */
  authorize(res: ServerResponse, form: URLSearchParams): void {
    const callback = form.get('callback_url') ?? '';
    const code = this.mint(form.get('code_challenge') ?? '', form.get('code_challenge_method') ?? 'plain');
    let target: string;
    try {
      const url = new URL(callback);
      url.searchParams.append('code', code);
      target = url.toString();
    } catch {
      target = `${callback}${callback.includes('?') ? '&' : '?'}code=${encodeURIComponent(code)}`;
    }
    res.writeHead(302, { Location: target }).end();
  }

  /** Mints a code for a challenge (tests may call it directly). */
  mint(challenge: string, method = 'S256', ttlMs = this.ttlMs): string {
    const code = randomBytes(16).toString('hex');
    this.codes.set(code, { challenge, method, expiresAt: Date.now() + ttlMs });
    return code;
  }

  /** `POST /api/v1/auth/keys` `{code, code_verifier, code_challenge_method}`. */
  exchange(res: ServerResponse, body: unknown): void {
    const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const method = typeof b.code_challenge_method === 'string' ? b.code_challenge_method : 'plain';
    if (method !== 'S256' && method !== 'plain') return sendError(res, 400, 'Invalid code_challenge_method');
    const code = typeof b.code === 'string' ? b.code : '';
    const verifier = typeof b.code_verifier === 'string' ? b.code_verifier : '';
    if (code.startsWith('expired')) return sendError(res, 403, 'Authorization code expired');
    const pending = this.codes.get(code);
    if (!pending) return sendError(res, 403, 'Invalid code or code_verifier');
    this.codes.delete(code); // single use
    if (Date.now() > pending.expiresAt) return sendError(res, 403, 'Authorization code expired');
    if (pending.method !== method) return sendError(res, 400, 'Invalid code_challenge_method');
    const expected = method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
    if (expected !== pending.challenge) return sendError(res, 403, 'Invalid code or code_verifier');
    const key = `sk-or-v1-oauth-${randomBytes(24).toString('hex')}`;
    this.issued.push(key);
    sendJson(res, 200, { key, user_id: 'user_fake' });
  }

  reset(): void {
    this.codes.clear();
  }
}
