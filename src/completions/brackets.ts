/**
 * A small bracket and quote scanner for code of any C-like or scripting language: enough to tell
 * whether accepting a suggestion leaves the brackets balanced. It skips strings (`'…'`, `"…"`,
 * `` `…` ``, with backslash escapes; `'` and `"` end at a line break; `"""…"""` and `'''…'''`
 * span lines), comments and regular expressions as the document's language has them (./syntax.ts:
 * `//` and block comments, `#`, `--`, `/…/` in JavaScript). A bracket in any of them closes
 * nothing. The scan resumes from a state, so the text before the cursor is scanned once and each
 * candidate insertion only from the cursor on.
 */
import { DEFAULT_SYNTAX, regexMayStart, syntaxFor, type Syntax } from './syntax';

const OPENER_OF: Readonly<Record<string, string>> = { ')': '(', ']': '[', '}': '{' };
const QUOTES = '\'"`';
/** What `last` is after a string or a regular expression: a value (a `/` after it divides). */
const VALUE = ')';

/** Where a scan stopped. */
export interface BracketState {
  /** Unclosed openers, innermost last. */
  readonly stack: readonly string[];
  /** Closers without their opener, and strings cut by a line break. */
  readonly mismatches: number;
  /** The string the scan is inside: its opening quote (`'`, `"`, `` ` ``, `"""`, `'''`), `/` or `/[` in a regular expression, or ''. */
  readonly quote: string;
  /** Inside a comment: to the line's end, or to `*​/`. */
  readonly comment: '' | 'line' | 'block';
  /** The last code token (a word, or one punctuation character; '' at the start): whether a `/` starts a regular expression. */
  readonly last?: string;
  /** The document language's comments and literals; the C-like default when absent. */
  readonly syntax?: Syntax;
}

export const EMPTY_STATE: BracketState = { stack: [], mismatches: 0, quote: '', comment: '' };

/** Where a scan of a document in `languageId` starts. */
export const startState = (languageId: string | undefined): BracketState => ({
  ...EMPTY_STATE,
  syntax: syntaxFor(languageId),
});

/** One scan in progress. */
class Scan {
  readonly stack: string[];
  mismatches: number;
  quote: string;
  comment: BracketState['comment'];
  last: string;
  readonly syntax: Syntax;

  constructor(from: BracketState) {
    this.stack = [...from.stack];
    this.mismatches = from.mismatches;
    this.quote = from.quote;
    this.comment = from.comment;
    this.last = from.last ?? '';
    this.syntax = from.syntax ?? DEFAULT_SYNTAX;
  }

  state(): BracketState {
    const { stack, mismatches, quote, comment, last, syntax } = this;
    return { stack, mismatches, quote, comment, last, syntax };
  }

  /** Reads the character at `i` (and the ones it starts); the index of the last one read. */
  step(text: string, i: number): number {
    const ch = text[i]!;
    if (this.comment === 'line') {
      if (ch === '\n') this.comment = '';
      return i;
    }
    if (this.comment === 'block') {
      if (ch !== '*' || text[i + 1] !== '/') return i;
      this.comment = '';
      return i + 1;
    }
    if (this.quote.startsWith('/')) return this.inRegex(ch, i);
    if (this.quote) return this.inString(text, i);
    return this.inCode(text, i);
  }

  private inString(text: string, i: number): number {
    const ch = text[i]!;
    if (ch === '\\') return i + 1;
    if (this.quote.length === 3) {
      if (!text.startsWith(this.quote, i)) return i;
      this.closeLiteral();
      return i + 2;
    }
    if (ch === this.quote) this.closeLiteral();
    else if (ch === '\n' && this.quote !== '`') {
      this.quote = '';
      this.mismatches++;
    }
    return i;
  }

  /** Inside `/…/`: a class `[…]` may hold `/`; a line break ends it (it may have been a division after all). */
  private inRegex(ch: string, i: number): number {
    if (ch === '\\') return i + 1;
    if (ch === '\n') this.quote = '';
    else if (this.quote === '/[') {
      if (ch === ']') this.quote = '/';
    } else if (ch === '[') this.quote = '/[';
    else if (ch === '/') this.closeLiteral();
    return i;
  }

  private closeLiteral(): void {
    this.quote = '';
    this.last = VALUE;
  }

  private inCode(text: string, i: number): number {
    const ch = text[i]!;
    if (this.startsComment(text, i)) return ch === '#' ? i : i + 1;
    if (ch === '/' && this.syntax.regex && regexMayStart(this.last)) this.quote = '/';
    else if (QUOTES.includes(ch)) return this.openQuote(text, i);
    else if (/[\w$]/.test(ch)) {
      const word = /^[\w$]+/.exec(text.slice(i, i + 64))![0];
      this.last = word;
      return i + word.length - 1;
    } else if (ch === '(' || ch === '[' || ch === '{') this.stack.push(ch);
    else if (ch in OPENER_OF) {
      if (this.stack.at(-1) === OPENER_OF[ch]) this.stack.pop();
      else this.mismatches++;
    }
    if (!/\s/.test(ch)) this.last = ch;
    return i;
  }

  /** Whether a comment starts at `i` (and sets it). */
  private startsComment(text: string, i: number): boolean {
    const ch = text[i]!;
    const next = text[i + 1];
    const { slash, hash, dash } = this.syntax;
    if (slash && ch === '/' && (next === '/' || next === '*')) this.comment = next === '/' ? 'line' : 'block';
    else if (dash && ch === '-' && next === '-') this.comment = 'line';
    else if (ch === '#' && hash === 'spaced' && (next === ' ' || next === '!')) this.comment = 'line';
    else if (ch === '#' && hash === 'word' && !/[\w${]/.test(text[i - 1] ?? '')) this.comment = 'line';
    return this.comment !== '';
  }

  private openQuote(text: string, i: number): number {
    const ch = text[i]!;
    // `'a` in Rust: a lifetime, unless a quote follows the character (`'a'`).
    if (this.syntax.lifetimes && ch === "'" && /[A-Za-z_]/.test(text[i + 1] ?? '') && text[i + 2] !== "'") return i;
    if (ch !== '`' && text[i + 1] === ch && text[i + 2] === ch) {
      this.quote = ch.repeat(3);
      return i + 2;
    }
    this.quote = ch;
    return i;
  }
}

/** Scans `text` from `from` (the state where the text before it ended). */
export function scanBrackets(text: string, from: BracketState = EMPTY_STATE): BracketState {
  const scan = new Scan(from);
  for (let i = 0; i < text.length; i++) i = scan.step(text, i);
  return scan.state();
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
  languageId?: string,
): BracketState | undefined {
  if (prefixStart <= 0) return undefined;
  return scanBrackets(read(Math.max(0, prefixStart - OPENED_CHARS), prefixStart), startState(languageId));
}

/** How unbalanced a scan's end is: misplaced closers and open one-line strings first, then unclosed openers and multi-line strings. */
export function imbalance(state: BracketState): readonly [number, number] {
  const multiline = state.quote === '`' || state.quote.length === 3;
  return [state.mismatches + (state.quote && !multiline ? 1 : 0), state.stack.length + (multiline ? 1 : 0)];
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
