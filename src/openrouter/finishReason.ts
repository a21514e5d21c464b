/**
 * Why a streamed answer ended, in the words the rest of Switchyard reads (`stop`, `length`,
 * `tool_calls`, `content_filter`, `error`). OpenRouter normalises the provider's reason into
 * `finish_reason` and passes the provider's own word in `native_finish_reason`; some providers'
 * answers carry only the native one (`"MAX_TOKENS"`, `"end_turn"`, `"SAFETY"`…), and some say
 * `"stop"` while the native one says the answer was cut off. Both are read here. Pure.
 */

/** The native (provider) reasons, lower-cased, and what they mean. */
const MEANINGS: Readonly<Record<string, string>> = {
  // Ended by itself: OpenAI, Gemini, Anthropic, Cohere, Mistral, Bedrock, vLLM/TGI.
  stop: 'stop',
  end_turn: 'stop',
  stop_sequence: 'stop',
  complete: 'stop',
  eos: 'stop',
  eos_token: 'stop',
  finish_reason_stop: 'stop',
  // The output limit.
  length: 'length',
  max_tokens: 'length',
  max_output_tokens: 'length',
  model_length: 'length',
  model_context_window_exceeded: 'length',
  finish_reason_max_tokens: 'length',
  // Calls.
  tool_calls: 'tool_calls',
  tool_use: 'tool_calls',
  function_call: 'tool_calls',
  // Stopped by a filter.
  content_filter: 'content_filter',
  safety: 'content_filter',
  recitation: 'content_filter',
  blocklist: 'content_filter',
  prohibited_content: 'content_filter',
  spii: 'content_filter',
  image_safety: 'content_filter',
  refusal: 'content_filter',
  finish_reason_safety: 'content_filter',
  error: 'error',
};

/**
 * What a finish reason means ({@link MEANINGS}); an unknown one is kept as it came (lower-cased):
 * the answer still ended, just not in a way anything here acts on. Undefined for none.
 */
export function finishMeaning(reason: string | null | undefined): string | undefined {
  const key = reason?.trim().toLowerCase();
  if (!key) return undefined;
  return MEANINGS[key] ?? key;
}

/**
 * A choice's finish: its `finish_reason`, else what its `native_finish_reason` means; and when
 * `finish_reason` only says `stop` but the native reason says the limit or a filter cut the answer
 * off, the native reason (it is the more exact of the two).
 */
export function finishReasonOf(choice: {
  readonly finish_reason?: string | null;
  readonly native_finish_reason?: string | null;
}): string | undefined {
  const said = finishMeaning(choice.finish_reason);
  const native = finishMeaning(choice.native_finish_reason);
  if (!said) return native;
  return said === 'stop' && (native === 'length' || native === 'content_filter') ? native : said;
}
