/**
 * Change signals for the model list VS Code's chat is offered (src/languageModel/models.ts):
 * a tiny listener set (no `vscode` here; the adapter's emitters fit the same shape) and the
 * wiring that turns a change of any source — a favourite toggled in the model picker, a route
 * added or removed at run time — into one refresh of the provider's model information.
 */

/** What `vscode.Event<void>` and `Listeners.event` both are: subscribe, get something to dispose. */
export type Subscribe = (listener: () => void) => { dispose(): void };

/** A set of listeners fired together; a listener that throws does not stop the others. */
export class Listeners {
  private readonly listeners = new Set<() => void>();

  /** Subscribes `listener`; disposing the result unsubscribes it. */
  readonly event: Subscribe = (listener) => {
    const own = (): void => listener();
    this.listeners.add(own);
    return { dispose: () => void this.listeners.delete(own) };
  };

  fire(): void {
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch {
        // One failing listener must not keep the model list of the others stale.
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
  }
}

/** Calls `refresh` whenever any of `sources` changes; disposing the result stops following them all. */
export function followModelListChanges(sources: readonly Subscribe[], refresh: () => void): { dispose(): void } {
  const subscriptions = sources.map((source) => source(() => refresh()));
  return { dispose: () => subscriptions.forEach((s) => s.dispose()) };
}
