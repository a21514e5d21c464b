/**
 * Orders what replaces the conversation on screen (New Chat, a mode switch) before what adds to
 * it (a message sent, a retry). Both arrive from the webview in the order the user acted, but
 * their handlers interleave at every `await`: New Chat saves the old task or clears the stored
 * chat before it posts `cleared`, so a message sent meanwhile went to the old conversation and
 * was then wiped from the view. Through the gate, the message waits for the switch and goes to
 * the conversation the user sees. Pure: no `vscode`.
 */
export class SwitchGate {
  private tail: Promise<void> = Promise.resolve();
  private inFlight = 0;

  /** Runs `change` once the changes started before it have finished; {@link after} waits for it. */
  change<T>(change: () => T | Promise<T>): Promise<T> {
    const run = this.inFlight === 0 ? call(change) : this.tail.then(change);
    this.inFlight++;
    this.tail = run.then(
      () => void this.inFlight--,
      () => void this.inFlight--,
    );
    return run;
  }

  /**
   * Runs `action` once every change started before it has finished — at once (in the same tick)
   * when none is under way. It holds back nothing itself.
   */
  after<T>(action: () => T | Promise<T>): Promise<T> {
    return this.inFlight === 0 ? call(action) : this.tail.then(action);
  }
}

/** `action()` as a promise, a synchronous throw included. */
function call<T>(action: () => T | Promise<T>): Promise<T> {
  try {
    return Promise.resolve(action());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
