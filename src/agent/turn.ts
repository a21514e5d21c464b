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
import { FailureError } from '../openrouter/failures';
import type { ImageStore } from '../context/images';
import type { ChatRequestBody } from '../openrouter/wire';
import type { Plan } from '../routing/types';
import type { TurnDraft, TurnMessage } from '../turn/attemptBody';
import type { ConversationEnv } from '../turn/env';
import { runTurn, TurnFailure, type TurnHandlers, type TurnSpend } from '../turn/send';
import type { StickyProvider } from '../turn/sticky';
import type { AgentExtras, ExtraFunction } from './extras';
import type { TurnResult } from './loop';
import { planStep, type PlannedStep, type TaskRouting } from './stepRoute';
import { builtInToolsFor, type TaskKind } from './planMode';
import { TODO_WRITE_DEFINITION } from './todos';
import { TOOL_DEFINITIONS, type ToolDefinition } from './tools';
import { imagesOf, toolImagesForModel, toolImageUrls } from './toolImages';
import type { AgentMessage } from './transcript';
import { messageTokens, type MessageTokens } from './tokenCount';
import { servedBy } from '../turn/answerMeta';

/** What a turn needs besides the environment. */
export interface StepContext {
  readonly tokens: (text: string) => number;
  /** Sizes a message; the task's shared count (./tokenCount.ts), so a step's transcript is tokenized once. */
  readonly count?: MessageTokens;
  /** The tier, the task budget and its downgrade (./stepRoute.ts). */
  readonly routing: TaskRouting;
  /** The step's route is planned (its budget notices go on the card). */
  onPlanned?(planned: PlannedStep): void;
  /** The task's provider pin (sticky routing). */
  readonly sticky: StickyProvider;
  /** The task's id, sent as `session_id`. */
  readonly sessionId: string;
  /** MCP tools, skill, search_tools (src/agent/extras.ts), offered after the built-in tools. */
  readonly extras?: AgentExtras;
  /** The built-in tools offered (default: all; a subagent: the read-only ones). */
  readonly builtIn?: readonly ToolDefinition[];
  /** A plan offers only the read-only tools (src/agent/planMode.ts); default `act`. */
  readonly kind?: TaskKind;
  /** Where the images tools returned are stored (their data URLs are read for each step). */
  readonly images?: Pick<ImageStore, 'read'>;
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
  /** The card's route line: which model the tier asked for, why, what the router did (./stepRoute.ts). */
  readonly route: string;
  /** The cost: `costUsd` (usage) is counted at once, the rest when looked up. */
  readonly spend: TurnSpend;
}

/**
 * Estimated prompt tokens of a transcript (tool arguments and results included) and the tools
 * offered; `count` sizes each message (a task shares one: ./tokenCount.ts).
 */
export function transcriptTokens(
  messages: readonly AgentMessage[],
  tokens: (text: string) => number,
  extraTools: readonly ExtraFunction[] = [],
  builtIn: readonly ToolDefinition[] = TOOL_DEFINITIONS,
  count: MessageTokens = messageTokens(tokens),
): number {
  return (
    messages.reduce((n, m) => n + count(m), 0) +
    tokens(JSON.stringify(builtIn)) +
    (extraTools.length ? tokens(JSON.stringify(extraTools)) : 0)
  );
}

/** The draft of a step: the transcript with the tool definitions (sent first on the wire: the stable prefix). */
export function agentDraft(
  messages: readonly AgentMessage[],
  model: string,
  maxTokens: number,
  sessionId: string,
  extraTools: readonly ExtraFunction[] = [],
  builtIn: readonly ToolDefinition[] = TOOL_DEFINITIONS,
  images?: { readonly urls: ReadonlyMap<string, string>; canSee(model: string): boolean },
): TurnDraft<TurnMessage> {
  const body: ChatRequestBody<TurnMessage> = {
    model,
    messages,
    tools: [...builtIn, ...extraTools],
    tool_choice: 'auto',
    stream: true,
    max_tokens: maxTokens,
    session_id: sessionId,
  };
  // Every attempt gets the transcript its model takes: images for a vision model, a note for any other.
  const urls = images?.urls ?? new Map<string, string>();
  const canSee = (id: string): boolean => images?.canSee(id) ?? false;
  return {
    body,
    ...(messages.some((m) => imagesOf(m).length)
      ? { forModel: (sent, to) => toolImagesForModel(sent, { model: to, canSee: canSee(to), urls }) }
      : {}),
  };
}

/** What {@link agentDraft} needs to send the transcript's tool images: their data URLs and who can see them. */
export async function draftImages(
  env: Pick<ConversationEnv, 'modelInfo'>,
  messages: readonly AgentMessage[],
  store: Pick<ImageStore, 'read'> | undefined,
): Promise<{ urls: ReadonlyMap<string, string>; canSee(model: string): boolean }> {
  return {
    urls: await toolImageUrls(messages, store),
    canSee: (model) => env.modelInfo(model)?.supportsVision === true,
  };
}

/** Sends one turn; rejects with a FailureError (refusal, Stop; a {@link TurnFailure} carries the cost of what went out). */
export async function runAgentTurn(
  env: ConversationEnv,
  messages: readonly AgentMessage[],
  signal: AbortSignal,
  handlers: TurnHandlers,
  step: StepContext,
): Promise<TurnOutcome> {
  const { builtIn: kindTools, extraTools: kindExtras } = toolsOfStep(env, step);
  // A subagent brings its own (read-only) tools and nothing else.
  const builtIn = step.builtIn ?? kindTools;
  const extraTools = step.builtIn ? [] : kindExtras;
  const promptTokens = transcriptTokens(messages, step.tokens, extraTools, builtIn, step.count);
  const planned = await planStep(env, step.routing, promptTokens, step.sticky);
  const { keys, plan } = planned;
  const sent = plan.attempts[0]?.body.model ?? env.settings().model;
  const images = await draftImages(env, messages, step.images);
  const draft = agentDraft(messages, sent, planned.maxTokens, step.sessionId, extraTools, builtIn, images);
  step.onPlanned?.(planned);
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
      route: planned.route,
      calls,
      reasoningDetails,
      plan,
      spend,
      ...(spend.knownUsd > 0 || r.cost !== undefined ? { costUsd: spend.knownUsd } : {}),
      ...(reasoning ? { reasoning } : {}),
      ...servedBy(r),
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

export { TurnFailure };
