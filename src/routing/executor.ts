/**
 * Runs a {@link Plan}: sends its attempts in order, classifies each failure, cools what failed,
 * moves on (another model, or the same one after its wait), and recovers a stream that died
 * mid-answer by continuing on the next attempt with the partial text as an assistant prefill.
 * Pure: sending, waiting, the clock and randomness are injected.
 */
import type { ModelInfo } from '../openrouter/catalogue';
import { providerSlug } from './affinity';
import { FailureError, type Failure, type KeyOutcome } from '../openrouter/failures';
import { nextBackoffMs } from './backoff';
import { type BreakerBoard, targetKey } from './breaker';
import { classifyFailure, remainingModels } from './classify';
import type { Attempt, KeyRef, Plan, RandomSource } from './types';

/** Something the user should see as it happens ("gpt-4o rate-limited → continuing on claude"). */
export interface ExecutionEvent {
  readonly kind: 'switch' | 'wait' | 'continue' | 'retry';
  readonly text: string;
}

export interface ExecutorDeps<R extends { readonly text: string; readonly provider?: string }> {
  /** Sends one attempt; `prefill` is the answer so far (empty for a fresh start). Rejects with a FailureError. */
  send(attempt: Attempt, prefill: string): Promise<R>;
  /** Waits; resolves early (and `aborted()` turns true) when the user stops. */
  sleep(ms: number): Promise<void>;
  aborted(): boolean;
  now(): number;
  readonly random: RandomSource;
  readonly breakers: BreakerBoard;
  readonly models: ReadonlyMap<string, ModelInfo>;
  /** Asks before an attempt that needs confirmation; true = go. */
  confirm(question: string): Promise<boolean>;
  notify(event: ExecutionEvent): void;
  /** Text of the current attempt that reached the user so far (for mid-stream recovery). */
  streamedText(): string;
  /** The key pool in the order to try (for failover on 401/402 of one key); default: the plan's key only. */
  readonly keys?: readonly KeyRef[];
  /** What happened with a key (success, or the failure it met). */
  reportKey?(keyId: string, outcome: KeyOutcome): void;
}

export interface ExecutorOptions {
  /** Longest total wait (Retry-After, backoff, cooling) before giving up. Default 60 s. */
  readonly maxWaitMs?: number;
  readonly allowModerationFallback?: boolean;
  /**
   * The per-request budget (USD). An answer continued after a mid-stream break is billed for
   * every attempt that streamed: when the worst cases together would cross it, the user is asked.
   */
  readonly perRequestBudgetUsd?: number;
}

export interface Execution<R> {
  readonly result: R;
  /** The attempt that succeeded. */
  readonly attempt: Attempt;
  /** The answer text before the successful attempt (kept from attempts that broke mid-stream). */
  readonly prefix: string;
  readonly events: readonly ExecutionEvent[];
}

const short = (model: string): string => model.slice(model.lastIndexOf('/') + 1);

function describe(failure: Failure): string {
  if (failure.midStream) return failure.kind === 'rateLimit' ? 'was rate-limited' : 'broke off';
  switch (failure.kind) {
    case 'rateLimit':
      return 'rate-limited';
    case 'timeout':
      return 'timed out';
    case 'server':
      return 'unavailable';
    case 'network':
      return 'unreachable';
    case 'streamBroken':
      return 'broke off';
    case 'contextLength':
      return 'too long for it';
    default:
      return failure.title.toLowerCase();
  }
}

/** Runs the plan; resolves with the first success, or rejects with the last failure. */
export async function executePlan<R extends { readonly text: string; readonly provider?: string }>(plan: Plan, deps: ExecutorDeps<R>, options: ExecutorOptions = {}): Promise<Execution<R>> {
  const maxWaitMs = options.maxWaitMs ?? 60_000;
  const events: ExecutionEvent[] = [];
  const notify = (event: ExecutionEvent): void => {
    events.push(event);
    deps.notify(event);
  };
  const queue: Attempt[] = [...plan.attempts];
  let allowed: Set<string> | undefined;
  let prefix = '';
  let waited = 0;
  let retries = 0;
  let lastFailure: Failure | undefined;
  let previous: Attempt | undefined;
  const rejectedKeys = new Set<string>();

  const modelsOf = (a: Attempt): readonly string[] => a.body.models ?? [a.body.model];
  const usable = (a: Attempt): boolean => !allowed || modelsOf(a).some((m) => allowed!.has(m));
  const cooling = (a: Attempt): number | undefined => {
    const breaker = deps.breakers.get(targetKey(a.body.model));
    return breaker.state(deps.now()) === 'open' ? breaker.openUntil() : undefined;
  };

  const stopped = (): FailureError => new FailureError({ kind: 'aborted', retryable: false, midStream: prefix.length > 0, title: 'Stopped', message: 'You stopped this answer.' });
  /** Worst cases of the attempts that already streamed part of this answer (they are billed). */
  let committedUsd = 0;
  /** The failure to announce once the next attempt is under way. */
  let pending: { from: string; what: string; continuing: boolean } | undefined;
  const announce = (next: Attempt): void => {
    if (!pending) return;
    const { from, what, continuing } = pending;
    pending = undefined;
    if (continuing) notify({ kind: 'continue', text: `${short(from)} ${what} mid-answer → continuing on ${short(next.body.model)}` });
    else if (next.body.model === from) notify({ kind: 'retry', text: `${short(from)} ${what} → retrying` });
    else notify({ kind: 'switch', text: `${short(from)} ${what} → trying ${short(next.body.model)}` });
  };

  while (queue.length > 0) {
    if (deps.aborted()) throw stopped();
    preferReady(queue, usable, cooling);
    const attempt = queue.shift()!;
    if (!usable(attempt)) continue;
    if (attempt.needsConfirmation && !(await deps.confirm(attempt.needsConfirmation))) continue;
    const budget = options.perRequestBudgetUsd;
    if (prefix && budget !== undefined && committedUsd + attempt.worstCaseUsd > budget) {
      const total = committedUsd + attempt.worstCaseUsd;
      const question = `Continuing the answer on ${attempt.body.model} could bring it to $${total.toFixed(4)} in all, over your per-request budget of $${budget.toFixed(4)}. Continue?`;
      if (!(await deps.confirm(question))) continue;
    }

    // Wait for this attempt's model while it cools (or after a failure of the same model).
    const sameAsBefore = previous !== undefined && previous.body.model === attempt.body.model;
    let wait = 0;
    const until = cooling(attempt);
    if (until !== undefined) wait = Math.max(0, until - deps.now());
    if (sameAsBefore) {
      const backoff = nextBackoffMs(retries, waited, deps.random, lastFailure?.retryAfterMs);
      // Out of retries for this model: something else may still be queued.
      if (backoff === undefined) continue;
      wait = Math.max(wait, backoff);
      retries++;
    }
    if (wait > 0) {
      if (waited + wait > maxWaitMs) {
        // Too long: try something else that is not cooling, or give up.
        if (queue.some((a) => usable(a) && cooling(a) === undefined)) continue;
        break;
      }
      announce(attempt);
      notify({ kind: 'wait', text: `waiting ${Math.ceil(wait / 1000)} s for ${short(attempt.body.model)}` });
      await deps.sleep(wait);
      waited += wait;
      if (deps.aborted()) throw stopped();
    }

    announce(attempt);
    previous = attempt;
    try {
      const result = await deps.send(attempt, prefix);
      deps.breakers.get(targetKey(attempt.body.model)).recordSuccess(deps.now());
      if (result.provider) deps.breakers.get(targetKey(attempt.body.model, providerSlug(result.provider))).recordSuccess(deps.now());
      deps.reportKey?.(attempt.keyId, { ok: true });
      return { result, attempt, prefix, events };
    } catch (error) {
      if (!(error instanceof FailureError)) throw error;
      const failure = error.failure;
      lastFailure = failure;
      const verdict = classifyFailure(failure, { allowModerationFallback: options.allowModerationFallback ?? false });
      if (verdict.coolTarget) {
        deps.breakers.get(targetKey(attempt.body.model)).recordFailure(deps.now(), failure.retryAfterMs);
        // The provider OpenRouter names is cooled too: plans then expect it last (health.unstableProviders).
        if (failure.provider) deps.breakers.get(targetKey(attempt.body.model, providerSlug(failure.provider))).recordFailure(deps.now(), failure.retryAfterMs);
      }
      if (failure.kind !== 'aborted') deps.reportKey?.(attempt.keyId, { ok: false, failure });
      if (verdict.next === 'nextKey') {
        // That key is bad (401) or out of credits (402): the same request on the next untried key.
        rejectedKeys.add(attempt.keyId);
        const nextKey = (deps.keys ?? []).find((k) => !rejectedKeys.has(k.id));
        if (nextKey) {
          const label = (id: string): string => deps.keys?.find((k) => k.id === id)?.label ?? id;
          notify({ kind: 'switch', text: `key “${label(attempt.keyId)}” ${failure.kind === 'credits' ? 'is out of credits' : 'was rejected'} → trying key “${nextKey.label}”` });
          const rekeyed = queue.map((a) => (rejectedKeys.has(a.keyId) ? { ...a, keyId: nextKey.id } : a));
          // Already confirmed (if it needed it): the same request on another key is not asked again.
          const { needsConfirmation: _asked, ...same } = attempt;
          queue.splice(0, queue.length, { ...same, keyId: nextKey.id }, ...rekeyed);
          previous = undefined;
          continue;
        }
      }
      if (failure.kind === 'aborted' || verdict.next === 'stop' || verdict.next === 'nextKey') {
        throw new FailureError({ ...failure, midStream: failure.midStream || prefix.length > 0 });
      }
      const streamed = deps.streamedText();
      if (failure.midStream && streamed) {
        prefix += streamed;
        committedUsd += attempt.worstCaseUsd;
      }
      const candidates = [...new Set(queue.flatMap(modelsOf))];
      const remaining = new Set(remainingModels(verdict, attempt.body.model, [attempt.body.model, ...candidates], deps.models));
      // A transient failure leaves the model usable again once it has cooled.
      if (verdict.next === 'nextCandidate' && failure.retryable) remaining.add(attempt.body.model);
      // Narrow, never widen: a model an earlier failure ruled out (too small a context) stays out.
      const before = allowed;
      allowed = before ? new Set([...remaining].filter((m) => before.has(m))) : remaining;
      // Other models first; the one that just failed comes back last, once it has cooled.
      const failedAgain = queue.filter((a) => a.body.model === attempt.body.model);
      const others = queue.filter((a) => a.body.model !== attempt.body.model);
      queue.splice(0, queue.length, ...others, ...failedAgain);
      // Retry the same model when nothing else is left and the failure is transient.
      const next = queue.find(usable);
      if (!next && failure.retryable && allowed.has(attempt.body.model)) queue.push(stripGroup(attempt));
      // Said when the next attempt is really under way (confirmed, within the wait bound), so a
      // notice never promises a retry or a switch that does not happen.
      pending = { from: attempt.body.model, what: describe(failure), continuing: failure.midStream === true && prefix.length > 0 };
    }
  }
  if (lastFailure) throw new FailureError({ ...lastFailure, midStream: lastFailure.midStream || prefix.length > 0 });
  throw new FailureError({ kind: 'refused', retryable: false, title: 'Not sent', message: 'No attempt of the route could be sent (declined, or every model is cooling down).', action: { label: 'Explain Route', command: 'switchyard.explainRoute' } });
}

/**
 * When the head of the queue is cooling, brings forward the first usable attempt that is not, or
 * else the one whose cooldown ends first: when everything is cooling, wait for the earliest expiry.
 */
function preferReady(queue: Attempt[], usable: (a: Attempt) => boolean, cooling: (a: Attempt) => number | undefined): void {
  const head = queue[0];
  if (!head || cooling(head) === undefined) return;
  let best = -1;
  let bestUntil = Number.POSITIVE_INFINITY;
  queue.forEach((a, i) => {
    if (!usable(a)) return;
    const until = cooling(a) ?? Number.NEGATIVE_INFINITY;
    if (until < bestUntil) {
      best = i;
      bestUntil = until;
    }
  });
  if (best > 0) queue.unshift(...queue.splice(best, 1));
}

/** A retry of a grouped attempt goes to its primary model alone. */
function stripGroup(attempt: Attempt): Attempt {
  if (!attempt.body.models) return attempt;
  const { models: _models, ...body } = attempt.body;
  return { ...attempt, body };
}
