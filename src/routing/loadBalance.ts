/**
 * OpenRouter's default provider order (routing.md §2), reproduced so a plan can say which provider
 * will most likely serve first: providers without recent outages first; the first of them drawn
 * among the stable ones with probability ∝ 1/price²; the other stable ones by price; unstable last.
 */
import { providerOfTag } from '../openrouter/endpoints';
import type { EndpointInfo, RandomSource } from './types';

/** One provider as the load balancer sees it. */
export interface BalancedProvider {
  readonly provider: string;
  /** A price to compare by (USD per token or per million: only ratios matter). */
  readonly price: number;
  /** A significant outage in the last 30 s. */
  readonly unstable: boolean;
}

/** The weight of a stable provider in the first draw: 1/price² (zero-priced ones win outright). */
export function loadBalanceWeight(price: number): number {
  return price > 0 ? 1 / (price * price) : Number.POSITIVE_INFINITY;
}

const byPrice = (a: BalancedProvider, b: BalancedProvider): number =>
  a.price - b.price || (a.provider < b.provider ? -1 : a.provider > b.provider ? 1 : 0);

/**
 * Orders providers as OpenRouter's default load balancing would, drawing the first stable provider
 * with `random`. Deterministic for a given random source. Example: A $1, B $2 (unstable), C $3 →
 * A first 90 % of the time (9× C), then the other stable one, B last.
 */
export function defaultProviderOrder(providers: readonly BalancedProvider[], random: RandomSource): string[] {
  const stable = providers.filter((p) => !p.unstable).sort(byPrice);
  const unstable = providers.filter((p) => p.unstable).sort(byPrice);
  if (stable.length === 0) return unstable.map((p) => p.provider);

  const free = stable.filter((p) => !(p.price > 0));
  const pool = free.length > 0 ? free : stable;
  const weights = pool.map((p) => (free.length > 0 ? 1 : loadBalanceWeight(p.price)));
  const total = weights.reduce((a, b) => a + b, 0);
  let r = random() * total;
  let index = pool.length - 1;
  for (let i = 0; i < pool.length; i++) {
    r -= weights[i] ?? 0;
    if (r < 0) {
      index = i;
      break;
    }
  }
  const first = pool[index];
  const rest = stable.filter((p) => p !== first);
  return [...(first ? [first.provider] : []), ...rest.map((p) => p.provider), ...unstable.map((p) => p.provider)];
}

/** Builds load-balancer inputs from endpoints: price = prompt + completion per token; base tag slug. */
export function balancedFromEndpoints(
  endpoints: readonly EndpointInfo[],
  unstableProviders: readonly string[] = [],
): BalancedProvider[] {
  const unstable = new Set(unstableProviders.map((s) => s.toLowerCase()));
  return endpoints.map((e) => {
    const slug = providerOfTag(e.tag).toLowerCase();
    return { provider: slug, price: e.promptPrice + e.completionPrice, unstable: unstable.has(slug) };
  });
}
