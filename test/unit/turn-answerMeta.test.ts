/**
 * The meta line under a chat answer and under an agent step is assembled by one helper
 * (src/turn/answerMeta.ts): who served, tokens, prompt cache, cost, timing — only what is known —
 * and cost found out later added on top.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { answerMeta, servedBy, withLaterCost } from '../../src/turn/answerMeta';

describe('answerMeta', () => {
  it('keeps every known fact and the model asked for', () => {
    const meta = answerMeta(
      {
        model: 'anthropic/claude-sonnet-4',
        provider: 'Anthropic',
        promptTokens: 1200,
        completionTokens: 80,
        reasoningTokens: 40,
        cost: 0.0042,
        costSplit: { fee: 0.0002, upstream: 0.004 },
        generationId: 'gen-1',
        ttftMs: 310,
        cachedTokens: 1000,
        cacheWriteTokens: 0,
      },
      { requestedModel: 'auto', fallbacks: ['openai/gpt-4o'], cacheSavedUsd: 0.0027 },
    );
    assert.deepEqual(meta, {
      requestedModel: 'auto',
      fallbacks: ['openai/gpt-4o'],
      model: 'anthropic/claude-sonnet-4',
      provider: 'Anthropic',
      promptTokens: 1200,
      completionTokens: 80,
      reasoningTokens: 40,
      cost: 0.0042,
      costSplit: { fee: 0.0002, upstream: 0.004 },
      generationId: 'gen-1',
      ttftMs: 310,
      cache: { readTokens: 1000, writeTokens: 0, savedUsd: 0.0027 },
    });
  });

  it('leaves out what is unknown: nothing but the model asked for when nothing was said', () => {
    assert.deepEqual(answerMeta({}, { requestedModel: 'x/y' }), { requestedModel: 'x/y' });
    assert.deepEqual(answerMeta({}, { requestedModel: 'x/y', fallbacks: [] }), { requestedModel: 'x/y' });
  });

  it('keeps zero tokens and a zero cost (a free model) but not an empty model or provider', () => {
    const meta = answerMeta(
      { model: '', provider: '', promptTokens: 0, completionTokens: 0, cost: 0 },
      { requestedModel: 'm' },
    );
    assert.deepEqual(meta, { requestedModel: 'm', promptTokens: 0, completionTokens: 0, cost: 0 });
  });

  for (const [name, read, write, saved, expected] of [
    ['no cache use', 0, 0, 0.1, undefined],
    ['read only', 500, 0, undefined, { readTokens: 500, writeTokens: 0 }],
    ['write only, a cost (negative saving)', 0, 800, -0.001, { readTokens: 0, writeTokens: 800, savedUsd: -0.001 }],
    ['read and write', 300, 200, 0.002, { readTokens: 300, writeTokens: 200, savedUsd: 0.002 }],
  ] as const) {
    it(`shows the prompt cache only when it was used: ${name}`, () => {
      const meta = answerMeta(
        { cachedTokens: read, cacheWriteTokens: write },
        { requestedModel: 'm', ...(saved !== undefined ? { cacheSavedUsd: saved } : {}) },
      );
      assert.deepEqual(meta.cache, expected);
    });
  }
});

describe('an answer that finished incomplete (finish_reason)', () => {
  it('is cut off at the output limit (length and its aliases) or by a content filter; any other finish is complete — for a chat answer and an agent step alike', () => {
    for (const [reason, cutOff] of [
      ['length', 'length'],
      ['max_tokens', 'length'],
      ['MAX_OUTPUT_TOKENS', 'length'],
      ['MAX_TOKENS', 'length'],
      ['model_context_window_exceeded', 'length'],
      ['content_filter', 'content_filter'],
      ['SAFETY', 'content_filter'],
      ['RECITATION', 'content_filter'],
      ['refusal', 'content_filter'],
      ['stop', undefined],
      ['STOP', undefined],
      ['end_turn', undefined],
      ['tool_calls', undefined],
      ['tool_use', undefined],
      [undefined, undefined],
    ] as const) {
      const finish = reason ? { finishReason: reason } : {};
      assert.equal(answerMeta(finish, { requestedModel: 'm' }).cutOff, cutOff, String(reason));
      // An agent step's meta is built from servedBy(outcome): the finish reason goes through it.
      assert.equal(answerMeta(servedBy({ model: 'a/b', ...finish }), { requestedModel: 'a/b' }).cutOff, cutOff);
    }
  });
});

describe('servedBy', () => {
  it('keeps who served and the token counts, not cost or timing', () => {
    assert.deepEqual(
      servedBy({
        model: 'a/b',
        provider: 'P',
        promptTokens: 5,
        cachedTokens: 3,
        cost: 1,
        ttftMs: 9,
        generationId: 'g',
      }),
      { model: 'a/b', provider: 'P', promptTokens: 5, cachedTokens: 3 },
    );
    assert.deepEqual(servedBy({}), {});
  });
});

describe('withLaterCost', () => {
  it('adds cost looked up later to what the meta line already says', () => {
    assert.deepEqual(withLaterCost({ requestedModel: 'm', cost: 0.001 }, 0.002, 0), {
      requestedModel: 'm',
      cost: 0.003,
    });
  });

  it('adds an estimate to the estimated part too, and starts from nothing when there was no meta', () => {
    assert.deepEqual(withLaterCost(undefined, 0.5, 0.5), { requestedModel: '', cost: 0.5, costEstimatedUsd: 0.5 });
    assert.deepEqual(withLaterCost({ requestedModel: 'm', cost: 0.25, costEstimatedUsd: 0.25 }, 0.5, 0.5), {
      requestedModel: 'm',
      cost: 0.75,
      costEstimatedUsd: 0.75,
    });
  });
});
