/**
 * From a model's reply to the text shown as ghost text. Models asked for "only the insertion"
 * still wrap it in fences or tags, add a sentence, repeat the line they were given or the code
 * that follows the cursor, and lose the indentation. {@link cleanCompletion} undoes each of these
 * (a table of real-looking replies and property tests are in test/unit/completions-postprocess*),
 * fitting the answer to the auto-closed brackets after the cursor with overlap.ts, and
 * {@link allowsMultiline} decides where more than one line may be shown: only where a block starts.
 */
import { imbalance, scanBrackets, type BracketState } from './brackets';
import { inDocumentIndent } from './indentUnit';
import { placeCompletion } from './overlap';

/** What the cleaner needs to know about the cursor. */
export interface CleanContext {
  /** Text before the cursor: its last line is read, and its brackets (from {@link opened}) tell which closers the answer may add. */
  readonly prefix: string;
  /**
   * The brackets (and string or comment) open where `prefix` starts, from the document before it;
   * undefined when `prefix` is the document's start. Without it a closer whose opener is further
   * back than `prefix` reads as one too many and is taken off.
   */
  readonly opened?: BracketState;
  /** Text after the cursor (only its start is read). */
  readonly suffix: string;
  readonly multiline: boolean;
  /** Most lines shown for a multi-line suggestion. */
  readonly maxLines: number;
  /** The document's VS Code language: which comments, strings and regular expressions hold brackets that close nothing (./syntax.ts). */
  readonly languageId?: string;
}

const OPENERS = /(?:[{([:]|=>|\bthen|\bdo|\bbegin)\s*$/;
const CLOSERS_ONLY = /^[\s)\]}>;,'"`]*$/;

/**
 * Multi-line only where a block starts: the cursor follows a block opener (`{`, `(`, `[`, `:`,
 * `=>`, `then`, `do`) on its line, or sits on a blank line right below one; and nothing but
 * closing brackets follows it on the line.
 */
export function allowsMultiline(prefix: string, suffix: string): boolean {
  const lineSuffix = suffix.slice(0, (suffix.indexOf('\n') + 1 || suffix.length + 1) - 1);
  if (!CLOSERS_ONLY.test(lineSuffix)) return false;
  const lines = prefix.split('\n');
  const linePrefix = lines.at(-1) ?? '';
  if (OPENERS.test(linePrefix)) return true;
  if (linePrefix.trim() !== '') return false;
  for (let i = lines.length - 2; i >= 0; i--) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    return OPENERS.test(line);
  }
  return false;
}

/**
 * The content of the first fenced block (Markdown's fences: three or more backticks or tildes,
 * closed by the same run), or the text without a dangling opening fence.
 */
function stripFences(text: string): string {
  const fenced = /(`{3,}|~{3,})[\w+#.-]*[^\n]*\n([\s\S]*?)(?:\n?\1|$)/.exec(text);
  if (fenced) return fenced[2] ?? '';
  return text;
}

/** Lines that may rightly repeat the line above: closers only (`}` below `}`), or nothing but an `end`-like word. */
const MAY_REPEAT = /^(?:[\s)\]}>;,'"`]*|end|fi|done|esac|else:?|pass|break|continue)$/;
/** Lines above the cursor compared with the answer's first lines. */
const MAX_ABOVE_LINES = 12;

/**
 * Drops the answer's first lines when they write the lines right above the cursor again (blank
 * lines aside): at the start of a line, `const b = 2;` below `const b = 2;` would be there twice.
 * The longest such run goes, unless it is only closers (`}` below `}` is code).
 */
function stripRepeatedLinesAbove(text: string, prefix: string): string {
  const lines = text.split('\n');
  const above = prefix
    .replace(/\r\n/g, '\n')
    .split('\n')
    .slice(0, -1)
    .filter((l) => l.trim() !== '')
    .slice(-MAX_ABOVE_LINES);
  const filled = lines.map((_, i) => i).filter((i) => lines[i]!.trim() !== '');
  for (let k = Math.min(above.length, filled.length); k > 0; k--) {
    const head = filled.slice(0, k).map((i) => lines[i]!.trim());
    const same = head.every((line, i) => line === above[above.length - k + i]!.trim());
    if (same && head.some((line) => !MAY_REPEAT.test(line))) return lines.slice(filled[k] ?? lines.length).join('\n');
  }
  return text;
}

/** A line of English rather than code: words, ends like a sentence, no code punctuation. */
function isProse(line: string): boolean {
  const t = line.trim();
  if (!t) return false;
  if (/^(?:\/\/|#|\/\*|\*|--|<!--)/.test(t)) return false; // a comment is code
  if (
    /^(?:here(?:'s| is)|sure|this (?:completes|code|function|will)|the (?:code|completion|function)|i (?:have|added|completed)|explanation|note)\b/i.test(
      t,
    )
  )
    return true;
  return /^[A-Z][a-z]+(?: [\w'’,-]+){3,}[.!:]$/.test(t) && !/[;{}()=<>[\]]/.test(t);
}

/** Drops leading "Here is…:" lines and trailing sentences after the code. */
function stripProse(text: string): string {
  const lines = text.split('\n');
  while (lines.length > 0 && isProse(lines[0]!)) lines.shift();
  // Trailing prose: from the first prose line after code, everything goes.
  const at = lines.findIndex((l, i) => i > 0 && isProse(l));
  if (at > 0) lines.splice(at);
  return lines.join('\n');
}

/**
 * Removes the part of the current line the model repeated: a reply that starts with the line's
 * text before the cursor (or its end) gives only what comes after it.
 */
function stripRepeatedLinePrefix(text: string, linePrefix: string, prefix: string): string {
  const typed = linePrefix.trimStart();
  if (!typed) {
    // A blank line: the reply's own indentation would double the line's — compared in the
    // document's kind (a tab-indented line and a reply indented with spaces, or the reverse).
    const indent = linePrefix;
    if (indent && text.startsWith(indent)) return text.slice(indent.length);
    return text.replace(/^[ \t]+/, (raw) => {
      const ws = inDocumentIndent(raw, prefix);
      return ws.length <= indent.length ? '' : ws.slice(indent.length);
    });
  }
  const trimmed = text.trimStart();
  if (typed.length >= 2 && trimmed.startsWith(typed)) return trimmed.slice(typed.length);
  // The reply repeats the last word being typed: keep what follows it — the rest of the word
  // (`cons` → `const x`) or the code after it (`foo` → `foo.bar()`, `i` → `i++`).
  const word = /[\w$]+$/.exec(typed)?.[0];
  if (word && trimmed.startsWith(word) && trimmed.length > word.length) return trimmed.slice(word.length);
  return text;
}

/**
 * Wrappers some models put around the insertion: `<COMPLETION>…</COMPLETION>` and kin (the
 * opening tag alone too), Switchyard's own `<document>`/`<CURSOR>` markers echoed back, and the
 * special tokens of fill-in-the-middle models (`<|fim_middle|>`, `<|endoftext|>`). Tag names are
 * ones code does not use, so JSX and HTML answers keep their tags.
 */
const WRAPPER_TAG =
  /<\/?(?:completion|completed?_code|insert(?:ion)?|answer|output|result|fill(?:_in)?|middle|fim_middle|code_completion|suggestion|document|cursor)>/gi;
const SPECIAL_TOKEN = /<\|[a-z_]+\|>|<(?:fim_middle|fim_suffix|fim_prefix|FILL_ME|MID|SUF|PRE|EOT)>/gi;

function stripWrappers(text: string): string {
  return text.replace(SPECIAL_TOKEN, '').replace(WRAPPER_TAG, '');
}

/**
 * A one-line answer that goes on a line of its own before the code after the cursor: with the
 * cursor at the start of a line's code, a reply whose last line is that code again (`const x = 1;`
 * then `return x;`) means a statement to insert above it. Its first line (when its brackets are
 * balanced), a line break and the line's indentation, so the code after the cursor keeps its
 * line; undefined for other replies.
 */
function lineBefore(lines: readonly string[], linePrefix: string, suffix: string): string | undefined {
  const lineSuffix = suffix.replace(/\r\n/g, '\n').split('\n', 1)[0]!;
  if (linePrefix.trim() !== '' || !lineSuffix.trim()) return undefined;
  const filled = lines.filter((l) => l.trim() !== '');
  const code = lineSuffix.trim();
  const first = filled[0]?.trim() ?? '';
  if (filled.length < 2 || filled.at(-1)!.trim() !== code || first === code) return undefined;
  // A line that opens a block the lines between were to close is no statement of its own.
  const [wrong, open] = imbalance(scanBrackets(first));
  return wrong || open ? undefined : `${first}\n${linePrefix}${lineSuffix}`;
}

/**
 * Cleans a model's reply into the text that replaces the rest of the cursor's line (see
 * overlap.ts), or undefined when nothing useful is left. Pure; see the table of cases and the
 * property tests in the unit tests.
 */
export function cleanCompletion(raw: string, ctx: CleanContext): string | undefined {
  const linePrefix = ctx.prefix.slice(ctx.prefix.lastIndexOf('\n') + 1);
  let text = stripWrappers(raw.replace(/\r\n/g, '\n'));
  text = stripFences(text);
  text = stripWrappers(stripProse(text));
  // A reply that starts on a fresh line where the cursor is already at the line's start.
  if (linePrefix.trim() === '') text = stripRepeatedLinesAbove(text.replace(/^\n+/, ''), ctx.prefix);
  text = stripRepeatedLinePrefix(text, linePrefix, ctx.prefix);
  // A one-line answer's trailing spaces (`a, ` for `f(|x)`): the placement decides whether they stay.
  const oneLine = text.replace(/\n\s*$/, '');
  const trailing = oneLine.includes('\n') ? undefined : /[ \t]+$/.exec(oneLine)?.[0];
  let lines = text.replace(/\s+$/, '').split('\n');
  const before = ctx.multiline ? undefined : lineBefore(lines, linePrefix, ctx.suffix);
  if (before !== undefined) return before;
  if (!ctx.multiline) {
    // One line: the first with content (after leading newlines, its indentation is not wanted).
    const at = lines.findIndex((l) => l.trim() !== '');
    lines = at < 0 ? [] : [at === 0 ? lines[0]! : lines[at]!.trimStart()];
  }
  if (!lines.some((l) => l.trim() !== '')) return undefined;
  // A CRLF document: compared and placed with `\n` (VS Code converts inserted line breaks to the document's).
  const prefix = ctx.prefix.replace(/\r\n/g, '\n');
  const suffix = ctx.suffix.replace(/\r\n/g, '\n');
  return placeCompletion(lines, {
    prefix,
    suffix,
    opened: ctx.opened,
    maxLines: ctx.multiline ? ctx.maxLines : 1,
    languageId: ctx.languageId,
    trailing,
  });
}
