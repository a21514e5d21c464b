/** Builds the messages sent to the model from the conversation and the attached context. */
import type { WireMessage } from '../openrouter/wire';
import { estimateTokens } from '../context/tokens';
import type { StoredMessage } from './conversation';

export const SYSTEM_PROMPT =
  'You are Switchyard, a coding assistant inside VS Code. Answer precisely and concisely. ' +
  'Use Markdown; put code in fenced blocks with a language tag. When context from the editor is attached, rely on it and say when it seems incomplete.';

/** The content of a user turn: attached context blocks, then the question. */
export function userContent(text: string, context: readonly string[] = []): string {
  return context.length ? `${context.join('\n\n')}\n\n${text}` : text;
}

/** Which source a context block came from: its first line, without the truncation note. */
function contextKey(block: string): string {
  return (block.split('\n', 1)[0] ?? '').replace(/ \(truncated[^)]*\)/, '');
}

/**
 * Earlier turns worth replaying: user turns and assistant answers that carry text. A context
 * block (the same file or selection) is replayed only with its latest use, so a file attached to
 * every turn is sent once, not once per turn.
 */
function replayable(history: readonly StoredMessage[], currentContext: readonly string[], contextChars: Map<WireMessage, number>): WireMessage[] {
  const seen = new Set(currentContext.map(contextKey));
  const out: WireMessage[] = [];
  for (let i = history.length - 1; i >= 0; i--) {
    const m = history[i]!;
    if (m.role === 'user') {
      const fresh = (m.context ?? []).filter((block) => !seen.has(contextKey(block)));
      for (const block of fresh) seen.add(contextKey(block));
      const message: WireMessage = { role: 'user', content: userContent(m.text, fresh) };
      if (fresh.length) contextChars.set(message, fresh.join('\n\n').length);
      out.push(message);
    } else if (m.text.trim()) {
      out.push({ role: 'assistant', content: m.text });
    }
  }
  return out.reverse();
}

/**
 * System prompt + as much recent history as fits `historyBudget` tokens (oldest dropped first,
 * whole turns only) + the new user turn. `contextLengths[i]`: how many leading characters of
 * message `i` are attached context (for prompt-cache breakpoints, src/openrouter/promptCache.ts).
 */
export function buildMessages(history: readonly StoredMessage[], current: WireMessage, historyBudget: number, currentContext: readonly string[] = []): { messages: WireMessage[]; droppedTurns: number; contextLengths: (number | undefined)[] } {
  const contextChars = new Map<WireMessage, number>();
  const past = replayable(history, currentContext, contextChars);
  if (currentContext.length) contextChars.set(current, currentContext.join('\n\n').length);
  let used = 0;
  let keepFrom = past.length;
  for (let i = past.length - 1; i >= 0; i--) {
    const cost = estimateTokens(past[i]!.content) + 4;
    if (used + cost > historyBudget) break;
    used += cost;
    keepFrom = i;
  }
  // Never start the replay with an orphan assistant turn.
  while (keepFrom < past.length && past[keepFrom]!.role === 'assistant') keepFrom++;
  const messages: WireMessage[] = [{ role: 'system', content: SYSTEM_PROMPT }, ...past.slice(keepFrom), current];
  return { messages, droppedTurns: keepFrom, contextLengths: messages.map((m) => contextChars.get(m)) };
}
