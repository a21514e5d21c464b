/**
 * The typing figure of the completions bench (bench/completions.ts): requests sent while a
 * person types a 400-character function at 8 characters/s, in virtual time, with the real engine
 * and a model that predicts the rest of each line or never does.
 */
import { CompletionEngine, type EngineSettings } from '../src/completions/engine';
import type { SendRequest } from '../src/completions/route';
import type { DailyFigures } from '../src/completions/stats';
import { seededRandom } from '../src/routing/random';

export const MODEL = 'openai/gpt-4o-mini';

/** The engine's daily figures, kept in memory. */
export function figuresStore(): { figures(): DailyFigures; saveFigures(f: DailyFigures): void } {
  let figures: DailyFigures = { day: 'bench', shown: 0, accepted: 0, requests: 0, spendUsd: 0 };
  return { figures: () => figures, saveFigures: (f) => (figures = f) };
}

/** A 400-character TypeScript function, typed character by character. */
export const TYPED_FUNCTION = [
  'export function median(values: number[]): number {',
  '  if (values.length === 0) throw new Error("no values");',
  '  const sorted = [...values].sort((a, b) => a - b);',
  '  const middle = Math.floor(sorted.length / 2);',
  '  if (sorted.length % 2 === 1) return sorted[middle];',
  '  const low = sorted[middle - 1];',
  '  const high = sorted[middle];',
  '  return (low + high) / 2;',
  '}',
  'export const middle = median([3, 1, 2]);',
  '',
].join('\n');

/** Timers on a virtual clock: `sleep` resolves when the clock passes its time. */
class VirtualClock {
  now = 0;
  private timers: { at: number; fire: () => void }[] = [];

  sleep(ms: number, signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = { at: this.now + ms, fire: () => resolve(true) };
      this.timers.push(timer);
      signal.addEventListener(
        'abort',
        () => {
          this.timers = this.timers.filter((t) => t !== timer);
          resolve(false);
        },
        { once: true },
      );
    });
  }

  async advance(ms: number): Promise<void> {
    const until = this.now + ms;
    for (;;) {
      await settle();
      const next = this.timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.now = next.at;
      next.fire();
    }
    this.now = until;
    await settle();
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}

/** Requests while typing {@link TYPED_FUNCTION} at 8 chars/s; `predicts` = the model suggests the rest of the line. */
export async function typingRequests(
  predicts: boolean,
  debounceMs: number,
): Promise<{ requests: number; keystrokes: number; shownFromReuse: number }> {
  const clock = new VirtualClock();
  const random = seededRandom(11);
  let requests = 0;
  const send = async (request: SendRequest) => {
    request.onSent?.({ keyId: 'k', body: { model: MODEL }, worstCaseUsd: 0.0003 });
    requests++;
    const offset = request.prompt.prefix.length;
    const lineEnd = TYPED_FUNCTION.indexOf('\n', offset);
    const text = predicts ? TYPED_FUNCTION.slice(offset, lineEnd < 0 ? undefined : lineEnd) : ' /* something else */';
    // 80 ms to the first token, then the whole line at once.
    if (!(await clock.sleep(80, request.signal))) return { miss: 'aborted' as const, detail: '', costUsd: 0.0003 };
    request.onText?.(text);
    return { text, costUsd: 0.0002, model: MODEL, cutEarly: false };
  };
  const engine = new CompletionEngine(
    {
      now: () => clock.now,
      sleep: (ms, signal) => clock.sleep(ms, signal),
      send,
      ...figuresStore(),
      newId: () => String(requests),
    },
    debounceMs,
  );
  const settings: EngineSettings = { debounceMs, maxLines: 1, dailyBudgetUsd: 100 };
  let previous: AbortController | undefined;
  let reused = 0;
  const pending: Promise<void>[] = [];
  for (let i = 1; i <= TYPED_FUNCTION.length; i++) {
    previous?.abort();
    const controller = new AbortController();
    previous = controller;
    const doc = TYPED_FUNCTION.slice(0, i);
    pending.push(
      engine
        .provide(
          { editorId: 'e', languageId: 'typescript', path: 'a.ts', prefix: doc, suffix: '', offset: i },
          settings,
          controller.signal,
        )
        .then((r) => {
          if (r.kind === 'suggestion' && r.source !== 'request') reused++;
        }),
    );
    // 8 characters per second on average (±40 %), and a short pause after each line.
    const gap = 125 * (0.6 + 0.8 * random()) + (TYPED_FUNCTION[i - 1] === '\n' ? 600 : 0);
    await clock.advance(gap);
  }
  await clock.advance(2000);
  await Promise.all(pending);
  return { requests, keystrokes: TYPED_FUNCTION.length, shownFromReuse: reused };
}
