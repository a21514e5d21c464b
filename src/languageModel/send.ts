/**
 * One request of VS Code's chat, sent the way Switchyard sends every request: planned by the
 * router (tiers, fallbacks, provider preferences, capacity, budgets, sticky provider), then one
 * turn of the turn layer (src/turn/: the same client, attempt body, prompt-cache breakpoints,
 * executor failover, continuation of a broken stream and spend record as the chat and the agent).
 * Pure: VS Code's parts arrive converted (src/vscode/languageModels/).
 */
import { continuationMessages } from '../chat/continuation';
import { visionRefusal } from '../chat/images';
import { DEFAULT_CONTEXT_LENGTH } from '../openrouter/catalogue';
import { FailureError, noKeyFailure, routeRefusedFailure } from '../openrouter/failures';
import type { ChatRequestBody, WireMessage } from '../openrouter/wire';
import type { Router } from '../routing/router';
import type { KeyRef, RouteRequest } from '../routing/types';
import type { PlannedRequest, TurnDraft, TurnMessage } from '../turn/attemptBody';
import { explainedPlan } from '../turn/sharedPlan';
import type { ConversationSettings, RoutedTurnEnv } from '../turn/env';
import { runTurn, TurnFailure, type TurnSpend } from '../turn/send';
import { StickyProvider } from '../turn/sticky';
import type { LmTarget } from './models';
import { ResponseStream } from './response';
import { conversationKey, lmRouteRequest, promptTokens } from './route';
import { needsVision, toWireMessages, toWireToolChoice, toWireTools, type LmWireMessage } from './toWire';
import type { LmMessage, LmResponsePart, LmTool, LmToolMode } from './types';

/** What sending needs from the host: the turn layer's environment, the router that plans, the output cap. */
export interface LmEnvironment extends RoutedTurnEnv {
  readonly router: Router;
  settings(): Pick<ConversationSettings, 'maxOutputTokens'>;
}

export interface LmRequest {
  readonly target: LmTarget;
  readonly messages: readonly LmMessage[];
  readonly tools: readonly LmTool[];
  readonly toolMode: LmToolMode;
}

/** A request as planned, for Explain Route: the plan, what it was planned for, each attempt's body and the keys. */
export type LmPlanned = PlannedRequest;

export interface LmOutcome {
  readonly model?: string;
  readonly provider?: string;
  readonly toolCalls: number;
}

export interface LmHandlers {
  report(part: LmResponsePart): void;
  /** The request was planned (also when it is then refused). */
  planned?(planned: LmPlanned): void;
  /** What the request cost (USD) as it becomes known: usage at once, looked-up or estimated attempts later. */
  spent?(usd: number): void;
}

/** Conversations remembered for sticky routing (VS Code sends the whole history with each request). */
const MAX_CONVERSATIONS = 64;

/** Sends VS Code's requests; remembers per conversation the provider that served it (sticky routing). */
export class LanguageModelSender {
  private readonly sticky = new Map<string, StickyProvider>();

  constructor(
    private readonly env: LmEnvironment,
    private readonly tokens: (text: string) => number,
  ) {}

  /** Answers one request; rejects with a FailureError (refusal, every attempt failed, cancelled). */
  async send(input: LmRequest, handlers: LmHandlers, signal: AbortSignal): Promise<LmOutcome> {
    const conversation = conversationKey(input.target, input.messages);
    const sticky = this.stickyFor(conversation);
    const { draft, request, keys } = await this.prepare(input, conversation, sticky);
    const { plan, bodyFor } = explainedPlan(await this.env.router.plan(request, keys), draft, this.env);
    handlers.planned?.({ plan, request, keys, bodyFor });
    for (const warning of plan.warnings) this.env.log.warn(`VS Code Chat route: ${warning}`);
    if (plan.refusal)
      throw new FailureError(
        request.needsVision && plan.decisions.some((d) => d.rule === 'capability.vision')
          ? visionRefusal(request.pickedModel ?? 'Switchyard Auto', plan.refusal.reason.replace(/\.$/, ''))
          : routeRefusedFailure(plan.refusal.reason, plan.refusal.rule),
      );
    if (!plan.attempts.length)
      throw new FailureError(routeRefusedFailure('The routing engine found nothing to send this to.'));
    const stream = new ResponseStream((part) => handlers.report(part));
    try {
      const outcome = await runTurn(
        this.env,
        { caller: 'VS Code Chat', plan, draft, keys },
        {
          onAttempt: (partial) => stream.beginAttempt(partial),
          onText: (piece) => stream.text(piece),
          onReasoning: (piece) => stream.thinking(piece),
          streamedText: () => stream.streamedText,
          attemptText: () => stream.endAttempt(),
          onRouteEvent: (event) => this.env.log.info(`VS Code Chat route: ${event.text}`),
        },
        signal,
      );
      const served = sticky.served(outcome.execution);
      const toolCalls = stream.finish(
        outcome.calls,
        outcome.reasoningDetails as readonly Readonly<Record<string, unknown>>[],
      );
      this.reportSpend(outcome.spend, handlers);
      const r = outcome.result;
      this.env.log.info(
        `VS Code Chat ← ${r.model ?? served} via ${r.provider ?? '?'}: ${r.promptTokens ?? '?'} in / ${r.completionTokens ?? '?'} out, $${r.cost ?? '?'}${toolCalls ? `, ${toolCalls} tool calls` : ''}`,
      );
      return { toolCalls, model: r.model ?? served, ...(r.provider ? { provider: r.provider } : {}) };
    } catch (error) {
      sticky.failed(error instanceof FailureError ? error.failure : undefined);
      if (error instanceof TurnFailure) this.reportSpend(error.spend, handlers);
      throw error;
    }
  }

  private stickyFor(conversation: string): StickyProvider {
    let sticky = this.sticky.get(conversation);
    if (sticky) this.sticky.delete(conversation);
    else sticky = new StickyProvider();
    this.sticky.set(conversation, sticky);
    if (this.sticky.size > MAX_CONVERSATIONS) this.sticky.delete(this.sticky.keys().next().value as string);
    return sticky;
  }

  private reportSpend(spend: TurnSpend, handlers: LmHandlers): void {
    if (spend.knownUsd > 0) handlers.spent?.(spend.knownUsd);
    void spend.rest.then((rest) => {
      if (rest.usd > 0) handlers.spent?.(rest.usd);
    });
  }

  /** The draft (messages, tools, limits, session) and the route request. */
  private async prepare(
    input: LmRequest,
    conversation: string,
    sticky: StickyProvider,
  ): Promise<{ draft: TurnDraft<LmWireMessage>; request: RouteRequest; keys: readonly KeyRef[] }> {
    const keys = await this.env.keys.refs();
    if (keys.length === 0) throw new FailureError(noKeyFailure());
    const messages = toWireMessages(input.messages);
    const tools = toWireTools(input.tools);
    const toolChoice = toWireToolChoice(input.tools, input.toolMode);
    const maxTokens = this.maxTokens(input.target);
    const vision = needsVision(messages);
    const picked = input.target.kind === 'model' ? this.env.modelInfo(input.target.model) : undefined;
    if (vision && picked && !picked.isRouter && !picked.supportsVision)
      throw new FailureError(visionRefusal(picked.id));
    const affinity = sticky.affinity;
    const request = lmRouteRequest(input.target, {
      promptTokens: promptTokens(messages, tools, this.tokens),
      maxOutputTokens: maxTokens,
      needsTools: tools.length > 0,
      needsVision: vision,
      ...(affinity ? { affinity } : {}),
    });
    const body: ChatRequestBody<LmWireMessage> = {
      model: request.pickedModel ?? '',
      messages,
      ...(tools.length ? { tools } : {}),
      ...(toolChoice ? { tool_choice: toolChoice } : {}),
      stream: true,
      max_tokens: maxTokens,
      session_id: conversation,
    };
    // A stream that broke mid-answer is continued as Switchyard's chat continues one (src/chat/continuation.ts).
    const continueWith = (list: readonly LmWireMessage[], partial: string, model: string): LmWireMessage[] =>
      continuationMessages(list as readonly WireMessage[], partial, model);
    return { draft: { body, continueWith }, request, keys };
  }

  /** `max_tokens`: the user's cap, within a picked model's output limit and half its context. */
  private maxTokens(target: LmTarget): number {
    const cap = this.env.settings().maxOutputTokens;
    if (target.kind !== 'model') return cap;
    const info = this.env.modelInfo(target.model);
    return Math.max(
      1,
      Math.min(
        cap,
        info?.maxCompletionTokens ?? Number.POSITIVE_INFINITY,
        Math.floor((info?.contextLength ?? DEFAULT_CONTEXT_LENGTH) / 2),
      ),
    );
  }
}

export type { TurnMessage };
