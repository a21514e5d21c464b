/** Faults the fake can play, scripted per model (contract §2–3), and the book that holds them. */
import { z } from 'zod';

/**
 * One scripted misbehaviour of a model. `http` happens before the first token (so a `models`
 * fallback moves on); the others happen to the model that serves.
 */
export type Fault =
  /** A non-2xx answer before the first token, in OpenRouter's error envelope. */
  | {
      readonly kind: 'http';
      /** Any status: 400 (context_length_exceeded), 401, 402, 403 (moderation), 404, 408, 429, 500, 502, 503, 524, 529… */
      readonly status: number;
      readonly message?: string;
      /** `metadata.error_type` (default from the status; 400 → `context_length_exceeded`). */
      readonly errorType?: string;
      /** Extra `error.metadata` keys (merged over the defaults). */
      readonly metadata?: Readonly<Record<string, unknown>>;
      /** `error.availability` (e.g. `{code:"capacity_exhausted", retryable:true}`). */
      readonly availability?: Readonly<Record<string, unknown>>;
      /** `Retry-After` header, seconds. */
      readonly retryAfter?: number;
      /** `retry-after-ms` header. */
      readonly retryAfterMs?: number;
      /** `X-RateLimit-Reset` (epoch ms, as a string) in `error.metadata.headers`, like real 429 bodies. */
      readonly rateLimitReset?: number;
    }
  /**
   * After `afterChunks` content chunks, one chunk with a top-level `error` and
   * `finish_reason:"error"`, then the stream ends (`[DONE]` only if `done`). Without streaming:
   * a 200 body whose choice has `finish_reason:"error"` and a choice-level `error`.
   */
  | {
      readonly kind: 'midStreamError';
      readonly afterChunks: number;
      readonly code?: number;
      readonly message?: string;
      readonly errorType?: string;
      readonly done?: boolean;
    }
  /** After `afterChunks` content chunks the socket is destroyed, no `[DONE]` (without streaming: no answer at all). */
  | { readonly kind: 'cut'; readonly afterChunks: number }
  /** Never answers, until the client aborts or the server closes. */
  | { readonly kind: 'hang' }
  /** Each content chunk waits `delayMs` (optionally `chunks` content chunks). */
  | { readonly kind: 'slow'; readonly delayMs: number; readonly chunks?: number }
  /** After `afterChunks` content chunks, a `data: {not json` line; the stream then goes on normally. */
  | { readonly kind: 'malformed'; readonly afterChunks: number }
  /**
   * Chunks with `choices: []`. Default: the whole stream is such chunks (no text), then usage and
   * `[DONE]`; without streaming, `choices: []`. `interleave`: an empty chunk before each normal one.
   */
  | { readonly kind: 'emptyChoices'; readonly interleave?: boolean }
  /** The real-capture usage form: usage on a chunk with one empty-delta choice. */
  | { readonly kind: 'usageInChoice' }
  /** 200 headers, then only `: OPENROUTER PROCESSING` every `intervalMs` (default 200) until the client gives up. */
  | { readonly kind: 'keepAliveOnly'; readonly intervalMs?: number }
  /**
   * The whole answer, its `finish_reason:"stop"` chunk and (unless `usage: false`) the usage
   * chunk — then nothing: no `[DONE]`, the connection held open until the client leaves (with
   * `cut`, closed at once without `[DONE]`, as a proxy that drops the end of a stream).
   */
  | { readonly kind: 'finishNoDone'; readonly usage?: boolean; readonly cut?: boolean }
  /**
   * A model that ignores a continuation: the answer restarts from the beginning (the prefill or
   * the "continue" turn is not honoured). With `afterChunks`, it then breaks off like
   * `midStreamError` after that many chunks (a restart that fails again).
   */
  | { readonly kind: 'restart'; readonly afterChunks?: number }
  /**
   * The output limit reached: after `afterChunks` content chunks the answer ends with
   * `finish_reason: "length"`, its usage chunk and `[DONE]` (a finished, incomplete answer).
   */
  | { readonly kind: 'length'; readonly afterChunks: number }
  /**
   * A provider whose finish OpenRouter passes on only in its own words: the last chunk has
   * `finish_reason: null` (or `said`) and `native_finish_reason: native` (`"MAX_TOKENS"`,
   * `"end_turn"`…); with `afterChunks`, after that many content chunks (an answer cut short).
   */
  | { readonly kind: 'nativeFinish'; readonly native: string; readonly said?: string; readonly afterChunks?: number }
  /** A BYOK answer: `usage.is_byok`, `cost` = OpenRouter's fee, `cost_details.upstream_inference_cost` = the provider's charge. */
  | { readonly kind: 'byok'; readonly fee: number; readonly upstreamCost: number };

/** The `kind`s a Fault can have. */
export type FaultKind = Fault['kind'];

const count = z.number().int().min(0);
const record = z.record(z.string(), z.unknown());

/** Validates faults that arrive over the control API. */
export const faultSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('http'),
    status: z.number().int().min(400).max(599),
    message: z.string().optional(),
    errorType: z.string().optional(),
    metadata: record.optional(),
    availability: record.optional(),
    retryAfter: z.number().min(0).optional(),
    retryAfterMs: z.number().min(0).optional(),
    rateLimitReset: z.number().optional(),
  }),
  z.strictObject({
    kind: z.literal('midStreamError'),
    afterChunks: count,
    code: z.number().int().optional(),
    message: z.string().optional(),
    errorType: z.string().optional(),
    done: z.boolean().optional(),
  }),
  z.strictObject({ kind: z.literal('cut'), afterChunks: count }),
  z.strictObject({ kind: z.literal('hang') }),
  z.strictObject({ kind: z.literal('slow'), delayMs: z.number().min(0), chunks: z.number().int().min(1).optional() }),
  z.strictObject({ kind: z.literal('malformed'), afterChunks: count }),
  z.strictObject({ kind: z.literal('emptyChoices'), interleave: z.boolean().optional() }),
  z.strictObject({ kind: z.literal('usageInChoice') }),
  z.strictObject({ kind: z.literal('keepAliveOnly'), intervalMs: z.number().min(1).optional() }),
  z.strictObject({ kind: z.literal('finishNoDone'), usage: z.boolean().optional(), cut: z.boolean().optional() }),
  z.strictObject({ kind: z.literal('restart'), afterChunks: count.optional() }),
  z.strictObject({ kind: z.literal('length'), afterChunks: count }),
  z.strictObject({
    kind: z.literal('nativeFinish'),
    native: z.string(),
    said: z.string().optional(),
    afterChunks: count.optional(),
  }),
  z.strictObject({ kind: z.literal('byok'), fee: z.number().min(0), upstreamCost: z.number().min(0) }),
]);

/** `faults` of `POST /__control/faults`: one fault, a list, or null to clear. */
export const faultSettingSchema = z.union([faultSchema, z.array(faultSchema), z.null()]);

// The schema and the type must describe the same thing.
const _toType = (f: z.infer<typeof faultSchema>): Fault => f;
const _toSchema = (f: Fault): z.infer<typeof faultSchema> => f;
void _toType;
void _toSchema;

/** Applies to every model that has no fault of its own. */
export const ANY_MODEL = '*';

/** Faults per model: one sticky fault for every request, or a list played once in order. */
export class FaultBook {
  private readonly queues = new Map<string, { readonly faults: Fault[]; readonly sticky: boolean }>();

  /** One fault for every request (sticky), a list for successive requests, `undefined` to clear. */
  set(model: string, fault: Fault | readonly Fault[] | undefined): void {
    if (fault === undefined) this.queues.delete(model);
    else if (isFaultList(fault)) this.queues.set(model, { faults: [...fault], sticky: false });
    else this.queues.set(model, { faults: [fault], sticky: true });
  }

  /** The fault for the next request to `model` (its own, else the `*` one), consuming list entries. */
  take(model: string): Fault | undefined {
    const key = this.queues.has(model) ? model : ANY_MODEL;
    const entry = this.queues.get(key);
    if (!entry) return undefined;
    if (entry.sticky) return entry.faults[0];
    const next = entry.faults.shift();
    if (entry.faults.length === 0) this.queues.delete(key);
    return next;
  }

  /** Forgets every fault. */
  clear(): void {
    this.queues.clear();
  }
}

function isFaultList(fault: Fault | readonly Fault[]): fault is readonly Fault[] {
  return Array.isArray(fault);
}
