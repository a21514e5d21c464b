/**
 * `planRoute`: turns a policy, a request and what is known into a {@link Plan} — ordered attempts,
 * each a complete routing body, with the rule behind every placement and exclusion. Pure and
 * deterministic for a given random source.
 */
import { applyAffinity } from './affinity';
import type { ModelInfo } from '../openrouter/catalogue';
import { type Candidate, isFreeModel, listCandidates } from './candidates';
import { balancedFromEndpoints, defaultProviderOrder } from './loadBalance';
import { checkEndpoints, type CompiledProvider, compileProvider } from './providers';
import { resolvePrice } from './unknownPrice';
import type { Attempt, Decision, EndpointInfo, Knowledge, Plan, RandomSource, Refusal, RouteRequest, RoutingPolicy, WireProvider } from './types';

/** Worst-case cost in USD: prompt tokens × prompt price + max output tokens × completion price (per-token prices). */
export function worstCaseUsd(request: Pick<RouteRequest, 'promptTokens' | 'maxOutputTokens'>, promptPrice: number, completionPrice: number): number {
  return request.promptTokens * promptPrice + request.maxOutputTokens * completionPrice;
}

/** "$0.0123" — enough digits for small per-request figures. */
export function formatUsd(usd: number): string {
  if (usd === 0) return '$0';
  if (usd >= 1) return `$${usd.toFixed(2)}`;
  return `$${usd.toPrecision(3)}`;
}

/** A capability hard constraint the model breaks, or undefined. Router models are not checked. */
export function capabilityProblem(model: string, info: ModelInfo | undefined, request: RouteRequest): { rule: string; detail: string } | undefined {
  if (!info || info.isRouter) return undefined;
  if (request.needsVision && !info.supportsVision) return { rule: 'capability.vision', detail: `${model} does not accept images` };
  if (request.needsTools && !info.supportsTools) return { rule: 'capability.tools', detail: `${model} does not support tool use` };
  if (request.promptTokens + request.maxOutputTokens > info.contextLength) {
    return { rule: 'capability.context', detail: `${request.promptTokens} prompt + ${request.maxOutputTokens} output tokens exceed the ${info.contextLength}-token context of ${model}` };
  }
  if (info.maxCompletionTokens !== undefined && request.maxOutputTokens > info.maxCompletionTokens) {
    return { rule: 'capability.maxOutput', detail: `${model} returns at most ${info.maxCompletionTokens} tokens (${request.maxOutputTokens} requested)` };
  }
  return undefined;
}

/**
 * The provider order OpenRouter will most likely use: the user's `order` first (when set), by price
 * for `sort: price`, else the default load balancing (draws from `random`). Slugs, deduplicated.
 */
export function predictProviderOrder(endpoints: readonly EndpointInfo[], provider: WireProvider | undefined, unstable: readonly string[], random: RandomSource): string[] {
  const balanced = balancedFromEndpoints(endpoints, unstable);
  const sortBy = typeof provider?.sort === 'string' ? provider.sort : provider?.sort?.by;
  let order: string[];
  if (sortBy === 'price') order = [...balanced].sort((a, b) => a.price - b.price).map((b) => b.provider);
  else if (sortBy) order = balanced.map((b) => b.provider); // throughput / latency: not known ahead; listed order
  else order = defaultProviderOrder(balanced, random);
  const pinned = (provider?.order ?? []).map((s) => s.toLowerCase()).filter((s) => order.includes(s));
  return [...new Set([...pinned, ...order])];
}

interface Scored {
  readonly candidate: Candidate;
  readonly provider?: WireProvider;
  readonly worst: number;
  readonly priceKnown: boolean;
  readonly free: boolean;
  readonly remainingProviders?: readonly string[];
  confirm?: string;
  placedRule: string;
}

const EPSILON = 1e-12;

/** Policies are immutable values: compile each one's provider object once. */
const compiledByPolicy = new WeakMap<RoutingPolicy, CompiledProvider>();

/** Plans a route. Never throws: problems become a refusal, exclusions or warnings. */
export function planRoute(policy: RoutingPolicy, request: RouteRequest, knowledge: Knowledge, random: RandomSource): Plan {
  const decisions: Decision[] = [];
  const warnings: string[] = [];
  let compiled = compiledByPolicy.get(policy);
  if (!compiled) {
    compiled = compileProvider(policy);
    compiledByPolicy.set(policy, compiled);
  }
  const notes = [...compiled.notes];
  const refuse = (refusal: Refusal): Plan => ({ attempts: [], decisions, refusal, warnings, notes, worstCaseUsd: 0 });
  if (compiled.refusal) return refuse(compiled.refusal);

  const listed = listCandidates(policy, request, knowledge, random);
  decisions.push(...listed.decisions);
  if (listed.refusal) return refuse(listed.refusal);

  const pinNote = policy.preferredProvider ? ` (the pinned provider "${policy.preferredProvider}" does not lift this)` : '';
  const providerProblems: string[] = [];

  const score = (candidate: Candidate): Scored | undefined => {
    const { model } = candidate;
    const info = knowledge.models.get(model);
    const problem = capabilityProblem(model, info, request);
    if (problem) {
      decisions.push({ model, verdict: 'excluded', rule: problem.rule, detail: problem.detail + pinNote });
      return undefined;
    }
    const provider: WireProvider | undefined = candidate.routeProvider ? { ...(compiled.provider ?? {}), order: [candidate.routeProvider], allow_fallbacks: false } : compiled.provider;
    // Never zero for an unknown price: the base model of a variant, a router's priciest pick (src/routing/unknownPrice.ts).
    const resolved = resolvePrice(model, knowledge.models, request.promptTokens + request.maxOutputTokens);
    let promptPrice = resolved.known ? resolved.promptPrice : 0;
    let completionPrice = resolved.known ? resolved.completionPrice : 0;
    const requestUsd = resolved.known ? resolved.requestUsd : 0;
    let remainingProviders: string[] | undefined;
    const endpoints = knowledge.endpoints.get(model);
    if (endpoints) {
      const check = checkEndpoints(model, endpoints, provider, request);
      for (const v of check.verdicts) {
        decisions.push({ model, provider: v.endpoint.tag, verdict: v.rule ? 'excluded' : 'placed', rule: v.rule ?? 'provider.remains', detail: v.detail });
      }
      if (check.reason) {
        decisions.push({ model, verdict: 'excluded', rule: 'providers.none', detail: check.reason });
        providerProblems.push(check.reason);
        return undefined;
      }
      // Worst case over every provider that may serve it.
      promptPrice = Math.max(...check.remaining.map((e) => e.promptPrice));
      completionPrice = Math.max(...check.remaining.map((e) => e.completionPrice));
      remainingProviders = predictProviderOrder(check.remaining, provider, knowledge.health.unstableProviders ?? [], random);
    }
    const free = isFreeModel(model, info);
    const priceKnown = free || resolved.known || endpoints !== undefined;
    if (resolved.known && resolved.source === 'routerPool' && !endpoints) {
      notes.push(`${model} picks a model per request: its worst case is priced as the priciest model it may pick (${resolved.basis}).`);
    } else if (resolved.known && resolved.source === 'base' && !info) {
      notes.push(`${model} is priced as its base model ${resolved.basis}${resolved.requestUsd ? ` plus ${formatUsd(resolved.requestUsd)} web search` : ''}.`);
    } else if (!info) warnings.push(`${model} is not in the model catalogue: its capabilities and price are unchecked.`);
    else if (info.isRouter && !endpoints) warnings.push(`${model} picks a model per request: its price is known only afterwards.`);
    return {
      candidate,
      ...(provider ? { provider } : {}),
      worst: free ? 0 : worstCaseUsd(request, promptPrice, completionPrice) + requestUsd,
      priceKnown,
      free,
      ...(remainingProviders ? { remainingProviders } : {}),
      placedRule: candidate.rule,
    };
  };

  let survivors: Scored[] = [];
  for (const c of listed.candidates) {
    const s = score(c);
    if (s) survivors.push(s);
  }
  if (survivors.length === 0) {
    if (providerProblems.length > 0) return refuse({ rule: 'providers.none', reason: providerProblems.join('; ') });
    const reasons = decisions.filter((d) => d.verdict === 'excluded' && !d.provider).map((d) => d.detail);
    return refuse({ rule: 'candidates.none', reason: `No candidate can serve this request: ${reasons.join('; ') || 'none configured'}.` });
  }

  // Budgets.
  const b = policy.budgets;
  const overBudget = (worst: number): string | undefined => {
    if (b.perRequestUsd !== undefined && worst > b.perRequestUsd + EPSILON) return `worst case ${formatUsd(worst)} exceeds the per-request budget of ${formatUsd(b.perRequestUsd)}`;
    if (b.perDayUsd !== undefined && knowledge.spend.todayUsd + worst > b.perDayUsd + EPSILON) {
      return `${formatUsd(knowledge.spend.todayUsd)} spent today + worst case ${formatUsd(worst)} exceeds the daily budget of ${formatUsd(b.perDayUsd)}`;
    }
    if (b.perMonthUsd !== undefined && knowledge.spend.monthUsd + worst > b.perMonthUsd + EPSILON) {
      return `${formatUsd(knowledge.spend.monthUsd)} spent this month + worst case ${formatUsd(worst)} exceeds the monthly budget of ${formatUsd(b.perMonthUsd)}`;
    }
    return undefined;
  };
  const hasBudget = b.perRequestUsd !== undefined || b.perDayUsd !== undefined || b.perMonthUsd !== undefined;
  if (hasBudget) {
    for (const s of survivors) {
      if (s.priceKnown) continue;
      // Unknown is never zero: unless the user chose `warn`, sending needs their yes.
      if (policy.onBudget === 'warn') warnings.push(`The budget cannot be checked for ${s.candidate.model}: its price is unknown.`);
      else s.confirm = `Budget: the price of ${s.candidate.model} is unknown, so the budget cannot be checked before sending.`;
    }
    const over = new Map(survivors.map((s) => [s, overBudget(s.worst)] as const));
    const primaryOver = over.get(survivors[0] as Scored);
    switch (policy.onBudget) {
      case 'warn':
        for (const [s, why] of over) if (why) warnings.push(`Budget: ${s.candidate.model}: ${why}.`);
        break;
      case 'ask':
        for (const [s, why] of over) if (why) s.confirm = `Budget: ${why}.`;
        break;
      case 'block': {
        for (const [s, why] of over) if (why) decisions.push({ model: s.candidate.model, verdict: 'excluded', rule: 'budget.block', detail: why });
        survivors = survivors.filter((s) => !over.get(s));
        if (survivors.length === 0) return refuse({ rule: 'budget.block', reason: `Blocked by budget: ${primaryOver ?? [...over.values()].find(Boolean)}.` });
        if (primaryOver) warnings.push(`Budget: the first choice was blocked (${primaryOver}); using ${survivors[0]?.candidate.model}.`);
        break;
      }
      case 'downgradeToFree': {
        if (policy.mode === 'manual' && primaryOver) return refuse({ rule: 'budget.downgradeToFree', reason: `Manual mode never switches models: ${primaryOver}.` });
        const next: Scored[] = [];
        const present = new Set(survivors.map((s) => s.candidate.model));
        for (const s of survivors) {
          const why = over.get(s);
          if (s.free || (!why && !primaryOver)) {
            next.push(s);
            continue;
          }
          decisions.push({ model: s.candidate.model, verdict: 'excluded', rule: 'budget.downgradeToFree', detail: why ?? 'the budget would be crossed: only free models' });
          const variant = `${s.candidate.model.replace(/:[a-z]+$/, '')}:free`;
          if (knowledge.models.has(variant) && !present.has(variant)) {
            present.add(variant);
            const v = score({ model: variant, source: 'freeVariant', rule: 'budget.downgradeToFree' });
            if (v) next.push(v);
          }
        }
        survivors = next;
        if (survivors.length === 0) return refuse({ rule: 'budget.downgradeToFree', reason: `Over budget and no free model can serve this request: ${primaryOver ?? [...over.values()].find(Boolean)}.` });
        if (primaryOver) warnings.push(`Budget: downgraded to free models (${primaryOver}).`);
        break;
      }
    }
  }

  // Fallbacks never silently cost more than the primary.
  const primary = survivors[0] as Scored;
  const kept: Scored[] = [primary];
  for (const s of survivors.slice(1)) {
    const pricier = !s.free && (!s.priceKnown || !primary.priceKnown || s.worst > primary.worst + EPSILON);
    if (!pricier) {
      kept.push(s);
      continue;
    }
    const why = !s.priceKnown || !primary.priceKnown ? `cannot be shown to cost no more than ${primary.candidate.model} (price unknown)` : `worst case ${formatUsd(s.worst)} > ${formatUsd(primary.worst)} for ${primary.candidate.model}`;
    if (policy.fallback.onlyCheaper) {
      decisions.push({ model: s.candidate.model, verdict: 'excluded', rule: 'fallback.onlyCheaper', detail: why });
    } else if (policy.fallback.askBeforeUpgrade) {
      s.confirm = s.confirm ?? `Upgrade: ${s.candidate.model} ${why}.`;
      s.placedRule = `${s.placedRule} + fallback.askBeforeUpgrade`;
      kept.push(s);
    } else {
      kept.push(s);
    }
  }

  // Cooling models go last (auto mode only; manual has one candidate anyway).
  const coolingModels = new Set(knowledge.health.coolingModels ?? []);
  const ordered = [...kept.filter((s) => !coolingModels.has(s.candidate.model)), ...kept.filter((s) => coolingModels.has(s.candidate.model))];
  for (const s of ordered) if (coolingModels.has(s.candidate.model)) s.placedRule = `${s.placedRule} + health.cooling (last)`;

  // Key.
  const coolingKeys = new Set(knowledge.health.coolingKeys ?? []);
  const key = knowledge.keys.find((k) => !coolingKeys.has(k.id)) ?? knowledge.keys[0];
  if (!key) return refuse({ rule: 'keys.none', reason: 'No API key is set.' });
  if (coolingKeys.has(key.id)) warnings.push('Every API key is cooling down; using the first one anyway.');

  for (const s of ordered) {
    const price = s.free ? 'free' : s.priceKnown ? `worst case ${formatUsd(s.worst)}` : 'price unknown';
    const via = s.remainingProviders ? `; providers (likely order): ${s.remainingProviders.join(', ')}` : '';
    decisions.push({ model: s.candidate.model, ...(s.candidate.routeProvider ? { provider: s.candidate.routeProvider } : {}), verdict: 'placed', rule: s.placedRule, detail: `${price}${via}${s.confirm ? `; needs confirmation: ${s.confirm}` : ''}` });
  }

  // Attempts: the leading run that can share one request goes as OpenRouter's `models` list.
  const providerJson = (s: Scored): string => JSON.stringify(s.provider ?? null);
  const first = ordered[0] as Scored;
  const group: Scored[] = [first];
  if (!first.confirm) {
    for (const s of ordered.slice(1)) {
      // A candidate that needs the user's yes never rides in the automatic list; the ones after
      // it still may (it stays available as its own, confirmed attempt).
      if (s.confirm) continue;
      if (providerJson(s) !== providerJson(first)) break;
      group.push(s);
    }
  }
  const single = (s: Scored): Attempt => ({
    keyId: key.id,
    body: { model: s.candidate.model, ...(s.provider ? { provider: s.provider } : {}) },
    worstCaseUsd: s.worst,
    ...(s.confirm ? { needsConfirmation: s.confirm } : {}),
  });
  const attempts: Attempt[] = [];
  if (group.length > 1) {
    attempts.push({
      keyId: key.id,
      body: { model: first.candidate.model, models: group.map((s) => s.candidate.model), ...(first.provider ? { provider: first.provider } : {}) },
      worstCaseUsd: Math.max(...group.map((s) => s.worst)),
    });
  }
  attempts.push(...ordered.map(single));
  const servable = new Map(ordered.flatMap((s) => (s.remainingProviders ? [[s.candidate.model, s.remainingProviders] as const] : [])));
  const pinned = applyAffinity(attempts, request.affinity, servable, decisions, knowledge.endpoints);
  const budget = policy.onBudget !== 'warn' && b.perRequestUsd !== undefined ? { perRequestBudgetUsd: b.perRequestUsd } : {};
  return { attempts: pinned, decisions, warnings, notes, worstCaseUsd: pinned[0]?.worstCaseUsd ?? 0, ...budget };
}
