/**
 * One token count per step (issue 23): before each request the compactor's trigger, the elision
 * of old results and the step's route all size the transcript; they share one count, so every
 * message is tokenized once over the whole task. The real AgentSession against the fake
 * OpenRouter, with a counting tokenizer injected as the environment's `tokens`: a 16-step task on
 * the 32K-context model that compacts, and a short task on a model with a large context.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { messageText, type AgentMessage } from '../../src/agent/transcript';
import type { ModelInfo } from '../../src/openrouter/catalogue';
import { FIXTURE_MODELS, type FakeOpenRouter } from '../fake-openrouter/server';
import { LONG_TASK_REQUEST, longTaskFiles, longTaskScript } from '../fake-openrouter/longTask';
import { agentHarness } from '../faults/agentSession';
import { fakeOpenRouterPerFile } from './fakeOpenRouterHooks';

const KEY = 'sk-or-v1-agent-token-count-0000000000';
let fake: FakeOpenRouter;
let models: ModelInfo[];

fakeOpenRouterPerFile(KEY, (started, catalogue) => {
  fake = started;
  models = catalogue;
});

/** Runs the long task of `steps` on `model`, counting what the tokenizer was given; the task's transcript and the counts. */
async function countedTask(model: string, steps: number, tokensPerPart: number) {
  const seen = new Map<string, number>();
  const tokens = (text: string): number => {
    seen.set(text, (seen.get(text) ?? 0) + 1);
    return Math.ceil(text.length / 4);
  };
  fake.reset();
  fake.setAgentScript(longTaskScript(steps));
  const h = agentHarness({
    baseUrl: fake.baseUrl,
    models,
    apiKey: KEY,
    model,
    tokens,
    routing: { tiers: { compact: [FIXTURE_MODELS.gpt4oMini] } },
    agent: { maxSteps: steps + 5 },
  });
  for (const [path, text] of Object.entries(longTaskFiles(steps, tokensPerPart))) h.workspace.files.set(path, text);
  await h.session.send(LONG_TASK_REQUEST);
  await h.session.idle();
  const stored = h.store.get<{ transcript: AgentMessage[] }>('switchyard.agentTask.v1')!;
  const requests = fake.chatRequests();
  assert.ok(
    requests.every((r) => r.status === 200),
    'every request was answered',
  );
  return { transcript: stored.transcript, seen, requests: requests.length };
}

describe('an agent task tokenizes its transcript once', () => {
  const variants = [
    { name: 'a 16-step task that compacts on a 32K model', model: FIXTURE_MODELS.agent32k, steps: 16, part: 2500 },
    { name: 'a 6-step task on a 200K model', model: FIXTURE_MODELS.claudeSonnet4, steps: 6, part: 500 },
  ];
  for (const v of variants)
    it(`${v.name}: each message of the transcript was counted once`, async () => {
      const { transcript, seen, requests } = await countedTask(v.model, v.steps, v.part);
      assert.ok(requests >= v.steps, `${requests} requests`);
      assert.ok(transcript.length > v.steps, 'the transcript holds the steps');
      // The user's request stays in every step's transcript (or the summary keeps it): one count all the same.
      assert.equal(seen.get(LONG_TASK_REQUEST), 1, 'the request was tokenized once');
      // Every message sent (the final answer never is) whose text no other message shares: counted once.
      const texts = transcript.slice(0, -1).map(messageText);
      const unique = texts.filter((t) => texts.indexOf(t) === texts.lastIndexOf(t));
      assert.ok(unique.length > transcript.length / 2, `${unique.length} distinct messages`);
      const more = unique.map((t) => ({ text: t.slice(0, 60), n: seen.get(t) })).filter((c) => c.n !== 1);
      assert.deepEqual(more, [], 'every message was tokenized exactly once');
    });
});
