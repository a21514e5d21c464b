/**
 * Inline-completion prompts (Switchyard's fill-in-the-middle prompt, src/completions/prompt.ts):
 * recognised by the `<document>` block with a `<CURSOR>` marker in the last user message, and
 * answered with a scripted insertion after a configurable latency (time to the first byte), else
 * with plausible code read from the text around the cursor (plausible.ts), or a fixed fallback.
 * Aborts are recorded like any other request's (`record.aborted`).
 */
import { textOf, type ChatMessage } from './answer';
import { plausibleCompletion } from './plausible';

/** One scripted insertion: answered when the text before the cursor ends with `after`. */
export interface ScriptedInsertion {
  readonly after: string;
  readonly insert: string;
}

/** How the fake answers completion prompts. */
export interface CompletionScript {
  /** Milliseconds before the response starts (default 0). */
  readonly latencyMs: number;
  /** Tried in order; the first whose `after` ends the text before the cursor wins. */
  readonly insertions: readonly ScriptedInsertion[];
  /** The answer when no insertion matches; unset: plausible code for the cursor ('' is no suggestion). */
  readonly fallback?: string;
}

export const DEFAULT_COMPLETION_SCRIPT: CompletionScript = { latencyMs: 0, insertions: [] };

/** The text before and after the cursor, when the request is a completion prompt. */
export function completionPromptOf(
  messages: readonly ChatMessage[],
): { readonly before: string; readonly after: string } | undefined {
  const user = [...messages].reverse().find((m) => m.role === 'user');
  const text = textOf(user?.content);
  const doc = /<document>\n([\s\S]*)\n<\/document>\s*$/.exec(text)?.[1];
  if (doc === undefined) return undefined;
  const at = doc.indexOf('<CURSOR>');
  if (at < 0) return undefined;
  return { before: doc.slice(0, at), after: doc.slice(at + '<CURSOR>'.length) };
}

/** The scripted insertion for the text before the cursor, else the fallback, else plausible code. */
export function completionAnswer(script: CompletionScript, before: string, after = ''): string {
  return (
    script.insertions.find((i) => before.endsWith(i.after))?.insert ??
    script.fallback ??
    plausibleCompletion(before, after)
  );
}
