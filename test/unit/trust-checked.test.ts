/**
 * A workspace value the trust table takes as "stricter" but that the setting's own schema refuses
 * (a task budget of 0, `maxSteps: 0`, an empty glob, a 51st provider slug) used to make the reader
 * fall back to the default — looser than the user's own value: no task budget, the user's
 * exclusions, denied commands or privacy preferences gone. `mergeChecked` keeps the user's value
 * then. The schemas are the readers' own (src/config/settingSchemas.ts, routingSettings.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRoutingSettings, routingValueValid } from '../../src/config/routingSettings';
import { agentSchemas, fieldSchemas } from '../../src/config/settingSchemas';
import { SETTING_CHECKS } from '../../src/config/settingChecks';
import { ignoredNotice, mergeChecked, mergeSettings, type Layers } from '../../src/config/trust';

const schemas: Record<string, { safeParse(v: unknown): { success: boolean } }> = { ...fieldSchemas, ...agentSchemas };
const validFor =
  (name: string) =>
  (v: unknown): boolean =>
    schemas[name]!.safeParse(v).success;

const HOSTILE: [string, Layers][] = [
  ['agent.taskBudgetUsd', { defaultValue: null, user: 1, workspace: 0 }],
  ['agent.taskBudgetUsd', { defaultValue: null, user: 2.5, workspace: -1 }],
  ['agent.maxSteps', { defaultValue: 25, user: 10, workspace: 0 }],
  ['agent.maxSteps', { defaultValue: 25, user: 10, workspace: 2.5 }],
  ['agent.subagent.maxSteps', { defaultValue: 8, user: 3, workspace: 0 }],
  ['maxOutputTokens', { defaultValue: 4096, user: 1024, workspace: 100 }],
  ['context.exclude', { defaultValue: [], user: ['secrets/**'], workspace: [''] }],
  ['context.exclude', { defaultValue: [], user: ['secrets/**'], workspace: ['x'.repeat(600)] }],
  ['agent.deniedCommands', { defaultValue: [], user: ['git push'], workspace: ['   '] }],
  [
    'agent.deniedCommands',
    { defaultValue: [], user: ['git push'], workspace: Array.from({ length: 200 }, (_, i) => `cmd${i}`) },
  ],
];

describe("a workspace value the setting's schema refuses never replaces the user's by the default", () => {
  for (const [name, layers] of HOSTILE)
    it(`${name}: user ${JSON.stringify(layers.user)}, workspace ${JSON.stringify(layers.workspace).slice(0, 40)}`, () => {
      const merged = mergeChecked(name, layers, validFor(name));
      assert.deepEqual(merged.value, layers.user);
      assert.ok(validFor(name)(merged.value));
      assert.equal(merged.invalid, true, 'named in the one notice, as refused');
    });

  it('still takes a valid stricter value', () => {
    assert.equal(
      mergeChecked('agent.taskBudgetUsd', { user: 1, workspace: 0.5 }, validFor('agent.taskBudgetUsd')).value,
      0.5,
    );
    assert.deepEqual(
      mergeChecked('agent.deniedCommands', { user: ['git push'], workspace: ['rm'] }, validFor('agent.deniedCommands'))
        .value,
      ['git push', 'rm'],
    );
  });
});

describe("the user's provider privacy stays when a workspace's narrowing would make the object invalid", () => {
  const mine = { data_collection: 'deny', zdr: true };
  const workspaces: [string, unknown][] = [
    ['an empty slug to ignore', { ignore: [''] }],
    ['51 slugs for only', { only: Array.from({ length: 51 }, (_, i) => `p${i}`) }],
    ['a 300-character quantization', { quantizations: ['q'.repeat(300)] }],
  ];
  for (const [name, workspace] of workspaces)
    it(name, () => {
      const raw = mergeChecked('provider', { user: mine, workspace }, (v) => routingValueValid('provider', v)).value;
      const parsed = parseRoutingSettings({ provider: raw });
      assert.deepEqual(parsed.problems, []);
      assert.equal(parsed.policy.provider.data_collection, 'deny');
      assert.equal(parsed.policy.provider.zdr, true);
    });
});

describe('the notice names a workspace value the schema refuses, with what it should be, never the value', () => {
  const KEY = `sk-or-v1-${'ab12'.repeat(16)}`;
  const ROWS: [string, Layers, RegExp][] = [
    ['agent.taskBudgetUsd', { defaultValue: null, user: 1, workspace: 0 }, /null or a number of USD above 0/],
    ['agent.maxSteps', { defaultValue: 25, user: 10, workspace: 0 }, /a whole number from 1 to 200/],
    ['agent.deniedCommands', { defaultValue: [], user: ['git push'], workspace: ['', KEY] }, /command prefixes/],
    ['context.exclude', { defaultValue: [], user: [], workspace: [' ', `${KEY}${'x'.repeat(600)}`] }, /glob patterns/],
    ['agent.subagent.maxSteps', { defaultValue: 8, user: 3, workspace: -KEY.length }, /from 1 to 50/],
    ['routing.budgets', { defaultValue: {}, workspace: { perDayUsd: -5 } }, /perDayUsd/],
  ];
  for (const [name, layers, expected] of ROWS)
    it(`${name}: ${JSON.stringify(layers.workspace).slice(0, 30)}`, () => {
      const { values, ignored, invalid } = mergeSettings({ [name]: layers }, SETTING_CHECKS);
      assert.deepEqual(values[name], layers.user ?? layers.defaultValue);
      const notice = ignoredNotice(ignored, invalid);
      assert.ok(notice?.includes(`switchyard.${name}`), notice);
      assert.match(notice!, expected);
      assert.ok(!notice!.includes(KEY) && !notice!.includes('ab12ab12'), 'never the value');
    });

  it('names both kinds in one notice, and nothing for a valid stricter value or a refused value of the user', () => {
    const both = mergeSettings(
      {
        model: { defaultValue: 'openrouter/auto', user: 'a/b', workspace: 'c/d' },
        'agent.maxSteps': { defaultValue: 25, user: 10, workspace: 0 },
      },
      SETTING_CHECKS,
    );
    assert.deepEqual(both.ignored, ['switchyard.model']);
    assert.deepEqual(
      both.invalid.map((i) => i.name),
      ['switchyard.agent.maxSteps'],
    );
    const quiet = mergeSettings(
      {
        'agent.maxSteps': { defaultValue: 25, user: 10, workspace: 5 },
        'agent.taskBudgetUsd': { defaultValue: null, user: 0, workspace: 0 },
      },
      SETTING_CHECKS,
    );
    assert.equal(ignoredNotice(quiet.ignored, quiet.invalid), undefined);
  });
});
