/** The OpenRouter client against the fake OpenRouter: what it sends, and how each failure reads. */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { FINISH_GRACE_MS, OpenRouterClient } from '../../src/openrouter/client';
import { generationCostOf, paidCost } from '../../src/openrouter/streamAssembly';
import { FailureError, type Failure } from '../../src/openrouter/failures';
import type { ChatRequestBody } from '../../src/openrouter/wire';
import { startFakeOpenRouter, type FakeOpenRouter } from '../fake-openrouter/server';
import { loadChatRequestValidator, specOrSkip } from '../fake-openrouter/spec';

const KEY = 'sk-or-v1-client-test-0123456789';
let fake: FakeOpenRouter;
let client: OpenRouterClient;
/** Loaded up front: parsing the 1.3 MB spec blocks the event loop for a few seconds. */
let validator: ReturnType<typeof loadChatRequestValidator>;

const body = (model: string, extra: Partial<ChatRequestBody> = {}): ChatRequestBody => ({
  model,
  messages: [
    { role: 'system', content: 'be brief' },
    { role: 'user', content: 'Say hello' },
  ],
  stream: true,
  max_tokens: 256,
  ...extra,
});

async function failureOf(promise: Promise<unknown>): Promise<Failure> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof FailureError, `expected a FailureError, got ${String(error)}`);
    return error.failure;
  }
  assert.fail('expected the request to fail');
}

before(async () => {
  validator = loadChatRequestValidator();
  fake = await startFakeOpenRouter();
  client = new OpenRouterClient({ baseUrl: fake.baseUrl, apiKey: KEY, timeoutSeconds: 2 });
});
after(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.clearRequests();
});

describe('OpenRouterClient.streamChat', () => {
  it('streams text in order and reports model, provider, usage and cost', async () => {
    const pieces: string[] = [];
    const result = await client.streamChat(body('openai/gpt-4o-mini'), { onDelta: (p) => pieces.push(p) });
    assert.ok(pieces.length > 1, 'several deltas');
    assert.equal(pieces.join(''), result.text);
    assert.match(result.text, /Say hello/);
    assert.equal(result.model, 'openai/gpt-4o-mini');
    assert.ok(result.provider);
    assert.ok((result.promptTokens ?? 0) > 0 && (result.completionTokens ?? 0) > 0);
    assert.ok((result.cost ?? 0) > 0);
    assert.equal(result.finishReason, 'stop');
  });

  it('sends the body as given, with auth, attribution headers and the fallback list', async () => {
    await client.streamChat(
      body('openai/gpt-4o-mini', { models: ['openai/gpt-4o-mini', 'anthropic/claude-sonnet-4'] }),
      { onDelta: () => undefined },
    );
    const request = fake.requests.find((r) => r.path.endsWith('/chat/completions'));
    assert.ok(request);
    assert.equal(request.headers.authorization, `Bearer ${KEY}`);
    assert.equal(request.headers['x-openrouter-title'], 'Switchyard');
    assert.equal(request.headers['x-title'], 'Switchyard');
    assert.ok(request.headers['http-referer']);
    const sent = request.body as Record<string, unknown>;
    assert.deepEqual(sent.models, ['openai/gpt-4o-mini', 'anthropic/claude-sonnet-4']);
    assert.equal(sent.stream, true);
    assert.equal(sent.max_tokens, 256);
  });

  it("sends bodies that OpenRouter's published ChatRequest schema accepts", async (t) => {
    const validate = specOrSkip(t, validator);
    if (!validate) return;
    await client.streamChat(
      body('openai/gpt-4o-mini', { models: ['openai/gpt-4o-mini', 'google/gemini-2.5-flash'], session_id: 'conv-1' }),
      { onDelta: () => undefined },
    );
    const request = fake.requests.find((r) => r.path.endsWith('/chat/completions'));
    const errors = validate(request?.body);
    assert.deepEqual(errors, [], 'request body matches the spec');
  });

  it('labels the model that served when the primary fails over', async () => {
    fake.setFault('openai/gpt-4o-mini', { kind: 'http', status: 502, message: 'Provider returned error' });
    const result = await client.streamChat(
      body('openai/gpt-4o-mini', { models: ['openai/gpt-4o-mini', 'anthropic/claude-sonnet-4'] }),
      { onDelta: () => undefined },
    );
    assert.equal(result.model, 'anthropic/claude-sonnet-4');
    fake.setFault('openai/gpt-4o-mini', undefined);
  });

  const failures: [string, Parameters<FakeOpenRouter['setFault']>[1], Partial<Failure>][] = [
    ['401', { kind: 'http', status: 401, message: 'User not found.' }, { kind: 'auth', retryable: false }],
    ['402', { kind: 'http', status: 402, message: 'This request requires more credits' }, { kind: 'credits' }],
    ['403 moderation', { kind: 'http', status: 403 }, { kind: 'moderation' }],
    [
      '404 no endpoints',
      { kind: 'http', status: 404, message: 'No endpoints found that support tool use' },
      { kind: 'noEndpoints' },
    ],
    [
      '429 with Retry-After',
      { kind: 'http', status: 429, retryAfter: 3 },
      { kind: 'rateLimit', retryAfterMs: 3000, retryable: true },
    ],
    ['500', { kind: 'http', status: 500 }, { kind: 'server' }],
    ['503', { kind: 'http', status: 503 }, { kind: 'server' }],
    ['408', { kind: 'http', status: 408 }, { kind: 'timeout' }],
  ];
  for (const [name, fault, expected] of failures) {
    it(`classifies ${name} before the first token`, async () => {
      fake.setFault('openai/gpt-4o-mini', fault);
      const failure = await failureOf(client.streamChat(body('openai/gpt-4o-mini'), { onDelta: () => undefined }));
      for (const [k, v] of Object.entries(expected)) assert.deepEqual(failure[k as keyof Failure], v, `${name}: ${k}`);
      assert.equal(failure.midStream, false);
      assert.ok(failure.message.length > 0);
      assert.doesNotMatch(failure.message, /client-test-0123456789/);
      fake.setFault('openai/gpt-4o-mini', undefined);
    });
  }

  it('keeps the partial text when an error chunk arrives mid-stream', async () => {
    fake.setFault('openai/gpt-4o-mini', {
      kind: 'midStreamError',
      afterChunks: 2,
      code: 502,
      message: 'Provider disconnected',
    });
    const pieces: string[] = [];
    const failure = await failureOf(client.streamChat(body('openai/gpt-4o-mini'), { onDelta: (p) => pieces.push(p) }));
    assert.equal(failure.midStream, true);
    assert.equal(failure.kind, 'server');
    assert.ok(pieces.length >= 1, 'text arrived before the error');
    fake.setFault('openai/gpt-4o-mini', undefined);
  });

  it('reports a stream cut without [DONE] as broken, keeping the text', async () => {
    fake.setFault('openai/gpt-4o-mini', { kind: 'cut', afterChunks: 2 });
    const pieces: string[] = [];
    const failure = await failureOf(client.streamChat(body('openai/gpt-4o-mini'), { onDelta: (p) => pieces.push(p) }));
    assert.ok(['streamBroken', 'network'].includes(failure.kind), failure.kind);
    assert.equal(failure.midStream, true);
    assert.ok(pieces.length >= 1);
    fake.setFault('openai/gpt-4o-mini', undefined);
  });

  it('reports malformed stream data as broken', async () => {
    fake.setFault('openai/gpt-4o-mini', { kind: 'malformed', afterChunks: 1 });
    const original = console.error;
    console.error = () => undefined; // the SDK prints the bad line itself
    try {
      const failure = await failureOf(client.streamChat(body('openai/gpt-4o-mini'), { onDelta: () => undefined }));
      assert.equal(failure.kind, 'streamBroken');
    } finally {
      console.error = original;
      fake.setFault('openai/gpt-4o-mini', undefined);
    }
  });

  it('accepts both usage-chunk forms', async () => {
    fake.setFault('openai/gpt-4o-mini', { kind: 'usageInChoice' });
    const result = await client.streamChat(body('openai/gpt-4o-mini'), { onDelta: () => undefined });
    assert.ok((result.cost ?? 0) > 0);
    assert.ok(result.text.length > 0);
    fake.setFault('openai/gpt-4o-mini', undefined);
  });

  it('gives up on a hung request after the timeout', async () => {
    fake.setFault('openai/gpt-4o-mini', { kind: 'hang' });
    const started = Date.now();
    const failure = await failureOf(client.streamChat(body('openai/gpt-4o-mini'), { onDelta: () => undefined }));
    assert.equal(failure.kind, 'timeout');
    assert.ok(Date.now() - started < 6000);
    fake.setFault('openai/gpt-4o-mini', undefined);
  });

  it('stops at once when the user aborts, keeping what arrived', async () => {
    fake.setFault('openai/gpt-4o-mini', { kind: 'slow', delayMs: 200 });
    const controller = new AbortController();
    const pieces: string[] = [];
    const promise = client.streamChat(
      body('openai/gpt-4o-mini'),
      {
        onDelta: (p) => {
          pieces.push(p);
          if (pieces.length === 2) controller.abort();
        },
      },
      controller.signal,
    );
    const failure = await failureOf(promise);
    assert.equal(failure.kind, 'aborted');
    assert.equal(failure.midStream, true);
    assert.equal(pieces.length, 2, 'nothing is shown after Stop');
    fake.setFault('openai/gpt-4o-mini', undefined);
  });

  it('does not time out while OpenRouter sends keep-alives before the first token', async () => {
    fake.setFault('openai/gpt-4o-mini', { kind: 'keepAliveOnly', intervalMs: 300 });
    const quick = new OpenRouterClient({ baseUrl: fake.baseUrl, apiKey: KEY, timeoutSeconds: 1 });
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 2500);
    const failure = await failureOf(
      quick.streamChat(body('openai/gpt-4o-mini'), { onDelta: () => undefined }, controller.signal),
    );
    clearTimeout(timer);
    fake.setFault('openai/gpt-4o-mini', undefined);
    assert.equal(failure.kind, 'aborted', 'still waiting after 2.5 s with a 1 s idle timeout: the keep-alives count');
  });

  it('gives up when keep-alives go on and no chunk comes for KEEP_ALIVE_STRETCH × the timeout', async () => {
    // Found by the fault matrix (test/faults): only keep-alives used to keep an answer "generating" forever.
    fake.setFault('openai/gpt-4o-mini', { kind: 'keepAliveOnly', intervalMs: 50 });
    const quick = new OpenRouterClient({ baseUrl: fake.baseUrl, apiKey: KEY, timeoutSeconds: 0.2 });
    const controller = new AbortController();
    const safety = setTimeout(() => controller.abort(), 20_000);
    const failure = await failureOf(
      quick.streamChat(body('openai/gpt-4o-mini'), { onDelta: () => undefined }, controller.signal),
    );
    clearTimeout(safety);
    fake.setFault('openai/gpt-4o-mini', undefined);
    assert.equal(failure.kind, 'timeout', 'the client gave up by itself, not the safety abort');
    assert.equal(failure.midStream, false);
  });

  it('sends exactly our key and no OpenAI organisation, project or platform headers', async () => {
    const saved = { ...process.env };
    process.env.OPENAI_ORG_ID = 'org-leak';
    process.env.OPENAI_PROJECT_ID = 'proj-leak';
    process.env.OPENAI_CUSTOM_HEADERS = 'Authorization: Bearer sk-other-key-0000000000000000\nX-Extra: 1';
    try {
      await client.streamChat(body('openai/gpt-4o-mini'), { onDelta: () => undefined });
    } finally {
      for (const k of ['OPENAI_ORG_ID', 'OPENAI_PROJECT_ID', 'OPENAI_CUSTOM_HEADERS'])
        if (saved[k] === undefined) delete process.env[k];
    }
    const headers = fake.chatRequests().at(-1)!.headers;
    assert.equal(headers.authorization, `Bearer ${KEY}`);
    assert.equal(headers['openai-organization'], undefined);
    assert.equal(headers['openai-project'], undefined);
    assert.deepEqual(
      Object.keys(headers).filter((h) => h.startsWith('x-stainless')),
      [],
    );
  });

  it('redacts our key from error text even when it does not look like a key', async () => {
    fake.setKeys({ 'plain-gateway-token-123': { status: 'ok' } });
    const odd = new OpenRouterClient({ baseUrl: fake.baseUrl, apiKey: 'plain-gateway-token-123', timeoutSeconds: 2 });
    fake.setFault('openai/gpt-4o-mini', {
      kind: 'http',
      status: 400,
      errorType: 'invalid_request',
      message: 'bad token plain-gateway-token-123 given',
    });
    const failure = await failureOf(odd.streamChat(body('openai/gpt-4o-mini'), { onDelta: () => undefined }));
    fake.setFault('openai/gpt-4o-mini', undefined);
    assert.equal(failure.kind, 'badRequest', 'the key was accepted and the fault played');
    assert.match(failure.message, /bad token \[redacted\] given/);
  });

  it('reports an unreachable server as a network failure', async () => {
    const offline = new OpenRouterClient({ baseUrl: 'http://127.0.0.1:9/api/v1', apiKey: KEY, timeoutSeconds: 2 });
    const failure = await failureOf(offline.streamChat(body('openai/gpt-4o-mini'), { onDelta: () => undefined }));
    assert.equal(failure.kind, 'network');
    assert.match(failure.message, /127\.0\.0\.1:9/);
  });
});

describe('OpenRouterClient catalogue and key', () => {
  it('lists models, skipping the odd entries of the fixture', async () => {
    const { models, skipped } = await client.listModels();
    assert.ok(models.length >= 5);
    assert.ok(models.some((m) => m.id === 'anthropic/claude-sonnet-4'));
    assert.ok(models.some((m) => m.isFree));
    assert.ok(skipped.length >= 1, 'the fixture has malformed entries');
  });
  it('reads key info', async () => {
    const info = await client.getKeyInfo();
    assert.equal(typeof info.usage, 'number');
  });
  it('maps a rejected key to an auth failure', async () => {
    const bad = new OpenRouterClient({
      baseUrl: fake.baseUrl,
      apiKey: 'sk-or-v1-invalid-key-000000',
      timeoutSeconds: 2,
    });
    const failure = await failureOf(bad.getKeyInfo());
    assert.equal(failure.kind, 'auth');
    assert.equal(failure.action?.command, 'switchyard.setApiKey');
  });
});

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
    await waitUntil(() => fake.chatRequests().at(-1)?.aborted === true);
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
    assert.deepEqual(paidCost({ cost: 0.002, is_byok: true, cost_details: { upstream_inference_cost: null } }), {
      cost: 0.002,
    });
    assert.deepEqual(paidCost({ cost: 0.002, is_byok: true }), { cost: 0.002 });
    assert.deepEqual(paidCost({ cost: Number.NaN }), {});
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
  });
});

async function waitUntil(check: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) assert.fail('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
