/** The document after accepting a suggestion that replaces the rest of the cursor's line (as the provider's range does). */
export function accept(prefix: string, suffix: string, text: string): string {
  const newline = suffix.indexOf('\n');
  return prefix + text + (newline < 0 ? '' : suffix.slice(newline));
}
