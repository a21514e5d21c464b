/**
 * One model turn of an agent task: planned with `needsTools: true` (only models whose
 * `supported_parameters` include `tools`, and `provider.require_parameters: true`, so OpenRouter
 * routes only to providers that support them; a plan that leaves none is refused before sending,
 * with its reason), sticky to the provider that served the task's last step, then one call of the
 * turn layer (src/turn/send.ts) — the same body, caching, reasoning effort, spend and failure
 * path as a chat answer. A failed attempt moves on with the **same transcript**: the tools of
 * earlier steps already ran and are replayed as results, never run again, and a turn's own calls
 * run only once the turn has finished. Text of a broken attempt is dropped (no prefill): the next
 * model answers the whole turn afresh. Pure.
 */
import { DEFAULT_CONTEXT_LENGTH } from '../openrouter/catalogue';
import { FailureError, noKeyFailure, routeRefusedFailure, type Failure } from '../openrouter/failures';
import type { ChatRequestBody } from '../openrouter/wire';
import type { KeyRef, Plan, RouteRequest } from '../routing/types';
import { formatUsd } from '../protocol/units';
import type { TurnDraft } from '../turn/attemptBody';
import type { ConversationEnv } from '../turn/env';
import { runTurn, TurnFailure, type TurnHandlers, type TurnSpend } from '../turn/send';
import type { StickyProvider } from '../turn/sticky';
import type { AgentExtras, ExtraFunction } from './extras';
import type { TurnResult } from './loop';
import { builtInToolsFor, type TaskKind } from './planMode';
import { TODO_WRITE_DEFINITION } from './todos';
import { TOOL_DEFINITIONS, type ToolDefinition } from './tools';
import { messageText, type AgentMessage } from './transcript';

/** The routing tier of agent requests (a `switchyard.routing.tiers.agent` list applies when set). */
export const AGENT_TIER = 'agent';

/** What a turn needs besides the environment. */
export interface StepContext {
  readonly tokens: (text: string) => number;
  /** What the task's earlier steps cost (the per-request budget applies to the whole task). */
  readonly taskSpentUsd: number;
  /** The task's provider pin (sticky routing). */
  readonly sticky: StickyProvider;
  /** The task's id, sent as `session_id`. */
  readonly sessionId: string;
  /** MCP tools, skill, search_tools (src/agent/extras.ts), offered after the built-in tools. */
  readonly extras?: AgentExtras;
  /** A plan offers only the read-only tools (src/agent/planMode.ts); default `act`. */
  readonly kind?: TaskKind;
}

export interface TurnOutcome extends TurnResult {
  readonly model?: string;
  readonly provider?: string;
  readonly promptTokens?: number;
  readonly completionTokens?: number;
  readonly reasoningTokens?: number;
  readonly cachedTokens?: number;
  readonly cacheWriteTokens?: number;
  /** The thinking text shown. */
  readonly reasoning?: string;
  readonly plan: Plan;
  /** The cost: `costUsd` (usage) is counted at once, the rest when looked up. */
  readonly spend: TurnSpend;
}

/** Estimated prompt tokens of a transcript (tool arguments and results included) and the tools offered. */
export function transcriptTokens(
  messages: readonly AgentMessage[],
  tokens: (text: string) => number,
  extraTools: readonly ExtraFunction[] = [],
  builtIn: readonly ToolDefinition[] = TOOL_DEFINITIONS,
): number {
  return (
    messages.reduce((n, m) => n + tokens(messageText(m)) + 4, 0) +
    tokens(JSON.stringify(builtIn)) +
    (extraTools.length ? tokens(JSON.stringify(extraTools)) : 0)
  );
}

/** The route request of an agent turn. */
export function agentRouteRequest(
  env: Pick<ConversationEnv, 'settings'>,
  promptTokens: number,
  maxOutputTokens: number,
  sticky?: StickyProvider,
): RouteRequest {
  const affinity = sticky?.affinity;
  return {
    tier: AGENT_TIER,
    pickedModel: env.settings().model,
    promptTokens,
    maxOutputTokens,
    needsVision: false,
    needsTools: true,
    parameters: ['tools', 'tool_choice'],
    ...(affinity ? { affinity } : {}),
  };
}

/** The draft of a step: the transcript with the tool definitions (sent first on the wire: the stable prefix). */
export function agentDraft(
  messages: readonly AgentMessage[],
  model: string,
  maxTokens: number,
  sessionId: string,
  extraTools: readonly ExtraFunction[] = [],
  builtIn: readonly ToolDefinition[] = TOOL_DEFINITIONS,
): TurnDraft<AgentMessage> {
  const body: ChatRequestBody<AgentMessage> = {
    model,
    messages,
    tools: [...builtIn, ...extraTools],
    tool_choice: 'auto',
    stream: true,
    max_tokens: maxTokens,
    session_id: sessionId,
  };
  return { body };
}

/** The output tokens a step may use. */
export function maxTokensOf(env: ConversationEnv): number {
  const settings = env.settings();
  const info = env.modelInfo(settings.model);
  const contextLength = info?.contextLength ?? DEFAULT_CONTEXT_LENGTH;
  return Math.min(
    settings.maxOutputTokens,
    info?.maxCompletionTokens ?? Number.POSITIVE_INFINITY,
    Math.floor(contextLength / 2),
  );
}

/** Sends one turn; rejects with a FailureError (refusal, Stop; a {@link TurnFailure} carries the cost of what went out). */
export async function runAgentTurn(
  env: ConversationEnv,
  messages: readonly AgentMessage[],
  signal: AbortSignal,
  handlers: TurnHandlers,
  step: StepContext,
): Promise<TurnOutcome> {
  const maxTokens = maxTokensOf(env);
  const { builtIn, extraTools } = toolsOfStep(env, step);
  const { keys, plan } = await planTurn(env, messages, maxTokens, step, extraTools, builtIn);
  const draft = agentDraft(messages, env.settings().model, maxTokens, step.sessionId, extraTools, builtIn);
  try {
    const {
      execution,
      result: r,
      calls,
      reasoningDetails,
      reasoning,
      spend,
    } = await runTurn(env, { caller: 'agent', plan, draft, keys }, handlers, signal);
    step.sticky.served(execution);
    return {
      text: r.text,
      calls,
      reasoningDetails,
      plan,
      spend,
      ...(spend.knownUsd > 0 || r.cost !== undefined ? { costUsd: spend.knownUsd } : {}),
      ...(reasoning ? { reasoning } : {}),
      ...(r.model ? { model: r.model } : {}),
      ...(r.provider ? { provider: r.provider } : {}),
      ...(r.promptTokens !== undefined ? { promptTokens: r.promptTokens } : {}),
      ...(r.completionTokens !== undefined ? { completionTokens: r.completionTokens } : {}),
      ...(r.reasoningTokens !== undefined ? { reasoningTokens: r.reasoningTokens } : {}),
      ...(r.cachedTokens !== undefined ? { cachedTokens: r.cachedTokens } : {}),
      ...(r.cacheWriteTokens !== undefined ? { cacheWriteTokens: r.cacheWriteTokens } : {}),
    };
  } catch (error) {
    step.sticky.failed(error instanceof FailureError ? error.failure : undefined);
    throw error;
  }
}

/** The tools a step offers: the built-in ones of its kind, then `todo_write`, then the extras (in a plan, the read-only ones). */
function toolsOfStep(
  env: ConversationEnv,
  step: StepContext,
): { builtIn: readonly ToolDefinition[]; extraTools: readonly ExtraFunction[] } {
  const kind = step.kind ?? 'act';
  const extras =
    step.extras?.functions(env.modelInfo(env.settings().model)?.contextLength ?? DEFAULT_CONTEXT_LENGTH) ?? [];
  const allowed = kind === 'plan' ? extras.filter((f) => step.extras?.readOnly?.(f.function.name) === true) : extras;
  return { builtIn: builtInToolsFor(kind), extraTools: [TODO_WRITE_DEFINITION, ...allowed] };
}

/** Plans a turn with the keys at hand; throws when there is no key, the route is refused, or the task's budget would be crossed. */
async function planTurn(
  env: ConversationEnv,
  messages: readonly AgentMessage[],
  maxTokens: number,
  step: StepContext,
  extraTools: readonly ExtraFunction[],
  builtIn: readonly ToolDefinition[],
): Promise<{ keys: readonly KeyRef[]; plan: Plan }> {
  const keys = await env.keys.refs();
  if (keys.length === 0) throw new FailureError(noKeyFailure());
  const plan = await env.router.plan(
    agentRouteRequest(env, transcriptTokens(messages, step.tokens, extraTools, builtIn), maxTokens, step.sticky),
    keys,
  );
  for (const warning of plan.warnings) env.log.warn(`agent route: ${warning}`);
  if (plan.refusal) throw new FailureError(routeRefusedFailure(plan.refusal.reason, plan.refusal.rule));
  if (!plan.attempts.length)
    throw new FailureError(routeRefusedFailure('The routing engine found no tool-capable model to send this to.'));
  const budget = plan.perRequestBudgetUsd;
  const spent = step.taskSpentUsd;
  if (budget !== undefined && spent > 0 && spent + plan.worstCaseUsd > budget) {
    throw new FailureError(
      budgetFailure(
        `This task has cost ${formatUsd(spent)}; its next step could bring it to ${formatUsd(spent + plan.worstCaseUsd)}, over the per-request budget of ${formatUsd(budget)} (switchyard.routing.budgets), which applies to the whole task.`,
      ),
    );
  }
  return { keys, plan };
}

/** The task would cross its budget: refused before sending, said as a budget stop. */
function budgetFailure(message: string): Failure {
  return {
    kind: 'refused',
    retryable: false,
    title: 'Task budget reached',
    message,
    action: { label: 'Explain Route', command: 'switchyard.explainRoute' },
  };
}

export { TurnFailure };
