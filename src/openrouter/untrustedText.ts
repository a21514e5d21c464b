/**
 * Text that did not come from Switchyard — settings values, file and folder names, terminal output,
 * model output, network errors — made safe for the editor's surfaces that render markup:
 *
 * - notifications (`showWarningMessage` …) turn `[label](command:…)`, `(https://…)` and `(file:…)`
 *   links into clickable links that run commands (VS Code's `parseLinkedText`);
 * - quick-pick labels, descriptions and details render `$(icon)` syntax;
 * - `MarkdownString` tooltips render links and images (callers use `appendText` for such text);
 * - log lines are read as one line each: a newline in a value would forge the next line.
 *
 * Every function is pure and total: any value in, a bounded single-line string out. It lives in
 * the lowest layer (openrouter/, which imports nothing) so that every layer's message builders can
 * quote at the source.
 */

/**
 * C0 and C1 controls (newlines included), DEL, zero-width and bidirectional controls (the
 * "Trojan Source" characters), line and paragraph separators, BOM.
 */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]+/g;

/** The link syntax VS Code's notifications render: `[label](target)`; breaking `](` is enough. */
const LINK_JOIN = /\]\s*\(/g;
/** Autolinks (`<https://…>`) also render in Markdown surfaces. */
const ANGLE = /[<>]/g;
/** Theme-icon syntax, `$(name)`, rendered by quick picks, status-bar text and notifications' buttons. */
const ICON = /\$\(/g;

/** Default cap for one untrusted value inside a sentence (characters). */
export const UNTRUSTED_MAX = 120;

/**
 * One line of plain text: every control, zero-width and bidi character becomes a space, runs of
 * spaces collapse, and the result is cut to `max` characters (ending in "…").
 */
export function singleLine(value: unknown, max: number = UNTRUSTED_MAX): string {
  const text = typeof value === 'string' ? value : safeJson(value);
  const flat = text.replace(INVISIBLE, ' ').replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  return `${flat.slice(0, Math.max(1, max - 1))}…`;
}

/**
 * Text that can never become markup: single line, capped, link syntax broken (`](` → `] (`),
 * angle brackets and icon syntax neutralised. Readable as the original.
 */
export function inertText(value: unknown, max: number = UNTRUSTED_MAX): string {
  return singleLine(value, max)
    .replace(LINK_JOIN, '] (')
    .replace(ANGLE, (c) => (c === '<' ? '‹' : '›'))
    .replace(ICON, '$ (');
}

/** An untrusted value quoted inside a sentence: `"value"`, inert, capped. */
export function quoted(value: unknown, max: number = UNTRUSTED_MAX): string {
  return `"${inertText(value, max).replace(/"/g, "'")}"`;
}

/**
 * A whole notification message, as the last step before `show…Message`: inert (even if a builder
 * forgot to quote a value) and capped at 1000 characters.
 */
export function notificationText(message: string): string {
  return inertText(message, 1000);
}

/**
 * Quick-pick label/description/detail: single line, capped, `$(icon)` syntax escaped the way VS
 * Code's `escapeIcons` does (`\$(`), so it shows literally.
 */
export function pickText(value: unknown, max: number = 200): string {
  return singleLine(value, max).replace(ICON, '\\$(');
}

/** One log line: controls and newlines become spaces (a value cannot forge a second line); capped at 4000. */
export function logLine(message: string): string {
  return singleLine(message, 4000);
}

/**
 * Untrusted text (an attached file, terminal output) in a Markdown code fence it cannot close: the
 * fence is one backtick longer than the longest run of backticks in the text (at least three), so
 * no line of the text can end the block (CommonMark: a closing fence is at least as long as the
 * opening one). The info string keeps only language-tag characters.
 */
export function fencedBlock(text: string, language = ''): string {
  let longest = 0;
  for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(Math.max(3, longest + 1));
  const info = language.replace(/[^\w+#.-]/g, '').slice(0, 40);
  return `${fence}${info}\n${text}\n${fence}`;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
