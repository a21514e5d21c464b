/**
 * One model turn of an agent task, routed like every other request: planned with
 * `needsTools: true` (only models whose `supported_parameters` include `tools`, and
 * `provider.require_parameters: true`, so OpenRouter routes only to providers that support them;
 * a plan that leaves none is refused before sending, with its reason), sent through the executor
 * (failover, breakers, key failover). A failed attempt moves on with the **same transcript**: the
 * tools of earlier steps already ran and are replayed as results, never run again, and a turn's
 * own calls run only once the turn has finished. Text of a broken attempt is dropped (no
 * prefill): the next model answers the whole turn afresh. Pure.
 */
import type { ChatEnvironment } from '../chat/chatSession';
import { DEFAULT_CONTEXT_LENGTH } from '../openrouter/catalogue';
import type { OpenRouterClient } from '../openrouter/client';
import { FailureError, noKeyFailure, routeRefusedFailure, type Failure } from '../openrouter/failures';
import type { ChatRequestBody } from '../openrouter/wire';
import { reasoningParam } from '../openrouter/reasoning';
import type { ExecutionEvent } from '../routing/executor';
import type { VisibleWait } from '../routing/router';
import type { Plan, RouteRequest } from '../routing/types';
import { ReasoningAssembler, ToolCallAssembler } from './deltas';
import type { AgentExtras, ExtraFunction } from './extras';
import type { TurnResult } from './loop';
import { TOOL_DEFINITIONS } from './tools';
import { messageText, type AgentMessage } from './transcript';

/** The routing tier of agent requests (a `switchyard.routing.tiers.agent` list applies when set). */
export const AGENT_TIER = 'agent';

export interface TurnHandlers {
  /** Text of the current attempt as it streams; `reset` when a new attempt starts over. */
  onText(piece: string): void;
  onAttempt(): void;
  /** A routing event (switch, wait, retry) to show on the step's card. */
  onRouteEvent(event: ExecutionEvent): void;
  /** A wait before the next attempt begins (a countdown with Send now) or ends (`undefined`); may return the signal that ends it early. */
  onWaiting?(wait: VisibleWait | undefined): AbortSignal | undefined;
}

export interface TurnOutcome extends TurnResult {
  readonly model?: string;
  readonly provider?: string;
  readonly promptTokens?: number;
  readonly completionTokens?: number;
  readonly plan: Plan;
}

/** Estimated prompt tokens of a transcript (tool arguments and results included) and the tools offered. */
export function transcriptTokens(messages: readonly AgentMessage[], tokens: (text: string) => number, extraTools: readonly ExtraFunction[] = []): number {
  return messages.reduce((n, m) => n + tokens(messageText(m)) + 4, 0) + tokens(JSON.stringify(TOOL_DEFINITIONS)) + (extraTools.length ? tokens(JSON.stringify(extraTools)) : 0);
}

/** The effort remembered for the model a step goes to (the chat header's), as the request's `reasoning`. */
function reasoningOf(env: ChatEnvironment, model: string, maxTokens: number): Pick<ChatRequestBody, 'reasoning'> {
  const reasoning = reasoningParam(env.modelInfo(model), env.reasoningChoice?.(model), maxTokens);
  return reasoning ? { reasoning } : {};
}

/** The route request of an agent turn. */
export function agentRouteRequest(env: Pick<ChatEnvironment, 'settings'>, promptTokens: number, maxOutputTokens: number): RouteRequest {
  return { tier: AGENT_TIER, pickedModel: env.settings().model, promptTokens, maxOutputTokens, needsVision: false, needsTools: true, parameters: ['tools', 'tool_choice'] };
}

/**
 * Sends one turn; rejects with a FailureError (refusal, every attempt failed, Stop).
 * `taskSpentUsd`: what the task's earlier steps cost — the plan's per-request budget applies to
 * the whole task, so a step whose worst case would cross it is refused before sending.
 */
export async function runTurn(env: ChatEnvironment, messages: readonly AgentMessage[], signal: AbortSignal, handlers: TurnHandlers, tokens: (text: string) => number, taskSpentUsd = 0, extras?: AgentExtras): Promise<TurnOutcome> {
  const settings = env.settings();
  const info = env.modelInfo(settings.model);
  const contextLength = info?.contextLength ?? DEFAULT_CONTEXT_LENGTH;
  const maxTokens = Math.min(settings.maxOutputTokens, info?.maxCompletionTokens ?? Number.POSITIVE_INFINITY, Math.floor(contextLength / 2));
  const extraTools = extras?.functions(contextLength) ?? [];
  const { keys, plan } = await planTurn(env, messages, tokens, maxTokens, taskSpentUsd, extraTools);
  const clientFor = clientCache(env);
  let calls = new ToolCallAssembler();
  let reasoning = new ReasoningAssembler();
  const execution = await env.router.execute(
    plan,
    {
      send: async (attempt) => {
        const client = await clientFor(attempt.keyId);
        calls = new ToolCallAssembler();
        reasoning = new ReasoningAssembler();
        handlers.onAttempt();
        const { models, provider } = attempt.body;
        const body: ChatRequestBody<AgentMessage> = {
          model: attempt.body.model,
          ...(models ? { models } : {}),
          ...(provider ? { provider } : {}),
          messages,
          tools: [...TOOL_DEFINITIONS, ...extraTools],
          tool_choice: 'auto',
          stream: true,
          max_tokens: maxTokens,
          ...reasoningOf(env, attempt.body.model, maxTokens),
        };
        env.log.info(`agent → ${body.model}${models ? ` (fallbacks: ${models.slice(1).join(', ')})` : ''}, ${messages.length} messages`);
        return client.streamChat(body, { onDelta: handlers.onText, onToolCalls: (d) => calls.push(d), onReasoningDetails: (d) => reasoning.push(d) }, signal);
      },
      confirm: (question) => env.confirm(question),
      // Nothing is carried over from a broken attempt: the turn is answered afresh on the same transcript.
      streamedText: () => '',
      keys,
      reportKey: (id, outcome) => env.keys.report(id, outcome),
      notify: handlers.onRouteEvent,
      ...(handlers.onWaiting ? { waiting: handlers.onWaiting } : {}),
    },
    signal,
  );
  const r = execution.result;
  if (r.cost !== undefined) env.router.recordSpend(r.cost);
  return {
    text: r.text,
    calls: calls.finish(),
    reasoningDetails: reasoning.finish(),
    plan,
    ...(r.cost !== undefined ? { costUsd: r.cost } : {}),
    ...(r.model ? { model: r.model } : {}),
    ...(r.provider ? { provider: r.provider } : {}),
    ...(r.promptTokens !== undefined ? { promptTokens: r.promptTokens } : {}),
    ...(r.completionTokens !== undefined ? { completionTokens: r.completionTokens } : {}),
  };
}

/** Plans a turn with the keys at hand; throws when there is no key, the route is refused, or the task's budget would be crossed. */
async function planTurn(env: ChatEnvironment, messages: readonly AgentMessage[], tokens: (text: string) => number, maxTokens: number, taskSpentUsd: number, extraTools: readonly ExtraFunction[]): Promise<{ keys: Awaited<ReturnType<ChatEnvironment['keys']['refs']>>; plan: Plan }> {
  const keys = await env.keys.refs();
  if (keys.length === 0) throw new FailureError(noKeyFailure());
  const plan = await env.router.plan(agentRouteRequest(env, transcriptTokens(messages, tokens, extraTools), maxTokens), keys);
  for (const warning of plan.warnings) env.log.warn(`agent route: ${warning}`);
  if (plan.refusal) throw new FailureError(routeRefusedFailure(plan.refusal.reason));
  if (!plan.attempts.length) throw new FailureError(routeRefusedFailure('The routing engine found no tool-capable model to send this to.'));
  const budget = plan.perRequestBudgetUsd;
  if (budget !== undefined && taskSpentUsd > 0 && taskSpentUsd + plan.worstCaseUsd > budget) {
    throw new FailureError(budgetFailure(`This task has cost $${taskSpentUsd.toFixed(4)}; its next step could bring it to $${(taskSpentUsd + plan.worstCaseUsd).toFixed(4)}, over the per-request budget of $${budget.toFixed(4)} (switchyard.routing.budgets), which applies to the whole task.`));
  }
  return { keys, plan };
}

/** A client per key, made on first use and reused for the turn's later attempts. */
function clientCache(env: ChatEnvironment): (keyId: string) => Promise<OpenRouterClient> {
  const clients = new Map<string, OpenRouterClient>();
  const clientFor = async (keyId: string): Promise<OpenRouterClient> => {
    const known = clients.get(keyId);
    if (known) return known;
    const secret = await env.keys.secret(keyId);
    if (!secret) throw new FailureError(noKeyFailure());
    const client = env.client(secret);
    if (!('streamChat' in client)) throw new FailureError(client);
    clients.set(keyId, client);
    return client;
  };
  return clientFor;
}

/** The task would cross its budget: refused before sending, said as a budget stop. */
function budgetFailure(message: string): Failure {
  return { kind: 'refused', retryable: false, title: 'Task budget reached', message, action: { label: 'Explain Route', command: 'switchyard.explainRoute' } };
}
