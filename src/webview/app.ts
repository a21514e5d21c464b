/** The chat UI: builds the page once and applies each host message to it. */
import type { AccountView, AgentTaskView, ChatMode, HostToWebview } from '../protocol/messages';
import { el } from './dom';
import type { HostChannel } from './vscodeApi';
import { handleAnswerLinks } from './view/answerLinks';
import { Composer } from './view/composer';
import { Header } from './view/header';
import { TodoList } from './view/todoList';
import { MessageList } from './view/messageList';
import { PastTaskBanner } from './view/pastTask';
import { ScrollFollower } from './view/scroll';
import { Welcome } from './view/welcome';

export class ChatApp {
  private readonly header: Header;
  private readonly list: MessageList;
  private readonly welcome: Welcome;
  private readonly composer: Composer;
  private readonly scroll: ScrollFollower;
  private readonly pastTask: PastTaskBanner;
  private readonly todos = new TodoList();
  private hasKey = true;
  private account: AccountView | undefined;
  private initialized = false;
  private mode: ChatMode = 'ask';
  private task: AgentTaskView | undefined;

  constructor(
    root: HTMLElement,
    private readonly host: HostChannel,
  ) {
    const post = host.post;
    this.header = new Header(post);
    this.welcome = new Welcome(post);
    this.pastTask = new PastTaskBanner(post);
    this.list = new MessageList(post, () => this.afterListChange());
    this.scroll = new ScrollFollower(this.list.element, (position) => host.writeState(position));
    handleAnswerLinks(this.list.element, post);
    this.composer = new Composer({
      post,
      onDraft: (draft) => host.writeState({ draft }),
      onSend: () => this.scroll.scrollToBottom(),
    });
    const main = el('main', { className: 'conversation' }, [
      this.welcome.element,
      this.list.element,
      this.scroll.jumpButton,
    ]);
    root.replaceChildren(
      this.header.element,
      this.header.rateLimits,
      this.todos.element,
      main,
      this.welcome.notice,
      this.pastTask.element,
      this.composer.element,
    );
    this.composer.setDraft(host.readState().draft);
    this.updateWelcome();

    // When the view itself gets focus (Focus Chat, a click on its background), type into the box.
    // Never focus on load: that would take the keyboard away from the editor.
    window.addEventListener('focus', () => {
      if (document.activeElement === document.body || document.activeElement === null) this.composer.focus();
    });
    document.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && this.composer.isBusy) {
        event.preventDefault();
        post({ type: 'stop' });
      }
    });
  }

  /** True while the conversation shows no message. */
  get isEmpty(): boolean {
    return this.list.isEmpty;
  }

  handle(message: HostToWebview): void {
    if (this.handleComposerMessage(message)) return;
    switch (message.type) {
      case 'init':
        this.applyInit(message);
        return;
      case 'model':
        this.header.setModel(message.model);
        return;
      case 'account':
        this.applyAccount(message);
        return;
      case 'messageAdded':
        if (message.message.role === 'user') this.scroll.scrollToBottom();
        this.list.add(message.message);
        return;
      case 'delta':
        this.list.delta(message.id, message.text);
        return;
      case 'reasoningDelta':
        this.list.reasoningDelta(message.id, message.text);
        return;
      case 'messageUpdated':
        this.list.update(message.message);
        return;
      case 'earlierMessages':
        this.list.addEarlier(message);
        return;
      case 'busy':
        this.composer.setBusy(message.busy);
        this.list.element.setAttribute('aria-busy', String(message.busy));
        return;
      case 'mode':
        this.applyMode(message.mode);
        return;
      case 'agentTask':
        this.task = message.task;
        this.showTask();
        return;
      case 'cleared':
        this.list.clear();
        this.scroll.scrollToBottom();
        return;
    }
  }

  /** The composer's messages (attachments, drafts, menus, notices, the web search default); false for others. */
  private handleComposerMessage(message: HostToWebview): boolean {
    switch (message.type) {
      case 'attachments':
        this.composer.setAttachments(message.attachments);
        return true;
      case 'restoreDraft':
        this.composer.restoreDraft(message.text);
        return true;
      case 'mentionResults':
        this.composer.setMentionResults(message.id, message.items);
        return true;
      case 'slashResults':
        this.composer.setSlashResults(message.id, message.items);
        return true;
      case 'insertText':
        this.composer.insertText(message.text);
        return true;
      case 'instructions':
        this.composer.instructions.set(message.files);
        return true;
      case 'composerNotice':
        this.composer.showNotice(message.text, message.level);
        return true;
      case 'webSearchDefault':
        this.composer.webSearch.setDefault(message.on);
        return true;
      default:
        return false;
    }
  }

  private applyAccount(message: Extract<HostToWebview, { type: 'account' }>): void {
    this.hasKey = message.hasKey;
    if (message.account) this.account = message.account;
    this.header.setAccount(this.account, this.hasKey);
    this.updateWelcome();
  }

  private applyMode(mode: Extract<HostToWebview, { type: 'mode' }>['mode']): void {
    this.mode = mode;
    this.composer.setMode(mode);
    this.showTask();
    this.updateWelcome();
  }

  /** Renders the host's whole state (key, model, attachments, busy, history, mode, task); the first time, restores the scroll. */
  private applyInit(message: Extract<HostToWebview, { type: 'init' }>): void {
    this.hasKey = message.hasKey;
    this.header.setModel(message.model);
    this.header.setAccount(this.account, this.hasKey);
    this.composer.setAttachments(message.attachments);
    this.composer.setBusy(message.busy);
    this.list.element.setAttribute('aria-busy', String(message.busy));
    this.list.setMessages(message.messages, message.earlier ?? 0);
    this.mode = message.mode ?? 'ask';
    this.task = message.task;
    this.composer.setMode(this.mode);
    if (message.webSearchDefault !== undefined) this.composer.webSearch.setDefault(message.webSearchDefault);
    this.showTask();
    this.updateWelcome();
    if (!this.initialized) {
      // First init after (re)load: back to where the user was reading.
      this.initialized = true;
      const position = this.host.readState();
      // A position up in the history was measured with every message there and rendered.
      if (position.atBottom) this.scroll.restore(position);
      else
        this.list.whenAllLoaded(() => {
          this.list.hydrateAll();
          this.scroll.restore(position);
        });
    }
    // A signal for tests: the host's state (history included) has been rendered.
    this.list.element.dataset.initialized = 'true';
  }

  /** The task's figures in the header, its to-do list above it and a past task's banner (Plan and Agent). */
  private showTask(): void {
    this.header.setTask(this.task, this.mode !== 'ask');
    this.todos.update(this.task, this.mode !== 'ask');
    this.pastTask.set(this.mode !== 'ask' && this.task?.past === true);
    this.list.setReadOnly(this.task?.past === true);
  }

  private afterListChange(): void {
    this.updateWelcome();
    this.scroll.follow();
  }

  private updateWelcome(): void {
    const empty = this.list.isEmpty;
    this.list.element.hidden = empty;
    this.welcome.update({ hasKey: this.hasKey, empty, signingIn: this.account?.signingIn === true, mode: this.mode });
  }
}
