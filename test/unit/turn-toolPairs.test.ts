/**
 * Tool calls and results replayed in pairs (src/turn/toolPairs.ts, through replayToolTurns and
 * attemptBody): a call without a result gets one that says so, a result without its call is kept as
 * text — whatever left them so (a stopped step, a trimmed history, another extension's messages).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MISSING_RESULT, ORPHAN_RESULT_NOTE, pairToolResults } from '../../src/turn/toolPairs';
import { replayToolTurns } from '../../src/turn/toolCalls';

type Msg = {
  role: string;
  content?: unknown;
  tool_calls?: { id: string; type: 'function'; function: { name: string; arguments: string } }[];
  tool_call_id?: string;
};

const calls = (...ids: string[]): Msg => ({
  role: 'assistant',
  content: null,
  tool_calls: ids.map((id) => ({ id, type: 'function', function: { name: 'read_file', arguments: '{}' } })),
});
const result = (id: string, content = `result of ${id}`): Msg => ({ role: 'tool', tool_call_id: id, content });
const user = (content: string): Msg => ({ role: 'user', content });

/** What a strict provider checks: each call answered once right after its turn, each result answering one. */
function pairingProblem(messages: readonly Msg[]): string | undefined {
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    if (m.role === 'tool') {
      const prev = messages
        .slice(0, i)
        .reverse()
        .find((p) => p.role !== 'tool');
      if (!prev?.tool_calls?.some((c) => c.id === m.tool_call_id)) return `messages.${i}: orphan result`;
    }
    if (m.role !== 'assistant' || !m.tool_calls?.length) continue;
    const answered: string[] = [];
    for (let j = i + 1; messages[j]?.role === 'tool'; j++) answered.push(messages[j]!.tool_call_id!);
    const ids = m.tool_calls.map((c) => c.id);
    for (const id of ids) {
      const calls = ids.filter((c) => c === id).length;
      if (answered.filter((a) => a === id).length !== calls) return `messages.${i}: ${id} answered ${answered}`;
    }
  }
  return undefined;
}

describe('tool calls and results replayed in pairs', () => {
  it('leaves a paired transcript as it is (the same messages)', () => {
    const messages = [user('task'), calls('a', 'b'), result('b'), result('a'), { role: 'assistant', content: 'done' }];
    const paired = pairToolResults(messages);
    assert.equal(paired.length, messages.length);
    paired.forEach((m, i) => assert.equal(m, messages[i]));
  });

  it('answers a call left without a result: at the end, before the next user turn, beside answered ones', () => {
    const cases: { name: string; messages: Msg[] }[] = [
      { name: 'stopped after the call', messages: [user('task'), calls('a')] },
      { name: 'the user spoke next', messages: [user('task'), calls('a'), user('go on')] },
      { name: 'one of two answered', messages: [user('task'), calls('a', 'b'), result('b'), user('go on')] },
      { name: 'an answer came next', messages: [user('t'), calls('a'), { role: 'assistant', content: 'x' }] },
    ];
    for (const { name, messages } of cases) {
      const paired = pairToolResults(messages) as Msg[];
      assert.equal(pairingProblem(paired), undefined, name);
      assert.ok(
        paired.some((m) => m.role === 'tool' && m.content === MISSING_RESULT),
        `${name}: the missing result says so`,
      );
      assert.ok(pairingProblem(messages), `${name}: the input itself was unpaired`);
    }
  });

  it('keeps a result without its call as text the model still reads', () => {
    const cases: { name: string; messages: Msg[] }[] = [
      { name: 'no call at all', messages: [user('task'), result('x', 'secret sauce'), user('next')] },
      { name: 'after the next user turn', messages: [user('t'), calls('a'), user('u'), result('a', 'late one')] },
      { name: 'answered twice', messages: [user('t'), calls('a'), result('a'), result('a', 'second answer')] },
      { name: 'id of another turn', messages: [user('t'), calls('a'), result('b', 'stray')] },
    ];
    for (const { name, messages } of cases) {
      const paired = pairToolResults(messages) as Msg[];
      assert.equal(pairingProblem(paired), undefined, name);
      const text = paired
        .filter((m) => m.role === 'user')
        .map((m) => String(m.content))
        .join('\n');
      assert.ok(text.includes(ORPHAN_RESULT_NOTE), `${name}: noted`);
      const kept = String([...messages].reverse().find((m) => m.role === 'tool')!.content);
      assert.ok(text.includes(kept), `${name}: "${kept}" is kept`);
    }
  });

  it('reads text parts of a result it keeps as text', () => {
    const parts: Msg = { role: 'tool', tool_call_id: 'zz', content: [{ type: 'text', text: 'from parts' }] };
    const paired = pairToolResults([user('t'), parts]) as Msg[];
    assert.match(String(paired.at(-1)!.content), /from parts/);
  });

  it('pairs per turn when a model reuses ids (call_0 every turn)', () => {
    const messages = [user('t'), calls('call_0'), result('call_0'), calls('call_0'), user('stop')];
    const paired = pairToolResults(messages) as Msg[];
    assert.equal(pairingProblem(paired), undefined);
    assert.equal(paired.filter((m) => m.role === 'tool').length, 2);
  });

  it('gives a turn that repeats an id as many results as calls', () => {
    const both = [user('t'), calls('a', 'a'), result('a', 'one'), result('a', 'two')];
    assert.deepEqual(pairToolResults(both), both);
    const one = pairToolResults([user('t'), calls('a', 'a'), result('a', 'one')]) as Msg[];
    assert.deepEqual(
      one.slice(2).map((m) => m.content),
      ['one', MISSING_RESULT],
    );
  });

  it('replays any transcript paired, for every provider rule (random transcripts)', () => {
    let seed = 7;
    const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % n;
    for (let round = 0; round < 400; round++) {
      const messages: Msg[] = [user('task')];
      for (let k = 0; k < 1 + rnd(8); k++) {
        const pick = rnd(5);
        if (pick === 0) messages.push(user(`u${k}`));
        else if (pick === 1)
          messages.push(calls(...Array.from({ length: 1 + rnd(3) }, (_, j) => `call_${rnd(4)}${j}`)));
        else if (pick === 2) messages.push({ role: 'assistant', content: `a${k}` });
        else messages.push(result(`call_${rnd(4)}${rnd(3)}`));
      }
      for (const model of ['anthropic/claude-sonnet-4', 'mistralai/mistral-large', 'openai/gpt-4o']) {
        const { messages: replayed } = replayToolTurns(messages, model);
        assert.equal(pairingProblem(replayed), undefined, `${model}: ${JSON.stringify(messages)}`);
      }
    }
  });
});
