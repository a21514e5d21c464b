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
