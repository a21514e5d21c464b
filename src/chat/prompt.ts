/** Builds the messages sent to the model from the conversation and the attached context. */
import type { TextMessage, WireContentPart, WireMessage } from '../openrouter/wire';
import { estimateTokens } from '../context/tokens';
import type { StoredMessage } from './conversation';
import { IMAGE_TOKENS } from './images';

export const SYSTEM_PROMPT =
  'You are Switchyard, a coding assistant inside VS Code. Answer precisely and concisely. ' +
  'Use Markdown; put code in fenced blocks with a language tag. When context from the editor is attached, rely on it and say when it seems incomplete.';

/** The system message: the prompt, then the instructions in effect (the cache-stable prefix). */
export function systemPrompt(instructions = ''): string {
  return instructions.trim() ? `${SYSTEM_PROMPT}\n\n${instructions}` : SYSTEM_PROMPT;
}

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

/** A user turn's content on the wire: its text (and context), then its images (see src/chat/images.ts). */
export type TurnContent = (message: StoredMessage | undefined, text: string) => string | readonly WireContentPart[];

/** Which source a context block came from: its first line, without the truncation note. */
function contextKey(block: string): string {
  return (block.split('\n', 1)[0] ?? '').replace(/ \(truncated[^)]*\)/, '');
}

/** The line a turn carries instead of a block it attached again unchanged (the block is in an earlier turn). */
export function unchangedNote(block: string): string {
  return `(${contextKey(block).replace(/:$/, '')}: attached above, unchanged.)`;
}

/** A replayable turn of the history: user turns (with the context they were sent with) and answers with text. */
interface Entry {
  readonly role: 'user' | 'assistant';
  readonly text: string;
  readonly context: readonly string[];
  /** Assistant turns: the answer's `reasoning_details`, replayed verbatim. */
  readonly reasoningDetails?: StoredMessage['reasoningDetails'];
  /** User turns: the stored message (its images go with it). */
  readonly source?: StoredMessage;
}

function entriesOf(history: readonly StoredMessage[]): Entry[] {
  return history.flatMap((m): Entry[] => {
    if (m.role === 'user') return [{ role: 'user', text: m.text, context: m.context ?? [], source: m }];
    return m.text.trim()
      ? [
          {
            role: 'assistant',
            text: m.text,
            context: [],
            ...(m.reasoningDetails?.length ? { reasoningDetails: m.reasoningDetails } : {}),
          },
        ]
      : [];
  });
}

/** Each source once, with its latest use (`contexts[i]`: the blocks of the i-th user turn, the new turn last). */
function latestUse(contexts: readonly (readonly string[])[]): string[][] {
  const seen = new Set<string>();
  const out: string[][] = contexts.map(() => []);
  for (let i = contexts.length - 1; i >= 0; i--) {
    out[i] = contexts[i]!.filter((block) => !seen.has(contextKey(block)));
    for (const block of out[i]!) seen.add(contextKey(block));
  }
  return out;
}

/**
 * Each source once, in the earliest turn of its latest run of identical copies: a file attached
 * again unchanged stays where it was first sent (later turns get {@link unchangedNote}), so the
 * prompt's prefix is the same from turn to turn and a prompt cache can be read. A changed block
 * goes with its latest use, as in {@link latestUse}.
 */
function stablePlacement(contexts: readonly (readonly string[])[]): { blocks: string[][]; notes: string[][] } {
  const latest = new Map<string, { turn: number; block: string }>();
  contexts.forEach((list, turn) => list.forEach((block) => latest.set(contextKey(block), { turn, block })));
  const placeOf = new Map<string, number>();
  for (const [key, { turn, block }] of latest) {
    let place = turn;
    for (let t = turn - 1; t >= 0; t--) {
      const copy = contexts[t]!.find((b) => contextKey(b) === key);
      if (copy === undefined) continue;
      if (copy !== block) break;
      place = t;
    }
    placeOf.set(key, place);
  }
  const blocks = contexts.map((list, turn) =>
    list.filter((b) => placeOf.get(contextKey(b)) === turn && latest.get(contextKey(b))?.block === b),
  );
  const notes = contexts.map((list, turn) =>
    list
      .filter((b) => latest.get(contextKey(b))?.block === b && (placeOf.get(contextKey(b)) ?? turn) < turn)
      .map(unchangedNote),
  );
  return { blocks, notes };
}

/** The wire messages of `entries`, user turns with `context[k]` (the k-th user turn's blocks), recording how much of each is context. */
function toWire(
  entries: readonly Entry[],
  context: readonly (readonly string[])[],
  contextChars: Map<WireMessage, number>,
  turn: TurnContent,
): WireMessage[] {
  let k = 0;
  return entries.map((e) => {
    // The thinking goes back only as its `reasoning_details`, verbatim; never as `content`.
    if (e.role === 'assistant')
      return {
        role: 'assistant',
        content: e.text,
        ...(e.reasoningDetails?.length ? { reasoning_details: e.reasoningDetails } : {}),
      };
    const blocks = context[k++] ?? [];
    const message: WireMessage = { role: 'user', content: turn(e.source, userContent(e.text, blocks)) };
    if (blocks.length) contextChars.set(message, blocks.join('\n\n').length);
    return message;
  });
}

const textOnly: TurnContent = (_m, text) => text;

/**
 * System prompt + as much recent history as fits `historyBudget` tokens (oldest dropped first,
 * whole turns only) + the new user turn. Which turns fit is decided with each context source
 * counted once, at its latest use; the kept turns then carry each unchanged source where it was
 * first sent (see `stablePlacement`), so consecutive requests share their prefix.
 * `contextLengths[i]`: how many leading characters of message `i` are attached context (for
 * prompt-cache breakpoints, src/openrouter/promptCache.ts).
 */
export function buildMessages(
  history: readonly StoredMessage[],
  current: TextMessage,
  historyBudget: number,
  currentContext: readonly string[] = [],
  turn: TurnContent = textOnly,
  currentMessage?: StoredMessage,
  system: string = SYSTEM_PROMPT,
): { messages: WireMessage[]; droppedTurns: number; contextLengths: (number | undefined)[] } {
  const entries = entriesOf(history);
  const userContexts = entries.filter((e) => e.role === 'user').map((e) => e.context);
  const trimming = toWire(entries, latestUse([...userContexts, currentContext]), new Map(), turn);
  let used = 0;
  let keepFrom = trimming.length;
  for (let i = trimming.length - 1; i >= 0; i--) {
    const cost = contentTokens(trimming[i]!.content) + 4;
    if (used + cost > historyBudget) break;
    used += cost;
    keepFrom = i;
  }
  // Never start the replay with an orphan assistant turn.
  while (keepFrom < entries.length && entries[keepFrom]!.role === 'assistant') keepFrom++;
  const kept = entries.slice(keepFrom);
  const placed = stablePlacement([...kept.filter((e) => e.role === 'user').map((e) => e.context), currentContext]);
  const contextChars = new Map<WireMessage, number>();
  const past = toWire(
    kept,
    placed.blocks.map((blocks, k) => [...blocks, ...placed.notes[k]!]),
    contextChars,
    turn,
  );
  const text = newTurn(current, currentContext, [...placed.blocks.at(-1)!, ...placed.notes.at(-1)!], contextChars);
  // The new turn's images (if any) go after its text; its context length stays the same.
  const last: WireMessage = { ...text, content: turn(currentMessage, text.content) };
  if (contextChars.has(text)) contextChars.set(last, contextChars.get(text)!);
  const messages: WireMessage[] = [{ role: 'system', content: system }, ...past, last];
  return { messages, droppedTurns: keepFrom, contextLengths: messages.map((m) => contextChars.get(m)) };
}

/** The new turn with its context as placed (`current` is `userContent(text, currentContext)`). */
function newTurn(
  current: TextMessage,
  currentContext: readonly string[],
  context: readonly string[],
  contextChars: Map<WireMessage, number>,
): TextMessage {
  const prefix = currentContext.length ? `${currentContext.join('\n\n')}\n\n` : '';
  if (!current.content.startsWith(prefix)) return current;
  const message: TextMessage = {
    role: current.role,
    content: userContent(current.content.slice(prefix.length), context),
  };
  if (context.length) contextChars.set(message, context.join('\n\n').length);
  return message;
}
