/**
 * An earlier answer's `reasoning_details` as the next attempt sends them (src/turn/replayReasoning.ts
 * through src/turn/attemptBody.ts): verbatim and in order to the vendor that signed them; after a
 * fallback to another vendor's model, that vendor's signed or encrypted details are left out.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detailsFor, type ReasoningDetail } from '../../src/openrouter/reasoning';
import { attemptBody } from '../../src/turn/attemptBody';

const CLAUDE: ReasoningDetail[] = [
  { type: 'reasoning.text', text: 'Checking.', signature: 'sig_1', format: 'anthropic-claude-v1', index: 0 },
  { type: 'reasoning.encrypted', data: 'ZW5j', id: 'rs_1', format: 'anthropic-claude-v1', index: 1 },
];
const OPENAI: ReasoningDetail[] = [
  { type: 'reasoning.summary', summary: 'Plan.', format: 'openai-responses-v1', index: 0 },
  { type: 'reasoning.encrypted', data: 'gAAAA', id: 'rs_o', format: 'openai-responses-v1', index: 1 },
];
const GEMINI: ReasoningDetail[] = [{ type: 'reasoning.encrypted', data: 'c2ln', format: 'google-gemini-v1', index: 0 }];
const PLAIN: ReasoningDetail[] = [
  { type: 'reasoning.text', text: 'open text', format: 'unknown', index: 0 },
  { type: 'reasoning.text', text: 'no format' },
];

/** A tool turn answered by one model, then the next step's body for `model`. */
function nextStep(details: readonly ReasoningDetail[], model: string, models?: readonly string[]) {
  const messages = [
    { role: 'user', content: 'fix it' },
    {
      role: 'assistant',
      content: null,
      reasoning_details: details,
      tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'read_file', arguments: '{"path":"a"}' } }],
    },
    { role: 'tool', tool_call_id: 'call_1', content: 'x' },
  ];
  const built = attemptBody(
    { body: { messages } } as never,
    { model, ...(models ? { models } : {}) },
    {
      modelInfo: () => undefined,
    },
  );
  return built.body.messages[1] as { reasoning_details?: unknown; tool_calls?: unknown[] };
}

describe('reasoning details replayed per vendor', () => {
  it('go back verbatim, in order, to a model of the vendor that made them (aliases too)', () => {
    for (const [details, model] of [
      [CLAUDE, 'anthropic/claude-sonnet-4'],
      [CLAUDE, '~anthropic/claude-sonnet-latest'],
      [OPENAI, 'openai/gpt-5'],
      [GEMINI, 'google/gemini-2.5-pro'],
      [[...PLAIN, ...CLAUDE], 'anthropic/claude-opus-4'],
    ] as const) {
      assert.deepEqual(nextStep(details, model).reasoning_details, details, model);
      assert.deepEqual(detailsFor(model, details), details, model);
    }
  });

  it("are left out for another vendor's model after a fallback; the tool calls stay", () => {
    for (const [details, model] of [
      [CLAUDE, 'openai/gpt-4o-mini'],
      [OPENAI, 'anthropic/claude-sonnet-4'],
      [GEMINI, 'anthropic/claude-sonnet-4'],
      [CLAUDE, 'google/gemini-2.5-flash'],
      [OPENAI, 'deepseek/deepseek-r1'],
      [CLAUDE, 'meta-llama/llama-3.3-70b-instruct'],
    ] as const) {
      const message = nextStep(details, model);
      assert.equal('reasoning_details' in message, false, `${details[0]!.format} → ${model}`);
      assert.equal(message.tool_calls?.length, 1);
    }
  });

  it('keep what carries no vendor format, and only the target vendor’s of a mixed list', () => {
    assert.deepEqual(nextStep([...PLAIN, ...OPENAI, ...CLAUDE], 'anthropic/claude-sonnet-4').reasoning_details, [
      ...PLAIN,
      ...CLAUDE,
    ]);
    assert.deepEqual(nextStep([...CLAUDE, ...PLAIN], 'qwen/qwen3-coder').reasoning_details, PLAIN);
    // The attempt that sends a `models` list is for its primary model.
    assert.deepEqual(
      nextStep(CLAUDE, 'anthropic/claude-sonnet-4', ['anthropic/claude-sonnet-4', 'openai/gpt-4o']).reasoning_details,
      CLAUDE,
    );
  });
});
