/**
 * An answer's "Thinking" section (`details.thinking`): the model's reasoning, rendered through the
 * same sanitizing markdown path as the answer. Open while the thinking streams; collapsed to one
 * line (`.thinking-summary`: duration and tokens) once the answer's text starts (or, in an agent
 * step, its first tool call); a turn with neither leaves it open. After that, the user's own opening or closing is kept.
 */
import type { ChatMessageView } from '../../protocol/messages';
import { el } from '../dom';
import { thinkingSummary } from '../format';
import { MarkdownView } from './markdownView';

export class ThinkingView {
  private readonly summary = el('summary', { className: 'thinking-summary' });
  private readonly markdown = new MarkdownView();
  readonly element = el('details', { className: 'thinking' }, [
    this.summary,
    el('div', { className: 'thinking-body' }, [this.markdown.element]),
  ]);
  /** Collapsed once by itself when the answer began; from then on it is the user's. */
  private collapsed = false;
  private text = '';

  constructor() {
    this.element.open = true;
  }

  /** Streamed thinking text so far (rendered incrementally). */
  stream(text: string): void {
    this.text = text;
    this.markdown.renderStreaming(text);
  }

  /** Brings the section up to the message: text, summary line, open or collapsed. */
  update(message: ChatMessageView, answerText: string): void {
    const reasoning = message.reasoning;
    if (!reasoning) return;
    const streaming = message.status === 'streaming';
    if (reasoning.text !== this.text || !streaming) {
      this.text = reasoning.text;
      if (streaming) this.markdown.renderStreaming(reasoning.text);
      else this.markdown.renderFull(reasoning.text);
    }
    // An agent step's tool calls end its thinking like an answer's text does.
    const acting = answerText.length > 0 || (message.tools?.length ?? 0) > 0;
    const answering = acting || reasoning.durationMs !== undefined;
    this.summary.textContent = thinkingSummary(
      streaming && !answering,
      reasoning.durationMs,
      message.meta?.reasoningTokens,
    );
    this.element.dataset.state = streaming && !answering ? 'thinking' : 'done';
    // A turn that only thought stays open: its thinking is all there is to read.
    this.collapseOnce(acting);
  }

  /** The answer's text began: collapse (once). */
  answerStarted(): void {
    this.summary.textContent = thinkingSummary(false, undefined, undefined);
    this.element.dataset.state = 'done';
    this.collapseOnce(true);
  }

  private collapseOnce(answering: boolean): void {
    if (!answering || this.collapsed) return;
    this.collapsed = true;
    this.element.open = false;
  }
}
