/**
 * A failure from an HTTP status and OpenRouter's error body, by status family: account (401, 402,
 * 403), request (400, 404, context overflow), rate limits (429) and service errors (408, 5xx).
 */
import { redactSecrets } from './secrets';
import type { Failure } from './failures';
import {
  contextOverflowOf,
  errorEnvelope,
  errorTypeOf,
  innerMessage,
  isRecord,
  limitName,
  messageOf,
  rateLimitOf,
  retryAfterMs,
  type ErrorBody,
  type HeaderSource,
} from './errorBody';

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
