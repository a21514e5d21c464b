/** The fake OpenRouter itself: it must speak the contract, or every test built on it lies. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { after, before, beforeEach, describe, it, type TestContext } from 'node:test';
import { FIXTURE_MODELS, QUIRK_IDS, generateCatalogue } from '../fake-openrouter/catalogue';
import { startFakeOpenRouter, type Fault, type FakeOpenRouter } from '../fake-openrouter/server';
import {
  PROJECT_ROOT,
  loadChatRequestValidator,
  loadSpecValidator,
  specOrSkip,
  type SpecValidator,
} from '../fake-openrouter/spec';

const KEY = 'sk-or-v1-fake-test-0000000000';
const MINI = FIXTURE_MODELS.gpt4oMini;
const messages = [{ role: 'user', content: 'ping' }];
let fake: FakeOpenRouter;

type Json = Record<string, unknown>;
interface Chunk {
  id: string;
  model: string;
  provider: string;
  object: string;
  choices: { index: number; delta: { role?: string; content?: string }; finish_reason: string | null }[];
  usage?: { prompt_tokens: number; completion_tokens: number; cost: number };
  error?: { code: number; message: string; metadata?: { error_type?: string } };
}
interface Completion {
  id: string;
  model: string;
  provider: string;
  object: string;
  choices: {
    finish_reason: string | null;
    message: { role: string; content: string };
    error?: { code: number; message: string };
  }[];
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number; cost: number };
}
interface Envelope {
  error: { code: number; message: string; metadata?: Json & { error_type?: string; headers?: Record<string, string> } };
  user_id: string;
}

const chat = (body: Json, key = KEY, signal?: AbortSignal): Promise<Response> =>
  fetch(`${fake.baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { ...(key ? { Authorization: `Bearer ${key}` } : {}), 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
    signal,
  });
const get = (path: string, key?: string): Promise<Response> =>
  fetch(`${fake.baseUrl}${path}`, { headers: key ? { Authorization: `Bearer ${key}` } : {} });
const json = async <T>(res: Response | Promise<Response>): Promise<T> => (await (await res).json()) as T;

/** An SSE body split into events: comments (`: …`) and `data:` payloads, in order. */
function sse(text: string): {
  events: { comment?: string; data?: string }[];
  comments: string[];
  data: string[];
  chunks: Chunk[];
} {
  const events = text
    .split('\n\n')
    .filter((e) => e.length > 0)
    .map((e) => (e.startsWith(':') ? { comment: e } : { data: e.replace(/^data: /, '') }));
  const data = events.flatMap((e) => (e.data === undefined ? [] : [e.data]));
  const chunks = data.filter((d) => d.startsWith('{"')).map((d) => JSON.parse(d) as Chunk);
  return { events, comments: events.flatMap((e) => (e.comment ? [e.comment] : [])), data, chunks };
}
const contentOf = (chunks: readonly Chunk[]): string => chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
const stream = async (body: Json): Promise<ReturnType<typeof sse>> =>
  sse(await (await chat({ ...body, stream: true })).text());

/** Runs `check` with a spec validator, or skips with the loader's message when the spec is absent. */
function withSpec(
  t: TestContext,
  validator: SpecValidator,
  check: (validate: (value: unknown) => string[]) => void,
): void {
  const validate = specOrSkip(t, validator);
  if (validate) check(validate);
}

before(async () => {
  fake = await startFakeOpenRouter({ tokenDelayMs: 0 });
});
after(async () => {
  await fake.close();
});
beforeEach(() => fake.reset());

describe('fake OpenRouter: catalogue', () => {
  it('lists every fixture model with string prices and quirky entries, without auth', async () => {
    const res = await get('/models');
    assert.equal(res.status, 200);
    const body = await json<{ data: Json[]; total_count: number; links: { next: null } }>(res);
    assert.equal(body.total_count, body.data.length);
    assert.equal(body.links.next, null);
    const byId = new Map(
      body.data.map((m) => [
        m.id,
        m as Json & {
          pricing: Record<string, string>;
          context_length: unknown;
          architecture: { input_modalities: string[] };
          supported_parameters: string[];
        },
      ]),
    );
    for (const id of Object.values(FIXTURE_MODELS)) assert.ok(byId.has(id), id);
    assert.equal(byId.get(MINI)?.context_length, 128000);
    assert.ok(byId.get(MINI)?.supported_parameters.includes('tools'));
    assert.equal(typeof byId.get(MINI)?.pricing.prompt, 'string');
    assert.ok(byId.get(FIXTURE_MODELS.claudeSonnet4)?.architecture.input_modalities.includes('image'));
    assert.ok(byId.get(FIXTURE_MODELS.gemini25Flash)?.architecture.input_modalities.includes('image'));
    assert.equal(byId.get(FIXTURE_MODELS.llamaFree)?.pricing.prompt, '0');
    assert.equal(byId.get(FIXTURE_MODELS.auto)?.pricing.prompt, '-1');
    assert.equal(byId.get(FIXTURE_MODELS.tinyContext)?.context_length, 2048);
    assert.ok(byId.get(FIXTURE_MODELS.deepseekR1)?.supported_parameters.includes('reasoning'));
    assert.equal(byId.get(QUIRK_IDS.stringContext)?.context_length, '8192');
    assert.ok(!byId.has(undefined) || body.data.some((m) => !('id' in m)), 'an entry without id');
    assert.ok(byId.get(QUIRK_IDS.extraKeys)?.brand_new_field);
  });

  it("well-formed entries match the spec's Model schema; the malformed ones do not", async (t) => {
    const body = await json<{ data: Json[] }>(get('/models'));
    withSpec(t, loadSpecValidator('Model'), (validate) => {
      const invalid = body.data.filter((m) => validate(m).length > 0).map((m) => m.id ?? '(no id)');
      assert.deepEqual(invalid, [QUIRK_IDS.noPricing, QUIRK_IDS.stringContext, '(no id)']);
    });
  });

  it('filters by supported_parameters and pages with offset/limit', async () => {
    const all = await json<{ data: { id: string }[] }>(get('/models'));
    const tools = await json<{ data: { id: string }[] }>(get('/models?supported_parameters=tools'));
    assert.ok(tools.data.length < all.data.length);
    assert.ok(tools.data.some((m) => m.id === MINI));
    assert.ok(!tools.data.some((m) => m.id === FIXTURE_MODELS.deepseekR1));
    const both = await json<{ data: { id: string }[] }>(get('/models?supported_parameters=tools,reasoning'));
    assert.deepEqual(
      both.data.map((m) => m.id).sort(),
      [FIXTURE_MODELS.claudeSonnet4, FIXTURE_MODELS.gemini25Flash].sort(),
    );
    const page = await json<{ data: { id: string }[]; total_count: number; links: { next: string | null } }>(
      get('/models?offset=2&limit=3'),
    );
    assert.deepEqual(
      page.data.map((m) => m.id),
      all.data.slice(2, 5).map((m) => m.id),
    );
    assert.equal(page.total_count, all.data.length);
    assert.match(page.links.next ?? '', /offset=5/);
  });

  it('serves provider endpoints with tags; latency only with a key; 404 in the envelope', async (t) => {
    type Endpoints = {
      data: {
        id: string;
        endpoints: {
          tag: string;
          provider_name: string;
          pricing: { prompt: string };
          latency_last_30m: unknown;
          uptime_last_30m: unknown;
        }[];
      };
    };
    const anon = await json<Endpoints>(get(`/models/${FIXTURE_MODELS.llama}/endpoints`));
    assert.equal(anon.data.id, FIXTURE_MODELS.llama);
    assert.ok(anon.data.endpoints.length >= 5);
    assert.ok(anon.data.endpoints.some((e) => e.tag === 'deepinfra/turbo'));
    assert.ok(anon.data.endpoints.every((e) => e.latency_last_30m === null && typeof e.pricing.prompt === 'string'));
    const authed = await json<Endpoints>(get(`/models/${FIXTURE_MODELS.llama}/endpoints`, KEY));
    assert.ok(authed.data.endpoints.every((e) => e.latency_last_30m !== null));
    const free = await json<Endpoints>(get(`/models/${FIXTURE_MODELS.llamaFree}/endpoints`));
    assert.equal(free.data.endpoints[0]?.provider_name, 'Chutes');
    const missing = await get('/models/nope/nope/endpoints');
    assert.equal(missing.status, 404);
    assert.equal((await json<Envelope>(missing)).error.code, 404);
    withSpec(t, loadSpecValidator('ListEndpointsResponse'), (validate) => assert.deepEqual(validate(authed.data), []));
  });

  it('generates large deterministic catalogues for benchmarks', () => {
    const a = generateCatalogue(400, 5);
    const wellFormed = a.models.filter((m) => typeof m.id === 'string' && a.endpoints.has(m.id));
    assert.ok(wellFormed.length >= 400);
    assert.ok(wellFormed.every((m) => (a.endpoints.get(String(m.id))?.length ?? 0) >= 5));
    assert.equal(JSON.stringify(generateCatalogue(400, 5).models), JSON.stringify(a.models));
    assert.equal(JSON.stringify([...generateCatalogue(400, 5).endpoints]), JSON.stringify([...a.endpoints]));
    assert.ok(a.model(MINI), 'the stable models are part of it');
  });

  it('generates models and endpoints that match the spec', (t) => {
    const a = generateCatalogue(400, 5);
    withSpec(t, loadSpecValidator('Model'), (validate) => {
      const invalid = a.models.filter((m) => validate(m).length > 0).map((m) => m.id ?? '(no id)');
      assert.deepEqual(invalid, [QUIRK_IDS.noPricing, QUIRK_IDS.stringContext, '(no id)']);
    });
    withSpec(t, loadSpecValidator('PublicEndpoint'), (validate) => {
      for (const endpoints of a.endpoints.values())
        for (const e of endpoints) assert.deepEqual(validate(e), [], `${e.model_id} ${e.provider_name}`);
    });
  });
});

describe('fake OpenRouter: chat answers', () => {
  it('answers without streaming in the documented shape, cost from the price', async (t) => {
    const question = `${'a'.repeat(199)}Z${'b'.repeat(100)}`;
    const res = await chat({
      model: FIXTURE_MODELS.claudeSonnet4,
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: question },
      ],
    });
    assert.equal(res.status, 200);
    const id = res.headers.get('x-generation-id') ?? '';
    assert.match(id, /^gen-\d+-\w+/);
    const body = await json<Completion & Json>(res);
    for (const key of ['id', 'object', 'created', 'model', 'choices', 'system_fingerprint', 'usage', 'provider'])
      assert.ok(key in body, key);
    assert.equal(body.id, id);
    assert.equal(body.object, 'chat.completion');
    assert.equal(body.model, FIXTURE_MODELS.claudeSonnet4);
    assert.equal(body.provider, 'Anthropic');
    const content = body.choices[0]!.message.content;
    assert.ok(
      content.startsWith(`Echo from ${FIXTURE_MODELS.claudeSonnet4}: ${'a'.repeat(199)}Z\n`),
      'the first 200 characters, no more',
    );
    assert.match(content, /```ts\n[\s\S]+\n```/);
    assert.equal(body.choices[0]!.finish_reason, 'stop');
    const u = body.usage;
    assert.equal(u.total_tokens, u.prompt_tokens + u.completion_tokens);
    assert.ok(Math.abs(u.cost - (u.prompt_tokens * 3e-6 + u.completion_tokens * 15e-6)) < 1e-9);
    withSpec(t, loadSpecValidator('ChatResult'), (validate) => assert.deepEqual(validate(body), []));
  });

  it('records each generation for /generation', async (t) => {
    const res = await chat({ model: MINI, messages });
    const id = res.headers.get('x-generation-id');
    const body = await json<Completion>(res);
    const gen = await json<{
      data: Json & { total_cost: number; model: string; tokens_completion: number; streamed: boolean };
    }>(get(`/generation?id=${id}`, KEY));
    assert.equal(gen.data.model, MINI);
    assert.equal(gen.data.total_cost, body.usage.cost);
    assert.equal(gen.data.tokens_completion, body.usage.completion_tokens);
    assert.equal(gen.data.streamed, false);
    assert.equal((await get('/generation?id=gen-unknown', KEY)).status, 404);
    assert.equal((await get(`/generation?id=${id}`)).status, 401);
    withSpec(t, loadSpecValidator('GenerationResponse'), (validate) => assert.deepEqual(validate(gen), []));
  });

  it('streams per the contract: two keep-alives, word chunks, stop, usage with choices [], [DONE]', async (t) => {
    const res = await chat({ model: MINI, messages, stream: true });
    assert.equal(res.headers.get('content-type'), 'text/event-stream');
    const id = res.headers.get('x-generation-id');
    const { events, data, chunks } = sse(await res.text());
    assert.deepEqual(events.slice(0, 2), [
      { comment: ': OPENROUTER PROCESSING' },
      { comment: ': OPENROUTER PROCESSING' },
    ]);
    assert.equal(data.at(-1), '[DONE]');
    assert.equal(data.filter((d) => d === '[DONE]').length, 1);
    const content = chunks.slice(0, -2);
    assert.ok(content.length > 3, 'several content chunks');
    for (const c of content) {
      assert.equal(c.choices[0]?.finish_reason, null);
      assert.ok((c.choices[0]?.delta.content ?? '').trim().split(/\s+/).length <= 3, 'a few words each');
    }
    assert.ok(
      chunks.every(
        (c) => c.id === id && c.model === MINI && c.provider === 'OpenAI' && c.object === 'chat.completion.chunk',
      ),
    );
    assert.equal(chunks.at(-2)?.choices[0]?.finish_reason, 'stop');
    assert.deepEqual(chunks.at(-1)?.choices, []);
    assert.ok((chunks.at(-1)?.usage?.cost ?? 0) > 0);
    const text = contentOf(chunks);
    const whole = await json<Completion>(chat({ model: MINI, messages }));
    assert.equal(text, whole.choices[0]!.message.content, 'same text streamed or not');
    withSpec(t, loadSpecValidator('ChatStreamChunk'), (validate) =>
      chunks.forEach((c) => assert.deepEqual(validate(c), [])),
    );
  });

  it('continues an assistant prefill', async () => {
    const body = await json<Completion>(
      chat({ model: MINI, messages: [...messages, { role: 'assistant', content: 'Pong, and' }] }),
    );
    assert.ok(body.choices[0]!.message.content.startsWith(' (continued by openai/gpt-4o-mini)'));
  });

  it('serves openrouter/auto with a real model, and honours provider.order', async () => {
    const auto = await json<Completion>(chat({ model: FIXTURE_MODELS.auto, messages }));
    assert.equal(auto.model, MINI);
    const together = await json<Completion>(
      chat({ model: FIXTURE_MODELS.llama, messages, provider: { order: ['together'], allow_fallbacks: false } }),
    );
    assert.equal(together.provider, 'Together');
    const none = await chat({ model: FIXTURE_MODELS.llama, messages, provider: { only: ['nobody'] } });
    assert.equal(none.status, 404);
  });

  it('streams a set number of chunks, the real-capture usage form, and long answers with keep-alives', async () => {
    fake.setOptions({ chunks: 40, usageChunk: 'choice' });
    const { chunks } = await stream({ model: MINI, messages });
    assert.equal(chunks.length, 40 + 2);
    assert.equal(chunks.at(-1)?.choices.length, 1);
    assert.equal(chunks.at(-1)?.choices[0]?.delta.content, '');
    fake.setOptions({ chunks: undefined, usageChunk: 'empty' });
    const long = await stream({ model: FIXTURE_MODELS.longWriter, messages });
    assert.equal(long.chunks.length, 400 + 2);
    assert.ok(long.comments.length > 2, 'keep-alives between events');
  });
});

describe('fake OpenRouter: faults', () => {
  const statuses = [400, 401, 402, 403, 404, 408, 429, 500, 502, 503, 524, 529];
  it('plays HTTP faults of every status in the error envelope', async () => {
    for (const status of statuses) {
      fake.setFault(MINI, { kind: 'http', status });
      const res = await chat({ model: MINI, messages, stream: true });
      assert.equal(res.status, status);
      const body = await json<Envelope>(res);
      assert.equal(body.error.code, status);
      assert.ok(body.error.message.length > 0);
      assert.equal(body.user_id, 'user_fake');
      assert.equal(typeof body.error.metadata?.error_type, 'string');
    }
  });

  it("gives the contract's bodies: context length, moderation, no tool endpoints, rate-limit headers", async () => {
    fake.setFault(MINI, { kind: 'http', status: 400 });
    assert.equal(
      (await json<Envelope>(chat({ model: MINI, messages }))).error.metadata?.error_type,
      'context_length_exceeded',
    );
    fake.setFault(MINI, { kind: 'http', status: 403 });
    const moderated = await json<Envelope>(chat({ model: MINI, messages }));
    assert.match(moderated.error.message, /requires moderation on OpenAI\. Your input was flagged for "misc"/);
    assert.deepEqual(moderated.error.metadata?.reasons, ['misc']);
    assert.equal(typeof moderated.error.metadata?.flagged_input, 'string');
    fake.setFault(MINI, { kind: 'http', status: 404 });
    assert.equal(
      (await json<Envelope>(chat({ model: MINI, messages }))).error.message,
      'No endpoints found that support tool use',
    );
    fake.setFault(MINI, {
      kind: 'http',
      status: 429,
      retryAfter: 3,
      retryAfterMs: 2500,
      rateLimitReset: 1741305600000,
      availability: { code: 'capacity_exhausted', retryable: true },
    });
    const res = await chat({ model: MINI, messages });
    assert.equal(res.headers.get('retry-after'), '3');
    assert.equal(res.headers.get('retry-after-ms'), '2500');
    const limited = await json<Envelope>(res);
    assert.deepEqual(limited.error.metadata?.headers, {
      'X-RateLimit-Limit': '50',
      'X-RateLimit-Remaining': '0',
      'X-RateLimit-Reset': '1741305600000',
    });
    assert.deepEqual(limited.error.metadata?.availability, { code: 'capacity_exhausted', retryable: true });
  });

  it('plays a list of faults once each, then serves normally; a sticky fault stays', async () => {
    fake.setFault(MINI, [
      { kind: 'http', status: 500 },
      { kind: 'http', status: 503 },
    ]);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await chat({ model: MINI, messages })).status);
    assert.deepEqual(statuses, [500, 503, 200]);
    fake.setFault(MINI, { kind: 'http', status: 502 });
    assert.equal((await chat({ model: MINI, messages })).status, 502);
    assert.equal((await chat({ model: MINI, messages })).status, 502);
    fake.setFault(MINI, undefined);
    assert.equal((await chat({ model: MINI, messages })).status, 200);
  });

  it('sends a mid-stream error chunk after some text (and [DONE] only when asked)', async () => {
    fake.setFault(MINI, { kind: 'midStreamError', afterChunks: 2, code: 502, message: 'upstream died' });
    const { data, chunks } = await stream({ model: MINI, messages });
    assert.equal(chunks.length, 3);
    assert.ok(contentOf(chunks.slice(0, 2)).startsWith('Echo from'));
    const last = chunks.at(-1)!;
    assert.deepEqual(last.error, {
      code: 502,
      message: 'upstream died',
      metadata: { error_type: 'provider_unavailable' },
    });
    assert.equal(last.choices[0]?.finish_reason, 'error');
    assert.ok(!data.includes('[DONE]'));
    fake.setFault(MINI, { kind: 'midStreamError', afterChunks: 1, done: true });
    assert.equal((await stream({ model: MINI, messages })).data.at(-1), '[DONE]');
  });

  it('without streaming, a mid-stream error is a 200 with finish_reason "error" and a choice error', async () => {
    fake.setFault(MINI, { kind: 'midStreamError', afterChunks: 2, code: 429 });
    const res = await chat({ model: MINI, messages });
    assert.equal(res.status, 200);
    const body = await json<Completion>(res);
    assert.equal(body.choices[0]?.finish_reason, 'error');
    assert.equal(body.choices[0]?.error?.code, 429);
    assert.ok(body.choices[0]!.message.content.startsWith('Echo from'));
  });

  it('cuts a stream without [DONE]', async () => {
    fake.setFault(MINI, { kind: 'cut', afterChunks: 1 });
    const res = await chat({ model: MINI, messages, stream: true });
    assert.equal(res.status, 200);
    const reader = res.body!.getReader();
    let received = '';
    await assert.rejects(async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        received += Buffer.from(value).toString('utf8');
      }
    }, 'the body ends in a socket error');
    assert.ok(!received.includes('[DONE]'));
    assert.notEqual(fake.chatRequests().at(-1)?.aborted, true, 'a cut is not a client abort');
  });

  it('sends a malformed data line, then goes on', async () => {
    fake.setFault(MINI, { kind: 'malformed', afterChunks: 1 });
    const { data } = await stream({ model: MINI, messages });
    assert.ok(data[1] === '{not json');
    assert.throws(() => JSON.parse(data[1]!));
    assert.equal(data.at(-1), '[DONE]');
  });

  it('sends chunks with empty choices: all of them, or interleaved', async () => {
    fake.setFault(MINI, { kind: 'emptyChoices' });
    const empty = await stream({ model: MINI, messages });
    assert.ok(empty.chunks.every((c) => c.choices.length === 0));
    assert.ok(empty.chunks.at(-1)?.usage);
    assert.equal(empty.data.at(-1), '[DONE]');
    fake.setFault(MINI, { kind: 'emptyChoices', interleave: true });
    const mixed = await stream({ model: MINI, messages });
    assert.ok(mixed.chunks.filter((c) => c.choices.length === 0).length > 2);
    assert.match(contentOf(mixed.chunks), /^Echo from/);
  });

  it('uses the real-capture usage form on request', async () => {
    fake.setFault(MINI, { kind: 'usageInChoice' });
    const { chunks } = await stream({ model: MINI, messages });
    assert.equal(chunks.at(-2)?.choices[0]?.finish_reason, 'stop');
    assert.deepEqual(chunks.at(-1)?.choices, [
      {
        index: 0,
        delta: { role: 'assistant', content: '' },
        finish_reason: null,
        native_finish_reason: null,
        logprobs: null,
      },
    ]);
    assert.ok(chunks.at(-1)?.usage);
  });

  it('streams slowly, and notices a client that hangs up', async () => {
    fake.setFault(MINI, { kind: 'slow', delayMs: 40, chunks: 3 });
    const started = Date.now();
    const { chunks } = await stream({ model: MINI, messages });
    assert.equal(chunks.length, 5);
    assert.ok(Date.now() - started >= 110, 'about 40 ms per chunk');
    fake.setFault(MINI, { kind: 'slow', delayMs: 30 });
    const controller = new AbortController();
    const res = await chat({ model: MINI, messages, stream: true }, KEY, controller.signal);
    await res.body!.getReader().read();
    controller.abort();
    for (let i = 0; i < 50 && !fake.chatRequests().at(-1)?.aborted; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(fake.chatRequests().at(-1)?.aborted, true);
    const gen = fake.generation(fake.chatRequests().at(-1)!.generationId!);
    assert.equal(gen?.cancelled, true);
  });

  it('hangs until the client gives up, streaming or not', async () => {
    fake.setFault(MINI, { kind: 'hang' });
    await assert.rejects(chat({ model: MINI, messages, stream: true }, KEY, AbortSignal.timeout(80)), /abort|timeout/i);
    await assert.rejects(chat({ model: MINI, messages }, KEY, AbortSignal.timeout(80)), /abort|timeout/i);
    for (let i = 0; i < 50 && fake.chatRequests().some((r) => !r.aborted); i++)
      await new Promise((r) => setTimeout(r, 10));
    assert.ok(fake.chatRequests().every((r) => r.aborted));
  });

  it('sends only keep-alives when asked', async () => {
    fake.setFault(MINI, { kind: 'keepAliveOnly', intervalMs: 10 });
    const controller = new AbortController();
    const res = await chat({ model: MINI, messages, stream: true }, KEY, controller.signal);
    const reader = res.body!.getReader();
    let text = '';
    while ((text.match(/OPENROUTER PROCESSING/g) ?? []).length < 4)
      text += Buffer.from((await reader.read()).value ?? []).toString('utf8');
    controller.abort();
    assert.ok(!text.includes('data:'));
  });

  it('ends hung requests when closed, leaving nothing behind', async () => {
    const other = await startFakeOpenRouter();
    other.setFault('*', { kind: 'hang' });
    const pending = fetch(`${other.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${KEY}` },
      body: JSON.stringify({ model: MINI, messages, stream: true }),
    });
    await new Promise((r) => setTimeout(r, 30));
    const started = Date.now();
    await other.close();
    await other.close();
    assert.ok(Date.now() - started < 5000, 'close() does not wait for the hung response');
    await assert.rejects(pending);
  });
});

describe('fake OpenRouter: fallback and routing', () => {
  it('falls back over `models` like OpenRouter and records what it tried', async () => {
    fake.setFault(MINI, { kind: 'http', status: 429, retryAfter: 2 });
    const body = await json<Completion>(chat({ model: MINI, models: [MINI, FIXTURE_MODELS.gemini25Flash], messages }));
    assert.equal(body.model, FIXTURE_MODELS.gemini25Flash);
    assert.equal(body.provider, 'Google');
    assert.match(body.choices[0]!.message.content, /^Echo from google\/gemini-2\.5-flash/);
    const record = fake.chatRequests()[0]!;
    assert.deepEqual(record.tried, [MINI, FIXTURE_MODELS.gemini25Flash]);
    assert.deepEqual(record.attempts, [
      { model: MINI, status: 429 },
      { model: FIXTURE_MODELS.gemini25Flash, status: 200 },
    ]);
    assert.equal(record.servedModel, FIXTURE_MODELS.gemini25Flash);
  });

  it('streams from the fallback, and answers the last error when every model fails', async () => {
    fake.setFault(MINI, { kind: 'http', status: 503 });
    const { chunks } = await stream({ models: [MINI, FIXTURE_MODELS.claudeSonnet4], messages });
    assert.ok(chunks.every((c) => c.model === FIXTURE_MODELS.claudeSonnet4));
    fake.setFault(FIXTURE_MODELS.claudeSonnet4, { kind: 'http', status: 502 });
    const res = await chat({ model: MINI, models: [FIXTURE_MODELS.claudeSonnet4], messages });
    assert.equal(res.status, 502);
    assert.deepEqual(fake.chatRequests().at(-1)?.tried, [MINI, FIXTURE_MODELS.claudeSonnet4]);
  });

  it("raises OpenRouter's own pre-token failures, which fall back too", async () => {
    const long = [{ role: 'user', content: 'x'.repeat(12000) }];
    const tiny = await chat({ model: FIXTURE_MODELS.tinyContext, messages: long });
    assert.equal(tiny.status, 400);
    assert.equal((await json<Envelope>(tiny)).error.metadata?.error_type, 'context_length_exceeded');
    assert.equal(
      (await json<Completion>(chat({ model: FIXTURE_MODELS.tinyContext, models: [MINI], messages: long }))).model,
      MINI,
    );
    const tools = [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }];
    const noTools = await chat({ model: FIXTURE_MODELS.deepseekR1, messages, tools });
    assert.equal(noTools.status, 404);
    assert.equal((await json<Envelope>(noTools)).error.message, 'No endpoints found that support tool use');
    const unknown = await chat({ model: 'acme/fake-1.0', messages });
    assert.equal((await json<Envelope>(unknown)).error.message, 'acme/fake-1.0 is not a valid model ID');
  });
});

describe('fake OpenRouter: keys and account', () => {
  it('rejects missing and invalid keys, 402 without credit', async () => {
    const none = await chat({ model: MINI, messages }, '');
    assert.equal(none.status, 401);
    assert.deepEqual(await none.json(), {
      error: { code: 401, message: 'No auth credentials found', metadata: { error_type: 'authentication' } },
      user_id: 'user_fake',
    });
    const invalid = await json<Envelope>(chat({ model: MINI, messages }, 'sk-or-v1-invalid-0000'));
    assert.equal(invalid.error.code, 401);
    assert.equal(invalid.error.message, 'User not found.');
    assert.equal((await chat({ model: MINI, messages }, 'not-an-openrouter-key')).status, 401);
    const broke = await chat({ model: MINI, messages }, 'sk-or-v1-nocredit-1');
    assert.equal(broke.status, 402);
    assert.equal((await get('/key', 'sk-or-v1-nocredit-1')).status, 200, 'the key itself is fine');
  });

  it('reports key info like the contract, configurable per key', async () => {
    const info = await json<{ data: Json }>(get('/key', KEY));
    assert.deepEqual(
      { ...info.data, label: undefined },
      {
        label: undefined,
        limit: 100,
        limit_remaining: 74.5,
        limit_reset: 'monthly',
        include_byok_in_limit: false,
        usage: 25.5,
        usage_daily: 25.5,
        usage_weekly: 25.5,
        usage_monthly: 25.5,
        byok_usage: 17.38,
        is_free_tier: false,
        expires_at: null,
        rate_limit: { requests: -1, interval: '10s' },
      },
    );
    assert.doesNotMatch(String(info.data.label), /0000000000/);
    fake.setKeys({ 'sk-or-v1-free': { info: { limit: null, limit_remaining: null, is_free_tier: true } } });
    const free = await json<{ data: Json }>(get('/key', 'sk-or-v1-free'));
    assert.equal(free.data.limit, null);
    assert.equal(free.data.is_free_tier, true);
  });

  it('accepts only listed keys when asked; revokes keys', async () => {
    fake.setKeys({ 'sk-or-v1-one': {}, 'sk-or-v1-broke': { status: 'nocredit' } }, { only: true });
    assert.equal((await chat({ model: MINI, messages }, 'sk-or-v1-one')).status, 200);
    assert.equal((await chat({ model: MINI, messages }, 'sk-or-v1-broke')).status, 402);
    assert.equal((await chat({ model: MINI, messages }, KEY)).status, 401);
    fake.reset();
    fake.keys.revoke(KEY);
    assert.equal((await get('/key', KEY)).status, 401);
  });

  it('serves /credits to management keys only', async () => {
    assert.equal((await get('/credits', KEY)).status, 403);
    assert.deepEqual(await json(get('/credits', 'sk-or-v1-mgmt-1')), {
      data: { total_credits: 100.5, total_usage: 25.75 },
    });
    fake.setKeys({ [KEY]: { management: true } });
    assert.equal((await get('/credits', KEY)).status, 200);
  });
});

describe('fake OpenRouter: OAuth PKCE', () => {
  const verifier = 'verifier-0123456789-abcdefghijklmnopqrstuvwxyz';
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const exchange = (body: Json): Promise<Response> =>
    fetch(`${fake.baseUrl}/auth/keys`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  const messageOf = async (res: Response): Promise<string> => (await json<Envelope>(res)).error.message;

  it('shows a consent page whose Authorize redirects to the callback with a code that exchanges once', async () => {
    const callback = 'http://127.0.0.1:1/cb?state=xyz';
    const page = await fetch(
      `${fake.url}/auth?callback_url=${encodeURIComponent(callback)}&code_challenge=${challenge}&code_challenge_method=S256`,
    );
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /<button id="authorize"/);
    assert.match(html, /id="cancel"/);
    const action = /<form[^>]*method="(\w+)"[^>]*action="([^"]+)"/.exec(html);
    assert.ok(action, 'a form');
    const fields = Object.fromEntries(
      [...html.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)].map((m) => [
        m[1]!,
        m[2]!.replace(/&#38;/g, '&'),
      ]),
    );
    const redirect = await fetch(new URL(action[2]!, `${fake.url}/auth`), {
      method: action[1],
      body: new URLSearchParams(fields),
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(redirect.status, 302);
    const location = new URL(redirect.headers.get('location')!);
    assert.equal(`${location.origin}${location.pathname}`, 'http://127.0.0.1:1/cb');
    assert.equal(location.searchParams.get('state'), 'xyz');
    const code = location.searchParams.get('code')!;
    const ok = await exchange({ code, code_verifier: verifier, code_challenge_method: 'S256' });
    assert.equal(ok.status, 200);
    const minted = await json<{ key: string; user_id: string }>(ok);
    assert.match(minted.key, /^sk-or-v1-/);
    assert.equal((await get('/key', minted.key)).status, 200, 'the new key works');
    const again = await exchange({ code, code_verifier: verifier, code_challenge_method: 'S256' });
    assert.equal(again.status, 403, 'single use');
    assert.equal(await messageOf(again), 'Invalid code or code_verifier');
  });

  it('authorizes with a GET form too, appending code to a callback without a query', async () => {
    const redirect = await fetch(
      `${fake.url}/auth/authorize?${new URLSearchParams({ callback_url: 'vscode://switchyard.switchyard/auth', code_challenge: challenge, code_challenge_method: 'S256' })}`,
      { redirect: 'manual' },
    );
    assert.equal(redirect.status, 302);
    assert.match(
      redirect.headers.get('location') ?? '',
      /^vscode:\/\/switchyard\.switchyard\/auth\?code=code-[0-9a-f]+$/,
    );
  });

  it('refuses a wrong verifier, an expired code and a bad method', async () => {
    const wrong = await exchange({
      code: fake.oauth.mint(challenge),
      code_verifier: 'wrong-verifier-0123456789-abcdefghijklmnopq',
      code_challenge_method: 'S256',
    });
    assert.equal(wrong.status, 403);
    assert.equal(await messageOf(wrong), 'Invalid code or code_verifier');
    const expired = await exchange({
      code: fake.oauth.mint(challenge, { ttlMs: -1 }),
      code_verifier: verifier,
      code_challenge_method: 'S256',
    });
    assert.equal(expired.status, 403);
    assert.equal(await messageOf(expired), 'Authorization code expired');
    const forced = await exchange({ code: 'expired-anything', code_verifier: verifier, code_challenge_method: 'S256' });
    assert.equal(await messageOf(forced), 'Authorization code expired');
    const plain = await exchange({
      code: fake.oauth.mint(challenge),
      code_verifier: verifier,
      code_challenge_method: 'plain',
    });
    assert.equal(plain.status, 400);
    assert.equal(await messageOf(plain), 'Invalid code_challenge_method');
  });

  it('honours a configured code lifetime', async () => {
    const short = await startFakeOpenRouter({ oauthCodeTtlMs: 20 });
    try {
      const code = short.oauth.mint(challenge);
      await new Promise((r) => setTimeout(r, 40));
      const res = await fetch(`${short.baseUrl}/auth/keys`, {
        method: 'POST',
        body: JSON.stringify({ code, code_verifier: verifier, code_challenge_method: 'S256' }),
      });
      assert.equal(await messageOf(res), 'Authorization code expired');
    } finally {
      await short.close();
    }
  });
});

describe('fake OpenRouter: recording and control', () => {
  it('records every request: method, path, query, lowercased headers, body, time, status', async () => {
    const before = Date.now();
    await get('/models?supported_parameters=tools', KEY);
    await fetch(`${fake.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${KEY}`, 'X-OpenRouter-Title': 'Switchyard' },
      body: 'not json',
    });
    await chat({ model: MINI, messages });
    const [models, raw, ok] = fake.requests;
    assert.equal(models?.method, 'GET');
    assert.equal(models?.path, '/api/v1/models');
    assert.deepEqual(models?.query, { supported_parameters: 'tools' });
    assert.equal(models?.headers.authorization, `Bearer ${KEY}`);
    assert.ok((models?.time ?? 0) >= before);
    assert.equal(raw?.body, 'not json');
    assert.equal(raw?.headers['x-openrouter-title'], 'Switchyard');
    assert.equal(raw?.status, 400);
    assert.deepEqual(ok?.body, { model: MINI, messages });
    assert.equal(ok?.status, 200);
    assert.equal(fake.chatRequests().length, 2);
    fake.clearRequests();
    assert.equal(fake.requests.length, 0);
  });

  it('scripts faults, keys, options and codes over HTTP, and resets', async () => {
    const control = (path: string, body?: Json, method = 'POST'): Promise<Response> =>
      fetch(`${fake.url}/__control/${path}`, {
        method,
        headers: { 'Content-Type': 'application/json' },
        body: body ? JSON.stringify(body) : undefined,
      });
    const faults: Fault[] = [{ kind: 'http', status: 502 }];
    assert.equal((await control('faults', { model: MINI, faults })).status, 200);
    assert.equal((await chat({ model: MINI, messages })).status, 502);
    assert.equal((await chat({ model: MINI, messages })).status, 200);
    const bad = await control('faults', { model: MINI, faults: { kind: 'explode' } });
    assert.equal(bad.status, 400);
    assert.match((await json<Envelope>(bad)).error.message, /bad control request/);
    await control('faults', { model: MINI, faults: { kind: 'http', status: 429 } });
    await control('faults', { model: MINI, faults: null });
    assert.equal((await chat({ model: MINI, messages })).status, 200);
    await control('keys', { keys: { 'sk-or-v1-gone': { status: 'invalid' } }, revoke: 'sk-or-v1-also-gone' });
    assert.equal((await chat({ model: MINI, messages }, 'sk-or-v1-gone')).status, 401);
    assert.equal((await chat({ model: MINI, messages }, 'sk-or-v1-also-gone')).status, 401);
    await control('options', { chunks: 7 });
    assert.equal((await stream({ model: MINI, messages })).chunks.length, 9);
    const { code } = await json<{ code: string }>(control('auth-code', { challenge: 'c' }));
    assert.match(code, /^code-/);
    const listed = await json<{ path: string }[]>(control('requests?path=chat', undefined, 'GET'));
    assert.ok(listed.length >= 5 && listed.every((r) => r.path === '/api/v1/chat/completions'));
    assert.ok((await json<unknown[]>(control('generations', undefined, 'GET'))).length >= 3);
    assert.equal((await control('reset')).status, 200);
    assert.equal(fake.requests.length, 0, 'control requests are not recorded');
    assert.equal((await chat({ model: MINI, messages }, 'sk-or-v1-gone')).status, 200);
    assert.ok((await stream({ model: MINI, messages })).chunks.length > 9, 'options back to defaults');
    assert.equal((await control('requests', undefined, 'DELETE')).status, 200);
    assert.equal(fake.requests.length, 0);
  });

  it('answers unknown paths in the error envelope', async () => {
    const res = await get('/nope');
    assert.equal(res.status, 404);
    const body = await json<Envelope>(res);
    assert.equal(body.error.code, 404);
    assert.equal(body.user_id, 'user_fake');
  });

  it('runs as a CLI until SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/fake-openrouter/cli.ts', '--port', '0'], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString('utf8');
          if (out.includes('\n')) resolve(out.trim());
        });
        child.once('exit', (code) => reject(new Error(`exited with ${code}`)));
      });
      const match = /^Fake OpenRouter listening on (http:\/\/127\.0\.0\.1:\d+\/api\/v1)$/.exec(line);
      assert.ok(match, line);
      assert.equal((await fetch(`${match[1]}/models`)).status, 200);
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});

describe("fake OpenRouter: OpenRouter's spec", () => {
  const typical = {
    model: MINI,
    models: [MINI, FIXTURE_MODELS.claudeSonnet4],
    messages: [{ role: 'system', content: 'be brief' }, ...messages],
    stream: true,
    max_tokens: 100,
    provider: { order: ['openai'], allow_fallbacks: false },
  };

  it('accepts a typical request body and rejects a provider with an unknown key', (t) => {
    withSpec(t, loadChatRequestValidator(), (validate) => {
      assert.deepEqual(validate(typical), []);
      assert.ok(
        validate({ ...typical, provider: { not_a_field: true } }).length > 0,
        'provider is additionalProperties:false',
      );
      assert.ok(validate({ ...typical, messages: 'hello' }).length > 0);
    });
  });

  it('says plainly when the spec file is absent', () => {
    const missing = loadChatRequestValidator('/nowhere/openrouter-openapi.yaml');
    assert.equal(missing.validate, undefined);
    assert.equal(
      missing.message,
      'openrouter-openapi.yaml not found at /nowhere/openrouter-openapi.yaml; skipping spec validation',
    );
  });

  it("skips without the spec on a developer's clone, but fails under CI=true", () => {
    const missing = loadChatRequestValidator('/nowhere/openrouter-openapi.yaml');
    const skipped: string[] = [];
    assert.equal(specOrSkip({ skip: (m) => skipped.push(m) }, missing, {}), undefined);
    assert.deepEqual(skipped, [missing.message]);
    assert.throws(
      () => specOrSkip({ skip: (m) => skipped.push(m) }, missing, { CI: 'true' }),
      /openrouter-openapi\.yaml not found at \/nowhere\/openrouter-openapi\.yaml: the spec-contract tests need it in CI/,
    );
    assert.equal(skipped.length, 1, 'CI does not skip');
  });

  it("the bodies recorded from this suite's requests validate", async (t) => {
    await chat(typical);
    await chat({
      model: FIXTURE_MODELS.llama,
      messages: [...messages, { role: 'assistant', content: 'pre' }],
      provider: { only: ['together'], ignore: ['groq'], quantizations: ['fp8'] },
      max_completion_tokens: 50,
    });
    withSpec(t, loadChatRequestValidator(), (validate) => {
      for (const r of fake.chatRequests()) assert.deepEqual(validate(r.body), [], JSON.stringify(r.body));
    });
  });
});

describe('fake OpenRouter: prompt cache and web plugin (issue 13)', () => {
  const CLAUDE = FIXTURE_MODELS.claudeSonnet4;
  const EPHEMERAL = { type: 'ephemeral' };
  const long = 'x '.repeat(5000);
  /** A Claude conversation with breakpoints on the system prompt and the last user turn. */
  const cached = (turns: string[]): Json => ({
    model: CLAUDE,
    stream: true,
    messages: [
      { role: 'system', content: [{ type: 'text', text: `Be brief. ${long}`, cache_control: EPHEMERAL }] },
      ...turns.flatMap((t, i): Json[] =>
        i < turns.length - 1
          ? [
              { role: 'user', content: t },
              { role: 'assistant', content: 'ok' },
            ]
          : [{ role: 'user', content: [{ type: 'text', text: t, cache_control: EPHEMERAL }] }],
      ),
    ],
  });
  type CacheUsage = {
    prompt_tokens: number;
    completion_tokens: number;
    cost: number;
    prompt_tokens_details: { cached_tokens: number; cache_write_tokens?: number };
  };
  const usage = (s: ReturnType<typeof sse>): CacheUsage => s.chunks.at(-1)!.usage as unknown as CacheUsage;

  it('explicit caching: writes at the write price, then reads at the read price; cache_discount in /generation', async (t) => {
    fake.reset();
    const first = usage(await stream(cached(['one'])));
    assert.equal(first.prompt_tokens_details.cached_tokens, 0);
    assert.ok((first.prompt_tokens_details.cache_write_tokens ?? 0) > 2000, JSON.stringify(first));
    const w = first.prompt_tokens_details.cache_write_tokens!;
    assert.ok(
      Math.abs(first.cost - ((first.prompt_tokens - w) * 3e-6 + w * 3.75e-6 + first.completion_tokens * 15e-6)) < 1e-8,
      'writes at $3.75 per M',
    );
    const res = await chat({ ...cached(['one', 'two']) });
    const id = res.headers.get('x-generation-id');
    const second = usage(sse(await res.text()));
    const r = second.prompt_tokens_details.cached_tokens;
    assert.ok(r > 2000, `the system prompt is read: ${JSON.stringify(second)}`);
    const w2 = second.prompt_tokens_details.cache_write_tokens ?? 0;
    assert.ok(
      Math.abs(
        second.cost -
          ((second.prompt_tokens - r - w2) * 3e-6 + r * 0.3e-6 + w2 * 3.75e-6 + second.completion_tokens * 15e-6),
      ) < 1e-8,
      'reads at $0.30 per M',
    );
    const gen = await json<{ data: { cache_discount: number | null; native_tokens_cached: number } }>(
      get(`/generation?id=${id}`, KEY),
    );
    assert.ok((gen.data.cache_discount ?? 0) > 0, 'reading saved more than writing cost');
    assert.equal(gen.data.native_tokens_cached, r);
    withSpec(t, loadSpecValidator('GenerationResponse'), (validate) => assert.deepEqual(validate(gen), []));
  });

  it('without breakpoints an explicit model caches nothing; an automatic one reads repeated leading messages', async () => {
    fake.reset();
    const plain = {
      model: CLAUDE,
      stream: true,
      messages: [
        { role: 'system', content: long },
        { role: 'user', content: 'q' },
      ],
    };
    await stream(plain);
    assert.equal(usage(await stream(plain)).prompt_tokens_details.cached_tokens, 0);
    const mini = { ...plain, model: MINI };
    await stream(mini);
    const again = usage(await stream(mini));
    assert.ok(again.prompt_tokens_details.cached_tokens > 2000);
    assert.equal(again.prompt_tokens_details.cache_write_tokens, undefined, 'automatic caching reports no writes');
  });

  it('the web plugin: numbered sources as url_citation annotations before the finish, $4 per 1000 results', async (t) => {
    const plain = await stream({ model: MINI, messages });
    const s = await stream({ model: MINI, messages, plugins: [{ id: 'web', max_results: 5 }] });
    const annotated = s.chunks.filter(
      (c) => (c.choices[0]?.delta as { annotations?: unknown[] } | undefined)?.annotations,
    );
    assert.equal(annotated.length, 1);
    assert.ok(s.chunks.indexOf(annotated[0]!) < s.chunks.findIndex((c) => c.choices[0]?.finish_reason === 'stop'));
    assert.match(contentOf(s.chunks), /\[1\].*\[2\].*\[3\]/);
    const u = usage(s) as CacheUsage & { server_tool_use?: { web_search_requests: number } };
    assert.deepEqual(u.server_tool_use, { web_search_requests: 1 });
    const plainUsage = usage(plain);
    const textCost = (x: CacheUsage): number => x.prompt_tokens * 0.15e-6 + x.completion_tokens * 0.6e-6;
    assert.ok(
      Math.abs(u.cost - textCost(u) - 0.02) < 1e-7 && Math.abs(plainUsage.cost - textCost(plainUsage)) < 1e-8,
      'five results at $0.004 (cost has 6 significant digits)',
    );
    withSpec(t, loadSpecValidator('ChatStreamChunk'), (validate) =>
      s.chunks.forEach((c) => assert.deepEqual(validate(c), [])),
    );
    const whole = await json<Completion & { choices: { message: { annotations?: unknown[] } }[] }>(
      chat({ model: MINI, messages, plugins: [{ id: 'web' }] }),
    );
    assert.equal(whole.choices[0]?.message.annotations?.length, 5, 'non-streamed: on the message');
  });
});
