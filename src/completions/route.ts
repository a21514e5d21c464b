/**
 * How a completion request travels: a `complete` tier planned by the routing engine like any
 * request (budgets, provider preferences, free-first, routes), but latency-first and without the
 * executor's patience. Rules (README › Inline completions › Routing):
 *
 * - `provider.sort: "latency"` unless the user set a sort (or a `nitro`/`floor` variant);
 * - sticky: the provider that served the last completion is asked first (the planner's affinity);
 * - the first attempt whose model is not cooling *for completions* goes; attempts that need the
 *   user's confirmation never do; no waits, no retries, no mid-stream recovery;
 * - a failure is dropped silently and cools that model in the completions' own breaker board
 *   (chat's breakers are not touched: a slow completion model must not reroute the chat);
 * - `max_tokens` small; for a single-line context the stream is read until the first complete
 *   line and then closed. A reply the limit cut off (`finish_reason: "length"`) keeps only its
 *   complete lines: a line cut mid-way would leave broken code.
 *
 * Sending is one call of the turn layer (src/turn/send.ts `sendAttempt`), like a chat answer or
 * an agent step: the same client per key, body function, key reports and spend — usage, else
 * `/generation`, else the worst case marked as an estimate — for every request that went out,
 * cut early, aborted by a keystroke or failed.
 */
import { FailureError, type Failure } from '../openrouter/failures';
import type { TextMessage } from '../openrouter/wire';
import { affinityConflict, providerSlug } from '../routing/affinity';
import { type BreakerBoard, targetKey } from '../routing/breaker';
import type { Attempt, Plan, RouteRequest, RoutingPolicy } from '../routing/types';
import { cutOffOf } from '../turn/answerMeta';
import type { TurnEnv } from '../turn/env';
import { sendAttempt, TurnFailure, type TurnSpend } from '../turn/send';
import type { FimPrompt } from './prompt';

/** The routing tier of completions (`switchyard.routing.tiers.complete` lists its models). */
export const COMPLETE_TIER = 'complete';

/** `max_tokens` of a one-line suggestion, and per line of a multi-line one (capped at 256). */
export const MAX_TOKENS = { singleLine: 48, perLine: 24, cap: 256 } as const;

export function maxTokensFor(multiline: boolean, maxLines: number): number {
  return multiline ? Math.min(MAX_TOKENS.cap, MAX_TOKENS.perLine * Math.max(1, maxLines)) : MAX_TOKENS.singleLine;
}

/** The policy for completions: latency-first unless the user chose a sort. */
export function latencyFirst(policy: RoutingPolicy): RoutingPolicy {
  if (policy.provider.sort !== undefined || policy.provider.variant !== undefined) return policy;
  return { ...policy, provider: { ...policy.provider, sort: 'latency' } };
}

/** The route request of a completion. `model` is `switchyard.completions.model` (else the tier). */
export function completionRouteRequest(
  promptTokens: number,
  maxTokens: number,
  model: string | undefined,
): RouteRequest {
  return {
    tier: COMPLETE_TIER,
    ...(model ? { pickedModel: model } : {}),
    promptTokens,
    maxOutputTokens: maxTokens,
    needsVision: false,
    needsTools: false,
    parameters: ['max_tokens', 'temperature'],
  };
}

/**
 * Sticky routing: the attempt of the model that served the last completion asks its provider
 * first (`order`, others still allowed; the latency sort orders the rest). The user's own
 * `order`, `sort`, `only`, `ignore` and `allow_fallbacks: false` win (routing/affinity.ts).
 */
export function stickTo(
  attempt: Attempt,
  sticky: { model: string; provider: string } | undefined,
  userPolicy: RoutingPolicy,
): Attempt {
  if (!sticky || attempt.body.model !== sticky.model) return attempt;
  const provider = attempt.body.provider;
  const { sort: _sort, ...withoutOurSort } = provider ?? {};
  if (
    affinityConflict(
      userPolicy.provider.sort !== undefined || userPolicy.provider.variant !== undefined ? provider : withoutOurSort,
      sticky.provider,
    )
  )
    return attempt;
  return { ...attempt, body: { ...attempt.body, provider: { ...(provider ?? {}), order: [sticky.provider] } } };
}

/**
 * The attempt to send: the first that needs no confirmation and whose model (every model of a
 * grouped attempt's list) may go now in the completions' breaker board. Claims a half-open probe.
 */
export function pickAttempt(plan: Plan, breakers: BreakerBoard, now: number): Attempt | undefined {
  for (const attempt of plan.attempts) {
    if (attempt.needsConfirmation) continue;
    const models = attempt.body.models ?? [attempt.body.model];
    const open = models.filter((m) => breakers.get(targetKey(m)).state(now) === 'open');
    if (open.length === models.length) continue;
    if (open.length > 0) {
      // Keep only what may go: a grouped list without the cooling models.
      const left = models.filter((m) => !open.includes(m));
      const { models: _all, ...body } = attempt.body;
      const trimmed: Attempt = {
        ...attempt,
        body: { ...body, model: left[0]!, ...(left.length > 1 ? { models: left } : {}) },
      };
      if (!breakers.get(targetKey(trimmed.body.model)).tryAcquire(now)) continue;
      return trimmed;
    }
    if (!breakers.get(targetKey(attempt.body.model)).tryAcquire(now)) continue;
    return attempt;
  }
  return undefined;
}

/** True once `raw` holds a whole line of content (after an opening fence and blank lines). */
export function hasFirstLine(raw: string): boolean {
  const body = raw.replace(/^\s*```[^\n]*\n/, '').replace(/^\s*\n/, '');
  const newline = body.indexOf('\n');
  return newline > 0 && body.slice(0, newline).trim() !== '';
}

/** What the sender needs from the host. */
export interface SenderDeps {
  /** Plans with the engine; `adjust` turns the user's policy into the completions' one. */
  plan(request: RouteRequest, adjust: (policy: RoutingPolicy) => RoutingPolicy): Promise<Plan>;
  /** What the turn layer sends with: keys, a client per key, the spend ledger, the log. */
  readonly turn: TurnEnv;
  /** The completions' own breakers (never chat's). */
  readonly breakers: BreakerBoard;
  now(): number;
  log?(message: string): void;
}

/** One completion request. */
export interface SendRequest {
  readonly prompt: FimPrompt;
  readonly multiline: boolean;
  readonly maxTokens: number;
  /** `switchyard.completions.model`, or undefined for the `complete` tier. */
  readonly model?: string;
  /** Aborted on the next keystroke. */
  readonly signal: AbortSignal;
  /** The raw text so far, after each piece. */
  onText?(raw: string): void;
  /** Asked with the attempt's worst case before sending; false = do not send (budget). */
  allow(worstUsd: number): boolean;
  /** Called when the request leaves (it counts, and may be billed, from then on). */
  onSent?(attempt: Attempt): void;
}

/**
 * What came back. `costUsd` is what usage said (counted at once); `later` what the turn layer
 * finds out afterwards (`/generation`, else the worst case), already in the routing ledger.
 */
export interface SendResult {
  readonly text: string;
  readonly costUsd: number;
  readonly later?: Promise<number>;
  readonly model: string;
  readonly provider?: string;
  /** The stream was closed after the first line. */
  readonly cutEarly: boolean;
}

/** Why nothing came back (logged; a `failed` one's model and failure feed the status item). */
export type SendMiss = {
  readonly miss: 'refused' | 'cooling' | 'budget' | 'aborted' | 'failed';
  readonly detail: string;
  readonly costUsd: number;
  readonly later?: Promise<number>;
  readonly model?: string;
  readonly failure?: Failure;
};

/** The cost of a turn as the engine counts it. */
function costOf(spend: TurnSpend): { costUsd: number; later: Promise<number> } {
  return { costUsd: spend.knownUsd, later: spend.rest.then((s) => s.usd) };
}

/** Sends completion requests through the routing engine; holds the sticky provider. */
export class CompletionSender {
  private sticky: { model: string; provider: string } | undefined;

  constructor(private readonly deps: SenderDeps) {}

  /** The (model, provider) that served the last completion. */
  get stickyRoute(): { model: string; provider: string } | undefined {
    return this.sticky;
  }

  async send(request: SendRequest): Promise<SendResult | SendMiss> {
    const attempt = await this.chooseAttempt(request);
    if ('miss' in attempt) return attempt;
    const draft = {
      body: {
        model: attempt.body.model,
        messages: request.prompt.messages,
        stream: true,
        max_tokens: request.maxTokens,
        temperature: 0,
      },
      extras: false as const,
    };
    const stop = new AbortController();
    const onAbort = (): void => stop.abort();
    request.signal.addEventListener('abort', onAbort, { once: true });
    const streamed = { raw: '', cutEarly: false };
    request.onSent?.(attempt);
    const onText = (piece: string): void => {
      streamed.raw += piece;
      request.onText?.(streamed.raw);
      if (!request.multiline && !streamed.cutEarly && hasFirstLine(streamed.raw)) {
        streamed.cutEarly = true;
        stop.abort();
      }
    };
    try {
      const { result, spend } = await sendAttempt<TextMessage>(
        this.deps.turn,
        {
          caller: 'completion',
          plan: { attempts: [attempt], decisions: [], warnings: [], notes: [], worstCaseUsd: attempt.worstCaseUsd },
          draft,
          keys: [],
          attempt,
        },
        { onText },
        stop.signal,
      );
      this.served(attempt, result.model, result.provider);
      return {
        text: cutOffOf(result.finishReason) === 'length' ? completeLines(result.text) : result.text,
        ...costOf(spend),
        model: result.model ?? attempt.body.model,
        ...(result.provider ? { provider: result.provider } : {}),
        cutEarly: false,
      };
    } catch (error) {
      return this.unfinished(error, attempt, request.signal, streamed);
    } finally {
      request.signal.removeEventListener('abort', onAbort);
    }
  }

  /** The attempt to send: planned latency-first, not cooling, kept on the sticky provider, within the daily budget. */
  private async chooseAttempt(request: SendRequest): Promise<Attempt | SendMiss> {
    const routeRequest = completionRouteRequest(request.prompt.promptTokens, request.maxTokens, request.model);
    let userPolicy: RoutingPolicy | undefined;
    const plan = await this.deps.plan(routeRequest, (policy) => {
      userPolicy = policy;
      return latencyFirst(policy);
    });
    if (plan.refusal) return { miss: 'refused', detail: plan.refusal.reason, costUsd: 0 };
    if (request.signal.aborted) return { miss: 'aborted', detail: 'superseded before sending', costUsd: 0 };
    const picked = pickAttempt(plan, this.deps.breakers, this.deps.now());
    const attempt = picked && userPolicy ? stickTo(picked, this.sticky, userPolicy) : picked;
    if (!attempt) return { miss: 'cooling', detail: 'every completion model is cooling down', costUsd: 0 };
    if (!request.allow(attempt.worstCaseUsd))
      return { miss: 'budget', detail: 'the daily completions budget would be crossed', costUsd: 0 };
    return attempt;
  }

  /**
   * A send that threw: the first line when it was cut early on purpose, else aborted by a keystroke,
   * else failed (dropped silently; the model cools for completions only). What was billed is kept.
   */
  private unfinished(
    error: unknown,
    attempt: Attempt,
    signal: AbortSignal,
    streamed: { raw: string; cutEarly: boolean },
  ): SendResult | SendMiss {
    const failure = error instanceof FailureError ? error.failure : undefined;
    const cost = error instanceof TurnFailure ? costOf(error.spend) : { costUsd: 0 };
    if (failure?.kind === 'aborted' && streamed.cutEarly) {
      this.served(attempt, undefined, undefined);
      return { text: streamed.raw, ...cost, model: attempt.body.model, cutEarly: true };
    }
    if (failure?.kind === 'aborted' || signal.aborted)
      return { miss: 'aborted', detail: 'aborted by a keystroke', ...cost };
    this.deps.breakers.get(targetKey(attempt.body.model)).recordFailure(this.deps.now(), failure?.retryAfterMs);
    if (this.sticky?.model === attempt.body.model) this.sticky = undefined;
    return {
      miss: 'failed',
      detail: failure ? `${attempt.body.model}: ${failure.title}` : String(error),
      ...cost,
      model: attempt.body.model,
      ...(failure ? { failure } : {}),
    };
  }

  private served(attempt: Attempt, model: string | undefined, provider: string | undefined): void {
    this.deps.breakers.get(targetKey(attempt.body.model)).recordSuccess(this.deps.now());
    if (provider) this.sticky = { model: model ?? attempt.body.model, provider: providerSlug(provider) };
  }
}

/** The complete lines of a reply the output limit cut off: its last, unfinished line dropped. */
export function completeLines(text: string): string {
  return text.slice(0, text.lastIndexOf('\n') + 1);
}

/** True when a send produced text. */
export function isSendResult(value: SendResult | SendMiss): value is SendResult {
  return 'text' in value;
}
