/**
 * The key pool's pure core: which keys a request tries, in which order, and how healthy each is.
 *
 * - `failover`: always the stored order; a later key only when an earlier one fails or cools.
 * - `roundRobin`: each request starts with the key after the one used last.
 * Either way a cooling key goes last (never dropped: when every key cools, one is still tried).
 *
 * Health counts only what says something about the key itself: a 401 (bad or revoked key) and a
 * 402 (out of credits, over its limit) cool it for long; a 429 cools it until its Retry-After.
 * Server errors, timeouts and broken streams are the model's or provider's business (the routing
 * breakers) and leave key health alone. A success clears the cooldown.
 */
import type { Failure, KeyOutcome } from '../openrouter/failures';
import { formatDuration } from '../protocol/units';

export type KeyStrategy = 'failover' | 'roundRobin';
export const KEY_STRATEGIES: readonly KeyStrategy[] = ['failover', 'roundRobin'];

/** One key of the pool, without its secret. */
export interface PoolKey {
  readonly id: string;
  readonly label: string;
}

/** How one key has been doing in this window. */
export interface KeyHealth {
  readonly successes: number;
  readonly failures: number;
  readonly lastError?: string;
  readonly lastErrorAt?: number;
  /** While `now` is before this, the key is tried last. */
  readonly coolingUntil?: number;
}

/** Cooldowns by failure kind, in ms. */
export const KEY_COOLDOWN_MS = {
  auth: 30 * 60 * 1000,
  credits: 10 * 60 * 1000,
  /** A 429 without Retry-After. */
  rateLimit: 15 * 1000,
} as const;

const EMPTY: KeyHealth = { successes: 0, failures: 0 };

export class KeyPool {
  private keys: readonly PoolKey[] = [];
  private readonly healthById = new Map<string, KeyHealth>();
  private lastUsed: string | undefined;

  constructor(public strategy: KeyStrategy = 'failover') {}

  /** Replaces the key list (health of keys that stay is kept; of removed ones, forgotten). */
  setKeys(keys: readonly PoolKey[]): void {
    this.keys = [...keys];
    const ids = new Set(keys.map((k) => k.id));
    for (const id of [...this.healthById.keys()]) if (!ids.has(id)) this.healthById.delete(id);
    if (this.lastUsed && !ids.has(this.lastUsed)) this.lastUsed = undefined;
  }

  list(): readonly PoolKey[] {
    return this.keys;
  }

  health(id: string): KeyHealth {
    return this.healthById.get(id) ?? EMPTY;
  }

  isCooling(id: string, now: number): boolean {
    const until = this.health(id).coolingUntil;
    return until !== undefined && now < until;
  }

  /** The keys in the order a request should try them (strategy applied, cooling keys last). */
  order(now: number): PoolKey[] {
    let ordered = [...this.keys];
    if (this.strategy === 'roundRobin' && this.lastUsed !== undefined) {
      const last = ordered.findIndex((k) => k.id === this.lastUsed);
      if (last >= 0) ordered = [...ordered.slice(last + 1), ...ordered.slice(0, last + 1)];
    }
    const ready = ordered.filter((k) => !this.isCooling(k.id, now));
    const cooling = ordered
      .filter((k) => this.isCooling(k.id, now))
      .sort((a, b) => (this.health(a.id).coolingUntil ?? 0) - (this.health(b.id).coolingUntil ?? 0));
    return [...ready, ...cooling];
  }

  /** Records what happened on a request sent with key `id`. */
  report(id: string, outcome: KeyOutcome, now: number): void {
    if (!this.keys.some((k) => k.id === id)) return;
    this.lastUsed = id;
    const h = this.health(id);
    if (outcome.ok) {
      this.healthById.set(id, {
        successes: h.successes + 1,
        failures: h.failures,
        ...(h.lastError ? { lastError: h.lastError, lastErrorAt: h.lastErrorAt } : {}),
      });
      return;
    }
    const cooldown = cooldownFor(outcome.failure);
    if (cooldown === undefined) return;
    this.healthById.set(id, {
      successes: h.successes,
      failures: h.failures + 1,
      lastError: `${outcome.failure.title}: ${outcome.failure.message}`,
      lastErrorAt: now,
      coolingUntil: Math.max(h.coolingUntil ?? 0, now + cooldown),
    });
  }

  /** Forgets a key's failures (after the user fixed it, e.g. re-added or topped up). */
  resetHealth(id: string): void {
    this.healthById.delete(id);
  }
}

/** How long a failure cools the key that got it, or undefined when it says nothing about the key. */
export function cooldownFor(failure: Failure): number | undefined {
  switch (failure.kind) {
    case 'auth':
      return KEY_COOLDOWN_MS.auth;
    case 'credits':
      return KEY_COOLDOWN_MS.credits;
    case 'rateLimit':
      return failure.retryAfterMs ?? KEY_COOLDOWN_MS.rateLimit;
    default:
      return undefined;
  }
}

/** One line of a key's health for the key list ("12 ok · 1 failed · cooling 4 min"). */
export function describeHealth(h: KeyHealth, now: number): string {
  const parts = [`${h.successes} ok`];
  if (h.failures) parts.push(`${h.failures} failed`);
  if (h.coolingUntil !== undefined && now < h.coolingUntil)
    parts.push(`cooling ${formatDuration(h.coolingUntil - now)}`);
  else if (h.failures === 0 && h.successes === 0) return 'not used yet';
  else parts.push('healthy');
  return parts.join(' · ');
}

/** A label nobody else in the pool has: `label`, `label (2)`, `label (3)`… */
export function uniqueLabel(label: string, taken: readonly string[]): string {
  const base = label.trim() || 'API key';
  if (!taken.includes(base)) return base;
  for (let n = 2; ; n++) if (!taken.includes(`${base} (${n})`)) return `${base} (${n})`;
}
