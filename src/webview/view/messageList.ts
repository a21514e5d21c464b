/**
 * The conversation (`#messages`, a polite live log). Streamed deltas are batched: however many
 * arrive, the markdown is rendered at most once per animation frame. A restored history renders
 * its last screen first: `init` brings the newest messages, the older ones are asked for
 * (`loadEarlier`) page by page once that screen is painted and are added above it without moving
 * the view; older answers show their plain text (findable) until their markdown renders
 * (./hydration.ts).
 */
import type { ChatMessageView, HostToWebview, WebviewToHost } from '../../protocol/messages';
import { el } from '../dom';
import { handleCodeBlockClick } from './codeBlocks';
import { firstScreenCount } from './firstScreen';
import { Hydration } from './hydration';
import { MessageView } from './messageView';

/** How long the page may stay busy before the next page of older messages is asked for anyway (ms). */
const LOAD_EARLIER_TIMEOUT_MS = 100;

type EarlierMessages = Extract<HostToWebview, { type: 'earlierMessages' }>;

export class MessageList {
  readonly element = el('div', {
    id: 'messages',
    className: 'messages',
    attrs: { role: 'log', 'aria-live': 'polite', 'aria-label': 'Conversation', tabindex: '0' },
  });
  private readonly views = new Map<string, MessageView>();
  private readonly dirty = new Set<MessageView>();
  private frame: number | undefined;
  private readonly hydration = new Hydration(this.element, () => this.earlier === 0);
  /** Older messages the host has not sent yet. */
  private earlier = 0;
  /** The `before` of the `loadEarlier` posted and not answered yet. */
  private asked: string | undefined;
  private askIdle: number | undefined;
  /** Updates of messages not received yet (older ones), applied when they come. */
  private readonly held = new Map<string, ChatMessageView>();
  /** Called once every older message has come (a scroll position to restore waits for them). */
  private whenLoaded: (() => void)[] = [];
  /** A past task is on screen: its plans offer no action that runs. */
  private readOnly = false;

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

  /** Replaces the whole conversation (the host's `init`): its newest messages, `earlier` older ones to ask for. */
  setMessages(messages: readonly ChatMessageView[], earlier = 0): void {
    this.cancelFrame();
    this.views.clear();
    this.dirty.clear();
    this.held.clear();
    this.cancelAsk();
    this.earlier = earlier;
    // The newest answers render before the list is laid out (./firstScreen.ts); the rest wait (./hydration.ts).
    const rendered = messages.length - firstScreenCount(messages, window.innerWidth, window.innerHeight);
    const views = messages.map((message, i) => this.createView(message, i < rendered && deferrable(message)));
    this.element.replaceChildren(...views.map((v) => v.element));
    this.hydration.reset([...views].reverse());
    this.onChange();
    if (this.hydration.renderVisible()) this.onChange();
    if (this.earlier === 0) this.loaded();
    else this.askEarlier(this.whenLoaded.length > 0);
  }

  /** Renders every deferred message now (before restoring a scroll position measured on them). */
  hydrateAll(): void {
    this.hydration.all();
  }

  /** Runs `done` once every older message is in the list (at once when they are). */
  whenAllLoaded(done: () => void): void {
    if (this.earlier === 0) return done();
    this.whenLoaded.push(done);
    this.askEarlier(true);
  }

  /** The host's page of older messages: added above the others, the view kept where it is. */
  addEarlier(page: EarlierMessages): void {
    if (page.before !== this.asked || page.before !== this.firstId()) return;
    this.asked = undefined;
    const fresh = page.messages.filter((m) => !this.views.has(m.id));
    const views = fresh.map((m) => {
      const message = this.held.get(m.id) ?? m;
      this.held.delete(m.id);
      return this.createView(message, deferrable(message));
    });
    this.earlier = fresh.length > 0 ? page.earlier : 0;
    this.hydration.keepingView(() => this.element.prepend(...views.map((v) => v.element)));
    this.hydration.addOlder(views);
    // The first screen is painted by now: the next page is asked for at once (it comes as a later task).
    if (this.earlier > 0) this.askEarlier(true);
    else this.loaded();
  }

  /** Asks the host for the page before the first message: when the page is idle, or now (`soon`). */
  private askEarlier(soon = false): void {
    if (this.earlier === 0 || this.asked !== undefined) return;
    const ask = (): void => {
      this.askIdle = undefined;
      const before = this.firstId();
      if (this.asked !== undefined || !before) return;
      this.asked = before;
      this.post({ type: 'loadEarlier', before });
    };
    if (soon) {
      if (this.askIdle !== undefined) cancelIdleCallback(this.askIdle);
      ask();
    } else this.askIdle ??= requestIdleCallback(ask, { timeout: LOAD_EARLIER_TIMEOUT_MS });
  }

  private cancelAsk(): void {
    if (this.askIdle !== undefined) cancelIdleCallback(this.askIdle);
    this.askIdle = undefined;
    this.asked = undefined;
  }

  private loaded(): void {
    this.held.clear();
    this.hydration.schedule();
    const callbacks = this.whenLoaded;
    this.whenLoaded = [];
    for (const callback of callbacks) callback();
  }

  private firstId(): string | undefined {
    return this.element.firstElementChild?.getAttribute('data-id') ?? undefined;
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
    if (!view && this.earlier > 0) {
      // An older message not received yet (a restored checkpoint, a code block used): kept for when it comes.
      this.held.set(message.id, message);
      return;
    }
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

  /** Whether the task on screen is a past one (read-only until Continue); its plans follow. */
  setReadOnly(readOnly: boolean): void {
    if (readOnly === this.readOnly) return;
    this.readOnly = readOnly;
    for (const view of this.views.values()) view.refreshPlan();
  }

  /** Renders pending deltas now. */
  flush(): void {
    let changed = false;
    for (const view of this.dirty) changed = view.flush() || changed;
    this.dirty.clear();
    if (changed) this.onChange();
  }

  private createView(message: ChatMessageView, deferred = false): MessageView {
    const view = new MessageView(message, this.post, deferred, () => this.readOnly);
    this.views.set(message.id, view);
    return view;
  }

  private cancelFrame(): void {
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    this.frame = undefined;
  }
}

/** An answer whose markdown can wait (shown as plain text until rendered). */
function deferrable(message: ChatMessageView): boolean {
  return message.role === 'assistant' && message.status !== 'streaming';
}
