/**
 * One request of VS Code's chat, sent the way Switchyard sends every chat request: planned by the
 * router (tiers, fallbacks, provider preferences, capacity, budgets, sticky provider), run by the
 * executor (failover, waits, key failover, a broken stream continued), through the same client,
 * with prompt-cache breakpoints for models that need them; what it cost goes into the spend
 * ledger. Pure: VS Code's parts arrive converted (src/vscode/languageModels/).
 */
import type { ChatEnvironment } from '../chat/chatSession';
import { continuationMessages } from '../chat/continuation';
import { visionRefusal } from '../chat/images';
import type { Affinity } from '../routing/affinity';
import type { ChatResult, OpenRouterClient } from '../openrouter/client';
import { DEFAULT_CONTEXT_LENGTH } from '../openrouter/catalogue';
import { FailureError, noKeyFailure, routeRefusedFailure } from '../openrouter/failures';
import { cacheMessages } from '../openrouter/promptCache';
import { reasoningParam } from '../openrouter/reasoning';
import type { ChatRequestBody, WireMessage } from '../openrouter/wire';
import type { Execution } from '../routing/executor';
import type { AttemptHooks } from '../routing/router';
import { attemptRequestBody } from '../routing/requestBody';
import type { KeyRef, Plan, RouteRequest } from '../routing/types';
import type { LmTarget } from './models';
import { ResponseStream } from './response';
import { conversationKey, lmRouteRequest, promptTokens } from './route';
import { needsVision, toWireMessages, toWireToolChoice, toWireTools, type LmWireMessage } from './toWire';
import type { LmMessage, LmResponsePart, LmTool, LmToolMode } from './types';

/** What sending needs from the host: the same keys, clients, router, settings and catalogue as Switchyard's chat. */
export type LmEnvironment = Pick<ChatEnvironment, 'keys' | 'client' | 'router' | 'confirm' | 'modelInfo' | 'settings' | 'log' | 'reasoningChoice'>;

export interface LmRequest {
  readonly target: LmTarget;
  readonly messages: readonly LmMessage[];
  readonly tools: readonly LmTool[];
  readonly toolMode: LmToolMode;
}

/** A request as planned, for Explain Route: the plan, what it was planned for, the draft body and the keys. */
export interface LmPlanned {
  readonly plan: Plan;
  readonly request: RouteRequest;
  readonly body: ChatRequestBody<LmWireMessage>;
  readonly keys: readonly KeyRef[];
}

export interface LmOutcome {
  readonly model?: string;
  readonly provider?: string;
  readonly costUsd?: number;
  readonly toolCalls: number;
}

export interface LmHandlers {
  report(part: LmResponsePart): void;
  /** The request was planned (also when it is then refused). */
  planned?(planned: LmPlanned): void;
  /** What the answer cost (USD), once known. */
  spent?(usd: number): void;
}

/** Sends VS Code's requests; remembers per conversation the provider that served it (sticky routing). */
export class LanguageModelSender {
  private readonly affinities = new Map<string, Affinity>();

  constructor(private readonly env: LmEnvironment, private readonly tokens: (text: string) => number) {}

  /** Answers one request; rejects with a FailureError (refusal, every attempt failed, cancelled). */
  async send(input: LmRequest, handlers: LmHandlers, signal: AbortSignal): Promise<LmOutcome> {
    const conversation = conversationKey(input.target, input.messages);
    const { draft, request, keys } = await this.prepare(input, conversation);
    const plan = await this.env.router.plan(request, keys);
    handlers.planned?.({ plan, request, body: draft, keys });
    for (const warning of plan.warnings) this.env.log.warn(`VS Code Chat route: ${warning}`);
    if (plan.refusal) throw new FailureError(request.needsVision && plan.decisions.some((d) => d.rule === 'capability.vision') ? visionRefusal(request.pickedModel ?? 'Switchyard Auto', plan.refusal.reason.replace(/\.$/, '')) : routeRefusedFailure(plan.refusal.reason));
    if (!plan.attempts.length) throw new FailureError(routeRefusedFailure('The routing engine found nothing to send this to.'));
    const stream = new ResponseStream((part) => handlers.report(part));
    let execution: Execution<ChatResult>;
    try {
      execution = await this.env.router.execute(plan, this.hooks(draft, keys, stream, signal), signal);
    } catch (error) {
      this.affinities.delete(conversation);
      throw error;
    }
    const toolCalls = stream.finish();
    return this.finish(execution, conversation, toolCalls, handlers);
  }

  /** The draft body (messages, tools, limits, session) and the route request. */
  private async prepare(input: LmRequest, conversation: string): Promise<{ draft: ChatRequestBody<LmWireMessage>; request: RouteRequest; keys: readonly KeyRef[] }> {
    const keys = await this.env.keys.refs();
    if (keys.length === 0) throw new FailureError(noKeyFailure());
    const messages = toWireMessages(input.messages);
    const tools = toWireTools(input.tools);
    const toolChoice = toWireToolChoice(input.tools, input.toolMode);
    const maxTokens = this.maxTokens(input.target);
    const vision = needsVision(messages);
    const picked = input.target.kind === 'model' ? this.env.modelInfo(input.target.model) : undefined;
    if (vision && picked && !picked.isRouter && !picked.supportsVision) throw new FailureError(visionRefusal(picked.id));
    const affinity = this.affinities.get(conversation);
    const request = lmRouteRequest(input.target, { promptTokens: promptTokens(messages, tools, this.tokens), maxOutputTokens: maxTokens, needsTools: tools.length > 0, needsVision: vision, ...(affinity ? { affinity } : {}) });
    const draft: ChatRequestBody<LmWireMessage> = { model: request.pickedModel ?? '', messages, ...(tools.length ? { tools } : {}), ...(toolChoice ? { tool_choice: toolChoice } : {}), stream: true, max_tokens: maxTokens, session_id: conversation };
    return { draft, request, keys };
  }

  /** `max_tokens`: the user's cap, within a picked model's output limit and half its context. */
  private maxTokens(target: LmTarget): number {
    const cap = this.env.settings().maxOutputTokens;
    if (target.kind !== 'model') return cap;
    const info = this.env.modelInfo(target.model);
    return Math.max(1, Math.min(cap, info?.maxCompletionTokens ?? Number.POSITIVE_INFINITY, Math.floor((info?.contextLength ?? DEFAULT_CONTEXT_LENGTH) / 2)));
  }

  private hooks(draft: ChatRequestBody<LmWireMessage>, keys: readonly KeyRef[], stream: ResponseStream, signal: AbortSignal): AttemptHooks<ChatResult> {
    const clientFor = clientCache(this.env);
    return {
      send: async (attempt, partial) => {
        const client = await clientFor(attempt.keyId);
        stream.beginAttempt();
        const model = attempt.body.model;
        // A stream that broke mid-answer is continued (src/chat/continuation.ts); breakpoints for Anthropic/Gemini.
        const base = (partial ? continuationMessages(draft.messages as readonly WireMessage[], partial, model) : draft.messages) as readonly WireMessage[];
        const cached = cacheMessages(model, (id) => this.env.modelInfo(id), base);
        const reasoning = reasoningParam(this.env.modelInfo(model), this.env.reasoningChoice?.(model), draft.max_tokens ?? 0);
        const body = { ...attemptRequestBody<unknown>(draft, attempt.body, cached.messages), ...(reasoning ? { reasoning } : {}) };
        const fallbacks = body.models ? ` (fallbacks: ${body.models.slice(1).join(', ')})` : '';
        this.env.log.info(`VS Code Chat → ${model}${fallbacks}, ${body.messages.length} messages, ${draft.tools?.length ?? 0} tools${cached.breakpoints.length ? `, ${cached.breakpoints.length} cache breakpoints` : ''}`);
        return client.streamChat(body as ChatRequestBody, { onDelta: (t) => stream.text(t), onReasoning: (t) => stream.thinking(t), onToolCalls: (d) => stream.toolCalls(d) }, signal);
      },
      confirm: (question) => this.env.confirm(question),
      streamedText: () => stream.streamedText,
      keys,
      reportKey: (id, outcome) => this.env.keys.report(id, outcome),
      notify: (event) => this.env.log.info(`VS Code Chat route: ${event.text}`),
    };
  }

  /** Spend recorded, the serving provider kept for the conversation's next turn. */
  private finish(execution: Execution<ChatResult>, conversation: string, toolCalls: number, handlers: LmHandlers): LmOutcome {
    const r = execution.result;
    const sent = execution.attempt.body.models ?? [execution.attempt.body.model];
    const served = r.model && sent.includes(r.model) ? r.model : execution.attempt.body.model;
    const trouble = execution.events.some((e) => e.kind !== 'wait');
    if (!trouble && r.provider) this.affinities.set(conversation, { model: served, provider: r.provider });
    else this.affinities.delete(conversation);
    if (r.cost !== undefined) {
      this.env.router.recordSpend(r.cost);
      handlers.spent?.(r.cost);
    }
    this.env.log.info(`VS Code Chat ← ${r.model ?? '?'} via ${r.provider ?? '?'}: ${r.promptTokens ?? '?'} in / ${r.completionTokens ?? '?'} out, $${r.cost ?? '?'}${toolCalls ? `, ${toolCalls} tool calls` : ''}`);
    return { toolCalls, ...(r.model ? { model: r.model } : {}), ...(r.provider ? { provider: r.provider } : {}), ...(r.cost !== undefined ? { costUsd: r.cost } : {}) };
  }
}

/** A client per key, made on first use and reused for the request's later attempts. */
function clientCache(env: LmEnvironment): (keyId: string) => Promise<OpenRouterClient> {
  const clients = new Map<string, OpenRouterClient>();
  return async (keyId) => {
    const known = clients.get(keyId);
    if (known) return known;
    const secret = await env.keys.secret(keyId);
    if (!secret) throw new FailureError(noKeyFailure());
    const client = env.client(secret);
    if (!('streamChat' in client)) throw new FailureError(client);
    clients.set(keyId, client);
    return client;
  };
}
