/**
 * A task's budget: `switchyard.agent.taskBudgetUsd`, or the task's own (Change Task Budget in the
 * header). Before each step, the router's worst case for it is added to what the task has spent
 * (subagents included); when that would cross the budget, `routing.onBudget` decides as it does
 * for chat — `block`, `warn`, `ask`, `downgradeToFree` — plus `downgrade`: the remaining steps move
 * to a cheaper tool-capable model, the router's choice among the cheaper ones that fit. A refusal
 * always names the ways forward. And the header's forecast: the task's cost at its current rate.
 * Pure.
 */
import { formatUsd } from '../protocol/units';
import type { OnBudget } from '../routing/types';

/** The budget of one task. */
export interface TaskBudget {
  /** USD; absent = no budget. */
  readonly limitUsd?: number;
  /**
   * Where the figure comes from, for messages: the task's own, `agent.taskBudgetUsd`, or (neither
   * set) the per-request budget of `routing.budgets`, which then applies to the whole task.
   */
  readonly source: 'setting' | 'task' | 'perRequest';
}

/** What the step may do, before it is sent. */
export type BudgetVerdict =
  | { readonly kind: 'go' }
  /** Send anyway; say it on the step and in the log. */
  | { readonly kind: 'warn'; readonly notice: string }
  /** Ask the user; yes = send, no = stop with {@link budgetRefusal}. */
  | { readonly kind: 'ask'; readonly question: string; readonly why: string }
  /** Stop before sending, with the ways forward. */
  | { readonly kind: 'block'; readonly message: string }
  /** Re-plan on free models (`downgradeToFree`) or a cheaper tool-capable one (`downgrade`), within what is left. */
  | { readonly kind: 'downgrade'; readonly toFree: boolean; readonly remainingUsd: number; readonly why: string };

const EPSILON = 1e-9;

/** Why the next step would cross the budget, or undefined when it fits (or there is none). */
export function crossing(budget: TaskBudget, spentUsd: number, worstCaseUsd: number): string | undefined {
  const limit = budget.limitUsd;
  if (limit === undefined || spentUsd + worstCaseUsd <= limit + EPSILON) return undefined;
  const whose = {
    task: `this task's budget of ${formatUsd(limit)}`,
    setting: `the task budget of ${formatUsd(limit)} (switchyard.agent.taskBudgetUsd)`,
    perRequest: `the per-request budget of ${formatUsd(limit)} (switchyard.routing.budgets), which applies to the whole task`,
  }[budget.source];
  return `the task has cost ${formatUsd(spentUsd)}; its next step could bring it to ${formatUsd(spentUsd + worstCaseUsd)}, over ${whose}`;
}

/** The budget of a task: its own (`null`: none for this task), else the setting, else the per-request budget. */
export function taskBudget(
  override: number | null | undefined,
  setting: number | undefined,
  perRequestUsd: number | undefined,
): TaskBudget {
  if (override === null) return { source: 'task' };
  if (override !== undefined) return { limitUsd: override, source: 'task' };
  if (setting !== undefined) return { limitUsd: setting, source: 'setting' };
  return perRequestUsd !== undefined ? { limitUsd: perRequestUsd, source: 'perRequest' } : { source: 'setting' };
}

/** What `onBudget` makes of the next step. */
export function budgetVerdict(
  onBudget: OnBudget,
  budget: TaskBudget,
  spentUsd: number,
  worstCaseUsd: number,
): BudgetVerdict {
  const why = crossing(budget, spentUsd, worstCaseUsd);
  if (!why) return { kind: 'go' };
  const remainingUsd = Math.max(0, (budget.limitUsd ?? 0) - spentUsd);
  switch (onBudget) {
    case 'warn':
      return { kind: 'warn', notice: `Budget: ${why} (onBudget: warn, so it goes on).` };
    case 'ask':
      return { kind: 'ask', question: `Budget: ${why}. Send the next step anyway?`, why };
    case 'block':
      return { kind: 'block', message: budgetRefusal(why) };
    case 'downgradeToFree':
      return { kind: 'downgrade', toFree: true, remainingUsd, why };
    case 'downgrade':
      return { kind: 'downgrade', toFree: false, remainingUsd, why };
  }
}

/** The message of a task stopped by its budget: what happened and every way forward. */
export function budgetRefusal(why: string): string {
  return `Stopped before the next step: ${why}. Ways forward: raise this task's budget or move the remaining steps to a cheaper model (Change Task Budget), then Retry; or leave the task here — nothing more is spent.`;
}

/** The header's figures: spend, budget and the forecast at the task's current rate. */
export interface TaskForecast {
  /** Average USD per step so far. */
  readonly perStepUsd: number;
  /** Steps the budget still pays for at that rate (absent without a budget). */
  readonly stepsLeft?: number;
  /** One line for the header. */
  readonly text: string;
}

/** The forecast of a task after `steps` steps that cost `spentUsd`; undefined before its first step. */
export function forecast(
  spentUsd: number,
  steps: number,
  maxSteps: number,
  limitUsd?: number,
): TaskForecast | undefined {
  if (steps <= 0) return undefined;
  const perStepUsd = spentUsd / steps;
  const atMax = perStepUsd * maxSteps;
  if (limitUsd === undefined)
    return { perStepUsd, text: `~${formatUsd(perStepUsd)}/step · ≤ ${formatUsd(atMax)} at ${maxSteps} steps` };
  const stepsLeft = perStepUsd > 0 ? Math.max(0, Math.floor((limitUsd - spentUsd) / perStepUsd)) : undefined;
  const left =
    stepsLeft === undefined
      ? 'budget not touched yet'
      : `budget lasts ~${stepsLeft} more step${stepsLeft === 1 ? '' : 's'}`;
  return {
    perStepUsd,
    ...(stepsLeft !== undefined ? { stepsLeft } : {}),
    text: `~${formatUsd(perStepUsd)}/step · ${left}`,
  };
}
