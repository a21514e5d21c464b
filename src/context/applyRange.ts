/**
 * Range mapping for Apply: which whole lines a command targets, and how a code block from the
 * answer replaces exactly those lines (line endings and indentation of the file kept). Pure, so
 * the host only turns the result into a `WorkspaceEdit`.
 */

export interface Position {
  /** 0-based. */
  readonly line: number;
  readonly character: number;
}

/** Whole lines, 0-based, inclusive. */
export interface LineSpan {
  readonly startLine: number;
  readonly endLine: number;
}

/**
 * The whole lines a selection covers. A selection that ends at column 0 of a later line (what
 * a triple click or Shift+Down leaves) does not include that line.
 */
export function wholeLines(start: Position, end: Position): LineSpan {
  const endLine = end.character === 0 && end.line > start.line ? end.line - 1 : end.line;
  return { startLine: start.line, endLine };
}

/** `\r\n` when the text uses it (first line break decides), else `\n`. */
export function eolOf(text: string): '\n' | '\r\n' {
  const i = text.indexOf('\n');
  return i > 0 && text[i - 1] === '\r' ? '\r\n' : '\n';
}

function indentOf(line: string): string {
  return /^[ \t]*/.exec(line)?.[0] ?? '';
}

/** The common leading whitespace of the non-blank lines. */
function commonIndent(lines: readonly string[]): string {
  const indents = lines.filter((l) => l.trim()).map(indentOf);
  if (!indents.length) return '';
  return indents.reduce((a, b) => {
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    return a.slice(0, i);
  });
}

/**
 * The text that replaces `original` (the targeted lines) given the model's code block: line
 * endings follow the file, a trailing line break of the block is dropped (the range ends at a
 * line's end), and when the model dropped the block's indentation (a method inside a class
 * answered at column 0) it is put back.
 */
export function replacementText(code: string, original: readonly string[], eol: '\n' | '\r\n'): string {
  let lines = code.replace(/\r\n/g, '\n').split('\n');
  if (lines.length > 1 && lines.at(-1) === '') lines = lines.slice(0, -1);
  const want = commonIndent(original);
  const have = commonIndent(lines);
  if (want && have === '') lines = lines.map((l) => (l.trim() ? want + l : l));
  return lines.join(eol);
}

export interface LineEdit {
  /** The lines replaced (0-based, inclusive): from column 0 of `startLine` to the end of `endLine`. */
  readonly span: LineSpan;
  /** Length of `endLine`, so the range ends before its line break. */
  readonly endCharacter: number;
  readonly text: string;
}

/** The edit that replaces `span` of `documentText` with the code block, and the document after it. */
export function planLineEdit(documentText: string, span: LineSpan, code: string): { edit: LineEdit; proposed: string } {
  const eol = eolOf(documentText);
  const lines = documentText.split(/\r?\n/);
  if (span.startLine < 0 || span.endLine < span.startLine || span.endLine >= lines.length) {
    throw new RangeError(
      `lines ${span.startLine + 1}-${span.endLine + 1} are outside the document (${lines.length} lines)`,
    );
  }
  const original = lines.slice(span.startLine, span.endLine + 1);
  const text = replacementText(code, original, eol);
  const proposed = [...lines.slice(0, span.startLine), text, ...lines.slice(span.endLine + 1)].join(eol);
  return { edit: { span, endCharacter: lines[span.endLine]!.length, text }, proposed };
}

/** The text of `span` in `documentText` (line endings as `\n`). */
export function spanText(documentText: string, span: LineSpan): string {
  return documentText
    .split(/\r?\n/)
    .slice(span.startLine, span.endLine + 1)
    .join('\n');
}

/** What a Fix / Refactor / Add Docs answer replaces: whole lines of one document, as it was then. */
export interface ApplyTarget extends LineSpan {
  /** The document's URI (string form). */
  readonly uri: string;
  /** `src/app.ts:3-7`, as shown on the Apply button. */
  readonly label: string;
  /** The document's version when the command ran. */
  readonly version: number;
  /** SHA-256 of the whole document text when the command ran. */
  readonly contentHash: string;
  /** The text of the targeted lines then (`\n` line ends): lets Apply find them after unrelated edits. */
  readonly linesText?: string;
}

/** Where the targeted lines are now, or why Apply cannot go ahead. */
export type Located =
  | { readonly ok: true; readonly span: LineSpan; readonly moved: boolean }
  | { readonly ok: false; readonly reason: string };

const fileOf = (label: string): string => label.replace(/:\d+(-\d+)?$/, '');

/**
 * Finds a target's lines in the document as it is now. Unchanged document: where they were.
 * Edited elsewhere: the lines still read exactly as then (`linesText`), at the same place or —
 * lines added or removed above them — at the one place they now appear. Anything else (the lines
 * themselves changed, or now appear several times) is refused with a reason in the user's terms.
 */
export function locateTarget(target: ApplyTarget, documentText: string, contentHash: string): Located {
  if (contentHash === target.contentHash) return { ok: true, span: target, moved: false };
  const file = fileOf(target.label);
  const askAgain = 'its code was written for the old text and was not applied. Ask again on the current text.';
  if (target.linesText === undefined)
    return { ok: false, reason: `${file} has changed since the answer was requested; ${askAgain}` };
  const lines = documentText.split(/\r?\n/);
  const want = target.linesText.split('\n');
  const at = (start: number): boolean => want.every((line, i) => lines[start + i] === line);
  if (at(target.startLine))
    return { ok: true, span: { startLine: target.startLine, endLine: target.endLine }, moved: false };
  const found: number[] = [];
  for (let start = 0; start + want.length <= lines.length; start++) if (at(start)) found.push(start);
  if (found.length === 1)
    return { ok: true, span: { startLine: found[0]!, endLine: found[0]! + want.length - 1 }, moved: true };
  if (found.length > 1)
    return {
      ok: false,
      reason: `The lines of ${target.label} now appear ${found.length} times in ${file}, so it is unclear which to replace; ${askAgain}`,
    };
  return { ok: false, reason: `The lines of ${target.label} were changed since the answer was requested; ${askAgain}` };
}

/**
 * Why applying to `target` now would be wrong, or `undefined` when the document is exactly as it
 * was. The content decides: an edit and its undo bump the version but leave the text, which is
 * still safe to change; any other change anywhere in the file makes the target stale.
 */
export function staleReason(
  target: ApplyTarget,
  now: { readonly version: number; readonly contentHash: string; readonly lineCount: number },
): string | undefined {
  if (now.contentHash === target.contentHash) return undefined;
  return `${fileOf(target.label)} has changed since the answer was requested; its code was written for the old text and was not applied. Ask again on the current text.`;
}
