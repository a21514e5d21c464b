import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runAgentLoop, type LoopDeps, type TurnResult } from '../../src/agent/loop';
import type { ToolCall } from '../../src/agent/tools';
import type { AgentMessage } from '../../src/agent/transcript';

const start: AgentMessage[] = [
  { role: 'system', content: 'sys' },
  { role: 'user', content: 'make the test pass' },
];
const readCall = (id: string): TurnResult => ({
  text: '',
  calls: [{ index: 0, id, name: 'read_file', arguments: '{"path":"a.ts"}' }],
  reasoningDetails: [],
  costUsd: 0.01,
});

function deps(turns: (step: number, messages: readonly AgentMessage[]) => TurnResult, extra: Partial<LoopDeps> = {}) {
  const executed: ToolCall[] = [];
  const seen: AgentMessage[][] = [];
  const d: LoopDeps = {
    turn: async (messages, step) => {
      seen.push([...messages]);
      return turns(step, messages);
    },
    execute: async (call) => {
      executed.push(call);
      return { status: 'done', content: `result of ${call.id}` };
    },
    aborted: () => false,
    ...extra,
  };
  return { d, executed, seen };
}

describe('agent loop', () => {
  it('runs calls, replays them with results, and ends when the model answers without calls', async () => {
    const { d, executed, seen } = deps((step) =>
      step === 1 ? readCall('c1') : { text: 'All green.', calls: [], reasoningDetails: [] },
    );
    const r = await runAgentLoop(start, d);
    assert.equal(r.reason, 'done');
    assert.equal(r.steps, 2);
    assert.equal(r.finalText, 'All green.');
    assert.equal(executed.length, 1);
    assert.deepEqual(seen[1]!.slice(2), [
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'c1', type: 'function', function: { name: 'read_file', arguments: '{"path":"a.ts"}' } }],
      },
      { role: 'tool', tool_call_id: 'c1', content: 'result of c1' },
    ]);
  });

  it('stops at maxSteps', async () => {
    const { d, executed } = deps((step) => readCall(`c${step}`));
    const r = await runAgentLoop(start, d, { maxSteps: 3 });
    assert.equal(r.reason, 'maxSteps');
    assert.equal(executed.length, 3);
  });

  it('ends once the spend reaches the task budget', async () => {
    const { d } = deps((step) => readCall(`c${step}`));
    const r = await runAgentLoop(start, d, { budgetUsd: 0.025 });
    assert.equal(r.reason, 'budget');
    assert.equal(r.steps, 3);
    assert.ok(Math.abs(r.spentUsd - 0.03) < 1e-9);
  });

  it('on Stop runs nothing further and still pairs every call id with a result', async () => {
    let stopped = false;
    const { d, executed, seen } = deps(
      () => ({
        text: '',
        calls: [
          { index: 0, id: 'a', name: 'run_command', arguments: '{"command":"x"}' },
          { index: 1, id: 'b', name: 'read_file', arguments: '{"path":"y"}' },
        ],
        reasoningDetails: [],
      }),
      {
        aborted: () => stopped,
        execute: async (call) => {
          stopped = true;
          return { status: 'failed', content: `interrupted ${call.id}` };
        },
      },
    );
    const r = await runAgentLoop(start, d);
    assert.equal(r.reason, 'stopped');
    assert.equal(seen.length, 1);
    assert.deepEqual(r.messages.slice(-2), [
      { role: 'tool', tool_call_id: 'a', content: 'interrupted a' },
      { role: 'tool', tool_call_id: 'b', content: 'Not run: the user stopped the task.' },
    ]);
    assert.equal(executed.length, 0);
  });

  it('answers arguments that are not valid JSON with an error result instead of crashing', async () => {
    const { d, executed, seen } = deps((step) =>
      step === 1
        ? {
            text: '',
            calls: [{ index: 0, id: 'bad', name: 'read_file', arguments: '{"path": "a.ts"' }],
            reasoningDetails: [],
          }
        : { text: 'ok', calls: [], reasoningDetails: [] },
    );
    const r = await runAgentLoop(start, d);
    assert.equal(r.reason, 'done');
    assert.equal(executed.length, 0);
    const tool = seen[1]!.at(-1)!;
    assert.equal(tool.role, 'tool');
    assert.match(tool.role === 'tool' ? tool.content : '', /^Error: arguments of read_file were not valid JSON: /);
  });

  for (const [args, words] of [
    ['{"path": "a.ts", "start_line": 0}', 'start_line should be at least 1'],
    ['{"file": "a.ts"}', 'path is required'],
    ['[1]', 'the arguments should be an object'],
  ] as const)
    it(`answers arguments its schema refuses (${args}) with an error result the model reads, running nothing`, async () => {
      const { d, executed, seen } = deps((step) =>
        step === 1
          ? { text: '', calls: [{ index: 0, id: 'bad', name: 'read_file', arguments: args }], reasoningDetails: [] }
          : { text: 'ok', calls: [], reasoningDetails: [] },
      );
      const r = await runAgentLoop(start, d);
      assert.equal(r.reason, 'done');
      assert.equal(executed.length, 0);
      const tool = seen[1]!.at(-1)!;
      assert.equal(tool.role === 'tool' ? tool.content : '', `Error: arguments of read_file are invalid: ${words}`);
    });

  it('adds notes (a restored checkpoint) before the next request and elides old results past the context', async () => {
    const notes = ['The user restored the checkpoint before step 1.'];
    const { d, seen } = deps(
      (step) => (step < 3 ? readCall(`c${step}`) : { text: 'done', calls: [], reasoningDetails: [] }),
      {
        execute: async (call) => ({ status: 'done', content: 'x'.repeat(2000) + call.id }),
        takeNotes: () => notes.splice(0),
      },
    );
    const r = await runAgentLoop(start, d, { contextTokens: 700 });
    assert.equal(r.reason, 'done');
    assert.deepEqual(seen[0]!.at(-1), {
      role: 'user',
      content: notes.length === 0 ? 'The user restored the checkpoint before step 1.' : '',
    });
    const third = seen[2]!;
    assert.ok(third.some((m) => m.role === 'tool' && m.content === 'output of read_file a.ts elided'));
  });
});
