/** Faults the fake can play, scripted per model. */

/** One scripted misbehaviour of a model. */
export type Fault =
  /** An HTTP error before the first token (any status), in OpenRouter's error envelope. */
  | {
      readonly kind: 'http';
      readonly status: number;
      readonly message?: string;
      readonly errorType?: string;
      /** `Retry-After` header, seconds. */
      readonly retryAfter?: number;
      /** `retry-after-ms` header. */
      readonly retryAfterMs?: number;
      /** `X-RateLimit-Reset` (epoch ms) in `error.metadata.headers`, like real 429 bodies. */
      readonly rateLimitReset?: number;
    }
  /** After `afterChunks` content chunks, a chunk with a top-level error and finish_reason "error". */
  | { readonly kind: 'midStreamError'; readonly afterChunks: number; readonly code?: number; readonly message?: string; readonly done?: boolean }
  /** After `afterChunks` content chunks, the socket is destroyed without `[DONE]`. */
  | { readonly kind: 'cut'; readonly afterChunks: number }
  /** Never answers until the client gives up. */
  | { readonly kind: 'hang' }
  /** Each content chunk waits `delayMs`. */
  | { readonly kind: 'slow'; readonly delayMs: number; readonly chunks?: number }
  /** After `afterChunks` content chunks, a `data:` line that is not JSON. */
  | { readonly kind: 'malformed'; readonly afterChunks: number }
  /** A stream whose chunks carry no choices at all, then usage and [DONE]. */
  | { readonly kind: 'emptyChoices' }
  /** The real-capture usage form: usage on a chunk with one empty-delta choice. */
  | { readonly kind: 'usageInChoice' };

/** Successive faults per model: the first request gets the first, and so on; then normal. */
export class FaultBook {
  private readonly queues = new Map<string, { faults: Fault[]; sticky: boolean }>();

  /** One fault for every request (sticky), a list for successive requests, or `undefined` to clear. */
  set(model: string, fault: Fault | readonly Fault[] | undefined): void {
    if (fault === undefined) this.queues.delete(model);
    else if (Array.isArray(fault)) this.queues.set(model, { faults: [...(fault as readonly Fault[])], sticky: false });
    else this.queues.set(model, { faults: [fault as Fault], sticky: true });
  }

  /** The fault for the next request to `model`, if any. */
  take(model: string): Fault | undefined {
    const entry = this.queues.get(model);
    if (!entry) return undefined;
    if (entry.sticky) return entry.faults[0];
    const next = entry.faults.shift();
    if (!entry.faults.length) this.queues.delete(model);
    return next;
  }

  clear(): void {
    this.queues.clear();
  }
}
