import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toolSubstitution, ToolSubstitutionNotice } from '../../src/agent/toolNotice';
import type { Decision, Plan } from '../../src/routing/types';

const PICKED = 'mistralai/no-tools-7b';

function plan(decisions: readonly Decision[], first = 'openai/gpt-4o-mini'): Plan {
  return {
    attempts: [{ body: { model: first } } as unknown as Plan['attempts'][number]],
    decisions,
    warnings: [],
    notes: [],
    worstCaseUsd: 0.001,
  };
}

const noTools: Decision = {
  model: PICKED,
  verdict: 'excluded',
  rule: 'capability.tools',
  detail: `${PICKED} does not support tool use`,
};

describe('a picked model without tools in Agent mode', () => {
  it('is named once per task: the first step gets the notice, later steps none, the header keeps it', () => {
    const once = new ToolSubstitutionNotice();
    assert.deepEqual(once.taskFields(), {});
    const first = once.check(plan([noTools]), PICKED, 'openai/gpt-4o-mini');
    assert.match(first ?? '', /no-tools-7b does not support tool use.*go to openai\/gpt-4o-mini instead/);
    assert.deepEqual(once.taskFields(), { substitution: 'no-tools-7b has no tools → gpt-4o-mini' });
    for (let step = 0; step < 5; step++)
      assert.equal(once.check(plan([noTools]), PICKED, 'openai/gpt-4o-mini'), undefined, `step ${step + 2}`);
    once.reset();
    assert.deepEqual(once.taskFields(), {}, 'a new task starts unsaid');
    assert.ok(once.check(plan([noTools]), PICKED, 'anthropic/claude-sonnet-4'), 'and says it again');
  });

  it('says nothing when the picked model was not left out for tools (variants)', () => {
    const cases: [string, Plan, string | undefined][] = [
      ['no decision', plan([]), 'openai/gpt-4o-mini'],
      ['placed, not excluded', plan([{ ...noTools, verdict: 'placed' }]), 'openai/gpt-4o-mini'],
      ['excluded for images', plan([{ ...noTools, rule: 'capability.vision' }]), 'openai/gpt-4o-mini'],
      ['another model lacked tools', plan([{ ...noTools, model: 'x/other' }]), 'openai/gpt-4o-mini'],
      ['the picked model served anyway', plan([noTools], PICKED), PICKED],
      ['nothing to name instead', { ...plan([noTools]), attempts: [] }, undefined],
    ];
    for (const [what, p, served] of cases) {
      assert.equal(toolSubstitution(p, PICKED, served), undefined, what);
      const once = new ToolSubstitutionNotice();
      assert.equal(once.check(p, PICKED, served), undefined, what);
      assert.deepEqual(once.taskFields(), {}, what);
    }
  });

  it('names the model that served, else the planned first attempt', () => {
    assert.match(toolSubstitution(plan([noTools]), PICKED, undefined)?.notice ?? '', /go to openai\/gpt-4o-mini/);
    assert.match(
      toolSubstitution(plan([noTools]), PICKED, 'google/gemini-2.5-flash')?.header ?? '',
      /→ gemini-2\.5-flash$/,
    );
  });
});
