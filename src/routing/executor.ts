/**
 * Runs a {@link Plan}: sends its attempts in order, classifies each failure, cools what failed,
 * moves on (another model, or the same one after its wait), and recovers a stream that died
 * mid-answer by continuing on the next attempt with the partial text as an assistant prefill.
 * Pure: sending, waiting, the clock and randomness are injected.
 */
import { formatPricePerMillion, type ModelInfo } from '../openrouter/catalogue';
import { formatUsd } from '../protocol/units';
import { providerSlug } from './affinity';
import { FailureError, type Failure, type KeyOutcome } from '../openrouter/failures';
import { type BackoffOptions, nextBackoffMs } from './backoff';
import { type BreakerBoard, targetKey } from './breaker';
import { classifyFailure, remainingModels } from './classify';
import type { Attempt, KeyRef, Plan, RandomSource } from './types';
import { clock, describe, short } from './failoverText';
import { preferReady, stripGroup } from './attemptQueue';

/** Something the user should see as it happens ("gpt-4o rate-limited → continuing on claude"). */
export interface ExecutionEvent {
  readonly kind: 'switch' | 'wait' | 'continue' | 'retry' | 'probe';
  readonly text: string;
}

export interface ExecutorDeps<R extends { readonly text: string; readonly provider?: string }> {
  /** Sends one attempt; `prefill` is the answer so far (empty for a fresh start). Rejects with a FailureError. */
  send(attempt: Attempt, prefill: string): Promise<R>;
  /** Waits (shown to the user with why); resolves early when the user stops (`aborted()` turns true) or presses Send now. */
  sleep(ms: number, why?: WaitReason): Promise<void>;
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
  /** Backoff of same-model retries (default {@link DEFAULT_BACKOFF}; chat passes INTERACTIVE_RETRY.backoff). */
  readonly backoff?: BackoffOptions;
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

/** Runs the plan; resolves with the first success, or rejects with the last failure. */
export async function executePlan<R extends { readonly text: string; readonly provider?: string }>(
  plan: Plan,
  deps: ExecutorDeps<R>,
  options: ExecutorOptions = {},
): Promise<Execution<R>> {
  return new PlanRun(plan, deps, options).run();
}

/** Why a wait happens, for the countdown the user sees. */
export interface WaitReason {
  readonly model: string;
  readonly reason: string;
}

/** One execution of a plan: the queue, what was kept of a broken answer, the waits and retries so far. */
class PlanRun<R extends { readonly text: string; readonly provider?: string }> {
  private readonly events: ExecutionEvent[] = [];
  private readonly queue: Attempt[];
  private allowed: Set<string> | undefined;
  private prefix = '';
  private waited = 0;
  private retries = 0;
  private lastFailure: Failure | undefined;
  private previous: Attempt | undefined;
  private readonly rejectedKeys = new Set<string>();
  /** Worst cases of the attempts that already streamed part of this answer (they are billed). */
  private committedUsd = 0;
  /** The failure to announce once the next attempt is under way. */
  private pending: { from: string; what: string; continuing: boolean } | undefined;
  private readonly maxWaitMs: number;

  constructor(
    plan: Plan,
    private readonly deps: ExecutorDeps<R>,
    private readonly options: ExecutorOptions,
  ) {
    this.queue = [...plan.attempts];
    this.maxWaitMs = options.maxWaitMs ?? 60_000;
  }

  async run(): Promise<Execution<R>> {
    while (this.queue.length > 0) {
      if (this.deps.aborted()) throw this.stopped();
      preferReady(
        this.queue,
        (a) => this.usable(a),
        (a) => this.cooling(a),
      );
      const attempt = this.queue.shift()!;
      if (!this.usable(attempt) || !(await this.confirmed(attempt))) continue;
      const wait = this.waitBefore(attempt);
      if (wait === 'skip') continue;
      if (wait === 'giveUp') break;
      if (wait > 0) await this.waitFor(attempt, wait);
      this.announce(attempt);
      this.previous = attempt;
      try {
        return this.succeeded(attempt, await this.deps.send(attempt, this.prefix));
      } catch (error) {
        if (!(error instanceof FailureError)) throw error;
        await this.failed(attempt, error.failure);
      }
    }
    const last = this.lastFailure;
    if (last) throw new FailureError({ ...last, midStream: last.midStream || this.prefix.length > 0 });
    throw new FailureError({
      kind: 'refused',
      retryable: false,
      title: 'Not sent',
      message: 'No attempt of the route was sent: each one needed your confirmation and was declined.',
      action: { label: 'Explain Route', command: 'switchyard.explainRoute' },
    });
  }

  private modelsOf(a: Attempt): readonly string[] {
    return a.body.models ?? [a.body.model];
  }

  private usable(a: Attempt): boolean {
    return !this.allowed || this.modelsOf(a).some((m) => this.allowed!.has(m));
  }

  private cooling(a: Attempt): number | undefined {
    const breaker = this.deps.breakers.get(targetKey(a.body.model));
    return breaker.state(this.deps.now()) === 'open' ? breaker.openUntil() : undefined;
  }

  private notify(event: ExecutionEvent): void {
    this.events.push(event);
    this.deps.notify(event);
  }

  private stopped(): FailureError {
    return new FailureError({
      kind: 'aborted',
      retryable: false,
      midStream: this.prefix.length > 0,
      title: 'Stopped',
      message: 'You stopped this answer.',
    });
  }

  /** Asks first when the attempt needs it, or when continuing would cross the per-request budget. */
  private async confirmed(attempt: Attempt): Promise<boolean> {
    if (attempt.needsConfirmation && !(await this.deps.confirm(attempt.needsConfirmation))) return false;
    const budget = this.options.perRequestBudgetUsd;
    if (!this.prefix || budget === undefined || this.committedUsd + attempt.worstCaseUsd <= budget) return true;
    const total = this.committedUsd + attempt.worstCaseUsd;
    return this.deps.confirm(
      `Continuing the answer on ${attempt.body.model} could bring it to ${formatUsd(total)} in all, over your per-request budget of ${formatUsd(budget)}. Continue?`,
    );
  }

  /**
   * How long to wait before sending `attempt` (ms), or `skip` it (out of retries) or `giveUp`.
   * A retry of the same model waits its backoff within the budget. A model cooling from earlier
   * answers is never refused for that alone (issue 11 §3): within the wait budget it is waited
   * for (a countdown with Send now); beyond it, it is sent at once as its half-open probe.
   */
  private waitBefore(attempt: Attempt): number | 'skip' | 'giveUp' {
    const sameAsBefore = this.previous !== undefined && this.previous.body.model === attempt.body.model;
    const until = this.cooling(attempt);
    let wait = until !== undefined ? Math.max(0, until - this.deps.now()) : 0;
    if (sameAsBefore) {
      const backoff = nextBackoffMs(
        this.retries,
        this.waited,
        this.deps.random,
        this.lastFailure?.retryAfterMs,
        this.options.backoff,
      );
      // Out of retries for this model: something else may still be queued.
      if (backoff === undefined) return 'skip';
      wait = Math.max(wait, backoff);
      this.retries++;
    }
    if (wait === 0 || this.waited + wait <= this.maxWaitMs) return wait;
    // Too long: try something else that is not cooling.
    if (this.queue.some((a) => this.usable(a) && this.cooling(a) === undefined)) return 'skip';
    if (this.lastFailure) return 'giveUp';
    // Nothing failed in this answer: the cooling comes from earlier ones. Probe now, and say so.
    const breaker = this.deps.breakers.get(targetKey(attempt.body.model));
    const why = breaker.lastReason();
    breaker.probeNow(this.deps.now());
    this.notify({
      kind: 'probe',
      text: `${short(attempt.body.model)} is cooling down until ${clock(until ?? this.deps.now())}${why ? ` (it ${why})` : ''} → sending now as a probe`,
    });
    return 0;
  }

  private async waitFor(attempt: Attempt, wait: number): Promise<void> {
    this.announce(attempt);
    const earlier = this.deps.breakers.get(targetKey(attempt.body.model)).lastReason();
    const why = this.lastFailure
      ? `after it ${describe(this.lastFailure)}`
      : `cooling down after it ${earlier ?? 'failed recently'}`;
    this.notify({
      kind: 'wait',
      text: `waiting ${Math.ceil(wait / 1000)} s for ${short(attempt.body.model)} (until ${clock(this.deps.now() + wait)}, ${why})`,
    });
    const started = this.deps.now();
    await this.deps.sleep(wait, { model: attempt.body.model, reason: why });
    // Send now may end the wait early: only the time really waited counts.
    this.waited += Math.min(wait, Math.max(0, this.deps.now() - started) || wait);
    if (this.deps.aborted()) throw this.stopped();
  }

  /** Said when the next attempt is really under way, so a notice never promises what does not happen. */
  private announce(next: Attempt): void {
    if (!this.pending) return;
    const { from, what, continuing } = this.pending;
    this.pending = undefined;
    if (continuing)
      this.notify({
        kind: 'continue',
        text: `${short(from)} ${what} mid-answer → continuing on ${short(next.body.model)}`,
      });
    else if (next.body.model === from) this.notify({ kind: 'retry', text: `${short(from)} ${what} → retrying` });
    else this.notify({ kind: 'switch', text: `${short(from)} ${what} → trying ${short(next.body.model)}` });
  }

  private succeeded(attempt: Attempt, result: R): Execution<R> {
    const now = this.deps.now();
    this.deps.breakers.get(targetKey(attempt.body.model)).recordSuccess(now);
    if (result.provider)
      this.deps.breakers.get(targetKey(attempt.body.model, providerSlug(result.provider))).recordSuccess(now);
    this.deps.reportKey?.(attempt.keyId, { ok: true });
    return { result, attempt, prefix: this.prefix, events: this.events };
  }

  /** Classifies a failure, cools what failed, and sets up what comes next (or throws when nothing does). */
  private async failed(attempt: Attempt, failure: Failure): Promise<void> {
    this.lastFailure = failure;
    const verdict = classifyFailure(failure, {
      allowModerationFallback: this.options.allowModerationFallback ?? false,
    });
    if (verdict.coolTarget) this.cool(attempt, failure);
    if (failure.kind !== 'aborted') this.deps.reportKey?.(attempt.keyId, { ok: false, failure });
    if (verdict.next === 'nextKey' && this.rekey(attempt, failure)) return;
    if (failure.kind === 'aborted' || verdict.next === 'stop' || verdict.next === 'nextKey') {
      throw new FailureError({ ...failure, midStream: failure.midStream || this.prefix.length > 0 });
    }
    const streamed = this.deps.streamedText();
    if (failure.midStream && streamed) {
      this.prefix += streamed;
      this.committedUsd += attempt.worstCaseUsd;
    }
    this.narrow(attempt, failure, verdict);
    await this.offerPaidTwin(attempt, failure);
    this.pending = {
      from: attempt.body.model,
      what: describe(failure),
      continuing: failure.midStream === true && this.prefix.length > 0,
    };
  }

  private cool(attempt: Attempt, failure: Failure): void {
    const now = this.deps.now();
    // A limit that resets hours away cools for the breaker's longest cooldown, not for hours.
    const reason = describe(failure);
    this.deps.breakers.get(targetKey(attempt.body.model)).recordFailure(now, failure.retryAfterMs, reason);
    // The provider OpenRouter names is cooled too: plans then expect it last (health.unstableProviders).
    if (failure.provider)
      this.deps.breakers
        .get(targetKey(attempt.body.model, providerSlug(failure.provider)))
        .recordFailure(now, failure.retryAfterMs, reason);
  }

  /** That key is bad (401) or out of credits (402): the same request on the next untried key. */
  private rekey(attempt: Attempt, failure: Failure): boolean {
    this.rejectedKeys.add(attempt.keyId);
    const nextKey = (this.deps.keys ?? []).find((k) => !this.rejectedKeys.has(k.id));
    if (!nextKey) return false;
    const label = (id: string): string => this.deps.keys?.find((k) => k.id === id)?.label ?? id;
    this.notify({
      kind: 'switch',
      text: `key “${label(attempt.keyId)}” ${failure.kind === 'credits' ? 'is out of credits' : 'was rejected'} → trying key “${nextKey.label}”`,
    });
    const rekeyed = this.queue.map((a) => (this.rejectedKeys.has(a.keyId) ? { ...a, keyId: nextKey.id } : a));
    // Already confirmed (if it needed it): the same request on another key is not asked again.
    const { needsConfirmation: _asked, ...same } = attempt;
    this.queue.splice(0, this.queue.length, { ...same, keyId: nextKey.id }, ...rekeyed);
    this.previous = undefined;
    return true;
  }

  /** Narrows the candidates after a failure and orders the queue: others first, the failed model last. */
  private narrow(attempt: Attempt, failure: Failure, verdict: ReturnType<typeof classifyFailure>): void {
    const candidates = [...new Set(this.queue.flatMap((a) => this.modelsOf(a)))];
    const remaining = new Set(
      remainingModels(verdict, attempt.body.model, [attempt.body.model, ...candidates], this.deps.models),
    );
    // A transient failure leaves the model usable again once it has cooled.
    if (verdict.next === 'nextCandidate' && failure.retryable) remaining.add(attempt.body.model);
    // Narrow, never widen: a model an earlier failure ruled out (too small a context) stays out.
    const before = this.allowed;
    this.allowed = before ? new Set([...remaining].filter((m) => before.has(m))) : remaining;
    const failedAgain = this.queue.filter((a) => a.body.model === attempt.body.model);
    const others = this.queue.filter((a) => a.body.model !== attempt.body.model);
    this.queue.splice(0, this.queue.length, ...others, ...failedAgain);
    // Retry the same model when nothing else is left and the failure is transient.
    if (!this.queue.find((a) => this.usable(a)) && failure.retryable && this.allowed.has(attempt.body.model))
      this.queue.push(stripGroup(attempt));
  }

  /**
   * A free model hit a limit that resets hours away: its paid twin (the same id without `:free`)
   * may serve, but only with the user's yes (issue 11 §4).
   */
  private async offerPaidTwin(attempt: Attempt, failure: Failure): Promise<void> {
    if (failure.kind !== 'rateLimit' || failure.retryable || !attempt.body.model.endsWith(':free')) return;
    const twin = attempt.body.model.slice(0, -':free'.length);
    const info = this.deps.models.get(twin);
    if (!info || this.queue.some((a) => a.body.model === twin)) return;
    if (
      !(await this.deps.confirm(
        `${failure.message} Use the paid ${twin} instead (about ${formatPricePerMillion(info.promptPrice + info.completionPrice)} per million tokens)?`,
      ))
    )
      return;
    this.allowed?.add(twin);
    this.queue.unshift({
      keyId: attempt.keyId,
      body: { model: twin, ...(attempt.body.provider ? { provider: attempt.body.provider } : {}) },
      worstCaseUsd: attempt.worstCaseUsd,
    });
  }
}
