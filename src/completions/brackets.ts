/**
 * A small bracket and quote scanner for code of any C-like or scripting language: enough to tell
 * whether accepting a suggestion leaves the brackets balanced. It skips strings (`'…'`, `"…"`,
 * `` `…` ``, with backslash escapes; `'` and `"` end at a line break), line comments (`//`, `# `)
 * and block comments. The scan resumes from a state, so the text before the cursor is scanned
 * once and each candidate insertion only from the cursor on.
 */

const OPENER_OF: Readonly<Record<string, string>> = { ')': '(', ']': '[', '}': '{' };
const QUOTES = '\'"`';

/** Where a scan stopped. */
export interface BracketState {
  /** Unclosed openers, innermost last. */
  readonly stack: readonly string[];
  /** Closers without their opener, and strings cut by a line break. */
  readonly mismatches: number;
  /** The quote of the string the scan is inside, or '' outside one. */
  readonly quote: string;
  /** Inside a comment: to the line's end, or to `*​/`. */
  readonly comment: '' | 'line' | 'block';
}

export const EMPTY_STATE: BracketState = { stack: [], mismatches: 0, quote: '', comment: '' };

/** Scans `text` from `from` (the state where the text before it ended). */
export function scanBrackets(text: string, from: BracketState = EMPTY_STATE): BracketState {
  const stack = [...from.stack];
  let { mismatches, quote, comment } = from;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (comment === 'line') {
      if (ch === '\n') comment = '';
      continue;
    }
    if (comment === 'block') {
      if (ch === '*' && text[i + 1] === '/') {
        comment = '';
        i++;
      }
      continue;
    }
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = '';
      else if (ch === '\n' && quote !== '`') {
        quote = '';
        mismatches++;
      }
      continue;
    }
    if (ch === '/' && text[i + 1] === '/') comment = 'line';
    else if (ch === '/' && text[i + 1] === '*') {
      comment = 'block';
      i++;
    } else if (ch === '#' && (text[i + 1] === ' ' || text[i + 1] === '!')) comment = 'line';
    else if (QUOTES.includes(ch)) quote = ch;
    else if (ch === '(' || ch === '[' || ch === '{') stack.push(ch);
    else if (ch in OPENER_OF) {
      if (stack.at(-1) === OPENER_OF[ch]) stack.pop();
      else mismatches++;
    }
  }
  return { stack, mismatches, quote, comment };
}

/**
 * Characters before an inline completion's prefix scanned for the brackets still open there (about
 * 5 ms at most): the answer may close one (`});` of a `describe(` far above) without it being taken
 * off as one too many.
 */
export const OPENED_CHARS = 250_000;

/**
 * The brackets still open where a prefix starting at offset `prefixStart` begins: the
 * {@link OPENED_CHARS} characters before it, read with `read(from, to)`, scanned; undefined when
 * the prefix starts the document. The completion engine calls it once a request is about to go
 * (after the debounce), not on every keystroke.
 */
export function openedBefore(
  prefixStart: number,
  read: (from: number, to: number) => string,
): BracketState | undefined {
  return prefixStart > 0 ? scanBrackets(read(Math.max(0, prefixStart - OPENED_CHARS), prefixStart)) : undefined;
}

/** How unbalanced a scan's end is: misplaced closers and open strings first, then unclosed openers. */
export function imbalance(state: BracketState): readonly [number, number] {
  return [
    state.mismatches + (state.quote && state.quote !== '`' ? 1 : 0),
    state.stack.length + (state.quote === '`' ? 1 : 0),
  ];
}

/** Whether every character of `small` appears in `big` in order (what VS Code needs to show a replacement as ghost text). */
export function isSubsequence(small: string, big: string): boolean {
  let at = 0;
  for (const ch of small) {
    at = big.indexOf(ch, at);
    if (at < 0) return false;
    at++;
  }
  return true;
}
