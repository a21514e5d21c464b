import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveTier, tierRoute, cheapToolModels, type TierInput } from '../../src/agent/tiers';
import type { ModelInfo } from '../../src/openrouter/catalogue';
import { planRoute } from '../../src/routing/plan';
import { seededRandom } from '../../src/routing/random';
import type { Knowledge, RoutingPolicy } from '../../src/routing/types';

const M = 1e-6;

function model(id: string, o: Partial<ModelInfo> = {}): ModelInfo {
  return {
    id,
    name: id,
    description: '',
    contextLength: 128_000,
    promptPrice: 1 * M,
    completionPrice: 2 * M,
    isFree: false,
    isRouter: false,
    supportsTools: true,
    supportsVision: false,
    supportsReasoning: false,
    supportedParameters: ['tools', 'tool_choice', 'max_tokens'],
    created: 0,
    ...o,
  };
}

const list = [
  model('big/pro', { promptPrice: 3 * M, completionPrice: 15 * M, contextLength: 200_000 }),
  model('mid/chat', { promptPrice: 1 * M, completionPrice: 2 * M }),
  model('cheap/flash', { promptPrice: 0.1 * M, completionPrice: 0.4 * M, contextLength: 1_000_000 }),
  model('cheaper/small-ctx', { promptPrice: 0.05 * M, completionPrice: 0.1 * M, contextLength: 32_000 }),
  model('cheap/notools', { promptPrice: 0.01 * M, completionPrice: 0.01 * M, supportsTools: false }),
  model('nano/96k', { promptPrice: 0.08 * M, completionPrice: 0.3 * M, contextLength: 96_000 }),
  model('free/one:free', { promptPrice: 0, completionPrice: 0, isFree: true }),
  model('openrouter/auto', { promptPrice: -1, completionPrice: -1, isRouter: true }),
];
const catalogue = new Map(list.map((m) => [m.id, m]));

const input = (o: Partial<TierInput>): TierInput => ({
  tier: 'act',
  setting: 'auto',
  pickedModel: 'big/pro',
  catalogue,
  ...o,
});

describe('agent tiers: which model each tier asks for', () => {
  it('plan and act use the pick on auto', () => {
    for (const tier of ['plan', 'act'] as const) {
      const c = resolveTier(input({ tier }));
      assert.deepEqual(c.models, ['big/pro']);
      assert.equal(c.source, 'picked');
      assert.match(c.reason, new RegExp(`^${tier} tier: the picked model`));
    }
  });

  it('explore on auto: cheapest paid tool-capable models with ≥ 64K context, cheapest first', () => {
    const c = resolveTier(input({ tier: 'explore' }));
    assert.equal(c.source, 'catalogue');
    assert.deepEqual(c.models, ['nano/96k', 'cheap/flash', 'mid/chat']);
    assert.equal(c.reason, 'explore tier: cheapest tool-capable model with ≥ 64K context');
  });

  it('compact on auto needs ≥ 128K context', () => {
    const c = resolveTier(input({ tier: 'compact' }));
    assert.deepEqual(c.models, ['cheap/flash', 'mid/chat', 'big/pro']);
    assert.match(c.reason, /≥ 128K context/);
  });

  it('auto never picks a model dearer than the pick', () => {
    for (const pick of ['mid/chat', 'cheap/flash', 'nano/96k']) {
      const c = resolveTier(input({ tier: 'explore', pickedModel: pick }));
      const ceiling = catalogue.get(pick)!;
      for (const id of c.models) {
        const m = catalogue.get(id)!;
        assert.ok(
          m.promptPrice * 8000 + m.completionPrice * 800 <= ceiling.promptPrice * 8000 + ceiling.completionPrice * 800,
        );
      }
    }
    const cheapest = resolveTier(input({ tier: 'explore', pickedModel: 'nano/96k' }));
    assert.equal(cheapest.source, 'picked');
    assert.match(cheapest.reason, /no cheaper tool-capable model/);
  });

  it('a pick whose price is unknown (openrouter/auto, not in the catalogue) does not limit auto', () => {
    for (const pick of ['openrouter/auto', 'unknown/model']) {
      const c = resolveTier(input({ tier: 'explore', pickedModel: pick }));
      assert.equal(c.models[0], 'nano/96k');
    }
  });

  it('"picked" and manual routing use exactly the pick on every tier', () => {
    for (const tier of ['plan', 'act', 'explore', 'compact'] as const) {
      assert.deepEqual(resolveTier(input({ tier, setting: 'picked' })).models, ['big/pro']);
      const manual = resolveTier(input({ tier, setting: 'cheap/flash', manual: true }));
      assert.deepEqual(manual.models, ['big/pro']);
      assert.match(manual.reason, /manual routing/);
    }
  });

  it('a model id is used; one the catalogue knows cannot call tools falls back to the pick, saying so', () => {
    assert.deepEqual(resolveTier(input({ tier: 'explore', setting: 'mid/chat' })).models, ['mid/chat']);
    assert.deepEqual(resolveTier(input({ tier: 'act', setting: 'not/in-catalogue' })).models, ['not/in-catalogue']);
    const c = resolveTier(input({ tier: 'explore', setting: 'cheap/notools' }));
    assert.deepEqual(c.models, ['big/pro']);
    assert.match(c.reason, /cheap\/notools .* cannot call tools/);
  });

  it('blank setting is auto; no candidate in an empty catalogue → the pick', () => {
    assert.equal(resolveTier(input({ tier: 'explore', setting: '  ' })).source, 'catalogue');
    const c = resolveTier(input({ tier: 'explore', catalogue: new Map() }));
    assert.deepEqual(c.models, ['big/pro']);
  });

  it('cheapToolModels leaves out free, router, tool-less and excluded models', () => {
    const ids = cheapToolModels(catalogue, 0, undefined, new Set(['mid/chat'])).map((m) => m.id);
    assert.deepEqual(ids, ['cheaper/small-ctx', 'nano/96k', 'cheap/flash', 'big/pro']);
  });
});

describe('agent tiers go through the router', () => {
  const policy: RoutingPolicy = {
    mode: 'auto',
    tiers: {},
    freeFirst: false,
    fallbackModels: [],
    fallback: { onlyCheaper: false, askBeforeUpgrade: false },
    provider: {},
    capacity: { strategy: 'shared', byokProviders: [] },
    budgets: {},
    onBudget: 'block',
    routes: [],
  };
  const knowledge: Knowledge = {
    models: catalogue,
    endpoints: new Map(),
    health: {},
    spend: { todayUsd: 0, monthUsd: 0 },
    keys: [{ id: 'k', label: 'k' }],
  };
  const base = { promptTokens: 5000, maxOutputTokens: 1000, needsVision: false, needsTools: true };

  it('the router plans the explore tier as its own list, the first model first', () => {
    const { request, adjust } = tierRoute(resolveTier(input({ tier: 'explore' })), base);
    assert.equal(request.tier, 'agent.explore');
    const plan = planRoute(adjust!(policy), request, knowledge, seededRandom(1));
    assert.equal(plan.attempts[0]?.body.model, 'nano/96k');
    assert.deepEqual(plan.attempts[0]?.body.models, ['nano/96k', 'cheap/flash', 'mid/chat']);
  });

  it('the picked model goes as a pick (fallbacks and sticky routing as for chat)', () => {
    const { request, adjust } = tierRoute(resolveTier(input({ tier: 'act' })), base);
    assert.equal(adjust, undefined);
    assert.equal(request.pickedModel, 'big/pro');
    assert.equal(planRoute(policy, request, knowledge, seededRandom(1)).attempts[0]?.body.model, 'big/pro');
  });

  it('routing.preferredModel still pins a tier (the router decides)', () => {
    const { request, adjust } = tierRoute(resolveTier(input({ tier: 'explore' })), base);
    const plan = planRoute(adjust!({ ...policy, preferredModel: 'mid/chat' }), request, knowledge, seededRandom(1));
    assert.equal(plan.attempts[0]?.body.model, 'mid/chat');
  });

  it('the tier list still meets the router’s capability checks: a small context is dropped', () => {
    const { request, adjust } = tierRoute(resolveTier(input({ tier: 'explore' })), { ...base, promptTokens: 95_500 });
    const plan = planRoute(adjust!(policy), request, knowledge, seededRandom(1));
    assert.equal(plan.attempts[0]?.body.model, 'cheap/flash');
  });
});
