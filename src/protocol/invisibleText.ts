/**
 * Untrusted text (a model's command, a path, an argument) as the user must read it on an approval
 * card: control characters, bidirectional overrides and isolates (the "Trojan Source" characters
 * that reorder what is displayed), zero-width and other invisible format characters, and
 * look-alike spaces are cut out as marked runs (`⟨U+202E RLO⟩`) so nothing hides or reorders;
 * a newline stays a line break after a visible `⏎`. Pure; shared by the webview's cards and the
 * agent's terminal banner.
 */

/**
 * Every character that displays as nothing, as something else, or reorders its neighbours —
 * variation selectors of both blocks (text can be hidden in a run of them after any character),
 * fillers and blanks (`U+3164`, `U+FFA0`, `U+2800`) and format controls included.
 */
export const INVISIBLE_CHARS =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00a0\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u2000-\u200f\u2028-\u202f\u205f-\u206f\u2800\u3000\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb]|[\u{1D173}-\u{1D17A}\u{13430}-\u{1343F}\u{1BCA0}-\u{1BCA3}\u{E0000}-\u{E007F}\u{E0100}-\u{E01EF}]/gu;

const NAMES: Readonly<Record<number, string>> = {
  0x00: 'NUL',
  0x07: 'BEL',
  0x08: 'BS',
  0x0a: 'LF',
  0x0b: 'VT',
  0x0c: 'FF',
  0x0d: 'CR',
  0x1b: 'ESC',
  0x7f: 'DEL',
  0xa0: 'NBSP',
  0xad: 'SHY',
  0x061c: 'ALM',
  0x200b: 'ZWSP',
  0x200c: 'ZWNJ',
  0x200d: 'ZWJ',
  0x200e: 'LRM',
  0x200f: 'RLM',
  0x2028: 'LSEP',
  0x2029: 'PSEP',
  0x202a: 'LRE',
  0x202b: 'RLE',
  0x202c: 'PDF',
  0x202d: 'LRO',
  0x202e: 'RLO',
  0x2060: 'WJ',
  0x2066: 'LRI',
  0x2067: 'RLI',
  0x2068: 'FSI',
  0x2069: 'PDI',
  0xfeff: 'BOM',
};

export type TextRun = { readonly text: string } | { readonly invisible: string; readonly label: string };

/** The label of one invisible character: `U+202E RLO`. */
export function invisibleLabel(char: string): string {
  const code = char.codePointAt(0)!;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return NAMES[code] ? `${hex} ${NAMES[code]}` : hex;
}

/** The text split into plain runs and marked invisible characters; a tab is plain, a newline becomes `⏎` + newline. */
export function textRuns(text: string): TextRun[] {
  const runs: TextRun[] = [];
  let last = 0;
  for (const match of text.matchAll(INVISIBLE_CHARS)) {
    if (match.index > last) runs.push({ text: text.slice(last, match.index) });
    runs.push({ invisible: match[0], label: invisibleLabel(match[0]) });
    last = match.index + match[0].length;
  }
  if (last < text.length) runs.push({ text: text.slice(last) });
  return runs.flatMap((r) =>
    'text' in r && r.text.includes('\n')
      ? r.text
          .split(/(\n)/)
          .filter(Boolean)
          .map((t) => ({ text: t === '\n' ? '⏎\n' : t }))
      : [r],
  );
}

/**
 * The text with every invisible character written out: `rm⟨U+202E RLO⟩x`; a newline shows as `⏎`
 * for a person, or (`keepLines`, for a model reading a repository's text) stays a plain line
 * break, as does a CRLF.
 */
export function revealInvisible(text: string, options: { readonly keepLines?: boolean } = {}): string {
  if (options.keepLines) return text.replace(/\r\n/g, '\n').replace(INVISIBLE_CHARS, (c) => `⟨${invisibleLabel(c)}⟩`);
  return textRuns(text)
    .map((r) => ('text' in r ? r.text : `⟨${r.label}⟩`))
    .join('');
}

/**
 * Untrusted text (a repository's file, a command's output, an MCP server's reply) as the model
 * reads it: what its reader cannot see (tag characters, bidi overrides, zero-width and control
 * characters) written out, lines kept — the one rule for every channel that reaches the model.
 */
export const shownToModel = (text: string): string => revealInvisible(text, { keepLines: true });

/**
 * A name (a file's, a folder's) as the model reads it, on one line: what {@link shownToModel}
 * writes out, and a line break too (`⟨U+000A LF⟩`) — a file named `a.ts\nSYSTEM: …` cannot forge a
 * line of a listing, a search result or a prompt.
 */
export const shownName = (name: string): string => shownToModel(name).replace(/\n/g, `⟨${invisibleLabel('\n')}⟩`);

/** One written-out character as {@link revealInvisible} or {@link shownName} writes it: `⟨U+202E RLO⟩`, `⟨U+E0041⟩`. */
const SHOWN_CHAR = /⟨U\+([0-9A-F]{4,6})(?: [A-Z]+)?⟩/g;

/**
 * The text with each written-out character (`⟨U+200B ZWSP⟩`) put back as the character it names,
 * when that is one {@link shownToModel} or {@link shownName} writes out — so an edit the model
 * writes from what it read keeps the file's real bytes, and a path it read names the real file.
 * Anything else stays as written.
 */
export function hiddenFromShown(text: string): string {
  return text.replace(SHOWN_CHAR, (marker, hex: string) => {
    const char = String.fromCodePoint(parseInt(hex, 16));
    const hidden = char === '\n' || new RegExp(INVISIBLE_CHARS.source, 'u').test(char);
    return invisibleLabel(char) === marker.slice(1, -1) && hidden ? char : marker;
  });
}
