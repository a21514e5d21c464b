/**
 * Today's completion figures — suggestions shown, accepted, requests sent, spend (USD) — as a
 * small value the host persists in global state. A new local day starts from zero. The daily
 * budget (`switchyard.completions.dailyBudget`) is checked against this spend.
 */
import { formatUsd } from '../protocol/units';

export interface DailyFigures {
  /** Local calendar day, `2026-11-29`. */
  readonly day: string;
  /** Suggestions handed to the editor to show (a typed-ahead continuation counts once). */
  readonly shown: number;
  readonly accepted: number;
  /** Requests sent to OpenRouter (aborted ones included: they may be billed). */
  readonly requests: number;
  /** USD: `usage.cost` when the answer gave it, else the request's worst case (a stream cut early). */
  readonly spendUsd: number;
}

export type FigureEvent = 'shown' | 'accepted' | 'request';

/** Today's figures (zeros when the stored ones are from another day or malformed). */
export function figuresFor(stored: unknown, day: string): DailyFigures {
  const zero: DailyFigures = { day, shown: 0, accepted: 0, requests: 0, spendUsd: 0 };
  if (typeof stored !== 'object' || stored === null) return zero;
  const s = stored as Record<string, unknown>;
  if (s.day !== day) return zero;
  const n = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);
  return { day, shown: n(s.shown), accepted: n(s.accepted), requests: n(s.requests), spendUsd: n(s.spendUsd) };
}

/** The figures after one event. */
export function countEvent(figures: DailyFigures, event: FigureEvent): DailyFigures {
  switch (event) {
    case 'shown':
      return { ...figures, shown: figures.shown + 1 };
    case 'accepted':
      return { ...figures, accepted: figures.accepted + 1 };
    case 'request':
      return { ...figures, requests: figures.requests + 1 };
  }
}

/** The figures after spending `usd` (ignored unless finite and positive). */
export function addCompletionSpend(figures: DailyFigures, usd: number): DailyFigures {
  return Number.isFinite(usd) && usd > 0 ? { ...figures, spendUsd: figures.spendUsd + usd } : figures;
}

/**
 * Whether a request with worst case `worstUsd` may go: today's spend plus it must stay within
 * the daily budget. Returns the reason to pause otherwise.
 */
export function budgetPause(figures: DailyFigures, dailyBudgetUsd: number, worstUsd = 0): string | undefined {
  if (figures.spendUsd >= dailyBudgetUsd)
    return `today's completions spent ${formatUsd(figures.spendUsd)} of the ${formatUsd(dailyBudgetUsd)} daily budget`;
  if (figures.spendUsd + worstUsd > dailyBudgetUsd)
    return `the next suggestion could cost up to ${formatUsd(worstUsd)}, over what is left of the ${formatUsd(dailyBudgetUsd)} daily budget`;
  return undefined;
}

/** "12 shown · 3 accepted · 20 requests · $0.0042" */
export function describeFigures(f: DailyFigures): string {
  return `${f.shown} shown · ${f.accepted} accepted · ${f.requests} requests · ${formatUsd(f.spendUsd)}`;
}
