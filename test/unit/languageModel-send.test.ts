/**
 * A VS Code chat request sent through Switchyard (src/languageModel/send.ts) with the routing
 * engine, the executor and the real client against the fake OpenRouter: the routed body (models
 * list, provider preferences, cache breakpoints, session), tool calls whose ids come back as
 * tool_call_id, fallback, budget and capability refusals, Stop, spend and sticky routing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OpenRouterClient } from '../../src/openrouter/client';
import type { ModelInfo } from '../../src/openrouter/catalogue';
import { FailureError } from '../../src/openrouter/failures';
import type { RawRoutingSettings } from '../../src/config/routingSettings';
import { lmErrorView } from '../../src/languageModel/errors';
import { LanguageModelSender, type LmPlanned, type LmRequest } from '../../src/languageModel/send';
import type { LmMessage, LmResponsePart } from '../../src/languageModel/types';
import { seededRandom } from '../../src/routing/random';
import { systemTime } from '../../src/routing/systemTime';
import { FIXTURE_MODELS } from '../fake-openrouter/catalogue';
import { type FakeOpenRouter } from '../fake-openrouter/server';
import { MemoryLedger, testRouter } from '../faults/session';
import { fakeOpenRouterPerFile } from './fakeOpenRouterHooks';

const KEY = 'sk-or-v1-lm-test-key-000000000000';
let fake: FakeOpenRouter;
let models: ModelInfo[];

fakeOpenRouterPerFile(KEY, (f, m) => ((fake = f), (models = m)));

interface Setup {
  readonly routing?: RawRoutingSettings;
  readonly fallbackModels?: readonly string[];
  readonly picked?: string;
}

function sender(setup: Setup = {}) {
  const byId = new Map(models.map((m) => [m.id, m]));
  const ledger = new MemoryLedger();
  const logs: string[] = [];
  const router = testRouter({
    baseUrl: fake.baseUrl,
    models,
    apiKey: KEY,
    routing: setup.routing ?? {},
    fallbackModels: () => setup.fallbackModels ?? [],
    time: { ...systemTime, random: seededRandom(1) },
    maxWaitMs: 2000,
    timeoutSeconds: 10,
    ledger,
  });
  const s = new LanguageModelSender(
    {
      keys: { refs: async () => [{ id: 'k1', label: 'key 1' }], secret: async () => KEY, report: () => undefined },
      client: (apiKey) => new OpenRouterClient({ baseUrl: fake.baseUrl, apiKey, timeoutSeconds: 10 }),
      router,
      confirm: async () => false,
      modelInfo: (id) => byId.get(id),
      settings: () => ({
        model: setup.picked ?? FIXTURE_MODELS.gpt4oMini,
        fallbackModels: setup.fallbackModels ?? [],
        maxOutputTokens: 1024,
      }),
      log: { info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(m) },
    },
    (text) => Math.ceil(text.length / 4),
  );
  return { s, router, logs };
}

async function run(s: LanguageModelSender, request: LmRequest, signal = new AbortController().signal) {
  const parts: LmResponsePart[] = [];
  const planned: LmPlanned[] = [];
  const spent: number[] = [];
  const outcome = await s.send(
    request,
    { report: (p) => parts.push(p), planned: (p) => planned.push(p), spent: (usd) => spent.push(usd) },
    signal,
  );
  const text = parts.flatMap((p) => (p.kind === 'text' ? [p.text] : [])).join('');
  return { outcome, parts, planned, spent, text };
}

const user = (text: string): LmMessage => ({ role: 'user', content: [{ kind: 'text', text }] });
const SYSTEM: LmMessage = {
  role: 'system',
  content: [{ kind: 'text', text: "You are VS Code's assistant. ".repeat(20) }],
};
const body = (i = -1) =>
  fake.chatRequests().at(i)!.body as {
    model: string;
    models?: string[];
    provider?: Record<string, unknown>;
    messages: { role: string; content: unknown; tool_call_id?: string; tool_calls?: { id: string }[] }[];
    tools?: unknown[];
    tool_choice?: string;
    session_id?: string;
    max_tokens?: number;
  };

describe('VS Code chat requests through Switchyard', () => {
  it("a picked model goes with its fallbacks as OpenRouter's models list and the provider preferences; the answer streams back", async () => {
    // Gemini takes Claude's body (both cache with breakpoints), so both go in one request.
    const { s, router } = sender({
      fallbackModels: [FIXTURE_MODELS.gemini25Flash],
      routing: { provider: { data_collection: 'deny', sort: 'throughput' } },
    });
    const r = await run(s, {
      target: { kind: 'model', model: FIXTURE_MODELS.claudeSonnet4 },
      messages: [SYSTEM, user('hello from VS Code')],
      tools: [],
      toolMode: 'auto',
    });
    const b = body();
    assert.equal(b.model, FIXTURE_MODELS.claudeSonnet4);
    assert.deepEqual(b.models, [FIXTURE_MODELS.claudeSonnet4, FIXTURE_MODELS.gemini25Flash]);
    assert.equal(b.provider?.data_collection, 'deny');
    assert.equal(b.provider?.sort, 'throughput');
    assert.equal(b.tools, undefined);
    assert.match(b.session_id ?? '', /^vscode-[0-9a-f]{16}$/);
    assert.match(r.text, /^Echo from anthropic\/claude-sonnet-4: hello from VS Code/);
    assert.equal(r.outcome.model, FIXTURE_MODELS.claudeSonnet4);
    assert.equal(r.spent.length, 1);
    assert.ok(r.spent[0]! > 0);
    assert.equal(router.spend().todayUsd, r.spent[0], "counted in the budgets' ledger");
    assert.equal(r.planned.length, 1);
  });

  it("VS Code's tools go as tools with require_parameters; the call comes back with its id, and its result goes to the fake with that tool_call_id", async () => {
    fake.setAgentScript({
      turns: [
        {
          when: { step: 0 },
          text: 'Reading it.',
          toolCalls: [{ name: 'copilot_readFile', arguments: JSON.stringify({ filePath: '/w/src/math.ts' }) }],
        },
        { when: { step: 1 }, text: 'It adds numbers.' },
      ],
    });
    const { s } = sender();
    const tools = [
      {
        name: 'copilot_readFile',
        description: 'Read a file',
        inputSchema: { type: 'object', properties: { filePath: { type: 'string' } } },
      },
    ];
    const first = await run(s, {
      target: { kind: 'auto' },
      messages: [SYSTEM, user('what does math.ts do?')],
      tools,
      toolMode: 'auto',
    });
    const call = first.parts.find((p) => p.kind === 'toolCall');
    assert.ok(call && call.kind === 'toolCall');
    assert.deepEqual(call.input, { filePath: '/w/src/math.ts' });
    assert.equal(first.outcome.toolCalls, 1);
    assert.equal(body().provider?.require_parameters, true);
    assert.equal(body().tool_choice, 'auto');
    assert.equal(body().tools?.length, 1);
    const history: LmMessage[] = [
      SYSTEM,
      user('what does math.ts do?'),
      {
        role: 'assistant',
        content: [
          { kind: 'text', text: 'Reading it.' },
          { kind: 'toolCall', callId: call.callId, name: call.name, input: call.input },
        ],
      },
      {
        role: 'user',
        content: [
          {
            kind: 'toolResult',
            callId: call.callId,
            content: [{ kind: 'text', text: 'export const add = (a, b) => a + b;' }],
          },
        ],
      },
    ];
    const second = await run(s, { target: { kind: 'auto' }, messages: history, tools, toolMode: 'auto' });
    assert.equal(fake.chatRequests().at(-1)!.status, 200, 'the fake accepted the replay');
    const tool = body().messages.find((m) => m.role === 'tool');
    assert.equal(tool?.tool_call_id, call.callId);
    assert.equal(second.text, 'It adds numbers.');
  });

  it("a reasoning model's tool turn: its reasoning_details go to VS Code on a thinking part, and back to the fake verbatim", async () => {
    fake.setAgentScript({
      turns: [
        { when: { step: 0 }, reasoning: true, toolCalls: [{ name: 'list', arguments: '{}' }] },
        { when: { step: 1 }, text: 'Listed.' },
      ],
    });
    const { s } = sender();
    const target = { kind: 'model', model: FIXTURE_MODELS.claudeSonnet4 } as const;
    const tools = [{ name: 'list', description: 'List files' }];
    const first = await run(s, { target, messages: [user('list files')], tools, toolMode: 'auto' });
    const thinking = first.parts.find((p) => p.kind === 'thinking' && p.details?.length);
    const call = first.parts.find((p) => p.kind === 'toolCall');
    assert.ok(thinking && thinking.kind === 'thinking' && call && call.kind === 'toolCall');
    const second = await run(s, {
      target,
      messages: [
        user('list files'),
        {
          role: 'assistant',
          content: [
            { kind: 'thinking', text: '', details: thinking.details! },
            { kind: 'toolCall', callId: call.callId, name: call.name, input: call.input },
          ],
        },
        {
          role: 'user',
          content: [{ kind: 'toolResult', callId: call.callId, content: [{ kind: 'text', text: 'a.ts' }] }],
        },
      ],
      tools,
      toolMode: 'auto',
    });
    assert.equal(fake.chatRequests().at(-1)!.status, 200, 'the fake accepted the replayed signatures');
    assert.equal(second.text, 'Listed.');
  });

  it('tool mode Required asks for a call (tool_choice: required)', async () => {
    fake.setAgentScript({ turns: [{ text: 'ok' }] });
    const { s } = sender();
    await run(s, {
      target: { kind: 'model', model: FIXTURE_MODELS.gpt4oMini },
      messages: [user('go')],
      tools: [{ name: 't', description: 'd' }],
      toolMode: 'required',
    });
    assert.equal(body().tool_choice, 'required');
  });

  it('when the first model fails, the fallback answers', async () => {
    for (const status of [503, 429]) {
      fake.reset();
      fake.setFault(FIXTURE_MODELS.claudeSonnet4, { kind: 'http', status });
      const { s } = sender({ fallbackModels: [FIXTURE_MODELS.gpt4oMini] });
      const r = await run(s, {
        target: { kind: 'model', model: FIXTURE_MODELS.claudeSonnet4 },
        messages: [user('fallback please')],
        tools: [],
        toolMode: 'auto',
      });
      assert.match(r.text, /^Echo from openai\/gpt-4o-mini: fallback please/, String(status));
      assert.equal(r.outcome.model, FIXTURE_MODELS.gpt4oMini);
    }
  });

  it('a stream that breaks mid-answer is continued, and a continuation that restarts reaches VS Code without repetition', async () => {
    const faults = [
      // The retry ignores the continuation and answers from the beginning.
      [{ kind: 'midStreamError', afterChunks: 3 }, { kind: 'restart' }],
      // The same, broken after one piece and after five.
      [{ kind: 'midStreamError', afterChunks: 1 }, { kind: 'restart' }],
      [{ kind: 'midStreamError', afterChunks: 5 }, { kind: 'restart' }],
      // A proper continuation (the prefill honoured) is kept as it comes.
      [{ kind: 'midStreamError', afterChunks: 3 }],
    ] as const;
    for (const list of faults) {
      fake.reset();
      fake.setFault(FIXTURE_MODELS.gpt4oMini, [...list]);
      const { s } = sender();
      const r = await run(s, {
        target: { kind: 'model', model: FIXTURE_MODELS.gpt4oMini },
        messages: [user('tell me about routers')],
        tools: [],
        toolMode: 'auto',
      });
      const what = JSON.stringify(list);
      assert.ok(fake.chatRequests().length >= 2, `${what}: continued`);
      const clean = 'Echo from openai/gpt-4o-mini: tell me about routers';
      assert.equal(r.text.split(clean).length - 1, 1, `${what}: the echo reaches VS Code once: ${r.text}`);
      assert.match(r.text, /That is all\.$/, what);
    }
  });

  it('a budget the request would cross is refused before sending, as Blocked with the budget named', async () => {
    for (const budgets of [{ perRequestUsd: 0.0000001 }, { perDayUsd: 0.0000001 }]) {
      fake.reset();
      const { s } = sender({ routing: { budgets, onBudget: 'block' } });
      const error = await run(s, {
        target: { kind: 'model', model: FIXTURE_MODELS.claudeSonnet4 },
        messages: [user('expensive')],
        tools: [],
        toolMode: 'auto',
      }).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(error instanceof FailureError, JSON.stringify(budgets));
      const view = lmErrorView(error);
      assert.equal(view.code, 'Blocked');
      assert.match(view.message, /budget/i);
      assert.match(view.message, /Set Budgets… raises it, or Pick Model/, 'the way forward, in palette titles');
      assert.equal(fake.chatRequests().length, 0, 'nothing sent');
    }
  });

  it('an image to a model that cannot see, or tools to one without tools, is refused with why', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    const { s } = sender();
    const image = await run(s, {
      target: { kind: 'model', model: FIXTURE_MODELS.gpt4oMini },
      messages: [
        {
          role: 'user',
          content: [
            { kind: 'text', text: 'see' },
            { kind: 'data', mimeType: 'image/png', data: png },
          ],
        },
      ],
      tools: [],
      toolMode: 'auto',
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.match(lmErrorView(image).message, /cannot see images/);
    assert.equal(lmErrorView(image).code, 'Blocked');
    const tools = await run(s, {
      target: { kind: 'model', model: FIXTURE_MODELS.deepseekR1 },
      messages: [user('use a tool')],
      tools: [{ name: 't', description: 'd' }],
      toolMode: 'auto',
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.equal(lmErrorView(tools).code, 'Blocked');
    assert.equal(fake.chatRequests().length, 0);
  });

  it('Anthropic models get prompt-cache breakpoints on the system prompt and the user turn', async () => {
    const { s } = sender();
    await run(s, {
      target: { kind: 'model', model: FIXTURE_MODELS.claudeSonnet4 },
      messages: [SYSTEM, user('cache me')],
      tools: [],
      toolMode: 'auto',
    });
    const marked = body().messages.filter(
      (m) => Array.isArray(m.content) && (m.content as { cache_control?: unknown }[]).some((p) => p.cache_control),
    );
    assert.deepEqual(
      marked.map((m) => m.role),
      ['system', 'user'],
    );
  });

  it('the next turn of the conversation stays on the provider that served it (sticky), with the same session', async () => {
    const { s } = sender();
    const target = { kind: 'model', model: FIXTURE_MODELS.llama } as const;
    const first = await run(s, { target, messages: [user('first question')], tools: [], toolMode: 'auto' });
    assert.ok(first.outcome.provider);
    const session = body().session_id;
    const second = await run(s, {
      target,
      messages: [
        user('first question'),
        { role: 'assistant', content: [{ kind: 'text', text: first.text }] },
        user('second'),
      ],
      tools: [],
      toolMode: 'auto',
    });
    assert.equal(second.planned[0]!.request.affinity?.provider, first.outcome.provider);
    assert.equal(body().session_id, session);
    const other = await run(s, { target, messages: [user('another conversation')], tools: [], toolMode: 'auto' });
    assert.equal(other.planned[0]!.request.affinity, undefined);
  });

  it("Stop (the cancellation token) aborts the request like Switchyard's Stop; nothing is retried", async () => {
    fake.setOptions({ tokenDelayMs: 20 });
    const { s } = sender({ fallbackModels: [FIXTURE_MODELS.claudeSonnet4] });
    const controller = new AbortController();
    const parts: LmResponsePart[] = [];
    const sending = s.send(
      {
        target: { kind: 'model', model: FIXTURE_MODELS.longWriter },
        messages: [user('write a lot')],
        tools: [],
        toolMode: 'auto',
      },
      {
        report: (p) => {
          parts.push(p);
          if (parts.length === 3) controller.abort();
        },
      },
      controller.signal,
    );
    const error = await sending.then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof FailureError);
    assert.equal(lmErrorView(error).cancelled, true);
    assert.equal(fake.chatRequests().length, 1, 'no fallback after Stop');
  });
});
