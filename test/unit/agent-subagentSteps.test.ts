/**
 * A subagent's steps multiplied with its parent's: a task of `agent.maxSteps` N whose every step
 * ran a subagent of `agent.subagent.maxSteps` M sent up to N × (M + 1) requests. A subagent's
 * step now counts against the task's limit, and a subagent takes at most the steps the task has
 * left (src/agent/runSteps.ts): the run sends at most N requests in all, whatever M is.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { OpenRouterClient } from '../../src/openrouter/client';
import type { ModelInfo } from '../../src/openrouter/catalogue';
import { FIXTURE_MODELS } from '../fake-openrouter/catalogue';
import { textOf } from '../fake-openrouter/answer';
import { startFakeOpenRouter, type FakeOpenRouter } from '../fake-openrouter/server';
import { agentHarness } from '../faults/agentSession';

const KEY = 'sk-or-v1-subagent-steps-key-0000000';

let fake: FakeOpenRouter;
let models: ModelInfo[];
before(async () => {
  fake = await startFakeOpenRouter();
  models = [...(await new OpenRouterClient({ baseUrl: fake.baseUrl, apiKey: KEY }).listModels()).models];
});
after(() => fake.close());
beforeEach(() => fake.reset());

type Body = { messages: { role: string; content: unknown }[] };
const isSubagent = (b: Body): boolean =>
  b.messages.some((m) => m.role === 'user' && textOf(m.content as never).includes('SUBTASK'));

/** A parent that hands every step to a subagent, and subagents that never stop searching. */
const ENDLESS = {
  turns: [
    { when: { userIncludes: 'SUBTASK' }, toolCalls: [{ name: 'search_text', arguments: '{"query": "port"}' }] },
    { toolCalls: [{ name: 'run_subagent', arguments: JSON.stringify({ task: 'SUBTASK: look again' }) }] },
  ],
};

describe("a subagent's steps count against the task's step limit", () => {
  for (const [maxSteps, subagentMaxSteps] of [
    [4, 8],
    [10, 3],
    [3, 50],
  ] as const) {
    it(`agent.maxSteps ${maxSteps} with agent.subagent.maxSteps ${subagentMaxSteps}: at most ${maxSteps} requests in all`, async () => {
      fake.setAgentScript(ENDLESS);
      const h = agentHarness({
        baseUrl: fake.baseUrl,
        models,
        apiKey: KEY,
        model: FIXTURE_MODELS.claudeSonnet4,
        agent: { maxSteps, subagentMaxSteps },
      });
      h.workspace.files.set('config.txt', 'port = 8080\n');
      await h.session.send('Where is the port configured?');
      await h.session.idle();
      const bodies = fake.chatRequests().map((r) => r.body as Body);
      const sub = bodies.filter(isSubagent).length;
      assert.ok(sub > 0, 'a subagent ran');
      assert.equal(bodies.length, maxSteps, `${bodies.length - sub} own steps + ${sub} subagent steps`);
      const cards = [...h.cards.values()].filter((c) => c.tool === 'run_subagent');
      assert.ok(cards.every((c) => (c.subagent?.steps.length ?? 0) <= subagentMaxSteps));
    });
  }

  it("a subagent asked for on the task's last step is not run, and says why", async () => {
    fake.setAgentScript(ENDLESS);
    const h = agentHarness({
      baseUrl: fake.baseUrl,
      models,
      apiKey: KEY,
      model: FIXTURE_MODELS.claudeSonnet4,
      agent: { maxSteps: 1, subagentMaxSteps: 8 },
    });
    await h.session.send('go');
    await h.session.idle();
    const bodies = fake.chatRequests().map((r) => r.body as Body);
    assert.equal(bodies.length, 1);
    assert.equal(bodies.filter(isSubagent).length, 0);
    const card = [...h.cards.values()].find((c) => c.tool === 'run_subagent')!;
    assert.equal(card.state, 'rejected');
    assert.match(card.summary ?? '', /no steps left/);
  });

  for (const budgetUsd of [0.03, 0.06]) {
    it(`a task budget of $${budgetUsd} (block) holds with subagents running: their spend is the task's`, async () => {
      fake.setAgentScript(ENDLESS);
      const h = agentHarness({
        baseUrl: fake.baseUrl,
        models,
        apiKey: KEY,
        model: FIXTURE_MODELS.claudeSonnet4,
        routing: { onBudget: 'block' },
        agent: { maxSteps: 200, subagentMaxSteps: 50, taskBudgetUsd: budgetUsd },
      });
      h.workspace.files.set('config.txt', 'port = 8080\n');
      await h.session.send('Where is the port configured?');
      await h.session.idle();
      const bodies = fake.chatRequests().map((r) => r.body as Body);
      assert.ok(bodies.filter(isSubagent).length > 0, 'a subagent ran');
      const task = h.session.task();
      assert.ok(task.spentUsd <= budgetUsd, `spent ${task.spentUsd} of ${budgetUsd} in ${bodies.length} requests`);
      assert.ok(Math.abs(task.spentUsd - h.router.spend().todayUsd) < 1e-9, 'every request counted in the task');
    });
  }
});
