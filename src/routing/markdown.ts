/**
 * Writing untrusted names (models, providers, keys, routes: from the catalogue, the endpoints or
 * the user) into the Markdown documents of "Explain Route" and "List Routes", which VS Code's
 * Markdown preview renders: escaped so that a name cannot open a link, an HTML tag, emphasis or a
 * table cell of its own (CommonMark: any ASCII punctuation may be backslash-escaped).
 */

/** Markdown text with every character that could start markup (or a `scheme:` autolink) escaped; one line. */
export function text(s: string): string {
  return s.replace(/\r?\n/g, ' ').replace(/[\\`*_{}[\]()<>#+!|~&:]/g, (c) => `\\${c}`);
}

/** A Markdown code span holding `s` whatever backticks it contains; one line. `inTable`: pipes escaped for a table cell. */
export function code(s: string, inTable = false): string {
  const line = s.replace(/\r?\n/g, ' ');
  const flat = inTable ? line.replace(/\|/g, '\\|') : line;
  const longest = Math.max(0, ...[...flat.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = longest > 0 || flat.startsWith(' ') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}
