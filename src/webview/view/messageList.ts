/**
 * The conversation (`#messages`, a polite live log). Streamed deltas are batched: however many
 * arrive, the markdown is rendered at most once per animation frame.
 */
import type { ChatMessageView, WebviewToHost } from '../../protocol/messages';
import { el } from '../dom';
import { handleCodeBlockClick } from './codeBlocks';
import { MessageView } from './messageView';

export class MessageList {
  readonly element = el('div', {
    id: 'messages',
    className: 'messages',
    attrs: { role: 'log', 'aria-live': 'polite', 'aria-label': 'Conversation', tabindex: '0' },
  });
  private readonly views = new Map<string, MessageView>();
  private readonly dirty = new Set<MessageView>();
  private frame: number | undefined;

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
  }

  get isEmpty(): boolean {
    return this.views.size === 0;
  }

  /** Replaces the whole conversation (the host's `init`). */
  setMessages(messages: readonly ChatMessageView[]): void {
    this.cancelFrame();
    this.views.clear();
    this.dirty.clear();
    const nodes = messages.map((message) => this.createView(message).element);
    this.element.replaceChildren(...nodes);
    this.onChange();
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

  private createView(message: ChatMessageView): MessageView {
    const view = new MessageView(message, this.post);
    this.views.set(message.id, view);
    return view;
  }

  private cancelFrame(): void {
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    this.frame = undefined;
  }
}
