/**
 * The answer being written while its attempts stream: the stored message and its updates, what
 * the current attempt has shown (a continuation spliced so nothing repeats), the wait the user
 * sees, and the generations of attempts that broke off or were stopped (their cost is looked up
 * afterwards). No VS Code, no network: the session gives it a sink.
 */
import { ContinuationSplicer } from './continuation';
import type { StoredMessage } from './conversation';

/** Where the answer's changes go. */
export interface AnswerSink {
  /** Replaces the stored message (same id). */
  replace(message: StoredMessage): void;
  /** A streamed piece for the webview. */
  delta(id: string, text: string): void;
  /** The whole message changed (notices, a wait, the final state). */
  updated(message: StoredMessage): void;
  /** Writes history now and then while streaming. */
  persistSoon(): void;
}

export class LiveAnswer {
  /** What the current attempt has shown so far (after splicing). */
  attemptText = '';
  /** Generation ids of attempts that ended without usage (broken off, stopped): looked up afterwards. */
  readonly unbilled: { readonly id: string; readonly keyId: string }[] = [];
  private splicer: ContinuationSplicer | undefined;

  constructor(public message: StoredMessage, private readonly sink: AnswerSink) {}

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
    this.set({ ...this.message, text: this.message.text + text });
    this.sink.delta(this.id, text);
    this.sink.persistSoon();
  }
}
