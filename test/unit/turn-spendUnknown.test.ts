/**
 * An answer whose stream said nothing of its cost — no `usage` chunk (or one without `cost`) and
 * no generation id to look it up by — still counts: its worst case, marked as an estimate
 * (src/turn/spend.ts, step 3). It was counted as free.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OpenRouterClient } from '../../src/openrouter/client';
import type { Plan } from '../../src/routing/types';
import { sendAttempt } from '../../src/turn/send';
import { turnEnvWith } from '../faults/turnEnv';

/** A response streaming `chunks` as server-sent events, then `[DONE]`. */
function sse(chunks: readonly object[]): typeof fetch {
  const text = [...chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`), 'data: [DONE]\n\n'].join('');
  return async () => new Response(text, { status: 200, headers: { 'content-type': 'text/event-stream' } });
}

const delta = (content: string, finish: string | null = null) => ({
  object: 'chat.completion.chunk',
  model: 'vendor/model',
  choices: [{ index: 0, delta: { role: 'assistant', content }, finish_reason: finish }],
});

async function spendOf(chunks: readonly object[]) {
  const client = new OpenRouterClient({ baseUrl: 'http://127.0.0.1:9', apiKey: 'sk-or-v1-x', fetch: sse(chunks) });
  const env = turnEnvWith({
    streamChat: (...a) => client.streamChat(...a),
    generationCost: async () => undefined,
  });
  const attempt = { keyId: 'k', body: { model: 'vendor/model' }, worstCaseUsd: 0.002 };
  const { result, spend } = await sendAttempt(
    env,
    {
      caller: 'test',
      plan: { attempts: [attempt] } as unknown as Plan,
      draft: { body: { model: 'vendor/model', stream: true, messages: [{ role: 'user', content: 'hi' }] } },
      keys: [{ id: 'k', label: 'k' }],
      attempt,
    },
    {},
    new AbortController().signal,
  );
  return { text: result.text, knownUsd: spend.knownUsd, rest: await spend.rest, spent: env.spent };
}

describe('an answer whose cost the stream never told', () => {
  for (const [what, usage] of [
    ['no usage chunk', undefined],
    ['a usage chunk without cost', { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 }],
    ['a usage chunk whose cost is not a number', { prompt_tokens: 3, completion_tokens: 2, cost: 'n/a' }],
    ['a negative cost', { prompt_tokens: 3, completion_tokens: 2, cost: -0.5 }],
    [
      'a BYOK answer whose upstream cost is null',
      { cost: 0.0001, is_byok: true, cost_details: { upstream_inference_cost: null } },
    ],
    ['a BYOK answer without cost_details', { cost: 0, is_byok: true }],
    ['a BYOK answer whose cost_details is null', { cost: 0.0001, is_byok: true, cost_details: null }],
    [
      'a BYOK answer whose upstream cost is negative',
      { cost: 0.0001, is_byok: true, cost_details: { upstream_inference_cost: -1 } },
    ],
    [
      'a BYOK answer whose upstream cost is text',
      { cost: 0.0001, is_byok: true, cost_details: { upstream_inference_cost: 'n/a' } },
    ],
  ] as const)
    it(`${what}, no generation id: counted at its worst case, as an estimate`, async () => {
      const chunks = [delta('Hello'), delta(' there', 'stop'), ...(usage ? [{ choices: [], usage }] : [])];
      const out = await spendOf(chunks);
      assert.equal(out.text, 'Hello there');
      assert.deepEqual(out.rest, { usd: 0.002, estimatedUsd: 0.002 });
      assert.deepEqual(out.spent, [0.002]);
    });

  it('a usage chunk with its cost (0 for a free model) is what counts', async () => {
    for (const cost of [0.00042, 0]) {
      const out = await spendOf([
        delta('Hi', 'stop'),
        { choices: [], usage: { prompt_tokens: 1, completion_tokens: 1, cost } },
      ]);
      assert.equal(out.knownUsd, cost);
      assert.deepEqual(out.rest, { usd: 0, estimatedUsd: 0 });
    }
  });
});
