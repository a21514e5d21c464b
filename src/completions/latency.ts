/**
 * Keystroke → ghost text, measured inside the extension: from VS Code asking the provider to the
 * suggestion handed back, split into waiting (the debounce, the model's answer) and Switchyard's
 * own work (reading the text, the prompt, cleaning, placing). The own part growing with the file's
 * lines points at a slow path in large files; everything slow at once points at a slow machine.
 * Shown in the completions menu and tooltip, and logged.
 */
import type { Waited } from './engine';

export interface LatencySample {
  /** Provider called → suggestion returned (ms). */
  readonly totalMs: number;
  readonly debounceMs: number;
  readonly modelMs: number;
  /** Lines of the document. */
  readonly lines: number;
  readonly source: 'cache' | 'inflight' | 'request';
}

/** The extension's own part of a sample (never negative). */
export function ownMs(sample: LatencySample): number {
  return Math.max(0, sample.totalMs - sample.debounceMs - sample.modelMs);
}

/** A sample from the provider's clock and the engine's waits. */
export function latencySample(
  totalMs: number,
  waited: Waited | undefined,
  lines: number,
  source: LatencySample['source'],
): LatencySample {
  return { totalMs, debounceMs: waited?.debounceMs ?? 0, modelMs: waited?.modelMs ?? 0, lines, source };
}

const ms = (n: number): string => `${Math.round(n)} ms`;

/** "312 ms after the keystroke: debounce 200 ms, model 95 ms, Switchyard 17 ms (5,000 lines)" */
export function describeLatency(sample: LatencySample): string {
  const parts =
    sample.source === 'cache'
      ? ['from the cache']
      : [`debounce ${ms(sample.debounceMs)}`, `model ${ms(sample.modelMs)}`];
  return `${ms(sample.totalMs)} after the keystroke: ${parts.join(', ')}, Switchyard ${ms(ownMs(sample))} (${sample.lines.toLocaleString('en-US')} lines)`;
}

const KEPT = 50;

/** The last suggestions' timings. */
export class LatencyLog {
  private readonly samples: LatencySample[] = [];

  add(sample: LatencySample): void {
    this.samples.push(sample);
    if (this.samples.length > KEPT) this.samples.shift();
  }

  last(): LatencySample | undefined {
    return this.samples.at(-1);
  }

  /** The median of the extension's own time over the kept samples, or undefined without any. */
  medianOwnMs(): number | undefined {
    if (!this.samples.length) return undefined;
    const sorted = this.samples.map(ownMs).sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  }

  /** The menu's row: the last suggestion's total, and its split with the median own time. */
  describe(): { readonly label: string; readonly detail: string } | undefined {
    const last = this.last();
    if (!last) return undefined;
    const split = describeLatency(last).replace(/^.*? after the keystroke: /, '');
    return {
      label: `Last suggestion ${ms(last.totalMs)} after the keystroke`,
      detail: `${split}; Switchyard's median ${ms(this.medianOwnMs() ?? 0)} over ${this.samples.length}`,
    };
  }
}
