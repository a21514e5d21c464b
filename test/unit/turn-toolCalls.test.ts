/**
 * Tool calls that survive any model (src/turn/toolCalls.ts, textualCalls.ts, agent/loop.ts):
 * ids replayed per the target model's rules (call and result alike, originals kept), arguments a
 * provider accepts, duplicate ids made unique, empty assistant turns never replayed, and tool
 * calls written as text recognised in their common forms.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  EMPTY_TURN_NOTE,
  runAgentLoop,
  TEXT_CALLS_NOTE,
  type LoopDeps,
  type LoopEvent,
  type TurnResult,
} from '../../src/agent/loop';
import type { ToolCall } from '../../src/agent/tools';
import type { AgentMessage } from '../../src/agent/transcript';
import { textualToolCalls } from '../../src/turn/textualCalls';
import { attemptBody } from '../../src/turn/attemptBody';
import { normaliseToolId, replayArguments, replayToolTurns, toolIdRule, uniqueCallIds } from '../../src/turn/toolCalls';

type Msg = {
  role: string;
  content?: unknown;
  tool_calls?: { id: string; type: 'function'; function: { name: string; arguments: string } }[];
  tool_call_id?: string;
};

const call = (id: string, name = 'read_file', args = '{"path":"a.ts"}') => ({
  id,
  type: 'function' as const,
  function: { name, arguments: args },
});

/** A transcript whose ids come from another model (a failover mid-task). */
function transcriptWith(ids: readonly string[]): Msg[] {
  return [
    { role: 'system', content: 'sys' },
    { role: 'user', content: 'task' },
    { role: 'assistant', content: null, tool_calls: ids.map((id) => call(id)) },
    ...ids.map((id) => ({ role: 'tool', tool_call_id: id, content: `result of ${id}` })),
  ];
}

/** Every call id of the replay has a result right after it with the same id, and the ids obey `rule`. */
function assertPaired(messages: readonly Msg[], model: string): void {
  const rule = toolIdRule(model);
  messages.forEach((m, i) => {
    if (m.role !== 'assistant' || !m.tool_calls) return;
    const results = messages.slice(i + 1).filter((_, k) => messages[i + 1 + k]!.role === 'tool');
    const ids = m.tool_calls.map((c) => c.id);
    for (const id of ids) assert.match(id, rule.pattern, `${id} obeys ${model}'s rule`);
    assert.deepEqual(
      results.slice(0, ids.length).map((r) => r.tool_call_id),
      ids,
      "results carry their call's id",
    );
  });
}

const FOREIGN_IDS = [
  ['toolu_01A09q90qw90lq917835lq9'], // Anthropic
  ['call_abc123DEF456ghi789JKL012mno345PQR678stu'], // OpenAI, 45 characters
  ['functions.read_file:0', 'functions.list_files:1'], // Kimi / Moonshot
  ['tool_0_read_file', 'tool_1_read_file'], // Gemini through some gateways
  ['a1b2C3d4E'], // Mistral, exactly 9
  ['call 1', 'call/2', 'ünïcødé'], // spaces, slashes, non-ASCII
  ['x'.repeat(80)], // too long for anyone
];

describe('tool-call ids per target model', () => {
  for (const model of [
    'mistralai/mistral-small',
    'anthropic/claude-sonnet-4',
    'openai/gpt-4o-mini',
    'google/gemini-2.5-flash',
  ]) {
    for (const ids of FOREIGN_IDS) {
      it(`${model} gets ${JSON.stringify(ids).slice(0, 60)} as ids it accepts, call and result alike`, () => {
        const { messages, originals } = replayToolTurns(transcriptWith(ids), model);
        assertPaired(messages, model);
        const replayed = (messages[2] as Msg).tool_calls!.map((c) => c.id);
        assert.deepEqual(
          replayed.map((id) => originals.get(id)),
          ids,
          'each maps back to its original',
        );
        assert.equal(new Set(replayed).size, ids.length, 'still distinct');
      });
    }
  }

  it('keeps an id the target accepts unchanged (a replay the issuing provider checks)', () => {
    const { messages } = replayToolTurns(transcriptWith(['call_fake_1']), 'anthropic/claude-sonnet-4');
    assert.equal((messages[2] as Msg).tool_calls![0]!.id, 'call_fake_1');
  });

  it('is deterministic: the same transcript replays the same ids on every step', () => {
    const a = replayToolTurns(transcriptWith(['call 1']), 'mistralai/mistral-small').messages;
    const b = replayToolTurns(transcriptWith(['call 1']), 'mistralai/mistral-small').messages;
    assert.deepEqual(a, b);
  });

  it('makes duplicate ids across assistant turns unique (a model that restarts its ids)', () => {
    const twice = [
      ...transcriptWith(['call_0']),
      { role: 'assistant', content: null, tool_calls: [call('call_0', 'list_files', '{}')] },
      { role: 'tool', tool_call_id: 'call_0', content: 'second' },
    ];
    const { messages } = replayToolTurns(twice, 'anthropic/claude-sonnet-4');
    assertPaired(messages, 'anthropic/claude-sonnet-4');
    const ids = messages.flatMap((m) => (m as Msg).tool_calls?.map((c) => c.id) ?? []);
    assert.equal(new Set(ids).size, 2);
    assert.equal((messages.at(-1) as Msg).content, 'second');
    assert.equal((messages.at(-1) as Msg).tool_call_id, ids[1]);
  });

  it('gives each of two calls of one turn with the same id a result of its own (a caller’s transcript)', () => {
    for (const [model, ids] of [
      ['anthropic/claude-sonnet-4', ['call_0', 'call_0']],
      ['mistralai/mistral-small', ['toolu_01', 'toolu_01', 'toolu_02']],
      ['openai/gpt-4o-mini', ['same', 'other', 'same', 'same']],
    ] as const) {
      const { messages } = replayToolTurns(transcriptWith(ids), model);
      assertPaired(messages, model);
      const replayed = (messages[2] as Msg).tool_calls!.map((c) => c.id);
      assert.equal(new Set(replayed).size, ids.length, `${model}: distinct`);
      assert.deepEqual(
        messages.slice(3).map((m) => (m as Msg).content),
        ids.map((id) => `result of ${id}`),
        'results keep their order',
      );
    }
  });

  it('obeys every model of a `models` list (OpenRouter may fall back to any): the strictest rule', () => {
    for (const [models, strictest] of [
      [['anthropic/claude-sonnet-4', 'mistralai/mistral-large'], 'mistralai/x'],
      [['anthropic/claude-sonnet-4', 'openai/gpt-4o-mini'], 'openai/x'],
      [['~anthropic/claude-sonnet-latest', 'anthropic/claude-opus-4'], 'anthropic/x'],
      [['openai/gpt-4o', '~mistralai/mistral-medium-latest'], 'mistralai/x'],
    ] as const) {
      assert.deepEqual(toolIdRule(models), toolIdRule(strictest), models.join(', '));
      for (const ids of FOREIGN_IDS) assertPaired(replayToolTurns(transcriptWith(ids), models).messages, strictest);
    }
    // The attempt that sends the list replays for all of it; the one-model attempts after it for their model.
    const draft = { body: { messages: transcriptWith(['toolu_01A09q90qw90lq917835lq9']) } } as const;
    const env = { modelInfo: () => undefined };
    const listed = attemptBody(
      draft as never,
      { model: 'anthropic/claude-sonnet-4', models: ['anthropic/claude-sonnet-4', 'mistralai/mistral-large'] },
      env,
    );
    assertPaired(listed.body.messages as Msg[], 'mistralai/x');
    const alone = attemptBody(draft as never, { model: 'anthropic/claude-sonnet-4' }, env);
    assert.equal((alone.body.messages[2] as Msg).tool_calls![0]!.id, 'toolu_01A09q90qw90lq917835lq9');
  });

  it('and uniqueCallIds renames a fresh call whose id the transcript holds', () => {
    const out = uniqueCallIds([{ id: 'call_0' }, { id: 'call_1' }, { id: 'call_0' }], new Set(['call_0']));
    assert.equal(new Set(out.map((c) => c.id)).size, 3);
    assert.equal(out[1]!.id, 'call_1');
    assert.notEqual(out[0]!.id, 'call_0');
  });

  it('normaliseToolId never returns a taken id', () => {
    const taken = new Set<string>();
    for (let i = 0; i < 200; i++) taken.add(normaliseToolId('same', toolIdRule('mistralai/x'), taken));
    assert.equal(taken.size, 200);
  });
});

describe('tool-call arguments and empty turns on replay', () => {
  for (const [args, expected] of [
    ['', '{}'],
    ['   ', '{}'],
    ['\n\t', '{}'],
    ['{"path":"a"}', '{"path":"a"}'],
    ['{"path":', '{}'],
    ['null', '{}'],
    ['[1]', '{}'],
    ['"text"', '{}'],
    ['not json', '{}'],
  ] as const) {
    it(`arguments ${JSON.stringify(args)} are replayed as ${expected}`, () => {
      assert.equal(replayArguments(args), expected);
      const { messages } = replayToolTurns(
        [
          { role: 'assistant', content: null, tool_calls: [call('c1', 'list_files', args)] },
          { role: 'tool', tool_call_id: 'c1', content: 'r' },
        ],
        'openai/gpt-4o-mini',
      );
      assert.equal((messages[0] as Msg).tool_calls![0]!.function.arguments, expected);
    });
  }

  for (const empty of [
    { role: 'assistant', content: null },
    { role: 'assistant', content: '' },
    { role: 'assistant', content: '  \n' },
    { role: 'assistant', content: null, tool_calls: [] },
  ]) {
    it(`an empty assistant turn (${JSON.stringify(empty)}) is not replayed`, () => {
      const { messages } = replayToolTurns(
        [{ role: 'user', content: 'go' }, empty, { role: 'user', content: 'go on' }],
        'anthropic/claude-sonnet-4',
      );
      assert.deepEqual(
        messages.map((m) => (m as Msg).role),
        ['user', 'user'],
      );
    });
  }

  it('chat messages pass unchanged', () => {
    const chat = [
      { role: 'system', content: 's' },
      { role: 'user', content: 'q' },
      { role: 'assistant', content: 'a', reasoning_details: [{ type: 'reasoning.text', text: 't' }] },
    ];
    assert.deepEqual(replayToolTurns(chat, 'anthropic/claude-sonnet-4').messages, chat);
  });
});

const TOOLS = new Set(['read_file', 'list_files', 'edit_file', 'run_command']);

describe('tool calls written as text', () => {
  const cases: readonly [string, string, { name: string; args: unknown }[]][] = [
    [
      'Hermes <tool_call>',
      'I will read it.\n<tool_call>\n{"name": "read_file", "arguments": {"path": "src/a.ts"}}\n</tool_call>',
      [{ name: 'read_file', args: { path: 'src/a.ts' } }],
    ],
    [
      '<function=name>{json}',
      '<function=run_command>{"command": "npm test"}</function>',
      [{ name: 'run_command', args: { command: 'npm test' } }],
    ],
    [
      '<function=name><parameter=…>',
      '<function=read_file>\n<parameter=path>\nsrc/b.ts\n</parameter>\n</function>',
      [{ name: 'read_file', args: { path: 'src/b.ts' } }],
    ],
    [
      '<invoke name=…>',
      '<function_calls><invoke name="read_file"><parameter name="path">c.ts</parameter></invoke><invoke name="list_files"></invoke></function_calls>',
      [
        { name: 'read_file', args: { path: 'c.ts' } },
        { name: 'list_files', args: {} },
      ],
    ],
    ['tool-named XML', '<read_file>\n<path>d.ts</path>\n</read_file>', [{ name: 'read_file', args: { path: 'd.ts' } }]],
    [
      'Mistral [TOOL_CALLS]',
      '[TOOL_CALLS] [{"name": "list_files", "arguments": {}}]',
      [{ name: 'list_files', args: {} }],
    ],
    [
      'fenced JSON',
      'Calling:\n```json\n{"name": "read_file", "parameters": {"path": "e.ts"}}\n```',
      [{ name: 'read_file', args: { path: 'e.ts' } }],
    ],
    [
      'bare JSON',
      '{"name": "run_command", "arguments": "{\\"command\\": \\"ls\\"}"}',
      [{ name: 'run_command', args: { command: 'ls' } }],
    ],
    [
      'OpenAI-shaped JSON',
      '```\n{"type": "function", "function": {"name": "read_file", "arguments": {"path": "f.ts"}}}\n```',
      [{ name: 'read_file', args: { path: 'f.ts' } }],
    ],
    [
      'array parameter',
      '<function=edit_file><parameter=path>g.ts</parameter><parameter=edits>[{"old_text": "a", "new_text": "b"}]</parameter></function>',
      [{ name: 'edit_file', args: { path: 'g.ts', edits: [{ old_text: 'a', new_text: 'b' }] } }],
    ],
  ];
  for (const [form, text, expected] of cases) {
    it(`recognises ${form}`, () => {
      const found = textualToolCalls(text, TOOLS);
      assert.deepEqual(
        found.map((c) => ({ name: c.name, args: JSON.parse(c.arguments) as unknown })),
        expected,
      );
    });
  }

  for (const text of [
    'Use `read_file` to read it.',
    '```json\n{"name": "Alice", "arguments": {}}\n```',
    '<tool_call>{"name": "rm_rf", "arguments": {}}</tool_call>',
    '<tool_call>not json</tool_call>',
    '',
  ]) {
    it(`finds nothing in ${JSON.stringify(text).slice(0, 50)}`, () =>
      assert.deepEqual(textualToolCalls(text, TOOLS), []));
  }
});

/** A loop whose model answers from a script; tools answer "ok <name>". */
function loopWith(turns: readonly Partial<TurnResult>[]): {
  deps: LoopDeps;
  events: LoopEvent[];
  seen: AgentMessage[][];
  ran: ToolCall[];
} {
  const events: LoopEvent[] = [];
  const seen: AgentMessage[][] = [];
  const ran: ToolCall[] = [];
  let i = 0;
  return {
    events,
    seen,
    ran,
    deps: {
      turn: async (messages) => {
        seen.push([...messages]);
        return { text: '', calls: [], reasoningDetails: [], ...turns[i++] };
      },
      execute: async (c) => {
        ran.push(c);
        return { status: 'done', content: `ok ${c.name}` };
      },
      aborted: () => false,
      onEvent: (e) => events.push(e),
    },
  };
}

const START: AgentMessage[] = [
  { role: 'system', content: 's' },
  { role: 'user', content: 'task' },
];

describe('the agent loop with malformed turns', () => {
  it('finish_reason tool_calls without calls: no empty step replayed, the model asked once to go on', async () => {
    const l = loopWith([{ text: '' }, { text: 'Done.' }]);
    const result = await runAgentLoop(START, l.deps);
    assert.equal(result.reason, 'done');
    assert.deepEqual(
      l.seen[1]!.map((m) => m.role),
      ['system', 'user', 'user'],
    );
    assert.equal(l.seen[1]!.at(-1)!.content, EMPTY_TURN_NOTE);
    assert.ok(l.events.some((e) => e.kind === 'nudge'));
    assert.ok(!result.messages.some((m) => m.role === 'assistant' && !m.content), 'no empty assistant message');
  });

  it('two empty turns end the task instead of looping', async () => {
    const l = loopWith([{ text: '' }, { text: ' ' }, { text: 'never asked' }]);
    const result = await runAgentLoop(START, l.deps);
    assert.equal(result.reason, 'done');
    assert.equal(l.seen.length, 2);
  });

  it('tool calls written as text are run, and the model is told to use the tools', async () => {
    const l = loopWith([{ text: '<tool_call>{"name": "list_files", "arguments": {}}</tool_call>' }, { text: 'Done.' }]);
    const result = await runAgentLoop(START, l.deps);
    assert.equal(result.reason, 'done');
    assert.deepEqual(
      l.ran.map((c) => c.name),
      ['list_files'],
    );
    const note = l.seen[1]!.at(-1)!;
    assert.equal(note.role, 'user');
    assert.ok(
      typeof note.content === 'string' &&
        note.content.startsWith(TEXT_CALLS_NOTE) &&
        note.content.includes('list_files: ok list_files'),
    );
    assert.ok(l.events.some((e) => e.kind === 'nudge'));
  });

  it('a model that restarts its ids each turn: the transcript keeps them unique', async () => {
    const c0 = { index: 0, id: 'call_0', name: 'list_files', arguments: '{}' };
    const l = loopWith([{ calls: [c0] }, { calls: [c0] }, { text: 'Done.' }]);
    const result = await runAgentLoop(START, l.deps);
    const ids = result.messages.flatMap((m) => (m.role === 'assistant' ? (m.tool_calls ?? []).map((c) => c.id) : []));
    assert.equal(ids.length, 2);
    assert.equal(new Set(ids).size, 2);
    const results = result.messages.flatMap((m) => (m.role === 'tool' ? [m.tool_call_id] : []));
    assert.deepEqual(results, ids);
  });
});
