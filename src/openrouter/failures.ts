/**
 * Every way a request can fail, as one typed value: what happened, what the user can do about it,
 * and what the router should cool down. Built from HTTP statuses, OpenRouter's error envelope
 * (`error.code`, `error.metadata.error_type`), SDK errors and broken streams.
 */
import type { WebviewCommandId } from '../protocol/messages';
import { redactSecrets } from './secrets';

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
/** A command a failure's fix runs: one the webview may run (its allow-list, src/protocol/messages.ts). */
export type FixCommand = WebviewCommandId;

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
  /** Further ways forward, after `action` (e.g. a budget block: pick a cheaper model, Explain Route). */
  readonly moreActions?: readonly FailureAction[];
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
  /** The generation a failed stream belonged to (its cost is looked up with `GET /generation`). */
  readonly generationId?: string;
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

function isRecord(value: unknown): value is Record<string, unknown> {
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
function innerMessage(body: unknown): string | undefined {
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
function limitName(text: string): string | undefined {
  return /\b([a-z]+(?:-[a-z]+)*-per-(?:day|hour|minute|month))\b/i.exec(text)?.[1];
}

/** Waits longer than this are not retried or waited for: the limit resets too far ahead (a daily one). */
export const LONG_RESET_MS = 5 * 60 * 1000;

/** `03:15` local time and `6 h` / `25 min` from now. */
function resetText(resetAt: number, now: number): string {
  const d = new Date(resetAt);
  const at = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  const minutes = Math.round((resetAt - now) / 60_000);
  const inText = minutes >= 90 ? `${Math.round(minutes / 60)} h` : `${Math.max(1, minutes)} min`;
  return `resets at ${at}, in ${inText}`;
}

/** Builds a failure from an HTTP status and OpenRouter's error body (read to the bottom: see {@link errorTexts}). */
export function failureFromHttp(
  status: number,
  whole: unknown,
  headers?: HeaderSource,
  midStream = false,
  now: number = Date.now(),
): Failure {
  const body = errorEnvelope(whole);
  const errorType = errorTypeOf(body);
  const inner = innerMessage(whole);
  const serverText = inner ? redactSecrets(inner).replace(/\.+$/, '') : messageOf(body, `HTTP ${status}`);
  const wait = retryAfterMs(headers, body?.metadata, now);
  const base: HttpFailureBase = { status, errorType, midStream, ...(wait !== undefined ? { retryAfterMs: wait } : {}) };
  const metadata = isRecord(body?.metadata) ? body.metadata : undefined;
  const provider =
    typeof metadata?.provider_name === 'string' && metadata.provider_name.trim()
      ? metadata.provider_name.trim()
      : undefined;
  if (provider) Object.assign(base, { provider });

  // A context overflow is one whatever the status it came wrapped in (a 502 from a provider, a 400).
  const overflow = status === 401 || status === 402 || status === 429 ? undefined : contextOverflowOf(whole);
  if (overflow) return overflowFailure(base, overflow);
  if (status === 429) return rateLimitFailure(base, serverText, headers, body, wait, now);
  return (
    accountFailure(base, serverText, metadata) ?? requestFailure(base, serverText) ?? serviceFailure(base, serverText)
  );
}

/** A request longer than the model's context window, with how much to cut when the provider said. */
function overflowFailure(base: HttpFailureBase, overflow: { sentence: string; excessTokens?: number }): Failure {
  const cut = overflow.excessTokens !== undefined ? ` Cut about ${overflow.excessTokens} tokens: remove` : ' Remove';
  return {
    ...base,
    kind: 'contextLength',
    retryable: false,
    title: 'Too long for this model',
    message: `${redactSecrets(overflow.sentence).replace(/\.+$/, '')}.${cut} attached context, start a new chat, or pick a model with a larger context window.`,
    action: { label: 'Pick Model', command: 'switchyard.pickModel' },
  };
}

/** 401, 402 and 403: the key, the credits, moderation or a permission; undefined for other statuses. */
function accountFailure(
  base: HttpFailureBase,
  serverText: string,
  metadata: Record<string, unknown> | undefined,
): Failure | undefined {
  if (base.status === 401) {
    return {
      ...base,
      kind: 'auth',
      retryable: false,
      title: 'OpenRouter did not accept the API key',
      message: `${serverText}. Set a valid key to continue.`,
      action: { label: 'Set API Key', command: 'switchyard.setApiKey' },
    };
  }
  if (base.status === 402) {
    return {
      ...base,
      kind: 'credits',
      retryable: false,
      title: 'Out of credits',
      message: `${serverText}. Add credits on OpenRouter, raise the key's limit, or pick a free model.`,
      action: { label: 'Add Credits', command: 'switchyard.openCredits' },
    };
  }
  if (base.status !== 403) return undefined;
  if (
    (metadata && (Array.isArray(metadata.reasons) || 'flagged_input' in metadata)) ||
    base.errorType === 'content_policy_violation'
  ) {
    return {
      ...base,
      kind: 'moderation',
      retryable: false,
      title: 'Blocked by moderation',
      message: `${serverText}. Rephrase the request or pick another model.`,
      action: { label: 'Pick Model', command: 'switchyard.pickModel' },
    };
  }
  return {
    ...base,
    kind: 'forbidden',
    retryable: false,
    title: 'Request not permitted',
    message: serverText,
    action: { label: 'Show Log', command: 'switchyard.showLog' },
  };
}

/** 404 and 400: no endpoint, too long, an unknown model or another rejected request; undefined for other statuses. */
function requestFailure(base: HttpFailureBase, serverText: string): Failure | undefined {
  if (base.status === 404) {
    return {
      ...base,
      kind: 'noEndpoints',
      retryable: false,
      title: 'No provider can serve this request',
      message: `${serverText}. The model or your provider settings (data policy, required parameters, allowed providers) leave no endpoint: pick another model or relax them.`,
      action: { label: 'Pick Model', command: 'switchyard.pickModel' },
    };
  }
  if (base.status !== 400) return undefined;
  if (
    base.errorType === 'context_length_exceeded' ||
    /context length|context window|too many tokens/i.test(serverText)
  ) {
    return {
      ...base,
      kind: 'contextLength',
      retryable: false,
      title: 'Too long for this model',
      message: `${serverText}. Remove attached context, start a new chat, or pick a model with a larger context window.`,
      action: { label: 'Pick Model', command: 'switchyard.pickModel' },
    };
  }
  // "x/y is not a valid model ID": Retry cannot succeed; another model can.
  if (/not a valid model|model (id )?(does not exist|not found)|unknown model|invalid model/i.test(serverText)) {
    return {
      ...base,
      kind: 'badRequest',
      retryable: false,
      title: 'Unknown model',
      message: `${serverText}. Check switchyard.model (or the route) and pick a model from the catalogue.`,
      action: { label: 'Pick Model', command: 'switchyard.pickModel' },
    };
  }
  return {
    ...base,
    kind: 'badRequest',
    retryable: false,
    title: 'OpenRouter rejected the request',
    message: serverText,
    action: { label: 'Show Log', command: 'switchyard.showLog' },
  };
}

/** Timeouts (408, 504, 524) and server errors are retryable; any other status is a plain failed request. */
function serviceFailure(base: HttpFailureBase, serverText: string): Failure {
  const { status } = base;
  if (status === 408 || status === 504 || status === 524) {
    return {
      ...base,
      kind: 'timeout',
      retryable: true,
      title: 'The provider timed out',
      message: `${serverText}. Try again, or pick another model.`,
      action: { label: 'Pick Model', command: 'switchyard.pickModel' },
    };
  }
  if (status >= 500) {
    return {
      ...base,
      kind: 'server',
      retryable: true,
      title: 'The model is unavailable',
      message: `${serverText}. The provider failed; try again or add fallback models (switchyard.fallbackModels).`,
      action: { label: 'Pick Model', command: 'switchyard.pickModel' },
    };
  }
  return {
    ...base,
    kind: 'badRequest',
    retryable: false,
    title: `Request failed (HTTP ${status})`,
    message: serverText,
    action: { label: 'Show Log', command: 'switchyard.showLog' },
  };
}

/** The common fields of a failure from an HTTP response (`provider` is added to them when known). */
type HttpFailureBase = { status: number; errorType: string | undefined; midStream: boolean; retryAfterMs?: number };

/** A 429: a long (daily, monthly, far-off reset) limit is not retried and says when it resets; a short one is. */
function rateLimitFailure(
  base: HttpFailureBase,
  serverText: string,
  headers: HeaderSource,
  body: ErrorBody | undefined,
  wait: number | undefined,
  now: number,
): Failure {
  const rateLimit = rateLimitOf(headers, body?.metadata);
  const resetAt = rateLimit?.resetAt ?? (wait !== undefined ? now + wait : undefined);
  const named = limitName(serverText);
  if ((resetAt !== undefined && resetAt - now > LONG_RESET_MS) || (named && /per-day|per-month/i.test(named))) {
    // Not worth retrying or waiting for (issue 11 §4): say which limit and when it resets.
    const limit = named ? `the ${named} limit` : 'its rate limit';
    const when = resetAt !== undefined ? ` It ${resetText(resetAt, now)}.` : '';
    return {
      ...base,
      ...(rateLimit ? { rateLimit } : {}),
      kind: 'rateLimit',
      retryable: false,
      title: 'Limit reached',
      message: `This model has reached ${limit}.${when} Pick another model (a paid one is not limited this way).`,
      action: { label: 'Pick Model', command: 'switchyard.pickModel' },
    };
  }
  const waitText = wait !== undefined ? ` Try again in ${Math.ceil(wait / 1000)} s` : ' Wait a moment';
  return {
    ...base,
    ...(rateLimit ? { rateLimit } : {}),
    kind: 'rateLimit',
    retryable: true,
    title: 'Rate limited',
    message: `${serverText}.${waitText} or pick another model.`,
    action: { label: 'Pick Model', command: 'switchyard.pickModel' },
  };
}

/** The failure of a stream that ended without a finish reason, or carried data we cannot read. */
export function brokenStreamFailure(detail: string, midStream: boolean): Failure {
  return {
    kind: 'streamBroken',
    retryable: true,
    midStream,
    title: 'The answer was cut off',
    message: `${redactSecrets(detail)}. The text received so far is kept; retry to get a complete answer.`,
  };
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
  return {
    kind: 'timeout',
    retryable: true,
    title: 'No answer in time',
    message: `No response within ${seconds} s. Try again, or pick another model.`,
    action: { label: 'Pick Model', command: 'switchyard.pickModel' },
  };
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

/**
 * The routing engine refused before sending: nothing was spent; Explain Route says why. A budget
 * refusal (`rule` `budget.*`) is no dead end: it offers to raise the budget (then Retry), to send
 * this one message anyway (the setting unchanged) and to pick a cheaper model, before Explain Route.
 */
export function routeRefusedFailure(reason: string, rule?: string): Failure {
  if (rule?.startsWith('budget.'))
    return {
      kind: 'refused',
      retryable: false,
      title: 'Not sent: over budget',
      message: redactSecrets(reason),
      action: { label: 'Raise Budget…', command: 'switchyard.editBudgets' },
      moreActions: [
        { label: 'Send Once Anyway', command: 'switchyard.sendOverBudgetOnce' },
        { label: 'Send with a Smaller Context', command: 'switchyard.sendSmallerContext' },
        { label: 'Pick a Cheaper Model', command: 'switchyard.pickModel' },
        { label: 'Explain Route', command: 'switchyard.explainRoute' },
      ],
    };
  return {
    kind: 'refused',
    retryable: false,
    title: 'Not sent',
    message: redactSecrets(reason),
    action: { label: 'Explain Route', command: 'switchyard.explainRoute' },
  };
}
