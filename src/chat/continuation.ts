/**
 * Continuing an answer that broke off mid-stream (issue 11 §2): how the partial text is sent, and
 * how what comes back is spliced onto it so the user sees each word once.
 *
 * **Prefill rule.** Anthropic documents assistant prefill: a trailing assistant message is
 * continued. OpenAI's chat models (and routers such as `openrouter/auto`) answer a trailing
 * assistant message anew, and for open-weight models it depends on each provider's chat template.
 * So only `anthropic/*` gets the partial as a prefill; every other model gets it as context — the
 * partial as an assistant turn, then a user turn asking to continue exactly from where it stops.
 *
 * **Splicing.** Either way a model may restart its answer. The continuation is held back while it
 * only repeats the partial text, then the overlap is removed: a restart from the beginning (all
 * of the partial, the last word possibly completed), a restart that repeats a prefix of the
 * partial and then diverges, or a step back that repeats its last words. Overlaps shorter than
 * {@link MIN_OVERLAP_WORDS} words (other than the whole partial) are kept: they may be the
 * model's own words.
 */
import { modelVendor } from '../openrouter/vendor';
import type { WireMessage } from '../openrouter/wire';

/** The user turn that asks a model without prefill support to continue. */
export const CONTINUE_PROMPT =
  'Your previous answer was cut off. Continue exactly from where it stops, without repeating any of it.';

/** Overlaps with fewer words than this are not removed (unless they are the whole partial). */
export const MIN_OVERLAP_WORDS = 2;

/** Vendors whose models continue an assistant prefill (see the module comment). */
const PREFILL_VENDORS: readonly string[] = ['anthropic'];

/** True when `model` continues a trailing assistant message instead of answering anew. */
export function honoursPrefill(model: string): boolean {
  return PREFILL_VENDORS.includes(modelVendor(model));
}

/** The messages of a continuation on `model`: the conversation, then the partial answer as the rule above says. */
export function continuationMessages(messages: readonly WireMessage[], partial: string, model: string): WireMessage[] {
  if (!partial) return [...messages];
  const turn: WireMessage = { role: 'assistant', content: partial };
  return honoursPrefill(model) ? [...messages, turn] : [...messages, turn, { role: 'user', content: CONTINUE_PROMPT }];
}

const norm = (text: string): string => text.replace(/\s+/g, ' ');

/** How many characters at the start of `continuation` repeat `partial` (0 = none to remove). */
export function overlapLength(partial: string, continuation: string): number {
  const p = partial.trimEnd();
  const lead = continuation.length - continuation.trimStart().length;
  const c = continuation.slice(lead);
  if (!p || !c) return 0;
  const restart = prefixOverlap(p, c);
  if (restart.whole) return lead + restart.length;
  const backUp = suffixOverlap(p, c);
  const best = Math.max(restart.words >= MIN_OVERLAP_WORDS ? restart.length : 0, backUp);
  return best > 0 ? lead + best : 0;
}

/**
 * Walks `p` and `c` together (whitespace runs match each other): `whole` when all of `p` was
 * repeated (its last word may be completed in `c`); otherwise the length in `c` up to the last
 * word both share, and how many words that is.
 */
function prefixOverlap(p: string, c: string): { whole: boolean; length: number; words: number } {
  let i = 0;
  let j = 0;
  let boundary = 0;
  let words = 0;
  const space = (s: string, k: number): boolean => /\s/.test(s[k] ?? '');
  while (i < p.length && j < c.length) {
    if (space(p, i) && space(c, j)) {
      // Cut before the whitespace, so what follows keeps its separator.
      boundary = j;
      words++;
      while (space(p, i)) i++;
      while (space(c, j)) j++;
      continue;
    }
    if (p[i] !== c[j]) break;
    i++;
    j++;
  }
  if (i === p.length) return { whole: true, length: j, words: words + 1 };
  // Stopped mid-word: only whole shared words count.
  return { whole: false, length: boundary, words };
}

/** The longest start of `c`, ending at a word boundary, with at least MIN_OVERLAP_WORDS words, that `p` ends with. */
function suffixOverlap(p: string, c: string): number {
  const tail = norm(p);
  let best = 0;
  // Words and runs of punctuation: an overlap may end before a comma the partial did not have.
  const re = /\w+|[^\w\s]+/g;
  let words = 0;
  for (let m = re.exec(c); m; m = re.exec(c)) {
    if (/\w/.test(m[0])) words++;
    const end = m.index + m[0].length;
    if (words >= MIN_OVERLAP_WORDS && tail.endsWith(norm(c.slice(0, end)))) best = end;
  }
  return best;
}

/**
 * Splices one continuation onto a partial answer as it streams: {@link push} returns the text to
 * show now (nothing while the continuation only repeats the partial), {@link end} what was held
 * when the stream ended. {@link shown} is everything shown so far: the clean continuation.
 */
export class ContinuationSplicer {
  private received = '';
  private dropped: number | undefined;
  private out = '';

  constructor(private readonly partial: string) {
    if (!partial.trim()) this.dropped = 0;
  }

  /** Feeds one streamed piece; returns what to show now ('' while held). */
  push(piece: string): string {
    this.received += piece;
    if (this.dropped === undefined) {
      if (this.stillRepeating()) return '';
      this.dropped = overlapLength(this.partial, this.received);
      return this.emit(this.received.slice(this.dropped));
    }
    return this.emit(piece);
  }

  /** The stream finished: what was held and is new (nothing when all of it repeated the partial). */
  end(): string {
    if (this.dropped !== undefined) return '';
    const drop = overlapLength(this.partial, this.received);
    const rest = this.received.slice(drop);
    // Held text that still sits inside the partial is a repeat, unless it is a tiny fragment.
    this.dropped = this.received.length;
    if (drop === 0 && norm(this.received).trim().split(' ').length >= MIN_OVERLAP_WORDS) return '';
    return this.emit(rest);
  }

  /** Everything shown of this continuation so far. */
  get shown(): string {
    return this.out;
  }

  /** True while the continuation so far could be the partial again (whitespace-insensitive). */
  private stillRepeating(): boolean {
    const c = norm(this.received).trimStart();
    return c === '' || norm(this.partial).includes(c);
  }

  private emit(text: string): string {
    // The partial ended in whitespace and the continuation after the overlap starts with it: once is enough.
    const piece = this.out === '' && /\s$/.test(this.partial) && this.dropped !== 0 ? text.trimStart() : text;
    this.out += piece;
    return piece;
  }
}

/** Splices a whole continuation at once (the same rules as streaming it). */
export function spliceContinuation(partial: string, continuation: string): string {
  const splicer = new ContinuationSplicer(partial);
  splicer.push(continuation);
  splicer.end();
  return splicer.shown;
}
