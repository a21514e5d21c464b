/**
 * What has been spent today and this month (USD, from `usage.cost`), as a small value the host
 * persists. Days and months are the user's local calendar, given as strings by the caller.
 */
export interface SpendLedger {
  readonly day: string;
  readonly dayUsd: number;
  readonly month: string;
  readonly monthUsd: number;
}

/** `2026-11-23` and `2026-11` for a date in local time. */
export function calendarKeys(date: Date): { day: string; month: string } {
  const month = `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}`;
  return { day: `${month}-${String(date.getDate()).padStart(2, '0')}`, month };
}

/** Today's and this month's spend; a ledger from another day or month counts as zero for it. */
export function spendNow(
  ledger: SpendLedger | undefined,
  keys: { day: string; month: string },
): { todayUsd: number; monthUsd: number } {
  if (!ledger) return { todayUsd: 0, monthUsd: 0 };
  return {
    todayUsd: ledger.day === keys.day ? ledger.dayUsd : 0,
    monthUsd: ledger.month === keys.month ? ledger.monthUsd : 0,
  };
}

/** The ledger after spending `usd` (ignored unless a finite, non-negative number). */
export function addSpend(
  ledger: SpendLedger | undefined,
  usd: number,
  keys: { day: string; month: string },
): SpendLedger {
  const now = spendNow(ledger, keys);
  const add = Number.isFinite(usd) && usd > 0 ? usd : 0;
  return { day: keys.day, dayUsd: now.todayUsd + add, month: keys.month, monthUsd: now.monthUsd + add };
}
