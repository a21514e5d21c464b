/**
 * The candidate list before any check: which models a request may go to, in which order, and why.
 * Manual mode: exactly the picked (or preferred) model. Auto: the pick (or preferred model, or the
 * tier's list), then `fallbackModels`; dynamic routes expanded; free candidates first with
 * `freeFirst` (an explicit pick stays first).
 */
import { isFreeModel } from '../openrouter/catalogue';
import type { Decision, DynamicRoute, Knowledge, RandomSource, Refusal, RouteRequest, RoutingPolicy } from './types';

/** Where a candidate came from. */
export type CandidateSource = 'pick' | 'preferredModel' | 'tier' | 'fallbackModels' | 'freeVariant';

/** One model the request may go to. */
export interface Candidate {
  readonly model: string;
  readonly source: CandidateSource;
  /** The rule that placed it, e.g. `tier:chat`, `route:fast`. */
  readonly rule: string;
  /** A provider slug pinned by a dynamic route endpoint. */
  readonly routeProvider?: string;
}

/** The ordered candidates, with decisions for those dropped while listing. */
export interface CandidateList {
  readonly candidates: readonly Candidate[];
  readonly decisions: readonly Decision[];
  readonly refusal?: Refusal;
}

/** The first route with this name (run-time routes come first in the policy, so they shadow config ones). */
export function findRoute(routes: readonly DynamicRoute[], name: string): DynamicRoute | undefined {
  return routes.find((r) => r.name === name);
}

function expand(entry: { model: string; source: CandidateSource; rule: string }, policy: RoutingPolicy, knowledge: Knowledge, random: RandomSource): Candidate[] {
  const route = findRoute(policy.routes, entry.model);
  if (!route || route.endpoints.length === 0) return [entry];
  let endpoints = [...route.endpoints];
  if (route.strategy === 'loadBalance') {
    const cursor = knowledge.routeCursor?.[route.name];
    const start = cursor !== undefined ? cursor : Math.floor(random() * endpoints.length);
    const k = ((start % endpoints.length) + endpoints.length) % endpoints.length;
    endpoints = [...endpoints.slice(k), ...endpoints.slice(0, k)];
  }
  return endpoints.map((e) => ({ model: e.model, source: entry.source, rule: `${entry.rule} → route:${route.name} (${route.strategy})`, ...(e.provider ? { routeProvider: e.provider } : {}) }));
}

/** Lists the candidates for a request, in order, before capability, provider and budget checks. */
export function listCandidates(policy: RoutingPolicy, request: RouteRequest, knowledge: Knowledge, random: RandomSource): CandidateList {
  const decisions: Decision[] = [];
  const picked = request.pickedModel?.trim();
  const preferred = policy.preferredModel?.trim();

  if (policy.mode === 'manual') {
    const model = picked || preferred;
    if (!model) return { candidates: [], decisions, refusal: { rule: 'manual.noModel', reason: 'Manual routing needs a picked or preferred model.' } };
    const source: CandidateSource = picked ? 'pick' : 'preferredModel';
    const [first, ...rest] = expand({ model, source, rule: `manual:${source}` }, policy, knowledge, random);
    for (const c of rest) decisions.push({ model: c.model, verdict: 'excluded', rule: 'manual.noFallback', detail: 'manual mode uses exactly one model and never falls back' });
    for (const f of policy.fallbackModels) {
      if (f !== first?.model) decisions.push({ model: f, verdict: 'excluded', rule: 'manual.noFallback', detail: 'manual mode never falls back' });
    }
    return { candidates: first ? [first] : [], decisions };
  }

  const heads: { model: string; source: CandidateSource; rule: string }[] = [];
  if (picked) heads.push({ model: picked, source: 'pick', rule: 'pick' });
  else if (preferred) heads.push({ model: preferred, source: 'preferredModel', rule: 'preferredModel' });
  else for (const m of policy.tiers[request.tier] ?? []) heads.push({ model: m, source: 'tier', rule: `tier:${request.tier}` });
  for (const m of policy.fallbackModels) heads.push({ model: m, source: 'fallbackModels', rule: 'fallbackModels' });

  const seen = new Set<string>();
  let candidates: Candidate[] = [];
  for (const head of heads) {
    for (const c of expand(head, policy, knowledge, random)) {
      const key = `${c.model}@${c.routeProvider ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      candidates.push(c);
    }
  }
  if (candidates.length === 0) {
    return { candidates, decisions, refusal: { rule: 'tier.empty', reason: `No model is configured for tier "${request.tier}" and none was picked.` } };
  }

  if (policy.freeFirst) {
    const pinnedFirst = picked && candidates[0]?.source === 'pick' ? [candidates[0]] : [];
    const rest = candidates.slice(pinnedFirst.length);
    const free = rest.filter((c) => isFreeModel(c.model, knowledge.models.get(c.model)));
    const paid = rest.filter((c) => !free.includes(c));
    candidates = [...pinnedFirst, ...free.map((c) => ({ ...c, rule: `${c.rule} + freeFirst` })), ...paid];
  }
  return { candidates, decisions };
}
