/**
 * Explain Route in agent mode: the route of the running (or current) task's next step — its tier's
 * choice and why, the router's plan, and whether the task budget lets it through — without sending
 * anything or changing the task. Pure.
 */
import { formatUsd } from '../protocol/units';
import type { PlannedRequest } from '../turn/attemptBody';
import { explainedPlan } from '../turn/sharedPlan';
import type { ConversationEnv } from '../turn/env';
import type { StickyProvider } from '../turn/sticky';
import type { ImageStore } from '../context/images';
import type { AgentExtras } from './extras';
import { planOn, routeLine, stepChoice, type TaskRouting } from './stepRoute';
import { crossing } from './taskBudget';
import type { AgentMessage } from './transcript';
import { agentDraft, draftImages, transcriptTokens } from './turn';

/** What Explain Route shows for the next step (the shape of the chat's next route). */
export type NextStepRoute = PlannedRequest;

export interface NextStepInput {
  readonly routing: TaskRouting;
  readonly messages: readonly AgentMessage[];
  readonly tokens: (text: string) => number;
  readonly sticky: StickyProvider;
  readonly sessionId: string;
  readonly extras?: AgentExtras;
  readonly images?: Pick<ImageStore, 'read'>;
}

/** Plans the next step as it would go; the tier's reason and the budget lead the plan's notes. */
export async function planNextStep(env: ConversationEnv, next: NextStepInput): Promise<NextStepRoute> {
  const keys = await env.keys.refs();
  const choice = stepChoice(env, next.routing);
  const model = choice.models[0] ?? env.settings().model;
  const extraTools = next.extras?.functions(env.modelInfo(model)?.contextLength ?? 128_000) ?? [];
  const promptTokens = transcriptTokens(next.messages, next.tokens, extraTools);
  const { plan, request, maxTokens } = await planOn(env, keys, choice, promptTokens, next.sticky, undefined, true);
  const spent = next.routing.spentUsd();
  const over = crossing(next.routing.budget ?? { source: 'setting' }, spent, plan.worstCaseUsd);
  const budget = over
    ? `Task budget: ${over}; onBudget "${next.routing.onBudget ?? env.router.policy().onBudget}" decides before the step is sent.`
    : `Task budget: ${next.routing.budget?.limitUsd !== undefined ? 'the next step fits' : 'none set'} (spent so far ${formatUsd(spent)}, subagents included).`;
  const notes = [`Next agent step — ${routeLine(choice, plan, next.sticky)}.`, budget, ...plan.notes];
  const images = await draftImages(env, next.messages, next.images);
  const draft = agentDraft(next.messages, model, maxTokens, next.sessionId, extraTools, undefined, images);
  return { ...explainedPlan({ ...plan, notes }, draft, env), request, keys };
}
