import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ModelInfo } from '../../src/openrouter/catalogue';
import { explainPlan } from '../../src/routing/explain';
import { planRoute } from '../../src/routing/plan';
import { seededRandom } from '../../src/routing/random';
import type { EndpointInfo, Knowledge, Plan, RouteRequest, RoutingPolicy } from '../../src/routing/types';

const M = 1e-6; // $1 per million tokens, as a per-token price

function model(id: string, o: Partial<ModelInfo> = {}): ModelInfo {
  const free = id.endsWith(':free');
  return {
    id,
    name: id,
    description: '',
    contextLength: 128_000,
    promptPrice: free ? 0 : 1 * M,
    completionPrice: free ? 0 : 2 * M,
    isFree: free,
    isRouter: false,
    supportsTools: true,
    supportsVision: false,
    supportsReasoning: false,
    supportedParameters: ['tools', 'max_tokens'],
    created: 0,
    ...o,
  };
}

function endpoint(tag: string, o: Partial<EndpointInfo> = {}): EndpointInfo {
  return {
    tag,
    providerName: tag.split('/')[0] ?? tag,
    supportedParameters: ['tools', 'max_tokens'],
    promptPrice: 1 * M,
    completionPrice: 2 * M,
    contextLength: 128_000,
    ...o,
  };
}

const catalogue: ModelInfo[] = [
  model('cheap/small', { promptPrice: 0.1 * M, completionPrice: 0.2 * M }),
  model('mid/chat', { promptPrice: 1 * M, completionPrice: 2 * M }),
  model('big/pro', { promptPrice: 10 * M, completionPrice: 30 * M, contextLength: 1_000_000 }),
  model('vis/eye', { supportsVision: true, promptPrice: 2 * M, completionPrice: 4 * M }),
  model('tiny/ctx', { contextLength: 4096 }),
  model('notools/x', { supportsTools: false }),
  model('mid/chat:free'),
  model('open/free:free'),
  model('zero/priced', { promptPrice: 0, completionPrice: 0, isFree: true }),
];

function knowledge(o: Partial<Knowledge> = {}): Knowledge {
  return {
    models: new Map(catalogue.map((m) => [m.id, m])),
    endpoints: new Map(),
    health: {},
    spend: { todayUsd: 0, monthUsd: 0 },
    keys: [
      { id: 'k1', label: 'main' },
      { id: 'k2', label: 'spare' },
    ],
    ...o,
  };
}

function policy(o: Partial<RoutingPolicy> = {}): RoutingPolicy {
  return {
    mode: 'auto',
    tiers: { chat: ['mid/chat'], fast: ['cheap/small'], vision: ['vis/eye'] },
    freeFirst: false,
    fallbackModels: [],
    fallback: { onlyCheaper: false, askBeforeUpgrade: false },
    provider: {},
    capacity: { strategy: 'shared', byokProviders: [] },
    budgets: {},
    onBudget: 'warn',
    routes: [],
    ...o,
  };
}

const request = (o: Partial<RouteRequest> = {}): RouteRequest => ({
  tier: 'chat',
  promptTokens: 1000,
  maxOutputTokens: 1000,
  needsVision: false,
  needsTools: false,
  ...o,
});

const plan = (
  p: Partial<RoutingPolicy> = {},
  r: Partial<RouteRequest> = {},
  k: Partial<Knowledge> = {},
  seed = 1,
): Plan => planRoute(policy(p), request(r), knowledge(k), seededRandom(seed));

/** The model order of the single-candidate attempts. */
const order = (pl: Plan): string[] => pl.attempts.filter((a) => !a.body.models).map((a) => a.body.model);
const excludedBy = (pl: Plan, rule: string): string[] =>
  pl.decisions.filter((d) => d.verdict === 'excluded' && d.rule === rule && !d.provider).map((d) => d.model);

describe('planRoute: candidate order', () => {
  const cases: { name: string; p: Partial<RoutingPolicy>; r?: Partial<RouteRequest>; expected: string[] }[] = [
    {
      name: 'auto: tier list then fallbacks',
      p: { fallbackModels: ['cheap/small'] },
      expected: ['mid/chat', 'cheap/small'],
    },
    {
      name: 'auto: the pick overrides the tier',
      p: { fallbackModels: ['cheap/small'] },
      r: { pickedModel: 'big/pro' },
      expected: ['big/pro', 'cheap/small'],
    },
    {
      name: 'auto: preferredModel pins every tier',
      p: { preferredModel: 'cheap/small' },
      r: { tier: 'vision' },
      expected: ['cheap/small'],
    },
    {
      name: 'auto: duplicates are dropped',
      p: { fallbackModels: ['mid/chat', 'cheap/small'] },
      expected: ['mid/chat', 'cheap/small'],
    },
    {
      name: 'freeFirst: free (":free" or zero-priced) first',
      p: { freeFirst: true, tiers: { chat: ['mid/chat', 'zero/priced'] }, fallbackModels: ['open/free:free'] },
      expected: ['zero/priced', 'open/free:free', 'mid/chat'],
    },
    {
      name: 'freeFirst: an explicit pick stays first',
      p: { freeFirst: true, fallbackModels: ['open/free:free'] },
      r: { pickedModel: 'mid/chat' },
      expected: ['mid/chat', 'open/free:free'],
    },
    {
      name: 'manual: exactly the pick, never a fallback',
      p: { mode: 'manual', fallbackModels: ['cheap/small', 'big/pro'] },
      r: { pickedModel: 'mid/chat' },
      expected: ['mid/chat'],
    },
    {
      name: 'manual: the preferred model when nothing is picked',
      p: { mode: 'manual', preferredModel: 'big/pro', fallbackModels: ['cheap/small'] },
      expected: ['big/pro'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const pl = plan(c.p, c.r);
      assert.equal(pl.refusal, undefined);
      assert.deepEqual(order(pl), c.expected);
    });
  }

  it('manual mode never falls back: fallbacks are recorded as excluded, one attempt only', () => {
    const pl = plan({ mode: 'manual', fallbackModels: ['cheap/small'] }, { pickedModel: 'mid/chat' });
    assert.equal(pl.attempts.length, 1);
    assert.equal(pl.attempts[0]?.body.models, undefined);
    assert.deepEqual(excludedBy(pl, 'manual.noFallback'), ['cheap/small']);
  });

  it('manual mode without a model is refused', () => {
    assert.equal(plan({ mode: 'manual' }).refusal?.rule, 'manual.noModel');
  });

  it('manual mode: an incapable pick is refused, not replaced', () => {
    const pl = plan({ mode: 'manual', fallbackModels: ['vis/eye'] }, { pickedModel: 'mid/chat', needsVision: true });
    assert.equal(pl.refusal?.rule, 'candidates.none');
    assert.equal(pl.attempts.length, 0);
  });
});

describe('planRoute: attempts', () => {
  it('the first attempt sends the models list; later ones are one per candidate', () => {
    const pl = plan({ fallbackModels: ['cheap/small', 'open/free:free'] });
    assert.deepEqual(
      pl.attempts.map((a) => a.body),
      [
        { model: 'mid/chat', models: ['mid/chat', 'cheap/small', 'open/free:free'] },
        { model: 'mid/chat' },
        { model: 'cheap/small' },
        { model: 'open/free:free' },
      ],
    );
    assert.ok(pl.attempts.every((a) => a.keyId === 'k1'));
    // Worst case of the first attempt: the most expensive model it may be billed for.
    assert.equal(pl.worstCaseUsd, 1000 * 1 * M + 1000 * 2 * M);
  });

  it('uses the key ring’s first key (it puts cooling keys last) and puts cooling models last', () => {
    const pl = plan(
      { fallbackModels: ['cheap/small'] },
      {},
      {
        keys: [
          { id: 'k2', label: 'two' },
          { id: 'k1', label: 'one' },
        ],
        health: { coolingModels: ['mid/chat'] },
      },
    );
    assert.equal(pl.attempts[0]?.keyId, 'k2');
    assert.deepEqual(order(pl), ['cheap/small', 'mid/chat']);
  });

  it('no key → refused', () => {
    assert.equal(plan({}, {}, { keys: [] }).refusal?.rule, 'keys.none');
  });

  it('compiled provider preferences ride on every attempt', () => {
    const pl = plan({ provider: { variant: 'nitro', data_collection: 'deny' }, fallbackModels: ['cheap/small'] });
    for (const a of pl.attempts) assert.deepEqual(a.body.provider, { data_collection: 'deny', sort: 'throughput' });
  });

  it('dynamic routes expand (priority keeps order; a route endpoint pins its provider)', () => {
    const pl = plan(
      {
        routes: [
          {
            name: 'research',
            strategy: 'priority',
            endpoints: [{ model: 'big/pro', provider: 'anthropic' }, { model: 'mid/chat' }],
          },
        ],
      },
      { pickedModel: 'research' },
    );
    assert.deepEqual(order(pl), ['big/pro', 'mid/chat']);
    assert.deepEqual(pl.attempts[0]?.body, {
      model: 'big/pro',
      provider: { order: ['anthropic'], allow_fallbacks: false },
    });
  });

  it('loadBalance routes rotate by the cursor', () => {
    const routes = [
      { name: 'fast', strategy: 'loadBalance' as const, endpoints: [{ model: 'cheap/small' }, { model: 'mid/chat' }] },
    ];
    assert.deepEqual(order(plan({ routes }, { pickedModel: 'fast' }, { routeCursor: { fast: 0 } })), [
      'cheap/small',
      'mid/chat',
    ]);
    assert.deepEqual(order(plan({ routes }, { pickedModel: 'fast' }, { routeCursor: { fast: 1 } })), [
      'mid/chat',
      'cheap/small',
    ]);
  });
});

describe('planRoute: capability hard constraints', () => {
  const cases: {
    name: string;
    r: Partial<RouteRequest>;
    p?: Partial<RoutingPolicy>;
    excluded: string;
    rule: string;
  }[] = [
    {
      name: 'images need a vision model',
      r: { needsVision: true },
      p: { fallbackModels: ['vis/eye'] },
      excluded: 'mid/chat',
      rule: 'capability.vision',
    },
    {
      name: 'tools need a tool-capable model',
      r: { needsTools: true, pickedModel: 'notools/x' },
      p: { fallbackModels: ['mid/chat'] },
      excluded: 'notools/x',
      rule: 'capability.tools',
    },
    {
      name: 'prompt + max output must fit the context',
      r: { pickedModel: 'tiny/ctx', promptTokens: 4000, maxOutputTokens: 1000 },
      p: { fallbackModels: ['mid/chat'] },
      excluded: 'tiny/ctx',
      rule: 'capability.context',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const pl = plan(c.p, c.r);
      assert.deepEqual(excludedBy(pl, c.rule), [c.excluded]);
      assert.ok(!order(pl).includes(c.excluded));
      assert.ok(order(pl).length > 0);
      const d = pl.decisions.find((x) => x.rule === c.rule);
      assert.match(d?.detail ?? '', new RegExp(c.excluded.replace('/', '\\/')));
    });
  }

  it('a pinned provider is still excluded from an image request when the model lacks vision', () => {
    const pl = plan({ preferredProvider: 'openai', preferredModel: 'mid/chat' }, { needsVision: true });
    assert.equal(pl.refusal?.rule, 'candidates.none');
    const d = pl.decisions.find((x) => x.rule === 'capability.vision');
    assert.match(d?.detail ?? '', /does not accept images.*pinned provider "openai" does not lift this/);
  });

  it('a pinned provider that lacks tool support (per endpoint) leaves no provider: refused before sending', () => {
    const endpoints = new Map([
      ['mid/chat', [endpoint('openai', { supportedParameters: ['max_tokens'] }), endpoint('together')]],
    ]);
    const pl = plan({ preferredProvider: 'openai' }, { needsTools: true }, { endpoints });
    assert.equal(pl.refusal?.rule, 'providers.none');
    assert.match(pl.refusal?.reason ?? '', /no tool-capable provider for mid\/chat/);
  });

  it('require_parameters + ignore leave no tool-capable provider: refused with that reason', () => {
    const endpoints = new Map([
      ['mid/chat', [endpoint('openai/default'), endpoint('together', { supportedParameters: ['max_tokens'] })]],
    ]);
    const pl = plan(
      { provider: { require_parameters: true, ignore: ['openai'] } },
      { needsTools: true },
      { endpoints },
    );
    assert.equal(pl.refusal?.rule, 'providers.none');
    assert.equal(pl.refusal?.reason, 'ignore + require_parameters leave no tool-capable provider for mid/chat');
  });

  it('known endpoints set the worst case (the priciest remaining provider)', () => {
    const endpoints = new Map([
      [
        'mid/chat',
        [
          endpoint('a', { promptPrice: 1 * M, completionPrice: 2 * M }),
          endpoint('b', { promptPrice: 3 * M, completionPrice: 5 * M }),
          endpoint('c', { promptPrice: 9 * M, completionPrice: 9 * M }),
        ],
      ],
    ]);
    const pl = plan({ provider: { ignore: ['c'] } }, {}, { endpoints });
    assert.ok(Math.abs(pl.worstCaseUsd - (1000 * 3 * M + 1000 * 5 * M)) < 1e-12);
    assert.ok(pl.decisions.some((d) => d.provider === 'c' && d.rule === 'provider.ignore'));
  });
});

describe('planRoute: providers still reachable', () => {
  const endpoints = new Map([
    [
      'mid/chat',
      [
        endpoint('a', { promptPrice: 1 * M, completionPrice: 0 }),
        endpoint('b', { promptPrice: 2 * M, completionPrice: 0 }),
        endpoint('c', { promptPrice: 3 * M, completionPrice: 0 }),
      ],
    ],
  ]);
  const placedDetail = (pl: Plan): string =>
    pl.decisions.find((d) => d.verdict === 'placed' && d.model === 'mid/chat' && !d.provider)?.detail ?? '';
  const cases: { name: string; p: Partial<RoutingPolicy>; seed: number; expected: string }[] = [
    { name: 'default load balancing: unstable last', p: {}, seed: 1, expected: 'a, c, b' },
    { name: 'sort price: by price', p: { provider: { sort: 'price' } }, seed: 1, expected: 'a, b, c' },
    {
      name: 'a pinned provider first',
      p: { preferredProvider: 'c', provider: { allow_fallbacks: true } },
      seed: 1,
      expected: 'c, a, b',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const pl = plan(c.p, {}, { endpoints, health: { unstableProviders: ['b'] } }, c.seed);
      assert.match(placedDetail(pl), new RegExp(`providers \\(likely order\\): ${c.expected}$`));
      assert.match(explainPlan(pl), /## Providers still reachable\n\n- `mid\/chat` → `a`/);
    });
  }
});

describe('planRoute: fallback cost rules', () => {
  it('onlyCheaper drops a pricier fallback and keeps a cheaper one', () => {
    const pl = plan({
      fallbackModels: ['big/pro', 'cheap/small'],
      fallback: { onlyCheaper: true, askBeforeUpgrade: false },
    });
    assert.deepEqual(order(pl), ['mid/chat', 'cheap/small']);
    assert.deepEqual(excludedBy(pl, 'fallback.onlyCheaper'), ['big/pro']);
  });

  it('onlyCheaper: a free primary never falls to a paid model', () => {
    const pl = plan({
      freeFirst: true,
      tiers: { chat: ['open/free:free', 'mid/chat'] },
      fallback: { onlyCheaper: true, askBeforeUpgrade: false },
    });
    assert.deepEqual(order(pl), ['open/free:free']);
  });

  it('askBeforeUpgrade keeps a pricier fallback as a separate attempt needing confirmation', () => {
    const pl = plan({
      fallbackModels: ['cheap/small', 'big/pro'],
      fallback: { onlyCheaper: false, askBeforeUpgrade: true },
    });
    assert.deepEqual(pl.attempts[0]?.body.models, ['mid/chat', 'cheap/small']);
    const upgrade = pl.attempts.find((a) => a.body.model === 'big/pro');
    assert.match(upgrade?.needsConfirmation ?? '', /^Upgrade: big\/pro worst case/);
    assert.equal(pl.attempts.find((a) => a.body.model === 'cheap/small')?.needsConfirmation, undefined);
  });

  it('an unknown-priced fallback is not silently included under onlyCheaper', () => {
    const pl = plan({ fallbackModels: ['unknown/model'], fallback: { onlyCheaper: true, askBeforeUpgrade: false } });
    assert.deepEqual(excludedBy(pl, 'fallback.onlyCheaper'), ['unknown/model']);
  });
});

describe('planRoute: budgets', () => {
  // mid/chat worst case: 1000 × $1/M + 1000 × $2/M = $0.003; big/pro: $0.04.
  const cases: {
    name: string;
    p: Partial<RoutingPolicy>;
    k?: Partial<Knowledge>;
    refusal?: string;
    order?: string[];
    warning?: RegExp;
    confirm?: boolean;
  }[] = [
    {
      name: 'block: over the per-request budget → refused',
      p: { budgets: { perRequestUsd: 0.001 }, onBudget: 'block' },
      refusal: 'budget.block',
    },
    {
      name: 'block: over the daily budget → refused',
      p: { budgets: { perDayUsd: 1 }, onBudget: 'block' },
      k: { spend: { todayUsd: 0.999, monthUsd: 5 } },
      refusal: 'budget.block',
    },
    {
      name: 'block: over the monthly budget → refused',
      p: { budgets: { perMonthUsd: 10 }, onBudget: 'block' },
      k: { spend: { todayUsd: 0, monthUsd: 9.999 } },
      refusal: 'budget.block',
    },
    {
      name: 'block: within budget → planned',
      p: { budgets: { perRequestUsd: 0.01, perDayUsd: 5 }, onBudget: 'block' },
      order: ['mid/chat'],
    },
    {
      name: 'warn: planned, with a warning',
      p: { budgets: { perRequestUsd: 0.001 }, onBudget: 'warn' },
      order: ['mid/chat'],
      warning: /per-request budget/,
    },
    {
      name: 'ask: planned, flagged for confirmation',
      p: { budgets: { perRequestUsd: 0.001 }, onBudget: 'ask' },
      order: ['mid/chat'],
      confirm: true,
    },
    {
      name: 'downgradeToFree: paid candidates replaced by free ones',
      p: {
        budgets: { perRequestUsd: 0.001 },
        onBudget: 'downgradeToFree',
        fallbackModels: ['big/pro', 'open/free:free'],
      },
      order: ['mid/chat:free', 'open/free:free'],
      warning: /downgraded to free/,
    },
    {
      name: 'downgradeToFree: no free candidate → refused',
      p: { budgets: { perRequestUsd: 0.001 }, onBudget: 'downgradeToFree', tiers: { chat: ['big/pro'] } },
      refusal: 'budget.downgradeToFree',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const pl = plan(c.p, {}, c.k);
      assert.equal(pl.refusal?.rule, c.refusal);
      if (c.order) assert.deepEqual(order(pl), c.order);
      if (c.warning)
        assert.ok(
          pl.warnings.some((w) => c.warning?.test(w)),
          pl.warnings.join('\n'),
        );
      if (c.confirm) assert.match(pl.attempts[0]?.needsConfirmation ?? '', /^Budget:/);
      if (c.refusal) assert.equal(pl.attempts.length, 0);
    });
  }

  it('downgradeToFree: every plan attempt is free', () => {
    const pl = plan({
      budgets: { perRequestUsd: 0.001 },
      onBudget: 'downgradeToFree',
      fallbackModels: ['cheap/small', 'zero/priced'],
    });
    assert.ok(pl.attempts.every((a) => a.worstCaseUsd === 0));
    assert.ok(excludedBy(pl, 'budget.downgradeToFree').includes('mid/chat'));
  });
});

describe('planRoute: refusals from provider compilation', () => {
  it('byokOnly fails before sending when provider.only lists no BYOK provider', () => {
    const pl = plan({
      capacity: { strategy: 'byokOnly', byokProviders: ['anthropic'] },
      provider: { only: ['openai'] },
    });
    assert.equal(pl.refusal?.rule, 'capacity.byokOnly');
    assert.equal(pl.attempts.length, 0);
  });
});

describe('planRoute: determinism and explanation', () => {
  it('same inputs and seed → identical plans', () => {
    const routes = [
      {
        name: 'fast',
        strategy: 'loadBalance' as const,
        endpoints: [{ model: 'cheap/small' }, { model: 'mid/chat' }, { model: 'big/pro' }],
      },
    ];
    const a = plan({ routes }, { pickedModel: 'fast' }, {}, 42);
    const b = plan({ routes }, { pickedModel: 'fast' }, {}, 42);
    assert.deepEqual(a, b);
    const starts = new Set(
      [1, 2, 3, 4, 5, 6, 7, 8].map(
        (seed) => plan({ routes }, { pickedModel: 'fast' }, {}, seed).attempts[0]?.body.model,
      ),
    );
    assert.ok(starts.size > 1, 'different seeds rotate a load-balanced route');
  });

  it('explainPlan lists candidates, exclusions with reasons, the body JSON, budget and warnings', () => {
    const pl = plan(
      {
        fallbackModels: ['big/pro', 'cheap/small', 'unknown/x'],
        fallback: { onlyCheaper: true, askBeforeUpgrade: false },
        provider: { sort: 'price' },
      },
      { needsVision: false },
    );
    const md = explainPlan(pl);
    assert.match(md, /## Candidates, in order\n\n1\. `mid\/chat` — `tier:chat`/);
    assert.match(md, /\| `big\/pro` \|  \| `fallback.onlyCheaper` \| worst case/);
    assert.match(md, /"models": \[\n\s+"mid\/chat",\n\s+"cheap\/small"\n\s+\]/);
    assert.match(md, /"sort": "price"/);
    assert.match(md, /Worst case of the first attempt: \$0\.003/);
    assert.match(md, /## Warnings\n\n- unknown\/x is not in the model catalogue/);
  });

  it('explainPlan shows a refusal', () => {
    const md = explainPlan(plan({ capacity: { strategy: 'byokOnly', byokProviders: ['x'] } }));
    assert.match(md, /\*\*Refused before sending\*\* \(`capacity.byokOnly`\)/);
  });
});
