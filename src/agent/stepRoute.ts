/**
 * The route of one agent step: its tier's model(s) (./tiers.ts), planned by the router like any
 * request (capabilities, providers, fallbacks, sticky routing, budgets), then the task budget
 * (./taskBudget.ts) — which may re-plan the step, and every later one, on a cheaper model — and
 * the line its card shows: which model the tier asked for, why, what the router did, and whether
 * the prompt cache carries over. Pure.
 */
import { DEFAULT_CONTEXT_LENGTH } from '../openrouter/catalogue';
import { FailureError, noKeyFailure, routeRefusedFailure, type Failure } from '../openrouter/failures';
import type { KeyRef, OnBudget, Plan, RouteRequest, RoutingPolicy } from '../routing/types';
import type { ConversationEnv } from '../turn/env';
import type { StickyProvider } from '../turn/sticky';
import { budgetRefusal, budgetVerdict, type TaskBudget } from './taskBudget';
import {
  cheapToolModels,
  DEFAULT_TIER_MODELS,
  resolveTier,
  tierRoute,
  typicalStepUsd,
  type AgentTier,
  type TierChoice,
  type TierModels,
} from './tiers';

/** The task-wide routing state a step is planned with (the session keeps it; a subagent shares its parent's budget). */
export interface TaskRouting {
  readonly tier: AgentTier;
  readonly tiers?: TierModels;
  readonly budget?: TaskBudget;
  /** The task's own `onBudget` (Change Task Budget → cheaper model: `downgrade`), else `routing.onBudget`. */
  readonly onBudget?: OnBudget;
  /** What the task has spent so far, subagents included (USD). */
  spentUsd(): number;
  /** The models the task moved to when its budget ran short: every later step uses them. */
  downgradedTo?: TierChoice;
}

/** A planned step, ready to send. */
export interface PlannedStep {
  readonly keys: readonly KeyRef[];
  readonly plan: Plan;
  readonly request: RouteRequest;
  readonly choice: TierChoice;
  /** Output tokens the step may use on its model. */
  readonly maxTokens: number;
  /** The card's route line. */
  readonly route: string;
  /** Budget notices for the card (a warn, a downgrade). */
  readonly notices: readonly string[];
}

/** The output tokens a step may use on `model`. */
export function maxTokensFor(env: ConversationEnv, model: string): number {
  const info = env.modelInfo(model);
  const contextLength = info?.contextLength ?? DEFAULT_CONTEXT_LENGTH;
  return Math.min(
    env.settings().maxOutputTokens,
    info?.maxCompletionTokens ?? Number.POSITIVE_INFINITY,
    Math.floor(contextLength / 2),
  );
}

/** The tier's choice now (or the task's downgrade). */
export function stepChoice(env: ConversationEnv, routing: TaskRouting): TierChoice {
  if (routing.downgradedTo) return routing.downgradedTo;
  const tiers = routing.tiers ?? DEFAULT_TIER_MODELS;
  return resolveTier({
    tier: routing.tier,
    setting: tiers[routing.tier],
    pickedModel: env.settings().model,
    catalogue: env.router.knowledge([]).models,
    manual: env.router.policy().mode === 'manual',
  });
}

/** The route request of a step on `choice` (with the policy change its tier list needs). */
export function stepRequest(
  choice: TierChoice,
  promptTokens: number,
  maxTokens: number,
  sticky?: StickyProvider,
): ReturnType<typeof tierRoute> {
  const affinity = sticky?.affinity;
  return tierRoute(choice, {
    promptTokens,
    maxOutputTokens: maxTokens,
    needsVision: false,
    needsTools: true,
    parameters: ['tools', 'tool_choice'],
    ...(affinity ? { affinity } : {}),
  });
}

/** Plans a step; throws a FailureError when there is no key, the route is refused or the budget stops it. */
export async function planStep(
  env: ConversationEnv,
  routing: TaskRouting,
  promptTokens: number,
  sticky?: StickyProvider,
): Promise<PlannedStep> {
  const keys = await env.keys.refs();
  if (keys.length === 0) throw new FailureError(noKeyFailure());
  let choice = stepChoice(env, routing);
  let planned = await planOn(env, keys, choice, promptTokens, sticky);
  const notices: string[] = [];
  const budget = routing.budget ?? { source: 'setting' };
  const verdict = budgetVerdict(
    routing.onBudget ?? env.router.policy().onBudget,
    budget,
    routing.spentUsd(),
    planned.plan.worstCaseUsd,
  );
  if (verdict.kind === 'warn') notices.push(verdict.notice);
  if (verdict.kind === 'block') throw new FailureError(budgetFailure(verdict.message));
  if (verdict.kind === 'ask' && !(await env.confirm(verdict.question)))
    throw new FailureError(budgetFailure(budgetRefusal(verdict.why)));
  if (verdict.kind === 'downgrade') {
    const from = planned.plan.attempts[0]?.body.model ?? choice.models[0] ?? '';
    choice = await downgradeChoice(env, keys, choice, planned, verdict, promptTokens);
    routing.downgradedTo = choice;
    planned = await planOn(env, keys, choice, promptTokens, sticky, verdict.remainingUsd);
    const to = planned.plan.attempts[0]?.body.model ?? '';
    notices.push(`Budget: moved to ${to} (from ${from}) for the remaining steps — ${verdict.why}.`);
    env.log.info(`agent: budget: moved to ${to} from ${from}`);
  }
  return { ...planned, keys, choice, notices, route: routeLine(choice, planned.plan, sticky) };
}

/**
 * The plan of a step on `choice`; `remainingUsd` caps each attempt's worst case (a downgraded
 * step); `explain` plans without moving load-balanced routes on and returns a refusal as a plan.
 */
export async function planOn(
  env: ConversationEnv,
  keys: readonly KeyRef[],
  choice: TierChoice,
  promptTokens: number,
  sticky?: StickyProvider,
  remainingUsd?: number,
  explain = false,
): Promise<{ plan: Plan; request: RouteRequest; maxTokens: number }> {
  const maxTokens = maxTokensFor(env, choice.models[0] ?? env.settings().model);
  const { request, adjust } = stepRequest(choice, promptTokens, maxTokens, sticky);
  const capped = (policy: RoutingPolicy): RoutingPolicy => {
    const base = adjust ? adjust(policy) : policy;
    if (remainingUsd === undefined) return base;
    return { ...base, onBudget: 'block', budgets: { ...base.budgets, perRequestUsd: remainingUsd } };
  };
  const plan = await env.router.plan(request, keys, { adjust: capped, ...(explain ? { advance: false } : {}) });
  if (explain) return { plan, request, maxTokens };
  for (const warning of plan.warnings) env.log.warn(`agent route: ${warning}`);
  if (plan.refusal) throw new FailureError(routeRefusedFailure(plan.refusal.reason));
  if (!plan.attempts.length)
    throw new FailureError(routeRefusedFailure('The routing engine found no tool-capable model to send this to.'));
  return { plan, request, maxTokens };
}

/**
 * Where a step goes when its budget runs short. `downgradeToFree`: the same tier, free models only
 * (the router's `downgradeToFree`). `downgrade`: the tool-capable models cheaper than the current
 * one, dearest first (the least step down), handed to the router with what is left of the budget
 * as the per-request limit — it keeps the first that fits; that and the next two are the task's
 * models from now on. Neither fits: the task stops, with the ways forward.
 */
async function downgradeChoice(
  env: ConversationEnv,
  keys: readonly KeyRef[],
  current: TierChoice,
  planned: { plan: Plan },
  verdict: { toFree: boolean; remainingUsd: number; why: string },
  promptTokens: number,
): Promise<TierChoice> {
  const refuse = (what: string): never => {
    throw new FailureError(budgetFailure(budgetRefusal(`${verdict.why}, and ${what}`)));
  };
  const catalogue = env.router.knowledge([]).models;
  if (verdict.toFree) {
    const free = [...catalogue.values()].filter(
      (m) => m.isFree && m.supportsTools && m.contextLength >= promptTokens + 1024,
    );
    if (!free.length) return refuse('no free tool-capable model can take the remaining steps');
    return {
      tier: current.tier,
      models: free.slice(0, 3).map((m) => m.id),
      source: 'catalogue',
      reason: 'budget: free models (onBudget: downgradeToFree)',
    };
  }
  const from = planned.plan.attempts[0]?.body.model ?? '';
  const ceiling = typicalStepUsd(catalogue.get(from));
  const cheaper = cheapToolModels(catalogue, promptTokens + 1024, ceiling, new Set([from])).filter(
    (m) => ceiling === undefined || (typicalStepUsd(m) ?? ceiling) < ceiling,
  );
  cheaper.reverse();
  if (!cheaper.length) return refuse(`no tool-capable model cheaper than ${from} can take the remaining steps`);
  const reason =
    'budget: the router’s choice among cheaper tool-capable models that fit what is left (onBudget: downgrade)';
  const probe: TierChoice = { tier: current.tier, models: cheaper.map((m) => m.id), source: 'catalogue', reason };
  const plan = await planOn(env, keys, probe, promptTokens, undefined, verdict.remainingUsd).catch(() =>
    refuse(`no cheaper tool-capable model fits the ${verdict.remainingUsd.toFixed(4)} USD left`),
  );
  const first = plan.plan.attempts[0];
  const kept = first?.body.models ?? (first ? [first.body.model] : []);
  return { ...probe, models: kept.slice(0, 3) };
}

/** The card's line: the tier's reason, what the router placed first and by which rule, and the cache. */
export function routeLine(choice: TierChoice, plan: Plan, sticky?: StickyProvider): string {
  const first = plan.attempts[0]?.body.model ?? choice.models[0] ?? '';
  const placed = plan.decisions.find(
    (d) => d.model === first && d.verdict === 'placed' && !/^(affinity|provider)\./.test(d.rule),
  );
  const pinned = plan.decisions.some((d) => d.model === first && d.rule === 'affinity.cache');
  const pin = sticky?.affinity;
  const cache = pinned
    ? `sticky to ${pin?.provider ?? 'the last provider'} (prompt cache kept)`
    : pin && pin.model !== first
      ? `new prompt cache (the last step ran on ${pin.model})`
      : '';
  const router = placed ? `router: ${first} by ${placed.rule}` : `router: ${first}`;
  return [choice.reason, router, cache].filter(Boolean).join(' · ');
}

/** The task would cross its budget: refused before sending, said as a budget stop with its ways forward. */
export function budgetFailure(message: string): Failure {
  return {
    kind: 'refused',
    retryable: false,
    title: 'Task budget reached',
    message,
    action: { label: 'Change Task Budget', command: 'switchyard.agent.setTaskBudget' },
  };
}
