/**
 * Issue 15, kind 4: budgets hold when the price is unknown. Through the planner: the default
 * `openrouter/auto`, variants (`:floor`, `:nitro`, `:online`), a model missing from the catalogue,
 * each against a per-request budget with every `onBudget`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ModelInfo } from '../../src/openrouter/catalogue';
import { planRoute } from '../../src/routing/plan';
import { seededRandom } from '../../src/routing/random';
import type { Knowledge, Plan, RoutingPolicy } from '../../src/routing/types';
import { ONLINE_SEARCH_USD, resolvePrice } from '../../src/routing/unknownPrice';

const M = 1e-6;
const model = (id: string, o: Partial<ModelInfo> = {}): ModelInfo => ({
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
  supportedParameters: ['tools', 'max_tokens'],
  created: 0,
  ...o,
});
const catalogue = new Map(
  [
    model('openrouter/auto', { isRouter: true, promptPrice: 0, completionPrice: 0, contextLength: 2_000_000 }),
    model('cheap/small', { promptPrice: 0.1 * M, completionPrice: 0.2 * M }),
    model('big/pro', { promptPrice: 150 * M, completionPrice: 600 * M, contextLength: 200_000 }),
    model('huge/ctx-only', { promptPrice: 300 * M, completionPrice: 900 * M, contextLength: 2_000 }),
    model('open/x:free', { promptPrice: 0, completionPrice: 0, isFree: true }),
  ].map((m) => [m.id, m]),
);
const knowledge = (models: ReadonlyMap<string, ModelInfo> = catalogue): Knowledge => ({
  models,
  endpoints: new Map(),
  health: {},
  spend: { todayUsd: 0, monthUsd: 0 },
  keys: [{ id: 'k', label: 'main' }],
});
const policy = (o: Partial<RoutingPolicy>): RoutingPolicy => ({
  mode: 'auto',
  tiers: {},
  freeFirst: false,
  fallbackModels: [],
  fallback: { onlyCheaper: false, askBeforeUpgrade: true },
  provider: {},
  capacity: { strategy: 'shared', byokProviders: [] },
  budgets: { perRequestUsd: 0.05 },
  onBudget: 'block',
  routes: [],
  ...o,
});
const plan = (picked: string, o: Partial<RoutingPolicy> = {}, k: Knowledge = knowledge()): Plan =>
  planRoute(
    policy(o),
    {
      tier: 'chat',
      pickedModel: picked,
      promptTokens: 2000,
      maxOutputTokens: 4096,
      needsVision: false,
      needsTools: false,
    },
    k,
    seededRandom(1),
  );

describe('resolvePrice', () => {
  it("a model's own entry", () => {
    assert.deepEqual(resolvePrice('cheap/small', catalogue, 1000), {
      known: true,
      promptPrice: 0.1 * M,
      completionPrice: 0.2 * M,
      requestUsd: 0,
      source: 'own',
    });
  });
  for (const suffix of ['floor', 'nitro', 'thinking', 'online']) {
    it(`:${suffix} resolves to its base model's prices`, () => {
      const r = resolvePrice(`big/pro:${suffix}`, catalogue, 1000);
      assert.equal(r.known, true);
      if (!r.known) return;
      assert.equal(r.promptPrice, 150 * M);
      assert.equal(r.completionPrice, 600 * M);
      assert.equal(r.requestUsd, suffix === 'online' ? ONLINE_SEARCH_USD : 0);
    });
  }
  it('a router is priced as the priciest model it may pick that fits the request', () => {
    const r = resolvePrice('openrouter/auto', catalogue, 6096);
    assert.equal(r.known, true);
    if (r.known) {
      assert.equal(r.completionPrice, 600 * M, 'huge/ctx-only does not fit 6096 tokens');
      assert.equal(r.basis, 'big/pro');
    }
    assert.equal(resolvePrice('openrouter/auto:nitro', catalogue, 6096).known, true, 'a variant of the router too');
  });
  it('without a catalogue, a router or an unknown model stays unknown (never zero)', () => {
    assert.deepEqual(resolvePrice('openrouter/auto', new Map(), 100), { known: false });
    assert.deepEqual(resolvePrice('who/knows', catalogue, 100), { known: false });
    assert.deepEqual(resolvePrice('who/knows:floor', catalogue, 100), { known: false });
  });
});

describe('budgets with an unknown price (through the planner)', () => {
  it('openrouter/auto with onBudget block: blocked by the priciest pick, not let through at $0', () => {
    const pl = plan('openrouter/auto');
    assert.ok(pl.refusal, 'refused');
    assert.equal(pl.refusal?.rule, 'budget.block');
    assert.match(pl.refusal?.reason ?? '', /exceeds the per-request budget of \$0\.05\b/);
  });
  it('openrouter/auto under a budget large enough for the priciest pick goes, priced', () => {
    const pl = plan('openrouter/auto', { budgets: { perRequestUsd: 10 } });
    assert.equal(pl.refusal, undefined);
    assert.ok((pl.attempts[0]?.worstCaseUsd ?? 0) > 2, `worst case ${pl.attempts[0]?.worstCaseUsd}`);
    assert.ok(
      pl.notes.some((n) => /priciest model it may pick \(big\/pro\)/.test(n)),
      pl.notes.join('\n'),
    );
  });
  for (const suffix of ['floor', 'nitro', 'online']) {
    it(`big/pro:${suffix} (not in the catalogue) is blocked like big/pro`, () => {
      const pl = plan(`big/pro:${suffix}`);
      assert.equal(pl.refusal?.rule, 'budget.block');
    });
    it(`cheap/small:${suffix} passes the same budget`, () => {
      const pl = plan(`cheap/small:${suffix}`);
      assert.equal(pl.refusal, undefined);
      assert.ok((pl.attempts[0]?.worstCaseUsd ?? 0) > 0, 'priced, not $0');
    });
  }
  for (const onBudget of ['block', 'ask', 'downgradeToFree'] as const) {
    it(`no catalogue at all, onBudget ${onBudget}: the request needs the user's yes`, () => {
      const pl = plan('openrouter/auto', { onBudget }, knowledge(new Map()));
      assert.equal(pl.refusal, undefined);
      assert.match(pl.attempts[0]?.needsConfirmation ?? '', /price of openrouter\/auto is unknown/);
    });
  }
  it('onBudget warn keeps its meaning: a warning, no question', () => {
    const pl = plan('who/knows', { onBudget: 'warn' });
    assert.equal(pl.attempts[0]?.needsConfirmation, undefined);
    assert.ok(pl.warnings.some((w) => /budget cannot be checked for who\/knows/.test(w)));
  });
  it('without a budget nothing changes: no question for an unknown model', () => {
    const pl = plan('who/knows', { budgets: {} });
    assert.equal(pl.attempts[0]?.needsConfirmation, undefined);
  });
});
