/**
 * Token counts for budgeting context, with a real BPE tokenizer (`./tokenizer`, cl100k_base via
 * `gpt-tokenizer`). The tokenizer is loaded on first use (it is a separate ~1 MB bundle in
 * dist/), and recent counts of large texts are remembered: chips are recounted on every
 * selection change, and the same file should not be tokenized each time.
 *
 * Counting is bounded, because it runs on the extension host's only thread (issue 15: BPE is
 * super-linear on long runs without a break — 64 KB of one letter took seconds — and a 500 KB
 * file took a quarter of a second even when ordinary):
 * - a run of {@link RUN_SLICE}+ letters, punctuation or spaces (one BPE "word") is counted in slices of
 *   {@link RUN_SLICE} characters: linear, and within about one token per slice of exact;
 * - a text longer than {@link EXACT_MAX_CHARS} is estimated from {@link SAMPLES} evenly spread
 *   samples (exact counts, scaled to the length, plus {@link ESTIMATE_MARGIN}): its cost no longer
 *   grows with the file. Under 100 ms for a 500 KB minified, base64 or source file (npm run bench).
 */
type Counter = (text: string) => number;

let counter: Counter | undefined;
let loadMs = 0;

/** Texts up to this many characters are counted exactly (in slices for long runs). */
export const EXACT_MAX_CHARS = 24_000;
/** Longer texts: this many samples … */
const SAMPLES = 8;
/** … of this many characters each, extended to the next whitespace (at most 64 more). */
const SAMPLE_CHARS = 640;
/** Estimates are scaled up by this much (sampling noise; over-counting only trims more). */
export const ESTIMATE_MARGIN = 1.05;
/** Longest run of letters or punctuation counted in one piece. */
export const RUN_SLICE = 64;
const LONG_RUN = new RegExp(`\\p{L}{${RUN_SLICE},}|[^\\s\\p{L}\\p{N}]{${RUN_SLICE},}|\\s{${RUN_SLICE},}`, 'gu');

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

/** Exact count, except that long runs are counted in {@link RUN_SLICE}-character slices. */
function countBounded(text: string): number {
  const count = tokenizer();
  let total = 0;
  let last = 0;
  LONG_RUN.lastIndex = 0;
  for (let m = LONG_RUN.exec(text); m; m = LONG_RUN.exec(text)) {
    if (m.index > last) total += count(text.slice(last, m.index));
    for (let i = 0; i < m[0].length; i += RUN_SLICE) total += count(m[0].slice(i, i + RUN_SLICE));
    last = m.index + m[0].length;
  }
  return total + (last < text.length ? count(text.slice(last)) : 0);
}

/** Estimate of a long text: exact counts of evenly spread samples, scaled to its length. */
function countSampled(text: string): number {
  let chars = 0;
  let tokens = 0;
  const stride = Math.floor(text.length / SAMPLES);
  for (let i = 0; i < SAMPLES; i++) {
    const start = i * stride;
    let end = Math.min(text.length, start + SAMPLE_CHARS);
    const stop = Math.min(text.length, end + 64);
    while (end < stop && !/\s/.test(text[end] as string)) end++;
    const sample = text.slice(start, end);
    chars += sample.length;
    tokens += countBounded(sample);
  }
  return Math.ceil((tokens / Math.max(1, chars)) * text.length * ESTIMATE_MARGIN);
}

/** Whether {@link estimateTokens} estimates `text` (by samples) rather than counting it. */
export function isEstimated(text: string): boolean {
  return text.length > EXACT_MAX_CHARS;
}

/**
 * Number of tokens of `text` (cl100k_base): exact up to {@link EXACT_MAX_CHARS} characters (long
 * runs in slices), a sampled estimate above. Bounded time whatever the text.
 */
export function estimateTokens(text: string): number {
  if (!text) return 0;
  if (text.length < MEMO_MIN_CHARS) return countBounded(text);
  const known = memo.get(text);
  if (known !== undefined) {
    // Refresh its place: the map is kept in least-recently-used order.
    memo.delete(text);
    memo.set(text, known);
    return known;
  }
  const count = isEstimated(text) ? countSampled(text) : countBounded(text);
  memo.set(text, count);
  if (memo.size > MEMO_SIZE) memo.delete(memo.keys().next().value as string);
  return count;
}

/** Milliseconds the tokenizer took to load (0 until it has been used). */
export function tokenizerLoadMs(): number {
  return loadMs;
}
