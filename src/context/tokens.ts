/**
 * Token counts for budgeting context, with a real BPE tokenizer (`./tokenizer`, cl100k_base via
 * `gpt-tokenizer`). The tokenizer is loaded on first use (it is a separate ~1 MB bundle in
 * dist/), and recent counts of large texts are remembered: chips are recounted on every
 * selection change, and the same file should not be tokenized each time.
 */
type Counter = (text: string) => number;

let counter: Counter | undefined;
let loadMs = 0;

/** Texts shorter than this are counted directly; longer ones go through the memo. */
const MEMO_MIN_CHARS = 2_000;
const MEMO_SIZE = 64;
const memo = new Map<string, number>();

/** The tokenizer, loaded synchronously the first time it is needed. */
function tokenizer(): Counter {
  if (!counter) {
    const started = performance.now();
    // A plain require so esbuild can keep the rank table out of the host bundle (see esbuild.mjs).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = require('./tokenizer') as typeof import('./tokenizer');
    counter = loaded.countTokens;
    loadMs = performance.now() - started;
  }
  return counter;
}

/** Number of tokens of `text` (cl100k_base). */
export function estimateTokens(text: string): number {
  if (!text) return 0;
  if (text.length < MEMO_MIN_CHARS) return tokenizer()(text);
  const known = memo.get(text);
  if (known !== undefined) {
    // Refresh its place: the map is kept in least-recently-used order.
    memo.delete(text);
    memo.set(text, known);
    return known;
  }
  const count = tokenizer()(text);
  memo.set(text, count);
  if (memo.size > MEMO_SIZE) memo.delete(memo.keys().next().value as string);
  return count;
}

/** Milliseconds the tokenizer took to load (0 until it has been used). */
export function tokenizerLoadMs(): number {
  return loadMs;
}
