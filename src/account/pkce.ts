/**
 * OAuth PKCE for "Sign in with OpenRouter" (openrouter-contract §7): the verifier, its S256
 * challenge, the consent-page and exchange URLs, and the pending sign-ins a callback may answer.
 *
 * OpenRouter has no `state` parameter of its own: ours rides in the callback URL's query, which
 * OpenRouter keeps when it adds `code=`. A callback is accepted only for a state we issued, once,
 * within ten minutes; anything else is ignored (forged, replayed) or rejected (expired).
 */
import { createHash, randomBytes } from 'node:crypto';

/** How long a started sign-in waits for its callback (OpenRouter's codes live as long). */
export const SIGN_IN_TTL_MS = 10 * 60 * 1000;

/**
 * `state` and `code` of a sign-in callback's query, whichever separator came between them. Our
 * callback URL already has a query (`…/auth?state=S`), and an authorization server that appends
 * its result naively gives `state=S?code=C`, which `URLSearchParams` reads as state `S?code=C`
 * and no code; a `?` may also arrive percent-encoded (`state=S%3Fcode%3DC`). Parameters are split
 * on `&` and `?` (encoded or not); the first occurrence of each name wins; values are decoded.
 * Our states are base64url, so no valid state contains a separator.
 */
export function callbackParams(query: string): { readonly state: string | null; readonly code: string | null } {
  const plain = query.replace(/^[?#]/, '').replace(/%3F/gi, '?').replace(/%26/gi, '&');
  const found = new Map<string, string>();
  for (const part of plain.split(/[?&]/)) {
    const eq = part.search(/=|%3D/i);
    if (eq <= 0) continue;
    const name = decodeSafe(part.slice(0, eq));
    const value = decodeSafe(part.slice(eq + (part[eq] === '=' ? 1 : 3)).replace(/\+/g, ' '));
    if (!found.has(name)) found.set(name, value);
  }
  return { state: found.get('state') ?? null, code: found.get('code') ?? null };
}

function decodeSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A PKCE code verifier: 64 characters of base64url (RFC 7636 allows 43–128 of `[A-Za-z0-9-._~]`). */
export function createVerifier(bytes: Uint8Array = randomBytes(48)): string {
  const verifier = Buffer.from(bytes).toString('base64url');
  if (verifier.length < 43 || verifier.length > 128)
    throw new RangeError(`a PKCE verifier must be 43–128 characters, not ${verifier.length}`);
  return verifier;
}

/** `base64url(SHA-256(verifier))`, unpadded: the `S256` code challenge. */
export function challengeS256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** An unguessable `state` value (128 bits). */
export function createState(bytes: Uint8Array = randomBytes(16)): string {
  return Buffer.from(bytes).toString('base64url');
}

/** The OpenRouter site a base URL belongs to, as a folder URL: `https://openrouter.ai/api/v1` → `https://openrouter.ai/`. */
export function siteRoot(baseUrl: string): string {
  return `${new URL(baseUrl).origin}/`;
}

/**
 * The consent page: `<site>auth?callback_url=…&code_challenge=…&code_challenge_method=S256`
 * (`https://openrouter.ai/api/v1` → `https://openrouter.ai/auth`). `site` defaults to
 * {@link siteRoot}; pass the address the browser reaches it at when that differs (code-server's
 * port proxy: `http://host/proxy/4010/`), and the page keeps that path prefix.
 */
export function authPageUrl(
  baseUrl: string,
  callbackUrl: string,
  challenge: string,
  site: string = siteRoot(baseUrl),
): string {
  const url = new URL('auth', site.endsWith('/') ? site : `${site}/`);
  url.searchParams.set('callback_url', callbackUrl);
  url.searchParams.set('code_challenge', challenge);
  url.searchParams.set('code_challenge_method', 'S256');
  return url.toString();
}

/** One started sign-in. */
export interface PendingSignIn {
  readonly state: string;
  readonly verifier: string;
  readonly challenge: string;
  readonly startedAt: number;
  readonly expiresAt: number;
}

/** What to do with a callback. */
export type CallbackVerdict =
  | { readonly kind: 'accept'; readonly code: string; readonly pending: PendingSignIn }
  /** The user came back without a code (they pressed Cancel on the consent page). */
  | { readonly kind: 'cancelled'; readonly pending: PendingSignIn }
  /** Ours, but older than {@link SIGN_IN_TTL_MS}: the flow is over. */
  | { readonly kind: 'expired'; readonly pending: PendingSignIn }
  /** Not a callback we are waiting for: no state, a state we never issued, or one already used. */
  | { readonly kind: 'ignore'; readonly reason: 'no-state' | 'unknown-state' | 'replayed' };

/**
 * The sign-ins waiting for their callback. Starting a new one replaces the previous (a person
 * who clicks "Sign in" twice wants the second); every state answers at most one callback.
 */
export class SignInFlows {
  private pending: PendingSignIn | undefined;
  private readonly finished = new Set<string>();

  constructor(private readonly ttlMs = SIGN_IN_TTL_MS) {}

  /** Starts a sign-in: fresh verifier, challenge and state. */
  begin(now: number, verifier = createVerifier(), state = createState()): PendingSignIn {
    if (this.pending) this.finished.add(this.pending.state);
    this.pending = { state, verifier, challenge: challengeS256(verifier), startedAt: now, expiresAt: now + this.ttlMs };
    return this.pending;
  }

  /** The sign-in in progress, if any (expired ones included until a callback or cancel ends them). */
  current(): PendingSignIn | undefined {
    return this.pending;
  }

  /** Classifies a callback's query (`state`, `code`); an accepted or expired state is used up. */
  receive(query: { readonly state?: string | null; readonly code?: string | null }, now: number): CallbackVerdict {
    const state = query.state ?? '';
    if (!state) return { kind: 'ignore', reason: 'no-state' };
    if (this.finished.has(state)) return { kind: 'ignore', reason: 'replayed' };
    const pending = this.pending;
    if (!pending || pending.state !== state) return { kind: 'ignore', reason: 'unknown-state' };
    this.finished.add(state);
    this.pending = undefined;
    if (now >= pending.expiresAt) return { kind: 'expired', pending };
    const code = query.code?.trim();
    return code ? { kind: 'accept', code, pending } : { kind: 'cancelled', pending };
  }

  /** Ends the pending sign-in (the user cancelled, or it timed out); true when there was one. */
  cancel(state?: string): boolean {
    const pending = this.pending;
    if (!pending || (state !== undefined && pending.state !== state)) return false;
    this.finished.add(pending.state);
    this.pending = undefined;
    return true;
  }
}
