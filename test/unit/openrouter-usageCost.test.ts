/**
 * A stream's usage figures in every shape the contract allows and some it does not: a token count
 * that is null, negative, text or missing is unknown (not shown as `null in` or `-3 out`), a
 * number written as text is read, and cache and reasoning figures follow the same rule.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chatResultOf, type StreamState } from '../../src/openrouter/streamAssembly';
import type { WireUsage } from '../../src/openrouter/wire';

function resultWith(usage: unknown) {
  const state: StreamState = {
    text: 'hi',
    reasoning: '',
    model: 'vendor/model',
    provider: 'P',
    generationId: 'gen-1',
    finishReason: 'stop',
    usage: usage as WireUsage,
    ttftMs: 5,
    sources: [],
  };
  const r = chatResultOf(state);
  return {
    promptTokens: r.promptTokens,
    completionTokens: r.completionTokens,
    reasoningTokens: r.reasoningTokens,
    cachedTokens: r.cachedTokens,
    cacheWriteTokens: r.cacheWriteTokens,
    cost: r.cost,
  };
}

const none = {
  promptTokens: undefined,
  completionTokens: undefined,
  reasoningTokens: undefined,
  cachedTokens: undefined,
  cacheWriteTokens: undefined,
  cost: undefined,
};

describe('usage figures of a finished stream', () => {
  it('reads well-formed usage as it is', () => {
    assert.deepEqual(
      resultWith({
        prompt_tokens: 52,
        completion_tokens: 17,
        cost: 0.000018,
        prompt_tokens_details: { cached_tokens: 2, cache_write_tokens: 7 },
        completion_tokens_details: { reasoning_tokens: 9 },
      }),
      {
        promptTokens: 52,
        completionTokens: 17,
        reasoningTokens: 9,
        cachedTokens: 2,
        cacheWriteTokens: 7,
        cost: 0.000018,
      },
    );
  });

  for (const bad of [null, -3, 'many', '', Number.NaN, Number.POSITIVE_INFINITY, {}])
    it(`a figure that is ${JSON.stringify(bad) ?? String(bad)} is unknown, not shown`, () => {
      assert.deepEqual(
        resultWith({
          prompt_tokens: bad,
          completion_tokens: bad,
          cost: bad,
          prompt_tokens_details: { cached_tokens: bad, cache_write_tokens: bad },
          completion_tokens_details: { reasoning_tokens: bad },
        }),
        none,
      );
    });

  it('a number written as text is read; null details are nothing', () => {
    assert.deepEqual(
      resultWith({
        prompt_tokens: '52',
        completion_tokens: ' 17 ',
        cost: '0.0002',
        prompt_tokens_details: null,
        completion_tokens_details: null,
      }),
      { ...none, promptTokens: 52, completionTokens: 17, cost: 0.0002 },
    );
  });
});
