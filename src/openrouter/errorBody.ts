/**
 * Reading what a failed response said: OpenRouter's error envelope at every nesting (`error`,
 * `error.error`, JSON inside a provider's message), `metadata.error_type`, context-overflow
 * sentences, and the rate-limit headers (`Retry-After`, `X-RateLimit-*`). Used by ./httpFailures.ts.
 */
import type { RateLimitHeaders } from './failures';
import { redactSecrets } from './secrets';

export interface ErrorBody {
  readonly code?: unknown;
  readonly message?: unknown;
  readonly metadata?: unknown;
}

/** Header lookup that works with fetch `Headers` and plain records. */
export type HeaderSource =
  { get(name: string): string | null | undefined } | Record<string, string | undefined> | undefined;

function header(headers: HeaderSource, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(name: string): string | null | undefined }).get(name) ?? undefined;
  }
  const record = headers as Record<string, string | undefined>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name.toLowerCase());
  return key ? record[key] : undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The wait the server asked for, in ms: `retry-after-ms`, `Retry-After` (seconds or HTTP date),
 * or `X-RateLimit-Reset` (epoch ms) from the headers or from `error.metadata.headers`.
 */
export function retryAfterMs(headers: HeaderSource, metadata: unknown, now: number = Date.now()): number | undefined {
  const metaHeaders =
    isRecord(metadata) && isRecord(metadata.headers)
      ? (metadata.headers as Record<string, string | undefined>)
      : undefined;
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
  const metaHeaders =
    isRecord(metadata) && isRecord(metadata.headers)
      ? (metadata.headers as Record<string, string | undefined>)
      : undefined;
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
  return {
    ...(limit !== undefined ? { limit } : {}),
    ...(remaining !== undefined ? { remaining } : {}),
    ...(resetAt !== undefined ? { resetAt } : {}),
  };
}

export function errorTypeOf(body: ErrorBody | undefined): string | undefined {
  const meta = body?.metadata;
  return isRecord(meta) && typeof meta.error_type === 'string' ? meta.error_type : undefined;
}

export function messageOf(body: ErrorBody | undefined, fallback: string): string {
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

/** A JSON document inside a string (`ConnectionError: {"object":"error",…}`), parsed, or undefined. */
function embeddedJson(text: string): unknown {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end <= start) return undefined;
  try {
    return JSON.parse(text.slice(start, end + 1));
  } catch {
    return undefined;
  }
}

/**
 * Every message an error carries, outermost first: `message`, a JSON document embedded in it,
 * `metadata.raw` (an object, a JSON string or plain text) and nested `error` objects, to any
 * depth (bounded). Also every `code`/`type`/`error_type` string met on the way.
 */
export function errorTexts(body: unknown): { readonly messages: string[]; readonly types: string[] } {
  const messages: string[] = [];
  const types: string[] = [];
  const visit = (value: unknown, depth: number): void => {
    if (depth > 6 || value === null || value === undefined) return;
    if (typeof value === 'string') {
      const json = embeddedJson(value);
      const prefix = json === undefined ? value : value.slice(0, value.indexOf('{')).replace(/[\s:]+$/, '');
      if (prefix.trim()) messages.push(prefix.trim());
      if (json !== undefined) visit(json, depth + 1);
      return;
    }
    if (!isRecord(value)) return;
    for (const key of ['code', 'type', 'error_type'])
      if (typeof value[key] === 'string') types.push(value[key] as string);
    if (isRecord(value.metadata) && typeof value.metadata.error_type === 'string')
      types.push(value.metadata.error_type);
    for (const key of ['message', 'msg', 'error_message', 'error_description']) visit(value[key], depth + 1);
    if (isRecord(value.metadata)) visit(value.metadata.raw, depth + 1);
    visit(value.error, depth + 1);
    visit(value.detail, depth + 1);
    // `{"errors": [{"message": …}]}` (GraphQL-style gateways), `{"detail": [{"msg": …}]}` (FastAPI).
    for (const list of [value.errors, value.detail])
      if (Array.isArray(list)) for (const item of list.slice(0, 5)) visit(item, depth + 1);
  };
  visit(body, 0);
  return { messages, types };
}

const CONTEXT_OVERFLOW =
  /maximum context length|context length|context window|context_length_exceeded|too many tokens|prompt is too long|input is too long|exceeds? the (?:model's )?(?:maximum|max)/i;

/**
 * The context overflow an error reports anywhere in it (see {@link errorTexts}), with its inner
 * sentence and, when it says so, how many tokens are too many.
 */
export function contextOverflowOf(
  body: unknown,
): { readonly sentence: string; readonly excessTokens?: number } | undefined {
  const { messages, types } = errorTexts(body);
  const sentence = [...messages].reverse().find((m) => CONTEXT_OVERFLOW.test(m));
  if (!sentence && !types.some((t) => t === 'context_length_exceeded')) return undefined;
  const text = sentence ?? messages.at(-1) ?? 'The request is longer than the model accepts';
  const limit = /maximum context length is (\d+)/i.exec(text)?.[1];
  const asked = /(?:requested|resulted in|you have) (?:about )?(\d+) tokens/i.exec(text)?.[1];
  const excess = limit && asked ? Number(asked) - Number(limit) : undefined;
  return { sentence: text, ...(excess !== undefined && excess > 0 ? { excessTokens: excess } : {}) };
}

/** The innermost human sentence of an error (what the user should read), or undefined. */
export function innerMessage(body: unknown): string | undefined {
  return errorTexts(body).messages.at(-1);
}

/**
 * The error object that carries `code`, `message` and `metadata`, however deep it is wrapped:
 * `{"error": {…}}` (OpenRouter), `{"error": {"error": {…}}}` (seen on 402s), a bare `{…}`, or
 * `{"error": "text"}`. Read once, here, for every caller (the SDK's error, a `GET`, a stream chunk).
 */
export function errorEnvelope(body: unknown): ErrorBody | undefined {
  let value = body;
  for (let depth = 0; depth < 6 && isRecord(value); depth++) {
    const inner = value.error;
    if (typeof inner === 'string' && value.message === undefined) return { ...value, message: inner };
    if (!isRecord(inner) || value.metadata !== undefined) break;
    value = { ...inner, code: inner.code ?? value.code };
  }
  return isRecord(value) ? (value as ErrorBody) : undefined;
}

/** A named limit in a 429 message (`free-models-per-day`), or undefined. */
export function limitName(text: string): string | undefined {
  return /\b([a-z]+(?:-[a-z]+)*-per-(?:day|hour|minute|month))\b/i.exec(text)?.[1];
}
