import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkEndpoints, compileProvider, endpointMatches } from '../../src/routing/providers';
import type { EndpointInfo, RouteRequest, RoutingPolicy, WireProvider } from '../../src/routing/types';

type Input = Pick<RoutingPolicy, 'provider' | 'preferredProvider' | 'capacity'>;
const shared = { strategy: 'shared' as const, byokProviders: [] };

describe('compileProvider', () => {
  const everyField: WireProvider = {
    order: ['openai', 'azure'],
    allow_fallbacks: true,
    require_parameters: true,
    data_collection: 'deny',
    zdr: true,
    only: ['openai', 'azure', 'together'],
    ignore: ['deepinfra'],
    quantizations: ['fp8', 'bf16'],
    sort: { by: 'throughput', partition: 'none' },
    max_price: { prompt: 1, completion: 2, request: 0.01, image: 0.02 },
    preferred_min_throughput: { p50: 50, p90: 20 },
    preferred_max_latency: 2,
  };
  const cases: { name: string; input: Input; provider?: WireProvider; refusal?: RegExp }[] = [
    { name: 'nothing set → no provider object', input: { provider: {}, capacity: shared } },
    {
      name: 'every wire field passes through unchanged (max_price per million)',
      input: { provider: everyField, capacity: shared },
      provider: everyField,
    },
    {
      name: ':nitro → sort throughput',
      input: { provider: { variant: 'nitro' }, capacity: shared },
      provider: { sort: 'throughput' },
    },
    {
      name: ':floor → sort price',
      input: { provider: { variant: 'floor' }, capacity: shared },
      provider: { sort: 'price' },
    },
    {
      name: 'an explicit sort wins over the variant',
      input: { provider: { variant: 'floor', sort: 'latency' }, capacity: shared },
      provider: { sort: 'latency' },
    },
    {
      name: 'preferredProvider → order first, allow_fallbacks false',
      input: { provider: { order: ['b', 'a'] }, preferredProvider: 'a', capacity: shared },
      provider: { order: ['a', 'b'], allow_fallbacks: false },
    },
    {
      name: 'preferredProvider keeps a user-set allow_fallbacks',
      input: { provider: { allow_fallbacks: true }, preferredProvider: 'a', capacity: shared },
      provider: { order: ['a'], allow_fallbacks: true },
    },
    {
      name: 'byokFirst → BYOK first, allow_fallbacks true',
      input: {
        provider: { order: ['x'] },
        capacity: { strategy: 'byokFirst', byokProviders: ['anthropic', 'openai'] },
      },
      provider: { order: ['anthropic', 'openai', 'x'], allow_fallbacks: true },
    },
    {
      name: 'byokFirst keeps a user override of allow_fallbacks',
      input: {
        provider: { allow_fallbacks: false },
        capacity: { strategy: 'byokFirst', byokProviders: ['anthropic'] },
      },
      provider: { order: ['anthropic'], allow_fallbacks: false },
    },
    {
      name: 'byokFirst with a pinned provider: pin first, still alone',
      input: {
        provider: {},
        preferredProvider: 'azure',
        capacity: { strategy: 'byokFirst', byokProviders: ['anthropic'] },
      },
      provider: { order: ['azure', 'anthropic'], allow_fallbacks: false },
    },
    {
      name: 'byokOnly → only = user only ∩ BYOK, allow_fallbacks false',
      input: {
        provider: { only: ['openai', 'anthropic', 'together'], allow_fallbacks: true },
        capacity: { strategy: 'byokOnly', byokProviders: ['Anthropic', 'openai', 'azure'] },
      },
      provider: { only: ['openai', 'anthropic'], allow_fallbacks: false },
    },
    {
      name: 'byokOnly without provider.only fails before sending',
      input: { provider: {}, capacity: { strategy: 'byokOnly', byokProviders: ['anthropic'] } },
      refusal: /provider\.only.*not set/,
    },
    {
      name: 'byokOnly when only lists no BYOK provider fails before sending',
      input: { provider: { only: ['openai'] }, capacity: { strategy: 'byokOnly', byokProviders: ['anthropic'] } },
      refusal: /lists no BYOK provider \(anthropic\)/,
    },
    {
      name: 'byokOnly with no BYOK provider registered fails before sending',
      input: { provider: { only: ['openai'] }, capacity: { strategy: 'byokOnly', byokProviders: [] } },
      refusal: /none registered/,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const out = compileProvider(c.input);
      assert.deepEqual(out.provider, c.provider);
      if (c.refusal) {
        assert.equal(out.refusal?.rule, 'capacity.byokOnly');
        assert.match(out.refusal?.reason ?? '', c.refusal);
      } else {
        assert.equal(out.refusal, undefined);
      }
    });
  }
});

describe('checkEndpoints', () => {
  const M = 1e-6;
  const ep = (tag: string, o: Partial<EndpointInfo> = {}): EndpointInfo => ({
    tag,
    providerName: tag.split('/')[0] ?? tag,
    supportedParameters: ['tools', 'max_tokens', 'temperature'],
    promptPrice: 1 * M,
    completionPrice: 2 * M,
    contextLength: 100_000,
    ...o,
  });
  const endpoints: EndpointInfo[] = [
    ep('openai', { dataCollection: 'deny', zdr: true, quantization: 'fp16' }),
    ep('deepinfra/fp8', { quantization: 'fp8', promptPrice: 0.5 * M, completionPrice: 0.5 * M }),
    ep('together', { supportedParameters: ['max_tokens'], quantization: 'fp16', dataCollection: 'allow', zdr: false }),
    ep('fireworks', { contextLength: 8000, maxCompletionTokens: 1000, promptPrice: 5 * M }),
  ];
  const req = (o: Partial<RouteRequest> = {}): RouteRequest => ({
    tier: 'chat',
    promptTokens: 1000,
    maxOutputTokens: 500,
    needsVision: false,
    needsTools: false,
    ...o,
  });
  const cases: {
    name: string;
    provider?: WireProvider;
    r?: Partial<RouteRequest>;
    remaining: string[];
    reason?: string;
  }[] = [
    { name: 'no preferences: everything remains', remaining: ['openai', 'deepinfra/fp8', 'together', 'fireworks'] },
    {
      name: 'only (a base slug matches its variants)',
      provider: { only: ['deepinfra', 'openai'] },
      remaining: ['openai', 'deepinfra/fp8'],
    },
    { name: 'ignore', provider: { ignore: ['together', 'fireworks'] }, remaining: ['openai', 'deepinfra/fp8'] },
    {
      name: 'order + allow_fallbacks false',
      provider: { order: ['together'], allow_fallbacks: false },
      remaining: ['together'],
    },
    {
      name: 'order with fallbacks allowed reorders only',
      provider: { order: ['together'] },
      remaining: ['openai', 'deepinfra/fp8', 'together', 'fireworks'],
    },
    {
      name: 'quantizations (unknown counts as "unknown")',
      provider: { quantizations: ['fp8', 'unknown'] },
      remaining: ['deepinfra/fp8', 'fireworks'],
    },
    {
      name: 'tools: only tool-capable providers',
      r: { needsTools: true },
      remaining: ['openai', 'deepinfra/fp8', 'fireworks'],
    },
    {
      name: 'require_parameters checks the parameters sent',
      provider: { require_parameters: true },
      r: { parameters: ['temperature'] },
      remaining: ['openai', 'deepinfra/fp8', 'fireworks'],
    },
    {
      name: 'max_price is per million tokens',
      provider: { max_price: { prompt: 1, completion: 1 } },
      remaining: ['deepinfra/fp8'],
    },
    {
      name: 'data_collection deny: unknown passes',
      provider: { data_collection: 'deny' },
      remaining: ['openai', 'deepinfra/fp8', 'fireworks'],
    },
    { name: 'zdr: unknown passes', provider: { zdr: true }, remaining: ['openai', 'deepinfra/fp8', 'fireworks'] },
    {
      name: 'context and max output',
      r: { promptTokens: 7000, maxOutputTokens: 2000 },
      remaining: ['openai', 'deepinfra/fp8', 'together'],
    },
    {
      name: 'require_parameters + ignore leave no tool-capable provider',
      provider: { require_parameters: true, ignore: ['openai', 'deepinfra', 'fireworks'] },
      r: { needsTools: true },
      remaining: [],
      reason: 'ignore + require_parameters leave no tool-capable provider for x/m',
    },
    {
      name: 'only + max_price leave no provider',
      provider: { only: ['fireworks'], max_price: { prompt: 1 } },
      remaining: [],
      reason: 'only + max_price leave no provider for x/m',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const out = checkEndpoints('x/m', endpoints, c.provider, req(c.r));
      assert.deepEqual(
        out.remaining.map((e) => e.tag),
        c.remaining,
      );
      assert.equal(out.reason, c.reason);
      for (const v of out.verdicts) if (v.rule) assert.ok(v.detail.length > 0);
    });
  }

  it('a model with no endpoints at all is refused', () => {
    assert.match(checkEndpoints('x/m', [], undefined, req()).reason ?? '', /no provider endpoints/);
  });

  it('endpointMatches: tag, base slug and provider name', () => {
    const e = ep('google-vertex/global', { providerName: 'Google Vertex' });
    for (const s of ['google-vertex', 'google-vertex/global', 'Google Vertex', 'GOOGLE-VERTEX'])
      assert.ok(endpointMatches(e, s), s);
    assert.ok(!endpointMatches(e, 'google'));
  });
});
