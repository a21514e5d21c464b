/**
 * The budget form's text box (Set Budgets…): what a typed limit means. Pure, so the form's rules
 * are unit-tested: a non-negative number of USD ("0.5", "$2", "1,000.25"), or nothing to remove
 * the limit; anything else is refused with a message saying what is accepted.
 */

/** The three limits of `switchyard.routing.budgets`. */
export const BUDGET_LIMITS = ['perRequestUsd', 'perDayUsd', 'perMonthUsd'] as const;
export type BudgetLimit = (typeof BUDGET_LIMITS)[number];

export type BudgetInput =
  { readonly ok: true; readonly usd: number | undefined } | { readonly ok: false; readonly error: string };

/** Reads a typed limit: a non-negative USD amount, or empty (the limit is removed). */
export function parseBudgetInput(text: string): BudgetInput {
  const trimmed = text
    .trim()
    .replace(/^\$\s*/, '')
    .replace(/\s*(usd|\$)$/i, '');
  if (trimmed === '') return { ok: true, usd: undefined };
  const plain = /^\d{1,3}(,\d{3})+(\.\d+)?$/.test(trimmed) ? trimmed.replace(/,/g, '') : trimmed;
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(plain)) {
    return { ok: false, error: 'Type an amount in USD, e.g. 0.50 (empty: no limit).' };
  }
  const usd = Number(plain);
  if (!Number.isFinite(usd) || usd > 1e9) return { ok: false, error: 'That amount is too large.' };
  return { ok: true, usd };
}

/**
 * The budgets with one limit set or removed; the other limits are kept. Undefined when none is
 * left (the setting is then removed rather than written as `{}`).
 */
export function withBudgetLimit(
  current: Readonly<Record<string, unknown>> | undefined,
  limit: BudgetLimit,
  usd: number | undefined,
): Record<string, unknown> | undefined {
  const next: Record<string, unknown> = { ...(current ?? {}) };
  if (usd === undefined) delete next[limit];
  else next[limit] = usd;
  return Object.keys(next).length ? next : undefined;
}
