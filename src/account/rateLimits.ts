/**
 * Rate limits seen per model, from 429 answers: `Retry-After` and `X-RateLimit-*` (in the headers
 * or repeated in `error.metadata.headers`; reset in epoch ms). A limit matters while it lasts:
 * {@link RateLimitBook.active} returns only those whose wait has not ended.
 */
import type { Failure } from '../openrouter/failures';

export interface RateLimitEntry {
  readonly model: string;
  /** When requests to this model should work again (epoch ms). */
  readonly until: number;
  readonly limit?: number;
  readonly remaining?: number;
  /** The server's message ("Rate limit exceeded: free-models-per-day…"). */
  readonly message: string;
  readonly seenAt: number;
}

/** A 429 without any hint of when it ends is assumed to last this long. */
export const DEFAULT_RATE_LIMIT_MS = 30_000;

export class RateLimitBook {
  private readonly byModel = new Map<string, RateLimitEntry>();

  /** Records a failure of a request to `model`; only 429s count. Returns the entry when recorded. */
  record(model: string, failure: Failure, now: number): RateLimitEntry | undefined {
    if (failure.kind !== 'rateLimit') return undefined;
    const fromRetry = failure.retryAfterMs !== undefined ? now + failure.retryAfterMs : undefined;
    const until = Math.max(fromRetry ?? 0, failure.rateLimit?.resetAt ?? 0) || now + DEFAULT_RATE_LIMIT_MS;
    const entry: RateLimitEntry = {
      model,
      until,
      ...(failure.rateLimit?.limit !== undefined ? { limit: failure.rateLimit.limit } : {}),
      ...(failure.rateLimit?.remaining !== undefined ? { remaining: failure.rateLimit.remaining } : {}),
      message: failure.message,
      seenAt: now,
    };
    this.byModel.set(model, entry);
    return entry;
  }

  /** A model answered: its limit is over. */
  clear(model: string): void {
    this.byModel.delete(model);
  }

  /** Limits still in force at `now`, the soonest to end first. */
  active(now: number): RateLimitEntry[] {
    for (const [model, entry] of this.byModel) if (entry.until <= now) this.byModel.delete(model);
    return [...this.byModel.values()].sort((a, b) => a.until - b.until);
  }
}

/** `gpt-4o-mini: 0 of 50 left, resets 14:05:00` (times in the caller's locale formatter). */
export function describeRateLimit(entry: RateLimitEntry, formatTime: (epochMs: number) => string): string {
  const short = entry.model.split('/').pop() ?? entry.model;
  const count = entry.limit !== undefined ? `${entry.remaining ?? 0} of ${entry.limit} requests left` : 'rate-limited';
  return `${short}: ${count}, until ${formatTime(entry.until)}`;
}
