import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRoutingSettings, parseStoredRoutes } from '../../src/config/routingSettings';

describe('parseRoutingSettings', () => {
  it('gives safe defaults when nothing is set', () => {
    const { policy, problems } = parseRoutingSettings({});
    assert.deepEqual(problems, []);
    assert.equal(policy.mode, 'auto');
    assert.deepEqual(
      policy.fallback,
      { onlyCheaper: false, askBeforeUpgrade: true },
      'pricier fallbacks are never silent by default',
    );
    assert.equal(policy.onBudget, 'block');
    assert.deepEqual(policy.capacity, { strategy: 'shared', byokProviders: [] });
  });
  it('reads every field', () => {
    const { policy, problems } = parseRoutingSettings({
      mode: 'manual',
      preferredModel: 'a/b',
      preferredProvider: 'deepinfra',
      tiers: { edit: ['a/b', 'c/d'] },
      freeFirst: true,
      fallback: { onlyCheaper: true },
      capacity: { strategy: 'byokOnly', byokProviders: ['openai'] },
      budgets: { perDayUsd: 2 },
      onBudget: 'downgradeToFree',
      provider: {
        only: ['openai'],
        sort: { by: 'price', partition: 'none' },
        max_price: { prompt: 1 },
        variant: 'nitro',
        preferred_max_latency: { p90: 2 },
      },
    });
    assert.deepEqual(problems, []);
    assert.equal(policy.mode, 'manual');
    assert.equal(policy.preferredProvider, 'deepinfra');
    assert.deepEqual(policy.tiers, { edit: ['a/b', 'c/d'] });
    assert.deepEqual(policy.budgets, { perDayUsd: 2 });
    assert.deepEqual(policy.provider.only, ['openai']);
    assert.equal(policy.provider.variant, 'nitro');
  });
  it('reports a bad field and keeps the others', () => {
    const { policy, problems } = parseRoutingSettings({
      mode: 'sometimes',
      freeFirst: true,
      budgets: { perDayUsd: -3 },
    });
    assert.equal(problems.length, 2);
    assert.match(problems[0]!, /switchyard\.routing\.mode should be "auto" or "manual"/);
    assert.equal(policy.mode, 'auto');
    assert.equal(policy.freeFirst, true);
    assert.deepEqual(policy.budgets, {});
  });
  it('refuses a provider object with an unknown field, saying which', () => {
    const { policy, problems } = parseRoutingSettings({ provider: { only: ['x'], allowFallbacks: false } });
    assert.deepEqual(policy.provider, {});
    assert.match(problems[0]!, /allowFallbacks/);
  });
  it('reads config-defined routes, reporting and skipping only the bad ones', () => {
    const { routes, problems } = parseRoutingSettings({
      routes: {
        research: {
          strategy: 'loadBalance',
          endpoints: [
            { model: 'anthropic/claude-sonnet-4' },
            { model: 'google/gemini-2.5-flash', provider: 'google-ai-studio' },
          ],
        },
        fast: { endpoints: [{ model: 'openai/gpt-4o-mini' }] },
        broken: { endpoints: [] },
        'has/slash': { endpoints: [{ model: 'openai/gpt-4o-mini' }] },
        noModelId: { endpoints: [{ model: 'gpt4' }] },
      },
    });
    assert.deepEqual(routes, [
      {
        name: 'research',
        strategy: 'loadBalance',
        endpoints: [
          { model: 'anthropic/claude-sonnet-4' },
          { model: 'google/gemini-2.5-flash', provider: 'google-ai-studio' },
        ],
      },
      { name: 'fast', strategy: 'priority', endpoints: [{ model: 'openai/gpt-4o-mini' }] },
    ]);
    assert.equal(problems.length, 3);
    assert.match(problems[0]!, /the route "broken"/);
    assert.match(problems[1]!, /has\/slash/);
    assert.match(problems[2]!, /"gpt4" is not a model id/);
  });
  it('reports routes that are not an object', () => {
    const { routes, problems } = parseRoutingSettings({ routes: ['fast'] });
    assert.deepEqual(routes, []);
    assert.match(problems[0]!, /switchyard\.routing\.routes should be an object/);
  });
  it('reads run-time routes back from storage, dropping damaged entries', () => {
    const good = {
      name: 'fast',
      strategy: 'loadBalance',
      endpoints: [{ model: 'openai/gpt-4o-mini' }, { model: 'google/gemini-2.5-flash', provider: 'google' }],
    };
    assert.deepEqual(
      parseStoredRoutes([
        good,
        { name: 'x', strategy: 'sometimes', endpoints: [{ model: 'a/b' }] },
        { name: 'bad/name', strategy: 'priority', endpoints: [{ model: 'a/b' }] },
        null,
      ]),
      [good],
    );
    assert.deepEqual(parseStoredRoutes('not a list'), []);
  });
});
