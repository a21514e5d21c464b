/**
 * The real tokenizer: OpenAI's cl100k_base BPE from `gpt-tokenizer`. No public tokenizer is exact
 * for every model on OpenRouter (Claude, Gemini and Llama each have their own); cl100k is within a
 * few percent of them on code and prose, and the context fit keeps a safety margin for the gap.
 * o200k_base would be closer for GPT-4o only, but its table is 2.6 MB against cl100k's 0.97 MB and
 * it alone would push the .vsix past 1 MB.
 *
 * The rank table is still large, so the host build bundles this file separately
 * (dist/tokenizer.js) and `tokens.ts` loads it on first use: activation does not pay for it.
 */
import { countTokens as countCl100k } from 'gpt-tokenizer/encoding/cl100k_base';

/** Exact cl100k_base token count of `text` (special-token text is counted as plain text). */
export function countTokens(text: string): number {
  return countCl100k(text);
}
