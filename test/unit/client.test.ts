/** The OpenRouter client against the fake OpenRouter: what it sends, and how each failure reads (finishes and cost: client-finish.test.ts). */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { OpenRouterClient } from '../../src/openrouter/client';
import type { Failure } from '../../src/openrouter/failures';
import { type FakeOpenRouter } from '../fake-openrouter/server';
import { loadChatRequestValidator, specOrSkip } from '../fake-openrouter/spec';
import { body, clientPerFile, failureOf, KEY } from './clientFixture';

let fake: FakeOpenRouter;
let client: OpenRouterClient;
/** Loaded up front: parsing the 1.3 MB spec blocks the event loop for a few seconds. */
let validator: ReturnType<typeof loadChatRequestValidator>;

before(() => {
  validator = loadChatRequestValidator();
});
clientPerFile((f, c) => ((fake = f), (client = c)));

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
