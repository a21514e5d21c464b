import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { finishMeaning, finishReasonOf } from '../../src/openrouter/finishReason';

describe('finishReasonOf: a finish given in the provider’s own words', () => {
  it('reads native_finish_reason when finish_reason is absent, null or empty', () => {
    for (const [native, meaning] of [
      ['MAX_TOKENS', 'length'],
      ['max_tokens', 'length'],
      ['length', 'length'],
      ['max_output_tokens', 'length'],
      ['model_context_window_exceeded', 'length'],
      ['SAFETY', 'content_filter'],
      ['RECITATION', 'content_filter'],
      ['PROHIBITED_CONTENT', 'content_filter'],
      ['refusal', 'content_filter'],
      ['STOP', 'stop'],
      ['end_turn', 'stop'],
      ['stop_sequence', 'stop'],
      ['COMPLETE', 'stop'],
      ['tool_use', 'tool_calls'],
      ['function_call', 'tool_calls'],
      ['error', 'error'],
      ['MALFORMED_FUNCTION_CALL', 'malformed_function_call'],
    ] as const) {
      for (const said of [undefined, null, ''])
        assert.equal(
          finishReasonOf({ finish_reason: said, native_finish_reason: native }),
          meaning,
          `${native}/${said}`,
        );
    }
  });

  it('takes the native reason over a plain "stop" only when it says the answer was cut off', () => {
    assert.equal(finishReasonOf({ finish_reason: 'stop', native_finish_reason: 'MAX_TOKENS' }), 'length');
    assert.equal(finishReasonOf({ finish_reason: 'stop', native_finish_reason: 'SAFETY' }), 'content_filter');
    assert.equal(finishReasonOf({ finish_reason: 'stop', native_finish_reason: 'end_turn' }), 'stop');
    assert.equal(finishReasonOf({ finish_reason: 'tool_calls', native_finish_reason: 'STOP' }), 'tool_calls');
    assert.equal(finishReasonOf({ finish_reason: 'tool_calls', native_finish_reason: 'MAX_TOKENS' }), 'tool_calls');
    assert.equal(finishReasonOf({ finish_reason: 'length', native_finish_reason: 'stop' }), 'length');
    assert.equal(finishReasonOf({ finish_reason: 'error', native_finish_reason: 'MAX_TOKENS' }), 'error');
  });

  it('has no finish when neither says one', () => {
    assert.equal(finishReasonOf({}), undefined);
    assert.equal(finishReasonOf({ finish_reason: null, native_finish_reason: null }), undefined);
    assert.equal(finishReasonOf({ finish_reason: ' ', native_finish_reason: '' }), undefined);
    assert.equal(finishMeaning(undefined), undefined);
  });
});
