/**
 * Compaction in a running agent task (issue 23), the real AgentSession against the fake
 * OpenRouter: the fake's 40-step task on its 32K-context model compacts and goes on — the request
 * after the compaction still holds every call of the kept steps with its results (asserted on
 * the recorded request bodies; the fake also refuses a wrong replay as a strict provider does),
 * keeps the system message, the task's session and provider; the summary is costed and shown as
 * its own step; the view keeps every step. A compaction that fails (model error, budget, an empty
 * summary) elides as before and the task goes on; Stop during one stops the task; `/compact`
 * compacts on demand.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { KEEP_STEPS, SUMMARY_HEADING } from '../../src/agent/compaction';
import type { ModelInfo } from '../../src/openrouter/catalogue';
import { fakeOpenRouterPerFile } from './fakeOpenRouterHooks';
import type { ChatMessageView } from '../../src/protocol/messages';
import { longTask } from '../../bench/agentLong';
import { FIXTURE_MODELS, type FakeOpenRouter } from '../fake-openrouter/server';
import { LONG_TASK_REQUEST, LONG_TASK_STEPS, longTaskFiles, longTaskScript } from '../fake-openrouter/longTask';
import { agentHarness } from '../faults/agentSession';

const KEY = 'sk-or-v1-agent-compactor-0000000000';
/** A shorter task of bigger parts: it compacts around its 11th step. */
const SHORT = { steps: 16, tokensPerPart: 2500 };
let fake: FakeOpenRouter;
let models: ModelInfo[];

fakeOpenRouterPerFile(KEY, (started, catalogue) => {
  fake = started;
  models = catalogue;
});

interface Body {
  model: string;
  session_id?: string;
  tools?: unknown[];
  provider?: { order?: string[] };
  messages: { role: string; content: unknown; tool_calls?: { id: string }[]; tool_call_id?: string }[];
}
const bodies = (): Body[] => fake.chatRequests().map((r) => r.body as Body);
const isStep = (b: Body): boolean => Array.isArray(b.tools);
const textOf = (content: unknown): string =>
  typeof content === 'string' ? content : (content as { text: string }[]).map((p) => p.text).join('');
const compactionCards = (views: readonly ChatMessageView[]): ChatMessageView[] =>
  views.filter((m) => m.role === 'assistant' && /^(\*\*)?Compact|^Compaction/.test(m.text));

/** Ids of calls that have their results in a request's messages. */
function pairedIds(b: Body): string[] {
  const answered = new Set(b.messages.flatMap((m) => (m.role === 'tool' ? [m.tool_call_id!] : [])));
  return b.messages.flatMap((m) => (m.tool_calls ?? []).map((c) => c.id)).filter((id) => answered.has(id));
}

/** A harness on the 32K model with the long task's files, the compact tier on `compactModel`. */
function longHarness(
  options: { compactModel?: string; budgetUsd?: number; steps?: number; tokensPerPart?: number } = {},
) {
  const steps = options.steps ?? LONG_TASK_STEPS;
  fake.reset();
  fake.setAgentScript(longTaskScript(steps));
  const h = agentHarness({
    baseUrl: fake.baseUrl,
    models,
    apiKey: KEY,
    model: FIXTURE_MODELS.agent32k,
    routing: {
      tiers: { compact: [options.compactModel ?? FIXTURE_MODELS.gpt4oMini] },
      ...(options.budgetUsd !== undefined ? { budgets: { perRequestUsd: options.budgetUsd }, onBudget: 'block' } : {}),
    },
    agent: { maxSteps: steps + 5 },
  });
  for (const [path, text] of Object.entries(longTaskFiles(steps, options.tokensPerPart)))
    h.workspace.files.set(path, text);
  return h;
}

describe('a 40-step task on a 32K-context model compacts and goes on', () => {
  let h: ReturnType<typeof longHarness>;
  let all: Body[];
  before(async () => {
    h = longHarness();
    await h.session.send(LONG_TASK_REQUEST);
    await h.session.idle();
    all = bodies();
  });

  it('the step after compaction has every call of the kept steps with its results, the system message and the session', () => {
    assert.ok(
      fake.chatRequests().every((r) => r.status === 200),
      'no request was refused (the fake checks each replay)',
    );
    const steps = all.filter(isStep);
    assert.equal(steps.length, LONG_TASK_STEPS, 'all 40 steps ran');
    const summaries = all.filter((b) => !isStep(b));
    assert.ok(summaries.length >= 1, 'at least one compaction');
    assert.ok(
      summaries.every((b) => b.model === FIXTURE_MODELS.gpt4oMini),
      'the summary goes to the compact tier',
    );
    for (const summary of summaries) {
      // The step right before a compaction, and the one after it.
      const at = all.indexOf(summary);
      const beforeIt = all[at - 1]!;
      const afterIt = all[at + 1]!;
      assert.ok(isStep(beforeIt) && isStep(afterIt));
      assert.deepEqual(
        afterIt.messages[0],
        beforeIt.messages[0],
        'the system message (the cached prefix) is unchanged',
      );
      assert.ok(textOf(afterIt.messages[1]!.content).startsWith(SUMMARY_HEADING), 'the summary follows it');
      assert.match(textOf(afterIt.messages[1]!.content), /<request>\nRead the design notes/);
      // The kept steps: the last three the step before saw, and the one it answered; each call still paired.
      const kept = beforeIt.messages.filter((m) => m.role === 'assistant').slice(-(KEEP_STEPS - 1));
      const keptIds = kept.flatMap((m) => (m.tool_calls ?? []).map((c) => c.id));
      assert.ok(keptIds.length >= KEEP_STEPS - 1);
      const sent = afterIt.messages.flatMap((m) => (m.tool_calls ?? []).map((c) => c.id));
      const paired = pairedIds(afterIt);
      for (const id of keptIds) assert.ok(paired.includes(id), `call ${id} is still sent with its result`);
      assert.deepEqual(paired, sent, 'every call sent has its result');
      assert.equal(afterIt.messages.filter((m) => m.role === 'assistant').length, KEEP_STEPS);
      assert.ok(afterIt.messages.length < beforeIt.messages.length / 2, 'the transcript shrank');
      assert.equal(afterIt.session_id, beforeIt.session_id, 'the same task session');
      assert.equal(summary.session_id, undefined, 'the summary is not part of the task session');
    }
    assert.equal(h.session.task().steps, LONG_TASK_STEPS);
    assert.match(h.session.views().at(-1)!.text, /All 39 parts read/);
  });

  it('shows the compaction as a step with its model and cost, counted in the task; the view keeps every step', () => {
    const views = h.session.views();
    const [card] = compactionCards(views);
    assert.ok(card, 'a compaction step');
    assert.match(card.text, /^\*\*Compacted \d+(\.\d)?k → \d+(\.\d)?k tokens\.\*\* \d+ earlier steps were summarized/);
    assert.equal(card.status, 'done');
    assert.equal(card.meta?.model, FIXTURE_MODELS.gpt4oMini);
    assert.ok((card.meta?.cost ?? 0) > 0, 'the summary has a cost');
    const stepCosts = views.filter((m) => m.role === 'assistant').reduce((n, m) => n + (m.meta?.cost ?? 0), 0);
    assert.ok(Math.abs(h.session.task().spentUsd - stepCosts) < 1e-9, 'the task spend includes the summary');
    assert.equal(views.filter((m) => m.tools !== undefined).length, LONG_TASK_STEPS, 'every step is still shown');
    // The stored transcript is the compacted one (what the model is sent).
    const stored = h.store.get<{ transcript: { content: unknown }[] }>('switchyard.agentTask.v1')!;
    assert.ok(textOf(stored.transcript[1]!.content).startsWith(SUMMARY_HEADING));
  });

  it('after compaction, a Claude step still reads the cached prefix and stays on its provider', async () => {
    // Claude seen with a 32K context (the fake serves its 200K): the task compacts. The tools and the
    // system prompt (~700 tokens here; with instructions and MCP tools often more) are cached from 256 tokens.
    fake.setOptions({ cacheMinTokens: 256 });
    const run = await longTask(fake, models, {
      ...SHORT,
      contextLength: 32_768,
      caching: true,
      routed: true,
      keepRequests: true,
    });
    const claude = bodies();
    const first = claude.findIndex((b) => !isStep(b));
    assert.ok(first > 0, 'it compacted');
    const afterIt = claude[first + 1]!;
    assert.match(JSON.stringify(afterIt.messages[0]), /cache_control/, 'a breakpoint on the unchanged system message');
    assert.equal(afterIt.provider?.order?.[0], claude[first - 1]!.provider?.order?.[0], 'the sticky provider stays');
    const steps = run.harness.session.views().filter((m) => m.tools !== undefined);
    const stepAfter = steps[claude.slice(0, first + 1).filter(isStep).length]!;
    fake.setOptions({ cacheMinTokens: 1024 });
    assert.ok(
      (stepAfter.meta?.cache?.readTokens ?? 0) > 256,
      `read from the cache: ${stepAfter.meta?.cache?.readTokens}`,
    );
  });
});

describe('a compaction that fails: the task goes on with elided results', () => {
  const variants: {
    name: string;
    arrange: () => Promise<ReturnType<typeof longHarness>>;
    reason: RegExp;
  }[] = [
    {
      name: 'a model error',
      arrange: async () => {
        const h = longHarness({ ...SHORT, compactModel: FIXTURE_MODELS.llama });
        fake.setFault(
          FIXTURE_MODELS.llama,
          Array.from({ length: 20 }, () => ({ kind: 'http' as const, status: 400 })),
        );
        return h;
      },
      reason: /Compaction failed: /,
    },
    {
      name: 'the task budget',
      arrange: async () => {
        // What the task has spent when it compacts (a first run), then a budget a step fits in and the summary does not.
        const probe = longHarness(SHORT);
        await probe.session.send(LONG_TASK_REQUEST);
        await probe.session.idle();
        const views = probe.session.views();
        const at = views.indexOf(compactionCards(views)[0]!);
        const spent = views.slice(0, at).reduce((n, m) => n + (m.meta?.cost ?? 0), 0);
        return longHarness({ ...SHORT, compactModel: FIXTURE_MODELS.claudeSonnet4, budgetUsd: spent + 0.04 });
      },
      reason: /Compaction failed: the summary could bring this task to \$[\d.]+, over its budget of \$[\d.]+\./,
    },
    {
      name: 'an empty summary',
      arrange: async () => {
        const h = longHarness(SHORT);
        fake.setOptions({ answer: '' });
        return h;
      },
      reason: /Compaction failed: the model returned no summary\./,
    },
  ];
  for (const variant of variants)
    it(`on ${variant.name}: says so on its step, elides, and goes on`, async () => {
      const h = await variant.arrange();
      try {
        await h.session.send(LONG_TASK_REQUEST);
        await h.session.idle();
        const [card] = compactionCards(h.session.views());
        assert.ok(card, 'a compaction step');
        assert.match(card.text, variant.reason);
        assert.match(card.text, /The task goes on; \d+ older tool results are elided instead\./);
        const all = bodies().filter(isStep);
        assert.ok(
          all.some((b) =>
            b.messages.some((m) => /output of read_file docs\/part-0\.md elided/.test(textOf(m.content))),
          ),
          'old results are elided',
        );
        const views = h.session.views();
        assert.ok(
          views.slice(views.indexOf(card)).some((m) => m.tools?.length),
          'a step ran after the failed compaction',
        );
      } finally {
        fake.setOptions({ answer: undefined });
        fake.setFault(FIXTURE_MODELS.llama, undefined);
      }
    });

  it('Stop during a compaction stops the task; nothing is compacted or elided', async () => {
    const h = longHarness({ ...SHORT, compactModel: FIXTURE_MODELS.llama });
    fake.setFault(FIXTURE_MODELS.llama, { kind: 'hang' });
    const stopped = new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (h.posted.some((m) => m.type === 'messageAdded' && m.message.text.startsWith('Compacting'))) {
          clearInterval(timer);
          h.session.stop();
          resolve();
        }
      }, 5);
    });
    try {
      await h.session.send(LONG_TASK_REQUEST);
      await stopped;
      const [card] = compactionCards(h.session.views());
      assert.equal(card?.status, 'stopped');
      const stored = h.store.get<{ transcript: { content: unknown }[] }>('switchyard.agentTask.v1')!;
      assert.ok(!stored.transcript.some((m) => textOf(m.content).startsWith(SUMMARY_HEADING)));
      assert.ok(!stored.transcript.some((m) => /elided$/.test(textOf(m.content))));
      assert.ok(h.session.task().steps < SHORT.steps, 'the task stopped');
    } finally {
      fake.setFault(FIXTURE_MODELS.llama, undefined);
    }
  });
});

describe('/compact on demand', () => {
  it('compacts a task now, whatever its size; the next message goes on from the summary', async () => {
    const h = longHarness({ steps: 8 });
    await h.session.send(LONG_TASK_REQUEST);
    await h.session.idle();
    assert.equal(compactionCards(h.session.views()).length, 0, 'a short task does not compact by itself');
    await h.session.send('/compact');
    await h.session.idle();
    const [card] = compactionCards(h.session.views());
    assert.match(card!.text, /^\*\*Compacted [\d.]+k → [\d.]+k tokens\.\*\* 4 earlier steps were summarized/);
    assert.equal(h.session.views().at(-2)!.text, '/compact', "the user's line is shown");
    fake.setAgentScript({ turns: [{ text: 'Still here.' }] });
    await h.session.send('What did the parts say?');
    const last = bodies().at(-1)!;
    assert.ok(textOf(last.messages[1]!.content).startsWith(SUMMARY_HEADING));
    assert.equal(textOf(last.messages.at(-1)!.content), 'What did the parts say?');
  });

  it('says there is nothing to compact yet on a short task, and sends nothing', async () => {
    const h = longHarness({ steps: 3 });
    await h.session.send(LONG_TASK_REQUEST);
    const sent = fake.chatRequests().length;
    await h.session.send(' /compact ');
    assert.equal(fake.chatRequests().length, sent);
    assert.ok(
      h.posted.some((m) => m.type === 'composerNotice' && /Nothing to compact yet/.test(m.text)),
      'a notice says why',
    );
  });
});
