/**
 * `@` mentions in the composer: finds the `@…` token the caret is in, and removes it once its
 * item is attached. Pure (no DOM), so it is unit-tested.
 */

export interface MentionToken {
  /** Index of the `@`. */
  readonly start: number;
  /** Index just after the token (the caret). */
  readonly end: number;
  /** The text between `@` and the caret, e.g. `file:src/ma`. */
  readonly query: string;
}

/**
 * The mention being typed at `caret`: an `@` at the start of the text or after whitespace or an
 * opening bracket, followed by no whitespace up to the caret. An e-mail address (`a@b.c`) is not
 * a mention.
 */
export function mentionAt(text: string, caret: number): MentionToken | undefined {
  if (caret < 1 || caret > text.length) return undefined;
  let i = caret - 1;
  while (i >= 0 && !/\s/.test(text[i]!) && text[i] !== '@') i--;
  if (i < 0 || text[i] !== '@') return undefined;
  const before = i > 0 ? text[i - 1]! : '';
  if (before && !/[\s([{"'`]/.test(before)) return undefined;
  return { start: i, end: caret, query: text.slice(i + 1, caret) };
}

/** The text without the token (and one space after it, if any), and where the caret goes. */
export function removeMention(text: string, token: MentionToken): { text: string; caret: number } {
  let end = token.end;
  while (end < text.length && !/\s/.test(text[end]!)) end++;
  if (text[end] === ' ') end++;
  return { text: text.slice(0, token.start) + text.slice(end), caret: token.start };
}

/** The text with the token replaced by `@replacement` (e.g. `@file:` to ask for a file). */
export function replaceMention(
  text: string,
  token: MentionToken,
  replacement: string,
): { text: string; caret: number } {
  const next = `${text.slice(0, token.start)}@${replacement}`;
  return { text: next + text.slice(token.end), caret: next.length };
}

/**
 * The `/` command being typed at `caret`: a `/` that starts the message (after any blank space),
 * followed by no whitespace up to the caret. `/` elsewhere (a path, a fraction) is not a command.
 */
export function slashAt(text: string, caret: number): MentionToken | undefined {
  if (caret < 1 || caret > text.length) return undefined;
  const start = text.length - text.trimStart().length;
  if (text[start] !== '/' || caret <= start) return undefined;
  const query = text.slice(start + 1, caret);
  if (/[\s/]/.test(query)) return undefined;
  return { start, end: caret, query };
}
