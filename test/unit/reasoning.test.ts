/**
 * Reasoning (issue 13): the thinking text of every delta shape, the effort choices and request
 * `reasoning` decided from catalogue data, the client streaming thinking from the fake (both
 * fields, details only, summaries, encrypted items, a long silent think, a reasoning-only turn),
 * and a chat that stores `reasoning_details`, replays them verbatim (never as content), restores
 * the thinking from history, and sends the effort picked for the model — each body validated
 * against OpenRouter's `ChatRequest`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseCatalogue, reasoningInfo, type ModelInfo } from '../../src/openrouter/catalogue';
import { OpenRouterClient } from '../../src/openrouter/client';
import {
  ReasoningAssembler,
  reasoningChoices,
  reasoningParam,
  reasoningTextOf,
  type ReasoningChoice,
} from '../../src/openrouter/reasoning';
import { buildMessages } from '../../src/chat/prompt';
import type { StoredMessage } from '../../src/chat/conversation';
import { FIXTURE_MODELS, startFakeOpenRouter, type FakeOpenRouter } from '../fake-openrouter/server';
import { loadChatRequestValidator, specOrSkip } from '../fake-openrouter/spec';
import { MemoryStore, recordedSession } from '../faults/session';

const KEY = 'sk-or-v1-reasoning-unit-0000000000000000';

describe('reasoningTextOf: the thinking a delta adds, for every shape', () => {
  it('takes delta.reasoning, and does not add the same text again from reasoning_details', () => {
    assert.equal(
      reasoningTextOf({
        reasoning: 'Let me think',
        reasoning_details: [{ type: 'reasoning.text', text: 'Let me think', index: 0 }],
      }),
      'Let me think',
    );
  });
  it('falls back to reasoning.text and reasoning.summary details, in order', () => {
    assert.equal(
      reasoningTextOf({
        reasoning: null,
        reasoning_details: [
          { type: 'reasoning.text', text: 'a ' },
          { type: 'reasoning.summary', summary: 'b' },
        ],
      }),
      'a b',
    );
    assert.equal(
      reasoningTextOf({ reasoning: '', reasoning_details: [{ type: 'reasoning.summary', summary: 'Summarised.' }] }),
      'Summarised.',
    );
  });
  it('shows nothing for encrypted, unknown, null or malformed entries, and for nulls', () => {
    assert.equal(reasoningTextOf({ reasoning_details: [{ type: 'reasoning.encrypted', data: 'ZW5j' }] }), '');
    assert.equal(
      reasoningTextOf({
        reasoning_details: [
          null,
          3,
          'x',
          { type: 'reasoning.server_tool_call' },
          { type: 'reasoning.text', text: 5 },
          { type: 'reasoning.summary' },
        ],
      }),
      '',
    );
    assert.equal(reasoningTextOf({ reasoning: null, reasoning_details: null }), '');
    assert.equal(reasoningTextOf(undefined), '');
    assert.equal(reasoningTextOf(null), '');
    assert.equal(reasoningTextOf({}), '');
  });
  it('merges streamed details by type and index (text in pieces, signature kept, encrypted kept whole)', () => {
    const a = new ReasoningAssembler();
    a.push([{ type: 'reasoning.text', text: 'one ', format: 'anthropic-claude-v1', index: 0 }]);
    a.push(null);
    a.push([{ type: 'reasoning.text', text: 'two', index: 0 }]);
    a.push([
      { type: 'reasoning.text', text: '', signature: 'sig', index: 0 },
      { type: 'reasoning.encrypted', data: 'AAA', index: 1 },
    ]);
    a.push([{ type: 'reasoning.encrypted', data: 'BBB', index: 1 }]);
    assert.deepEqual(a.finish(), [
      { type: 'reasoning.text', text: 'one two', format: 'anthropic-claude-v1', index: 0, signature: 'sig' },
      { type: 'reasoning.encrypted', data: 'AAABBB', index: 1 },
    ]);
  });
});

describe('effort choices and the request `reasoning`, from catalogue data', () => {
  const model = (fields: Partial<ModelInfo>): Pick<ModelInfo, 'supportsReasoning' | 'reasoning'> => ({
    supportsReasoning: true,
    ...fields,
  });
  it("offers default, off (unless mandatory) and the model's own efforts, else low/medium/high", () => {
    assert.deepEqual(
      reasoningChoices(
        model({ reasoning: { mandatory: false, supportedEfforts: ['high', 'medium', 'low', 'minimal'] } }),
      ),
      ['default', 'off', 'high', 'medium', 'low', 'minimal'],
    );
    assert.deepEqual(reasoningChoices(model({ reasoning: { mandatory: true, supportedEfforts: ['high', 'low'] } })), [
      'default',
      'high',
      'low',
    ]);
    assert.deepEqual(reasoningChoices(model({})), ['default', 'off', 'high', 'medium', 'low']);
    assert.deepEqual(reasoningChoices({ supportsReasoning: false }), []);
    assert.deepEqual(reasoningChoices(undefined), []);
  });
  it('sends effort, "none" for off, nothing for default or a choice the model does not offer, and a budget for budget-only models', () => {
    const effortModel = model({ reasoning: { mandatory: false, supportedEfforts: ['high', 'medium', 'low'] } });
    assert.deepEqual(reasoningParam(effortModel, 'high', 4000), { effort: 'high' });
    assert.deepEqual(reasoningParam(effortModel, 'off', 4000), { effort: 'none' });
    assert.equal(reasoningParam(effortModel, 'default', 4000), undefined);
    assert.equal(reasoningParam(effortModel, undefined, 4000), undefined);
    assert.equal(reasoningParam(effortModel, 'xhigh', 4000), undefined, 'not in its supported_efforts');
    assert.equal(
      reasoningParam(model({ reasoning: { mandatory: true } }), 'off', 4000),
      undefined,
      'mandatory: off is not offered',
    );
    assert.equal(reasoningParam({ supportsReasoning: false }, 'high', 4000), undefined);
    const budget = model({ reasoning: { mandatory: false, supportsMaxTokens: true } });
    assert.deepEqual(reasoningParam(budget, 'high', 10_000), { max_tokens: 8000 });
    assert.deepEqual(reasoningParam(budget, 'low', 2000), { max_tokens: 1024 }, 'at least the smallest budget');
    assert.deepEqual(reasoningParam(budget, 'high', 1025), { max_tokens: 1024 }, 'below the limit');
    // A budget at or above the answer's limit is refused (Anthropic: budget_tokens < max_tokens).
    for (const limit of [256, 1000, 1024])
      for (const level of ['high', 'medium', 'low'] as const)
        assert.equal(reasoningParam(budget, level, limit), undefined, `${level} at max_tokens ${limit}`);
    assert.deepEqual(
      reasoningParam(
        model({ reasoning: { mandatory: false, supportsMaxTokens: true, supportedEfforts: ['high'] } }),
        'high',
        10_000,
      ),
      { effort: 'high' },
      'listed efforts win',
    );
  });
  it("reads the catalogue's reasoning block leniently", () => {
    assert.deepEqual(
      reasoningInfo({
        mandatory: false,
        default_effort: 'medium',
        supported_efforts: ['high', 'none', 'weird', 'low'],
        supports_max_tokens: true,
        default_enabled: true,
      }),
      { mandatory: false, supportedEfforts: ['high', 'low'], defaultEffort: 'medium', supportsMaxTokens: true },
    );
    assert.deepEqual(reasoningInfo({ mandatory: true, supported_efforts: null }), { mandatory: true });
    assert.equal(reasoningInfo('high'), undefined);
    assert.equal(reasoningInfo(null), undefined);
    assert.equal(reasoningInfo([1]), undefined);
  });
});

describe('streaming thinking from the fake OpenRouter', () => {
  let fake: FakeOpenRouter;
  let models: readonly ModelInfo[];
  const validator = loadChatRequestValidator();
  before(async () => {
    fake = await startFakeOpenRouter({ tokenDelayMs: 0 });
    models = parseCatalogue(await (await fetch(`${fake.baseUrl}/models`)).json()).models;
  });
  after(() => fake.close());

  it("the catalogue gives each model its own choices (no name list): Claude's efforts, R1 without off, Gemini the fallback, GPT-4o-mini none", () => {
    const byId = new Map(models.map((m) => [m.id, m]));
    assert.deepEqual(reasoningChoices(byId.get(FIXTURE_MODELS.claudeSonnet4)), [
      'default',
      'off',
      'high',
      'medium',
      'low',
    ]);
    assert.deepEqual(reasoningChoices(byId.get(FIXTURE_MODELS.deepseekR1)), ['default', 'high', 'medium', 'low']);
    assert.deepEqual(reasoningChoices(byId.get(FIXTURE_MODELS.gemini25Flash)), [
      'default',
      'off',
      'high',
      'medium',
      'low',
    ]);
    assert.deepEqual(reasoningChoices(byId.get(FIXTURE_MODELS.gpt4oMini)), []);
  });

  async function stream(
    model: string,
    reasoning: unknown,
    timeoutSeconds = 10,
  ): Promise<{
    thoughts: string[];
    details: ReasoningAssembler;
    text: string;
    result: Awaited<ReturnType<OpenRouterClient['streamChat']>>;
  }> {
    const client = new OpenRouterClient({ baseUrl: fake.baseUrl, apiKey: KEY, timeoutSeconds });
    const thoughts: string[] = [];
    const details = new ReasoningAssembler();
    let text = '';
    const body = {
      model,
      messages: [{ role: 'user' as const, content: 'Why is the sky blue?' }],
      stream: true,
      ...(reasoning ? { reasoning } : {}),
    };
    const result = await client.streamChat(body as Parameters<OpenRouterClient['streamChat']>[0], {
      onDelta: (t) => (text += t),
      onReasoning: (t) => thoughts.push(t),
      onReasoningDetails: (d) => details.push(d),
    });
    return { thoughts, details, text, result };
  }

  for (const shape of ['both', 'details', 'summary'] as const) {
    it(`shape "${shape}": the thinking is shown once, apart from the answer; encrypted details are kept, not shown`, async () => {
      fake.setOptions({ reasoning: { shape } });
      const { thoughts, details, text, result } = await stream(FIXTURE_MODELS.claudeSonnet4, { effort: 'high' });
      const thought = thoughts.join('');
      assert.match(
        thought,
        /^Thinking about "Why is the sky blue\?" with high effort\.\n\nFirst, what is asked; then \*\*the answer\*\*\.$/,
      );
      assert.equal(result.reasoning, thought);
      assert.ok(!text.includes('Thinking about'), 'the answer text carries no thinking');
      assert.match(text, /^Echo from anthropic\/claude-sonnet-4: Why is the sky blue\?/);
      const kept = details.finish();
      assert.deepEqual(
        kept.map((d) => d.type),
        [shape === 'summary' ? 'reasoning.summary' : 'reasoning.text', 'reasoning.encrypted'],
      );
      assert.ok(typeof kept[1]!.data === 'string' && (kept[1]!.data as string).length > 0);
      if (shape !== 'summary') assert.match(String(kept[0]!.signature), /^sig_/);
      assert.ok((result.reasoningTokens ?? 0) > 0, 'reasoning tokens from completion_tokens_details');
      assert.ok((result.completionTokens ?? 0) > (result.reasoningTokens ?? 0));
    });
  }

  it('a model asked for no effort does not think; "none" turns it off; a mandatory one thinks anyway', async () => {
    fake.setOptions({ reasoning: undefined });
    assert.deepEqual((await stream(FIXTURE_MODELS.claudeSonnet4, undefined)).thoughts, []);
    assert.deepEqual((await stream(FIXTURE_MODELS.claudeSonnet4, { effort: 'none' })).thoughts, []);
    assert.match((await stream(FIXTURE_MODELS.deepseekR1, undefined)).thoughts.join(''), /with the default effort/);
  });

  it('a long silent think (encrypted items only, each under the idle timeout, together far over it) never times out', async () => {
    // Margins for a loaded machine (0.6 s gaps against a 1 s timeout timed out once in CI): gaps of
    // 1 s against a 3 s idle timeout, 4 s in all; a first request warms the client and the fake.
    await stream(FIXTURE_MODELS.claudeSonnet4, undefined);
    fake.setOptions({ reasoning: { encryptedPieces: 4, encryptedDelayMs: 1000 } });
    const started = Date.now();
    const { details, text } = await stream(FIXTURE_MODELS.claudeSonnet4, { effort: 'low' }, 3);
    assert.ok(Date.now() - started > 3500, 'the think lasted longer than the 3 s idle timeout');
    assert.match(text, /^Echo from/);
    assert.equal(details.finish().find((d) => d.type === 'reasoning.encrypted')?.index, 1);
    fake.setOptions({ reasoning: undefined });
  });

  it('a reasoning-only turn ends without an error: thinking, no text', async () => {
    fake.setOptions({ answer: '' });
    const { thoughts, text, result } = await stream(FIXTURE_MODELS.deepseekR1, { effort: 'medium' });
    fake.setOptions({ answer: undefined });
    assert.ok(thoughts.join('').length > 0);
    assert.equal(text, '');
    assert.equal(result.finishReason, 'stop');
  });

  it('a chat: the picked effort is sent, thinking stored apart and restored from history, reasoning_details replayed verbatim, never as content; bodies valid ChatRequests', async (t) => {
    const validate = specOrSkip(t, validator);
    fake.clearRequests();
    const efforts = new Map<string, ReasoningChoice>();
    const store = new MemoryStore();
    const options = {
      baseUrl: fake.baseUrl,
      models,
      apiKey: KEY,
      settings: { model: FIXTURE_MODELS.claudeSonnet4, fallbackModels: [], maxOutputTokens: 2048 },
      timeoutSeconds: 10,
      maxWaitMs: 200,
      efforts,
      store,
    };
    const r = recordedSession(options);
    assert.deepEqual(r.session.modelBadge().reasoning, {
      choices: ['default', 'off', 'high', 'medium', 'low'],
      current: 'default',
    });
    await r.session.setReasoningEffort(FIXTURE_MODELS.claudeSonnet4, 'high');
    assert.equal(efforts.get(FIXTURE_MODELS.claudeSonnet4), 'high');
    const badge = r.posted.filter((p) => p.type === 'model').at(-1);
    assert.deepEqual(
      badge?.type === 'model' ? badge.model.reasoning?.current : undefined,
      'high',
      'the header follows',
    );
    await r.session.setReasoningEffort(FIXTURE_MODELS.claudeSonnet4, 'xhigh');
    assert.equal(efforts.get(FIXTURE_MODELS.claudeSonnet4), 'high', 'a choice the model does not offer is refused');

    await r.session.send('First question');
    assert.ok(
      r.posted.some((p) => p.type === 'reasoningDelta'),
      'thinking streamed to the webview',
    );
    await r.session.send('Second question');
    const bodies = fake.chatRequests().map(
      (q) =>
        q.body as {
          reasoning?: unknown;
          messages: { role: string; content: string; reasoning_details?: unknown[] }[];
        },
    );
    assert.equal(bodies.length, 2, 'no re-request');
    assert.deepEqual(bodies[0]!.reasoning, { effort: 'high' });
    const replayed = bodies[1]!.messages.find((m) => m.role === 'assistant')!;
    assert.ok(!replayed.content.includes('Thinking about'), 'thinking is never sent back as content');
    assert.deepEqual(
      replayed.reasoning_details?.map((d) => (d as { type: string }).type),
      ['reasoning.text', 'reasoning.encrypted'],
    );
    const first = r.session.initMessage(true);
    const answer = first.type === 'init' ? first.messages.find((m) => m.role === 'assistant') : undefined;
    assert.match(answer?.reasoning?.text ?? '', /^Thinking about "First question" with high effort/);
    assert.ok(answer?.reasoning?.durationMs !== undefined, 'how long it thought');
    assert.ok(!answer?.text.includes('Thinking about'), 'never persisted into the answer text');
    assert.ok((answer?.meta?.reasoningTokens ?? 0) > 0, 'reasoning tokens in the meta');
    assert.ok(!('reasoningDetails' in (answer ?? {})), 'the webview does not get the encrypted details');
    // The replay is exactly what was streamed (merged): the fake's signature and encrypted data.
    const stored = (
      store.get<{ messages: StoredMessage[] }>(`switchyard.chat.v1.${r.session.chatId}`)?.messages ?? []
    ).find((m) => m.role === 'assistant');
    assert.deepEqual(replayed.reasoning_details, stored?.reasoningDetails);
    // Reopened (a reload): the thinking is shown again.
    const reopened = recordedSession({ ...options, store });
    const restored = reopened.session.initMessage(true);
    assert.match(
      restored.type === 'init' ? (restored.messages.find((m) => m.role === 'assistant')?.reasoning?.text ?? '') : '',
      /First question/,
    );
    if (validate) for (const body of bodies) assert.deepEqual(validate(body), [], JSON.stringify(body).slice(0, 400));
    // Off, then default: "none", then no reasoning at all.
    for (const [choice, expected] of [
      ['off', { effort: 'none' }],
      ['default', undefined],
    ] as const) {
      await r.session.setReasoningEffort(FIXTURE_MODELS.claudeSonnet4, choice);
      fake.clearRequests();
      await r.session.send(`With ${choice}`);
      const body = fake.chatRequests()[0]!.body as { reasoning?: unknown };
      assert.deepEqual(body.reasoning, expected);
      if (validate) assert.deepEqual(validate(body), []);
    }
  });

  it('a command asks for its effort (Explain: low) where the model offers it; a reasoning-only answer is done, not retried', async () => {
    fake.clearRequests();
    fake.setOptions({ answer: '' });
    const efforts = new Map<string, ReasoningChoice>([[FIXTURE_MODELS.deepseekR1, 'high']]);
    const r = recordedSession({
      baseUrl: fake.baseUrl,
      models,
      apiKey: KEY,
      settings: { model: FIXTURE_MODELS.deepseekR1, fallbackModels: [], maxOutputTokens: 2048 },
      timeoutSeconds: 10,
      maxWaitMs: 200,
      efforts,
    });
    await r.session.send('Explain this', { tier: 'chat', effort: 'low' });
    fake.setOptions({ answer: undefined });
    const requests = fake.chatRequests();
    assert.equal(requests.length, 1, 'no automatic re-request');
    assert.deepEqual((requests[0]!.body as { reasoning?: unknown }).reasoning, { effort: 'low' });
    const init = r.session.initMessage(true);
    const answer = init.type === 'init' ? init.messages.at(-1) : undefined;
    assert.equal(answer?.status, 'done');
    assert.equal(answer?.text, '');
    assert.equal(answer?.error, undefined);
    assert.match(answer?.reasoning?.text ?? '', /with low effort/);
  });
});

describe('buildMessages replays reasoning_details, only as themselves', () => {
  it('an assistant turn with details carries them verbatim; one without has none', () => {
    const details = [{ type: 'reasoning.encrypted', data: 'xyz', index: 0 }];
    const history: StoredMessage[] = [
      { id: 'u1', role: 'user', text: 'q1', status: 'done', createdAt: 1 },
      {
        id: 'a1',
        role: 'assistant',
        text: 'a1',
        status: 'done',
        createdAt: 2,
        reasoning: { text: 'secret thinking' },
        reasoningDetails: details,
      },
      { id: 'u2', role: 'user', text: 'q2', status: 'done', createdAt: 3 },
      { id: 'a2', role: 'assistant', text: 'a2', status: 'done', createdAt: 4 },
    ];
    const { messages } = buildMessages(history, { role: 'user', content: 'q3' }, 10_000);
    assert.deepEqual(
      messages.filter((m) => m.role === 'assistant'),
      [
        { role: 'assistant', content: 'a1', reasoning_details: details },
        { role: 'assistant', content: 'a2' },
      ],
    );
    assert.ok(!JSON.stringify(messages).includes('secret thinking'));
  });
});
