/**
 * The real tokenizer: OpenAI's o200k_base BPE (GPT-4o and later) from `gpt-tokenizer`. Other
 * vendors' tokenizers differ by a few percent; o200k is the closest public one for most models
 * on OpenRouter, and the context fit keeps a safety margin for the difference.
 *
 * Its rank table is ~2 MB, so the host build bundles this file separately (dist/tokenizer.js)
 * and `tokens.ts` loads it on first use: activation does not pay for it.
 */
import { countTokens as countO200k } from 'gpt-tokenizer/encoding/o200k_base';

/** Exact o200k_base token count of `text` (special-token text is counted as plain text). */
export function countTokens(text: string): number {
  return countO200k(text);
}
