import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CUT_CALL_RESULT, CUT_OFF_NOTE, runAgentLoop, type LoopDeps, type TurnResult } from '../../src/agent/loop';
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

  describe('a turn cut off at the output limit (finish_reason length) is never the end of the task', () => {
    const content = (m: AgentMessage | undefined): string =>
      typeof m?.content === 'string' ? m.content : JSON.stringify(m?.content);

    for (const reason of ['length', 'max_tokens', 'MAX_OUTPUT_TOKENS', 'MAX_TOKENS', 'model_context_window_exceeded'])
      it(`does not run a call whose arguments the limit cut short (${reason}), runs the whole ones, tells the model why`, async () => {
        const ran: string[] = [];
        const { d, executed, seen } = deps(
          (step) =>
            step === 1
              ? {
                  text: '',
                  calls: [
                    { index: 0, id: 'whole', name: 'read_file', arguments: '{"path":"a.ts"}' },
                    { index: 1, id: 'mcp', name: 'mcp__db__query', arguments: '{"sql":"select 1"}' },
                    { index: 2, id: 'cut', name: 'write_file', arguments: '{"path":"big.ts","content":"line 1\\nline' },
                    { index: 3, id: 'cut_mcp', name: 'mcp__db__query', arguments: '{"sql":"select' },
                    { index: 4, id: 'empty', name: 'write_file', arguments: '' },
                  ],
                  reasoningDetails: [],
                  finishReason: reason,
                }
              : { text: 'ok', calls: [], reasoningDetails: [], finishReason: 'stop' },
          {
            extra: {
              handles: (name) => name.startsWith('mcp__'),
              run: async (call) => {
                ran.push(call.id);
                return { status: 'done', content: 'rows' };
              },
            },
          },
        );
        const r = await runAgentLoop(start, d);
        assert.equal(r.reason, 'done');
        assert.deepEqual(
          executed.map((c) => c.id),
          ['whole'],
        );
        assert.deepEqual(ran, ['mcp']);
        const results = seen[1]!.filter((m) => m.role === 'tool');
        assert.deepEqual(
          results.map((m) => [m.role === 'tool' ? m.tool_call_id : '', content(m) === CUT_CALL_RESULT]),
          [
            ['whole', false],
            ['mcp', false],
            ['cut', true],
            ['cut_mcp', true],
            ['empty', true],
          ],
        );
      });

    it('asks once to go on after cut-off text, and a second cut-off ends the task (bounded)', async () => {
      const { d, seen } = deps((step) => ({
        text: step === 1 ? 'Here is the summary: first' : step === 2 ? ' second part' : 'never asked',
        calls: [],
        reasoningDetails: [],
        finishReason: 'length',
      }));
      const events: string[] = [];
      const r = await runAgentLoop(start, { ...d, onEvent: (e) => e.kind === 'nudge' && events.push(e.notice) });
      assert.equal(r.reason, 'done');
      assert.equal(r.steps, 2);
      const second = seen[1]!;
      assert.equal(content(second.at(-2)), 'Here is the summary: first', 'the cut-off text is kept for the model');
      assert.equal(content(second.at(-1)), CUT_OFF_NOTE);
      assert.match(events[0] ?? '', /output limit/);
    });

    it('a turn whose thinking used up the limit (no text, no call) is asked to continue, not told it sent nothing', async () => {
      const { d, seen } = deps((step) =>
        step === 1
          ? { text: '', calls: [], reasoningDetails: [], finishReason: 'length' }
          : { text: 'Done.', calls: [], reasoningDetails: [], finishReason: 'stop' },
      );
      const r = await runAgentLoop(start, d);
      assert.equal(r.reason, 'done');
      assert.equal(r.finalText, 'Done.');
      assert.equal(content(seen[1]!.at(-1)), CUT_OFF_NOTE);
    });
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
