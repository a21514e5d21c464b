/**
 * Explain Route lists each candidate once (issue 26): after a turn, sticky routing adds a
 * decision for the model it pins to the last provider (or declines to); that decision goes under
 * "Sticky routing", not as a second candidate. Variants: pinned, skipped, several candidates.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { explainPlan, onceEach, planningDocument, planningFailedDocument } from '../../src/routing/explain';
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

it('lists each candidate once by model id and provider route, keeping the first placement, in order', () => {
  const placed = (model: string, rule: string, provider?: string): Decision => ({
    model,
    verdict: 'placed',
    rule,
    detail: rule,
    ...(provider ? { provider } : {}),
  });
  const cases: [string, Decision[], string[]][] = [
    ['the pick repeated by a fallback', [placed('a/one', 'pick'), placed('a/one', 'fallbackModels')], ['a/one@']],
    [
      'the same model on two provider routes stays twice',
      [placed('a/one', 'route:r', 'openai'), placed('a/one', 'route:r', 'azure')],
      ['a/one@openai', 'a/one@azure'],
    ],
    [
      'a repeat between others',
      [placed('a/one', 'tier:chat'), placed('b/two', 'tier:chat'), placed('a/one', 'autoByTask.default')],
      ['a/one@', 'b/two@'],
    ],
    ['nothing placed', [], []],
  ];
  for (const [name, decisions, want] of cases) {
    const kept = onceEach(decisions);
    assert.deepEqual(
      kept.map((d) => `${d.model}@${d.provider ?? ''}`),
      want,
      name,
    );
    assert.equal(kept[0]?.rule, decisions[0]?.rule, `${name}: the first placement is kept`);
  }
  const doc = explainPlan(
    planWith([placed('a/one', 'pick'), placed('b/two', 'fallbackModels'), placed('a/one', 'tier:chat')]),
    {
      request,
    } as unknown as Parameters<typeof explainPlan>[1],
  );
  assert.deepEqual(candidatesOf(doc), ['a/one', 'b/two'], 'the document lists each once');
});

it('shows at once what is known while the plan is made, and why when it could not be made', () => {
  const doc = planningDocument({ spend: { todayUsd: 0.25, monthUsd: 1.5 } });
  assert.match(doc, /^# Route plan\n/);
  assert.match(doc, /Planning the route of your next message/);
  assert.match(doc, /\*\*Spent by Switchyard:\*\* \$0\.25 today, \$1\.50 this month/);
  assert.doesNotMatch(doc, /## Candidates/);
  assert.doesNotMatch(planningDocument(), /Spent by Switchyard/, 'no spend figure when none is known');
  const failed = planningFailedDocument('no key `x` <b>');
  assert.match(failed, /\*\*Could not plan the route:\*\*/);
  assert.match(failed, /Run Explain Route again/);
  assert.doesNotMatch(failed, /<b>/, 'the reason is text, not markup');
});
