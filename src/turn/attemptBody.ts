/**
 * The `POST /chat/completions` body of one attempt, built one way for every caller and for
 * Explain Route (so what Explain shows is byte-for-byte what is sent): the caller's draft
 * (messages, limits, session, plugins, tools) with the attempt's routing fields (`model`,
 * `models`, `provider`: src/routing/requestBody.ts), the transcript's wire form for that model
 * (tool-call ids, arguments: ./toolCalls.ts; another vendor's signed reasoning left out:
 * ./replayReasoning.ts), a continuation of a cut-off answer when the caller
 * recovers one, prompt-cache breakpoints where the model needs them (stable prefix first: tool
 * definitions and the system prompt, then the transcript; src/openrouter/promptCache.ts) and the
 * reasoning effort (a command's, else the one remembered for the model). Pure.
 */
import { isDeepStrictEqual } from 'node:util';
import { cacheMessages, type Breakpoint, type CachingMode, type ContextLengths } from '../openrouter/promptCache';
import { reasoningChoices, reasoningParam, type ReasoningEffort } from '../openrouter/reasoning';
import type { ChatRequestBody, WireMessage, WirePartsMessage, WireToolTurnMessage } from '../openrouter/wire';
import { attemptRequestBody } from '../routing/requestBody';
import type { Attempt, AttemptBody, KeyRef, Plan, RouteRequest } from '../routing/types';
import type { TurnEnv } from './env';
import { replayReasoning } from './replayReasoning';
import { replayToolTurns } from './toolCalls';

/** A message the turn layer can send: a chat turn (text or parts), an assistant turn with tool calls, a tool result. */
export type TurnMessage = WireMessage | WireToolTurnMessage;

/**
 * A request as planned, for Explain Route (chat, agent step and VS Code's Chat alike): the plan,
 * what it was planned for, each attempt's body exactly as this layer would send it, and the keys.
 */
export interface PlannedRequest {
  readonly plan: Plan;
  readonly request: RouteRequest;
  readonly bodyFor: (attempt: Attempt) => Readonly<Record<string, unknown>>;
  readonly keys: readonly KeyRef[];
}

/** What a caller asks to send, before routing decides the model. */
export interface TurnDraft<M extends TurnMessage = TurnMessage> {
  /** The request without its routing fields: messages, `max_tokens`, `session_id`, plugins, tools, `temperature`. */
  readonly body: ChatRequestBody<M>;
  /** Per message, the characters of attached context (a context breakpoint splits the turn there). */
  readonly contextLengths?: ContextLengths;
  /** The effort a command asks for (Explain: low), when the model offers it; else the remembered one. */
  readonly effort?: ReasoningEffort;
  /** Set false to send no cache breakpoints and no reasoning (inline completions: short, latency-first). */
  readonly extras?: false;
  /** The messages that continue `partial` (a cut-off answer) on `model`; without it nothing is continued. */
  readonly continueWith?: (messages: readonly M[], partial: string, model: string) => M[];
  /** The transcript as `model` takes it (agent: tool images sent to a vision model, named to others); before the replay. */
  readonly forModel?: (messages: readonly M[], model: string) => M[];
}

/** One attempt's body, where its breakpoints went, and the replayed tool-call ids' originals. */
export interface BuiltAttempt<M extends TurnMessage = TurnMessage> {
  readonly body: ChatRequestBody<M | WirePartsMessage>;
  readonly caching: { readonly mode: CachingMode; readonly breakpoints: readonly Breakpoint[] };
  /** Replayed tool-call id → the id the transcript keeps (only those that changed matter). */
  readonly originals: ReadonlyMap<string, string>;
}

/** The parts of the environment the body depends on. */
export type BodyContext = Pick<TurnEnv, 'modelInfo' | 'reasoningChoice'>;

/**
 * The body of `attempt` for `draft`; `partial` is the text kept from a cut-off earlier attempt.
 * An OpenRouter `models` list keeps only the models that take the very same request
 * ({@link sharedModels}): OpenRouter sends one body to whichever model serves.
 */
export function attemptBody<M extends TurnMessage>(
  draft: TurnDraft<M>,
  attempt: AttemptBody,
  env: BodyContext,
  partial = '',
): BuiltAttempt<M> {
  return modelBody(draft, withModels(attempt, sharedModels(draft, attempt, env, partial).models), env, partial);
}

/** `attempt` sending `models` (a list of one: no `models` field). */
export function withModels(attempt: AttemptBody, models: readonly string[]): AttemptBody {
  const { models: _all, ...single } = attempt;
  return models.length > 1 ? { ...single, models } : single;
}

/** The models of a `models` list that share one request, and the first one left out with what differs for it. */
export interface SharedModels {
  readonly models: readonly string[];
  readonly left?: { readonly model: string; readonly fields: readonly string[] };
}

/**
 * The leading models of `attempt`'s `models` list whose request is the first model's, field for
 * field (`model` aside): the same prompt-cache breakpoints, `reasoning` (a command's or the
 * remembered effort, or budget), transcript shape (images, signed reasoning replayed, a
 * continuation). OpenRouter sends one body to every model of the list, and a body built for the
 * first model can be refused by a later one (a thinking budget Gemini does not take, `effort:
 * "none"` to a model that must think) or lose its caching or thinking there; a model whose request
 * differs is left to its own attempt (the plan has one per model), which gets its own body.
 * Tool-call ids are compared as replayed for the whole list, so only a real difference splits it.
 */
export function sharedModels<M extends TurnMessage>(
  draft: TurnDraft<M>,
  attempt: AttemptBody,
  env: BodyContext,
  partial = '',
): SharedModels {
  const models = attempt.models ?? [attempt.model];
  if (models.length < 2) return { models };
  const requestOf = (model: string): Record<string, unknown> => {
    const { model: _model, ...rest } = modelBody(draft, { ...attempt, model }, env, partial).body;
    return rest;
  };
  const first = requestOf(attempt.model);
  const kept = [attempt.model];
  for (const model of models.filter((m) => m !== attempt.model)) {
    const request = requestOf(model);
    if (!isDeepStrictEqual(request, first)) {
      const keys = [...new Set([...Object.keys(first), ...Object.keys(request)])];
      return { models: kept, left: { model, fields: keys.filter((k) => !isDeepStrictEqual(first[k], request[k])) } };
    }
    kept.push(model);
  }
  return { models: kept };
}

/** The body of `attempt` built for its own `model` (ids replayed for every model it lists). */
function modelBody<M extends TurnMessage>(
  draft: TurnDraft<M>,
  attempt: AttemptBody,
  env: BodyContext,
  partial: string,
): BuiltAttempt<M> {
  const model = attempt.model;
  const continued =
    partial && draft.continueWith ? draft.continueWith(draft.body.messages, partial, model) : [...draft.body.messages];
  const shaped = draft.forModel ? draft.forModel(continued, model) : continued;
  // Ids every model of a `models` list accepts: OpenRouter may fall back to any of them.
  const { messages: tools, originals } = replayToolTurns(shaped, attempt.models ?? model);
  const replayed = replayReasoning(tools, model);
  if (draft.extras === false)
    return {
      body: attemptRequestBody<M | WirePartsMessage>(draft.body, attempt, replayed),
      caching: { mode: 'none', breakpoints: [] },
      originals,
    };
  const cached = cacheMessages(model, (id) => env.modelInfo(id), replayed, draft.contextLengths);
  const reasoning = reasoningFor(env, model, draft.effort, draft.body.max_tokens ?? 0);
  const body = {
    ...attemptRequestBody<M | WirePartsMessage>(draft.body, attempt, cached.messages),
    ...(reasoning ? { reasoning } : {}),
  };
  return { body, caching: { mode: cached.mode, breakpoints: cached.breakpoints }, originals };
}

/**
 * The request's `reasoning` for `model`: a command's effort, else the one remembered for that
 * model; nothing for a model that does not accept `reasoning`.
 */
export function reasoningFor(
  env: BodyContext,
  model: string,
  effort: ReasoningEffort | undefined,
  maxTokens: number,
): ChatRequestBody['reasoning'] {
  const info = env.modelInfo(model);
  const choice = effort && reasoningChoices(info).includes(effort) ? effort : env.reasoningChoice?.(model);
  return reasoningParam(info, choice, maxTokens);
}
