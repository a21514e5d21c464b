/**
 * A task's transcript as read back from storage (Past Chats, the task on screen before a reload):
 * whatever an older version, a crash mid-write or a hand edit left there, it comes back as one a
 * provider accepts when the task is continued — messages of a known role with text, every tool
 * call answered right after its turn, no result without its call — and without silently losing
 * what the model saw: a call whose result was not kept gets a result saying so, and a result
 * whose call is gone stays as a note. A sound transcript comes back unchanged. Pure.
 */
import type { WireToolCall } from '../openrouter/wire';
import { toolMessage, type AgentMessage } from './transcript';

/** The result given to a stored call that has none. */
export const RESULT_NOT_KEPT = 'No result was kept for this call (the task was saved before it finished).';
/** How a stored result whose call is gone is kept. */
const LONE_RESULT = 'A tool result whose call was not kept:';

type Raw = Readonly<Record<string, unknown>>;
const isRaw = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

function isCall(v: unknown): v is WireToolCall {
  if (!isRaw(v) || typeof v.id !== 'string' || !isRaw(v.function)) return false;
  return typeof v.function.name === 'string' && typeof v.function.arguments === 'string';
}

/** One stored message made well-formed (the same object when it is), or undefined when nothing is left of it. */
function wellFormed(m: unknown): AgentMessage | undefined {
  if (!isRaw(m)) return undefined;
  switch (m.role) {
    case 'system':
    case 'user':
      return typeof m.content === 'string' ? (m as unknown as AgentMessage) : undefined;
    case 'tool': {
      if (typeof m.tool_call_id !== 'string') return undefined;
      if (typeof m.content === 'string') return m as unknown as AgentMessage;
      return toolMessage(m.tool_call_id, JSON.stringify(m.content) ?? '');
    }
    case 'assistant': {
      const raw = Array.isArray(m.tool_calls) ? m.tool_calls : [];
      const calls = raw.filter(isCall);
      const content = typeof m.content === 'string' ? m.content : null;
      if (calls.length === raw.length && (m.content === null || typeof m.content === 'string'))
        return m as unknown as AgentMessage;
      if (!calls.length && content === null) return undefined;
      const { tool_calls: _all, ...rest } = m;
      return { ...rest, role: 'assistant', content, ...(calls.length ? { tool_calls: calls } : {}) } as AgentMessage;
    }
    default:
      return undefined;
  }
}

const loneNote = (m: AgentMessage): AgentMessage => ({ role: 'user', content: `${LONE_RESULT}\n${m.content}` });

/** The stored transcript, well-formed and paired (see the file's comment). */
export function storedTranscript(raw: readonly unknown[]): AgentMessage[] {
  const list = raw.map(wellFormed).filter((m): m is AgentMessage => m !== undefined);
  const out: AgentMessage[] = [];
  for (let i = 0; i < list.length;) {
    const m = list[i++]!;
    if (m.role === 'tool') {
      out.push(loneNote(m));
      continue;
    }
    out.push(m);
    const calls = m.role === 'assistant' ? (m.tool_calls ?? []) : [];
    if (!calls.length) continue;
    const answered = new Set<string>();
    const lone: AgentMessage[] = [];
    for (; i < list.length && list[i]!.role === 'tool'; i++) {
      const r = list[i] as AgentMessage & { readonly tool_call_id: string };
      if (!calls.some((c) => c.id === r.tool_call_id) || answered.has(r.tool_call_id)) {
        lone.push(r);
        continue;
      }
      answered.add(r.tool_call_id);
      out.push(r);
    }
    for (const c of calls) if (!answered.has(c.id)) out.push(toolMessage(c.id, RESULT_NOT_KEPT));
    out.push(...lone.map(loneNote));
  }
  return out;
}
