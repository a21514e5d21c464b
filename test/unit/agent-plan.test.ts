/**
 * Plan mode and the to-do list (issue 23): the tools each kind of task offers, the refusal of
 * every call that is not read-only (built-in or MCP), `todo_write`'s checks, the reminder of open
 * items (appended, never rewriting the cached prefix), and both scripted runs of the fake
 * (test/fake-openrouter/planScripts.ts) through a real AgentSession.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AgentExtras } from '../../src/agent/extras';
import { runAgentLoop, type LoopDeps, type LoopEvent, type TurnResult } from '../../src/agent/loop';
import {
  actOnPlanMessage,
  builtInToolsFor,
  planGate,
  planRefusal,
  revisePlanMessage,
  systemPromptFor,
} from '../../src/agent/planMode';
import { taskGate } from '../../src/agent/taskTools';
import { openTodosNotice, parseTodos, TaskTodos, TODO_REMINDER_STEPS, todoResultText } from '../../src/agent/todos';
import { TOOL_KIND, ToolNames } from '../../src/agent/tools';
import type { AgentMessage } from '../../src/agent/transcript';
import type { ModelInfo } from '../../src/openrouter/catalogue';
import type { HostToWebview, TodoView } from '../../src/protocol/messages';
import { toolResultTexts, textOf } from '../fake-openrouter/answer';
import { FIXTURE_MODELS } from '../fake-openrouter/catalogue';
import { PLAN_FILE, PLAN_SCRIPT, PLAN_TEXT, TODO_FILE, TODO_SCRIPT } from '../fake-openrouter/planScripts';
import { type FakeOpenRouter } from '../fake-openrouter/server';
import { agentHarness, type AgentHarnessOptions } from '../faults/agentSession';
import { fakeOpenRouterPerFile } from './fakeOpenRouterHooks';

const READ_TOOLS = ToolNames.filter((n) => TOOL_KIND[n] === 'read');
const WRITE_TOOLS = ToolNames.filter((n) => TOOL_KIND[n] !== 'read');

/** Extras with one read-only MCP tool, one without the hint, one that says readOnlyHint: false. */
const mcpExtras = (
  readOnly: Record<string, boolean>,
): { handles(name: string): boolean; readOnly(name: string): boolean } => ({
  handles: (n) => n in readOnly,
  readOnly: (n) => readOnly[n] === true,
});

describe('plan mode: the tools of each kind of task', () => {
  it('a plan offers only the read-only built-in tools; a task that acts offers all', () => {
    assert.deepEqual(
      builtInToolsFor('plan').map((d) => d.function.name),
      READ_TOOLS,
    );
    assert.deepEqual(
      builtInToolsFor('act').map((d) => d.function.name),
      [...ToolNames],
    );
    assert.ok(WRITE_TOOLS.length >= 3, 'edit_file, write_file and run_command are not read-only');
  });

  it('refuses every built-in tool that edits or runs, with a result that says why and how to go on', () => {
    const gate = planGate('plan', undefined)!;
    for (const name of WRITE_TOOLS) {
      const reason = gate(name);
      assert.ok(reason, `${name} is refused`);
      assert.match(reason, new RegExp(`Refused: ${name} is not available in Plan mode`));
      assert.match(reason, /Nothing was changed or run/);
      assert.match(reason, /Act on this plan/);
      assert.match(reason, /Agent mode/);
    }
    for (const name of READ_TOOLS) assert.equal(gate(name), undefined, `${name} may run in a plan`);
    assert.equal(gate('todo_write'), undefined, 'the to-do list is kept in a plan too');
    assert.equal(gate('no_such_tool'), undefined, 'an unknown name gets the usual "no tool named" error');
  });

  it('refuses MCP tools unless their server says readOnlyHint: true (absent, false, or any other tool)', () => {
    const extras = mcpExtras({ docs__search: true, db__query: false, fs__write: false });
    const gate = planGate('plan', extras)!;
    assert.equal(gate('docs__search'), undefined);
    for (const name of ['db__query', 'fs__write']) assert.equal(gate(name), planRefusal(name));
    const viaTask = taskGate('plan', { ...extras, readOnly: undefined } as unknown as AgentExtras)!;
    assert.equal(viaTask('docs__search'), planRefusal('docs__search'), 'extras that cannot say read-only are refused');
  });

  it('refuses nothing in a task that acts', () => {
    assert.equal(planGate('act', mcpExtras({ fs__write: false })), undefined);
  });

  it("the plan's system prompt says it only reads and ends with a plan; instructions stay after it", () => {
    const plan = systemPromptFor('plan', 'Use tabs.');
    assert.match(plan, /Plan mode/);
    assert.ok(plan.endsWith('Use tabs.'));
    assert.doesNotMatch(systemPromptFor('act', ''), /Plan mode/);
  });

  it('acting sends the plan as written (edits included); a revision carries the feedback and the edited plan', () => {
    assert.match(actOnPlanMessage('# Plan\n1. Edited step\n'), /Carry out this plan[\s\S]*# Plan\n1\. Edited step$/);
    const revise = revisePlanMessage('  add a test ', '# Plan\n1. mine');
    assert.match(revise, /^Revise the plan: add a test\n/);
    assert.match(revise, /# Plan\n1\. mine/);
    assert.doesNotMatch(revisePlanMessage('shorter', undefined), /I edited the plan/);
  });
});

describe('plan mode: a refused call in the loop', () => {
  it('is not run, gets the refusal as its result, and is reported (for its card); the task goes on', async () => {
    const executed: string[] = [];
    const events: LoopEvent[] = [];
    const calls = [
      { index: 0, id: 'c1', name: 'read_file', arguments: '{"path":"a.ts"}' },
      { index: 1, id: 'c2', name: 'write_file', arguments: '{"path":"a.ts","content":"x"}' },
      { index: 2, id: 'c3', name: 'fs__write', arguments: '{}' },
    ];
    let seen: readonly AgentMessage[] = [];
    const extraRuns: string[] = [];
    const result = await runAgentLoop([{ role: 'user', content: 'plan it' }], {
      turn: async (messages, step): Promise<TurnResult> => {
        seen = messages;
        return step === 1
          ? { text: '', calls, reasoningDetails: [] }
          : { text: PLAN_TEXT, calls: [], reasoningDetails: [] };
      },
      execute: async (call) => (executed.push(call.name), { status: 'done', content: 'ok' }),
      extra: {
        handles: (n) => n === 'fs__write',
        run: async (c) => (extraRuns.push(c.name), { status: 'done', content: 'ran' }),
      },
      refuse: planGate('plan', mcpExtras({ fs__write: false })),
      aborted: () => false,
      onEvent: (e) => events.push(e),
    });
    assert.equal(result.reason, 'done');
    assert.deepEqual(executed, ['read_file']);
    assert.deepEqual(extraRuns, [], 'an MCP tool without readOnlyHint never reaches its server');
    const results = seen.filter((m) => m.role === 'tool').map((m) => [m.tool_call_id, m.content]);
    assert.deepEqual(results, [
      ['c1', 'ok'],
      ['c2', planRefusal('write_file')],
      ['c3', planRefusal('fs__write')],
    ]);
    assert.deepEqual(
      events.filter((e) => e.kind === 'refused').map((e) => (e.kind === 'refused' ? e.call.id : '')),
      ['c2', 'c3'],
    );
  });
});

describe('todo_write: checking the list', () => {
  const ok = (json: unknown) => {
    const r = parseTodos(JSON.stringify(json));
    assert.ok(r.ok, r.ok ? '' : r.error);
    return r.todos;
  };
  const bad = (raw: string, pattern: RegExp) => {
    const r = parseTodos(raw);
    assert.equal(r.ok, false, `refused: ${raw}`);
    if (!r.ok) {
      assert.match(r.error, pattern);
      assert.match(r.error, /todo_write/, 'the error names the tool');
    }
  };

  it('takes the whole list with ids, contents and the three statuses', () => {
    const todos = ok({
      todos: [
        { id: '1', content: 'Read', status: 'done' },
        { id: '2', content: 'Write', status: 'in_progress' },
        { id: '3', content: 'Test', status: 'pending' },
      ],
    });
    assert.deepEqual(
      todos.map((t) => t.status),
      ['done', 'in_progress', 'pending'],
    );
    assert.deepEqual(ok({ todos: [] }), [], 'an empty list clears it');
  });

  it('refuses bad lists with an error that says what to fix', () => {
    bad('{"todos": [', /not valid JSON/);
    bad('{}', /todos/);
    bad('{"todos": "1. read"}', /todos/);
    bad('{"todos": [{"id": "1", "content": "x", "status": "finished"}]}', /todos\.0\.status/);
    bad('{"todos": [{"id": "1", "content": "x", "status": "completed"}]}', /pending.*in_progress.*done/);
    bad('{"todos": [{"id": "", "content": "x", "status": "done"}]}', /todos\.0\.id/);
    bad('{"todos": [{"id": "1", "content": "", "status": "done"}]}', /todos\.0\.content/);
    bad('{"todos": [{"id": "1", "status": "done"}]}', /todos\.0\.content/);
    bad(
      '{"todos": [{"id": "1", "content": "a", "status": "done"}, {"id": "1", "content": "b", "status": "pending"}]}',
      /"1" is used twice/,
    );
    bad(
      JSON.stringify({
        todos: Array.from({ length: 51 }, (_, i) => ({ id: `${i}`, content: 'x', status: 'pending' })),
      }),
      /todos/,
    );
  });

  it('answers the model with the list and says which items a finished task left open', () => {
    const list: TodoView[] = [
      { id: '1', content: 'Read', status: 'done' },
      { id: '2', content: 'Test', status: 'pending' },
    ];
    assert.match(todoResultText(list), /1 of 2 done[\s\S]*\[x\] 1\. Read\n\[ \] 2\. Test/);
    assert.equal(openTodosNotice(list), 'Ended with 1 of 2 to-dos open: Test.');
    assert.equal(openTodosNotice([{ id: '1', content: 'Read', status: 'done' }]), undefined);
  });
});

describe('todo_write: reminders of open items', () => {
  it(`reminds every ${TODO_REMINDER_STEPS} steps without an update, only while items are open`, () => {
    const todos = new TaskTodos();
    todos.write(
      [
        { id: '1', content: 'a', status: 'done' },
        { id: '2', content: 'b', status: 'pending' },
      ],
      1,
    );
    const reminded = [2, 3, 4, 5, 6, 7, 8, 9].filter((step) => todos.reminder(step) !== undefined);
    assert.deepEqual(reminded, [5, 8]);
    todos.write([{ id: '2', content: 'b', status: 'done' }], 9);
    assert.deepEqual(
      [10, 13, 20].filter((step) => todos.reminder(step) !== undefined),
      [],
      'nothing open: no reminder',
    );
    assert.equal(new TaskTodos().reminder(10), undefined, 'no list: no reminder');
  });

  it('appends the reminder after the last message: every earlier message (the cached prefix) goes out unchanged', async () => {
    const todos = new TaskTodos([{ id: '1', content: 'Write the docs', status: 'in_progress' }]);
    const sent: AgentMessage[][] = [];
    const deps: LoopDeps = {
      turn: async (messages, step) => {
        sent.push(messages.map((m) => structuredClone(m)));
        return step < 8
          ? {
              text: '',
              calls: [{ index: 0, id: `c${step}`, name: 'read_file', arguments: '{"path":"a.ts"}' }],
              reasoningDetails: [],
            }
          : { text: 'done', calls: [], reasoningDetails: [] };
      },
      execute: async () => ({ status: 'done', content: 'text' }),
      aborted: () => false,
      takeNotes: (step) => [todos.reminder(step) ?? []].flat(),
    };
    await runAgentLoop(
      [
        { role: 'system', content: 'sys' },
        { role: 'user', content: 'go' },
      ],
      deps,
    );
    for (let i = 1; i < sent.length; i++)
      assert.deepEqual(sent[i]!.slice(0, sent[i - 1]!.length), sent[i - 1], `request ${i + 1} extends request ${i}`);
    const remindedAt = sent
      .map((messages, i) => ({ i: i + 1, last: messages.at(-1)! }))
      .filter(({ last }) => last.role === 'user' && textOf(last.content).startsWith('Reminder:'));
    assert.deepEqual(
      remindedAt.map((r) => r.i),
      [4, 7],
      'the reminder is the last message of the requests it goes with',
    );
    assert.match(textOf(remindedAt[0]!.last.content), /1 open item[\s\S]*\[~\] 1\. Write the docs[\s\S]*todo_write/);
  });
});

const KEY = 'sk-or-v1-plan-test-key-000000000000';
const BROKEN = 'export function add(a, b) {\n  return a - b;\n}\n';
let fake: FakeOpenRouter;
let models: ModelInfo[];

fakeOpenRouterPerFile(KEY, (f, m) => ((fake = f), (models = m)));

function harness(extra: Partial<AgentHarnessOptions> = {}) {
  const h = agentHarness({ baseUrl: fake.baseUrl, models, apiKey: KEY, model: FIXTURE_MODELS.claudeSonnet4, ...extra });
  h.workspace.files.set(PLAN_FILE, BROKEN);
  return h;
}

const offered = (body: unknown): string[] =>
  ((body as { tools?: { function: { name: string } }[] }).tools ?? []).map((t) => t.function.name);

describe('plan mode against the scripted model', () => {
  it('a plan that tries an edit gets the refusal result, writes nothing, and ends with its plan', async () => {
    fake.setAgentScript(PLAN_SCRIPT);
    const plans: [string, string][] = [];
    const h = harness({ kind: 'plan', onPlan: (text, id) => plans.push([text, id]) });
    await h.session.send('Plan: make add() add');
    const requests = fake.chatRequests();
    assert.equal(requests.length, 3);
    for (const r of requests) assert.deepEqual(offered(r.body), [...READ_TOOLS, 'todo_write', 'run_subagent']);
    const results = toolResultTexts(requests[2]!.body);
    assert.equal(results.at(-1), planRefusal('edit_file'));
    assert.equal(h.workspace.files.get(PLAN_FILE), BROKEN, 'nothing was written');
    assert.equal(h.workspace.writes.length, 0);
    const card = [...h.cards.values()].find((c) => c.tool === 'edit_file');
    assert.equal(card?.state, 'rejected');
    assert.match(card?.summary ?? '', /Plan mode only reads/);
    const last = h.session.views().at(-1)!;
    assert.equal(last.text, PLAN_TEXT);
    assert.equal(last.plan, 'ready');
    assert.deepEqual(plans, [[PLAN_TEXT, last.id]]);
    assert.equal(h.session.plan(last.id), PLAN_TEXT);
    h.session.plan(last.id, true);
    assert.equal(h.session.views().at(-1)!.plan, 'acted');
  });

  it('a task that acts offers every tool and is not a plan', async () => {
    fake.setAgentScript({ turns: [{ text: 'Nothing to do.' }] });
    const plans: string[] = [];
    const h = harness({ onPlan: (text) => plans.push(text) });
    await h.session.send('hello');
    assert.deepEqual(offered(fake.chatRequests()[0]!.body), [...ToolNames, 'todo_write', 'run_subagent']);
    assert.equal(h.session.views().at(-1)!.plan, undefined);
    assert.deepEqual(plans, []);
  });
});

describe('the to-do list against the scripted model', () => {
  it('updates as the model calls todo_write, tells it about a bad list, and ends saying what is open', async () => {
    fake.setAgentScript(TODO_SCRIPT);
    const approve: AgentHarnessOptions['onPost'] = (m, h) => {
      if (m.type !== 'messageUpdated') return;
      for (const c of m.message.tools ?? [])
        if (c.state === 'waiting') queueMicrotask(() => h.session.decide(c.id, true));
    };
    const h = harness({ onPost: approve });
    await h.session.send('Add a greeting module');
    const lists = h.posted
      .filter((m): m is Extract<HostToWebview, { type: 'agentTask' }> => m.type === 'agentTask')
      .map((m) => (m.task.todos ?? []).map((t) => t.status).join(','))
      .filter((s, i, all) => s && s !== all[i - 1]);
    assert.deepEqual(lists, ['in_progress,pending,pending', 'done,in_progress,pending', 'done,done,pending']);
    const second = toolResultTexts(fake.chatRequests()[2]!.body).at(-1)!;
    assert.match(second, /^Error: arguments of todo_write are invalid: todos\.0\.status/);
    assert.match(second, /The to-do list was not changed/);
    assert.equal(h.workspace.files.get(TODO_FILE), 'export const hi = "hi";\n');
    const last = h.session.views().at(-1)!;
    assert.deepEqual(last.notices, ['Ended with 1 of 3 to-dos open: Run the tests.']);
    assert.deepEqual(
      h.session.task().todos?.map((t) => t.status),
      ['done', 'done', 'pending'],
    );
    const failed = [...h.cards.values()].filter((c) => c.tool === 'todo_write' && c.state === 'failed');
    assert.equal(failed.length, 1);
  });

  it('keeps the list across a reload and drops it with a new task', async () => {
    fake.setAgentScript(TODO_SCRIPT);
    const approve: AgentHarnessOptions['onPost'] = (m, h) => {
      if (m.type === 'messageUpdated')
        for (const c of m.message.tools ?? [])
          if (c.state === 'waiting') queueMicrotask(() => h.session.decide(c.id, true));
    };
    const h = harness({ onPost: approve });
    await h.session.send('Add a greeting module');
    const reloaded = harness({ store: h.store });
    assert.deepEqual(reloaded.session.task().todos, h.session.task().todos);
    assert.equal(reloaded.session.task().todos?.length, 3);
    await reloaded.session.newTask();
    assert.equal(reloaded.session.task().todos, undefined);
  });
});
