/**
 * Sticky routing (OpenRouter's term; routing.md §3 calls it cache affinity): consecutive turns of one conversation stay on the provider that
 * served the last one — `provider.order` puts it first, `session_id` (sent by the chat) groups the
 * turns — so the provider's prompt cache stays warm. The caller releases the pin after any
 * upstream error. The user's explicit provider choices always win over the pin.
 */
import { providerOfTag } from '../openrouter/endpoints';
import type { Attempt, Decision, EndpointInfo, WireProvider } from './types';

/** The provider that served the last turn of a conversation, for a model. */
export interface Affinity {
  readonly model: string;
  /** The provider as the response named it ("DeepInfra"); its slug is resolved with the endpoint list. */
  readonly provider: string;
}

/**
 * The slug of a provider from the name a response carries ("DeepInfra", "Google Vertex"): the
 * endpoint list's `tag` when known, else the name lower-cased with dashes.
 */
export function providerSlug(name: string, endpoints?: readonly EndpointInfo[]): string {
  const endpoint = endpoints?.find((e) => e.providerName === name);
  if (endpoint) return providerOfTag(endpoint.tag);
  return name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** Why the pin cannot apply to this provider object, or undefined when it can. */
export function affinityConflict(
  provider: WireProvider | undefined,
  slug: string,
  servable?: readonly string[],
): string | undefined {
  if (provider?.allow_fallbacks === false) return 'allow_fallbacks is off, so pinning would leave that provider alone';
  if (provider?.order?.length) return 'your provider.order decides the order';
  if (provider?.sort) return 'your provider.sort decides the order';
  if (provider?.only?.length && !provider.only.some((s) => providerOfTag(s) === slug))
    return `provider.only leaves out ${slug}`;
  if (provider?.ignore?.some((s) => providerOfTag(s) === slug)) return `provider.ignore lists ${slug}`;
  if (servable && !servable.some((s) => providerOfTag(s) === slug)) return `${slug} no longer serves this request`;
  return undefined;
}

/**
 * Pins the attempts of the affinity's model to its provider (first in `order`, other providers
 * still allowed), and records the decision. Attempts of other models are left alone.
 */
export function applyAffinity(
  attempts: readonly Attempt[],
  named: Affinity | undefined,
  servable: ReadonlyMap<string, readonly string[]>,
  decisions: Decision[],
  endpoints?: ReadonlyMap<string, readonly EndpointInfo[]>,
): Attempt[] {
  if (!named) return [...attempts];
  const affinity = { model: named.model, provider: providerSlug(named.provider, endpoints?.get(named.model)) };
  let applied = false;
  const out = attempts.map((a) => {
    if (a.body.model !== affinity.model) return a;
    const conflict = affinityConflict(a.body.provider, affinity.provider, servable.get(a.body.model));
    if (conflict) {
      if (!applied)
        decisions.push({
          model: a.body.model,
          verdict: 'placed',
          rule: 'affinity.skipped',
          detail: `not pinned to ${affinity.provider}, the last turn's provider: ${conflict}`,
        });
      applied = true;
      return a;
    }
    if (!applied)
      decisions.push({
        model: a.body.model,
        provider: affinity.provider,
        verdict: 'placed',
        rule: 'affinity.cache',
        detail: `sticky routing: the last turn was served by ${affinity.provider}: asked first (order) so its prompt cache stays warm; others remain allowed`,
      });
    applied = true;
    return { ...a, body: { ...a.body, provider: { ...(a.body.provider ?? {}), order: [affinity.provider] } } };
  });
  return out;
}
