/**
 * Bounded capture of a command's output: the first `headChars` and the last `tailChars` are
 * kept, with the count of what fell between, so a command that prints megabytes costs a fixed
 * amount of memory and the model still sees how it started and how it ended. Pure.
 */
export class OutputBuffer {
  private head = '';
  private tail = '';
  private dropped = 0;

  constructor(
    private readonly headChars = 6000,
    private readonly tailChars = 10_000,
  ) {}

  push(text: string): void {
    if (this.head.length < this.headChars) {
      const room = this.headChars - this.head.length;
      this.head += text.slice(0, room);
      text = text.slice(room);
    }
    if (!text) return;
    const joined = this.tail + text;
    if (joined.length > this.tailChars) this.dropped += joined.length - this.tailChars;
    this.tail = joined.slice(-this.tailChars);
  }

  /** Everything kept; the cut stated in the middle. */
  text(): string {
    return this.dropped > 0
      ? `${this.head}\n[… ${this.dropped} characters of output cut …]\n${this.tail}`
      : this.head + this.tail;
  }
}
