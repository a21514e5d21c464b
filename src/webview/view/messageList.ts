/**
 * The conversation (`#messages`, a polite live log). Streamed deltas are batched: however many
 * arrive, the markdown is rendered at most once per animation frame. A restored history renders
 * its last screen first; older messages show their plain text (findable) until their markdown
 * renders, nearest the end first, when the page is idle or scrolled.
 */
import type { ChatMessageView, WebviewToHost } from '../../protocol/messages';
import { el } from '../dom';
import { handleCodeBlockClick } from './codeBlocks';
import { MessageView } from './messageView';

/** Messages rendered at once when a history is restored: more than one screen of the side bar holds. */
const FIRST_SCREEN_MESSAGES = 12;
/** Deferred messages rendered per idle callback even when the idle period is over (about 1 ms each). */
const MIN_PER_IDLE = 8;

export class MessageList {
  readonly element = el('div', {
    id: 'messages',
    className: 'messages',
    attrs: { role: 'log', 'aria-live': 'polite', 'aria-label': 'Conversation', tabindex: '0' },
  });
  private readonly views = new Map<string, MessageView>();
  private readonly dirty = new Set<MessageView>();
  private frame: number | undefined;
  /** Deferred views of a restored history, nearest the end first. */
  private pending: MessageView[] = [];
  private idle: number | undefined;

  /**
   * @param post sends a message to the host
   * @param onChange called after the DOM changed (to follow the bottom, toggle the welcome)
   */
  constructor(
    private readonly post: (message: WebviewToHost) => void,
    private readonly onChange: () => void,
  ) {
    this.element.addEventListener('click', (event) => {
      if (event.target instanceof Element) handleCodeBlockClick(event.target, this.post);
    });
    this.element.addEventListener('scroll', () => this.onScroll(), { passive: true });
  }

  get isEmpty(): boolean {
    return this.views.size === 0;
  }

  /** Replaces the whole conversation (the host's `init`). */
  setMessages(messages: readonly ChatMessageView[]): void {
    this.cancelFrame();
    this.views.clear();
    this.dirty.clear();
    const firstScreen = messages.length - FIRST_SCREEN_MESSAGES;
    const views = messages.map((message, i) =>
      this.createView(message, i < firstScreen && message.role === 'assistant' && message.status !== 'streaming'),
    );
    this.element.replaceChildren(...views.map((v) => v.element));
    this.pending = views.filter((v) => v.pending).reverse();
    this.scheduleHydration();
    this.onChange();
  }

  /** Renders every deferred message now (before restoring a scroll position measured on them). */
  hydrateAll(): void {
    this.hydrate([...this.pending]);
  }

  /** Scrolled near deferred messages (within a screen of the view): render those now. */
  private onScroll(): void {
    if (this.pending.length === 0) return;
    const box = this.element.getBoundingClientRect();
    const near = this.pending.filter((view) => {
      const r = view.element.getBoundingClientRect();
      return r.bottom > box.top - box.height && r.top < box.bottom + box.height;
    });
    if (near.length > 0) this.hydrate(near);
  }

  /**
   * Renders deferred messages, nearest the end first, while the idle period lasts — and at least
   * a few, so a page that is never idle (a busy machine) still gets there.
   */
  private hydrateIdle(deadline: IdleDeadline): void {
    this.keepingView(() => {
      let count = 0;
      while (this.pending.length > 0 && (count < MIN_PER_IDLE || deadline.timeRemaining() > 2)) {
        this.pending.shift()?.hydrate();
        count++;
      }
    });
  }

  /** Renders `views` (deferred ones) now. */
  private hydrate(views: readonly MessageView[]): void {
    const done = new Set(views);
    this.keepingView(() => {
      for (const view of views) view.hydrate();
      this.pending = this.pending.filter((view) => !done.has(view));
    });
  }

  /** Runs `render`, then scrolls so that the bottom of the view shows what it showed (rendered messages are above it). */
  private keepingView(render: () => void): void {
    const fromBottom = this.element.scrollHeight - this.element.scrollTop;
    render();
    this.element.scrollTop = this.element.scrollHeight - fromBottom;
    this.scheduleHydration();
  }

  private scheduleHydration(): void {
    if (this.idle !== undefined) cancelIdleCallback(this.idle);
    this.idle = undefined;
    if (this.pending.length === 0) {
      this.element.dataset.allRendered = 'true';
      return;
    }
    delete this.element.dataset.allRendered;
    this.idle = requestIdleCallback(
      (deadline) => {
        this.idle = undefined;
        this.hydrateIdle(deadline);
      },
      { timeout: 200 },
    );
  }

  add(message: ChatMessageView): void {
    const existing = this.views.get(message.id);
    if (existing) {
      this.update(message);
      return;
    }
    this.element.append(this.createView(message).element);
    this.onChange();
  }

  /** Appends streamed text to a message; rendered on the next animation frame. */
  delta(id: string, text: string): void {
    const view = this.views.get(id);
    if (!view) return;
    view.appendDelta(text);
    this.dirty.add(view);
    this.frame ??= requestAnimationFrame(() => {
      this.frame = undefined;
      this.flush();
    });
  }

  /** Appends streamed thinking to a message; rendered on the next animation frame. */
  reasoningDelta(id: string, text: string): void {
    const view = this.views.get(id);
    if (!view) return;
    view.appendReasoning(text);
    this.dirty.add(view);
    this.frame ??= requestAnimationFrame(() => {
      this.frame = undefined;
      this.flush();
    });
  }

  update(message: ChatMessageView): void {
    const view = this.views.get(message.id);
    if (!view) {
      this.add(message);
      return;
    }
    this.dirty.delete(view);
    view.update(message);
    this.onChange();
  }

  clear(): void {
    this.setMessages([]);
  }

  /** Renders pending deltas now. */
  flush(): void {
    let changed = false;
    for (const view of this.dirty) changed = view.flush() || changed;
    this.dirty.clear();
    if (changed) this.onChange();
  }

  private createView(message: ChatMessageView, deferred = false): MessageView {
    const view = new MessageView(message, this.post, deferred);
    this.views.set(message.id, view);
    return view;
  }

  private cancelFrame(): void {
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    this.frame = undefined;
  }
}
