/**
 * Per-token prices for the worst case when the model's own catalogue entry has none: an unknown
 * price is never taken as zero (issue 15, "Budgets hold when the price is unknown").
 *
 * 1. the model's own entry (not a router);
 * 2. a variant suffix (`:nitro`, `:floor`, `:online`, `:thinking`, `:extended`, `:beta`) → its base
 *    model's prices (OpenRouter: the variants are the base model with another provider sort, web
 *    search or reasoning on; `:online` adds a per-request search fee, `ONLINE_SEARCH_USD`);
 * 3. a router (`openrouter/auto`, or any catalogue entry priced `-1`) → the priciest model it may
 *    pick. OpenRouter's auto router may pick "every model ranked for the classified task type"
 *    (openapi: AutoRouterPlugin.allowed_models), so the pool is every priced, non-router model of
 *    the catalogue that fits the request;
 * 4. otherwise unknown: the planner asks before sending when a budget is set.
 */
import type { ModelInfo } from '../openrouter/catalogue';

/** Variant suffixes that keep the base model's per-token prices. */
const VARIANT = /:(nitro|floor|online|thinking|extended|beta)$/;

/**
 * Web search fee of an `:online` request in USD: OpenRouter's web plugin charges $4 per 1000
 * results and returns 5 by default (openrouter.ai/docs, Web Search).
 */
export const ONLINE_SEARCH_USD = 0.02;

export type ResolvedPrice =
  | {
      readonly known: true;
      readonly promptPrice: number;
      readonly completionPrice: number;
      readonly requestUsd: number;
      readonly source: 'own' | 'base' | 'routerPool';
      readonly basis?: string;
    }
  | { readonly known: false };

/** Models that fit the request, priciest first by completion price (cached per catalogue map). */
const poolCache = new WeakMap<ReadonlyMap<string, ModelInfo>, ModelInfo[]>();

function pool(models: ReadonlyMap<string, ModelInfo>): ModelInfo[] {
  let list = poolCache.get(models);
  if (!list) {
    list = [...models.values()]
      .filter((m) => !m.isRouter && !m.isFree)
      .sort((a, b) => b.completionPrice - a.completionPrice || b.promptPrice - a.promptPrice);
    poolCache.set(models, list);
  }
  return list;
}

/** Is `model` a router (it picks the model per request)? */
export function isRouterModel(model: string, info: ModelInfo | undefined): boolean {
  return info ? info.isRouter : model === 'openrouter/auto' || model.startsWith('openrouter/auto:');
}

/**
 * Prices for the worst case of `model` (per token, USD) and a fixed per-request fee. `tokens` is
 * the request's prompt + output tokens: a router can only pick models whose context fits them.
 */
export function resolvePrice(model: string, models: ReadonlyMap<string, ModelInfo>, tokens: number): ResolvedPrice {
  const info = models.get(model);
  if (info && !info.isRouter)
    return {
      known: true,
      promptPrice: info.promptPrice,
      completionPrice: info.completionPrice,
      requestUsd: 0,
      source: 'own',
    };
  const base = model.replace(VARIANT, '');
  if (base !== model) {
    const inner = resolvePrice(base, models, tokens);
    if (!inner.known) return inner;
    const requestUsd = inner.requestUsd + (model.endsWith(':online') ? ONLINE_SEARCH_USD : 0);
    return { ...inner, requestUsd, source: inner.source === 'own' ? 'base' : inner.source, basis: inner.basis ?? base };
  }
  if (isRouterModel(model, info)) {
    const fits = pool(models).filter((m) => m.contextLength >= tokens);
    if (!fits.length) return { known: false };
    const promptPrice = Math.max(...fits.map((m) => m.promptPrice));
    const completionPrice = Math.max(...fits.map((m) => m.completionPrice));
    return { known: true, promptPrice, completionPrice, requestUsd: 0, source: 'routerPool', basis: fits[0]?.id ?? '' };
  }
  return { known: false };
}
