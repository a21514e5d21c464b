/**
 * The budget phase of a planning (src/routing/plan.ts): a candidate whose worst case would cross
 * a budget (per request, today, this month) is blocked, or a free variant takes its place; fallbacks
 * may not silently cost more than the pick.
 */
import { formatUsd } from '../protocol/units';
import type { Candidate } from './candidates';
import { EPSILON, type Phase, type Planning, type Scored } from './planning';

/** Scores one more candidate (a free variant) the way the planning scores every candidate. */
export type Rescore = (p: Planning, candidate: Candidate) => Scored | undefined;

/** Why a worst case (USD) would cross a budget (per request, today, this month), or undefined. */
function overBudget(p: Planning, worst: number): string | undefined {
  const b = p.policy.budgets;
  const { spend } = p.knowledge;
  if (b.perRequestUsd !== undefined && worst > b.perRequestUsd + EPSILON)
    return `worst case ${formatUsd(worst)} exceeds the per-request budget of ${formatUsd(b.perRequestUsd)}`;
  if (b.perDayUsd !== undefined && spend.todayUsd + worst > b.perDayUsd + EPSILON) {
    return `${formatUsd(spend.todayUsd)} spent today + worst case ${formatUsd(worst)} exceeds the daily budget of ${formatUsd(b.perDayUsd)}`;
  }
  if (b.perMonthUsd !== undefined && spend.monthUsd + worst > b.perMonthUsd + EPSILON) {
    return `${formatUsd(spend.monthUsd)} spent this month + worst case ${formatUsd(worst)} exceeds the monthly budget of ${formatUsd(b.perMonthUsd)}`;
  }
  return undefined;
}

/** The budgets, as `onBudget` says: warn, ask, block, or downgrade to free models. */
export function applyBudgets(p: Planning, survivors: Scored[], rescore: Rescore): Phase {
  const b = p.policy.budgets;
  if (b.perRequestUsd === undefined && b.perDayUsd === undefined && b.perMonthUsd === undefined) return survivors;
  for (const s of survivors) {
    if (s.priceKnown) continue;
    // Unknown is never zero: unless the user chose `warn`, sending needs their yes.
    if (p.policy.onBudget === 'warn')
      p.warnings.push(`The budget cannot be checked for ${s.candidate.model}: its price is unknown.`);
    else
      s.confirm = `Budget: the price of ${s.candidate.model} is unknown, so the budget cannot be checked before sending.`;
  }
  const over = new Map(survivors.map((s) => [s, overBudget(p, s.worst)] as const));
  const primaryOver = over.get(survivors[0] as Scored);
  switch (p.policy.onBudget) {
    case 'warn':
      for (const [s, why] of over) if (why) p.warnings.push(`Budget: ${s.candidate.model}: ${why}.`);
      return survivors;
    case 'ask':
      for (const [s, why] of over) if (why) s.confirm = `Budget: ${why}.`;
      return survivors;
    case 'block':
    case 'downgrade':
      // `downgrade` in one request: the candidates that fit (the cheaper fallbacks), as `block` keeps them.
      return blockOverBudget(p, survivors, over, primaryOver);
    case 'downgradeToFree':
      return downgradeToFree(p, survivors, { over, primaryOver }, rescore);
  }
}

/** `onBudget: block`: drops what would cross a budget; refuses when nothing is left. */
function blockOverBudget(
  p: Planning,
  survivors: Scored[],
  over: ReadonlyMap<Scored, string | undefined>,
  primaryOver: string | undefined,
): Phase {
  for (const [s, why] of over)
    if (why) p.decisions.push({ model: s.candidate.model, verdict: 'excluded', rule: 'budget.block', detail: why });
  const left = survivors.filter((s) => !over.get(s));
  if (left.length === 0)
    return { rule: 'budget.block', reason: `Blocked by budget: ${primaryOver ?? [...over.values()].find(Boolean)}.` };
  if (primaryOver)
    p.warnings.push(`Budget: the first choice was blocked (${primaryOver}); using ${left[0]?.candidate.model}.`);
  return left;
}

/**
 * `onBudget: downgradeToFree`: once the first choice would cross a budget, only free models stay
 * (each paid one replaced by its `:free` variant when the catalogue has it). Manual mode refuses.
 */
function downgradeToFree(
  p: Planning,
  survivors: Scored[],
  { over, primaryOver }: { over: ReadonlyMap<Scored, string | undefined>; primaryOver: string | undefined },
  rescore: Rescore,
): Phase {
  if (p.policy.mode === 'manual' && primaryOver)
    return { rule: 'budget.downgradeToFree', reason: `Manual mode never switches models: ${primaryOver}.` };
  const next: Scored[] = [];
  const present = new Set(survivors.map((s) => s.candidate.model));
  for (const s of survivors) {
    const why = over.get(s);
    if (s.free || (!why && !primaryOver)) {
      next.push(s);
      continue;
    }
    p.decisions.push({
      model: s.candidate.model,
      verdict: 'excluded',
      rule: 'budget.downgradeToFree',
      detail: why ?? 'the budget would be crossed: only free models',
    });
    const variant = `${s.candidate.model.replace(/:[a-z]+$/, '')}:free`;
    if (p.knowledge.models.has(variant) && !present.has(variant)) {
      present.add(variant);
      const v = rescore(p, { model: variant, source: 'freeVariant', rule: 'budget.downgradeToFree' });
      if (v) next.push(v);
    }
  }
  if (next.length === 0)
    return {
      rule: 'budget.downgradeToFree',
      reason: `Over budget and no free model can serve this request: ${primaryOver ?? [...over.values()].find(Boolean)}.`,
    };
  if (primaryOver) p.warnings.push(`Budget: downgraded to free models (${primaryOver}).`);
  return next;
}

/** Fallbacks never silently cost more than the primary: dropped (`onlyCheaper`) or asked for (`askBeforeUpgrade`). */
export function limitFallbackCost(p: Planning, survivors: readonly Scored[]): Scored[] {
  const primary = survivors[0] as Scored;
  const kept: Scored[] = [primary];
  for (const s of survivors.slice(1)) {
    const pricier = !s.free && (!s.priceKnown || !primary.priceKnown || s.worst > primary.worst + EPSILON);
    if (!pricier) {
      kept.push(s);
      continue;
    }
    const why =
      !s.priceKnown || !primary.priceKnown
        ? `cannot be shown to cost no more than ${primary.candidate.model} (price unknown)`
        : `worst case ${formatUsd(s.worst)} > ${formatUsd(primary.worst)} for ${primary.candidate.model}`;
    if (p.policy.fallback.onlyCheaper) {
      p.decisions.push({ model: s.candidate.model, verdict: 'excluded', rule: 'fallback.onlyCheaper', detail: why });
    } else if (p.policy.fallback.askBeforeUpgrade) {
      s.confirm = s.confirm ?? `Upgrade: ${s.candidate.model} ${why}.`;
      s.placedRule = `${s.placedRule} + fallback.askBeforeUpgrade`;
      kept.push(s);
    } else {
      kept.push(s);
    }
  }
  return kept;
}
