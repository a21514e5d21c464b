/**
 * One chat: its messages and history (saved as they change, Past Chats), the composer's context,
 * and its answers — each one call of the turn layer (src/chat/answerRun.ts → src/turn/send.ts) —
 * with Stop, Retry and New chat. Knows nothing of VS Code: the host gives it a
 * {@link ChatEnvironment} and forwards what it posts to the webview.
 */
import type { ApplyTarget } from '../context/applyRange';
import type { Attachment } from '../context/attachment';
import { reasoningChoices, type ReasoningChoice } from '../openrouter/reasoning';
import type { HostToWebview, ModelBadge } from '../protocol/messages';
import type { TurnSpend } from '../turn/send';
import { StickyProvider } from '../turn/sticky';
import { AnswerRun, type AnswerHost } from './answerRun';
import { planNextRoute, userTurn, type AnswerOptions } from './chatRequest';
import { Composer } from './composer';
import { replyOf, toView, type CodeUse, type StoredMessage } from './conversation';
import { withSmallerContext } from './smallerContext';
import { HistoryStore, type ChatSummary } from './history';
import { modelBadge } from './modelBadge';
import type { ChatEnvironment, NextRoute, SendOptions } from './sessionTypes';

export { WEB_SEARCH_RESULTS } from './chatRequest';

export type { CachingPlan, ChatEnvironment, ChatLogger, ChatSettings, NextRoute, SendOptions } from './sessionTypes';

export class ChatSession {
  private messages: StoredMessage[] = [];
  private conversationId: string;
  /** The chips and images of the next message. */
  readonly composer: Composer;
  private current: { controller: AbortController; done: Promise<void> } | undefined;
  /** The provider that served the last turn, kept while turns succeed (sticky routing, for the prompt cache). */
  private readonly sticky = new StickyProvider();
  /** Ends the visible wait of the running answer early (Send now). */
  private wait: (() => void) | undefined;
  /** Cost look-ups still running after their answer ended. */
  private readonly background = new Set<Promise<void>>();

  constructor(
    private readonly env: ChatEnvironment,
    private readonly history: HistoryStore,
  ) {
    const saved = history.load();
    this.conversationId = saved?.id ?? env.newId();
    this.messages = saved ? [...saved.messages] : [];
    this.composer = new Composer({
      ...env,
      post: (m) => env.post(m),
      settings: () => env.settings(),
      modelInfo: (id) => env.modelInfo(id),
      newId: () => env.newId(),
      savedRecords: () => this.savedRecords(),
    });
    history.onPrune((gone) => this.releaseImages(gone));
  }

  /** Attaches an image pasted or dropped in the composer (a `data:image/…;base64,` URL); a refusal is said under the composer. */
  addImage(name: string, dataUrl: string): Promise<void> {
    return this.composer.images.addDataUrl(name, dataUrl);
  }

  /** Attaches an image file's bytes (the paperclip's open dialog, `@image`). */
  addImageBytes(name: string, bytes: Uint8Array): Promise<void> {
    return this.composer.images.addBytes(name, bytes);
  }

  /** A message as the webview shows it: its images as chips with where to show them from. */
  private view(message: StoredMessage): ReturnType<typeof toView> {
    const view = toView(message);
    if (!message.images?.length) return view;
    return {
      ...view,
      attachments: [...(view.attachments ?? []), ...message.images.map((ref) => this.composer.images.view(ref))],
    };
  }

  get busy(): boolean {
    return this.current !== undefined;
  }

  /** Everything the webview needs to render from scratch. */
  initMessage(hasKey: boolean): HostToWebview {
    const webSearchDefault = this.env.settings().webSearchDefault === true;
    return {
      type: 'init',
      messages: this.messages.map((m) => this.view(m)),
      model: this.modelBadge(),
      hasKey,
      attachments: this.composer.views(),
      busy: this.busy,
      webSearchDefault,
    };
  }

  modelBadge(): ModelBadge {
    return modelBadge(this.env);
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
    this.composer.offerEditorContext(attachment);
  }

  /** Adds context picked with an `@` mention (replacing the same source picked earlier). */
  addAttachments(list: readonly Attachment[]): void {
    this.composer.add(list);
  }

  removeAttachment(id: string): void {
    this.composer.remove(id);
  }

  /** Re-posts chips (token counts depend on the model's context window). */
  refreshAttachments(): void {
    this.composer.refresh();
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
    const { fitted, images, usedPicked } = this.composer.take(text, options.attachments, options.attachmentIds);
    const user = userTurn(text, fitted, images, options, this.env.newId(), this.env.now());
    this.messages.push(user);
    this.env.post({ type: 'messageAdded', message: this.view(user) });
    for (const line of user.notices ?? []) this.env.log.warn(`context: ${line}`);
    if (usedPicked) this.composer.refresh();
    await this.answer(user);
  }

  /** The range the code of an answer replaces (the command's target), if it was asked with one. */
  applyTargetFor(assistantId: string): ApplyTarget | undefined {
    return replyOf(this.messages, assistantId)?.question?.target;
  }

  /** An answer's Markdown and the user's message it replies to (to name a code block's new file), if it is in this chat. */
  answerWithQuestion(assistantId: string): { readonly answer: string; readonly question?: string } | undefined {
    const reply = replyOf(this.messages, assistantId);
    return reply && { answer: reply.answer.text, ...(reply.question ? { question: reply.question.text } : {}) };
  }

  /** What the code of an answer is for instead of Apply (a test file to create, a commit message), if anything. */
  codeUseFor(assistantId: string): CodeUse | undefined {
    return replyOf(this.messages, assistantId)?.question?.use;
  }

  /** Runs the request again for the user turn before the given (failed or stopped) answer. */
  async retry(assistantId: string, options: AnswerOptions = {}): Promise<void> {
    if (this.current) return;
    const index = this.messages.findIndex((m) => m.id === assistantId && m.role === 'assistant');
    const user = index > 0 ? this.messages[index - 1] : undefined;
    if (!user || user.role !== 'user' || index !== this.messages.length - 1) return;
    this.messages.splice(index, 1);
    // The conversation still has messages, so the welcome (which depends on hasKey) is not shown.
    this.env.post(this.initMessage(true));
    await this.answer(user, options);
  }

  /**
   * "Send with a Smaller Context" on a budget block: the refused message again without its
   * attached context and the chat's earlier messages (this request only), saying what was left
   * out; the budget is checked as always. Nothing to leave out: nothing is sent.
   */
  async retryWithSmallerContext(): Promise<void> {
    const last = this.messages.at(-1);
    const index = this.messages.length - 2;
    const user = this.messages[index];
    if (!isBudgetBlock(last) || user?.role !== 'user') return;
    const smaller = withSmallerContext(user, index);
    if (!smaller.dropped) {
      const text = 'Nothing to leave out: this message has no attached context and no earlier messages.';
      this.env.post({ type: 'composerNotice', text, level: 'info' });
      return;
    }
    this.messages[index] = smaller.message;
    this.env.post({ type: 'messageUpdated', message: this.view(smaller.message) });
    await this.retry(last.id, { withoutHistory: true });
  }

  /**
   * "Send Once Anyway" on a budget block: sends the refused message again with the budgets only
   * warning, for this one request; the setting and every later message are unchanged.
   */
  async retryOverBudgetOnce(): Promise<void> {
    const last = this.messages.at(-1);
    if (isBudgetBlock(last)) {
      this.env.log.warn('budget: sending one message over the budget, as the user chose (the setting is unchanged)');
      await this.retry(last.id, { overBudgetOnce: true });
    }
  }

  /** After "Pick a Vision Model" on an answer refused for its image: sends that message again (no Retry needed). */
  async retryAfterVisionPick(): Promise<void> {
    const last = this.messages.at(-1);
    if (
      last?.role === 'assistant' &&
      last.status === 'error' &&
      last.error?.action?.command === 'switchyard.pickVisionModel'
    )
      await this.retry(last.id);
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
    this.composer.forgetDismissed();
    this.sticky.reset();
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

  /** A past chat as stored (for export), or undefined when it no longer exists. */
  pastChat(id: string): { readonly messages: readonly StoredMessage[] } | undefined {
    return this.history.open(id);
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
    this.composer.forgetDismissed();
    this.sticky.reset();
    await this.persist();
    // It has messages, so the welcome (which depends on hasKey) is not shown.
    this.env.post(this.initMessage(true));
    return true;
  }

  /**
   * Deletes a past chat for good, with its image files unless another chat or task refers to them;
   * deleting the one on screen starts a new chat. `inUse`: conversations shown elsewhere (the agent's).
   */
  async deleteChat(id: string, inUse: readonly unknown[] = []): Promise<void> {
    if (id === this.conversationId) await this.newChat();
    await this.releaseImages(await this.history.delete(id), inUse);
  }

  /**
   * Deletes the image files of `gone` (records Past Chats no longer has) that nothing refers to:
   * no stored chat or task, not the chat on screen, not the composer, nothing in `inUse`.
   */
  releaseImages(gone: readonly unknown[], inUse: readonly unknown[] = []): Promise<void> {
    return this.composer.images.forget(gone, [...this.savedRecords(), ...inUse]);
  }

  /** Every stored chat and task, and the chat on screen. */
  private savedRecords(): unknown[] {
    return [...this.history.records(), this.messages];
  }

  /** Ends the wait shown with the answer (Send now): the next attempt goes at once. */
  sendNow(): void {
    this.wait?.();
  }

  private answer(user: StoredMessage, options: AnswerOptions = {}): Promise<void> {
    const controller = new AbortController();
    let finished!: () => void;
    const done = new Promise<void>((resolve) => (finished = resolve));
    this.current = { controller, done };
    return this.runAnswer(user, controller, options).finally(finished);
  }

  private async runAnswer(user: StoredMessage, controller: AbortController, options: AnswerOptions): Promise<void> {
    const run = new AnswerRun(this.env, this.answerHost(), user, options);
    let spend: TurnSpend | undefined;
    try {
      spend = await run.run(controller.signal);
    } finally {
      this.current = undefined;
      this.wait = undefined;
      this.env.post({ type: 'messageUpdated', message: this.view(run.live.message) });
      this.env.post({ type: 'busy', busy: false });
      await this.persist();
      if (spend) this.inBackground(run.addLaterCost(spend));
    }
  }

  /** What an answer may do with this chat. */
  private answerHost(): AnswerHost {
    return {
      history: (user) => this.messages.slice(0, this.messages.indexOf(user)),
      imageUrls: (messages) => this.composer.images.dataUrls(messages),
      sessionId: this.conversationId,
      sticky: this.sticky,
      add: (message) => this.messages.push(message),
      replace: (next) => {
        const index = this.messages.findIndex((m) => m.id === next.id);
        if (index >= 0) this.messages[index] = next;
      },
      find: (id) => this.messages.find((m) => m.id === id),
      view: (message) => this.view(message),
      persist: () => this.persist(),
      setWait: (skip) => (this.wait = skip),
    };
  }

  private inBackground(task: Promise<void>): void {
    const tracked = task.catch((error: unknown) => this.env.log.warn(`cost look-up failed: ${String(error)}`));
    this.background.add(tracked);
    void tracked.finally(() => this.background.delete(tracked));
  }

  /** Resolves when background work (cost look-ups) has finished. */
  async idle(): Promise<void> {
    while (this.background.size) await Promise.all([...this.background]);
  }

  /** The route the next message would take (for "Explain Route"), with the chips attached now (src/chat/chatRequest.ts). */
  planNext(options: { readonly webSearch?: boolean } = {}): Promise<NextRoute> {
    return planNextRoute(
      this.env,
      { messages: this.messages, composer: this.composer, sticky: this.sticky, sessionId: this.conversationId },
      options,
    );
  }

  private async persist(): Promise<void> {
    try {
      await this.history.save({ id: this.conversationId, messages: this.messages });
    } catch (error) {
      this.env.log.error(`could not save chat history: ${String(error)}`);
    }
  }
}

/** The last answer is a budget block (its card offers the budget's ways forward). */
function isBudgetBlock(message: StoredMessage | undefined): message is StoredMessage {
  return (
    message?.role === 'assistant' &&
    message.status === 'error' &&
    (message.error?.moreActions ?? []).some((a) => a.command === 'switchyard.sendOverBudgetOnce')
  );
}
