/**
 * What a request cost is counted one way for chat answers, agent steps and completions (the turn
 * layer, src/turn/spend.ts): Stop at every phase — right after the response began (no chunk
 * yet), mid-thinking, mid-text, mid-tool-call — and a broken stream record exactly what the fake
 * OpenRouter billed, in the spend ledger the budgets use. A caller that sent on its own (its own
 * client, no spend record on Stop) fails these.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatSettings } from '../../src/chat/chatSession';
import { buildFimPrompt } from '../../src/completions/prompt';
import { CompletionSender, isSendResult } from '../../src/completions/route';
import type { ModelInfo } from '../../src/openrouter/catalogue';
import { OpenRouterClient } from '../../src/openrouter/client';
import type { ReasoningChoice } from '../../src/openrouter/reasoning';
import { BreakerBoard } from '../../src/routing/breaker';
import type { Plan } from '../../src/routing/types';
import type { AgentScript } from '../fake-openrouter/agent';
import { FIXTURE_MODELS, type FakeOpenRouter } from '../fake-openrouter/server';
import { agentHarness } from '../faults/agentSession';
import { observedFetch, type FetchObserver } from '../faults/observedFetch';
import { recordedSession } from '../faults/session';
import { turnEnvWith } from '../faults/turnEnv';
import { fakeOpenRouterPerFile } from './fakeOpenRouterHooks';

const KEY = 'sk-or-v1-turn-spend-test-0000000000000';
let fake: FakeOpenRouter;
let models: ModelInfo[];

fakeOpenRouterPerFile(KEY, (f, m) => ((fake = f), (models = m)));

/** USD the fake billed for every generation it served (stopped and cut ones included). */
const billed = (): number => fake.generations.all().reduce((n, g) => n + g.usage.cost, 0);

const close = (actual: number, expected: number, what: string): void =>
  assert.ok(
    Math.abs(actual - expected) < 1e-12 && expected > 0,
    `${what}: recorded $${actual}, the fake billed $${expected}`,
  );

/** Where to press Stop: a test of the observer's `onHeaders` / `onText`. */
type StopAt = { readonly name: string; readonly at: (stop: () => void) => FetchObserver };

const PHASES: readonly StopAt[] = [
  { name: 'before the first chunk (the response began)', at: (stop) => ({ onHeaders: stop }) },
  { name: 'mid-thinking', at: (stop) => ({ onText: (t) => void (t.includes('"reasoning"') && stop()) }) },
  { name: 'mid-text', at: (stop) => ({ onText: (t) => void (/"content":"[^"]+"/.test(t) && stop()) }) },
];

describe('chat answers: Stop at every phase records what was billed', () => {
  for (const phase of PHASES) {
    it(phase.name, async () => {
      fake.setOptions({ tokenDelayMs: 40 });
      let stop = (): void => undefined;
      const settings: ChatSettings = { model: FIXTURE_MODELS.claudeSonnet4, fallbackModels: [], maxOutputTokens: 1024 };
      const efforts = new Map<string, ReasoningChoice>([[FIXTURE_MODELS.claudeSonnet4, 'high']]);
      const h = recordedSession({
        baseUrl: fake.baseUrl,
        models,
        apiKey: KEY,
        settings,
        timeoutSeconds: 10,
        maxWaitMs: 1000,
        efforts,
        fetch: observedFetch(phase.at(() => stop())),
      });
      let once = false;
      stop = () => {
        if (once) return;
        once = true;
        h.session.stop();
      };
      await h.session.send('Explain something long');
      await h.session.idle();
      const posted = h.posted.filter((m) => m.type === 'messageUpdated').at(-1);
      assert.equal(posted?.type === 'messageUpdated' && posted.message.status, 'stopped');
      close(h.router.spend().todayUsd, billed(), 'the ledger');
      const meta = posted?.type === 'messageUpdated' ? posted.message.meta : undefined;
      assert.ok(meta?.costEstimatedUsd === undefined, 'looked up, not estimated');
    });
  }

  it('a broken stream: the cut attempt is counted with the attempts after it', async () => {
    fake.setFault(FIXTURE_MODELS.gpt4oMini, { kind: 'cut', afterChunks: 3 });
    const settings: ChatSettings = { model: FIXTURE_MODELS.gpt4oMini, fallbackModels: [], maxOutputTokens: 1024 };
    const h = recordedSession({
      baseUrl: fake.baseUrl,
      models,
      apiKey: KEY,
      settings,
      timeoutSeconds: 10,
      maxWaitMs: 1000,
    });
    await h.session.send('Explain something');
    await h.session.idle();
    assert.ok(
      fake.generations.all().some((g) => g.finish_reason === null),
      'the cut generation was billed',
    );
    close(h.router.spend().todayUsd, billed(), 'the ledger');
  });
});

const LONG_ARGS = JSON.stringify({ path: 'src/calc.js', note: 'x'.repeat(200) });
const AGENT_SCRIPT: AgentScript = {
  turns: [
    {
      when: { step: 0 },
      text: 'Let me look at the code first, carefully.',
      reasoning: true,
      toolCalls: [{ name: 'read_file', arguments: LONG_ARGS }],
    },
    { text: 'Done.' },
  ],
};

describe('agent steps: Stop at every phase records what was billed (the task header and the ledger)', () => {
  const phases: StopAt[] = [
    ...PHASES,
    { name: 'mid-tool-call', at: (stop) => ({ onText: (t) => void (t.includes('"tool_calls"') && stop()) }) },
  ];
  for (const phase of phases) {
    it(phase.name, async () => {
      fake.setOptions({ tokenDelayMs: 30 });
      fake.setAgentScript(AGENT_SCRIPT);
      let stop = (): void => undefined;
      const h = agentHarness({
        baseUrl: fake.baseUrl,
        models,
        apiKey: KEY,
        model: FIXTURE_MODELS.claudeSonnet4,
        fetch: observedFetch(phase.at(() => stop())),
      });
      h.workspace.files.set('src/calc.js', 'export const add = (a, b) => a + b;\n');
      let once = false;
      stop = () => {
        if (once) return;
        once = true;
        h.session.stop();
      };
      await h.session.send('fix the test');
      await h.session.idle();
      assert.equal(h.session.views().at(-1)?.status, 'stopped');
      close(h.session.task().spentUsd, billed(), 'the task header');
      close(h.router.spend().todayUsd, billed(), 'the ledger');
      const task = h.posted.filter((m) => m.type === 'agentTask').at(-1);
      close(task?.type === 'agentTask' ? task.task.spentUsd : 0, billed(), 'the last agentTask the header got');
    });
  }

  it('a finished task: every step counted from its usage', async () => {
    fake.setAgentScript(AGENT_SCRIPT);
    const h = agentHarness({ baseUrl: fake.baseUrl, models, apiKey: KEY, model: FIXTURE_MODELS.claudeSonnet4 });
    h.workspace.files.set('src/calc.js', 'export const add = (a, b) => a + b;\n');
    await h.session.send('fix the test');
    await h.session.idle();
    assert.equal(h.session.task().steps, 2);
    close(h.session.task().spentUsd, billed(), 'the task');
    close(h.router.spend().todayUsd, billed(), 'the ledger');
  });
});

describe('completions: a keystroke that aborts a request records what was billed', () => {
  const plan: Plan = {
    attempts: [{ keyId: 'k', body: { model: FIXTURE_MODELS.gpt4oMini }, worstCaseUsd: 0.001 }],
    decisions: [],
    warnings: [],
    notes: [],
    worstCaseUsd: 0.001,
  };
  const promptAt = (prefix: string) =>
    buildFimPrompt({ prefix, suffix: '', languageId: 'typescript', path: 'a.ts', multiline: true, maxLines: 4 });

  for (const phase of [PHASES[0]!, PHASES[2]!]) {
    it(phase.name, async () => {
      fake.setOptions({ tokenDelayMs: 40 });
      fake.setCompletions({ fallback: 'a + b;\nconst c = a * b;\nreturn c;' });
      const keystroke = new AbortController();
      const client = new OpenRouterClient({
        baseUrl: fake.baseUrl,
        apiKey: KEY,
        timeoutSeconds: 10,
        fetch: observedFetch(phase.at(() => keystroke.abort())),
      });
      const env = turnEnvWith(client);
      const sender = new CompletionSender({
        plan: async () => plan,
        turn: env,
        breakers: new BreakerBoard(),
        now: () => Date.now(),
      });
      const out = await sender.send({
        prompt: promptAt('const x = '),
        multiline: true,
        maxTokens: 96,
        signal: keystroke.signal,
        allow: () => true,
      });
      assert.ok(!isSendResult(out) && out.miss === 'aborted');
      await out.later;
      close(
        env.spent.reduce((a, b) => a + b, 0),
        billed(),
        'the ledger',
      );
    });
  }

  it('an abort before the response began is unknown: the worst case is counted, as an estimate', async () => {
    fake.setCompletions({ latencyMs: 400, fallback: 'late' });
    const keystroke = new AbortController();
    const env = turnEnvWith(new OpenRouterClient({ baseUrl: fake.baseUrl, apiKey: KEY, timeoutSeconds: 10 }));
    const sender = new CompletionSender({
      plan: async () => plan,
      turn: env,
      breakers: new BreakerBoard(),
      now: () => Date.now(),
    });
    const sent = sender.send({
      prompt: promptAt('let y = '),
      multiline: true,
      maxTokens: 96,
      signal: keystroke.signal,
      allow: () => true,
      onSent: () => setTimeout(() => keystroke.abort(), 50),
    });
    const out = await sent;
    assert.ok(!isSendResult(out) && out.miss === 'aborted');
    assert.equal(await out.later, 0.001, "the attempt's worst case");
    assert.deepEqual(env.spent, [0.001]);
    assert.ok(env.spent[0]! >= billed(), 'never less than what was billed');
  });
});
