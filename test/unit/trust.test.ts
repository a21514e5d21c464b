/**
 * Issue 15, kind 2: a workspace cannot raise spend or weaken privacy. The merge rules as a table:
 * user value, workspace value → what is used, and whether the setting is named as ignored.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ignoredNotice, mergeSetting, mergeSettings, TRUST_RULES, type Layers } from '../../src/config/trust';
import { parseRoutingSettings } from '../../src/config/routingSettings';

interface Row {
  readonly name: string;
  readonly layers: Layers;
  readonly value: unknown;
  readonly ignored: readonly string[];
}

const rows: readonly Row[] = [
  // Which model answers: only the user's.
  {
    name: 'model',
    layers: { defaultValue: 'openrouter/auto', workspace: 'openai/o1-pro' },
    value: 'openrouter/auto',
    ignored: ['switchyard.model'],
  },
  {
    name: 'model',
    layers: { defaultValue: 'openrouter/auto', user: 'a/cheap', workspace: 'a/cheap' },
    value: 'a/cheap',
    ignored: [],
  },
  { name: 'model', layers: { defaultValue: 'openrouter/auto', user: 'a/cheap' }, value: 'a/cheap', ignored: [] },
  // Fallbacks: fewer (a subset of the user's) only.
  {
    name: 'fallbackModels',
    layers: { defaultValue: [], user: ['a/x', 'b/y'], workspace: ['b/y'] },
    value: ['b/y'],
    ignored: [],
  },
  {
    name: 'fallbackModels',
    layers: { defaultValue: [], user: ['a/x'], workspace: ['a/x', 'openai/o1-pro'] },
    value: ['a/x'],
    ignored: ['switchyard.fallbackModels'],
  },
  {
    name: 'fallbackModels',
    layers: { defaultValue: [], workspace: ['openai/o1-pro'] },
    value: [],
    ignored: ['switchyard.fallbackModels'],
  },
  { name: 'fallbackModels', layers: { defaultValue: [], user: ['a/x'], workspace: [] }, value: [], ignored: [] },
  // Output tokens: lower only.
  {
    name: 'maxOutputTokens',
    layers: { defaultValue: 4096, workspace: 1_000_000 },
    value: 4096,
    ignored: ['switchyard.maxOutputTokens'],
  },
  { name: 'maxOutputTokens', layers: { defaultValue: 4096, workspace: 1024 }, value: 1024, ignored: [] },
  {
    name: 'maxOutputTokens',
    layers: { defaultValue: 4096, user: 2048, workspace: '99999' },
    value: 2048,
    ignored: ['switchyard.maxOutputTokens'],
  },
  // Editor context: the workspace may turn automatic attachment off, not on.
  { name: 'attachEditorContext', layers: { defaultValue: true, workspace: false }, value: false, ignored: [] },
  {
    name: 'attachEditorContext',
    layers: { defaultValue: true, user: false, workspace: true },
    value: false,
    ignored: ['switchyard.attachEditorContext'],
  },
  // Completions (one table with the rest): off and cheaper only.
  {
    name: 'completions.enabled',
    layers: { defaultValue: false, user: true, workspace: false },
    value: false,
    ignored: [],
  },
  {
    name: 'completions.enabled',
    layers: { defaultValue: false, workspace: true },
    value: false,
    ignored: ['switchyard.completions.enabled'],
  },
  { name: 'completions.debounceMs', layers: { defaultValue: 150, workspace: 400 }, value: 400, ignored: [] },
  {
    name: 'completions.debounceMs',
    layers: { defaultValue: 150, user: 300, workspace: 0 },
    value: 300,
    ignored: ['switchyard.completions.debounceMs'],
  },
  {
    name: 'completions.dailyBudget',
    layers: { defaultValue: 1, user: 2, workspace: 50 },
    value: 2,
    ignored: ['switchyard.completions.dailyBudget'],
  },
  {
    name: 'completions.languages',
    layers: { defaultValue: {}, user: { python: true }, workspace: { markdown: false, plaintext: true } },
    value: { python: true, markdown: false },
    ignored: ['switchyard.completions.languages.plaintext'],
  },
  {
    name: 'completions.model',
    layers: { defaultValue: '', user: 'a/cheap', workspace: 'openai/o1-pro' },
    value: 'a/cheap',
    ignored: ['switchyard.completions.model'],
  },
  // Exclusions add up.
  {
    name: 'context.exclude',
    layers: { defaultValue: [], user: ['*.secret'], workspace: ['vault/**'] },
    value: ['*.secret', 'vault/**'],
    ignored: [],
  },
  // Routing.
  { name: 'routing.mode', layers: { defaultValue: 'auto', workspace: 'manual' }, value: 'manual', ignored: [] },
  {
    name: 'routing.mode',
    layers: { defaultValue: 'auto', user: 'manual', workspace: 'auto' },
    value: 'manual',
    ignored: ['switchyard.routing.mode'],
  },
  { name: 'routing.freeFirst', layers: { defaultValue: false, workspace: true }, value: true, ignored: [] },
  {
    name: 'routing.freeFirst',
    layers: { defaultValue: false, user: true, workspace: false },
    value: true,
    ignored: ['switchyard.routing.freeFirst'],
  },
  {
    name: 'routing.tiers',
    layers: { defaultValue: {}, workspace: { chat: ['openai/o1-pro'] } },
    value: {},
    ignored: ['switchyard.routing.tiers'],
  },
  {
    name: 'routing.preferredModel',
    layers: { defaultValue: '', workspace: 'openai/o1-pro' },
    value: '',
    ignored: ['switchyard.routing.preferredModel'],
  },
  {
    name: 'routing.preferredProvider',
    layers: { defaultValue: '', workspace: 'evil' },
    value: '',
    ignored: ['switchyard.routing.preferredProvider'],
  },
  {
    name: 'routing.routes',
    layers: { defaultValue: {}, workspace: { fast: { endpoints: [{ model: 'openai/o1-pro' }] } } },
    value: {},
    ignored: ['switchyard.routing.routes'],
  },
  {
    name: 'routing.capacity',
    layers: { defaultValue: {}, workspace: { strategy: 'byokOnly' } },
    value: {},
    ignored: ['switchyard.routing.capacity'],
  },
  {
    name: 'keys.strategy',
    layers: { defaultValue: 'failover', workspace: 'roundRobin' },
    value: 'failover',
    ignored: ['switchyard.keys.strategy'],
  },
  {
    name: 'routing.fallback',
    layers: { defaultValue: {}, workspace: { onlyCheaper: true } },
    value: { onlyCheaper: true },
    ignored: [],
  },
  {
    name: 'routing.fallback',
    layers: { defaultValue: {}, workspace: { askBeforeUpgrade: false } },
    value: {},
    ignored: ['switchyard.routing.fallback.askBeforeUpgrade'],
  },
  // Budgets: each the lower; a workspace may add one; never raise or remove one.
  {
    name: 'routing.budgets',
    layers: { defaultValue: {}, user: { perRequestUsd: 0.05 }, workspace: { perRequestUsd: 100 } },
    value: { perRequestUsd: 0.05 },
    ignored: ['switchyard.routing.budgets.perRequestUsd'],
  },
  {
    name: 'routing.budgets',
    layers: { defaultValue: {}, user: { perRequestUsd: 0.05 }, workspace: { perRequestUsd: 0.01, perDayUsd: 1 } },
    value: { perRequestUsd: 0.01, perDayUsd: 1 },
    ignored: [],
  },
  {
    name: 'routing.budgets',
    layers: { defaultValue: {}, user: { perDayUsd: 2 }, workspace: {} },
    value: { perDayUsd: 2 },
    ignored: [],
  },
  {
    name: 'routing.budgets',
    layers: { defaultValue: {}, user: { perDayUsd: 2 }, workspace: { perDayUsd: -1 } },
    value: { perDayUsd: 2 },
    ignored: ['switchyard.routing.budgets.perDayUsd'],
  },
  {
    name: 'routing.budgets',
    layers: { defaultValue: {}, user: { perDayUsd: 2 }, workspace: null },
    value: { perDayUsd: 2 },
    ignored: ['switchyard.routing.budgets'],
  },
  // onBudget: warn < downgradeToFree < ask < block.
  {
    name: 'routing.onBudget',
    layers: { defaultValue: 'block', workspace: 'warn' },
    value: 'block',
    ignored: ['switchyard.routing.onBudget'],
  },
  {
    name: 'routing.onBudget',
    layers: { defaultValue: 'block', user: 'ask', workspace: 'downgradeToFree' },
    value: 'ask',
    ignored: ['switchyard.routing.onBudget'],
  },
  {
    name: 'routing.onBudget',
    layers: { defaultValue: 'block', user: 'warn', workspace: 'block' },
    value: 'block',
    ignored: [],
  },
  // Provider: privacy only narrows; steering stays the user's; unknown fields are dropped.
  {
    name: 'provider',
    layers: {
      defaultValue: {},
      user: { data_collection: 'deny', zdr: true },
      workspace: { data_collection: 'allow', zdr: false },
    },
    value: { data_collection: 'deny', zdr: true },
    ignored: ['switchyard.provider.data_collection', 'switchyard.provider.zdr'],
  },
  {
    name: 'provider',
    layers: { defaultValue: {}, workspace: { data_collection: 'deny', zdr: true, allow_fallbacks: false } },
    value: { data_collection: 'deny', zdr: true, allow_fallbacks: false },
    ignored: [],
  },
  {
    name: 'provider',
    layers: { defaultValue: {}, user: { ignore: ['a'] }, workspace: { ignore: ['b'] } },
    value: { ignore: ['a', 'b'] },
    ignored: [],
  },
  {
    name: 'provider',
    layers: { defaultValue: {}, user: { only: ['a', 'b'] }, workspace: { only: ['b'] } },
    value: { only: ['b'] },
    ignored: [],
  },
  {
    name: 'provider',
    layers: { defaultValue: {}, user: { only: ['a'] }, workspace: { only: ['evil'] } },
    value: { only: ['a'] },
    ignored: ['switchyard.provider.only'],
  },
  {
    name: 'provider',
    layers: {
      defaultValue: {},
      user: { max_price: { prompt: 1 } },
      workspace: { max_price: { prompt: 50, completion: 2 } },
    },
    value: { max_price: { prompt: 1, completion: 2 } },
    ignored: ['switchyard.provider.max_price.prompt'],
  },
  {
    name: 'provider',
    layers: { defaultValue: {}, workspace: { sort: 'throughput', variant: 'nitro', order: ['evil'] } },
    value: {},
    ignored: ['switchyard.provider.sort', 'switchyard.provider.variant', 'switchyard.provider.order'],
  },
  {
    name: 'provider',
    layers: { defaultValue: {}, user: { zdr: true }, workspace: { zdr: true, bogus: 1 } },
    value: { zdr: true },
    ignored: ['switchyard.provider.bogus'],
  },
  // Settings without a rule keep VS Code's usual precedence.
  { name: 'timeoutSeconds', layers: { defaultValue: 90, user: 30, workspace: 120 }, value: 120, ignored: [] },
];

describe('workspace settings may only tighten (trust merge)', () => {
  for (const row of rows) {
    it(`${row.name}: user ${JSON.stringify(row.layers.user ?? row.layers.defaultValue)} + workspace ${JSON.stringify(row.layers.workspace)} → ${JSON.stringify(row.value)}`, () => {
      const merged = mergeSetting(row.name, row.layers);
      assert.deepEqual(merged.value, row.value);
      assert.deepEqual(merged.ignored, row.ignored);
    });
  }

  it('covers every spending and privacy setting the issue names', () => {
    for (const name of [
      'model',
      'fallbackModels',
      'maxOutputTokens',
      'routing.budgets',
      'routing.onBudget',
      'routing.mode',
      'routing.tiers',
      'routing.routes',
      'routing.capacity',
      'routing.fallback',
      'routing.preferredModel',
      'routing.preferredProvider',
      'provider',
      'keys.strategy',
    ]) {
      assert.ok(TRUST_RULES[name], name);
    }
  });

  it('a hostile workspace as a whole: the user model and budget stay, one notice names every ignored setting', () => {
    const { values, ignored } = mergeSettings({
      model: { defaultValue: 'openrouter/auto', user: 'a/cheap', workspace: 'openai/o1-pro' },
      maxOutputTokens: { defaultValue: 4096, workspace: 1_000_000 },
      'routing.budgets': { defaultValue: {}, user: { perRequestUsd: 0.02 }, workspace: { perRequestUsd: 1000 } },
      'routing.onBudget': { defaultValue: 'block', workspace: 'warn' },
      provider: {
        defaultValue: {},
        user: { data_collection: 'deny' },
        workspace: { data_collection: 'allow', zdr: false },
      },
    });
    assert.equal(values.model, 'a/cheap');
    assert.equal(values.maxOutputTokens, 4096);
    // The merged values parse to the user's policy.
    const { policy, problems } = parseRoutingSettings({
      budgets: values['routing.budgets'],
      onBudget: values['routing.onBudget'],
      provider: values.provider,
    });
    assert.deepEqual(problems, []);
    assert.deepEqual(policy.budgets, { perRequestUsd: 0.02 });
    assert.equal(policy.onBudget, 'block');
    assert.equal(policy.provider.data_collection, 'deny');
    const notice = ignoredNotice(ignored);
    assert.ok(notice);
    for (const name of [
      'switchyard.model',
      'switchyard.maxOutputTokens',
      'switchyard.routing.budgets.perRequestUsd',
      'switchyard.routing.onBudget',
      'switchyard.provider.data_collection',
    ])
      assert.ok(notice.includes(name), name);
    assert.equal(notice.includes('zdr'), false, 'zdr: false is the default, not a loosening');
    assert.equal(ignoredNotice([]), undefined, 'nothing ignored: no notice');
  });

  it('a stricter workspace never produces a notice', () => {
    const { ignored } = mergeSettings({
      maxOutputTokens: { defaultValue: 4096, workspace: 512 },
      'routing.budgets': { defaultValue: {}, workspace: { perDayUsd: 0.5 } },
      'routing.onBudget': { defaultValue: 'block', user: 'warn', workspace: 'ask' },
      provider: { defaultValue: {}, workspace: { zdr: true } },
    });
    assert.deepEqual(ignored, []);
  });
});

describe('Restricted Mode', () => {
  it('every setting a workspace may only tighten is also ignored by VS Code in an untrusted folder (restrictedConfigurations)', async () => {
    const { readFileSync } = await import('node:fs');
    const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
    };
    const restricted = new Set(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations);
    const missing = Object.keys(TRUST_RULES).filter((name) => !restricted.has(`switchyard.${name}`));
    assert.deepEqual(missing, []);
  });
});
