/** The document after accepting a suggestion that replaces the rest of the cursor's line (as the provider's range does: up to the line break, `\r\n` or `\n`). */
export function accept(prefix: string, suffix: string, text: string): string {
  const newline = suffix.search(/\r?\n/);
  return prefix + text + (newline < 0 ? '' : suffix.slice(newline));
}
