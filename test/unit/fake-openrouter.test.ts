/** The fake OpenRouter itself: it must speak the contract, or every test built on it lies. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { generateCatalogue } from '../fake-openrouter/catalogue';
import { startFakeOpenRouter, type FakeOpenRouter } from '../fake-openrouter/server';
import { loadChatRequestValidator } from '../fake-openrouter/spec';

const KEY = 'sk-or-v1-fake-test-0000000000';
let fake: FakeOpenRouter;

const chat = (body: Record<string, unknown>, key = KEY): Promise<Response> =>
  fetch(`${fake.baseUrl}/chat/completions`, { method: 'POST', headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

const messages = [{ role: 'user', content: 'ping' }];

/** Splits an SSE body into its `data:` payloads and comment lines. */
function sse(text: string): { comments: string[]; data: string[] } {
  const events = text.split('\n\n').filter(Boolean);
  return { comments: events.filter((e) => e.startsWith(':')), data: events.filter((e) => e.startsWith('data: ')).map((e) => e.slice(6)) };
}

before(async () => {
  fake = await startFakeOpenRouter({ tokenDelayMs: 0 });
});
after(async () => {
  await fake.close();
});
beforeEach(() => fake.clearRequests());

describe('fake OpenRouter: catalogue', () => {
  it('lists models with string prices and quirky entries, without auth', async () => {
    const body = (await (await fetch(`${fake.baseUrl}/models`)).json()) as { data: { id?: string; pricing?: { prompt: unknown } }[] };
    assert.ok(body.data.some((m) => m.id === 'openai/gpt-4o-mini' && typeof m.pricing?.prompt === 'string'));
    assert.ok(body.data.some((m) => m.id === 'quirk/no-pricing'));
    const tools = (await (await fetch(`${fake.baseUrl}/models?supported_parameters=tools`)).json()) as { data: { id: string }[] };
    assert.ok(tools.data.length < body.data.length && tools.data.every((m) => m.id !== 'deepseek/deepseek-r1'));
  });
  it('serves provider endpoints with tags', async () => {
    const body = (await (await fetch(`${fake.baseUrl}/models/meta-llama/llama-3.3-70b-instruct/endpoints`)).json()) as { data: { endpoints: { tag: string; pricing: { prompt: string } }[] } };
    assert.ok(body.data.endpoints.length >= 5);
    assert.ok(body.data.endpoints.some((e) => e.tag === 'deepinfra/turbo'));
    assert.equal((await fetch(`${fake.baseUrl}/models/nope/nope/endpoints`)).status, 404);
  });
  it('generates large deterministic catalogues', () => {
    const a = generateCatalogue(400, 5);
    assert.equal(a.models.length >= 400, true);
    assert.ok([...a.endpoints.values()].filter((e) => e.length >= 5).length >= 390);
    assert.deepEqual(generateCatalogue(400, 5).models.map((m) => m.id), a.models.map((m) => m.id));
  });
});

describe('fake OpenRouter: chat', () => {
  it('streams per the contract: keep-alives, chunks, finish, usage, [DONE]', async () => {
    const res = await chat({ model: 'openai/gpt-4o-mini', messages, stream: true });
    assert.equal(res.headers.get('content-type'), 'text/event-stream');
    assert.match(res.headers.get('x-generation-id') ?? '', /^gen-/);
    const { comments, data } = sse(await res.text());
    assert.ok(comments.length >= 2 && comments[0] === ': OPENROUTER PROCESSING');
    assert.equal(data.at(-1), '[DONE]');
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d) as { provider: string; choices: { finish_reason: string | null; delta: { content: string } }[]; usage?: { cost: number } });
    assert.ok(chunks.every((c) => c.provider === 'OpenAI'));
    assert.equal(chunks.at(-2)?.choices[0]?.finish_reason, 'stop');
    assert.deepEqual(chunks.at(-1)?.choices, []);
    assert.ok((chunks.at(-1)?.usage?.cost ?? 0) > 0);
    assert.match(chunks.map((c) => c.choices[0]?.delta.content ?? '').join(''), /Echo from openai\/gpt-4o-mini: ping/);
  });
  it('answers without streaming in the documented shape', async () => {
    const body = (await (await chat({ model: 'anthropic/claude-sonnet-4', messages })).json()) as Record<string, unknown> & { choices: { message: { content: string } }[] };
    for (const key of ['id', 'object', 'created', 'model', 'choices', 'system_fingerprint', 'usage', 'provider']) assert.ok(key in body, key);
    assert.equal(body.object, 'chat.completion');
    assert.match(body.choices[0]!.message.content, /Echo from anthropic/);
  });
  it('falls back over `models` like OpenRouter and records what it tried', async () => {
    fake.setFault('openai/gpt-4o-mini', { kind: 'http', status: 429, retryAfter: 2 });
    const body = (await (await chat({ model: 'openai/gpt-4o-mini', models: ['openai/gpt-4o-mini', 'google/gemini-2.5-flash'], messages })).json()) as { model: string };
    fake.setFault('openai/gpt-4o-mini', undefined);
    assert.equal(body.model, 'google/gemini-2.5-flash');
    assert.deepEqual(fake.chatRequests()[0]?.tried, ['openai/gpt-4o-mini', 'google/gemini-2.5-flash']);
  });
  it('plays HTTP faults in the error envelope with rate-limit headers', async () => {
    fake.setFault('openai/gpt-4o-mini', { kind: 'http', status: 429, retryAfter: 3, rateLimitReset: 1741305600000 });
    const res = await chat({ model: 'openai/gpt-4o-mini', messages });
    fake.setFault('openai/gpt-4o-mini', undefined);
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), '3');
    const body = (await res.json()) as { error: { code: number; metadata: { headers: Record<string, string> } }; user_id: string };
    assert.equal(body.error.code, 429);
    assert.equal(body.error.metadata.headers['X-RateLimit-Reset'], '1741305600000');
    assert.equal(body.user_id, 'user_fake');
  });
  it('plays successive faults, then serves normally', async () => {
    fake.setFault('openai/gpt-4o-mini', [{ kind: 'http', status: 500 }, { kind: 'http', status: 503 }]);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await chat({ model: 'openai/gpt-4o-mini', messages })).status);
    assert.deepEqual(statuses, [500, 503, 200]);
  });
  it('sends a mid-stream error chunk after some text', async () => {
    fake.setFault('openai/gpt-4o-mini', { kind: 'midStreamError', afterChunks: 2, code: 502 });
    const { data } = sse(await (await chat({ model: 'openai/gpt-4o-mini', messages, stream: true })).text());
    fake.setFault('openai/gpt-4o-mini', undefined);
    const last = JSON.parse(data.at(-1)!) as { error: { code: number }; choices: { finish_reason: string }[] };
    assert.equal(data.length, 3);
    assert.equal(last.error.code, 502);
    assert.equal(last.choices[0]!.finish_reason, 'error');
  });
  it('cuts a stream without [DONE], and sends malformed data', async () => {
    fake.setFault('openai/gpt-4o-mini', { kind: 'cut', afterChunks: 1 });
    await assert.rejects(async () => (await chat({ model: 'openai/gpt-4o-mini', messages, stream: true })).text(), 'the body ends in a socket error');
    fake.setFault('openai/gpt-4o-mini', { kind: 'malformed', afterChunks: 1 });
    const { data } = sse(await (await chat({ model: 'openai/gpt-4o-mini', messages, stream: true })).text());
    fake.setFault('openai/gpt-4o-mini', undefined);
    assert.throws(() => JSON.parse(data.at(-1)!));
  });
  it('sends the usage chunk in the real-capture form on request', async () => {
    fake.setFault('openai/gpt-4o-mini', { kind: 'usageInChoice' });
    const { data } = sse(await (await chat({ model: 'openai/gpt-4o-mini', messages, stream: true })).text());
    fake.setFault('openai/gpt-4o-mini', undefined);
    const usage = JSON.parse(data.at(-2)!) as { choices: unknown[]; usage: unknown };
    assert.equal(usage.choices.length, 1);
    assert.ok(usage.usage);
  });
  it('notices a client that hangs up mid-stream', async () => {
    fake.setFault('openai/gpt-4o-mini', { kind: 'slow', delayMs: 100 });
    const controller = new AbortController();
    const res = await chat({ model: 'openai/gpt-4o-mini', messages, stream: true });
    void res.body?.cancel();
    controller.abort();
    await new Promise((r) => setTimeout(r, 300));
    fake.setFault('openai/gpt-4o-mini', undefined);
    assert.equal(fake.chatRequests()[0]?.aborted, true);
  });
  it('rejects missing, invalid and revoked keys; 402 without credit', async () => {
    const none = await fetch(`${fake.baseUrl}/chat/completions`, { method: 'POST', body: JSON.stringify({ messages }) });
    assert.equal(none.status, 401);
    assert.equal((await chat({ model: 'openai/gpt-4o-mini', messages }, 'sk-or-v1-invalid')).status, 401);
    fake.keys.revoke('sk-or-v1-revoked-1');
    assert.equal((await chat({ model: 'openai/gpt-4o-mini', messages }, 'sk-or-v1-revoked-1')).status, 401);
    assert.equal((await chat({ model: 'openai/gpt-4o-mini', messages }, 'sk-or-v1-nocredit')).status, 402);
  });
  it('reports key info and generations', async () => {
    const key = (await (await fetch(`${fake.baseUrl}/key`, { headers: { Authorization: `Bearer ${KEY}` } })).json()) as { data: { limit: number; label: string } };
    assert.equal(key.data.limit, 100);
    assert.doesNotMatch(key.data.label, /0000000000/);
    const res = await chat({ model: 'openai/gpt-4o-mini', messages });
    const id = res.headers.get('x-generation-id');
    const gen = (await (await fetch(`${fake.baseUrl}/generation?id=${id}`, { headers: { Authorization: `Bearer ${KEY}` } })).json()) as { data: { total_cost: number } };
    assert.ok(gen.data.total_cost > 0);
    assert.equal((await fetch(`${fake.baseUrl}/credits`, { headers: { Authorization: `Bearer ${KEY}` } })).status, 403);
  });
});

describe('fake OpenRouter: OAuth PKCE', () => {
  const verifier = 'a'.repeat(43);
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const exchange = (body: Record<string, unknown>): Promise<Response> => fetch(`${fake.baseUrl}/auth/keys`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

  it('redirects from the consent page to the callback with a code that exchanges once', async () => {
    const page = await fetch(`${fake.url}/auth?callback_url=${encodeURIComponent('http://127.0.0.1:1/cb?state=xyz')}&code_challenge=${challenge}&code_challenge_method=S256`);
    assert.match(await page.text(), /id="authorize"/);
    const form = new URLSearchParams({ callback_url: 'http://127.0.0.1:1/cb?state=xyz', code_challenge: challenge, code_challenge_method: 'S256' });
    const redirect = await fetch(`${fake.url}/auth/authorize`, { method: 'POST', body: form, redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    assert.equal(redirect.status, 302);
    const location = new URL(redirect.headers.get('location')!);
    assert.equal(location.searchParams.get('state'), 'xyz');
    const code = location.searchParams.get('code')!;
    const ok = await exchange({ code, code_verifier: verifier, code_challenge_method: 'S256' });
    assert.equal(ok.status, 200);
    assert.match(((await ok.json()) as { key: string }).key, /^sk-or-v1-/);
    assert.equal((await exchange({ code, code_verifier: verifier, code_challenge_method: 'S256' })).status, 403, 'single use');
  });
  it('refuses a wrong verifier, an expired code and a bad method', async () => {
    const wrong = await exchange({ code: fake.oauth.mint(challenge), code_verifier: 'b'.repeat(43), code_challenge_method: 'S256' });
    assert.equal(wrong.status, 403);
    assert.match(((await wrong.json()) as { error: { message: string } }).error.message, /Invalid code or code_verifier/);
    const expired = await exchange({ code: fake.oauth.mint(challenge, 'S256', -1), code_verifier: verifier, code_challenge_method: 'S256' });
    assert.match(((await expired.json()) as { error: { message: string } }).error.message, /expired/);
    assert.equal((await exchange({ code: 'x', code_verifier: verifier, code_challenge_method: 'S512' })).status, 400);
  });
});

describe('fake OpenRouter: control API and spec', () => {
  it('scripts faults and lists requests over HTTP', async () => {
    await fetch(`${fake.url}/__control/faults`, { method: 'POST', body: JSON.stringify({ model: 'openai/gpt-4o-mini', faults: { kind: 'http', status: 502 } }) });
    assert.equal((await chat({ model: 'openai/gpt-4o-mini', messages })).status, 502);
    const listed = (await (await fetch(`${fake.url}/__control/requests`)).json()) as { path: string }[];
    assert.ok(listed.some((r) => r.path === '/api/v1/chat/completions'));
    await fetch(`${fake.url}/__control/reset`, { method: 'POST' });
    assert.equal((await chat({ model: 'openai/gpt-4o-mini', messages })).status, 200);
  });
  it('validates request bodies against OpenRouter\'s spec, and catches a bad one', (t) => {
    const validator = loadChatRequestValidator();
    if (!validator.validate) {
      t.skip(validator.message);
      return;
    }
    const good = { model: 'openai/gpt-4o', models: ['openai/gpt-4o', 'anthropic/claude-sonnet-4'], messages, stream: true, max_tokens: 100, provider: { order: ['openai'], allow_fallbacks: false } };
    assert.deepEqual(validator.validate(good), []);
    assert.ok(validator.validate({ ...good, provider: { not_a_field: true } }).length > 0, 'provider is additionalProperties:false');
    assert.ok(validator.validate({ ...good, messages: 'hello' }).length > 0);
  });
});
