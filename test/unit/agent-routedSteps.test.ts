/**
 * Routed steps against the fake OpenRouter (issue 23): each step's card says which model served it
 * and why; `run_subagent` explores on a cheaper model in its own transcript, its spend counted in
 * the task; the task budget with every `onBudget` value, `downgrade` moving the remaining steps to
 * a cheaper tool-capable model. Pure parts (verdicts, forecast) are checked directly.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { OpenRouterClient } from '../../src/openrouter/client';
import type { ModelInfo } from '../../src/openrouter/catalogue';
import { budgetVerdict, forecast, taskBudget } from '../../src/agent/taskBudget';
import { FIXTURE_MODELS } from '../fake-openrouter/catalogue';
import { textOf } from '../fake-openrouter/answer';
import { startFakeOpenRouter, type FakeOpenRouter } from '../fake-openrouter/server';
import type { AgentScript } from '../fake-openrouter/agent';
import { agentHarness, type AgentHarnessOptions } from '../faults/agentSession';
import type { OnBudget } from '../../src/routing/types';

const KEY = 'sk-or-v1-routed-steps-key-000000000';
const PICK = FIXTURE_MODELS.claudeSonnet4;

let fake: FakeOpenRouter;
let models: ModelInfo[];
before(async () => {
  fake = await startFakeOpenRouter();
  models = [...(await new OpenRouterClient({ baseUrl: fake.baseUrl, apiKey: KEY }).listModels()).models];
});
after(() => fake.close());
beforeEach(() => fake.reset());

function harness(extra: Partial<AgentHarnessOptions> = {}) {
  const h = agentHarness({ baseUrl: fake.baseUrl, models, apiKey: KEY, model: PICK, ...extra });
  h.workspace.files.set('config.txt', 'port = 8080\n');
  h.workspace.files.set('src/app.js', "import { readFileSync } from 'node:fs';\n");
  return h;
}

type Body = { model: string; messages: { role: string; content: unknown }[]; tools?: { function: { name: string } }[] };
const bodies = (): Body[] => fake.chatRequests().map((r) => r.body as Body);
const userText = (b: Body): string =>
  b.messages
    .filter((m) => m.role === 'user')
    .map((m) => textOf(m.content as never))
    .join('\n');
const price = (id: string): number => {
  const m = models.find((x) => x.id === id)!;
  return m.promptPrice * 8000 + m.completionPrice * 800;
};

const SUBAGENT: AgentScript = {
  turns: [
    {
      when: { userIncludes: 'SUBTASK', step: 0 },
      toolCalls: [{ name: 'search_text', arguments: JSON.stringify({ query: 'port' }) }],
    },
    { when: { userIncludes: 'SUBTASK', step: 1 }, text: 'REPORT: the port is set in config.txt line 1.' },
    {
      when: { step: 0 },
      toolCalls: [{ name: 'run_subagent', arguments: JSON.stringify({ task: 'SUBTASK: find where the port is set' }) }],
    },
    { when: { anyToolResultIncludes: 'REPORT:' }, text: 'The port is configured in config.txt.' },
  ],
};

describe('routed steps: each step says which model served it and why', () => {
  it('an act step runs on the pick, and its card names the tier, the router’s rule and the prompt cache', async () => {
    fake.setAgentScript({
      turns: [
        { when: { step: 0 }, toolCalls: [{ name: 'read_file', arguments: JSON.stringify({ path: 'config.txt' }) }] },
        { when: { step: 1 }, text: 'Read it.' },
      ],
    });
    const h = harness();
    await h.session.send('read the config');
    const steps = h.session.views().filter((m) => m.role === 'assistant');
    assert.equal(steps.length, 2);
    for (const s of steps) {
      assert.equal(s.meta?.model, PICK);
      assert.match(s.meta?.route ?? '', /^act tier: the picked model · router: anthropic\/claude-sonnet-4 by pick/);
    }
    assert.match(steps[1]!.meta?.route ?? '', /sticky to .* \(prompt cache kept\)/);
    assert.ok(bodies().every((b) => b.model === PICK));
  });
});

describe('run_subagent', () => {
  it('explores on a cheaper model in its own transcript, returns only its report, and its spend counts in the task', async () => {
    fake.setAgentScript(SUBAGENT);
    const h = harness();
    await h.session.send('Where is the port configured?');
    await h.session.idle();
    const all = bodies();
    const sub = all.filter((b) => userText(b).includes('SUBTASK'));
    const parent = all.filter((b) => !userText(b).includes('SUBTASK'));
    assert.equal(sub.length, 2);
    assert.equal(parent.length, 2);
    // On the explore tier: cheaper than the pick, read-only tools only.
    for (const b of sub) {
      assert.notEqual(b.model, PICK);
      assert.ok(price(b.model) < price(PICK), `${b.model} is cheaper than ${PICK}`);
      assert.deepEqual(
        b.tools?.map((t) => t.function.name),
        ['read_file', 'list_files', 'search_text', 'get_diagnostics'],
      );
      // Its own transcript: nothing of the parent's conversation.
      assert.ok(!JSON.stringify(b.messages).includes('Where is the port configured?'));
    }
    // The parent offers run_subagent and gets back only the report.
    assert.ok(parent[0]!.tools?.some((t) => t.function.name === 'run_subagent'));
    const toolResults = parent[1]!.messages.filter((m) => m.role === 'tool').map((m) => textOf(m.content as never));
    assert.deepEqual(toolResults, ['REPORT: the port is set in config.txt line 1.']);
    assert.ok(
      !JSON.stringify(parent[1]!.messages).includes('port = 8080'),
      'the search results stay with the subagent',
    );
    // One card with its own steps, the model of each.
    const card = [...h.cards.values()].find((c) => c.tool === 'run_subagent')!;
    assert.equal(card.state, 'done');
    assert.equal(card.subagent?.steps.length, 2);
    assert.ok(card.subagent!.steps.every((s) => s.model === sub[0]!.model && /^explore tier: cheapest/.test(s.route)));
    assert.deepEqual(card.subagent!.steps[0]!.tools, ['search_text']);
    // Spend roll-up: the task's spend is what every request cost (the router's ledger), the subagent's included.
    const task = h.session.task();
    assert.ok(card.subagent!.spentUsd > 0);
    assert.ok(
      Math.abs(task.spentUsd - h.router.spend().todayUsd) < 1e-9,
      `${task.spentUsd} vs ${h.router.spend().todayUsd}`,
    );
    assert.ok(task.spentUsd > card.subagent!.spentUsd);
  });

  it('is stopped by Stop, and bad arguments are an error result, not a crash', async () => {
    fake.setAgentScript({
      turns: [
        { when: { step: 0 }, toolCalls: [{ name: 'run_subagent', arguments: '{"task": ""}' }] },
        { when: { step: 1 }, text: 'ok' },
      ],
    });
    const h = harness();
    await h.session.send('go');
    const toolResult = bodies()[1]!.messages.find((m) => m.role === 'tool');
    assert.match(textOf(toolResult!.content as never), /run_subagent needs \{"task"/);

    fake.reset();
    fake.setAgentScript(SUBAGENT);
    const h2 = harness({
      onPost: (m, hh) => {
        if (m.type === 'messageUpdated' && m.message.tools?.some((c) => c.tool === 'run_subagent')) hh.session.stop();
      },
    });
    await h2.session.send('Where is the port configured?');
    const card = [...h2.cards.values()].find((c) => c.tool === 'run_subagent')!;
    assert.equal(card.state, 'failed');
    assert.ok(bodies().filter((b) => userText(b).includes('SUBTASK')).length <= 1);
  });
});

const TWO_STEPS: AgentScript = {
  turns: [
    // A long read: the next step's prompt (and worst case) grows past what the budget has left.
    { when: { step: 0 }, toolCalls: [{ name: 'read_file', arguments: JSON.stringify({ path: 'big.txt' }) }] },
    { when: { step: 1 }, toolCalls: [{ name: 'list_files', arguments: '{}' }] },
    { when: { step: 2 }, text: 'Done.' },
  ],
};

describe('task budget through the session', () => {
  // The first step's worst case on the pick (~$0.028) fits $0.04; the second's, after the long read, does not.
  const run = async (onBudget: OnBudget, budgetUsd = 0.04) => {
    fake.setAgentScript(TWO_STEPS);
    const h = harness({ routing: { onBudget }, agent: { taskBudgetUsd: budgetUsd } });
    h.workspace.files.set('big.txt', 'lorem ipsum dolor sit amet\n'.repeat(700));
    await h.session.send('look around');
    return { h, views: h.session.views(), models: bodies().map((b) => b.model) };
  };

  it('downgrade: once the next step would cross the budget, the remaining steps move to a cheaper tool-capable model, shown on the step', async () => {
    const { h, views, models: sent } = await run('downgrade');
    assert.equal(sent[0], PICK);
    const moved = sent.slice(1);
    assert.ok(moved.length >= 1 && moved.every((m) => m !== PICK && price(m) < price(PICK)), sent.join(', '));
    const notice = views.flatMap((v) => v.notices ?? []).find((n) => n.startsWith('Budget: moved to'));
    assert.match(
      notice ?? '',
      new RegExp(`^Budget: moved to ${moved[0]!.replace(/[/.]/g, '\\$&')} \\(from ${PICK.replace(/[/.]/g, '\\$&')}\\)`),
    );
    assert.equal(h.session.task().movedTo, moved[0]);
    assert.equal(views.at(-1)?.status, 'done');
  });

  it('block: stops before the step, with the ways forward', async () => {
    const { views } = await run('block');
    const last = views.at(-1)!;
    assert.equal(last.status, 'error');
    assert.match(
      last.error?.message ?? '',
      /over the task budget of \$0\.04.*Ways forward: raise this task's budget or move the remaining steps to a cheaper model/,
    );
    assert.equal(last.error?.action?.command, 'switchyard.agent.setTaskBudget');
  });

  it('ask: the user says no → stopped with the ways forward', async () => {
    const { views } = await run('ask');
    assert.match(views.at(-1)?.error?.message ?? '', /Ways forward/);
  });

  it('warn: goes on, saying so on the step', async () => {
    const { views, models: sent } = await run('warn');
    assert.ok(sent.every((m) => m === PICK));
    assert.ok(views.some((v) => (v.notices ?? []).some((n) => /onBudget: warn, so it goes on/.test(n))));
    assert.equal(views.at(-1)?.status, 'done');
  });

  it('downgradeToFree: the remaining steps go to a free tool-capable model', async () => {
    const { models: sent } = await run('downgradeToFree');
    assert.equal(sent[0], PICK);
    assert.ok(
      sent.slice(1).every((m) => m.endsWith(':free')),
      sent.join(', '),
    );
  });

  it('the task’s own budget (Change Task Budget) overrides the setting; "no budget" lifts it', async () => {
    fake.setAgentScript(TWO_STEPS);
    const h = harness({ routing: { onBudget: 'block' }, agent: { taskBudgetUsd: 0.04 } });
    h.workspace.files.set('big.txt', 'lorem ipsum dolor sit amet\n'.repeat(700));
    await h.session.setTaskBudget({ usd: null });
    await h.session.send('look around');
    assert.equal(h.session.views().at(-1)?.status, 'done');
    assert.equal(h.session.task().budgetUsd, undefined);
    await h.session.setTaskBudget({ usd: 5 });
    assert.equal(h.session.task().budgetUsd, 5);
    assert.match(h.session.task().forecast ?? '', /\/step · budget lasts ~\d+ more steps/);
  });

  it('Change Task Budget → cheaper model with an amount, before the first message: the task moves instead of stopping', async () => {
    fake.setAgentScript(TWO_STEPS);
    // No budget in the settings and onBudget block: the task's own figure and downgrade are all there is.
    const h = harness({ routing: { onBudget: 'block' } });
    h.workspace.files.set('big.txt', 'lorem ipsum dolor sit amet\n'.repeat(700));
    await h.session.setTaskBudget({ downgrade: true, usd: 0.04 });
    assert.equal(h.session.task().budgetUsd, 0.04);
    await h.session.send('look around');
    const sent = bodies().map((b) => b.model);
    assert.equal(sent[0], PICK);
    assert.ok(sent.length >= 2 && sent.slice(1).every((m) => m !== PICK), sent.join(', '));
    assert.equal(h.session.views().at(-1)?.status, 'done');
    assert.equal(h.session.task().movedTo, sent.at(-1));
  });
});

describe('task budget verdicts (pure)', () => {
  const budget = { limitUsd: 1, source: 'setting' as const };
  it('every onBudget value, when the next step would cross', () => {
    assert.equal(budgetVerdict('warn', budget, 0.9, 0.2).kind, 'warn');
    assert.equal(budgetVerdict('ask', budget, 0.9, 0.2).kind, 'ask');
    assert.equal(budgetVerdict('block', budget, 0.9, 0.2).kind, 'block');
    assert.deepEqual(budgetVerdict('downgradeToFree', budget, 0.9, 0.2), {
      kind: 'downgrade',
      toFree: true,
      remainingUsd: 0.09999999999999998,
      why:
        budgetVerdict('downgrade', budget, 0.9, 0.2).kind === 'downgrade'
          ? (budgetVerdict('downgrade', budget, 0.9, 0.2) as { why: string }).why
          : '',
    });
    assert.equal((budgetVerdict('downgrade', budget, 0.9, 0.2) as { toFree: boolean }).toFree, false);
  });
  it('a step that fits, or no budget, goes', () => {
    for (const on of ['warn', 'ask', 'block', 'downgradeToFree', 'downgrade'] as const) {
      assert.equal(budgetVerdict(on, budget, 0.5, 0.5).kind, 'go');
      assert.equal(budgetVerdict(on, { source: 'setting' }, 100, 100).kind, 'go');
    }
  });
  it('which budget applies: the task’s own, else the setting, else the per-request budget (whole task)', () => {
    assert.deepEqual(taskBudget(2, 1, 0.5), { limitUsd: 2, source: 'task' });
    assert.deepEqual(taskBudget(null, 1, 0.5), { source: 'task' });
    assert.deepEqual(taskBudget(undefined, 1, 0.5), { limitUsd: 1, source: 'setting' });
    assert.deepEqual(taskBudget(undefined, undefined, 0.5), { limitUsd: 0.5, source: 'perRequest' });
    assert.deepEqual(taskBudget(undefined, undefined, undefined), { source: 'setting' });
  });
  it('forecast at the current rate', () => {
    assert.equal(forecast(0, 0, 25), undefined);
    assert.equal(forecast(0.04, 4, 25)?.text, '~$0.01/step · ≤ $0.25 at 25 steps');
    assert.equal(forecast(0.04, 4, 25, 0.1)?.stepsLeft, 6);
    assert.match(forecast(0.04, 4, 25, 0.1)?.text ?? '', /budget lasts ~6 more steps/);
  });
});
