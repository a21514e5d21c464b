/**
 * One message of the conversation. User text is plain text; assistant text is sanitized markdown
 * that re-renders incrementally while it streams, then shows its meta line or its error card.
 */
import type { ChatMessageView, WebviewToHost } from '../../protocol/messages';
import { el } from '../dom';
import { icon } from '../icons';
import { metaSegments } from '../format';
import { messageAttachments } from './chips';
import { labelApplyButtons, useCodeButtons } from './codeBlocks';
import { waitCountdown } from './countdown';
import { errorCard, retryButton } from './errors';
import { MarkdownView } from './markdownView';
import { sourceList } from './sources';
import { ThinkingView } from './thinking';
import { planActions } from './planActions';
import { toolCards } from './toolCards';

type Post = (message: WebviewToHost) => void;

export class MessageView {
  readonly element: HTMLElement;
  private message: ChatMessageView;
  private text: string;
  private markdown: MarkdownView | undefined;
  private dirty = false;
  /** The thinking text so far (streamed pieces included), and its section once there is some. */
  private reasoningText: string;
  private thinking: ThinkingView | undefined;
  private thinkingDirty = false;

  /**
   * @param deferred show the text as plain text for now (findable, cheap) and render the markdown
   *   on {@link hydrate}: a restored history renders its last screen first, the rest when idle.
   * @param readOnly whether the task on screen is a past one (its plan offers no action that runs)
   */
  constructor(
    message: ChatMessageView,
    private readonly post: Post,
    deferred = false,
    private readonly readOnly: () => boolean = () => false,
  ) {
    this.message = message;
    this.text = message.text;
    this.reasoningText = message.reasoning?.text ?? '';
    this.element = el('article', {
      className: `message ${message.role}`,
      attrs: { 'data-id': message.id, 'aria-label': message.role === 'user' ? 'You' : 'Answer' },
    });
    if (deferred) {
      this.element.classList.add('pending');
      this.element.setAttribute('data-status', message.status);
      this.element.append(el('div', { className: 'markdown pending-text', text: message.text }));
    } else {
      this.render();
    }
  }

  /** True until a deferred message has rendered its markdown. */
  get pending(): boolean {
    return this.element.classList.contains('pending');
  }

  /** Renders a deferred message for real (nothing when it already is). */
  hydrate(): void {
    if (!this.pending) return;
    this.element.classList.remove('pending');
    this.render();
  }

  get id(): string {
    return this.message.id;
  }

  get streaming(): boolean {
    return this.message.status === 'streaming';
  }

  /** Appends streamed text; the DOM follows on the next {@link flush}. */
  appendDelta(text: string): void {
    this.text += text;
    this.dirty = true;
  }

  /** Appends streamed thinking; the DOM follows on the next {@link flush}. */
  appendReasoning(text: string): void {
    this.reasoningText += text;
    this.thinkingDirty = true;
  }

  /** Renders pending streamed text. True when something changed. */
  flush(): boolean {
    const thought = this.flushThinking();
    if (!this.dirty || !this.markdown) return thought;
    this.dirty = false;
    if (this.text.length > 0) this.thinking?.answerStarted();
    this.markdown.renderStreaming(this.text);
    useCodeButtons(this.markdown.element, this.message.codeUse);
    this.element.classList.toggle('empty', this.text.length === 0);
    return true;
  }

  /** Renders a plan's actions again after the task became read-only or was continued (a deferred one waits). */
  refreshPlan(): void {
    if (this.message.plan && !this.pending) this.render();
  }

  /** Replaces the message with the host's version (final text, status, meta, error). */
  update(message: ChatMessageView): void {
    this.element.classList.remove('pending');
    this.message = message;
    this.text = message.text;
    this.reasoningText = message.reasoning?.text ?? '';
    this.dirty = false;
    this.thinkingDirty = false;
    this.render();
  }

  /** Streamed thinking: the section appears with the first piece (a render), then grows. */
  private flushThinking(): boolean {
    if (!this.thinkingDirty) return false;
    this.thinkingDirty = false;
    if (!this.thinking) this.render();
    else this.thinking.stream(this.reasoningText);
    return true;
  }

  private render(): void {
    const { message } = this;
    this.element.setAttribute('data-status', message.status);
    this.element.classList.toggle('empty', this.text.length === 0);
    if (message.role === 'user') {
      this.element.replaceChildren(...userMessageParts(message));
      return;
    }
    this.markdown ??= new MarkdownView();
    if (message.status === 'streaming') this.markdown.renderStreaming(this.text);
    else this.markdown.renderFull(this.text);
    if (message.applyTarget) {
      this.element.setAttribute('data-apply-target', message.applyTarget);
      labelApplyButtons(this.markdown.element, message.applyTarget);
    }
    useCodeButtons(this.markdown.element, message.codeUse);
    const children: Node[] = [];
    // Routing switches, as they happened: shown above the answer they shaped.
    if (message.notices?.length) children.push(noticeList('route', 'Routing', message.notices));
    const thinking = this.thinkingSection();
    if (thinking) children.push(thinking);
    children.push(this.markdown.element);
    // A turn with thinking and no answer text is not an error: say so, and do not ask again.
    if (message.status === 'done' && !this.text.trim() && this.reasoningText && !message.tools?.length)
      children.push(
        el('div', {
          className: 'no-answer',
          attrs: { role: 'note' },
          text: 'The model gave no answer text; its thinking is above.',
        }),
      );
    const sources = sourceList(message.sources, this.post);
    if (sources) children.push(sources);
    if (message.tools?.length || message.checkpoint) children.push(toolCards(message, this.post));
    if (message.plan && message.status === 'done') children.push(planActions(message, this.post, this.readOnly()));
    if (message.status === 'streaming' && message.waiting) children.push(waitCountdown(message.waiting, this.post));
    else if (message.status === 'streaming') children.push(generatingIndicator());
    if (message.status === 'error' && message.error) children.push(errorCard(message.error, message.id, this.post));
    if (message.status !== 'streaming') {
      const meta = this.metaLine();
      if (meta) children.push(meta);
      // An agent step's route: the tier's model and why, the router's rule, the prompt cache.
      if (message.meta?.route)
        children.push(
          el('div', { className: 'step-route', attrs: { title: 'Why this model' }, text: message.meta.route }),
        );
    }
    this.element.replaceChildren(...children);
  }

  /** The "Thinking" section, when the answer has thinking (streamed or stored). */
  private thinkingSection(): HTMLElement | undefined {
    if (!this.reasoningText) return undefined;
    this.thinking ??= new ThinkingView();
    const reasoning = { ...this.message.reasoning, text: this.reasoningText };
    this.thinking.update({ ...this.message, reasoning }, this.text);
    return this.thinking.element;
  }

  private metaLine(): HTMLElement | undefined {
    const segments = metaSegments(this.message.meta, this.message.status);
    if (segments.length === 0 && this.message.status !== 'stopped') return undefined;
    const line = el('div', { className: 'meta' });
    // Separators are drawn by CSS, so that none is left dangling where the line wraps.
    for (const segment of segments) {
      const className = segment.kind === 'fallback' ? 'meta-item fallback' : `meta-item meta-${segment.kind}`;
      line.append(
        el('span', { className, text: segment.text, ...(segment.title ? { attrs: { title: segment.title } } : {}) }),
      );
    }
    if (this.message.status === 'stopped') line.append(retryButton(this.message.id, this.post, 'link'));
    return line;
  }
}

function generatingIndicator(): HTMLElement {
  return el('div', { className: 'generating' }, [
    el('span', { className: 'dot', attrs: { 'aria-hidden': 'true' } }),
    el('span', { className: 'dot', attrs: { 'aria-hidden': 'true' } }),
    el('span', { className: 'dot', attrs: { 'aria-hidden': 'true' } }),
    el('span', { className: 'generating-label', text: 'Generating' }),
  ]);
}

/** A user message: its text (an action's long instruction as its short line, the whole prompt behind a disclosure), attachments, web search and context notices. */
function userMessageParts(message: ChatMessageView): Node[] {
  const body: Node[] = message.summary
    ? [
        el('div', { className: 'user-text user-summary', text: message.summary }),
        el('details', { className: 'user-prompt' }, [
          el('summary', { text: 'Full instruction' }),
          el('div', { className: 'user-prompt-text', text: message.text }),
        ]),
      ]
    : [el('div', { className: 'user-text', text: message.text })];
  const children: Node[] = [el('div', { className: 'bubble' }, body)];
  if (message.attachments?.length) children.push(messageAttachments(message.attachments));
  if (message.webSearch)
    children.push(
      el(
        'div',
        { className: 'user-web-search', attrs: { title: 'Sent with "Search the web": OpenRouter\'s web plugin' } },
        [icon('globe'), el('span', { text: 'Searched the web' })],
      ),
    );
  // What did not fit the context window, said where the user looks.
  if (message.notices?.length) children.push(noticeList('context', 'Context', message.notices));
  return children;
}

/** The notices above a message: `context` (what did not fit) on a user message, `route` (routing switches) on an answer. */
function noticeList(kind: 'context' | 'route', label: string, notices: readonly string[]): HTMLElement {
  return el(
    'ul',
    { className: `${kind}-notices`, attrs: { 'aria-label': label } },
    notices.map((text) => el('li', { className: `${kind}-notice`, text })),
  );
}
