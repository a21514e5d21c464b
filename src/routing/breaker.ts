/**
 * Circuit breakers per (model, provider) (bitrouter v1 / LiteLLM): a ring of the last 23
 * outcomes; open at 2 consecutive failures or ≥ 35 % failures in a full window; after a cooldown
 * (5 s, doubling on each re-open, capped at 5 min; a server's Retry-After wins) it is half-open:
 * requests go again, the first success closes it, a failure re-opens it with the doubled cooldown.
 * (Key health is the key pool's, src/account/keyPool.ts.) No clock inside: every method takes `now` (ms).
 */

/** Breaker tuning. */
export interface BreakerOptions {
  readonly window: number;
  readonly consecutiveFailures: number;
  readonly failureRatio: number;
  readonly baseCooldownMs: number;
  readonly maxCooldownMs: number;
}

/** The defaults from routing.md §3. */
export const DEFAULT_BREAKER: BreakerOptions = {
  window: 23,
  consecutiveFailures: 2,
  failureRatio: 0.35,
  baseCooldownMs: 5000,
  maxCooldownMs: 300_000,
};

/** `closed`: traffic flows. `open`: cooling. `halfOpen`: cooled down; the next outcome decides. */
export type BreakerState = 'closed' | 'open' | 'halfOpen';

/** One breaker. Mutable, but deterministic: its state depends only on the calls and their `now`. */
export class CircuitBreaker {
  private readonly ring: boolean[] = [];
  private consecutive = 0;
  private opens = 0;
  private until = 0;
  private opened = false;
  private reason: string | undefined;
  /** A half-open probe is out (claimed by {@link tryAcquire}); cleared when the breaker opens again or closes. */
  private probing = false;

  constructor(private readonly options: BreakerOptions = DEFAULT_BREAKER) {}

  /** The state at `now` (an open breaker whose cooldown has passed is half-open). */
  state(now: number): BreakerState {
    if (!this.opened) return 'closed';
    return now >= this.until ? 'halfOpen' : 'open';
  }

  /** When the current cooldown ends (ms), or undefined when closed. */
  openUntil(): number | undefined {
    return this.opened ? this.until : undefined;
  }

  /** What the last recorded failure was ("broke off", "rate-limited"), for the notice that names a cooldown. */
  lastReason(): string | undefined {
    return this.opened ? this.reason : undefined;
  }

  /**
   * Ends the cooldown now so the next request is the half-open probe: the user's explicit send
   * is never refused for cooling alone (issue 11 §3). Its success closes the breaker; its failure
   * re-opens it with a doubled cooldown.
   */
  probeNow(now: number): void {
    if (this.opened && this.until > now) this.until = now;
  }

  /**
   * May a request go now? Closed: yes. Open: no. Half-open: exactly one caller gets the probe (this
   * call claims it); others are refused until its outcome opens or closes the breaker. Used where
   * requests must never wait (inline completions).
   */
  tryAcquire(now: number): boolean {
    const state = this.state(now);
    if (state === 'closed') return true;
    if (state === 'open' || this.probing) return false;
    this.probing = true;
    return true;
  }

  /** Records a success: a half-open probe's success closes the breaker and clears its history. */
  recordSuccess(now: number): void {
    if (this.opened && this.state(now) !== 'open') {
      this.reset();
      return;
    }
    this.consecutive = 0;
    this.push(true);
  }

  /**
   * Records a failure (`reason`: what happened, for {@link lastReason}). Opens on a failed probe (cooldown doubled), on `consecutiveFailures` in a
   * row, on `failureRatio` of a full window, or at once when the server gave `retryAfterMs`.
   */
  recordFailure(now: number, retryAfterMs?: number, reason?: string): void {
    if (reason) this.reason = reason;
    this.consecutive += 1;
    this.push(false);
    if (this.opened) {
      if (this.state(now) === 'open') {
        // A straggler from before the breaker opened: only a server-requested wait extends it.
        if (retryAfterMs !== undefined)
          this.until = Math.max(this.until, now + Math.min(this.options.maxCooldownMs, retryAfterMs));
        return;
      }
      // A failed half-open probe: re-open with a longer cooldown.
      this.open(now, retryAfterMs);
      return;
    }
    const failures = this.ring.filter((ok) => !ok).length;
    const full = this.ring.length >= this.options.window;
    if (
      retryAfterMs !== undefined ||
      this.consecutive >= this.options.consecutiveFailures ||
      (full && failures / this.ring.length >= this.options.failureRatio)
    ) {
      this.open(now, retryAfterMs);
    }
  }

  private open(now: number, retryAfterMs?: number): void {
    const backoff = Math.min(this.options.maxCooldownMs, this.options.baseCooldownMs * 2 ** this.opens);
    const cooldown =
      retryAfterMs !== undefined ? Math.min(this.options.maxCooldownMs, Math.max(0, retryAfterMs)) : backoff;
    this.opens += 1;
    this.opened = true;
    this.probing = false;
    this.until = now + cooldown;
  }

  private push(ok: boolean): void {
    this.ring.push(ok);
    if (this.ring.length > this.options.window) this.ring.shift();
  }

  private reset(): void {
    this.ring.length = 0;
    this.consecutive = 0;
    this.opens = 0;
    this.opened = false;
    this.probing = false;
    this.until = 0;
  }
}

/** The breaker key of a (model, provider) pair; provider `*` when OpenRouter chose it. */
export function targetKey(model: string, provider?: string): string {
  return `target:${model}@${provider ?? '*'}`;
}

/** All breakers of a session, created on first use. */
export class BreakerBoard {
  private readonly breakers = new Map<string, CircuitBreaker>();

  constructor(private readonly options: BreakerOptions = DEFAULT_BREAKER) {}

  /** The breaker for a key from {@link targetKey}. */
  get(key: string): CircuitBreaker {
    let b = this.breakers.get(key);
    if (!b) {
      b = new CircuitBreaker(this.options);
      this.breakers.set(key, b);
    }
    return b;
  }

  /** Keys whose breakers are open (not half-open) at `now`. */
  cooling(now: number): string[] {
    return [...this.breakers].filter(([, b]) => b.state(now) === 'open').map(([k]) => k);
  }

  /** The earliest end of a cooldown among open breakers, for "wait rather than fail". */
  earliestExpiry(now: number): number | undefined {
    let earliest: number | undefined;
    for (const b of this.breakers.values()) {
      const until = b.state(now) === 'open' ? b.openUntil() : undefined;
      if (until !== undefined && (earliest === undefined || until < earliest)) earliest = until;
    }
    return earliest;
  }
}

/**
 * When every candidate is cooling: how long to wait for the earliest cooldown to end, or
 * undefined when nothing is cooling or the wait would exceed `maxWaitMs` (then fail instead).
 */
export function waitForCoolingMs(board: BreakerBoard, now: number, maxWaitMs: number): number | undefined {
  const expiry = board.earliestExpiry(now);
  if (expiry === undefined) return undefined;
  const wait = expiry - now;
  return wait <= maxWaitMs ? wait : undefined;
}

/**
 * The health the planner sees, from the keys of open breakers: a model whose own breaker is open
 * goes last; a provider whose (model, provider) breaker is open is expected last when predicting
 * OpenRouter's provider order; a cooling key is used last.
 */
export function healthFromBreakers(openKeys: readonly string[]): {
  coolingModels?: string[];
  unstableProviders?: string[];
} {
  const coolingModels: string[] = [];
  const unstable = new Set<string>();
  for (const key of openKeys) {
    const target = /^target:(.+)@([^@]+)$/.exec(key);
    if (!target) continue;
    if (target[2] === '*') coolingModels.push(target[1]!);
    else unstable.add(target[2]!);
  }
  return {
    ...(coolingModels.length ? { coolingModels } : {}),
    ...(unstable.size ? { unstableProviders: [...unstable] } : {}),
  };
}
