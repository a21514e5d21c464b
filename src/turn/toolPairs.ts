/**
 * Every tool call answered, every tool result answering a call — as providers require. OpenAI,
 * Anthropic, Gemini and Mistral answer 400 to an assistant turn whose `tool_calls` are not followed
 * by a `tool` message for each id, and to a `tool` message that answers no call of the assistant
 * turn right before it. A transcript can hold either: a step stopped between the call and its
 * result, a compacted or trimmed history, another extension's messages through VS Code's Chat, a
 * result sent after the user's next message. Replayed as they are, the whole request fails.
 *
 * So, before each attempt: a call left without a result gets one that says so
 * ({@link MISSING_RESULT}), placed with the other results of its turn; a result whose call is not
 * in the turn before it (or one more than the turn has calls of its id) is kept as text in a user
 * turn after the results ({@link ORPHAN_RESULT_NOTE}), so the model still sees it. A transcript already paired
 * passes unchanged (the same objects). Pure.
 */

/** The result given to a call the transcript has no result for. */
export const MISSING_RESULT = '(no result: this call was not run or its result was lost)';

/** What an orphan result's text follows in the user turn that carries it. */
export const ORPHAN_RESULT_NOTE = 'A tool result whose call is no longer in the conversation:';

type PairMessage = {
  readonly role: string;
  readonly content?: unknown;
  readonly tool_calls?: readonly { readonly id: string }[];
  readonly tool_call_id?: string;
};

/** The text of a tool message's content (a string, or text parts). */
function resultText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((p: unknown) => (typeof p === 'object' && p && 'text' in p && typeof p.text === 'string' ? p.text : ''))
    .join('');
}

/** One assistant turn's calls being answered: each id with the calls not answered yet (a turn may repeat an id). */
type OpenTurn = Map<string, number>;

function openTurn(calls: readonly { readonly id: string }[]): OpenTurn {
  const open: OpenTurn = new Map();
  for (const { id } of calls) open.set(id, (open.get(id) ?? 0) + 1);
  return open;
}

/** The messages with every call answered and every result answering (see the module comment). */
export function pairToolResults<M>(messages: readonly M[]): M[] {
  const out: M[] = [];
  let open: OpenTurn | undefined;
  let orphans: string[] = [];
  let changed = false;
  const close = (): void => {
    for (const [id, unanswered] of open ?? []) {
      for (let n = 0; n < unanswered; n++) out.push({ role: 'tool', tool_call_id: id, content: MISSING_RESULT } as M);
      changed ||= unanswered > 0;
    }
    open = undefined;
    if (orphans.length) out.push({ role: 'user', content: orphans.join('\n\n') } as M);
    orphans = [];
  };
  for (const message of messages) {
    const m = message as PairMessage;
    if (m.role === 'tool') {
      const id = m.tool_call_id;
      const unanswered = typeof id === 'string' ? (open?.get(id) ?? 0) : 0;
      if (open && typeof id === 'string' && unanswered > 0) {
        open.set(id, unanswered - 1);
        out.push(message);
      } else {
        orphans.push(`${ORPHAN_RESULT_NOTE}\n${resultText(m.content)}`);
        changed = true;
      }
      continue;
    }
    close();
    out.push(message);
    if (m.role === 'assistant' && m.tool_calls?.length) open = openTurn(m.tool_calls);
  }
  close();
  return changed ? out : [...messages];
}
