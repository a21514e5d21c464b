/**
 * One chat: send → build the request → stream → persist, with Stop, Retry and New chat.
 * Knows nothing of VS Code: the host gives it a {@link ChatEnvironment} and forwards what it
 * posts to the webview.
 */
import type { ChatResult, OpenRouterClient } from '../openrouter/client';
import { DEFAULT_CONTEXT_LENGTH, type ModelInfo } from '../openrouter/catalogue';
import { FailureError, noKeyFailure, routeRefusedFailure, type Failure } from '../openrouter/failures';
import type { Affinity } from '../routing/affinity';
import type { Execution } from '../routing/executor';
import { attemptRequestBody } from '../routing/requestBody';
import type { AttemptHooks, Router, VisibleWait } from '../routing/router';
import type { KeyRef, Plan, RouteRequest, Tier } from '../routing/types';
import type { ChatRequestBody, TextMessage, WireContentPart, WireMessage, WirePartsMessage } from '../openrouter/wire';
import { cacheMessages, cacheSavings, type Breakpoint, type CachingMode, type ContextLengths } from '../openrouter/promptCache';
import { AUTO_BY_TASK, AUTO_BY_TASK_DEFAULT } from '../config/defaults';
import { continuationMessages, honoursPrefill } from './continuation';
import { LiveAnswer } from './liveAnswer';
import type { Attachment } from '../context/attachment';
import { attachmentKey, attachmentLabel, uniqueAttachments } from '../context/attachment';
import { fitAttachments, fitReport, type FittedAttachment, attachmentBudget } from '../context/fit';
import type { ApplyTarget } from '../context/applyRange';
import { estimateTokens } from '../context/tokens';
import type { AnswerMeta, AttachmentView, FailureView, HostToWebview, ModelBadge } from '../protocol/messages';
import { reasoningChoices, reasoningParam, type ReasoningChoice, type ReasoningEffort } from '../openrouter/reasoning';
import { HistoryStore, codeUseView, toView, type ChatSummary, type CodeUse, type StoredMessage } from './conversation';
import type { KeyRing } from './keyRing';
import { buildMessages, contentTokens, SYSTEM_PROMPT, userContent } from './prompt';
import { ImageAttachments } from './imageAttachments';
import { hasImage, IMAGE_TOKENS, visionRefusal, withImages, type ImageStore } from './images';

/** Whether and where the next request sets prompt-cache breakpoints (for Explain Route). */
export interface CachingPlan {
  readonly model: string;
  readonly mode: CachingMode;
  readonly breakpoints: readonly Breakpoint[];
  readonly messageCount: number;
}

export interface ChatSettings {
  readonly model: string;
  readonly fallbackModels: readonly string[];
  readonly maxOutputTokens: number;
  /** `switchyard.webSearch.default`: "Search the web" starts on for each message. */
  readonly webSearchDefault?: boolean;
}

export interface ChatLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface ChatEnvironment {
  /** The API keys a request may use (the executor fails over between them on 401/402). */
  readonly keys: KeyRing;
  /** A client for one key and the configured base URL, or the failure that prevents one. */
  client(apiKey: string): OpenRouterClient | Failure;
  /**
   * The routing engine: plans each request (policy, catalogue, endpoints, health, spend), runs the
   * plan (failover, breakers, waits on its own clock and timers) and records what was spent.
   */
  readonly router: Router;
  /** Asks the user before a request that needs confirmation (a pricier model, a budget); true = go. */
  confirm(question: string): Promise<boolean>;
  settings(): ChatSettings;
  modelInfo(id: string): ModelInfo | undefined;
  /** The reasoning effort remembered for a model (undefined = the model's default). */
  reasoningChoice?(model: string): ReasoningChoice | undefined;
  /** Remembers the reasoning effort picked for a model. */
  rememberReasoningChoice?(model: string, choice: ReasoningChoice): Promise<void>;
  post(message: HostToWebview): void;
  /** Where attached images are kept (files in the extension's storage); without it images are refused. */
  readonly images?: ImageStore;
  readonly log: ChatLogger;
  newId(): string;
  now(): number;
}

/** How a message is sent: by a command (its tier, its own context, the range Apply replaces) or from the composer. */
export interface SendOptions {
  /** The routing tier the command asks for (default `chat`). */
  readonly tier?: Tier;
  /** The context of a command's message (instead of the composer's chips); shown with the message. */
  readonly attachments?: readonly Attachment[];
  /** The chips the webview showed when the user pressed Send: nothing else is sent. */
  readonly attachmentIds?: readonly string[];
  /** The lines the answer's code replaces (Fix, Refactor, Add Docs). */
  readonly target?: ApplyTarget;
  /** What the answer's code is for instead of Apply (Add Tests: a new file; Generate Commit Message). */
  readonly use?: CodeUse;
  /** The short line the conversation shows for an action's long instruction ("Fix src/math.ts:15"). */
  readonly summary?: string;
  /** "Search the web" was on: OpenRouter's web plugin goes with the request. */
  readonly webSearch?: boolean;
  /** The reasoning effort the command asks for (Explain: low), for models that accept one; else the remembered one. */
  readonly effort?: ReasoningEffort;
}

/** Web results asked of OpenRouter's web plugin per request (its default; the fee estimate assumes it). */
export const WEB_SEARCH_RESULTS = 5;

/** How often the partial answer is written to history while streaming. */
const PERSIST_EVERY_MS = 5000;

export class ChatSession {
  private messages: StoredMessage[] = [];
  private conversationId: string;
  /** The automatic editor context (selection or active file): zero or one. */
  private attachments: Attachment[] = [];
  /** Context picked with `@` mentions, until the message is sent. */
  private pinned: Attachment[] = [];
  private readonly dismissed = new Set<string>();
  private current: { controller: AbortController; assistantId: string; done: Promise<void> } | undefined;
  /** The provider that served the last turn, kept while turns succeed (sticky routing, for the prompt cache). */
  private affinity: Affinity | undefined;
  /** Ends the visible wait of the running answer early (Send now). */
  private wait: (() => void) | undefined;
  /** Cost look-ups still running after their answer ended. */
  private readonly background = new Set<Promise<void>>();
  /** Images pasted, dropped or picked for the next message, and the bytes of stored ones. */
  private readonly imageFiles: ImageAttachments;

  constructor(private readonly env: ChatEnvironment, private readonly history: HistoryStore) {
    const saved = history.load();
    this.conversationId = saved?.id ?? env.newId();
    this.messages = saved ? [...saved.messages] : [];
    this.imageFiles = new ImageAttachments(env.images, { newId: () => env.newId(), log: env.log, changed: () => this.refreshAttachments(), refuse: (text) => env.post({ type: 'composerNotice', text, level: 'error' }), saved: () => this.savedMessages(), cannotSee: () => this.cannotSee() });
  }

  /** The picked model cannot take images (a router or an unknown model may): said when an image is attached, not after Send. */
  private cannotSee(): string | undefined {
    const { model } = this.env.settings();
    const info = this.env.modelInfo(model);
    if (!info || info.isRouter || info.supportsVision) return undefined;
    return `${model} cannot see images. Pick a vision model first (Switchyard: Pick a Vision Model), then attach it.`;
  }

  /** After "Pick a Vision Model" on an answer refused for its image: sends that message again (no Retry needed). */
  async retryAfterVisionPick(): Promise<void> {
    const last = this.messages.at(-1);
    if (last?.role === 'assistant' && last.status === 'error' && last.error?.action?.command === 'switchyard.pickVisionModel') await this.retry(last.id);
  }

  /** Attaches an image pasted or dropped in the composer (a `data:image/…;base64,` URL); a refusal is said under the composer. */
  addImage(name: string, dataUrl: string): Promise<void> {
    return this.imageFiles.addDataUrl(name, dataUrl);
  }

  /** Attaches an image file's bytes (the paperclip's open dialog, `@image`). */
  addImageBytes(name: string, bytes: Uint8Array): Promise<void> {
    return this.imageFiles.addBytes(name, bytes);
  }

  /** A message as the webview shows it: its images as chips with where to show them from. */
  private view(message: StoredMessage): ReturnType<typeof toView> {
    const view = toView(message);
    if (!message.images?.length) return view;
    return { ...view, attachments: [...(view.attachments ?? []), ...message.images.map((ref) => this.imageFiles.view(ref))] };
  }

  get busy(): boolean {
    return this.current !== undefined;
  }

  /** Everything the webview needs to render from scratch. */
  initMessage(hasKey: boolean): HostToWebview {
    const webSearchDefault = this.env.settings().webSearchDefault === true;
    return { type: 'init', messages: this.messages.map((m) => this.view(m)), model: this.modelBadge(), hasKey, attachments: this.attachmentViews(), busy: this.busy, webSearchDefault };
  }

  modelBadge(): ModelBadge {
    const { model, fallbackModels } = this.env.settings();
    if (model === AUTO_BY_TASK) return { id: model, name: 'Auto by task', fallbacks: fallbackModels };
    const info = this.env.modelInfo(model);
    const choices = reasoningChoices(info);
    const reasoning = choices.length ? { reasoning: { choices, current: this.reasoningChoiceFor(model, choices) } } : {};
    return { id: model, name: info?.name ?? model, ...(info ? { contextLength: info.contextLength } : {}), fallbacks: fallbackModels, ...reasoning };
  }

  /** The remembered effort of a model, when it still offers it; else `default`. */
  private reasoningChoiceFor(model: string, choices: readonly ReasoningChoice[]): ReasoningChoice {
    const remembered = this.env.reasoningChoice?.(model);
    return remembered && choices.includes(remembered) ? remembered : 'default';
  }

  /** The header's effort control: remembered for the model, used from the next request on. */
  async setReasoningEffort(model: string, choice: ReasoningChoice): Promise<void> {
    if (!reasoningChoices(this.env.modelInfo(model)).includes(choice)) {
      this.env.log.warn(`reasoning effort "${choice}" is not offered by ${model}; ignored`);
      return;
    }
    await this.env.rememberReasoningChoice?.(model, choice);
    this.env.log.info(`reasoning effort for ${model}: ${choice}`);
    this.env.post({ type: 'model', model: this.modelBadge() });
  }

  /** The editor's current context (selection or file); `undefined` clears it. */
  offerEditorContext(attachment: Attachment | undefined): void {
    const next = attachment && !this.dismissed.has(attachmentKey(attachment)) ? [attachment] : [];
    const same = next.length === this.attachments.length && next.every((a, i) => attachmentKey(a) === attachmentKey(this.attachments[i]!) && a.content === this.attachments[i]!.content);
    if (same) return;
    this.attachments = next;
    this.env.post({ type: 'attachments', attachments: this.attachmentViews() });
  }

  /** Adds context picked with an `@` mention (replacing the same source picked earlier). */
  addAttachments(list: readonly Attachment[]): void {
    if (!list.length) return;
    const keys = new Set(list.map(attachmentKey));
    this.pinned = [...this.pinned.filter((a) => !keys.has(attachmentKey(a))), ...list];
    for (const key of keys) this.dismissed.delete(key);
    // The automatic chip of the same source stays behind the picked one (composerAttachments shows
    // one of them) and is back once the picked one is sent, if the editor still has it.
    this.env.post({ type: 'attachments', attachments: this.attachmentViews() });
  }

  removeAttachment(id: string): void {
    if (this.imageFiles.remove(id)) return;
    if (this.pinned.some((a) => a.id === id)) {
      this.pinned = this.pinned.filter((a) => a.id !== id);
      this.env.post({ type: 'attachments', attachments: this.attachmentViews() });
      return;
    }
    const found = this.attachments.find((a) => a.id === id);
    if (!found) return;
    this.dismissed.add(attachmentKey(found));
    this.attachments = this.attachments.filter((a) => a.id !== id);
    this.env.post({ type: 'attachments', attachments: this.attachmentViews() });
  }

  /** Re-posts chips (token counts depend on the model's context window). */
  refreshAttachments(): void {
    this.env.post({ type: 'attachments', attachments: this.attachmentViews() });
  }

  /**
   * Sends a user message. Resolves when the answer has finished, failed or been stopped.
   * From the composer, only the chips the webview showed (`attachmentIds`) are sent, and the
   * `@`-picked ones are used up; a command brings its own context, tier and Apply target.
   */
  async send(text: string, options: SendOptions = {}): Promise<void> {
    if (this.current) {
      if (!options.attachments) this.env.post({ type: 'restoreDraft', text });
      return;
    }
    const shown = options.attachmentIds ? new Set(options.attachmentIds) : undefined;
    // The same context is never sent twice (an automatic and a picked chip of one selection).
    const context = uniqueAttachments(options.attachments ?? this.composerAttachments().filter((a) => !shown || shown.has(a.id)));
    const images = options.attachments ? [] : this.imageFiles.take(shown);
    const fitted = this.fit(text, context, images.length);
    const sent = fitted.filter((f) => !f.dropped);
    const report = fitReport(fitted, attachmentLabel);
    const user: StoredMessage = {
      id: this.env.newId(),
      role: 'user',
      text,
      status: 'done',
      createdAt: this.env.now(),
      attachments: fitted.map(toAttachmentView),
      context: sent.map((f) => f.rendered),
      ...(images.length ? { images } : {}),
      ...(report.length ? { notices: report } : {}),
      ...(options.tier ? { tier: options.tier } : {}),
      ...(options.target ? { target: options.target } : {}),
      ...(options.use ? { use: options.use } : {}),
      ...(options.summary ? { summary: options.summary } : {}),
      ...(options.webSearch ? { webSearch: true } : {}),
      ...(options.effort ? { effort: options.effort } : {}),
    };
    this.messages.push(user);
    this.env.post({ type: 'messageAdded', message: this.view(user) });
    for (const line of report) this.env.log.warn(`context: ${line}`);
    if (!options.attachments && this.pinned.length) {
      this.pinned = [];
      this.env.post({ type: 'attachments', attachments: this.attachmentViews() });
    }
    await this.answer(user);
  }

  /** The range the code of an answer replaces (the command's target), if it was asked with one. */
  applyTargetFor(assistantId: string): ApplyTarget | undefined {
    const index = this.messages.findIndex((m) => m.id === assistantId && m.role === 'assistant');
    const user = index > 0 ? this.messages[index - 1] : undefined;
    return user?.role === 'user' ? user.target : undefined;
  }

  /** An answer's Markdown and the user's message it replies to (to name a code block's new file), if it is in this chat. */
  answerWithQuestion(assistantId: string): { readonly answer: string; readonly question?: string } | undefined {
    const index = this.messages.findIndex((m) => m.id === assistantId && m.role === 'assistant');
    if (index === -1) return undefined;
    const user = index > 0 ? this.messages[index - 1] : undefined;
    return { answer: this.messages[index]!.text, ...(user?.role === 'user' ? { question: user.text } : {}) };
  }

  /** What the code of an answer is for instead of Apply (a test file to create, a commit message), if anything. */
  codeUseFor(assistantId: string): CodeUse | undefined {
    const index = this.messages.findIndex((m) => m.id === assistantId && m.role === 'assistant');
    const user = index > 0 ? this.messages[index - 1] : undefined;
    return user?.role === 'user' ? user.use : undefined;
  }

  /** Runs the request again for the user turn before the given (failed or stopped) answer. */
  async retry(assistantId: string): Promise<void> {
    if (this.current) return;
    const index = this.messages.findIndex((m) => m.id === assistantId && m.role === 'assistant');
    const user = index > 0 ? this.messages[index - 1] : undefined;
    if (!user || user.role !== 'user' || index !== this.messages.length - 1) return;
    this.messages.splice(index, 1);
    // The conversation still has messages, so the welcome (which depends on hasKey) is not shown.
    this.env.post(this.initMessage(true));
    await this.answer(user);
  }

  stop(): void {
    this.current?.controller.abort();
  }

  async newChat(): Promise<void> {
    // Let a running answer finish stopping first, so nothing of it lands in the new chat.
    const running = this.current?.done;
    this.stop();
    await running;
    this.messages = [];
    this.dismissed.clear();
    this.affinity = undefined;
    this.conversationId = this.env.newId();
    await this.history.clear();
    this.env.post({ type: 'cleared' });
  }

  /** The id of the chat on screen. */
  get chatId(): string {
    return this.conversationId;
  }

  /** The past chats (this one included once it has a message), newest first, filtered by `query` words. */
  chats(query = ''): ChatSummary[] {
    return this.history.search(query);
  }

  /**
   * Reopens a past chat (stopping a running answer first; the chat on screen stays in the list).
   * False when it no longer exists.
   */
  async openChat(id: string): Promise<boolean> {
    if (id === this.conversationId) return true;
    const chat = this.history.open(id);
    if (!chat) return false;
    const running = this.current?.done;
    this.stop();
    await running;
    this.messages = [...chat.messages];
    this.conversationId = chat.id;
    this.dismissed.clear();
    this.affinity = undefined;
    await this.persist();
    // It has messages, so the welcome (which depends on hasKey) is not shown.
    this.env.post(this.initMessage(true));
    return true;
  }

  /** Deletes a past chat for good (its image files too, unless another chat has them); deleting the one on screen starts a new chat. */
  async deleteChat(id: string): Promise<void> {
    const gone = this.history.open(id)?.messages ?? [];
    if (id === this.conversationId) await this.newChat();
    await this.history.delete(id);
    await this.imageFiles.forget(gone, this.savedMessages());
  }

  /** Every saved chat's messages and the chat on screen's. */
  private savedMessages(): StoredMessage[] {
    return [...this.history.list().flatMap((c) => this.history.open(c.id)?.messages ?? []), ...this.messages];
  }

  private answer(user: StoredMessage): Promise<void> {
    const controller = new AbortController();
    let finished!: () => void;
    const done = new Promise<void>((resolve) => (finished = resolve));
    this.current = { controller, assistantId: '', done };
    return this.runAnswer(user, controller).finally(finished);
  }

  private async runAnswer(user: StoredMessage, controller: AbortController): Promise<void> {
    const settings = this.env.settings();
    const live = this.startAnswer(user, settings);
    try {
      const keys = await this.env.keys.refs();
      if (keys.length === 0) throw new FailureError(noKeyFailure());
      const { plan, draft, contextLengths } = await this.prepareRequest(user, settings, keys);
      const execution = await this.env.router.execute(plan, this.attemptHooks(live, draft, contextLengths, keys, controller, user.effort), controller.signal);
      this.finishAnswer(live, execution, plan, settings);
    } catch (error) {
      this.failAnswer(live, error);
    } finally {
      this.current = undefined;
      this.wait = undefined;
      this.env.post({ type: 'messageUpdated', message: this.view(live.message) });
      this.env.post({ type: 'busy', busy: false });
      await this.persist();
      this.reconcileLater(live);
    }
  }

  /** Adds the (empty, streaming) assistant message and tells the webview. */
  private startAnswer(user: StoredMessage, settings: ChatSettings): LiveAnswer {
    const message: StoredMessage = { id: this.env.newId(), role: 'assistant', text: '', status: 'streaming', createdAt: this.env.now(), meta: { requestedModel: settings.model }, ...(user.target ? { applyTarget: user.target.label } : {}), ...(user.use ? { codeUse: codeUseView(user.use) } : {}) };
    this.messages.push(message);
    if (this.current) this.current.assistantId = message.id;
    this.env.post({ type: 'messageAdded', message: this.view(message) });
    this.env.post({ type: 'busy', busy: true });
    let lastPersist = this.env.now();
    const answer = new LiveAnswer(message, {
      replace: (next) => {
        const index = this.messages.findIndex((m) => m.id === next.id);
        if (index >= 0) this.messages[index] = next;
      },
      delta: (id, text) => this.env.post({ type: 'delta', id, text }),
      reasoningDelta: (id, text) => this.env.post({ type: 'reasoningDelta', id, text }),
      updated: (next) => this.env.post({ type: 'messageUpdated', message: this.view(next) }),
      persistSoon: () => {
        if (this.env.now() - lastPersist <= PERSIST_EVERY_MS) return;
        lastPersist = this.env.now();
        void this.persist();
      },
    }, () => this.env.now());
    return answer;
  }

  /** What the router needs from the chat: sending an attempt (a continuation spliced), showing a wait, confirming. */
  private attemptHooks(live: LiveAnswer, draft: ChatRequestBody, contextLengths: ContextLengths, keys: readonly KeyRef[], controller: AbortController, effort?: ReasoningEffort): AttemptHooks<ChatResult> {
    const clientFor = this.clientPool();
    return {
      send: async (attempt, partial) => {
        const client = await clientFor(attempt.keyId);
        live.beginAttempt(partial);
        const { models } = attempt.body;
        // Cache breakpoints for the attempt's model, when it needs them (src/openrouter/promptCache.ts).
        const cached = cacheMessages(attempt.body.model, (id) => this.env.modelInfo(id), continuationMessages(draft.messages, partial, attempt.body.model), contextLengths);
        const messages = cached.messages;
        const reasoning = this.reasoningFor(attempt.body.model, effort, draft.max_tokens ?? 0);
        const body = { ...attemptRequestBody<WireMessage | WirePartsMessage>(draft, attempt.body, messages), ...(reasoning ? { reasoning } : {}) };
        const breakpoints = cached.breakpoints.length ? `, ${cached.breakpoints.length} cache breakpoints` : '';
        this.env.log.info(`chat → ${body.model}${models ? ` (fallbacks: ${models.slice(1).join(', ')})` : ''}${partial ? ` continuing a cut-off answer (${honoursPrefill(body.model) ? 'prefill' : 'as a user turn'})` : ''}, ${messages.length} messages${breakpoints}${body.plugins ? ', web search' : ''}`);
        try {
          const result = await client.streamChat(body, { onDelta: (piece) => live.delta(piece), onReasoning: (piece) => live.reasoning(piece), onReasoningDetails: (pieces) => live.reasoningDetails(pieces) }, controller.signal);
          return { ...result, text: live.endAttempt() };
        } catch (error) {
          const id = error instanceof FailureError ? error.failure.generationId : undefined;
          if (id) live.unbilled.push({ id, keyId: attempt.keyId });
          throw error;
        }
      },
      waiting: (wait) => this.showWait(live, wait),
      confirm: (question) => this.env.confirm(question),
      streamedText: () => live.attemptText,
      keys,
      reportKey: (id, outcome) => this.env.keys.report(id, outcome),
      notify: (event) => {
        this.env.log.info(`route: ${event.text}`);
        live.notice(event.text);
      },
    };
  }

  /**
   * The request's `reasoning` for the model an attempt sends to: a command's effort, else the one
   * remembered for that model; nothing for a model that does not accept `reasoning`.
   */
  private reasoningFor(model: string, effort: ReasoningEffort | undefined, maxTokens: number): ChatRequestBody['reasoning'] {
    const info = this.env.modelInfo(model);
    const choice = effort && reasoningChoices(info).includes(effort) ? effort : this.env.reasoningChoice?.(model);
    return reasoningParam(info, choice, maxTokens || this.env.settings().maxOutputTokens);
  }

  /** Clients per key id, created on first use. */
  private clientPool(): (keyId: string) => Promise<OpenRouterClient> {
    const clients = new Map<string, OpenRouterClient>();
    return async (keyId) => {
      const known = clients.get(keyId);
      if (known) return known;
      const secret = await this.env.keys.secret(keyId);
      if (!secret) throw new FailureError(noKeyFailure());
      const client = this.env.client(secret);
      if (!isClient(client)) throw new FailureError(client);
      clients.set(keyId, client);
      return client;
    };
  }

  /**
   * A wait the router is about to make (or, with `undefined`, has ended): shown as a countdown
   * with Send now and Stop. Returns the signal that ends it early ({@link sendNow}); Stop ends it
   * through the answer's own signal.
   */
  private showWait(live: LiveAnswer, wait: VisibleWait | undefined): AbortSignal | undefined {
    live.waiting(wait);
    if (!wait) {
      this.wait = undefined;
      return undefined;
    }
    const skip = new AbortController();
    this.wait = () => skip.abort();
    return skip.signal;
  }

  /** Ends the wait shown with the answer (Send now): the next attempt goes at once. */
  sendNow(): void {
    this.wait?.();
  }

  /** The answer succeeded: text, meta, spend; the provider that served is kept for the next turn. */
  private finishAnswer(live: LiveAnswer, execution: Execution<ChatResult>, plan: Plan, settings: ChatSettings): void {
    const result = execution.result;
    // Stay on the provider that served, while turns go through without upstream errors (a wait for
    // a cooldown learned earlier is not one). OpenRouter may name the model differently (a dated
    // slug): then the pin goes with the model that was asked.
    const sent = execution.attempt.body.models ?? [execution.attempt.body.model];
    const servedModel = result.model && sent.includes(result.model) ? result.model : execution.attempt.body.model;
    const upstreamTrouble = execution.events.some((e) => e.kind !== 'wait');
    this.affinity = !upstreamTrouble && result.provider ? { model: servedModel, provider: result.provider } : undefined;
    if (execution.prefix) this.env.log.info(`answer recovered mid-stream: ${execution.prefix.length} characters kept, continued on ${result.model ?? execution.attempt.body.model}`);
    // The plan's first model is what was asked for (a route name or a budget downgrade resolve to it).
    const primary = plan.attempts[0]?.body.model ?? settings.model;
    const tried = [...new Set(plan.attempts.flatMap((a) => a.body.models ?? [a.body.model]))].filter((m) => m !== primary);
    const meta: AnswerMeta = { requestedModel: primary, ...(tried.length ? { fallbacks: tried } : {}), ...answerMeta(result), ...this.cacheMeta(result, servedModel) };
    const details = live.finishedDetails();
    live.set({ ...live.message, ...live.thinkingDone(), text: execution.prefix + result.text, status: 'done', meta, ...(details.length ? { reasoningDetails: details } : {}), ...(result.sources?.length ? { sources: result.sources } : {}) });
    if (!live.message.text && live.message.reasoning) this.env.log.info('the model only reasoned: no answer text (not retried)');
    if (result.cost !== undefined) this.env.router.recordSpend(result.cost);
    // No usage in the stream: the budgets still count it, from `/generation` (see reconcileLater).
    else if (result.generationId) live.unbilled.push({ id: result.generationId, keyId: execution.attempt.keyId });
    if (result.model && result.model !== settings.model) this.env.log.info(`answer served by fallback ${result.model} (asked for ${settings.model})`);
    this.env.log.info(`chat ← ${result.model ?? '?'} via ${result.provider ?? '?'}: ${result.promptTokens ?? '?'} in / ${result.completionTokens ?? '?'} out, $${result.cost ?? '?'}`);
  }

  /** The meta line's prompt-cache part: tokens read and written, and what caching saved. */
  private cacheMeta(result: ChatResult, servedModel: string): Pick<AnswerMeta, 'cache'> {
    const readTokens = result.cachedTokens ?? 0;
    const writeTokens = result.cacheWriteTokens ?? 0;
    if (readTokens === 0 && writeTokens === 0) return {};
    const savedUsd = cacheSavings(readTokens, writeTokens, result.cacheDiscount, this.env.modelInfo(result.model ?? servedModel) ?? this.env.modelInfo(servedModel));
    return { cache: { readTokens, writeTokens, ...(savedUsd !== undefined ? { savedUsd } : {}) } };
  }

  /** The answer failed or was stopped: what arrived stays, with an error card or marked stopped. */
  private failAnswer(live: LiveAnswer, error: unknown): void {
    const failure = error instanceof FailureError ? error.failure : undefined;
    // Stop, a refusal before sending or our own settings say nothing about the provider.
    if (!failure || !['aborted', 'refused', 'config'].includes(failure.kind)) this.affinity = undefined;
    if (failure?.kind === 'aborted') {
      live.set({ ...live.message, status: 'stopped' });
      this.env.log.info(`chat stopped by the user after ${live.message.text.length} characters`);
      return;
    }
    const view = failure ? toFailureView(failure) : { kind: 'internal', title: 'Something went wrong', message: 'An unexpected error occurred; see the Switchyard log.', action: { label: 'Show Log', command: 'switchyard.showLog' as const } };
    this.env.log.error(`chat failed: ${failure ? `${failure.kind} ${failure.status ?? ''} ${failure.message}` : String(error)}`);
    live.set({ ...live.message, status: 'error', error: view });
  }

  /**
   * Attempts that broke off or were stopped, and answers whose stream carried no usage, cost money
   * but said nothing of it: their cost is looked up
   * (`GET /generation`, retried while the record is not there yet), recorded as spend and added to
   * the answer's meta line. Runs after the answer; {@link idle} waits for it.
   */
  private reconcileLater(live: LiveAnswer): void {
    if (!live.unbilled.length) return;
    const clientFor = this.clientPool();
    const ids = [...live.unbilled];
    const task = (async () => {
      let added = 0;
      for (const { id, keyId } of ids) {
        const usd = await clientFor(keyId).then((client) => client.generationCost(id)).catch(() => undefined);
        if (usd === undefined) {
          this.env.log.warn(`the cost of generation ${id} could not be looked up`);
          continue;
        }
        this.env.router.recordSpend(usd);
        this.env.log.info(`spend of ${id} read from /generation: $${usd}`);
        added += usd;
      }
      if (added <= 0) return;
      const index = this.messages.findIndex((m) => m.id === live.id);
      const current = this.messages[index];
      if (!current) return;
      const meta: AnswerMeta = { ...(current.meta ?? { requestedModel: '' }), cost: (current.meta?.cost ?? 0) + added };
      this.messages[index] = { ...current, meta };
      this.env.post({ type: 'messageUpdated', message: this.view(this.messages[index]!) });
      this.env.log.info(`cost of broken-off attempts: $${added} (from /generation)`);
      await this.persist();
    })();
    this.background.add(task);
    void task.finally(() => this.background.delete(task));
  }

  /** Resolves when background work (cost look-ups) has finished. */
  async idle(): Promise<void> {
    while (this.background.size) await Promise.all([...this.background]);
  }

  /**
   * The route the next message would take (for "Explain Route"), with the chips attached now: the
   * plan, the request it was planned for, the draft body (history + chips; the routing fields
   * come from each attempt, see `attemptRequestBody`), the keys in try order, and whether and
   * where the plan's first model gets prompt-cache breakpoints.
   */
  async planNext(): Promise<{ plan: Plan; request: RouteRequest; body: ChatRequestBody; keys: readonly KeyRef[]; caching?: CachingPlan }> {
    const settings = this.env.settings();
    const pending = this.imageFiles.pending();
    const draft: StoredMessage = { id: 'next', role: 'user', text: '', status: 'done', createdAt: this.env.now(), context: this.fit('').filter((f) => !f.dropped).map((f) => f.rendered), ...(pending.length ? { images: pending } : {}) };
    const urls = await this.imageFiles.dataUrls([...this.messages, draft]);
    const { body, contextLengths } = this.requestBody(draft, settings, this.messages, urls);
    const request = this.routeRequest(body, settings);
    const keys = await this.env.keys.refs();
    const plan = await this.env.router.plan(request, keys, { advance: false });
    const first = plan.attempts[0]?.body.model;
    // The next message's text is not known yet: a stand-in, so that its breakpoint is shown too.
    const next = body.messages.map((m, i) => (i === body.messages.length - 1 && m.role === 'user' ? { ...m, content: m.content || '(your next message)' } : m));
    const cached = first ? cacheMessages(first, (id) => this.env.modelInfo(id), next, contextLengths) : undefined;
    return { plan, request, body, keys, ...(first && cached ? { caching: { model: first, mode: cached.mode, breakpoints: cached.breakpoints, messageCount: body.messages.length } } : {}) };
  }

  /**
   * The request the router plans: a command's own tier (`fromCommand`), the status-bar pick unless
   * it is Auto by task (then the tiers decide; see the README's precedence table).
   */
  private routeRequest(draft: ChatRequestBody, settings: ChatSettings, commandTier?: Tier): RouteRequest {
    const promptTokens = draft.messages.reduce((n, m) => n + contentTokens(m.content) + 4, 0);
    // A request that carries an image (this turn's or a replayed one's) needs a model that takes images.
    const needsVision = draft.messages.some((m) => hasImage(m.content));
    // The planner applies it only to attempts of the affinity's model (a route or tier may resolve to it).
    const affinity = this.affinity ? { affinity: this.affinity } : {};
    const pick = settings.model === AUTO_BY_TASK ? { byTaskDefault: AUTO_BY_TASK_DEFAULT } : { pickedModel: settings.model };
    const tier = commandTier ?? 'chat';
    const webSearch = draft.plugins?.some((p) => p.id === 'web') ? { webSearch: true } : {};
    return { tier, ...pick, ...(commandTier ? { fromCommand: true } : {}), promptTokens, maxOutputTokens: draft.max_tokens ?? settings.maxOutputTokens, needsVision, needsTools: false, ...affinity, ...webSearch };
  }

  /**
   * Builds the messages, then lets the routing engine decide `model`, `models` and `provider`.
   * A refusal (no provider can serve it, a budget, byokOnly without a BYOK provider…) fails
   * before anything is sent; an attempt that needs confirmation asks first.
   */
  private async prepareRequest(user: StoredMessage, settings: ChatSettings, keys: readonly KeyRef[]): Promise<{ plan: Plan; draft: ChatRequestBody; contextLengths: ContextLengths }> {
    const past = this.messages.slice(0, this.messages.indexOf(user));
    const { body: draft, contextLengths } = this.requestBody(user, settings, past, await this.imageFiles.dataUrls([...past, user]));
    const request = this.routeRequest(draft, settings, user.tier);
    // A picked model that cannot see is refused here, with the vision-only picker, rather than
    // planned around (src/routing/plan.ts would fall back to another model without saying so).
    const picked = request.pickedModel ? this.env.modelInfo(request.pickedModel) : undefined;
    if (request.needsVision && picked && !picked.isRouter && !picked.supportsVision) throw new FailureError(visionRefusal(picked.id));
    const plan = await this.env.router.plan(request, keys);
    for (const warning of plan.warnings) this.env.log.warn(`route: ${warning}`);
    if (plan.refusal && request.needsVision && plan.decisions.some((d) => d.rule === 'capability.vision')) throw new FailureError(visionRefusal(settings.model, `No model this message may go to takes images (${plan.refusal.reason.replace(/\.$/, '')})`));
    if (plan.refusal) throw new FailureError(routeRefusedFailure(plan.refusal.reason));
    if (!plan.attempts.length) throw new FailureError(routeRefusedFailure('The routing engine found nothing to send.'));
    return { plan, draft, contextLengths };
  }

  /** The request of a user turn; `urls` are the data URLs of the stored images it and the history carry. */
  private requestBody(user: StoredMessage, settings: ChatSettings, past: readonly StoredMessage[], urls: ReadonlyMap<string, string>): { body: ChatRequestBody; contextLengths: ContextLengths } {
    const info = this.env.modelInfo(settings.model);
    const contextLength = info?.contextLength ?? DEFAULT_CONTEXT_LENGTH;
    const maxTokens = Math.min(settings.maxOutputTokens, info?.maxCompletionTokens ?? Number.POSITIVE_INFINITY, Math.floor(contextLength / 2));
    const turn = (m: StoredMessage | undefined, text: string): string | WireContentPart[] => withImages(text, (m?.images ?? []).flatMap((ref) => urls.get(ref.file) ?? []));
    const current: TextMessage = { role: 'user', content: userContent(user.text, user.context) };
    const fixed = estimateTokens(SYSTEM_PROMPT) + contentTokens(turn(user, current.content));
    const historyBudget = Math.max(0, attachmentBudget(contextLength, maxTokens, fixed));
    const { messages, droppedTurns, contextLengths } = buildMessages(past, current, historyBudget, user.context, turn, user);
    if (droppedTurns > 0) this.env.log.info(`${droppedTurns} earlier turns left out to fit ${contextLength} tokens`);
    const plugins = user.webSearch ? { plugins: [{ id: 'web' as const, max_results: WEB_SEARCH_RESULTS }] } : {};
    return { body: { model: settings.model, messages, stream: true, max_tokens: maxTokens, session_id: this.conversationId, ...plugins }, contextLengths };
  }

  /** The chips: picked ones first; an automatic one only where nothing picked covers the same source. */
  private composerAttachments(): Attachment[] {
    return uniqueAttachments([...this.pinned, ...this.attachments]);
  }

  /** Fits the context next to the text and `images` images (each counted as {@link IMAGE_TOKENS}). */
  private fit(text: string, attachments: readonly Attachment[] = this.composerAttachments(), images = this.imageFiles.pending().length): FittedAttachment[] {
    const settings = this.env.settings();
    const info = this.env.modelInfo(settings.model);
    const contextLength = info?.contextLength ?? DEFAULT_CONTEXT_LENGTH;
    const reserved = Math.min(settings.maxOutputTokens, Math.floor(contextLength / 2));
    return fitAttachments({ attachments, contextLength, reservedOutput: reserved, otherTokens: estimateTokens(SYSTEM_PROMPT) + estimateTokens(text) + images * IMAGE_TOKENS });
  }

  private attachmentViews(): AttachmentView[] {
    const images = this.imageFiles.pending().map((ref) => this.imageFiles.view(ref));
    // No chips, nothing to count: this runs at activation, before the tokenizer is worth loading.
    const attachments = this.composerAttachments();
    if (attachments.length === 0) return images;
    return [...this.fit('', attachments).map(toAttachmentView), ...images];
  }

  private async persist(): Promise<void> {
    try {
      await this.history.save({ id: this.conversationId, messages: this.messages });
    } catch (error) {
      this.env.log.error(`could not save chat history: ${String(error)}`);
    }
  }
}

function isClient(value: OpenRouterClient | Failure): value is OpenRouterClient {
  return typeof (value as OpenRouterClient).streamChat === 'function';
}

function toAttachmentView(f: FittedAttachment): AttachmentView {
  return { id: f.attachment.id, kind: f.attachment.kind, label: attachmentLabel(f.attachment), tokens: f.tokens, truncated: f.truncated, originalTokens: f.originalTokens, ...(f.dropped ? { dropped: true } : {}) };
}

/** The meta line's facts from a result: who served, tokens, cost (with the BYOK split), timing. */
function answerMeta(result: ChatResult): Omit<AnswerMeta, 'requestedModel'> {
  return {
    ...(result.model ? { model: result.model } : {}),
    ...(result.provider ? { provider: result.provider } : {}),
    ...(result.promptTokens !== undefined ? { promptTokens: result.promptTokens } : {}),
    ...(result.completionTokens !== undefined ? { completionTokens: result.completionTokens } : {}),
    ...(result.reasoningTokens !== undefined ? { reasoningTokens: result.reasoningTokens } : {}),
    ...(result.cost !== undefined ? { cost: result.cost } : {}),
    ...(result.costSplit ? { costSplit: result.costSplit } : {}),
    ...(result.generationId ? { generationId: result.generationId } : {}),
    ...(result.ttftMs !== undefined ? { ttftMs: result.ttftMs } : {}),
  };
}

/** A failure as the webview shows it. */
export function toFailureView(failure: Failure): FailureView {
  return { kind: failure.kind, title: failure.title, message: failure.message, ...(failure.action ? { action: failure.action } : {}) };
}
