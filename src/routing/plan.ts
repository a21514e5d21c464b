/**
 * `planRoute`: turns a policy, a request and what is known into a {@link Plan} — ordered attempts,
 * each a complete routing body, with the rule behind every placement and exclusion. Pure and
 * deterministic for a given random source.
 */
import { formatUsd } from '../protocol/units';
import { applyAffinity } from './affinity';
import { isFreeModel, type ModelInfo } from '../openrouter/catalogue';
import { type Candidate, listCandidates } from './candidates';
import { balancedFromEndpoints, defaultProviderOrder } from './loadBalance';
import { checkEndpoints, type CompiledProvider, compileProvider } from './providers';
import { ONLINE_SEARCH_USD, resolvePrice } from './unknownPrice';
import type {
  Attempt,
  EndpointInfo,
  Knowledge,
  Plan,
  RandomSource,
  Refusal,
  RouteRequest,
  RoutingPolicy,
  WireProvider,
} from './types';
import { applyBudgets, limitFallbackCost } from './planBudgets';
import { refused, type Phase, type Planning, type Prices, type Scored } from './planning';

/** Worst-case cost in USD: prompt tokens × prompt price + max output tokens × completion price (per-token prices). */
export function worstCaseUsd(
  request: Pick<RouteRequest, 'promptTokens' | 'maxOutputTokens'>,
  promptPrice: number,
  completionPrice: number,
): number {
  return request.promptTokens * promptPrice + request.maxOutputTokens * completionPrice;
}

/** A capability hard constraint the model breaks, or undefined. Router models are not checked. */
export function capabilityProblem(
  model: string,
  info: ModelInfo | undefined,
  request: RouteRequest,
): { rule: string; detail: string } | undefined {
  if (!info || info.isRouter) return undefined;
  if (request.needsVision && !info.supportsVision)
    return { rule: 'capability.vision', detail: `${model} does not accept images` };
  if (request.needsTools && !info.supportsTools)
    return { rule: 'capability.tools', detail: `${model} does not support tool use` };
  if (request.promptTokens + request.maxOutputTokens > info.contextLength) {
    return {
      rule: 'capability.context',
      detail: `${request.promptTokens} prompt + ${request.maxOutputTokens} output tokens exceed the ${info.contextLength}-token context of ${model}`,
    };
  }
  if (info.maxCompletionTokens !== undefined && request.maxOutputTokens > info.maxCompletionTokens) {
    return {
      rule: 'capability.maxOutput',
      detail: `${model} returns at most ${info.maxCompletionTokens} tokens (${request.maxOutputTokens} requested)`,
    };
  }
  return undefined;
}

/**
 * The provider order OpenRouter will most likely use: the user's `order` first (when set), by price
 * for `sort: price`, else the default load balancing (draws from `random`). Slugs, deduplicated.
 */
export function predictProviderOrder(
  endpoints: readonly EndpointInfo[],
  provider: WireProvider | undefined,
  unstable: readonly string[],
  random: RandomSource,
): string[] {
  const balanced = balancedFromEndpoints(endpoints, unstable);
  const sortBy = typeof provider?.sort === 'string' ? provider.sort : provider?.sort?.by;
  let order: string[];
  if (sortBy === 'price') order = [...balanced].sort((a, b) => a.price - b.price).map((b) => b.provider);
  else if (sortBy)
    order = balanced.map((b) => b.provider); // throughput / latency: not known ahead; listed order
  else order = defaultProviderOrder(balanced, random);
  const pinned = (provider?.order ?? []).map((s) => s.toLowerCase()).filter((s) => order.includes(s));
  return [...new Set([...pinned, ...order])];
}

/** Policies are immutable values: compile each one's provider object once. */
const compiledByPolicy = new WeakMap<RoutingPolicy, CompiledProvider>();

function compiledFor(policy: RoutingPolicy): CompiledProvider {
  let compiled = compiledByPolicy.get(policy);
  if (!compiled) {
    compiled = compileProvider(policy);
    compiledByPolicy.set(policy, compiled);
  }
  return compiled;
}

/**
 * Plans a route. Never throws: problems become a refusal, exclusions or warnings. The phases, in
 * order: compile the provider settings; list candidates (tier, pick, routes, fallbacks); score
 * each (capabilities, providers left, worst-case price); apply the budgets; keep fallbacks from
 * silently costing more; put cooling models last; pick the key; build the attempts (the leading
 * run that can share one request goes as OpenRouter's `models` list); apply sticky routing.
 */
export function planRoute(
  policy: RoutingPolicy,
  request: RouteRequest,
  knowledge: Knowledge,
  random: RandomSource,
): Plan {
  const p = startPlanning(policy, request, knowledge, random);
  const refuse = (refusal: Refusal): Plan => ({
    attempts: [],
    decisions: p.decisions,
    refusal,
    warnings: p.warnings,
    notes: p.notes,
    worstCaseUsd: 0,
  });
  if (p.compiled.refusal) return refuse(p.compiled.refusal);

  const listed = listCandidates(policy, request, knowledge, random);
  p.decisions.push(...listed.decisions);
  if (listed.refusal) return refuse(listed.refusal);

  const scored = scoreAll(p, listed.candidates);
  if (refused(scored)) return refuse(scored);
  const withinBudget = applyBudgets(p, scored, score);
  if (refused(withinBudget)) return refuse(withinBudget);
  const ordered = coolingLast(p, limitFallbackCost(p, withinBudget));

  // The key ring already put cooling keys last (src/account/keyPool.ts).
  const key = knowledge.keys[0];
  if (!key) return refuse({ rule: 'keys.none', reason: 'No API key is set.' });
  recordPlaced(p, ordered);
  return finishPlan(p, ordered, key.id);
}

/** The planning state: the compiled provider settings, and the decisions, warnings and notes so far. */
function startPlanning(
  policy: RoutingPolicy,
  request: RouteRequest,
  knowledge: Knowledge,
  random: RandomSource,
): Planning {
  const compiled = compiledFor(policy);
  const notes = [...compiled.notes];
  if (request.webSearch)
    notes.push(
      `Web search: OpenRouter's web plugin adds ${formatUsd(ONLINE_SEARCH_USD)} per request (5 results at $4 per 1000), counted in every attempt's worst case and the budgets.`,
    );
  return { policy, request, knowledge, random, compiled, decisions: [], warnings: [], notes, providerProblems: [] };
}

/** The attempts of the ordered candidates on one key, with sticky routing applied and the per-request budget. */
function finishPlan(p: Planning, ordered: readonly Scored[], keyId: string): Plan {
  const { policy, request, knowledge } = p;
  const servable = new Map(
    ordered.flatMap((s) => (s.remainingProviders ? [[s.candidate.model, s.remainingProviders] as const] : [])),
  );
  const attempts = applyAffinity(
    buildAttempts(ordered, keyId),
    request.affinity,
    servable,
    p.decisions,
    knowledge.endpoints,
  );
  const b = policy.budgets;
  const budget =
    policy.onBudget !== 'warn' && b.perRequestUsd !== undefined ? { perRequestBudgetUsd: b.perRequestUsd } : {};
  return {
    attempts,
    decisions: p.decisions,
    warnings: p.warnings,
    notes: p.notes,
    worstCaseUsd: attempts[0]?.worstCaseUsd ?? 0,
    ...budget,
  };
}

/** Scores every listed candidate; refuses when none can serve (no provider left, or a capability missing everywhere). */
function scoreAll(p: Planning, candidates: readonly Candidate[]): Phase {
  const survivors = candidates.flatMap((c) => score(p, c) ?? []);
  if (survivors.length > 0) return survivors;
  if (p.providerProblems.length > 0) return { rule: 'providers.none', reason: p.providerProblems.join('; ') };
  const reasons = p.decisions.filter((d) => d.verdict === 'excluded' && !d.provider).map((d) => d.detail);
  return {
    rule: 'candidates.none',
    reason: `No candidate can serve this request: ${reasons.join('; ') || 'none configured'}.`,
  };
}

/**
 * One candidate's capabilities, providers left (when its endpoints are known) and worst-case
 * price in USD; undefined (with the exclusion recorded) when it cannot serve the request.
 */
function score(p: Planning, candidate: Candidate): Scored | undefined {
  const { model } = candidate;
  const { request, knowledge, compiled } = p;
  const info = knowledge.models.get(model);
  const problem = capabilityProblem(model, info, request);
  if (problem) {
    const pinNote = p.policy.preferredProvider
      ? ` (the pinned provider "${p.policy.preferredProvider}" does not lift this)`
      : '';
    p.decisions.push({ model, verdict: 'excluded', rule: problem.rule, detail: problem.detail + pinNote });
    return undefined;
  }
  const routed: WireProvider | undefined = candidate.routeProvider
    ? { ...(compiled.provider ?? {}), order: [candidate.routeProvider], allow_fallbacks: false }
    : compiled.provider;
  // A tool-using request goes only to providers that support tools (OpenRouter otherwise may drop `tools`).
  const provider: WireProvider | undefined = request.needsTools
    ? { ...(routed ?? {}), require_parameters: true }
    : routed;
  const endpoints = knowledge.endpoints.get(model);
  // Never zero for an unknown price: the base model of a variant, a router's priciest pick (src/routing/unknownPrice.ts).
  const resolved = resolvePrice(model, knowledge.models, request.promptTokens + request.maxOutputTokens);
  // The web plugin's fee, once per request (an `:online` model already carries it in `resolved`).
  const webFee = request.webSearch && !model.endsWith(':online') ? ONLINE_SEARCH_USD : 0;
  const requestUsd = resolved.known ? resolved.requestUsd : 0;
  const prices: Prices | undefined = endpoints
    ? endpointPrices(p, model, endpoints, provider)
    : {
        promptPrice: resolved.known ? resolved.promptPrice : 0,
        completionPrice: resolved.known ? resolved.completionPrice : 0,
      };
  if (!prices) return undefined;
  const free = isFreeModel(model, info);
  const priceKnown = free || resolved.known || endpoints !== undefined;
  if (resolved.known && resolved.source === 'routerPool' && !endpoints) {
    p.notes.push(
      `${model} picks a model per request: its worst case is priced as the priciest model it may pick (${resolved.basis}).`,
    );
  } else if (resolved.known && resolved.source === 'base' && !info) {
    p.notes.push(
      `${model} is priced as its base model ${resolved.basis}${resolved.requestUsd ? ` plus ${formatUsd(resolved.requestUsd)} web search` : ''}.`,
    );
  } else if (!info)
    p.warnings.push(`${model} is not in the model catalogue: its capabilities and price are unchecked.`);
  else if (info.isRouter && !endpoints)
    p.warnings.push(`${model} picks a model per request: its price is known only afterwards.`);
  return {
    candidate,
    ...(provider ? { provider } : {}),
    worst: (free ? 0 : worstCaseUsd(request, prices.promptPrice, prices.completionPrice) + requestUsd) + webFee,
    priceKnown,
    free,
    ...(prices.remainingProviders ? { remainingProviders: prices.remainingProviders } : {}),
    placedRule: candidate.rule,
  };
}

/**
 * The providers of a model that may serve this request (each verdict recorded), their highest
 * per-token prices and their likely order; undefined when none is left.
 */
function endpointPrices(
  p: Planning,
  model: string,
  endpoints: readonly EndpointInfo[],
  provider: WireProvider | undefined,
): { promptPrice: number; completionPrice: number; remainingProviders: string[] } | undefined {
  const check = checkEndpoints(model, endpoints, provider, p.request);
  for (const v of check.verdicts) {
    p.decisions.push({
      model,
      provider: v.endpoint.tag,
      verdict: v.rule ? 'excluded' : 'placed',
      rule: v.rule ?? 'provider.remains',
      detail: v.detail,
    });
  }
  if (check.reason) {
    p.decisions.push({ model, verdict: 'excluded', rule: 'providers.none', detail: check.reason });
    p.providerProblems.push(check.reason);
    return undefined;
  }
  // Worst case over every provider that may serve it.
  return {
    promptPrice: Math.max(...check.remaining.map((e) => e.promptPrice)),
    completionPrice: Math.max(...check.remaining.map((e) => e.completionPrice)),
    remainingProviders: predictProviderOrder(
      check.remaining,
      provider,
      p.knowledge.health.unstableProviders ?? [],
      p.random,
    ),
  };
}

/** Cooling models go last (auto mode only; manual has one candidate anyway). */
function coolingLast(p: Planning, kept: readonly Scored[]): Scored[] {
  const cooling = new Set(p.knowledge.health.coolingModels ?? []);
  const ordered = [
    ...kept.filter((s) => !cooling.has(s.candidate.model)),
    ...kept.filter((s) => cooling.has(s.candidate.model)),
  ];
  for (const s of ordered) if (cooling.has(s.candidate.model)) s.placedRule = `${s.placedRule} + health.cooling (last)`;
  return ordered;
}

/** A `placed` decision per candidate kept, with its price, likely providers and any confirmation. */
function recordPlaced(p: Planning, ordered: readonly Scored[]): void {
  for (const s of ordered) {
    const price = s.free ? 'free' : s.priceKnown ? `worst case ${formatUsd(s.worst)}` : 'price unknown';
    const via = s.remainingProviders ? `; providers (likely order): ${s.remainingProviders.join(', ')}` : '';
    p.decisions.push({
      model: s.candidate.model,
      ...(s.candidate.routeProvider ? { provider: s.candidate.routeProvider } : {}),
      verdict: 'placed',
      rule: s.placedRule,
      detail: `${price}${via}${s.confirm ? `; needs confirmation: ${s.confirm}` : ''}`,
    });
  }
}

/**
 * The attempts: first the leading run that can share one request (same provider object, nothing
 * to confirm) as OpenRouter's `models` list, then one attempt per candidate for client-side failover.
 */
function buildAttempts(ordered: readonly Scored[], keyId: string): Attempt[] {
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
    keyId,
    body: { model: s.candidate.model, ...(s.provider ? { provider: s.provider } : {}) },
    worstCaseUsd: s.worst,
    ...(s.confirm ? { needsConfirmation: s.confirm } : {}),
  });
  const shared: Attempt[] =
    group.length > 1
      ? [
          {
            keyId,
            body: {
              model: first.candidate.model,
              models: group.map((s) => s.candidate.model),
              ...(first.provider ? { provider: first.provider } : {}),
            },
            worstCaseUsd: Math.max(...group.map((s) => s.worst)),
          },
        ]
      : [];
  return [...shared, ...ordered.map(single)];
}
