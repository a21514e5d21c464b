/**
 * Exponential backoff with full jitter, capped per step and in total (Portkey: 1,2,4,8,16 s; ≤ 60 s),
 * and the interactive chat's tighter retry budget ({@link INTERACTIVE_RETRY}).
 */
import type { RandomSource } from './types';

/** Backoff bounds. */
export interface BackoffOptions {
  /** First step's ceiling, ms. Default 1000. */
  readonly baseMs: number;
  /** Largest single ceiling, ms. Default 16 000. */
  readonly maxMs: number;
  /** Total waiting allowed over all retries, ms. Default 60 000. */
  readonly totalMs: number;
  /** Retries at most. Default 5. */
  readonly maxRetries: number;
}

/** The defaults: 1, 2, 4, 8, 16 s ceilings; 60 s in total; 5 retries. */
export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1000, maxMs: 16_000, totalMs: 60_000, maxRetries: 5 };

/** The ceiling of retry `n` (0-based): min(maxMs, baseMs × 2ⁿ). */
export function backoffCeilingMs(retry: number, options: BackoffOptions = DEFAULT_BACKOFF): number {
  return Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, retry));
}

/** Full jitter: a delay uniform in [0, ceiling) for retry `n`. */
export function backoffDelayMs(retry: number, random: RandomSource, options: BackoffOptions = DEFAULT_BACKOFF): number {
  return Math.floor(random() * backoffCeilingMs(retry, options));
}

/**
 * The next delay given how long has already been waited, or `undefined` when the retries or the
 * total budget are spent. A server-requested wait (`retryAfterMs`) replaces the jitter when it fits.
 */
export function nextBackoffMs(
  retry: number,
  waitedMs: number,
  random: RandomSource,
  retryAfterMs?: number,
  options: BackoffOptions = DEFAULT_BACKOFF,
): number | undefined {
  if (retry >= options.maxRetries) return undefined;
  const left = options.totalMs - waitedMs;
  if (left <= 0) return undefined;
  const wanted = retryAfterMs !== undefined ? retryAfterMs : backoffDelayMs(retry, random, options);
  if (retryAfterMs !== undefined && retryAfterMs > left) return undefined;
  return Math.min(wanted, left);
}
/**
 * The retry budget of interactive chat — the one place it is set (issue 11 §4): a person is
 * waiting, so the same model is retried at most twice and all waits of one answer (backoff,
 * Retry-After, cooling) add up to at most 10 s before the executor moves on or shows the error.
 * Every wait is shown as a countdown with Send now and Stop. Longer server-requested waits (a
 * daily limit) are not waited for at all: the error says when the limit resets.
 */
const SAME_MODEL_RETRIES = 2;
const TOTAL_WAIT_MS = 10_000;
export const INTERACTIVE_RETRY = {
  /** Same-model retries per answer. */
  sameModelRetries: SAME_MODEL_RETRIES,
  /** All waits of one answer together, ms (the executor's `maxWaitMs`). */
  totalWaitMs: TOTAL_WAIT_MS,
  /** Backoff ceilings 1 s, 2 s (full jitter), within the total. */
  backoff: {
    baseMs: 1000,
    maxMs: 4000,
    totalMs: TOTAL_WAIT_MS,
    maxRetries: SAME_MODEL_RETRIES,
  } satisfies BackoffOptions,
} as const;
