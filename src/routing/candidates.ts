/**
 * The candidate list before any check: which models a request may go to, in which order, and why.
 * Manual mode: exactly one model. Auto: the first models by the precedence below, then
 * `fallbackModels`; dynamic routes expanded; free candidates first with `freeFirst` (an explicit
 * pick stays first).
 *
 * Precedence (issue 11 §6; the README's "Which model answers" table):
 * - a **command**: `preferredModel` (pins every tier), else its tier's models when that tier is
 *   configured, else the status-bar pick, else (Auto by task) the `chat` tier;
 * - a **chat message**: the status-bar pick, else (Auto by task) `preferredModel`, else the
 *   `chat` tier;
 * - under Auto by task with nothing configured: `request.byTaskDefault` (`openrouter/auto`).
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

function expand(
  entry: { model: string; source: CandidateSource; rule: string },
  policy: RoutingPolicy,
  knowledge: Knowledge,
  random: RandomSource,
): Candidate[] {
  const route = findRoute(policy.routes, entry.model);
  if (!route || route.endpoints.length === 0) return [entry];
  let endpoints = [...route.endpoints];
  if (route.strategy === 'loadBalance') {
    const cursor = knowledge.routeCursor?.[route.name];
    const start = cursor !== undefined ? cursor : Math.floor(random() * endpoints.length);
    const k = ((start % endpoints.length) + endpoints.length) % endpoints.length;
    endpoints = [...endpoints.slice(k), ...endpoints.slice(0, k)];
  }
  return endpoints.map((e) => ({
    model: e.model,
    source: entry.source,
    rule: `${entry.rule} → route:${route.name} (${route.strategy})`,
    ...(e.provider ? { routeProvider: e.provider } : {}),
  }));
}

type Head = { model: string; source: CandidateSource; rule: string };

/** The first models of a request in auto mode, by the precedence in the module comment. */
function firstModels(
  policy: RoutingPolicy,
  request: RouteRequest,
  picked: string | undefined,
  preferred: string | undefined,
): Head[] {
  const tier = (name: string): Head[] =>
    (policy.tiers[name] ?? []).map((m) => ({ model: m, source: 'tier' as const, rule: `tier:${name}` }));
  const pick: Head[] = picked ? [{ model: picked, source: 'pick', rule: 'pick' }] : [];
  const pinned: Head[] = preferred ? [{ model: preferred, source: 'preferredModel', rule: 'preferredModel' }] : [];
  const own = tier(request.tier);
  const fallback: Head[] = request.byTaskDefault
    ? [{ model: request.byTaskDefault, source: 'pick', rule: 'autoByTask.default' }]
    : [];
  const chain = request.fromCommand
    ? [pinned, own, pick, tier('chat'), fallback]
    : [pick, pinned, own, tier('chat'), fallback];
  return chain.find((heads) => heads.length > 0) ?? [];
}

/** Lists the candidates for a request, in order, before capability, provider and budget checks. */
export function listCandidates(
  policy: RoutingPolicy,
  request: RouteRequest,
  knowledge: Knowledge,
  random: RandomSource,
): CandidateList {
  const picked = request.pickedModel?.trim();
  const preferred = policy.preferredModel?.trim();
  if (policy.mode === 'manual') return manualCandidates(policy, request, knowledge, random, { picked, preferred });

  const heads = firstModels(policy, request, picked, preferred);
  for (const m of policy.fallbackModels) heads.push({ model: m, source: 'fallbackModels', rule: 'fallbackModels' });

  const seen = new Set<string>();
  const candidates: Candidate[] = [];
  for (const head of heads) {
    for (const c of expand(head, policy, knowledge, random)) {
      const key = `${c.model}@${c.routeProvider ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      candidates.push(c);
    }
  }
  if (candidates.length === 0) {
    return {
      candidates,
      decisions: [],
      refusal: { rule: 'tier.empty', reason: `No model is configured for tier "${request.tier}" and none was picked.` },
    };
  }
  return { candidates: policy.freeFirst ? freeFirst(candidates, picked, knowledge) : candidates, decisions: [] };
}

/** Manual mode: exactly one model (the pick, or the preferred model from a command); every other one is excluded. */
function manualCandidates(
  policy: RoutingPolicy,
  request: RouteRequest,
  knowledge: Knowledge,
  random: RandomSource,
  { picked, preferred }: { picked: string | undefined; preferred: string | undefined },
): CandidateList {
  const decisions: Decision[] = [];
  const model = request.fromCommand ? preferred || picked : picked || preferred;
  if (!model)
    return {
      candidates: [],
      decisions,
      refusal: { rule: 'manual.noModel', reason: 'Manual routing needs a picked or preferred model.' },
    };
  const source: CandidateSource = picked ? 'pick' : 'preferredModel';
  const [first, ...rest] = expand({ model, source, rule: `manual:${source}` }, policy, knowledge, random);
  for (const c of rest)
    decisions.push({
      model: c.model,
      verdict: 'excluded',
      rule: 'manual.noFallback',
      detail: 'manual mode uses exactly one model and never falls back',
    });
  for (const f of policy.fallbackModels) {
    if (f !== first?.model)
      decisions.push({
        model: f,
        verdict: 'excluded',
        rule: 'manual.noFallback',
        detail: 'manual mode never falls back',
      });
  }
  return { candidates: first ? [first] : [], decisions };
}

/** `freeFirst`: free models ahead of paid ones, keeping an explicit pick first. */
function freeFirst(candidates: readonly Candidate[], picked: string | undefined, knowledge: Knowledge): Candidate[] {
  const pinnedFirst = picked && candidates[0]?.source === 'pick' ? [candidates[0]] : [];
  const rest = candidates.slice(pinnedFirst.length);
  const free = rest.filter((c) => isFreeModel(c.model, knowledge.models.get(c.model)));
  const paid = rest.filter((c) => !free.includes(c));
  return [...pinnedFirst, ...free.map((c) => ({ ...c, rule: `${c.rule} + freeFirst` })), ...paid];
}
