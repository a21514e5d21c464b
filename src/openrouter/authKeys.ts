/**
 * `POST /auth/keys` (contract §7): a sign-in code and its PKCE verifier become a permanent key.
 * Every failure leaves as a {@link FailureError} saying what happened and what to do; the key
 * never appears in a message.
 */
import { FailureError, networkFailure, type Failure } from './failures';
import { attributionHeaders } from './headers';
import { redactSecrets } from './secrets';

const EXCHANGE_TIMEOUT_MS = 30_000;

/** `POST <baseUrl>/auth/keys`, where a code and its verifier become a key. */
export function exchangeUrl(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/auth/keys`;
}

/** Exchanges `code` + `verifier` for a key at `<baseUrl>/auth/keys`. */
export async function exchangeAuthCode(
  baseUrl: string,
  code: string,
  verifier: string,
  fetchImpl: typeof fetch = fetch,
  signal?: AbortSignal,
): Promise<string> {
  const timeout = AbortSignal.timeout(EXCHANGE_TIMEOUT_MS);
  let response: Response;
  let json: unknown;
  try {
    response = await fetchImpl(exchangeUrl(baseUrl), {
      method: 'POST',
      headers: { ...attributionHeaders(), 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ code, code_verifier: verifier, code_challenge_method: 'S256' }),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    const text = await response.text();
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    const detail = timeout.aborted
      ? `no answer within ${EXCHANGE_TIMEOUT_MS / 1000} s`
      : cause instanceof Error
        ? cause.message
        : String(cause);
    throw new FailureError({ ...networkFailure(detail, baseUrl), title: 'Sign-in could not reach OpenRouter' });
  }
  const body = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : {};
  if (response.ok) {
    const key = typeof body.key === 'string' ? body.key.trim() : '';
    if (key) return key;
    throw new FailureError(signInFailure(response.status, 'OpenRouter answered without a key'));
  }
  const error = typeof body.error === 'object' && body.error !== null ? (body.error as Record<string, unknown>) : {};
  const serverText =
    typeof error.message === 'string' && error.message.trim()
      ? redactSecrets(error.message.trim()).replace(/\.+$/, '')
      : `HTTP ${response.status}`;
  throw new FailureError(signInFailure(response.status, serverText));
}

/** The failure of an exchange that got an HTTP answer. */
function signInFailure(status: number, serverText: string): Failure {
  if (status === 403) {
    const expired = /expired/i.test(serverText);
    return {
      kind: 'auth',
      status,
      retryable: false,
      title: expired ? 'The sign-in code expired' : 'The sign-in code was not accepted',
      message: `OpenRouter: ${serverText}. ${expired ? 'Codes are valid for ten minutes and only once' : 'The code was already used or does not match this sign-in'}; sign in again. Your previous key is unchanged.`,
    };
  }
  if (status === 400) {
    return {
      kind: 'badRequest',
      status,
      retryable: false,
      title: 'OpenRouter refused the sign-in request',
      message: `OpenRouter: ${serverText}. Your previous key is unchanged.`,
    };
  }
  return {
    kind: status >= 500 ? 'server' : 'badRequest',
    status,
    retryable: status >= 500,
    title: 'Sign-in failed',
    message: `OpenRouter: ${serverText} (HTTP ${status}). Try again; your previous key is unchanged.`,
  };
}
