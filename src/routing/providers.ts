/**
 * Provider preferences: compiled into OpenRouter's wire `provider` object (so OpenRouter does the
 * server-side part), and checked ahead of time against a model's known endpoints (so the user
 * learns before sending that no provider is left).
 */
import { formatPricePerMillion } from '../openrouter/catalogue';
import { providerOfTag } from '../openrouter/endpoints';
import { formatUsd } from '../protocol/units';
import type { EndpointInfo, Refusal, RoutingPolicy, RouteRequest, WireProvider } from './types';

/** The compiled `provider` object, or why the request must not be sent. */
export interface CompiledProvider {
  /** Absent when nothing needs to be sent. */
  readonly provider?: WireProvider;
  readonly refusal?: Refusal;
  /** Human-readable notes on what was changed and why. */
  readonly notes: readonly string[];
}

const lower = (s: string): string => s.trim().toLowerCase();

function dedupe(list: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const item of list) {
    const key = lower(item);
    if (!key || seen.has(key)) continue;
    seen.add(key);
    out.push(item.trim());
  }
  return out;
}

/**
 * Compiles the user's provider settings, pin and capacity strategy into the wire object.
 *
 * - Every wire field passes through unchanged (`max_price` stays USD per million tokens).
 * - `variant: 'nitro'` → `sort: 'throughput'`, `'floor'` → `sort: 'price'` (as `sort`, never as a
 *   model suffix); an explicit `sort` wins.
 * - `preferredProvider` → put first in `order`; `allow_fallbacks: false` unless the user set it.
 * - `byokFirst` → BYOK slugs first in `order` (after a pinned provider); `allow_fallbacks: true`
 *   unless the user set it (a pin keeps `false`).
 * - `byokOnly` → `only` = the user's `only` ∩ BYOK slugs; refused when the user's `only` is unset or
 *   lists no BYOK slug (seed 000); `allow_fallbacks: false` always.
 */
export function compileProvider(
  policy: Pick<RoutingPolicy, 'provider' | 'preferredProvider' | 'capacity'>,
): CompiledProvider {
  const { variant, ...wire } = policy.provider;
  const notes: string[] = [];
  let out: { -readonly [K in keyof WireProvider]: WireProvider[K] } = { ...wire };

  if (variant) {
    const sort = variant === 'nitro' ? 'throughput' : 'price';
    if (out.sort === undefined) {
      out.sort = sort;
      notes.push(`:${variant} compiled to sort "${sort}".`);
    } else {
      notes.push(`:${variant} ignored: an explicit sort is set.`);
    }
  }

  const userSetFallbacks = policy.provider.allow_fallbacks !== undefined;
  const pinned = policy.preferredProvider?.trim();
  if (pinned) {
    out.order = dedupe([pinned, ...(out.order ?? [])]);
    if (!userSetFallbacks) out.allow_fallbacks = false;
    notes.push(`Pinned provider "${pinned}" goes first${out.allow_fallbacks === false ? ' and alone' : ''}.`);
  }

  const byok = dedupe(policy.capacity.byokProviders);
  if (policy.capacity.strategy === 'byokFirst') {
    out.order = dedupe([...(pinned ? [pinned] : []), ...byok, ...(out.order ?? [])]);
    if (!userSetFallbacks && !pinned) out.allow_fallbacks = true;
    notes.push(`byokFirst: BYOK providers (${byok.join(', ') || 'none'}) first.`);
  } else if (policy.capacity.strategy === 'byokOnly') {
    const only = byokOnly(policy.provider, byok);
    if ('refusal' in only) return { notes, refusal: only.refusal };
    out.only = only.kept;
    if (policy.provider.allow_fallbacks === true) notes.push('byokOnly forces allow_fallbacks false.');
    out.allow_fallbacks = false;
    notes.push(`byokOnly: only ${only.kept.join(', ')}.`);
  }

  out = Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as typeof out;
  return Object.keys(out).length > 0 ? { provider: out, notes } : { notes };
}

/** Capacity "byokOnly": the user's `only` kept to BYOK slugs, or a refusal when that leaves none (or `only` is unset). */
function byokOnly(
  provider: RoutingPolicy['provider'],
  byok: readonly string[],
): { kept: string[] } | { refusal: Refusal } {
  const userOnly = provider.only;
  if (!userOnly || userOnly.length === 0)
    return {
      refusal: {
        rule: 'capacity.byokOnly',
        reason: 'Capacity "byokOnly" needs provider.only to list at least one BYOK provider slug; it is not set.',
      },
    };
  const byokSet = new Set(byok.map(lower));
  const kept = dedupe(userOnly).filter((slug) => byokSet.has(lower(slug)));
  if (kept.length > 0) return { kept };
  return {
    refusal: {
      rule: 'capacity.byokOnly',
      reason: `Capacity "byokOnly": provider.only (${userOnly.join(', ')}) lists no BYOK provider (${byok.join(', ') || 'none registered'}).`,
    },
  };
}

const slugCache = new WeakMap<EndpointInfo, readonly string[]>();

/** The slugs an endpoint answers to: its tag, the tag's base, and its provider name (memoised per endpoint object). */
export function endpointSlugs(endpoint: EndpointInfo): readonly string[] {
  const cached = slugCache.get(endpoint);
  if (cached) return cached;
  const tag = lower(endpoint.tag);
  const base = providerOfTag(tag);
  const name = lower(endpoint.providerName);
  const slugs = [tag, base, name, name.replace(/\s+/g, '-'), name.replace(/\s+/g, '')];
  slugCache.set(endpoint, slugs);
  return slugs;
}

function named(slugs: readonly string[], list: readonly string[]): boolean {
  for (const s of list) if (slugs.includes(s)) return true;
  return false;
}

/** True when `slug` (a base slug matches its variants) names this endpoint. */
export function endpointMatches(endpoint: EndpointInfo, slug: string): boolean {
  return endpointSlugs(endpoint).includes(lower(slug));
}

/** One endpoint's fate under the provider filters. */
export interface EndpointVerdict {
  readonly endpoint: EndpointInfo;
  /** Undefined when it remains; else the rule that dropped it. */
  readonly rule?: string;
  readonly detail: string;
}

/** The providers that remain for one model, with a refusal reason when none does. */
export interface EndpointCheck {
  readonly remaining: readonly EndpointInfo[];
  readonly verdicts: readonly EndpointVerdict[];
  /** Set when no endpoint remains. */
  readonly reason?: string;
}

/**
 * Which of a model's endpoints survive the compiled provider object and the request's needs:
 * only / ignore / order+allow_fallbacks:false / quantizations / tools / require_parameters /
 * max_price (per million) / data_collection / zdr (unknown passes) / context length / max output.
 */
export function checkEndpoints(
  model: string,
  endpoints: readonly EndpointInfo[],
  provider: WireProvider | undefined,
  request: RouteRequest,
): EndpointCheck {
  const p = provider ?? {};
  const needed = new Set<string>(request.parameters ?? []);
  if (request.needsTools) needed.add('tools');
  const only = p.only?.map(lower);
  const ignore = p.ignore?.map(lower);
  const order = p.order?.map(lower);
  const quantizations = p.quantizations?.map(lower);
  const filters: Filters = { p, request, needed, only, ignore, order, quantizations };
  const verdicts: EndpointVerdict[] = endpoints.map((endpoint) => verdictFor(endpoint, filters));
  const remaining = verdicts.filter((v) => v.rule === undefined).map((v) => v.endpoint);
  if (remaining.length > 0 || endpoints.length === 0) {
    return endpoints.length === 0
      ? { remaining, verdicts, reason: `${model} has no provider endpoints` }
      : { remaining, verdicts };
  }
  return { remaining, verdicts, reason: summarise(model, verdicts, request) };
}

function fail(endpoint: EndpointInfo, rule: string, detail: string): EndpointVerdict {
  return { endpoint, rule, detail };
}

/** The provider object and request needs, with the slug lists lower-cased once. */
interface Filters {
  readonly p: WireProvider;
  readonly request: RouteRequest;
  readonly needed: ReadonlySet<string>;
  readonly only?: readonly string[];
  readonly ignore?: readonly string[];
  readonly order?: readonly string[];
  readonly quantizations?: readonly string[];
}

function verdictFor(
  endpoint: EndpointInfo,
  { p, request, needed, only, ignore, order, quantizations }: Filters,
): EndpointVerdict {
  const slugs = endpointSlugs(endpoint);
  if (only && only.length > 0 && !named(slugs, only))
    return fail(endpoint, 'provider.only', `not in only (${p.only?.join(', ')})`);
  if (ignore && named(slugs, ignore)) return fail(endpoint, 'provider.ignore', 'ignored');
  if (p.allow_fallbacks === false && order && order.length > 0 && !named(slugs, order)) {
    return fail(endpoint, 'provider.order', `not in order (${p.order?.join(', ')}) and allow_fallbacks is false`);
  }
  if (quantizations && quantizations.length > 0) {
    const q = endpoint.quantization ?? 'unknown';
    if (!quantizations.includes(lower(q)))
      return fail(endpoint, 'provider.quantizations', `quantization ${q} not in ${p.quantizations?.join(', ')}`);
  }
  if (request.needsTools && !endpoint.supportedParameters.includes('tools')) {
    return fail(
      endpoint,
      p.require_parameters ? 'provider.require_parameters' : 'capability.tools',
      'does not support tool use',
    );
  }
  if (p.require_parameters) {
    const missing = [...needed].filter((x) => !endpoint.supportedParameters.includes(x));
    if (missing.length > 0)
      return fail(endpoint, 'provider.require_parameters', `missing parameters: ${missing.join(', ')}`);
  }
  if (p.max_price) {
    const mp = p.max_price;
    const over: string[] = [];
    if (mp.prompt !== undefined && endpoint.promptPrice * 1e6 > mp.prompt)
      over.push(`prompt ${formatPricePerMillion(endpoint.promptPrice)}/M > ${formatUsd(mp.prompt)}/M`);
    if (mp.completion !== undefined && endpoint.completionPrice * 1e6 > mp.completion)
      over.push(`completion ${formatPricePerMillion(endpoint.completionPrice)}/M > ${formatUsd(mp.completion)}/M`);
    if (mp.request !== undefined && (endpoint.requestPrice ?? 0) > mp.request)
      over.push(`request price over ${mp.request}`);
    if (mp.image !== undefined && (endpoint.imagePrice ?? 0) > mp.image) over.push(`image price over ${mp.image}`);
    if (over.length > 0) return fail(endpoint, 'provider.max_price', over.join('; '));
  }
  if (p.data_collection === 'deny' && endpoint.dataCollection === 'allow')
    return fail(endpoint, 'provider.data_collection', 'may store or train on prompts');
  if (p.zdr === true && endpoint.zdr === false) return fail(endpoint, 'provider.zdr', 'no zero data retention');
  if (request.promptTokens + request.maxOutputTokens > endpoint.contextLength) {
    return fail(
      endpoint,
      'capability.context',
      `${request.promptTokens} + ${request.maxOutputTokens} tokens exceed its context of ${endpoint.contextLength}`,
    );
  }
  if (endpoint.maxCompletionTokens !== undefined && request.maxOutputTokens > endpoint.maxCompletionTokens) {
    return fail(endpoint, 'capability.maxOutput', `returns at most ${endpoint.maxCompletionTokens} tokens`);
  }
  return { endpoint, detail: 'remains' };
}

/** "require_parameters + ignore leave no tool-capable provider for X". */
function summarise(model: string, verdicts: readonly EndpointVerdict[], request: RouteRequest): string {
  const rules = [...new Set(verdicts.map((v) => (v.rule ?? '').replace(/^(provider|capability)\./, '')))].filter(
    Boolean,
  );
  const what = request.needsTools ? 'tool-capable provider' : 'provider';
  return `${rules.join(' + ')} leave no ${what} for ${model}`;
}
