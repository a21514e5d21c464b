/**
 * A stored task whose transcript is damaged (an older version, a crash mid-write, a hand edit):
 * read back, it is always one a provider accepts on Continue — every tool call answered right
 * after its turn, no result without its call, no message of an unknown role or without text —
 * and nothing the user or the model saw is silently dropped: a call without its result gets a
 * result saying none was kept, a result without its call is kept as a note.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readTaskRecord } from '../../src/agent/taskHistory';
import { MISSING_RESULT } from '../../src/turn/toolPairs';
import type { AgentMessage } from '../../src/agent/transcript';

const call = (id: string, name = 'read_file') => ({ id, type: 'function', function: { name, arguments: '{}' } });
const turn = (...ids: string[]) => ({ role: 'assistant', content: null, tool_calls: ids.map((id) => call(id)) });
const result = (id: string, content: unknown = `result ${id}`) => ({ role: 'tool', tool_call_id: id, content });

/** What a strict provider (OpenAI, Anthropic through OpenRouter) checks in a transcript. */
function problems(messages: readonly AgentMessage[]): string[] {
  const found: string[] = [];
  messages.forEach((m, i) => {
    if (!['system', 'user', 'assistant', 'tool'].includes(m.role)) found.push(`${i}: role ${String(m.role)}`);
    if (m.role === 'assistant') {
      if (m.content !== null && typeof m.content !== 'string') found.push(`${i}: assistant content`);
      const ids = (m.tool_calls ?? []).map((c) => c.id);
      const after: string[] = [];
      for (let j = i + 1; j < messages.length && messages[j]!.role === 'tool'; j++)
        after.push((messages[j] as { tool_call_id: string }).tool_call_id);
      for (const id of ids) if (!after.includes(id)) found.push(`${i}: call ${id} unanswered`);
      for (const c of m.tool_calls ?? [])
        if (typeof c.function?.name !== 'string' || typeof c.function.arguments !== 'string')
          found.push(`${i}: call ${c.id} malformed`);
    } else if (typeof m.content !== 'string') found.push(`${i}: ${m.role} content`);
    if (m.role === 'tool') {
      const owner = [...messages.slice(0, i)].reverse().find((p) => p.role !== 'tool');
      if (owner?.role !== 'assistant' || !(owner.tool_calls ?? []).some((c) => c.id === m.tool_call_id))
        found.push(`${i}: result ${m.tool_call_id} without its call`);
    }
  });
  return found;
}

const DAMAGED: [string, unknown[]][] = [
  ['a call whose result was not saved (crash mid-step)', [turn('a'), result('a'), turn('b')]],
  ['one of two calls answered', [turn('a', 'b'), result('b')]],
  ['a result without its call', [turn('a'), result('a'), result('zz'), { role: 'user', content: 'go on' }]],
  ['a result after a user message', [turn('a'), { role: 'user', content: 'note' }, result('a')]],
  ['a result first', [result('a'), { role: 'user', content: 'hi' }]],
  [
    'messages of no known role or without text',
    [{ role: 'narrator', content: 'x' }, { role: 'user' }, { role: 'user', content: 42 }, { content: 'x' }],
  ],
  ['a malformed call', [{ role: 'assistant', content: 'go', tool_calls: [{ id: 'a' }, null, call('b')] }, result('b')]],
  ['a result whose text is not text', [turn('a'), result('a', { lines: 3 })]],
];

describe('a damaged stored transcript reads back as one a provider accepts', () => {
  for (const [name, transcript] of DAMAGED)
    it(name, () => {
      const record = readTaskRecord(
        {
          messages: [{ id: 'u', role: 'user', text: 'fix it', status: 'done', createdAt: 1 }],
          transcript: [{ role: 'system', content: 'sys' }, { role: 'user', content: 'fix it' }, ...transcript],
        },
        'id',
      )!;
      assert.deepEqual(problems(record.transcript), []);
      assert.deepEqual(record.transcript.slice(0, 2), [
        { role: 'system', content: 'sys' },
        { role: 'user', content: 'fix it' },
      ]);
    });

  it('loses nothing the model saw: a missing result is said to be missing, a lone result kept as a note', () => {
    const record = readTaskRecord(
      { messages: [], transcript: [turn('a', 'b'), result('b', 'B'), result('zz', 'the orphan text')] },
      'id',
    )!;
    const text = JSON.stringify(record.transcript);
    assert.ok(text.includes(JSON.stringify({ role: 'tool', tool_call_id: 'a', content: MISSING_RESULT })), text);
    assert.match(text, /the orphan text/);
  });

  it('leaves a sound transcript exactly as it was', () => {
    const sound = [
      { role: 'system', content: 's' },
      { role: 'user', content: 'u' },
      turn('a', 'b'),
      result('a'),
      result('b'),
    ];
    assert.deepEqual(readTaskRecord({ messages: [], transcript: sound }, 'id')!.transcript, sound);
  });
});
