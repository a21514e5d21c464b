/**
 * The answer being written while its attempts stream: the stored message and its updates, what
 * the current attempt has shown (a continuation spliced so nothing repeats), the wait the user
 * sees and the thinking shown. No VS Code, no network: the session gives it a sink. The turn layer
 * (src/turn/send.ts) assembles `reasoning_details` and counts the cost.
 */
import { ContinuationSplicer } from './continuation';
import type { StoredMessage } from './conversation';

/** Where the answer's changes go. */
export interface AnswerSink {
  /** Replaces the stored message (same id). */
  replace(message: StoredMessage): void;
  /** A streamed piece for the webview. */
  delta(id: string, text: string): void;
  /** A streamed piece of thinking for the webview. */
  reasoningDelta(id: string, text: string): void;
  /** The whole message changed (notices, a wait, the final state). */
  updated(message: StoredMessage): void;
  /** Writes history now and then while streaming. */
  persistSoon(): void;
}

export class LiveAnswer {
  /** What the current attempt has shown so far (after splicing). */
  attemptText = '';
  private splicer: ContinuationSplicer | undefined;
  /** When the current attempt's thinking started, and how long it lasted once the answer began (ms). */
  private thinkingSince: number | undefined;

  /** @param now the clock for the thinking's duration (epoch ms) */
  constructor(
    public message: StoredMessage,
    private readonly sink: AnswerSink,
    private readonly now: () => number = Date.now,
  ) {}

  get id(): string {
    return this.message.id;
  }

  /** Replaces the message with `next` (same id) and stores it. */
  set(next: StoredMessage): void {
    this.message = next;
    this.sink.replace(next);
  }

  /** Changes some fields and tells the webview. */
  change(fields: Partial<StoredMessage>): void {
    this.set({ ...this.message, ...fields });
    this.sink.updated(this.message);
  }

  /** A new attempt starts; `partial` is the answer so far when it continues one. */
  beginAttempt(partial: string): void {
    this.attemptText = '';
    this.splicer = partial ? new ContinuationSplicer(partial) : undefined;
    this.thinkingSince = undefined;
    // A fresh start thinks again: the thinking shown is the attempt's own.
    if (!partial && this.message.reasoning) {
      const { reasoning: _old, reasoningDetails: _details, ...rest } = this.message;
      this.set(rest);
      this.sink.updated(this.message);
    }
  }

  /** A piece of thinking text (`delta.reasoning`, or the text/summary details): shown, never part of the answer. */
  reasoning(piece: string): void {
    if (!piece) return;
    this.thinkingSince ??= this.now();
    const text = (this.message.reasoning?.text ?? '') + piece;
    this.set({ ...this.message, reasoning: { text } });
    this.sink.reasoningDelta(this.id, piece);
    this.sink.persistSoon();
  }

  /** A streamed piece: shown unless a continuation is only repeating what the user has. */
  delta(piece: string): void {
    this.show(this.splicer ? this.splicer.push(piece) : piece);
  }

  /** The attempt finished: shows what a continuation held back and was new; returns the attempt's text. */
  endAttempt(): string {
    this.show(this.splicer?.end() ?? '');
    return this.attemptText;
  }

  /** A routing notice ("… → retrying"). */
  notice(text: string): void {
    this.change({ notices: [...(this.message.notices ?? []), text] });
  }

  /** Shows a wait (until `untilMs`, for `model`) with Send now / Stop; `undefined` clears it. */
  waiting(wait: { readonly untilMs: number; readonly model: string; readonly reason: string } | undefined): void {
    const { waiting: _old, ...rest } = this.message;
    this.set(wait ? { ...rest, waiting: wait } : rest);
    this.sink.updated(this.message);
  }

  private show(text: string): void {
    if (!text) return;
    this.attemptText += text;
    this.set({ ...this.message, text: this.message.text + text, ...this.thinkingDone() });
    this.sink.delta(this.id, text);
    this.sink.persistSoon();
  }

  /** The answer began (or ended): the thinking's duration is fixed, once. */
  thinkingDone(): Pick<StoredMessage, 'reasoning'> {
    const reasoning = this.message.reasoning;
    if (!reasoning || reasoning.durationMs !== undefined || this.thinkingSince === undefined) return {};
    return { reasoning: { ...reasoning, durationMs: Math.max(0, this.now() - this.thinkingSince) } };
  }
}
