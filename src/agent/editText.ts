/**
 * `edit_file`'s replacements: each `old_text` must occur exactly once in the file (after the
 * replacements before it); otherwise the whole call fails with a result the model can act on —
 * how many times it occurred, or the closest lines when none did — and nothing is changed, never
 * a guess. Line endings: an `old_text` written with `\n` matches a CRLF file, and the
 * replacement keeps the file's line ending. Hidden characters: the model reads them written out
 * (`⟨U+200B ZWSP⟩`, ../protocol/invisibleText.ts), so an `old_text` that is not in the file as
 * written but is once they are put back matches the real characters, and its `new_text` puts
 * them back too — the file keeps its real bytes. Pure.
 */
import { hiddenFromShown } from '../protocol/invisibleText';

export interface Replacement {
  readonly old_text: string;
  readonly new_text: string;
}

export type EditOutcome = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly error: string };

/** Applies every replacement in order, or none. */
export function applyReplacements(original: string, edits: readonly Replacement[]): EditOutcome {
  const crlf = original.includes('\r\n');
  let text = original;
  for (const [i, edit] of edits.entries()) {
    const label = edits.length > 1 ? `replacement ${i + 1} of ${edits.length}` : 'the replacement';
    const { oldText, newText } = asInFile(text, edit, crlf);
    const first = text.indexOf(oldText);
    if (first < 0) {
      const closest = closestMatch(text, edit.old_text);
      return {
        ok: false,
        error: `${label}: old_text was not found in the file; nothing was changed.${closest ? ` The closest text (lines ${closest.startLine}–${closest.endLine}) is:\n${closest.text}` : ''}`,
      };
    }
    const second = text.indexOf(oldText, first + 1);
    if (second >= 0) {
      const count = text.split(oldText).length - 1;
      return {
        ok: false,
        error: `${label}: old_text occurs ${count} times (lines ${lineOf(text, first)} and ${lineOf(text, second)}${count > 2 ? ', …' : ''}); include more surrounding lines so it occurs once. Nothing was changed.`,
      };
    }
    text = text.slice(0, first) + newText + text.slice(first + oldText.length);
  }
  return { ok: true, text };
}

/** The edit's texts as they would be in the file: its line endings, and its hidden characters when the model wrote them out. */
function asInFile(text: string, edit: Replacement, crlf: boolean): { oldText: string; newText: string } {
  const ending = (t: string): string => (crlf ? t.replace(/\r?\n/g, '\r\n') : t);
  const written = { oldText: ending(edit.old_text), newText: ending(edit.new_text) };
  if (text.includes(written.oldText)) return written;
  const real = { oldText: ending(hiddenFromShown(edit.old_text)), newText: ending(hiddenFromShown(edit.new_text)) };
  return real.oldText !== written.oldText && text.includes(real.oldText) ? real : written;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * The window of the file's lines (as many as `needle` has) most similar to it, by the share of
 * trimmed lines that are equal and then by character overlap. Undefined for an empty file.
 */
export function closestMatch(
  haystack: string,
  needle: string,
): { startLine: number; endLine: number; text: string } | undefined {
  const lines = haystack.split(/\r?\n/);
  const want = needle.replace(/\r\n/g, '\n').split('\n');
  if (lines.length === 0 || (lines.length === 1 && lines[0] === '')) return undefined;
  const size = Math.min(want.length, lines.length);
  const wantTrim = want.map((l) => l.trim());
  let best = { score: -1, start: 0 };
  for (let start = 0; start + size <= lines.length; start++) {
    let score = 0;
    for (let k = 0; k < size; k++) {
      const have = lines[start + k]!.trim();
      const w = wantTrim[k] ?? '';
      score += have === w ? 1 : similarity(have, w);
    }
    if (score > best.score) best = { score, start };
  }
  return {
    startLine: best.start + 1,
    endLine: best.start + size,
    text: lines.slice(best.start, best.start + size).join('\n'),
  };
}

/** Dice coefficient over character bigrams, in [0, 1). */
function similarity(a: string, b: string): number {
  if (!a || !b) return 0;
  const grams = new Map<string, number>();
  for (let i = 0; i < a.length - 1; i++) {
    const g = a.slice(i, i + 2);
    grams.set(g, (grams.get(g) ?? 0) + 1);
  }
  let common = 0;
  for (let i = 0; i < b.length - 1; i++) {
    const g = b.slice(i, i + 2);
    const n = grams.get(g) ?? 0;
    if (n > 0) {
      common++;
      grams.set(g, n - 1);
    }
  }
  const total = a.length - 1 + (b.length - 1);
  return total > 0 ? (0.99 * 2 * common) / total : 0;
}
