/**
 * Every way a request can fail, as one typed value: what happened, what the user can do about it,
 * and what the router should cool down. Built from HTTP statuses, OpenRouter's error envelope
 * (`error.code`, `error.metadata.error_type`), SDK errors and broken streams.
 */
import { redactSecrets } from './redact';

export type FailureKind =
  | 'auth' // 401: missing, invalid or disabled key
  | 'credits' // 402: out of credits or over the key's limit
  | 'moderation' // 403 with moderation reasons
  | 'forbidden' // 403 other
  | 'noEndpoints' // 404: no model/endpoint matches the constraints
  | 'badRequest' // 400
  | 'contextLength' // 400 context_length_exceeded
  | 'rateLimit' // 429
  | 'timeout' // 408, 504, 524, client timeout
  | 'server' // 500, 502, 503, 529
  | 'network' // no HTTP answer at all
  | 'streamBroken' // stream ended without a finish, or malformed data
  | 'aborted' // the user pressed Stop
  | 'config' // our own settings are unusable (bad base URL, no key)
  | 'refused'; // the routing engine refused before sending (no provider, budget, BYOK)

/** A command the user can run to fix a failure. */
export type FixCommand = 'switchyard.setApiKey' | 'switchyard.pickModel' | 'switchyard.refreshModels' | 'switchyard.showLog' | 'switchyard.openCredits' | 'switchyard.explainRoute';

export interface FailureAction {
  readonly label: string;
  readonly command: FixCommand;
}

/** A classified failure. `message` is safe to show: secrets are redacted. */
export interface Failure {
  readonly kind: FailureKind;
  readonly title: string;
  readonly message: string;
  readonly status?: number;
  readonly errorType?: string;
  readonly action?: FailureAction;
  /** How long the server asked us to wait, in ms (Retry-After, retry-after-ms, X-RateLimit-Reset). */
  readonly retryAfterMs?: number;
  /** True when another attempt (later, or elsewhere) may succeed. */
  readonly retryable: boolean;
  /** True when the failure happened after some answer text had arrived. */
  readonly midStream?: boolean;
  /** The upstream provider that failed (`error.metadata.provider_name`), when OpenRouter names it. */
  readonly provider?: string;
  /** `X-RateLimit-*` of a 429 (headers or `error.metadata.headers`), when sent. */
  readonly rateLimit?: RateLimitHeaders;
}

/** What happened on one request sent with one API key: success, or the failure it met (feeds key health). */
export type KeyOutcome = { readonly ok: true } | { readonly ok: false; readonly failure: Failure };

/** What a 429 said about the limit: requests allowed, left, and when the window resets (epoch ms). */
export interface RateLimitHeaders {
  readonly limit?: number;
  readonly remaining?: number;
  readonly resetAt?: number;
}

/** An Error that carries a classified failure through async code. */
export class FailureError extends Error {
  constructor(readonly failure: Failure) {
    super(failure.message);
    this.name = 'FailureError';
  }
}

interface ErrorBody {
  readonly code?: unknown;
  readonly message?: unknown;
  readonly metadata?: unknown;
}

/** Header lookup that works with fetch `Headers` and plain records. */
export type HeaderSource = { get(name: string): string | null | undefined } | Record<string, string | undefined> | undefined;

function header(headers: HeaderSource, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(name: string): string | null | undefined }).get(name) ?? undefined;
  }
  const record = headers as Record<string, string | undefined>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name.toLowerCase());
  return key ? record[key] : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The wait the server asked for, in ms: `retry-after-ms`, `Retry-After` (seconds or HTTP date),
 * or `X-RateLimit-Reset` (epoch ms) from the headers or from `error.metadata.headers`.
 */
export function retryAfterMs(headers: HeaderSource, metadata: unknown, now: number = Date.now()): number | undefined {
  const metaHeaders = isRecord(metadata) && isRecord(metadata.headers) ? (metadata.headers as Record<string, string | undefined>) : undefined;
  const read = (name: string): string | undefined => header(headers, name) ?? header(metaHeaders, name);
  const ms = Number(read('retry-after-ms'));
  if (Number.isFinite(ms) && ms >= 0 && read('retry-after-ms') !== undefined) return ms;
  const after = read('retry-after');
  if (after !== undefined) {
    const seconds = Number(after);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    const date = Date.parse(after);
    if (Number.isFinite(date)) return Math.max(0, date - now);
  }
  const reset = Number(read('x-ratelimit-reset'));
  if (Number.isFinite(reset) && reset > 0) {
    // OpenRouter sends epoch milliseconds; tolerate epoch seconds too.
    const resetMs = reset < 1e12 ? reset * 1000 : reset;
    return Math.max(0, resetMs - now);
  }
  return undefined;
}

/**
 * `X-RateLimit-Limit`, `-Remaining` and `-Reset` (epoch ms; epoch seconds tolerated) from the
 * headers or from `error.metadata.headers`; undefined when none is there.
 */
export function rateLimitOf(headers: HeaderSource, metadata: unknown): RateLimitHeaders | undefined {
  const metaHeaders = isRecord(metadata) && isRecord(metadata.headers) ? (metadata.headers as Record<string, string | undefined>) : undefined;
  const num = (name: string): number | undefined => {
    const raw = header(headers, name) ?? header(metaHeaders, name);
    const value = raw === undefined || raw === null || String(raw).trim() === '' ? NaN : Number(raw);
    return Number.isFinite(value) && value >= 0 ? value : undefined;
  };
  const limit = num('x-ratelimit-limit');
  const remaining = num('x-ratelimit-remaining');
  const reset = num('x-ratelimit-reset');
  const resetAt = reset !== undefined && reset > 0 ? (reset < 1e12 ? reset * 1000 : reset) : undefined;
  if (limit === undefined && remaining === undefined && resetAt === undefined) return undefined;
  return { ...(limit !== undefined ? { limit } : {}), ...(remaining !== undefined ? { remaining } : {}), ...(resetAt !== undefined ? { resetAt } : {}) };
}

function errorTypeOf(body: ErrorBody | undefined): string | undefined {
  const meta = body?.metadata;
  return isRecord(meta) && typeof meta.error_type === 'string' ? meta.error_type : undefined;
}

function messageOf(body: ErrorBody | undefined, fallback: string): string {
  const raw = typeof body?.message === 'string' && body.message.trim() ? body.message.trim() : fallback;
  // Messages get a sentence of advice appended: drop the server's own final full stop.
  return redactSecrets(raw).replace(/\.+$/, '');
}

/** OpenRouter's `metadata.error_type` → the HTTP status it stands for. */
const STATUS_OF_ERROR_TYPE: Readonly<Record<string, number>> = {
  context_length_exceeded: 400,
  max_tokens_exceeded: 400,
  invalid_request: 400,
  content_policy_violation: 400,
  refusal: 400,
  authentication: 401,
  payment_required: 402,
  permission_denied: 403,
  not_found: 404,
  rate_limit_exceeded: 429,
  server: 500,
  unmapped: 500,
  provider_unavailable: 502,
  provider_overloaded: 503,
  timeout: 504,
};

/**
 * The status of an error that arrived without one (a mid-stream error chunk): its integer
 * `code`, a numeric string `code` (one docs page shows strings), or its `error_type`; else 502.
 */
export function statusOfErrorBody(body: ErrorBody | undefined): number {
  const code = typeof body?.code === 'number' ? body.code : Number(body?.code);
  if (Number.isInteger(code) && code >= 400 && code < 600) return code;
  return STATUS_OF_ERROR_TYPE[errorTypeOf(body) ?? ''] ?? 502;
}

/** Builds a failure from an HTTP status and OpenRouter's error body. */
export function failureFromHttp(status: number, body: ErrorBody | undefined, headers?: HeaderSource, midStream = false): Failure {
  const errorType = errorTypeOf(body);
  const serverText = messageOf(body, `HTTP ${status}`);
  const wait = retryAfterMs(headers, body?.metadata);
  const base = { status, errorType, midStream, ...(wait !== undefined ? { retryAfterMs: wait } : {}) };
  const metadata = isRecord(body?.metadata) ? body.metadata : undefined;
  const provider = typeof metadata?.provider_name === 'string' && metadata.provider_name.trim() ? metadata.provider_name.trim() : undefined;
  if (provider) Object.assign(base, { provider });

  if (status === 401) {
    return { ...base, kind: 'auth', retryable: false, title: 'OpenRouter did not accept the API key', message: `${serverText}. Set a valid key to continue.`, action: { label: 'Set API Key', command: 'switchyard.setApiKey' } };
  }
  if (status === 402) {
    return { ...base, kind: 'credits', retryable: false, title: 'Out of credits', message: `${serverText}. Add credits on OpenRouter, raise the key's limit, or pick a free model.`, action: { label: 'Add Credits', command: 'switchyard.openCredits' } };
  }
  if (status === 403) {
    if (metadata && (Array.isArray(metadata.reasons) || 'flagged_input' in metadata) || errorType === 'content_policy_violation') {
      return { ...base, kind: 'moderation', retryable: false, title: 'Blocked by moderation', message: `${serverText}. Rephrase the request or pick another model.`, action: { label: 'Pick Model', command: 'switchyard.pickModel' } };
    }
    return { ...base, kind: 'forbidden', retryable: false, title: 'Request not permitted', message: serverText, action: { label: 'Show Log', command: 'switchyard.showLog' } };
  }
  if (status === 404) {
    return { ...base, kind: 'noEndpoints', retryable: false, title: 'No provider can serve this request', message: `${serverText}. The model or your provider settings (data policy, required parameters, allowed providers) leave no endpoint: pick another model or relax them.`, action: { label: 'Pick Model', command: 'switchyard.pickModel' } };
  }
  if (status === 400) {
    if (errorType === 'context_length_exceeded' || /context length|context window|too many tokens/i.test(serverText)) {
      return { ...base, kind: 'contextLength', retryable: false, title: 'Too long for this model', message: `${serverText}. Remove attached context, start a new chat, or pick a model with a larger context window.`, action: { label: 'Pick Model', command: 'switchyard.pickModel' } };
    }
    // "x/y is not a valid model ID": Retry cannot succeed; another model can.
    if (/not a valid model|model (id )?(does not exist|not found)|unknown model|invalid model/i.test(serverText)) {
      return { ...base, kind: 'badRequest', retryable: false, title: 'Unknown model', message: `${serverText}. Check switchyard.model (or the route) and pick a model from the catalogue.`, action: { label: 'Pick Model', command: 'switchyard.pickModel' } };
    }
    return { ...base, kind: 'badRequest', retryable: false, title: 'OpenRouter rejected the request', message: serverText, action: { label: 'Show Log', command: 'switchyard.showLog' } };
  }
  if (status === 429) {
    const rateLimit = rateLimitOf(headers, body?.metadata);
    const waitText = wait !== undefined ? ` Try again in ${Math.ceil(wait / 1000)} s` : ' Wait a moment';
    return { ...base, ...(rateLimit ? { rateLimit } : {}), kind: 'rateLimit', retryable: true, title: 'Rate limited', message: `${serverText}.${waitText} or pick another model.`, action: { label: 'Pick Model', command: 'switchyard.pickModel' } };
  }
  if (status === 408 || status === 504 || status === 524) {
    return { ...base, kind: 'timeout', retryable: true, title: 'The provider timed out', message: `${serverText}. Try again, or pick another model.`, action: { label: 'Pick Model', command: 'switchyard.pickModel' } };
  }
  if (status >= 500) {
    return { ...base, kind: 'server', retryable: true, title: 'The model is unavailable', message: `${serverText}. The provider failed; try again or add fallback models (switchyard.fallbackModels).`, action: { label: 'Pick Model', command: 'switchyard.pickModel' } };
  }
  return { ...base, kind: 'badRequest', retryable: false, title: `Request failed (HTTP ${status})`, message: serverText, action: { label: 'Show Log', command: 'switchyard.showLog' } };
}

/** The failure of a stream that ended without a finish reason, or carried data we cannot read. */
export function brokenStreamFailure(detail: string, midStream: boolean): Failure {
  return { kind: 'streamBroken', retryable: true, midStream, title: 'The answer was cut off', message: `${redactSecrets(detail)}. The text received so far is kept; retry to get a complete answer.` };
}

export function abortedFailure(midStream: boolean): Failure {
  return { kind: 'aborted', retryable: false, midStream, title: 'Stopped', message: 'You stopped this answer.' };
}

export function networkFailure(detail: string, baseUrl: string): Failure {
  return {
    kind: 'network',
    retryable: true,
    title: 'Cannot reach OpenRouter',
    message: `${redactSecrets(detail)} (${baseUrl}). Check your connection, proxy, or the switchyard.baseUrl setting.`,
    action: { label: 'Show Log', command: 'switchyard.showLog' },
  };
}

export function timeoutFailure(seconds: number): Failure {
  return { kind: 'timeout', retryable: true, title: 'No answer in time', message: `No response within ${seconds} s. Try again, or pick another model.`, action: { label: 'Pick Model', command: 'switchyard.pickModel' } };
}

export function noKeyFailure(): Failure {
  return {
    kind: 'auth',
    retryable: false,
    title: 'No API key',
    message: 'Set an OpenRouter API key (or the OPENROUTER_API_KEY environment variable) to start chatting.',
    action: { label: 'Set API Key', command: 'switchyard.setApiKey' },
  };
}

export function configFailure(message: string): Failure {
  return { kind: 'config', retryable: false, title: 'Settings need attention', message: redactSecrets(message) };
}

/** The routing engine refused before sending: nothing was spent; Explain Route says why. */
export function routeRefusedFailure(reason: string): Failure {
  return { kind: 'refused', retryable: false, title: 'Not sent', message: redactSecrets(reason), action: { label: 'Explain Route', command: 'switchyard.explainRoute' } };
}
