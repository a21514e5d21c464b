/**
 * Explain Route lists each candidate once (issue 26): after a turn, sticky routing adds a
 * decision for the model it pins to the last provider (or declines to); that decision goes under
 * "Sticky routing", not as a second candidate. Variants: pinned, skipped, several candidates.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { explainPlan } from '../../src/routing/explain';
import type { Decision, Plan, RouteRequest } from '../../src/routing/types';

const request = {
  tier: 'chat',
  promptTokens: 100,
  maxTokens: 1000,
  needsTools: false,
  needsImages: false,
} as unknown as RouteRequest;

function planWith(decisions: Decision[]): Plan {
  return {
    attempts: [{ keyId: 'k1', worstCaseUsd: 0.001, body: { model: 'a/one', models: ['a/one', 'b/two'] } }],
    decisions,
    warnings: [],
    notes: [],
  } as unknown as Plan;
}

const candidatesOf = (doc: string): string[] =>
  (/## Candidates, in order\n\n([\s\S]*?)\n\n/.exec(doc)?.[1] ?? '')
    .split('\n')
    .map((l) => /`([^`]+)`/.exec(l)?.[1] ?? '');

it('a model pinned or skipped by sticky routing is listed once among the candidates', () => {
  const cases: Decision[][] = [
    [
      { model: 'a/one', verdict: 'placed', rule: 'pick', detail: 'the pick' },
      { model: 'a/one', provider: 'openai', verdict: 'placed', rule: 'affinity.cache', detail: 'sticky' },
    ],
    [
      { model: 'a/one', verdict: 'placed', rule: 'pick', detail: 'the pick' },
      { model: 'b/two', verdict: 'placed', rule: 'fallbackModels', detail: 'fallback' },
      { model: 'a/one', verdict: 'placed', rule: 'affinity.skipped', detail: 'not pinned' },
    ],
  ];
  for (const decisions of cases) {
    const doc = explainPlan(planWith(decisions), {
      request,
      keys: [{ id: 'k1', label: 'key 1' }],
      spend: { todayUsd: 0, monthUsd: 0 },
    } as unknown as Parameters<typeof explainPlan>[1]);
    const listed = candidatesOf(doc);
    assert.equal(new Set(listed).size, listed.length, `no model twice: ${listed.join(', ')}`);
    assert.deepEqual(listed, [
      ...new Set(decisions.filter((d) => !d.rule.startsWith('affinity.')).map((d) => d.model)),
    ]);
    assert.match(doc, /## Sticky routing\n\n- `a\/one`/);
  }
});
