/**
 * A scripted tool-using model (issue 12). With an agent script set, a chat request that carries
 * `tools` is answered by the first script turn whose conditions match the conversation so far:
 * its text, then its tool calls streamed in the delta shapes real providers use (id and name in
 * the first delta only and arguments in pieces; several calls interleaved; a whole call in one
 * chunk), `finish_reason: "tool_calls"`, and a usage chunk with `choices: []`.
 *
 * Before answering, the request's replay is checked like a strict provider does: every assistant
 * `tool_calls` id must be one the fake issued, unchanged; each must be answered by exactly one
 * `tool` message with that `tool_call_id` right after it; and an assistant turn that was issued
 * with `reasoning_details` must send them back verbatim. Anything else is a 400.
 */
import type { ServerResponse } from 'node:http';
import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import type { AnswerPlan } from './chat';
import { textOf, type ChatMessage } from './answer';
import { sleep } from './http';
import { SseWriter } from './sse';

const toolCallSchema = z.strictObject({
  name: z.string(),
  /** The raw arguments text (may be deliberately invalid JSON). */
  arguments: z.string(),
});

const turnSchema = z.strictObject({
  when: z
    .strictObject({
      /** Assistant messages since the last user message (0 = the first request of a task). */
      step: z.number().int().min(0).optional(),
      /** The last user message contains this. */
      userIncludes: z.string().optional(),
      /** The last message is a tool result containing this. */
      toolResultIncludes: z.string().optional(),
      /** Some tool result of the conversation contains this. */
      anyToolResultIncludes: z.string().optional(),
    })
    .optional(),
  text: z.string().optional(),
  toolCalls: z.array(toolCallSchema).optional(),
  /**
   * `pieces` (default), `interleaved` (two or more calls mixed), `whole` (each call in one chunk),
   * `cumulative` (each delta carries the call's arguments so far, as DeepSeek and Qianfan stream them).
   */
  shape: z.enum(['pieces', 'interleaved', 'whole', 'cumulative']).optional(),
  /** Stream `reasoning_details` (with a signature) that must come back verbatim. */
  reasoning: z.boolean().optional(),
  /** Answer this HTTP status instead when the request's model is one of these. */
  failFor: z.strictObject({ models: z.array(z.string()), status: z.number().int() }).optional(),
});

export const agentScriptSchema = z.strictObject({ turns: z.array(turnSchema) });
export type AgentScript = z.infer<typeof agentScriptSchema>;
export type AgentTurn = z.infer<typeof turnSchema>;

/** What the fake issued, to check the replay against. Cleared with the script. */
export class AgentLedger {
  private next = 0;
  readonly issued = new Map<string, { readonly reasoning?: readonly unknown[] }>();

  newId(): string {
    return `call_fake_${++this.next}`;
  }
}

interface WireToolCall {
  readonly id?: unknown;
  readonly function?: { readonly name?: unknown; readonly arguments?: unknown };
}

type AnyMessage = ChatMessage & {
  readonly tool_calls?: readonly WireToolCall[];
  readonly tool_call_id?: unknown;
  readonly reasoning_details?: unknown;
};

/** The 400 message for a replay a strict provider would reject, or undefined when it is fine. */
export function checkReplay(messages: readonly AnyMessage[], ledger: AgentLedger): string | undefined {
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    if (m.role === 'tool') {
      const prev = [...messages.slice(0, i)].reverse().find((p) => p.role !== 'tool');
      const ids = (prev?.tool_calls ?? []).map((c) => c.id);
      if (!ids.includes(m.tool_call_id))
        return `messages.${i}: unexpected tool_call_id ${JSON.stringify(m.tool_call_id)}: no tool call with this id in the previous assistant message`;
      continue;
    }
    if (m.role !== 'assistant' || !m.tool_calls?.length) continue;
    const ids = m.tool_calls.map((c) => c.id);
    for (const id of ids) {
      if (typeof id !== 'string' || !ledger.issued.has(id))
        return `messages.${i}: tool call id ${JSON.stringify(id)} was not issued by this model (ids must be replayed unchanged)`;
    }
    const answered = new Map<unknown, number>();
    for (let j = i + 1; j < messages.length && messages[j]!.role === 'tool'; j++)
      answered.set(messages[j]!.tool_call_id, (answered.get(messages[j]!.tool_call_id) ?? 0) + 1);
    for (const id of ids) {
      const n = answered.get(id) ?? 0;
      if (n !== 1)
        return `messages.${i}: tool_use ids were found without tool_result blocks immediately after: ${String(id)}${n > 1 ? ' (answered more than once)' : ''}`;
    }
    const expected = typeof ids[0] === 'string' ? ledger.issued.get(ids[0])?.reasoning : undefined;
    if (expected && !isDeepStrictEqual(m.reasoning_details, expected)) {
      return `messages.${i}: function call turn is missing its thought signature: reasoning_details must be sent back unchanged`;
    }
  }
  return undefined;
}

/** The first turn whose conditions hold for this conversation. */
export function chooseTurn(script: AgentScript, all: readonly AnyMessage[]): AgentTurn | undefined {
  // The user turn an agent sends right after tool results with their images is part of the results, not a request.
  const messages = all.filter(
    (m, i) => !(m.role === 'user' && all[i - 1]?.role === 'tool' && /^Attached image\(s\)/.test(textOf(m.content))),
  );
  const lastUser = messages.map((m) => m.role).lastIndexOf('user');
  const step = messages.slice(lastUser + 1).filter((m) => m.role === 'assistant').length;
  const userText = lastUser >= 0 ? textOf(messages[lastUser]!.content) : '';
  const last = messages.at(-1);
  const lastTool = last?.role === 'tool' ? textOf(last.content) : undefined;
  const tools = messages.filter((m) => m.role === 'tool').map((m) => textOf(m.content));
  return script.turns.find(
    ({ when = {} }) =>
      (when.step === undefined || when.step === step) &&
      (when.userIncludes === undefined || userText.includes(when.userIncludes)) &&
      (when.toolResultIncludes === undefined || (lastTool?.includes(when.toolResultIncludes) ?? false)) &&
      (when.anyToolResultIncludes === undefined || tools.some((t) => t.includes(when.anyToolResultIncludes!))),
  );
}

/** Splits `text` into pieces of about `size` characters. */
function split(text: string, size: number): string[] {
  if (text.length === 0) return [''];
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/** Streams one scripted turn. */
export async function streamAgentTurn(
  res: ServerResponse,
  answer: AnswerPlan,
  turn: AgentTurn,
  ledger: AgentLedger,
): Promise<void> {
  const { generation, stop } = answer;
  const sse = new SseWriter(res);
  sse.open(generation.id);
  sse.comment();
  const base = {
    id: generation.id,
    provider: generation.provider_name,
    model: generation.model,
    object: 'chat.completion.chunk',
    created: generation.created,
  };
  const chunk = async (delta: Record<string, unknown>, finish: string | null = null): Promise<boolean> => {
    if (answer.delayMs > 0) await sleep(answer.delayMs, stop);
    if (stop.aborted) return false;
    sse.data({
      ...base,
      choices: [
        { index: 0, delta: { role: 'assistant', ...delta }, finish_reason: finish, native_finish_reason: finish },
      ],
    });
    return true;
  };
  const encrypted = {
    type: 'reasoning.encrypted',
    data: Buffer.from(`redacted:${generation.id}`).toString('base64'),
    id: `rs_${generation.id}`,
    format: 'anthropic-claude-v1',
    index: 1,
  };
  const reasoning = turn.reasoning
    ? [
        {
          type: 'reasoning.text',
          text: 'Checking what the test expects.',
          signature: `sig_${generation.id}`,
          format: 'anthropic-claude-v1',
          index: 0,
        },
        encrypted,
      ]
    : undefined;
  if (reasoning) {
    if (
      !(await chunk({
        content: '',
        reasoning: 'Checking what ',
        reasoning_details: [
          { type: 'reasoning.text', text: 'Checking what ', format: 'anthropic-claude-v1', index: 0 },
        ],
      }))
    )
      return;
    if (
      !(await chunk({
        content: '',
        reasoning: 'the test expects.',
        reasoning_details: [{ type: 'reasoning.text', text: 'the test expects.', index: 0 }],
      }))
    )
      return;
    if (
      !(await chunk({
        content: '',
        reasoning_details: [{ type: 'reasoning.text', text: '', signature: `sig_${generation.id}`, index: 0 }],
      }))
    )
      return;
    // Redacted thinking: no text, only data that must come back unchanged.
    if (!(await chunk({ content: '', reasoning_details: [encrypted] }))) return;
  }
  let sent = '';
  for (const piece of turn.text ? split(turn.text, 12) : []) {
    if (!(await chunk({ content: piece }))) return answer.finish(sent, null);
    sent += piece;
  }
  const calls = (turn.toolCalls ?? []).map((c, index) => ({ ...c, index, id: ledger.newId() }));
  for (const c of calls) ledger.issued.set(c.id, reasoning ? { reasoning } : {});
  const shape = turn.shape ?? 'pieces';
  if (shape === 'whole') {
    for (const c of calls)
      if (
        !(await chunk({
          content: null,
          tool_calls: [
            { index: c.index, id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } },
          ],
        }))
      )
        return answer.finish(sent, null);
  } else {
    const queues = calls.map((c) =>
      cumulativeIf(shape === 'cumulative', split(c.arguments, 5)).map((args, k) =>
        k === 0
          ? { index: c.index, id: c.id, type: 'function', function: { name: c.name, arguments: args } }
          : { index: c.index, function: { arguments: args } },
      ),
    );
    if (shape === 'pieces' || shape === 'cumulative') {
      for (const q of queues)
        for (const d of q) if (!(await chunk({ content: null, tool_calls: [d] }))) return answer.finish(sent, null);
    } else {
      while (queues.some((q) => q.length))
        for (const q of queues)
          if (q.length && !(await chunk({ content: null, tool_calls: [q.shift()!] }))) return answer.finish(sent, null);
    }
  }
  const finish = calls.length ? 'tool_calls' : 'stop';
  sse.data({
    ...base,
    choices: [
      { index: 0, delta: { role: 'assistant', content: '' }, finish_reason: finish, native_finish_reason: finish },
    ],
  });
  answer.finish(sent + calls.map((c) => c.arguments).join(''), finish);
  sse.data({ ...base, choices: [], usage: generation.usage });
  sse.done();
  sse.end();
}

/** The pieces, or (for `cumulative`) each piece with all before it. */
function cumulativeIf(cumulative: boolean, pieces: readonly string[]): string[] {
  return pieces.map((_, k) => (cumulative ? pieces.slice(0, k + 1).join('') : pieces[k]!));
}
