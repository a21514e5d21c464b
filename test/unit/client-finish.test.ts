/**
 * The OpenRouter client against the fake OpenRouter: a finished answer is finished (a finish with
 * or without usage, held open without [DONE], is done — not a timeout or a break), and the cost
 * shown is the cost paid (BYOK, the usage variants, GET /generation).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FINISH_GRACE_MS, OpenRouterClient } from '../../src/openrouter/client';
import { generationCostOf, paidCost } from '../../src/openrouter/usageCost';
import { type FakeOpenRouter } from '../fake-openrouter/server';
import { waitUntil } from '../e2e/harness/wait';
import { body, clientPerFile, failureOf, KEY } from './clientFixture';

let fake: FakeOpenRouter;
let client: OpenRouterClient;

clientPerFile((f, c) => ((fake = f), (client = c)));

describe('a finished answer is finished (issue 11 §1)', () => {
  it('finish + usage, then held open without [DONE]: resolves at once and closes the request', async () => {
    // A long idle timeout: only the finish can end it quickly.
    const patient = new OpenRouterClient({ baseUrl: fake.baseUrl, apiKey: KEY, timeoutSeconds: 30 });
    fake.setFault('openai/gpt-4o-mini', { kind: 'finishNoDone' });
    const started = Date.now();
    const result = await patient.streamChat(body('openai/gpt-4o-mini'), { onDelta: () => undefined });
    fake.setFault('openai/gpt-4o-mini', undefined);
    assert.ok(
      Date.now() - started < FINISH_GRACE_MS,
      `resolved in ${Date.now() - started} ms, before any grace or timeout`,
    );
    assert.equal(result.finishReason, 'stop');
    assert.ok((result.cost ?? 0) > 0, 'the spend is known');
    await waitUntil(() => fake.chatRequests().at(-1)?.aborted === true, 3000, 'the request is closed', 20);
  });

  it('finish without usage, held open: done after the grace (≤ 2 s), not a timeout or a break', async () => {
    const patient = new OpenRouterClient({ baseUrl: fake.baseUrl, apiKey: KEY, timeoutSeconds: 30 });
    fake.setFault('openai/gpt-4o-mini', { kind: 'finishNoDone', usage: false });
    const started = Date.now();
    const result = await patient.streamChat(body('openai/gpt-4o-mini'), { onDelta: () => undefined });
    fake.setFault('openai/gpt-4o-mini', undefined);
    const took = Date.now() - started;
    assert.ok(took >= FINISH_GRACE_MS - 100 && took < FINISH_GRACE_MS + 1500, `took ${took} ms`);
    assert.equal(result.finishReason, 'stop');
    assert.match(result.text, /That is all\./);
  });

  it('finish without usage and an idle timeout shorter than the grace: still done', async () => {
    fake.setFault('openai/gpt-4o-mini', { kind: 'finishNoDone', usage: false });
    const quick = new OpenRouterClient({ baseUrl: fake.baseUrl, apiKey: KEY, timeoutSeconds: 0.5 });
    const result = await quick.streamChat(body('openai/gpt-4o-mini'), { onDelta: () => undefined });
    fake.setFault('openai/gpt-4o-mini', undefined);
    assert.equal(result.finishReason, 'stop');
  });

  it('a finish given only in the provider’s words (native_finish_reason) is a finish, with its meaning', async () => {
    for (const [fault, expected] of [
      [{ kind: 'nativeFinish', native: 'end_turn' }, 'stop'],
      [{ kind: 'nativeFinish', native: 'STOP' }, 'stop'],
      [{ kind: 'nativeFinish', native: 'MAX_TOKENS', afterChunks: 2 }, 'length'],
      [{ kind: 'nativeFinish', native: 'max_tokens', afterChunks: 2 }, 'length'],
      [{ kind: 'nativeFinish', native: 'SAFETY', afterChunks: 1 }, 'content_filter'],
      [{ kind: 'nativeFinish', native: 'MAX_TOKENS', said: 'stop', afterChunks: 2 }, 'length'],
    ] as const) {
      fake.setFault('openai/gpt-4o-mini', fault);
      const result = await client.streamChat(body('openai/gpt-4o-mini'), { onDelta: () => undefined });
      fake.setFault('openai/gpt-4o-mini', undefined);
      assert.equal(result.finishReason, expected, JSON.stringify(fault));
      assert.ok(result.text.length > 0 && (result.cost ?? 0) > 0, 'the text and its cost are kept');
    }
  });

  it('finish (with or without usage), then the connection dropped before [DONE]: done, not a break', async () => {
    for (const usage of [true, false]) {
      fake.setFault('openai/gpt-4o-mini', { kind: 'finishNoDone', usage, cut: true });
      const result = await client.streamChat(body('openai/gpt-4o-mini'), { onDelta: () => undefined });
      fake.setFault('openai/gpt-4o-mini', undefined);
      assert.equal(result.finishReason, 'stop', `usage ${usage}`);
      assert.match(result.text, /That is all\./);
      assert.equal((result.cost ?? 0) > 0, usage, `the cost is known exactly when usage came (usage ${usage})`);
      if (!usage) assert.ok(result.generationId?.startsWith('gen-'), 'the generation id is kept, to look the cost up');
    }
  });

  it('a stream that ends with no finish_reason at all is still a break', async () => {
    fake.setFault('openai/gpt-4o-mini', { kind: 'cut', afterChunks: 2 });
    const failure = await failureOf(client.streamChat(body('openai/gpt-4o-mini'), { onDelta: () => undefined }));
    fake.setFault('openai/gpt-4o-mini', undefined);
    assert.equal(failure.midStream, true);
    assert.ok(failure.generationId?.startsWith('gen-'), 'the failure carries its generation id (for GET /generation)');
  });
});

describe('the cost shown is the cost paid (issue 11 §5)', () => {
  it('BYOK: usage.cost is the fee; upstream_inference_cost is added and the split kept', async () => {
    fake.setFault('openai/gpt-4o-mini', { kind: 'byok', fee: 0.0005, upstreamCost: 0.0105 });
    const result = await client.streamChat(body('openai/gpt-4o-mini'), { onDelta: () => undefined });
    fake.setFault('openai/gpt-4o-mini', undefined);
    assert.ok(Math.abs((result.cost ?? 0) - 0.011) < 1e-12, String(result.cost));
    assert.deepEqual(result.costSplit, { fee: 0.0005, upstream: 0.0105 });
  });

  it('reads the usage variants: not BYOK, upstream null, no cost_details, a non-number cost', () => {
    assert.deepEqual(
      paidCost({ cost: 0.002, is_byok: false, cost_details: { upstream_inference_cost: 0.0019 } }),
      { cost: 0.002 },
      'not BYOK: cost already includes the provider',
    );
    // BYOK without the provider's charge: the fee alone is not what was paid — unknown (then looked up, else estimated).
    for (const details of [{ upstream_inference_cost: null }, null, undefined, { upstream_inference_cost: -0.01 }])
      assert.deepEqual(
        paidCost({ cost: 0.002, is_byok: true, ...(details === undefined ? {} : { cost_details: details }) }),
        {},
        JSON.stringify(details),
      );
    assert.deepEqual(
      paidCost({
        cost: 0.002,
        is_byok: true,
        cost_details: {
          upstream_inference_cost: null,
          upstream_inference_prompt_cost: 0.003,
          upstream_inference_completions_cost: 0.005,
        },
      }),
      { cost: 0.01, costSplit: { fee: 0.002, upstream: 0.008 } },
      'BYOK: the prompt and completions parts stand for a missing whole',
    );
    for (const cost of [Number.NaN, -0.001, null, 'n/a', '', Number.POSITIVE_INFINITY])
      assert.deepEqual(paidCost({ cost } as never), {}, String(cost));
    assert.deepEqual(paidCost({ cost: '0.0015' } as never), { cost: 0.0015 }, 'a number written as text');
    assert.deepEqual(paidCost(undefined), {});
  });

  it('GET /generation: retried while the record is not there yet, total_cost (+ upstream for BYOK)', async () => {
    const result = await client.streamChat(body('openai/gpt-4o-mini'), { onDelta: () => undefined });
    fake.generations.lagMs = 0;
    assert.equal(await client.generationCost(result.generationId!, [50]), result.cost);
    const gen = fake.generation(result.generationId!)!;
    fake.generations.lagMs = 400;
    fake.generations.add(gen);
    const tries = fake.requests.length;
    assert.equal(await client.generationCost(gen.id, [150, 150, 150, 150]), result.cost, 'found after it appeared');
    assert.ok(fake.requests.length - tries >= 2, 'a 404 was retried');
    fake.generations.lagMs = 0;
    assert.equal(
      await client.generationCost('gen-unknown', [10, 10]),
      undefined,
      'never appears: undefined after the bounded retries',
    );
    assert.equal(
      generationCostOf({ data: { total_cost: 0.001, is_byok: true, upstream_inference_cost: 0.01 } }),
      0.011,
    );
    assert.equal(
      generationCostOf({ data: { total_cost: 0.001, is_byok: false, upstream_inference_cost: 0.0008 } }),
      0.001,
    );
    assert.equal(generationCostOf({ data: {} }), undefined);
    for (const upstream of [null, undefined, -1, 'n/a'])
      assert.equal(
        generationCostOf({ data: { total_cost: 0.001, is_byok: true, upstream_inference_cost: upstream } }),
        undefined,
        `BYOK without the provider's charge (${String(upstream)}) is unknown, not the fee alone`,
      );
    assert.equal(generationCostOf({ data: { total_cost: -0.001 } }), undefined, 'a negative total');
  });
});
