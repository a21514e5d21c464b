/**
 * One chat answer, live: the streaming assistant message, one call of the turn layer
 * (src/turn/send.ts) with the routed request, and what the answer ends as — its text, meta line
 * (who served, tokens, cost, cache), thinking and `reasoning_details` on success; an error card or
 * "stopped" otherwise — plus the cost of attempts usage said nothing about, added to the meta line
 * once looked up. Pure.
 */
import type { ChatResult } from '../openrouter/streamAssembly';
import { FailureError, noKeyFailure } from '../openrouter/failures';
import { cacheSavings } from '../openrouter/promptCache';
import type { ChatMessageView, HostToWebview } from '../protocol/messages';
import { answerMeta, withLaterCost } from '../turn/answerMeta';
import type { Plan } from '../routing/types';
import type { ConversationEnv } from '../turn/env';
import { failureLogText, failureViewOf } from '../turn/failureView';
import { runTurn, TurnFailure, type TurnHandlers, type TurnOutcome, type TurnSpend } from '../turn/send';
import type { StickyProvider } from '../turn/sticky';
import { chatDraft, chatRouteRequest, planChat, type AnswerOptions } from './chatRequest';
import { codeUseView, type StoredMessage } from './conversation';
import { LiveAnswer } from './liveAnswer';

/** How often the partial answer is written to history while streaming. */
const PERSIST_EVERY_MS = 5000;

/** What an answer needs from the chat it belongs to. */
export interface AnswerHost {
  /** The messages before `user` (the history the request replays). */
  history(user: StoredMessage): readonly StoredMessage[];
  /** Data URLs of the stored images these messages carry. */
  imageUrls(messages: readonly StoredMessage[]): Promise<ReadonlyMap<string, string>>;
  readonly sessionId: string;
  readonly sticky: StickyProvider;
  add(message: StoredMessage): void;
  replace(message: StoredMessage): void;
  /** The stored message of `id`, if the chat on screen still has it. */
  find(id: string): StoredMessage | undefined;
  view(message: StoredMessage): ChatMessageView;
  persist(): Promise<void>;
  /** A wait is shown (its Send now ends it early), or ends (`undefined`). */
  setWait(skip: (() => void) | undefined): void;
}

export class AnswerRun {
  readonly live: LiveAnswer;
  private readonly post: (message: HostToWebview) => void;

  constructor(
    private readonly env: ConversationEnv,
    private readonly host: AnswerHost,
    private readonly user: StoredMessage,
    private readonly options: AnswerOptions = {},
  ) {
    this.post = (m) => env.post(m);
    this.live = this.start();
  }

  /** Sends the answer's request; resolves with its cost once the answer ended (failed and stopped too). */
  async run(signal: AbortSignal): Promise<TurnSpend | undefined> {
    const settings = this.env.settings();
    try {
      const keys = await this.env.keys.refs();
      if (keys.length === 0) throw new FailureError(noKeyFailure());
      const past = this.options.withoutHistory ? [] : this.host.history(this.user);
      const draft = chatDraft(
        this.env,
        this.user,
        settings,
        past,
        await this.host.imageUrls([...past, this.user]),
        this.host.sessionId,
      );
      const request = chatRouteRequest(draft.body, settings, this.host.sticky.affinity, this.user.tier);
      const plan = await planChat(this.env, request, keys, settings.model, this.options);
      const outcome = await runTurn(this.env, { caller: 'chat', plan, draft, keys }, this.handlers(), signal);
      this.finish(outcome, plan);
      return outcome.spend;
    } catch (error) {
      this.fail(error);
      return error instanceof TurnFailure ? error.spend : undefined;
    } finally {
      this.host.setWait(undefined);
    }
  }

  /** Adds the (empty, streaming) assistant message and tells the webview. */
  private start(): LiveAnswer {
    const { user } = this;
    const message: StoredMessage = {
      id: this.env.newId(),
      role: 'assistant',
      text: '',
      status: 'streaming',
      createdAt: this.env.now(),
      meta: { requestedModel: this.env.settings().model },
      ...(user.target ? { applyTarget: user.target.label } : {}),
      ...(user.use ? { codeUse: codeUseView(user.use) } : {}),
    };
    this.host.add(message);
    this.post({ type: 'messageAdded', message: this.host.view(message) });
    this.post({ type: 'busy', busy: true });
    let lastPersist = this.env.now();
    return new LiveAnswer(
      message,
      {
        replace: (next) => this.host.replace(next),
        delta: (id, text) => this.post({ type: 'delta', id, text }),
        reasoningDelta: (id, text) => this.post({ type: 'reasoningDelta', id, text }),
        updated: (next) => this.post({ type: 'messageUpdated', message: this.host.view(next) }),
        persistSoon: () => {
          if (this.env.now() - lastPersist <= PERSIST_EVERY_MS) return;
          lastPersist = this.env.now();
          void this.host.persist();
        },
      },
      () => this.env.now(),
    );
  }

  /** What the turn layer shows of the answer as it streams: text (a continuation spliced), thinking, waits, switches. */
  private handlers(): TurnHandlers {
    const live = this.live;
    return {
      onAttempt: (partial) => live.beginAttempt(partial),
      onText: (piece) => live.delta(piece),
      onReasoning: (piece) => live.reasoning(piece),
      streamedText: () => live.attemptText,
      attemptText: () => live.endAttempt(),
      waiting: (wait) => {
        live.waiting(wait);
        if (!wait) {
          this.host.setWait(undefined);
          return undefined;
        }
        const skip = new AbortController();
        this.host.setWait(() => skip.abort());
        return skip.signal;
      },
      onRouteEvent: (event) => {
        this.env.log.info(`route: ${event.text}`);
        live.notice(event.text);
      },
    };
  }

  /** The answer succeeded: text, meta, thinking; the provider that served is kept for the next turn. */
  private finish(outcome: TurnOutcome, plan: Plan): void {
    const { execution, result } = outcome;
    const live = this.live;
    const settings = this.env.settings();
    const servedModel = this.host.sticky.served(execution);
    if (execution.prefix)
      this.env.log.info(
        `answer recovered mid-stream: ${execution.prefix.length} characters kept, continued on ${result.model ?? execution.attempt.body.model}`,
      );
    // The plan's first model is what was asked for (a route name or a budget downgrade resolve to it).
    const primary = plan.attempts[0]?.body.model ?? settings.model;
    const tried = [...new Set(plan.attempts.flatMap((a) => a.body.models ?? [a.body.model]))].filter(
      (m) => m !== primary,
    );
    const meta = answerMeta(result, {
      requestedModel: primary,
      fallbacks: tried,
      ...this.cacheSaved(result, servedModel),
    });
    const details = outcome.reasoningDetails;
    live.set({
      ...live.message,
      ...live.thinkingDone(),
      text: execution.prefix + result.text,
      status: 'done',
      meta,
      ...(details.length ? { reasoningDetails: details } : {}),
      ...(result.sources?.length ? { sources: result.sources } : {}),
    });
    if (!live.message.text && live.message.reasoning)
      this.env.log.info('the model only reasoned: no answer text (not retried)');
    if (result.model && result.model !== settings.model)
      this.env.log.info(`answer served by fallback ${result.model} (asked for ${settings.model})`);
    this.env.log.info(
      `chat ← ${result.model ?? '?'} via ${result.provider ?? '?'}: ${result.promptTokens ?? '?'} in / ${result.completionTokens ?? '?'} out, $${result.cost ?? '?'}`,
    );
  }

  /** What the prompt cache saved (USD), from OpenRouter's `cache_discount` else the model's prices. */
  private cacheSaved(result: ChatResult, servedModel: string): { cacheSavedUsd?: number } {
    const readTokens = result.cachedTokens ?? 0;
    const writeTokens = result.cacheWriteTokens ?? 0;
    if (readTokens === 0 && writeTokens === 0) return {};
    const savedUsd = cacheSavings(
      readTokens,
      writeTokens,
      result.cacheDiscount,
      this.env.modelInfo(result.model ?? servedModel) ?? this.env.modelInfo(servedModel),
    );
    return savedUsd !== undefined ? { cacheSavedUsd: savedUsd } : {};
  }

  /** The answer failed or was stopped: what arrived stays, with an error card or marked stopped. */
  private fail(error: unknown): void {
    const live = this.live;
    const failure = error instanceof FailureError ? error.failure : undefined;
    this.host.sticky.failed(failure);
    if (failure?.kind === 'aborted') {
      live.set({ ...live.message, status: 'stopped' });
      this.env.log.info(`chat stopped by the user after ${live.message.text.length} characters`);
      return;
    }
    this.env.log.error(`chat failed: ${failureLogText(error)}`);
    live.set({ ...live.message, status: 'error', error: failureViewOf(error) });
  }

  /**
   * Attempts that broke off or were stopped, and answers whose stream carried no usage, cost money
   * but said nothing of it: once the turn layer has looked their cost up (else estimated it), it
   * is added to the answer's meta line.
   */
  async addLaterCost(spend: TurnSpend): Promise<void> {
    const { usd, estimatedUsd } = await spend.rest;
    if (usd <= 0) return;
    const current = this.host.find(this.live.id);
    if (!current) return;
    const meta = withLaterCost(current.meta, usd, estimatedUsd);
    const next = { ...current, meta };
    this.host.replace(next);
    this.post({ type: 'messageUpdated', message: this.host.view(next) });
    this.env.log.info(
      `cost of attempts without usage: $${usd}${estimatedUsd > 0 ? ` ($${estimatedUsd} of it estimated)` : ''}`,
    );
    await this.host.persist();
  }
}
