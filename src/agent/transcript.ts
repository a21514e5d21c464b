/**
 * The agent's conversation on the wire: the assistant message of each turn is replayed with its
 * `tool_calls` (ids unchanged) and its `reasoning_details` verbatim (Gemini and Anthropic reject
 * tool turns whose signatures were dropped), followed by one `tool` message per call with the
 * matching `tool_call_id`. When the transcript nears the context window, the oldest tool results
 * become a one-line note ("output of read_file src/x.ts elided") before anything else is cut —
 * after the images tools returned, oldest first (./toolImages.ts), which go before any result.
 * Pure.
 */
import type { WireToolCall, WireToolTurnMessage } from '../openrouter/wire';
import type { AssembledCall, ReasoningDetail } from '../turn/deltas';
import { imagesOf, imageTokens, withoutImages, type UserTurn } from './toolImages';

export type AgentMessage =
  | { readonly role: 'system'; readonly content: string }
  /** `images`: what the step's tools returned, kept as stored files (./toolImages.ts puts them on the wire). */
  | UserTurn
  | WireToolTurnMessage;

/** The assistant turn as it goes back on the next request. */
export function assistantMessage(
  text: string,
  calls: readonly AssembledCall[],
  reasoningDetails: readonly ReasoningDetail[],
): AgentMessage {
  return {
    role: 'assistant',
    content: text.length > 0 ? text : null,
    ...(calls.length
      ? {
          tool_calls: calls.map((c) => ({
            id: c.id,
            type: 'function' as const,
            function: { name: c.name, arguments: c.arguments },
          })),
        }
      : {}),
    ...(reasoningDetails.length ? { reasoning_details: reasoningDetails } : {}),
  };
}

export function toolMessage(callId: string, content: string): AgentMessage {
  return { role: 'tool', tool_call_id: callId, content };
}

/** Text of a message for counting tokens (tool-call arguments included). */
export function messageText(m: AgentMessage): string {
  if (m.role === 'assistant')
    return (m.content ?? '') + (m.tool_calls ?? []).map((c) => c.function.name + c.function.arguments).join('');
  return m.content;
}

/** The tokens of one message as a request carries it: its text, 4 for its framing, and its images. */
export function messageSize(m: AgentMessage, tokens: (text: string) => number): number {
  return tokens(messageText(m)) + 4 + imageTokens(m);
}

/** A note that replaces an elided result: `output of read_file src/x.ts elided`. */
export function elidedNote(name: string, argumentsJson: string): string {
  let subject = '';
  try {
    const args = JSON.parse(argumentsJson) as Record<string, unknown>;
    const first = ['path', 'command', 'query'].map((k) => args[k]).find((v) => typeof v === 'string');
    subject = typeof first === 'string' ? ` ${first.length > 120 ? first.slice(0, 117) + '…' : first}` : '';
  } catch {
    // Arguments that are not JSON name no subject.
  }
  return `output of ${name}${subject} elided`;
}

/**
 * Fits the transcript's estimated tokens into `budgetTokens`: the images of older steps are left
 * out first, then the oldest tool results are replaced by their one-line note (the most recent
 * images and result are always kept; `count` sizes a message: ./tokenCount.ts). Returns the
 * messages (a new array; untouched ones shared) and how many results were elided. Never drops a
 * message: the ids still pair up.
 */
export function trimTranscript(
  messages: readonly AgentMessage[],
  budgetTokens: number,
  tokens: (text: string) => number,
  count: (message: AgentMessage) => number = (m) => messageSize(m, tokens),
): { messages: AgentMessage[]; elided: number } {
  const out = [...messages];
  let total = out.reduce((n, m) => n + count(m), 0);
  if (total <= budgetTokens) return { messages: out, elided: 0 };
  const withImages = out.flatMap((m, i) => (imagesOf(m).length ? [i] : []));
  for (const i of withImages.slice(0, -1)) {
    if (total <= budgetTokens) break;
    const lighter = withoutImages(out[i] as UserTurn, 'to fit the context window');
    total += messageSize(lighter, tokens) - count(out[i]!);
    out[i] = lighter;
  }
  const callsById = new Map<string, WireToolCall>();
  for (const m of out) if (m.role === 'assistant') for (const c of m.tool_calls ?? []) callsById.set(c.id, c);
  const toolIndexes = out.flatMap((m, i) => (m.role === 'tool' ? [i] : []));
  let elided = 0;
  for (const i of toolIndexes.slice(0, -1)) {
    if (total <= budgetTokens) break;
    const m = out[i] as Extract<AgentMessage, { role: 'tool' }>;
    const call = callsById.get(m.tool_call_id);
    const note = elidedNote(call?.function.name ?? 'a tool', call?.function.arguments ?? '');
    if (m.content === note) continue;
    total += tokens(note) + 4 - count(m);
    out[i] = { role: 'tool', tool_call_id: m.tool_call_id, content: note };
    elided++;
  }
  return { messages: out, elided };
}

/** Caps a tool's output for the model: head and tail kept, the cut stated. */
export function capOutput(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const head = Math.floor(maxChars * 0.4);
  const tail = maxChars - head;
  const cut = text.length - head - tail;
  return `${text.slice(0, head)}\n[… ${cut} characters cut; the first ${head} and last ${tail} are shown …]\n${text.slice(text.length - tail)}`;
}
