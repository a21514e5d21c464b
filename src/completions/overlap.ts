/**
 * Fits a cleaned answer to the text after the cursor, so that accepting it leaves what a careful
 * typist would have typed — with VS Code's auto-closed brackets and quotes already there, and
 * without the closers a model adds that the text after the cursor has already (see {@link trims}).
 *
 * The answer **replaces the rest of the cursor's line** (VS Code shows it as ghost text when the
 * replaced characters appear in it in order, as an auto-closed `)` does in `x));`). Which of
 * those characters it takes over, and which trailing lines repeat the lines below the cursor, is
 * decided by trying each plausible cut and keeping the one whose document has the best-balanced
 * brackets (then the shortest): `'a', f(2)` before an auto-closed `)` keeps that `)`, while
 * `'a', f(2));` replaces it; a trailing `}` that closes the block below the cursor goes, one that
 * closes the answer's own block stays. Overlap is found before lines are re-indented.
 */
import { imbalance, isSubsequence, scanBrackets, startState, type BracketState } from './brackets';
import { leadingWhitespace, withDocumentIndent } from './indentUnit';

/** What the placement needs to know about the cursor. */
export interface PlaceContext {
  readonly prefix: string;
  /** Where the scan of the document before `prefix` ended (its brackets still open); undefined when `prefix` starts the document. */
  readonly opened?: BracketState;
  readonly suffix: string;
  readonly maxLines: number;
  /** The document's language (used where `opened` is undefined: the scan starts with the prefix). */
  readonly languageId?: string | undefined;
  /** A one-line answer's trailing spaces and tabs (taken off the lines): kept before code the line goes on with. */
  readonly trailing?: string | undefined;
}

const CLOSING = /^[\s)\]}'"`;,]*$/;
/** Closing characters the answer may take over; `>` after one (`}>` and `">` of an attribute in a tag), never first (`> 0` compares). */
const CLOSERS = /^[)\]}'"`;,][)\]}'"`;,>]*$/;
const TRAILING_CLOSING = /[\s)\]}'"`;,]*$/;
const LEADING_CLOSING = /^[\s)\]}'"`;,]*/;
/** Brackets a one-line answer may close too many. */
const MAX_EXTRA_CLOSERS = 4;
/** Characters of the line after the cursor that may be taken over (longer lines keep theirs). */
const MAX_LINE_SUFFIX = 200;
/** Lines below the cursor compared with the answer's last lines. */
const MAX_SUFFIX_LINES = 12;

/** Two lines are the same code: equal without surrounding whitespace, or closing lines where one extends the other (`})` and `});`). */
function sameLine(answer: string, below: string): boolean {
  const a = answer.trim();
  const b = below.trim();
  if (!a || !b) return false;
  return a === b || (CLOSING.test(a) && CLOSING.test(b) && (a.startsWith(b) || b.startsWith(a)));
}

/**
 * How many of the answer's last lines may be dropped because they repeat the lines below the
 * cursor's line (blank lines skipped on both sides); 0 always.
 */
function lineCuts(lines: readonly string[], suffix: string): number[] {
  const newline = suffix.indexOf('\n');
  const below = (newline < 0 ? '' : suffix.slice(newline + 1))
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(0, MAX_SUFFIX_LINES);
  const filled = lines.map((l, i) => i).filter((i) => lines[i]!.trim() !== '');
  const cuts = [0];
  for (let k = 1; k <= Math.min(filled.length, below.length); k++) {
    const tail = filled.slice(-k);
    if (tail.every((at, i) => sameLine(lines[at]!, below[i]!))) cuts.push(lines.length - tail[0]!);
  }
  return cuts;
}

/** How many characters of the line after the cursor the answer may take over (0 always). */
function charCuts(answer: string, lineSuffix: string): number[] {
  const cuts = [0];
  const end = answer.replace(/\s+$/, '');
  const limit = Math.min(lineSuffix.length, MAX_LINE_SUFFIX);
  for (let c = 1; c <= limit; c++) {
    const head = lineSuffix.slice(0, c);
    const closers = CLOSERS.test(head) && isSubsequence(head, answer);
    const repeated = end.endsWith(head.replace(/\s+$/, '')) && head.trim() !== '' && (c >= 3 || CLOSING.test(head));
    if (closers || repeated || (c === lineSuffix.length && head.trim() !== '' && end.endsWith(head.trim())))
      cuts.push(c);
  }
  return cuts;
}

/** Lines after the first, indented relative to column 0, are shifted by the cursor line's indentation. */
function reindent(lines: readonly string[], linePrefix: string): string[] {
  if (lines.length < 2) return [...lines];
  const base = leadingWhitespace(linePrefix);
  const rest = lines.slice(1).filter((l) => l.trim() !== '');
  if (!base || !rest.length) return [...lines];
  const min = Math.min(...rest.map((l) => leadingWhitespace(l).length));
  if (min >= base.length) return [...lines];
  return [lines[0]!, ...lines.slice(1).map((l) => (l.trim() === '' ? l : base + l))];
}

interface Choice {
  /** The answer's lines kept, joined, with the closers it may lose taken off. */
  readonly text: string;
  readonly c: number;
  readonly score: readonly [number, number, number];
}

const better = (a: Choice['score'], b: Choice['score']): boolean =>
  a[0] !== b[0] ? a[0] < b[0] : a[1] !== b[1] ? a[1] < b[1] : a[2] < b[2];

/**
 * The answer, and the answer without closing characters it should not add: a tail the text after
 * the cursor starts with again, whitespace and line breaks aside (`b)` before a `)` on the next
 * line, `a: 1}` before ` };`, `'b')` before `' )`); and, on a one-line answer, the last brackets
 * it closes (`, b));` where one `(` is open). Which one is kept is the balance's decision.
 */
function trims(answer: string, suffix: string, before: BracketState): string[] {
  const run = TRAILING_CLOSING.exec(answer)![0];
  if (!run) return [answer];
  const out = [answer];
  const ahead = LEADING_CLOSING.exec(suffix.slice(0, MAX_LINE_SUFFIX))![0].replace(/\s+/g, '');
  for (let k = 1; k <= run.length; k++) {
    const tail = run.slice(-k);
    if (ahead && /^\S/.test(tail) && ahead.startsWith(tail.replace(/\s+/g, ''))) out.push(answer.slice(0, -k));
  }
  if (answer.includes('\n')) return out;
  out.push(...withoutExtraClosers(answer, answer.length - run.length, before));
  return out;
}

/**
 * The answer without its last 1…{@link MAX_EXTRA_CLOSERS} closing brackets (from `from` on), each
 * taken off only where it closes code: a bracket inside a string or a comment (`'(a))'`) closes
 * nothing, so it stays.
 */
function withoutExtraClosers(answer: string, from: number, before: BracketState): string[] {
  const out: string[] = [];
  let cut = answer;
  for (let i = answer.length - 1; i >= from && out.length < MAX_EXTRA_CLOSERS; i--) {
    if (!')]}'.includes(answer[i]!)) continue;
    const at = scanBrackets(answer.slice(0, i), before);
    if (at.quote || at.comment) continue;
    cut = cut.slice(0, i) + cut.slice(i + 1);
    out.push(cut);
  }
  return out;
}

/** The cut (lines of the answer dropped, closers taken off, characters of the line taken over) whose document is best balanced. */
function choose(
  lines: readonly string[],
  lineSuffix: string,
  afterLine: string,
  before: BracketState,
  suffix: string,
): Choice {
  let best: Choice | undefined;
  for (const m of lineCuts(lines, suffix)) {
    const kept = lines
      .slice(0, lines.length - m)
      .join('\n')
      .replace(/\s+$/, '');
    for (const text of trims(kept, suffix, before))
      for (const c of charCuts(text, lineSuffix)) {
        // VS Code shows a replacement as ghost text only when what it replaces appears in it in order.
        if (!isSubsequence(lineSuffix.slice(0, c), text)) continue;
        const result = text + lineSuffix.slice(c) + afterLine;
        const [wrong, open] = imbalance(scanBrackets(result, before));
        const score = [wrong, open, result.length] as const;
        if (!best || better(score, best.score)) best = { text, c, score };
      }
  }
  return best!;
}

/**
 * Whether a one-line answer's trailing space goes before the rest of the line: it is code that
 * follows (`f(a, |x)`, `a + |y;`, a string that opens: `f(a, |"x")`), not a closer, a
 * separator or a quote closing the string the answer ends in.
 */
function spaceBeforeCode(text: string, rest: string, before: BracketState): boolean {
  if (text.includes('\n') || !/^[^\s)\]}>;,.:]/.test(rest)) return false;
  const end = scanBrackets(text, before);
  return !end.quote && !end.comment;
}

/**
 * The text that replaces the rest of the cursor's line (the rest of the line is empty in the
 * common case, at the end of a line), or undefined when accepting would change nothing.
 */
export function placeCompletion(lines: readonly string[], ctx: PlaceContext): string | undefined {
  const linePrefix = ctx.prefix.slice(ctx.prefix.lastIndexOf('\n') + 1);
  const newline = ctx.suffix.indexOf('\n');
  const lineSuffix = newline < 0 ? ctx.suffix : ctx.suffix.slice(0, newline);
  const afterLine = newline < 0 ? '' : ctx.suffix.slice(newline);
  const before = scanBrackets(ctx.prefix, ctx.opened ?? startState(ctx.languageId));
  const { text: chosen, c } = choose(lines, lineSuffix, afterLine, before, ctx.suffix);
  let kept = chosen.split('\n');
  if (kept.length > ctx.maxLines) kept = kept.slice(0, ctx.maxLines);
  let text = reindent(withDocumentIndent(kept, ctx.prefix), linePrefix).join('\n').replace(/\s+$/, '');
  if (!text.trim()) return undefined;
  let rest = lineSuffix.slice(c);
  if (ctx.trailing && spaceBeforeCode(text, rest, before)) text += ctx.trailing;
  // A block answer before auto-closed brackets: they go on their own line, as Enter would put
  // them — unless its last line took some of them over (`}` of `});`): the rest follows it.
  if (c === 0 && text.includes('\n') && rest.trim() && CLOSING.test(rest))
    rest = `\n${leadingWhitespace(linePrefix)}${rest.trimStart()}`;
  const replacement = text + rest;
  return replacement === lineSuffix ? undefined : replacement;
}
