/**
 * The fault matrix: every fault the fake OpenRouter can play, what Switchyard should do about it
 * with and without a fallback model, and how the rows are set up.
 */
import type { Fault } from '../fake-openrouter/faults';

export const PRIMARY = 'openai/gpt-4o-mini';
/** Free, so the routing engine puts it in OpenRouter's `models` list without asking. */
export const FALLBACK = 'mistralai/mistral-small:free';
export const GOOD_KEY = 'sk-or-v1-faults-0000000000000000';

/** What the user should end up with. */
export interface Expected {
  readonly status: 'done' | 'error' | 'stopped';
  /** Which model served (done only). */
  readonly served?: 'primary' | 'fallback';
  /** The error card's kind (error only). */
  readonly failureKind?: string;
}

export interface FaultCase {
  readonly id: string;
  /** The fault as a person would name it. */
  readonly label: string;
  /** The fault played by the fake on the primary model: sticky (every request) or a list (once each). */
  readonly fault?: Fault | readonly Fault[];
  /** A key the fake treats specially (401 / 402 are account faults, not model ones). */
  readonly key?: string;
  /** Answer-shape option of the fake for this row. */
  readonly usageChunk?: 'empty' | 'choice';
  /** The user presses Stop after this many streamed pieces. */
  readonly stopAfterDeltas?: number;
  /** The fault played on the fallback model (rows where the fallback misbehaves too). */
  readonly fallbackFault?: Fault | readonly Fault[];
  /** At most this many chat requests without fallbacks (a failure that must not be retried). */
  readonly maxRequestsWithout?: number;
  /** The answer's meta line must show this cost (USD), or just some cost (`paid`). */
  readonly cost?: number | 'paid';
  /** The error card's message must match this (error rows). */
  readonly errorMessage?: RegExp;
  /** A finished answer's meta line must mark it incomplete this way (and no other row's may). */
  readonly cutOff?: 'length' | 'content_filter';
  readonly without: Expected;
  readonly with: Expected;
  /** Why the expected outcome is right, for the report. */
  readonly why: string;
}

const served = (by: 'primary' | 'fallback'): Expected => ({ status: 'done', served: by });
const failed = (kind: string): Expected => ({ status: 'error', failureKind: kind });

export const FAULT_CASES: readonly FaultCase[] = [
  { id: 'none', label: 'no fault (baseline)', without: served('primary'), with: served('primary'), why: 'control row' },
  {
    id: '429-once',
    label: '429 + Retry-After: 1, once',
    fault: [{ kind: 'http', status: 429, retryAfter: 1 }],
    without: served('primary'),
    with: served('fallback'),
    why: 'alone: wait the asked 1 s and retry; with a fallback OpenRouter moves on before the first token',
  },
  {
    id: '429-sticky',
    label: '429 + Retry-After: 1, every request',
    fault: { kind: 'http', status: 429, retryAfter: 1 },
    without: failed('rateLimit'),
    with: served('fallback'),
    why: 'retries until the wait budget is spent, then a rate-limit card with Retry',
  },
  {
    id: '500',
    label: '500 before the first token',
    fault: { kind: 'http', status: 500 },
    without: failed('server'),
    with: served('fallback'),
    why: 'transient: backoff retries, then a server card',
  },
  {
    id: '502',
    label: '502 before the first token',
    fault: { kind: 'http', status: 502 },
    without: failed('server'),
    with: served('fallback'),
    why: 'as 500',
  },
  {
    id: '503',
    label: '503 before the first token',
    fault: { kind: 'http', status: 503 },
    without: failed('server'),
    with: served('fallback'),
    why: 'as 500',
  },
  {
    id: '503-once',
    label: '503 once, then healthy',
    fault: [{ kind: 'http', status: 503 }],
    without: served('primary'),
    with: served('fallback'),
    why: 'one backoff retry succeeds',
  },
  {
    id: 'mid-error',
    label: 'mid-stream error chunk after 3 pieces',
    fault: { kind: 'midStreamError', afterChunks: 3 },
    without: failed('server'),
    with: served('fallback'),
    why: 'the error chunk carries a 5xx code: retried by continuing from the 3 pieces (which stay), then a server card; a fallback continues the answer',
  },
  {
    id: 'mid-error-once',
    label: 'mid-stream error once, then healthy',
    fault: [{ kind: 'midStreamError', afterChunks: 3 }],
    without: served('primary'),
    with: served('fallback'),
    why: 'recovered by continuing with the partial answer as prefill',
  },
  {
    id: 'cut',
    label: 'stream cut without [DONE] after 3 pieces',
    fault: { kind: 'cut', afterChunks: 3 },
    without: failed('network'),
    with: served('fallback'),
    why: 'the socket closes: retried by continuing, then a connection card with what arrived kept; a fallback continues',
  },
  {
    id: 'cut-once',
    label: 'stream cut once, then healthy',
    fault: [{ kind: 'cut', afterChunks: 3 }],
    without: served('primary'),
    with: served('fallback'),
    why: 'recovered by continuing',
  },
  {
    id: 'hang',
    label: 'hang past the timeout (1 s)',
    fault: { kind: 'hang' },
    without: failed('timeout'),
    with: served('fallback'),
    why: 'the idle timer fires; a timeout card, or the next model',
  },
  {
    id: 'keepalive',
    label: 'only ": OPENROUTER PROCESSING" keep-alives',
    fault: { kind: 'keepAliveOnly', intervalMs: 200 },
    without: failed('timeout'),
    with: served('fallback'),
    why: 'keep-alives stretch the wait, but at most 5 × the timeout: then a timeout card, or the next model',
  },
  {
    id: 'malformed',
    label: 'malformed JSON line after 2 pieces',
    fault: { kind: 'malformed', afterChunks: 2 },
    without: failed('streamBroken'),
    with: served('fallback'),
    why: 'unreadable stream: what arrived stays, recovery as mid-stream',
  },
  {
    id: 'empty',
    label: 'empty choices (no text at all)',
    fault: { kind: 'emptyChoices' },
    without: failed('streamBroken'),
    with: served('fallback'),
    why: 'an answer with no text and no finish is broken, not "done"',
  },
  {
    id: 'empty-interleaved',
    label: 'empty-choice chunks between pieces',
    fault: { kind: 'emptyChoices', interleave: true },
    without: served('primary'),
    with: served('primary'),
    why: 'empty chunks are skipped',
  },
  {
    id: 'usage-empty',
    label: 'usage on a choices:[] chunk',
    usageChunk: 'empty',
    without: served('primary'),
    with: served('primary'),
    why: 'documented usage form; cost is read',
  },
  {
    id: 'usage-choice',
    label: 'usage on a chunk with one empty choice',
    fault: { kind: 'usageInChoice' },
    without: served('primary'),
    with: served('primary'),
    why: 'captured usage form; cost is read',
  },
  {
    id: '401',
    label: '401 invalid key',
    key: 'sk-or-v1-invalid-0000000000000',
    without: failed('auth'),
    with: failed('auth'),
    why: 'no model helps: Set API Key card, no retries',
  },
  {
    id: '402',
    label: '402 out of credits',
    key: 'sk-or-v1-nocredit-000000000000',
    without: failed('credits'),
    with: failed('credits'),
    why: 'no model helps: credits card',
  },
  {
    id: '403',
    label: '403 moderation',
    fault: {
      kind: 'http',
      status: 403,
      message: 'Input flagged',
      metadata: { reasons: ['harassment'], flagged_input: 'x' },
    },
    without: failed('moderation'),
    with: served('fallback'),
    why: 'OpenRouter moves on to the next model before the first token',
  },
  {
    id: '404',
    label: '404 no endpoints',
    fault: { kind: 'http', status: 404, message: 'No endpoints found matching your data policy' },
    without: failed('noEndpoints'),
    with: served('fallback'),
    why: 'pick another model card; a fallback serves',
  },
  {
    id: 'slow',
    label: 'slow drip (150 ms per piece)',
    fault: { kind: 'slow', delayMs: 150, chunks: 12 },
    without: served('primary'),
    with: served('primary'),
    why: 'below the idle timeout: slow is not broken',
  },
  {
    id: 'stop',
    label: 'user presses Stop during a slow drip',
    fault: { kind: 'slow', delayMs: 150, chunks: 40 },
    stopAfterDeltas: 3,
    cost: 'paid',
    without: { status: 'stopped' },
    with: { status: 'stopped' },
    why: 'the pieces shown stay, marked stopped; what they cost is looked up with GET /generation and shown',
  },
  // Issue 11: every answer ends right.
  {
    id: 'finish-no-done',
    label: 'finish + usage, then held open without [DONE]',
    fault: { kind: 'finishNoDone' },
    cost: 'paid',
    maxRequestsWithout: 1,
    without: served('primary'),
    with: served('primary'),
    why: 'finished: the usage chunk ends it at once and the client closes the request; never continued, never repeated',
  },
  {
    id: 'finish-no-usage',
    label: 'finish, no usage, held open without [DONE]',
    fault: { kind: 'finishNoDone', usage: false },
    maxRequestsWithout: 1,
    without: served('primary'),
    with: served('primary'),
    why: 'finished: done after the grace (≤ 2 s, or the idle timeout if shorter), not treated as broken',
  },
  {
    id: 'length',
    label: 'the output limit reached (finish_reason: "length")',
    fault: { kind: 'length', afterChunks: 3 },
    cost: 'paid',
    cutOff: 'length',
    maxRequestsWithout: 1,
    without: served('primary'),
    with: served('primary'),
    why: 'finished, though incomplete: the text is kept and marked "Cut off at the output limit"; not retried, not continued, billed once',
  },
  {
    id: 'native-finish',
    label: 'the finish only in the provider\'s words (finish_reason null, native_finish_reason "end_turn")',
    fault: { kind: 'nativeFinish', native: 'end_turn' },
    cost: 'paid',
    maxRequestsWithout: 1,
    without: served('primary'),
    with: served('primary'),
    why: 'finished: the provider\'s own reason ends the answer like finish_reason "stop"; not a break, not retried',
  },
  {
    id: 'native-length',
    label: 'the output limit only in the provider\'s words (native_finish_reason "MAX_TOKENS")',
    fault: { kind: 'nativeFinish', native: 'MAX_TOKENS', afterChunks: 3 },
    cost: 'paid',
    cutOff: 'length',
    maxRequestsWithout: 1,
    without: served('primary'),
    with: served('primary'),
    why: 'finished, though incomplete: read as finish_reason "length", marked "Cut off at the output limit"; not retried',
  },
  {
    id: 'restart',
    label: 'mid-stream error, then the continuation restarts from the beginning',
    fault: [{ kind: 'midStreamError', afterChunks: 3 }, { kind: 'restart' }],
    fallbackFault: [{ kind: 'restart' }],
    without: served('primary'),
    with: served('fallback'),
    why: 'the continuation repeats the partial: the overlap is removed, each word shown once, history clean',
  },
  {
    id: 'restart-again',
    label: 'a restarted continuation that breaks again ("PartPart…")',
    fault: [
      { kind: 'midStreamError', afterChunks: 2 },
      { kind: 'restart', afterChunks: 2 },
      { kind: 'restart', afterChunks: 2 },
    ],
    fallbackFault: [{ kind: 'restart' }],
    without: failed('server'),
    with: served('fallback'),
    why: 'restarts that only repeat the partial add nothing; the retry budget (2 retries, wait bound) ends it with the text kept once',
  },
  {
    id: '502-context',
    label: '502 wrapping a JSON context-length error in error.message',
    fault: {
      kind: 'http',
      status: 502,
      message: JSON.stringify({
        object: 'error',
        message:
          "This model's maximum context length is 16000 tokens. However, you requested 17165 tokens (16141 in the messages, 1024 in the completion). Please reduce the length of the messages or completion.",
        type: 'BadRequestError',
        param: null,
        code: 400,
      }),
      metadata: { provider_name: 'DeepInfra' },
    },
    maxRequestsWithout: 1,
    errorMessage: /^This model's maximum context length is 16000 tokens.*Cut about 1165 tokens/,
    without: failed('contextLength'),
    with: served('fallback'),
    why: 'read to the bottom: a context overflow is never retried as is; the inner sentence and the tokens to cut are shown',
  },
  {
    id: '429-daily',
    label: '429 free-models-per-day, X-RateLimit-Reset 6 h ahead',
    fault: {
      kind: 'http',
      status: 429,
      message: 'Rate limit exceeded: free-models-per-day',
      rateLimitReset: Date.now() + 6 * 3600_000,
    },
    maxRequestsWithout: 1,
    errorMessage: /free-models-per-day limit\. It resets at \d\d:\d\d, in 6 h/,
    without: failed('rateLimit'),
    with: served('fallback'),
    why: 'not retried, not waited for: the message names the limit and the local reset time',
  },
  {
    id: 'byok',
    label: 'BYOK usage: cost 0.0005 + upstream_inference_cost 0.0105',
    fault: { kind: 'byok', fee: 0.0005, upstreamCost: 0.0105 },
    cost: 0.011,
    without: served('primary'),
    with: served('primary'),
    why: 'the cost shown (and recorded) is the total paid: fee + upstream',
  },
];

/** Seeded faults for the soak: a mix of healthy answers and every kind of fault, fast variants. */
export const SOAK_FAULTS: readonly (Fault | undefined)[] = [
  undefined,
  undefined,
  undefined,
  undefined,
  undefined,
  undefined,
  { kind: 'http', status: 429, retryAfterMs: 50 },
  { kind: 'http', status: 500 },
  { kind: 'http', status: 502 },
  { kind: 'http', status: 503 },
  { kind: 'http', status: 403, metadata: { reasons: ['harassment'] } },
  { kind: 'http', status: 404 },
  { kind: 'midStreamError', afterChunks: 2 },
  { kind: 'cut', afterChunks: 2 },
  { kind: 'hang' },
  { kind: 'malformed', afterChunks: 1 },
  { kind: 'emptyChoices' },
  { kind: 'emptyChoices', interleave: true },
  { kind: 'usageInChoice' },
  { kind: 'slow', delayMs: 20, chunks: 5 },
  { kind: 'finishNoDone' },
  { kind: 'restart', afterChunks: 1 },
];
