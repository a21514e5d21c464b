/**
 * From a model's reply to the text shown as ghost text. Models asked for "only the insertion"
 * still wrap it in fences, add a sentence, repeat the line they were given or the closing
 * brackets that follow the cursor, and lose the indentation. {@link cleanCompletion} undoes each
 * of these (a table of real-looking replies is in test/unit/completions-postprocess.test.ts), and
 * {@link allowsMultiline} decides where more than one line may be shown: only where a block starts.
 */

/** What the cleaner needs to know about the cursor. */
export interface CleanContext {
  /** Text before the cursor (the fitted prefix is enough: only its end is read). */
  readonly prefix: string;
  /** Text after the cursor (only its start is read). */
  readonly suffix: string;
  readonly multiline: boolean;
  /** Most lines shown for a multi-line suggestion. */
  readonly maxLines: number;
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

/** The content of the first fenced block, or the text without a dangling opening fence. */
function stripFences(text: string): string {
  const fenced = /```[\w+#.-]*[^\n]*\n([\s\S]*?)(?:\n?```|$)/.exec(text);
  if (fenced) return fenced[1] ?? '';
  return text;
}

/** A line of English rather than code: words, ends like a sentence, no code punctuation. */
function isProse(line: string): boolean {
  const t = line.trim();
  if (!t) return false;
  if (/^(?:\/\/|#|\/\*|\*|--|<!--)/.test(t)) return false; // a comment is code
  if (/^(?:here(?:'s| is)|sure|this (?:completes|code|function|will)|the (?:code|completion|function)|i (?:have|added|completed)|explanation|note)\b/i.test(t)) return true;
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

const leadingWhitespace = (s: string): string => /^[ \t]*/.exec(s)?.[0] ?? '';

/**
 * Removes the part of the current line the model repeated: a reply that starts with the line's
 * text before the cursor (or its end) gives only what comes after it.
 */
function stripRepeatedLinePrefix(text: string, linePrefix: string): string {
  const typed = linePrefix.trimStart();
  if (!typed) {
    // A blank line: the reply's own indentation would double the line's.
    const indent = linePrefix;
    return indent && text.startsWith(indent) ? text.slice(indent.length) : text.replace(/^[ \t]+/, (ws) => (ws.length <= indent.length ? '' : ws.slice(indent.length)));
  }
  const trimmed = text.trimStart();
  if (typed.length >= 2 && trimmed.startsWith(typed)) return trimmed.slice(typed.length);
  // The reply repeats the last word being typed (`cons` → `const x`): keep the rest of the word.
  const word = /[\w$]+$/.exec(typed)?.[0];
  if (word && trimmed.startsWith(word) && trimmed.length > word.length && /[\w$]/.test(trimmed[word.length] ?? '')) return trimmed.slice(word.length);
  return text;
}

/**
 * Removes the end of a one-line reply that repeats what follows the cursor on the line:
 * `b)` before `)` gives `b`; a whole repeated tail `b);` before `);` gives `b`.
 */
function stripLineSuffixOverlap(text: string, lineSuffix: string): string {
  const after = lineSuffix.trim();
  if (!after) return text;
  const body = text.replace(/\s+$/, '');
  for (let k = Math.min(after.length, body.length); k >= 1; k--) {
    const tail = body.slice(-k);
    if (after.startsWith(tail) && (CLOSERS_ONLY.test(tail) || k >= 3)) return body.slice(0, -k);
  }
  return text;
}

/**
 * What makes two lines "the same" for overlap: code compared without surrounding whitespace; a
 * line of closing brackets with its indentation too (a `}` closing an inner block is not the `}`
 * below the cursor).
 */
function sameLineKey(line: string): string {
  return CLOSERS_ONLY.test(line) ? line.replace(/\s+$/, '') : line.trim();
}

/** Removes trailing lines that repeat the first lines after the cursor (a doubled `}`). */
function stripSuffixLines(lines: string[], suffix: string): string[] {
  const next = suffix
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map(sameLineKey)
    .slice(0, 8);
  if (!next.length) return lines;
  const out = [...lines];
  // The longest run of the reply's last lines that equals the first lines of the suffix.
  for (let m = Math.min(out.length, next.length); m >= 1; m--) {
    const tail = out.slice(-m).map(sameLineKey);
    if (tail.every((l, i) => l === next[i])) {
      out.splice(-m);
      break;
    }
  }
  // A reply that is just the line after the cursor again.
  while (out.length > 1 && out.at(-1)!.trim() === '') out.pop();
  return out;
}

/**
 * Lines after the first are indented relative to column 0 by some models: when they are less
 * indented than the cursor's line, they are shifted by its indentation.
 */
function reindent(lines: string[], linePrefix: string): string[] {
  if (lines.length < 2) return lines;
  const base = leadingWhitespace(linePrefix);
  if (!base) return lines;
  const rest = lines.slice(1).filter((l) => l.trim() !== '');
  if (!rest.length) return lines;
  const min = Math.min(...rest.map((l) => leadingWhitespace(l).length));
  if (min >= base.length) return lines;
  return [lines[0]!, ...lines.slice(1).map((l) => (l.trim() === '' ? l : base + l))];
}

/**
 * Cleans a model's reply into the text to insert at the cursor, or undefined when nothing useful
 * is left. Pure; see the table of cases in the unit tests.
 */
export function cleanCompletion(raw: string, ctx: CleanContext): string | undefined {
  const linePrefix = ctx.prefix.slice(ctx.prefix.lastIndexOf('\n') + 1);
  const newline = ctx.suffix.indexOf('\n');
  const lineSuffix = newline < 0 ? ctx.suffix : ctx.suffix.slice(0, newline);
  let text = raw.replace(/\r\n/g, '\n').replace(/<\/?document>/g, '').replace('<CURSOR>', '');
  text = stripFences(text);
  text = stripProse(text);
  // A reply that starts on a fresh line where the cursor is already at the line's start.
  if (linePrefix.trim() === '') text = text.replace(/^\n+/, '');
  text = stripRepeatedLinePrefix(text, linePrefix);
  let lines = text.split('\n');
  if (!ctx.multiline) {
    // One line: the first with content (after leading newlines, its indentation is not wanted).
    const at = lines.findIndex((l) => l.trim() !== '');
    lines = at < 0 ? [] : [at === 0 ? lines[0]! : lines[at]!.trimStart()];
  }
  lines = reindent(lines, linePrefix);
  lines = stripSuffixLines(lines, ctx.multiline ? ctx.suffix : lineSuffix);
  if (ctx.multiline && lines.length > ctx.maxLines) lines = lines.slice(0, ctx.maxLines);
  let out = lines.join('\n').replace(/\s+$/, '');
  out = stripLineSuffixOverlap(out, lineSuffix);
  if (!out.trim()) return undefined;
  // The whole reply is what already follows the cursor.
  if (ctx.suffix.trimStart().startsWith(out.trim()) && out.trim().length > 0 && linePrefix.trim() === '') return undefined;
  return out;
}
