/**
 * The adaptive debounce: how long to wait after a keystroke before asking for a suggestion.
 * It starts at `switchyard.completions.debounceMs` and follows the user's typing rhythm: the
 * wait is 1.3 × the moving average (α 0.3) of the gaps between keystrokes, never below the
 * setting and never above twice it. A fast typist waits the setting; one who types slowly is not
 * interrupted between two keys. Gaps over 1 s are pauses, not rhythm, and are not averaged.
 */
export const RHYTHM = { alpha: 0.3, factor: 1.3, maxFactor: 2, pauseMs: 1000 } as const;

export class AdaptiveDebounce {
  private lastKeyAt: number | undefined;
  private averageGap: number | undefined;

  constructor(private baseMs: number) {}

  /** Changes the setting's value (the rhythm learnt so far is kept). */
  setBase(ms: number): void {
    this.baseMs = Math.max(0, ms);
  }

  /** Records a keystroke at `now` (ms) and returns the delay to wait before a request. */
  keystroke(now: number): number {
    if (this.lastKeyAt !== undefined) {
      const gap = now - this.lastKeyAt;
      if (gap > 0 && gap < RHYTHM.pauseMs)
        this.averageGap =
          this.averageGap === undefined ? gap : this.averageGap + RHYTHM.alpha * (gap - this.averageGap);
    }
    this.lastKeyAt = now;
    return this.delayMs();
  }

  /** The current delay (ms). */
  delayMs(): number {
    const rhythm = this.averageGap === undefined ? 0 : this.averageGap * RHYTHM.factor;
    return Math.round(Math.min(this.baseMs * RHYTHM.maxFactor, Math.max(this.baseMs, rhythm)));
  }
}
