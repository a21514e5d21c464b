/**
 * The fill-in-the-middle prompt of inline completions, sent through chat completions (the
 * OpenRouter API has no legacy completions endpoint). Everything the model sees is built here:
 *
 * - a fixed system message ({@link FIM_SYSTEM_PROMPT}) that asks for the insertion only;
 * - one user message: the language and path, up to {@link SNIPPET_LIMITS}.count short snippets of
 *   recently edited open files, a single-line or multi-line instruction, and the document around
 *   the cursor between `<document>` tags with {@link CURSOR} where the text goes.
 *
 * Nothing that looks like a credential is sent (openrouter/secrets.ts, the one secret policy):
 * every line of the fitted prefix, suffix and snippets that the content rules flag is emptied (its
 * line break kept); the provider sends nothing when the cursor's own line is such a line, or when
 * the file is secret-looking or excluded.
 *
 * The prefix and suffix are token-fitted with the project's tokenizer (`context/tokens.ts`,
 * cl100k_base): whole lines, nearest the cursor first, ~1,500 prefix and ~500 suffix tokens by
 * default. Line counts are memoised, so fitting after a keystroke counts only the changed line.
 * Documented in README › Inline completions › The prompt.
 */
import { estimateTokens } from '../context/tokens';
import { stripSecretLines } from '../openrouter/secrets';
import type { TextMessage } from '../openrouter/wire';

/** Where the insertion goes, in the document the model reads. */
export const CURSOR = '<CURSOR>';

export const FIM_SYSTEM_PROMPT = [
  'You are a code completion engine inside an editor.',
  `You receive a file with the marker ${CURSOR} where the user's cursor is.`,
  `Reply with exactly the text to insert at ${CURSOR} and nothing else:`,
  'no explanations, no Markdown code fences, and do not repeat the code before or after the cursor.',
  'Match the indentation and style of the file. If nothing useful fits, reply with an empty message.',
].join('\n');

/** Token budgets of the prompt's parts. */
export interface FimLimits {
  /** Tokens of text before the cursor (default 1,500). */
  readonly prefixTokens: number;
  /** Tokens of text after the cursor (default 500). */
  readonly suffixTokens: number;
}

export const DEFAULT_FIM_LIMITS: FimLimits = { prefixTokens: 1500, suffixTokens: 500 };

/** Snippets of other files: how many, and how large each may be (tokens). */
export const SNIPPET_LIMITS = { count: 3, tokensEach: 120 } as const;

/** A few lines of a recently edited open file. */
export interface Snippet {
  /** Workspace-relative path (or the untitled document's name). */
  readonly path: string;
  readonly text: string;
}

/** What the adapter knows about the cursor. */
export interface FimInput {
  /** Text before the cursor (the adapter may cap it; fitting keeps the lines nearest the cursor). */
  readonly prefix: string;
  /** Text after the cursor. */
  readonly suffix: string;
  /** VS Code language id, e.g. `typescript`. */
  readonly languageId: string;
  /** Workspace-relative path, or the untitled document's name. */
  readonly path: string;
  readonly snippets?: readonly Snippet[];
  /** Whether the answer may span several lines (see `postprocess.ts` › allowsMultiline). */
  readonly multiline: boolean;
  /** Most lines a multi-line answer may have. */
  readonly maxLines: number;
}

/** The request's messages and what was kept. */
export interface FimPrompt {
  readonly messages: readonly TextMessage[];
  /** The part of the prefix that was sent (a tail of the input's prefix). */
  readonly prefix: string;
  /** The part of the suffix that was sent (a head of the input's suffix). */
  readonly suffix: string;
  /** Prompt tokens (cl100k_base), for the route's worst-case cost. */
  readonly promptTokens: number;
}

const LINE_MEMO_SIZE = 4096;
const lineMemo = new Map<string, number>();

/** Tokens of one line (with its newline), memoised: after a keystroke only the edited line is new. */
function lineTokens(line: string): number {
  const known = lineMemo.get(line);
  if (known !== undefined) return known;
  const count = estimateTokens(line) + 1;
  if (lineMemo.size >= LINE_MEMO_SIZE) lineMemo.delete(lineMemo.keys().next().value as string);
  lineMemo.set(line, count);
  return count;
}

/** About four characters per token: the cut of one overlong (minified) line. */
const CHARS_PER_TOKEN = 4;

/**
 * The tail of `prefix` that fits `budget` tokens: the cursor's line (cut from its start when it
 * alone is too long), then whole lines going up while they fit.
 */
export function fitPrefix(prefix: string, budget: number): string {
  const lines = prefix.split('\n');
  const last = lines.pop() ?? '';
  let kept = last.length > budget * CHARS_PER_TOKEN ? last.slice(-budget * CHARS_PER_TOKEN) : last;
  let used = kept ? lineTokens(kept) - 1 : 0;
  for (let i = lines.length - 1; i >= 0; i--) {
    const cost = lineTokens(lines[i]!);
    if (used + cost > budget) break;
    used += cost;
    kept = `${lines[i]!}\n${kept}`;
  }
  return kept;
}

/**
 * The head of `suffix` that fits `budget` tokens: the rest of the cursor's line (cut when too
 * long), then whole lines going down while they fit.
 */
export function fitSuffix(suffix: string, budget: number): string {
  const lines = suffix.split('\n');
  const first = lines.shift() ?? '';
  let kept = first.length > budget * CHARS_PER_TOKEN ? first.slice(0, budget * CHARS_PER_TOKEN) : first;
  let used = kept ? lineTokens(kept) - 1 : 0;
  for (const line of lines) {
    const cost = lineTokens(line);
    if (used + cost > budget) break;
    used += cost;
    kept = `${kept}\n${line}`;
  }
  return kept;
}

/** A snippet cut to its token share (whole lines from the top), or undefined when empty. */
function fitSnippet(snippet: Snippet): Snippet | undefined {
  const text = stripSecretLines(fitSuffix(snippet.text.replace(/\s+$/, ''), SNIPPET_LIMITS.tokensEach)).replace(
    /\s+$/,
    '',
  );
  return text.trim() ? { path: snippet.path, text } : undefined;
}

/** Builds the prompt; pure and deterministic (exact outputs are unit-tested). */
export function buildFimPrompt(input: FimInput, limits: FimLimits = DEFAULT_FIM_LIMITS): FimPrompt {
  const prefix = stripSecretLines(fitPrefix(input.prefix, limits.prefixTokens));
  const suffix = stripSecretLines(fitSuffix(input.suffix, limits.suffixTokens));
  const snippets = (input.snippets ?? [])
    .filter((s) => s.path !== input.path)
    .slice(0, SNIPPET_LIMITS.count)
    .map(fitSnippet)
    .filter((s): s is Snippet => s !== undefined);
  const parts: string[] = [`Language: ${input.languageId}`, `File: ${input.path}`];
  if (snippets.length) {
    parts.push('', 'Recently edited code in other files (for reference only):');
    for (const s of snippets) parts.push(`--- ${s.path}`, s.text);
  }
  parts.push(
    '',
    input.multiline
      ? `Complete the code at ${CURSOR}: the rest of the statement or block, at most ${input.maxLines} lines.`
      : `Complete the code at ${CURSOR}: the rest of the current line only.`,
  );
  const header = parts.join('\n');
  const user = `${header}\n<document>\n${prefix}${CURSOR}${suffix}\n</document>`;
  const messages: TextMessage[] = [
    { role: 'system', content: FIM_SYSTEM_PROMPT },
    { role: 'user', content: user },
  ];
  // The fitted parts were counted line by line (memoised); the rest is small: count it whole.
  const promptTokens =
    systemTokens() + estimateTokens(header) + countFitted(prefix) + countFitted(suffix) + DOCUMENT_TAG_TOKENS;
  return { messages, prefix, suffix, promptTokens };
}

/** `<document>`, `</document>`, the cursor marker and message framing. */
const DOCUMENT_TAG_TOKENS = 16;
let systemCount: number | undefined;
function systemTokens(): number {
  systemCount ??= estimateTokens(FIM_SYSTEM_PROMPT);
  return systemCount;
}

function countFitted(text: string): number {
  if (!text) return 0;
  return text.split('\n').reduce((sum, line) => sum + lineTokens(line), 0);
}
