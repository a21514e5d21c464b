/**
 * A multi-line answer indented the document's way: a file indented with tabs gets tabs, one
 * indented with spaces gets spaces, whatever the model used (models often answer a tab-indented
 * Go or Makefile with spaces, and a space-indented file with tabs). Pure.
 */

/** The spaces and tabs a line starts with. */
export const leadingWhitespace = (s: string): string => /^[ \t]*/.exec(s)?.[0] ?? '';

/** Lines above the cursor read for the document's indentation. */
const INDENT_LINES = 50;
/** Spaces per level when the document shows none and the answer's tabs must become spaces. */
const DEFAULT_UNIT = 4;

/** How the document indents, from the nearest indented lines above the cursor (its own line first); undefined when none is. */
function documentIndent(prefix: string): { readonly tabs: boolean; readonly unit: number } | undefined {
  const lines = prefix.split('\n').slice(-INDENT_LINES).reverse();
  let tabs: boolean | undefined;
  let unit = Infinity;
  for (const line of lines) {
    const ws = leadingWhitespace(line);
    if (!ws) continue;
    tabs ??= ws.startsWith('\t');
    if (/^ +$/.test(ws)) unit = Math.min(unit, ws.length);
  }
  return tabs === undefined ? undefined : { tabs, unit: Number.isFinite(unit) ? unit : DEFAULT_UNIT };
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** Spaces per level in lines indented with `widths` spaces: their common step (one width alone: one level, up to 4 spaces). */
function spaceUnit(widths: readonly number[]): number {
  const distinct = [...new Set(widths)];
  if (distinct.length === 1) return distinct[0]! <= DEFAULT_UNIT ? distinct[0]! : DEFAULT_UNIT;
  return distinct.reduce(gcd);
}

/** `lines` (the first goes after the cursor and keeps its text) with the indentation of the others in the document's kind. */
export function withDocumentIndent(lines: readonly string[], prefix: string): string[] {
  const doc = lines.length < 2 ? undefined : documentIndent(prefix.replace(/\r\n/g, '\n'));
  if (!doc) return [...lines];
  const indents = lines.slice(1).flatMap((l) => (l.trim() ? [leadingWhitespace(l)] : []));
  const convert = (replace: (ws: string) => string): string[] => [
    lines[0]!,
    ...lines.slice(1).map((l) => {
      const ws = leadingWhitespace(l);
      return replace(ws) + l.slice(ws.length);
    }),
  ];
  if (doc.tabs) {
    if (indents.some((ws) => ws.includes('\t'))) return [...lines];
    const widths = indents.filter((ws) => ws.length > 0).map((ws) => ws.length);
    if (!widths.length) return [...lines];
    const unit = spaceUnit(widths);
    return convert((ws) => (/^ +$/.test(ws) ? '\t'.repeat(Math.round(ws.length / unit)) : ws));
  }
  if (!indents.some((ws) => ws.includes('\t'))) return [...lines];
  return convert((ws) => ws.replace(/\t/g, ' '.repeat(doc.unit)));
}

/**
 * A reply's leading whitespace `ws` in the document's kind of indentation: spaces become tabs in a
 * tab-indented file (a level per 4 spaces, or per 2 when the width is not a multiple of 4),
 * tabs become the document's spaces in a space-indented one; unchanged when the document shows none.
 */
export function inDocumentIndent(ws: string, prefix: string): string {
  const doc = documentIndent(prefix.replace(/\r\n/g, '\n'));
  if (!doc) return ws;
  if (doc.tabs) return /^ +$/.test(ws) ? '\t'.repeat(Math.round(ws.length / (ws.length % 4 === 0 ? 4 : 2))) : ws;
  return ws.replace(/\t/g, ' '.repeat(doc.unit));
}
