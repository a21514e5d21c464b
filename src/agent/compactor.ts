/**
 * Compaction as an agent task does it (./compaction.ts decides what is kept): before a step whose
 * prompt would pass `switchyard.agent.compaction.threshold` of the model's context, and on
 * `/compact`, the older part of the model-facing transcript is summarized by a model of the
 * `compact` tier — planned by the router and sent by the turn layer like any request, its cost
 * counted in the task's spend — and the task goes on with the summary in its place. It shows as a
 * step of its own: "Compacted 84k → 6k tokens", with the model and cost on its meta line.
 *
 * The summary request carries no `session_id` and leaves the task's sticky provider alone: the
 * next step goes back to the provider holding the task's prompt cache, whose prefix (tool
 * definitions, system prompt, instructions) is unchanged. A compaction that fails (model error,
 * budget, nothing returned) says so on its card and the task goes on with the old elision of
 * tool results; Stop stops it like a step. The user's view keeps every step. Pure.
 */
import { DEFAULT_CONTEXT_LENGTH } from '../openrouter/catalogue';
import { FailureError, noKeyFailure, routeRefusedFailure } from '../openrouter/failures';
import type { WireMessage } from '../openrouter/wire';
import { formatCompact, formatUsd } from '../protocol/units';
import type { AnswerMeta } from '../protocol/messages';
import type { KeyRef, Plan, RouteRequest, RoutingPolicy } from '../routing/types';
import { runTurn, TurnFailure, type TurnSpend } from '../turn/send';
import type { AgentEnvironment } from './agentEnv';
import {
  compactedTranscript,
  compactionLimit,
  DEFAULT_COMPACT_THRESHOLD,
  ELISION_SHARE,
  KEEP_STEPS,
  planCompaction,
  SUMMARY_MAX_TOKENS,
  summaryRequest,
  type CompactionPlan,
} from './compaction';
import type { TaskView } from './taskView';
import { trimTranscript, type AgentMessage } from './transcript';
import { maxTokensFor } from './stepRoute';
import { transcriptTokens } from './turn';
import { messageTokens, type MessageTokens } from './tokenCount';
import { DEFAULT_TIER_MODELS, resolveTier, tierRoute } from './tiers';

/** The routing tier of summaries (a `switchyard.routing.tiers.compact` list applies when set). */
export const COMPACT_TIER = 'compact';

export interface CompactorDeps {
  readonly env: AgentEnvironment;
  readonly view: TaskView;
  /** The task's spend so far (the per-request budget applies to the whole task). */
  spentUsd(): number;
  /** Counts a summary's cost in the task's spend: what usage said now, the rest when looked up (on card `cardId`). */
  charge(spend: TurnSpend, cardId: string): void;
  /** Sizes a message: the task's shared count (./tokenCount.ts); default: counted afresh. */
  readonly count?: MessageTokens;
  /** Parts kept word for word after the summary of `head` (the plan, the to-do list: ./pinned.ts). */
  pinned?(head: readonly AgentMessage[]): readonly string[];
  /** The route of a summary; default: {@link summaryRoute}. */
  route?(promptTokens: number, maxOutputTokens: number): SummaryRoute;
}

/** A summary's route request, and the policy change its tier's model list needs (./tiers.ts). */
export interface SummaryRoute {
  readonly request: RouteRequest;
  readonly adjust?: (policy: RoutingPolicy) => RoutingPolicy;
}

/**
 * Where a summary goes: a `switchyard.routing.tiers.compact` list, when set and the compact tier of
 * `switchyard.agent.models` is `auto`, is routed like a command's tier (the list, then the pick);
 * otherwise the `compact` tier of ./tiers.ts decides — on `auto` the cheapest tool-capable models
 * with a large context, never dearer than the pick; `picked`; or a model id — and manual routing
 * keeps the pick. No tools either way.
 */
export function summaryRoute(env: AgentEnvironment, promptTokens: number, maxOutputTokens: number): SummaryRoute {
  const base = { promptTokens, maxOutputTokens, needsVision: false, needsTools: false };
  const policy = env.router.policy();
  const setting = (env.agentSettings().tiers ?? DEFAULT_TIER_MODELS).compact;
  const pickedModel = env.settings().model;
  if (setting.trim() === 'auto' && policy.mode !== 'manual' && policy.tiers[COMPACT_TIER]?.length)
    return { request: { ...base, tier: COMPACT_TIER, fromCommand: true, pickedModel } };
  const choice = resolveTier({
    tier: 'compact',
    setting,
    pickedModel,
    catalogue: env.router.knowledge([]).models,
    manual: policy.mode === 'manual',
  });
  env.log.info(`compaction: ${choice.reason}`);
  return tierRoute(choice, base);
}

/** What a compaction did, for the loop and the tests. */
export type CompactionResult =
  | { readonly kind: 'compacted'; readonly messages: AgentMessage[]; readonly before: number; readonly after: number }
  | { readonly kind: 'elided'; readonly messages: AgentMessage[]; readonly reason: string };

/** True for the `/compact` command typed as the message (the composer's slash menu inserts it). */
export function isCompactCommand(text: string): boolean {
  return /^\/compact\s*$/i.test(text.trim());
}

export class Compactor {
  constructor(private readonly deps: CompactorDeps) {}

  private get env(): AgentEnvironment {
    return this.deps.env;
  }

  private get count(): MessageTokens {
    return this.deps.count ?? messageTokens((t) => this.env.tokens(t));
  }

  /** The context length of the task's model (undefined when the catalogue does not know it). */
  private contextLength(): number | undefined {
    return this.env.modelInfo(this.env.settings().model)?.contextLength;
  }

  /** The prompt tokens of `messages` as a step would send them (tool definitions included). */
  promptTokens(messages: readonly AgentMessage[]): number {
    const extra = this.env.extras?.functions(this.contextLength() ?? DEFAULT_CONTEXT_LENGTH) ?? [];
    return transcriptTokens(messages, (t) => this.env.tokens(t), extra, undefined, this.count);
  }

  /** Past this many prompt tokens a step compacts first; undefined for a model of unknown context. */
  limit(): number | undefined {
    const context = this.contextLength();
    if (context === undefined) return undefined;
    const threshold = this.env.agentSettings().compactThreshold ?? DEFAULT_COMPACT_THRESHOLD;
    return compactionLimit(context, maxTokensFor(this.env, this.env.settings().model), threshold);
  }

  /**
   * The transcript's own budget (tool definitions left out) past which old tool results are
   * elided: the compaction limit, so elision only acts where compaction could not.
   */
  elisionBudget(): number | undefined {
    const limit = this.limit();
    return limit === undefined ? undefined : Math.max(0, limit - this.promptTokens([]));
  }

  /** Before a step: the compacted (or, when compaction failed, elided) transcript; undefined when it fits. */
  async beforeStep(messages: readonly AgentMessage[], signal: AbortSignal): Promise<CompactionResult | undefined> {
    const limit = this.limit();
    if (limit === undefined) return undefined;
    const before = this.promptTokens(messages);
    if (before <= limit) return undefined;
    const plan = planCompaction(messages);
    if (!plan) {
      this.env.log.info(`agent: the prompt (${before} tokens) passes ${limit}, but no earlier step can be summarized`);
      return undefined;
    }
    return this.run(messages, plan, before, signal);
  }

  /** `/compact`: compacts now, whatever the size; undefined (with the reason) when there is nothing to summarize. */
  async compactNow(
    messages: readonly AgentMessage[],
    signal: AbortSignal,
  ): Promise<CompactionResult | { readonly kind: 'nothing' }> {
    const plan = planCompaction(messages);
    if (!plan) return { kind: 'nothing' };
    return this.run(messages, plan, this.promptTokens(messages), signal);
  }

  /**
   * `/compact` typed as the message: the user's line, then the compaction as a step of its own;
   * the transcript to go on with (undefined: unchanged — nothing to summarize yet, or stopped).
   */
  async command(
    text: string,
    messages: readonly AgentMessage[],
    signal: AbortSignal,
  ): Promise<AgentMessage[] | undefined> {
    const env = this.env;
    this.deps.view.add({ id: env.newId(), role: 'user', text, status: 'done', createdAt: env.now() });
    env.post({ type: 'busy', busy: true });
    const result = await this.compactNow(messages, signal).catch(() => undefined);
    if (result?.kind === 'nothing')
      env.post({
        type: 'composerNotice',
        level: 'info',
        text: `Nothing to compact yet: the task has no steps before the last ${KEEP_STEPS} to summarize.`,
      });
    return result && result.kind !== 'nothing' ? result.messages : undefined;
  }

  /** Summarizes `plan.head`, shown as its own step; a failure elides instead (Stop rethrows). */
  private async run(
    messages: readonly AgentMessage[],
    plan: CompactionPlan,
    before: number,
    signal: AbortSignal,
  ): Promise<CompactionResult> {
    const id = this.env.newId();
    this.deps.view.add({
      id,
      role: 'assistant',
      text: `Compacting ${formatCompact(before)} tokens of context…`,
      status: 'streaming',
      createdAt: this.env.now(),
      meta: { requestedModel: this.env.settings().model },
    });
    try {
      const compacted = await this.summarize(plan, id, signal);
      const after = this.promptTokens(compacted);
      if (after >= before)
        throw new FailureError(routeRefusedFailure('the summary was not shorter than what it replaces'));
      const steps =
        plan.summarizedSteps === 1
          ? '1 earlier step was summarized for the model; it stays'
          : `${plan.summarizedSteps} earlier steps were summarized for the model; they stay`;
      this.deps.view.change(id, {
        status: 'done',
        text: `**Compacted ${formatCompact(before)} → ${formatCompact(after)} tokens.** ${steps} here in full.`,
      });
      this.env.log.info(`agent: compacted ${before} → ${after} tokens (${plan.summarizedSteps} steps summarized)`);
      return { kind: 'compacted', messages: compacted, before, after };
    } catch (error) {
      const failure = error instanceof FailureError ? error.failure : undefined;
      if (failure?.kind === 'aborted' || signal.aborted) {
        this.deps.view.change(id, { status: 'stopped', text: 'Compaction stopped.' });
        throw error;
      }
      return this.elide(messages, id, failure?.message ?? String(error));
    }
  }

  /** The fallback: old tool results elided as before compaction existed; the card says why. */
  private elide(messages: readonly AgentMessage[], id: string, reason: string): CompactionResult {
    const context = this.contextLength() ?? DEFAULT_CONTEXT_LENGTH;
    const budget = Math.floor(context * ELISION_SHARE) - this.promptTokens([]);
    const trimmed = trimTranscript(messages, Math.max(0, budget), (t) => this.env.tokens(t), this.count);
    this.deps.view.change(id, {
      status: 'done',
      text: `Compaction failed: ${reason} The task goes on; ${trimmed.elided} older tool result${trimmed.elided === 1 ? ' is' : 's are'} elided instead.`,
    });
    this.env.log.warn(`agent: compaction failed (${reason}); ${trimmed.elided} tool results elided instead`);
    return { kind: 'elided', messages: trimmed.messages, reason };
  }

  /** Plans and sends the summary request; the compacted transcript. */
  private async summarize(plan: CompactionPlan, cardId: string, signal: AbortSignal): Promise<AgentMessage[]> {
    const env = this.env;
    const context = this.contextLength() ?? DEFAULT_CONTEXT_LENGTH;
    const input = summaryRequest(
      plan.head,
      Math.max(1024, Math.floor(context * ELISION_SHARE) - SUMMARY_MAX_TOKENS),
      (t) => env.tokens(t),
      this.count,
    );
    const promptTokens = input.reduce((n, m) => n + env.tokens(m.content) + 4, 0);
    const { keys, route } = await this.plan(promptTokens);
    this.deps.view.change(cardId, { meta: { requestedModel: route.attempts[0]?.body.model ?? env.settings().model } });
    try {
      const out = await runTurn(
        env,
        {
          caller: 'compact',
          plan: route,
          draft: {
            body: {
              model: env.settings().model,
              messages: input as WireMessage[],
              stream: true,
              max_tokens: SUMMARY_MAX_TOKENS,
            },
          },
          keys,
        },
        { onRouteEvent: (event) => env.log.info(`compaction route: ${event.text}`) },
        signal,
      );
      this.deps.charge(out.spend, cardId);
      const r = out.result;
      const meta: AnswerMeta = {
        requestedModel: route.attempts[0]?.body.model ?? env.settings().model,
        ...(r.model ? { model: r.model } : {}),
        ...(r.provider ? { provider: r.provider } : {}),
        ...(r.promptTokens !== undefined ? { promptTokens: r.promptTokens } : {}),
        ...(r.completionTokens !== undefined ? { completionTokens: r.completionTokens } : {}),
        ...(out.spend.knownUsd > 0 || r.cost !== undefined ? { cost: out.spend.knownUsd } : {}),
      };
      this.deps.view.change(cardId, { meta });
      if (!r.text.trim()) throw new FailureError(routeRefusedFailure('the model returned no summary.'));
      return compactedTranscript(plan, r.text, this.deps.pinned?.(plan.head) ?? []);
    } catch (error) {
      if (error instanceof TurnFailure) this.deps.charge(error.spend, cardId);
      throw error;
    }
  }

  /** The route of a summary, refused when the task's budget would be crossed. */
  private async plan(promptTokens: number): Promise<{ keys: readonly KeyRef[]; route: Plan }> {
    const env = this.env;
    const keys = await env.keys.refs();
    if (keys.length === 0) throw new FailureError(noKeyFailure());
    const { request, adjust } =
      this.deps.route?.(promptTokens, SUMMARY_MAX_TOKENS) ?? summaryRoute(env, promptTokens, SUMMARY_MAX_TOKENS);
    const route = await env.router.plan(request, keys, adjust ? { adjust } : undefined);
    if (route.refusal) throw new FailureError(routeRefusedFailure(route.refusal.reason));
    if (!route.attempts.length) throw new FailureError(routeRefusedFailure('no model can take the summary.'));
    const budget = route.perRequestBudgetUsd;
    const spent = this.deps.spentUsd();
    if (budget !== undefined && spent + route.worstCaseUsd > budget)
      throw new FailureError(
        routeRefusedFailure(
          `the summary could bring this task to ${formatUsd(spent + route.worstCaseUsd)}, over its budget of ${formatUsd(budget)}.`,
        ),
      );
    return { keys, route };
  }
}
