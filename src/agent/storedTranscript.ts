/**
 * A task's transcript as read back from storage (Past Chats, the task on screen before a reload):
 * whatever an older version, a crash mid-write or a hand edit left there, it comes back as one a
 * provider accepts when the task is continued — messages of a known role with text (a malformed
 * call or message is left out, a result that is not text is written as JSON), then every tool
 * call answered right after its turn and no result without its call, as every request is paired
 * (../turn/toolPairs.ts: a missing result is said to be missing, a lone result stays as a note).
 * A sound transcript comes back unchanged. Pure.
 */
import type { WireToolCall } from '../openrouter/wire';
import { pairToolResults } from '../turn/toolPairs';
import { toolMessage, type AgentMessage } from './transcript';

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

/** The stored transcript: well-formed messages, then paired as every request is (../turn/toolPairs.ts). */
export function storedTranscript(raw: readonly unknown[]): AgentMessage[] {
  const list = raw.map(wellFormed).filter((m): m is AgentMessage => m !== undefined);
  return pairToolResults(list);
}
