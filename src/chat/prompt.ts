/** Builds the messages sent to the model from the conversation and the attached context. */
import type { WireContentPart, WireMessage } from '../openrouter/wire';
import { estimateTokens } from '../context/tokens';
import type { StoredMessage } from './conversation';
import { IMAGE_TOKENS } from './images';

export const SYSTEM_PROMPT =
  'You are Switchyard, a coding assistant inside VS Code. Answer precisely and concisely. ' +
  'Use Markdown; put code in fenced blocks with a language tag. When context from the editor is attached, rely on it and say when it seems incomplete.';

/** The content of a user turn: attached context blocks, then the question. */
export function userContent(text: string, context: readonly string[] = []): string {
  return context.length ? `${context.join('\n\n')}\n\n${text}` : text;
}

/** Estimated tokens of a message content: its text, plus {@link IMAGE_TOKENS} per image. */
export function contentTokens(content: string | readonly WireContentPart[]): number {
  if (typeof content === 'string') return estimateTokens(content);
  return content.reduce((n, part) => n + (part.type === 'text' ? estimateTokens(part.text) : IMAGE_TOKENS), 0);
}

/** The text of a message content (its text parts, joined). */
export function contentText(content: string | readonly WireContentPart[]): string {
  return typeof content === 'string' ? content : content.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('\n');
}

/** A stored user turn's content on the wire: its text and context, then its images (see src/chat/images.ts). */
export type TurnContent = (message: StoredMessage, text: string) => string | readonly WireContentPart[];

/** Which source a context block came from: its first line, without the truncation note. */
function contextKey(block: string): string {
  return (block.split('\n', 1)[0] ?? '').replace(/ \(truncated[^)]*\)/, '');
}

/**
 * Earlier turns worth replaying: user turns and assistant answers that carry text. A context
 * block (the same file or selection) is replayed only with its latest use, so a file attached to
 * every turn is sent once, not once per turn.
 */
function replayable(history: readonly StoredMessage[], currentContext: readonly string[], turn: TurnContent): WireMessage[] {
  const seen = new Set(currentContext.map(contextKey));
  const out: WireMessage[] = [];
  for (let i = history.length - 1; i >= 0; i--) {
    const m = history[i]!;
    if (m.role === 'user') {
      const fresh = (m.context ?? []).filter((block) => !seen.has(contextKey(block)));
      for (const block of fresh) seen.add(contextKey(block));
      out.push({ role: 'user', content: turn(m, userContent(m.text, fresh)) });
    } else if (m.text.trim()) {
      // The thinking goes back only as its `reasoning_details`, verbatim; never as `content`.
      out.push({ role: 'assistant', content: m.text, ...(m.reasoningDetails?.length ? { reasoning_details: m.reasoningDetails } : {}) });
    }
  }
  return out.reverse();
}

/**
 * System prompt + as much recent history as fits `historyBudget` tokens (oldest dropped first,
 * whole turns only) + the new user turn. `turn` gives a past user turn its images (images are
 * replayed with their turn, so the model can still talk about them).
 */
export function buildMessages(history: readonly StoredMessage[], current: WireMessage, historyBudget: number, currentContext: readonly string[] = [], turn: TurnContent = (_m, text) => text): { messages: WireMessage[]; droppedTurns: number } {
  const past = replayable(history, currentContext, turn);
  let used = 0;
  let keepFrom = past.length;
  for (let i = past.length - 1; i >= 0; i--) {
    const cost = contentTokens(past[i]!.content) + 4;
    if (used + cost > historyBudget) break;
    used += cost;
    keepFrom = i;
  }
  // Never start the replay with an orphan assistant turn.
  while (keepFrom < past.length && past[keepFrom]!.role === 'assistant') keepFrom++;
  return {
    messages: [{ role: 'system', content: SYSTEM_PROMPT }, ...past.slice(keepFrom), current],
    droppedTurns: keepFrom,
  };
}
