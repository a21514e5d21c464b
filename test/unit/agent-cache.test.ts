/**
 * Agent steps get what Ask gets (issue 19): on a Claude model each request carries prompt-cache
 * breakpoints (the system prompt, after the tool definitions, and the last tool results; at most
 * 4), one `session_id` and the provider of the last step first; from step 2 on every step reads
 * the prefix the step before wrote. Without breakpoints (bench/agentCache.ts's comparison) none is read.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ModelInfo } from '../../src/openrouter/catalogue';
import { OpenRouterClient } from '../../src/openrouter/client';
import { MAX_BREAKPOINTS } from '../../src/openrouter/promptCache';
import { agentCacheTask, AGENT_CACHE_STEPS } from '../../bench/agentCache';
import { FIXTURE_MODELS, startFakeOpenRouter, type FakeOpenRouter } from '../fake-openrouter/server';

let fake: FakeOpenRouter;
let models: ModelInfo[];

before(async () => {
  fake = await startFakeOpenRouter({ tokenDelayMs: 0 });
  models = [
    ...(await new OpenRouterClient({ baseUrl: fake.baseUrl, apiKey: 'sk-or-v1-agent-cache-000000000000' }).listModels())
      .models,
  ];
});
after(() => fake.close());

describe('an agent task on Claude reads from the prompt cache', () => {
  it('from step 2 onward, with at most 4 breakpoints per request, one session and a sticky provider', async () => {
    const run = await agentCacheTask(fake, models, FIXTURE_MODELS.claudeSonnet4, true);
    assert.equal(run.cachedPerStep.length, AGENT_CACHE_STEPS);
    assert.equal(run.cachedPerStep[0], 0, 'step 1 has nothing to read');
    assert.ok(run.writtenPerStep[0]! > 1000, `step 1 writes the tools and system prompt: ${run.writtenPerStep[0]}`);
    for (const [i, read] of run.cachedPerStep.entries())
      if (i > 0) assert.ok(read > 1000, `step ${i + 1} reads ${read} tokens from the cache`);
    assert.ok(
      run.breakpointsPerRequest.every((n) => n >= 2 && n <= MAX_BREAKPOINTS),
      JSON.stringify(run.breakpointsPerRequest),
    );
    const bodies = fake.chatRequests().map(
      (r) =>
        r.body as {
          session_id?: string;
          provider?: { order?: string[] };
          messages: { role: string; content: unknown }[];
        },
    );
    // The task's attached file (a composer chip) went with it, before the task's text.
    assert.match(
      JSON.stringify(bodies[0]!.messages.find((m) => m.role === 'user')),
      /README\.md[\s\S]*This project computes steps[\s\S]*Read the files/,
    );
    assert.equal(new Set(bodies.map((b) => b.session_id)).size, 1, 'one session_id for the task');
    assert.ok(
      bodies.slice(1).every((b) => b.provider?.order?.[0] === 'anthropic'),
      `the provider that served step 1 is asked first: ${JSON.stringify(bodies.map((b) => b.provider))}`,
    );
  });

  it('without breakpoints nothing is read, and the task costs more', async () => {
    const plain = await agentCacheTask(fake, models, FIXTURE_MODELS.claudeSonnet4, false);
    assert.ok(plain.cachedPerStep.every((n) => n === 0));
    assert.ok(plain.breakpointsPerRequest.every((n) => n === 0));
    const cached = await agentCacheTask(fake, models, FIXTURE_MODELS.claudeSonnet4, true);
    assert.ok(cached.usd < plain.usd * 0.5, `with $${cached.usd} vs without $${plain.usd}`);
  });
});
