/**
 * Prompt caching and web search on the wire: which models get breakpoints (from catalogue data),
 * where they go on exact bodies, that the bodies are valid OpenRouter `ChatRequest`s, what caching
 * saved, and web search sources made safe.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildMessages, SYSTEM_PROMPT, userContent } from '../../src/chat/prompt';
import type { StoredMessage } from '../../src/chat/conversation';
import { parseCatalogue, type ModelInfo } from '../../src/openrouter/catalogue';
import { collectSources, MAX_SOURCES, safeSourceUrl } from '../../src/openrouter/citations';
import { cacheUsage } from '../../src/openrouter/usageCost';
import {
  cacheMessages,
  cacheSavings,
  cachingMode,
  describeCaching,
  LARGE_CONTEXT_CHARS,
  MAX_BREAKPOINTS,
  placeBreakpoints,
} from '../../src/openrouter/promptCache';
import type { SourceLink } from '../../src/protocol/messages';
import { explainCaching } from '../../src/routing/explain';
import { cacheSegment } from '../../src/webview/format';
import { defaultCatalogue, FIXTURE_MODELS } from '../fake-openrouter/catalogue';
import { loadChatRequestValidator, specOrSkip } from '../fake-openrouter/spec';

const models = parseCatalogue({ data: defaultCatalogue().models }).models;
const lookup = (id: string): ModelInfo | undefined => models.find((m) => m.id === id);
const EPHEMERAL = { type: 'ephemeral' };

/** A catalogue entry with the given prices (USD per token, as strings like OpenRouter's). */
function entry(id: string, pricing: Record<string, string>): ModelInfo {
  const [info] = parseCatalogue({
    data: [
      { id, name: id, context_length: 100000, pricing: { prompt: '0.000003', completion: '0.000015', ...pricing } },
    ],
  }).models;
  assert.ok(info);
  return info;
}

const user = (id: string, text: string, context?: string[]): StoredMessage => ({
  id,
  role: 'user',
  text,
  status: 'done',
  createdAt: 0,
  ...(context ? { context } : {}),
});
const answer = (id: string, text: string): StoredMessage => ({
  id,
  role: 'assistant',
  text,
  status: 'done',
  createdAt: 0,
});

describe('prompt caching: which models get breakpoints (catalogue data)', () => {
  it('reads input_cache_read / input_cache_write from the catalogue pricing', () => {
    assert.equal(lookup(FIXTURE_MODELS.claudeSonnet4)?.cacheReadPrice, 0.0000003);
    assert.equal(lookup(FIXTURE_MODELS.claudeSonnet4)?.cacheWritePrice, 0.00000375);
    assert.equal(lookup(FIXTURE_MODELS.gpt4oMini)?.cacheWritePrice, undefined, '"0" is not a listed price');
    assert.equal(lookup(FIXTURE_MODELS.llama)?.cacheReadPrice, undefined);
  });

  it('explicit for Anthropic and Google models with read and write prices; automatic with a read price only; none without', () => {
    assert.equal(cachingMode(FIXTURE_MODELS.claudeSonnet4, lookup), 'explicit');
    assert.equal(cachingMode(FIXTURE_MODELS.gemini25Flash, lookup), 'explicit');
    assert.equal(cachingMode(FIXTURE_MODELS.gpt4oMini, lookup), 'automatic');
    assert.equal(cachingMode(FIXTURE_MODELS.llama, lookup), 'none');
    assert.equal(cachingMode('nobody/unknown', lookup), 'none');
  });

  it('decides from the data, not a list of names: vendor and both prices are needed', () => {
    const readOnlyClaude = entry('anthropic/claude-x', { input_cache_read: '0.0000003' });
    const otherVendor = entry('qwen/qwen-max', { input_cache_read: '0.0000003', input_cache_write: '0.00000375' });
    const noPrices = entry('anthropic/claude-old', {});
    assert.equal(
      cachingMode(readOnlyClaude.id, () => readOnlyClaude),
      'automatic',
    );
    assert.equal(
      cachingMode(otherVendor.id, () => otherVendor),
      'automatic',
    );
    assert.equal(
      cachingMode(noPrices.id, () => noPrices),
      'none',
    );
  });

  it('a `~vendor/…-latest` alias follows its vendor’s rule (it always redirects to that family)', () => {
    const prices = { input_cache_read: '0.0000003', input_cache_write: '0.00000375' };
    for (const [id, mode] of [
      ['~anthropic/claude-sonnet-latest', 'explicit'],
      ['~anthropic/claude-opus-latest', 'explicit'],
      ['~google/gemini-pro-latest', 'explicit'],
      ['~openai/gpt-latest', 'automatic'],
      ['~qwen/qwen-latest', 'automatic'],
    ] as const) {
      const alias = entry(id, prices);
      assert.equal(
        cachingMode(id, () => alias),
        mode,
        id,
      );
    }
  });

  it('a variant (:thinking, :online) is priced as its base model', () => {
    assert.equal(cachingMode(`${FIXTURE_MODELS.claudeSonnet4}:thinking`, lookup), 'explicit');
    assert.equal(cachingMode(`${FIXTURE_MODELS.gpt4oMini}:online`, lookup), 'automatic');
  });
});

describe('prompt caching: breakpoint placement on exact bodies', () => {
  const big = `src/big.ts\n\`\`\`ts\n${'export const x = 1;\n'.repeat(Math.ceil(LARGE_CONTEXT_CHARS / 20) + 5)}\`\`\``;

  it('first turn with a large attached file: system prompt, the file, the question', () => {
    const built = buildMessages([], { role: 'user', content: userContent('What does it do?', [big]) }, 100000, [big]);
    const { messages, breakpoints } = cacheMessages(
      FIXTURE_MODELS.claudeSonnet4,
      lookup,
      built.messages,
      built.contextLengths,
    );
    assert.deepEqual(messages, [
      { role: 'system', content: [{ type: 'text', text: SYSTEM_PROMPT, cache_control: EPHEMERAL }] },
      {
        role: 'user',
        content: [
          { type: 'text', text: big, cache_control: EPHEMERAL },
          { type: 'text', text: 'What does it do?', cache_control: EPHEMERAL },
        ],
      },
    ]);
    assert.deepEqual(
      breakpoints.map((b) => b.kind),
      ['system', 'context', 'userTurn'],
    );
  });

  it('fourth turn: system, the file turn, the last two user turns — never more than 4', () => {
    const history = [
      user('u1', 'What does it do?', [big]),
      answer('a1', 'It exports x.'),
      user('u2', 'Why?'),
      answer('a2', 'Because.'),
      user('u3', 'And then?'),
      answer('a3', 'Then nothing.'),
    ];
    const built = buildMessages(history, { role: 'user', content: 'Thanks, last one?' }, 100000);
    const { messages } = cacheMessages(FIXTURE_MODELS.claudeSonnet4, lookup, built.messages, built.contextLengths);
    assert.deepEqual(messages, [
      { role: 'system', content: [{ type: 'text', text: SYSTEM_PROMPT, cache_control: EPHEMERAL }] },
      {
        role: 'user',
        content: [
          { type: 'text', text: big, cache_control: EPHEMERAL },
          { type: 'text', text: 'What does it do?' },
        ],
      },
      { role: 'assistant', content: 'It exports x.' },
      { role: 'user', content: 'Why?' },
      { role: 'assistant', content: 'Because.' },
      { role: 'user', content: [{ type: 'text', text: 'And then?', cache_control: EPHEMERAL }] },
      { role: 'assistant', content: 'Then nothing.' },
      { role: 'user', content: [{ type: 'text', text: 'Thanks, last one?', cache_control: EPHEMERAL }] },
    ]);
    const marks = JSON.stringify(messages).match(/cache_control/g) ?? [];
    assert.equal(marks.length, MAX_BREAKPOINTS);
  });

  it('small context gets no breakpoint of its own; a short chat gets system + user turns', () => {
    const small = 'src/a.ts\n```ts\nexport {};\n```';
    const built = buildMessages(
      [user('u1', 'Hi'), answer('a1', 'Hello')],
      { role: 'user', content: userContent('Look', [small]) },
      100000,
      [small],
    );
    const places = placeBreakpoints(built.messages, built.contextLengths);
    assert.deepEqual(places, [
      { index: 0, kind: 'system' },
      { index: 1, kind: 'userTurn' },
      { index: 3, kind: 'userTurn' },
    ]);
  });

  it('models with automatic caching or none get the body unchanged (plain strings)', () => {
    const built = buildMessages([user('u1', 'Hi'), answer('a1', 'Hello')], { role: 'user', content: 'Again' }, 100000);
    for (const model of [FIXTURE_MODELS.gpt4oMini, FIXTURE_MODELS.llama, 'nobody/unknown']) {
      const out = cacheMessages(model, lookup, built.messages, built.contextLengths);
      assert.deepEqual(out.messages, built.messages, model);
      assert.deepEqual(out.breakpoints, []);
    }
  });

  it('the bodies are valid OpenRouter ChatRequests (cache_control parts, web plugin)', (t) => {
    const validate = specOrSkip(t, loadChatRequestValidator());
    if (!validate) return;
    const history = [user('u1', 'What does it do?', [big]), answer('a1', 'It exports x.')];
    const built = buildMessages(history, { role: 'user', content: 'Why?' }, 100000);
    const { messages } = cacheMessages(FIXTURE_MODELS.claudeSonnet4, lookup, built.messages, built.contextLengths);
    const body = {
      model: FIXTURE_MODELS.claudeSonnet4,
      messages,
      stream: true,
      max_tokens: 1024,
      session_id: 'chat-1',
      provider: { order: ['anthropic'] },
    };
    assert.deepEqual(validate(body), []);
    assert.deepEqual(
      validate({
        ...body,
        model: FIXTURE_MODELS.gpt4oMini,
        messages: built.messages,
        plugins: [{ id: 'web', max_results: 5 }],
      }),
      [],
    );
    assert.ok(
      validate({
        ...body,
        messages: [{ role: 'user', content: [{ type: 'text', text: 'x', cache_control: { type: 'forever' } }] }],
      }).length > 0,
      'the validator does check cache_control',
    );
  });

  it('Explain Route says whether and where', () => {
    const built = buildMessages([user('u1', 'Hi'), answer('a1', 'Hello')], { role: 'user', content: 'Again' }, 100000);
    const explicit = cacheMessages(FIXTURE_MODELS.claudeSonnet4, lookup, built.messages, built.contextLengths);
    assert.equal(
      describeCaching('`anthropic/claude-sonnet-4`', explicit.mode, explicit.breakpoints, built.messages.length),
      '`anthropic/claude-sonnet-4` needs explicit breakpoints: 3 of at most 4 `cache_control` breakpoints — on the system prompt, the user turn at message 2, the new user turn.',
    );
    assert.match(
      describeCaching(FIXTURE_MODELS.gpt4oMini, 'automatic', [], 3),
      /caches prompts automatically: no breakpoints are set; sticky routing/,
    );
    assert.match(describeCaching(FIXTURE_MODELS.llama, 'none', [], 3), /lists no prompt-cache prices/);
    assert.deepEqual(
      explainCaching({ model: 'm/x`<b>', mode: 'none', breakpoints: [], messageCount: 1 }),
      ['## Prompt caching', '', '`` m/x`<b> `` lists no prompt-cache prices: nothing is cached.', ''],
      'the model is a code span, whatever it holds',
    );
  });
});

describe('prompt caching: what the answer reports', () => {
  it('reads cached and written tokens and cache_discount from usage, ignoring odd values', () => {
    assert.deepEqual(
      cacheUsage({ prompt_tokens_details: { cached_tokens: 1200, cache_write_tokens: 300 }, cache_discount: 0.0021 }),
      { cachedTokens: 1200, cacheWriteTokens: 300, cacheDiscount: 0.0021 },
    );
    assert.deepEqual(cacheUsage({ prompt_tokens_details: { cached_tokens: 0 } }), { cachedTokens: 0 });
    assert.deepEqual(
      cacheUsage({
        prompt_tokens_details: { cached_tokens: -5, cache_write_tokens: null },
        cache_discount: Number.NaN,
      }),
      {},
    );
    assert.deepEqual(cacheUsage({ prompt_tokens_details: null }), {});
    assert.deepEqual(cacheUsage(undefined), {});
  });

  it('reads cache_discount written as text like any amount, a negative one (writes cost more) too', () => {
    // The wire type says number; amounts arrive as text too (src/openrouter/usageCost.ts).
    const text = (v: string) => ({ cache_discount: v as unknown as number });
    assert.deepEqual(cacheUsage(text('0.0021')), { cacheDiscount: 0.0021 });
    assert.deepEqual(cacheUsage(text('-0.00015')), { cacheDiscount: -0.00015 });
    assert.deepEqual(cacheUsage(text(' 2.1e-3 ')), { cacheDiscount: 0.0021 });
    assert.deepEqual(cacheUsage(text('$0.002')), {});
    assert.deepEqual(cacheUsage(text('')), {});
    assert.deepEqual(cacheUsage({ cache_discount: -0.5 }), { cacheDiscount: -0.5 });
    assert.deepEqual(cacheUsage({ cache_discount: Number.POSITIVE_INFINITY }), {});
  });

  it("savings: OpenRouter's cache_discount when present, else from the model's prices", () => {
    const claude = lookup(FIXTURE_MODELS.claudeSonnet4);
    assert.equal(cacheSavings(1000, 0, 0.5, claude), 0.5);
    // 1000 read at $3 − $0.30 per M = $0.0027; 200 written at $3 − $3.75 per M = −$0.00015.
    assert.ok(Math.abs(cacheSavings(1000, 200, undefined, claude)! - (0.0027 - 0.00015)) < 1e-12);
    assert.equal(cacheSavings(1000, 0, undefined, undefined), undefined);
    assert.equal(
      cacheSavings(0, 100, undefined, lookup(FIXTURE_MODELS.gpt4oMini)),
      undefined,
      'no write price: unknown, not zero',
    );
  });

  it('the meta line shows cached tokens, writes and the saving', () => {
    assert.equal(cacheSegment(undefined), undefined);
    assert.equal(cacheSegment({ readTokens: 0, writeTokens: 0 }), undefined);
    const read = cacheSegment({ readTokens: 1234, writeTokens: 0, savedUsd: 0.0033 });
    assert.equal(read?.text, '1.2k cached, saved $0.0033');
    assert.match(read?.title ?? '', /1,234 tokens read, 0 written; caching saved \$0\.0033/);
    const write = cacheSegment({ readTokens: 0, writeTokens: 1500, savedUsd: -0.001125 });
    assert.equal(write?.text, '1.5k written');
    assert.match(write?.title ?? '', /cost \$0\.001125 more/);
  });
});

describe('web search sources (untrusted)', () => {
  it('keeps http(s) links from both annotation shapes, once each, titles as one inert line', () => {
    const out: SourceLink[] = [];
    collectSources(
      [
        { type: 'url_citation', url_citation: { url: 'https://example.com/a', title: 'A\nsecond line', content: 'x' } },
        { type: 'url_citation', url_citation: { url: 'https://example.com/a', title: 'duplicate' } },
        { type: 'url_citation', url: 'http://flat.example.net/p?q=1', title: 'Flat' },
        { type: 'url_citation', url_citation: { url: 'javascript:alert(1)', title: 'script' } },
        { type: 'url_citation', url_citation: { url: 'file:///etc/passwd', title: 'file' } },
        { type: 'url_citation', url_citation: { url: 'command:workbench.action.terminal.new', title: 'command' } },
        { type: 'url_citation', url_citation: { url: 'https://user:pass@example.com/', title: 'credentials' } },
        { type: 'file_citation', url: 'https://example.com/other', title: 'not a url citation' },
        { type: 'url_citation', url_citation: { url: 'https://no-title.example.org/' } },
        null,
        'string',
        { type: 'url_citation', url_citation: null },
      ],
      out,
    );
    assert.deepEqual(out, [
      { url: 'https://example.com/a', title: 'A second line' },
      { url: 'http://flat.example.net/p?q=1', title: 'Flat' },
      { url: 'https://no-title.example.org/', title: 'no-title.example.org' },
    ]);
  });

  it('caps the list and the URL length', () => {
    const out: SourceLink[] = [];
    collectSources(
      Array.from({ length: 50 }, (_, i) => ({ type: 'url_citation', url: `https://example.com/${i}`, title: `${i}` })),
      out,
    );
    assert.equal(out.length, MAX_SOURCES);
    assert.equal(safeSourceUrl(`https://example.com/${'a'.repeat(3000)}`), undefined);
    assert.equal(safeSourceUrl(' https://example.com/x '), 'https://example.com/x');
    assert.equal(safeSourceUrl('HTTPS://Example.COM/x'), 'https://example.com/x');
    assert.equal(safeSourceUrl('data:text/html,hi'), undefined);
    assert.equal(safeSourceUrl(42), undefined);
  });
});
