/**
 * The timers of one request: the idle timeout (first byte and between chunks, stretched at most
 * {@link KEEP_ALIVE_STRETCH}× by keep-alives), the grace after a finish, and the user's Stop —
 * one AbortController that remembers which of them fired.
 */
/**
 * How long keep-alives alone (`: OPENROUTER PROCESSING`, headers, partial bytes) may stretch the
 * wait for the next parsed chunk, as a multiple of the idle timeout. Without a bound, a server
 * that only ever sends keep-alives would leave the answer "generating" forever (fault matrix).
 */
export const KEEP_ALIVE_STRETCH = 5;

/**
 * How long to wait for the usage chunk after a `finish_reason` (ms) before the answer counts as
 * done anyway: a stream that finished but is held open (no `[DONE]`, no close) must not stay
 * "Generating" (issue 11 §1). The usage chunk, when it comes, ends the stream at once.
 */
export const FINISH_GRACE_MS = 2000;

/**
 * One AbortController for a request that fires on the user's signal, or when nothing arrived for
 * `idleMs` (first byte and between chunks), and remembers which of the two it was. Bytes that are
 * not a parsed chunk (keep-alives) keep it waiting, but never longer than {@link KEEP_ALIVE_STRETCH}
 * × `idleMs` since the last chunk (or the start).
 */
export class StreamGuard {
  private readonly controller = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastChunkAt = Date.now();
  private readonly onUserAbort = (): void => {
    this.userAborted = true;
    this.controller.abort();
  };
  userAborted = false;
  timedOut = false;
  /** The text of an error response (HTTP status ≥ 400), read whole. */
  errorBody: string | undefined;
  private graceTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly idleMs: number,
    private readonly userSignal?: AbortSignal,
  ) {
    if (userSignal?.aborted) this.onUserAbort();
    userSignal?.addEventListener('abort', this.onUserAbort, { once: true });
    this.touch();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Something arrived: a parsed chunk, or (`keepAliveOnly`) just bytes. */
  touch(keepAliveOnly = false): void {
    const now = Date.now();
    if (!keepAliveOnly) this.lastChunkAt = now;
    const deadline = Math.min(now + this.idleMs, this.lastChunkAt + this.idleMs * KEEP_ALIVE_STRETCH);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(
      () => {
        this.timedOut = true;
        this.controller.abort();
      },
      Math.max(0, deadline - now),
    );
  }

  /** The answer has finished: end the request `graceMs` from now unless it ends sooner. */
  finishing(graceMs: number): void {
    if (this.graceTimer) return;
    // The answer is complete: ending the request then is not a timeout (src/openrouter/client.ts).
    this.graceTimer = setTimeout(() => this.controller.abort(), graceMs);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.graceTimer) clearTimeout(this.graceTimer);
    this.userSignal?.removeEventListener('abort', this.onUserAbort);
  }
}
