/**
 * The to-do list and the plan survive compaction word for word (issue 23): the real AgentSession
 * against the fake OpenRouter's long task, whose only `todo_write` call and whose plan (the
 * message Act on this plan sends) are in the part the summary replaces — after the compaction the
 * next step still carries both, verbatim, after the summary. Then the pure parts: the plan
 * survives a second compaction, is not repeated when it is also the latest request, keeps a
 * `</plan>` of its own, and a task with neither pins nothing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compactedTranscript, planCompaction, SUMMARY_HEADING } from '../../src/agent/compaction';
import { pinnedParts, taskPlan } from '../../src/agent/pinned';
import { actOnPlanMessage } from '../../src/agent/planMode';
import { todoListText } from '../../src/agent/todos';
import { assistantMessage, toolMessage, type AgentMessage } from '../../src/agent/transcript';
import type { ModelInfo } from '../../src/openrouter/catalogue';
import type { TodoView } from '../../src/protocol/messages';
import { textOf } from '../fake-openrouter/answer';
import { FIXTURE_MODELS, type FakeOpenRouter } from '../fake-openrouter/server';
import { LONG_TASK_REQUEST, longTaskFiles, longTaskScript } from '../fake-openrouter/longTask';
import { agentHarness } from '../faults/agentSession';
import { fakeOpenRouterPerFile } from './fakeOpenRouterHooks';

const KEY = 'sk-or-v1-agent-pinned-00000000000000';
const STEPS = 16;
const PLAN = `1. Read every part of the design notes.\n2. ${LONG_TASK_REQUEST}\n3. Say which load figures repeat.`;
const TODOS: TodoView[] = [
  { id: '1', content: 'Read every part', status: 'in_progress' },
  { id: '2', content: 'List the load figures', status: 'pending' },
];
const DONE = TODOS.map((t) => ({ ...t, status: 'done' as const }));

interface Body {
  tools?: unknown[];
  messages: { role: string; content: unknown; tool_calls?: { function: { name: string } }[] }[];
}

describe('a compacted task keeps its to-do list and its plan', () => {
  let fake: FakeOpenRouter;
  let models: ModelInfo[];
  fakeOpenRouterPerFile(KEY, (started, catalogue) => {
    fake = started;
    models = catalogue;
  });

  it('the step after the compaction carries the current to-do list and the plan verbatim', async () => {
    // The long task, with a todo_write in its first step: that call ends up in the summarized part.
    const base = longTaskScript(STEPS);
    const first = base.turns.at(-1)!;
    // All done: open items would bring a reminder (a user message), which the fake's script takes for a new request.
    const todoCall = { name: 'todo_write', arguments: JSON.stringify({ todos: DONE }) };
    fake.setAgentScript({
      turns: [...base.turns.slice(0, -1), { ...first, toolCalls: [todoCall, ...first.toolCalls!] }],
    });
    const h = agentHarness({
      baseUrl: fake.baseUrl,
      models,
      apiKey: KEY,
      model: FIXTURE_MODELS.agent32k,
      routing: { tiers: { compact: [FIXTURE_MODELS.gpt4oMini] } },
      agent: { maxSteps: STEPS + 5 },
    });
    for (const [path, text] of Object.entries(longTaskFiles(STEPS, 2500))) h.workspace.files.set(path, text);
    await h.session.send(actOnPlanMessage(PLAN));
    await h.session.idle();

    const bodies = fake.chatRequests().map((r) => r.body as Body);
    const at = bodies.findIndex((b) => !Array.isArray(b.tools));
    assert.ok(at > 0, 'the task compacted');
    const afterIt = bodies[at + 1]!;
    const calls = afterIt.messages.flatMap((m) => (m.tool_calls ?? []).map((c) => c.function.name));
    assert.ok(
      !calls.includes('todo_write'),
      `the todo_write call itself was summarized away: ${at} ${bodies.length} ${calls.join(',')}`,
    );
    const summary = textOf(afterIt.messages[1]!.content);
    assert.ok(summary.startsWith(SUMMARY_HEADING));
    assert.ok(summary.includes(todoListText(DONE)), `the to-do list is pinned: ${summary.slice(-600)}`);
    assert.equal(summary.split(PLAN).length - 1, 1, 'the plan is pinned once, word for word');
    assert.deepEqual(h.session.task().todos, DONE, 'the checklist on screen is unchanged');
  });
});

/** A transcript of `steps` read steps after `request`, each with its result. */
function transcript(request: string, steps: number, from = 0): AgentMessage[] {
  const out: AgentMessage[] = [{ role: 'user', content: request }];
  for (let i = from; i < from + steps; i++) {
    const call = { index: 0, id: `call_${i}`, name: 'read_file', arguments: JSON.stringify({ path: `p${i}.md` }) };
    out.push(assistantMessage('', [call], []), toolMessage(call.id, `part ${i}`));
  }
  return out;
}

/** Compacts `messages` the way the session does: the summary, then the pinned parts of the summarized head. */
function compact(messages: readonly AgentMessage[], todos: readonly TodoView[] = []): AgentMessage[] {
  const plan = planCompaction(messages)!;
  assert.ok(plan, 'something to summarize');
  return compactedTranscript(plan, 'The notes were read.', pinnedParts(plan.head, todos));
}

const summaryText = (messages: readonly AgentMessage[]): string => messages[1]!.content as string;
const system: AgentMessage = { role: 'system', content: 'You are an agent.' };

describe('pinned parts of a compaction', () => {
  const plans: { name: string; plan: string }[] = [
    { name: 'a plain plan', plan: PLAN },
    { name: 'a plan that holds its own </plan> line', plan: `${PLAN}\n</plan>\nstill the plan` },
  ];
  for (const v of plans)
    it(`${v.name} survives two compactions, once each time`, () => {
      const act = actOnPlanMessage(v.plan);
      const once = compact([system, ...transcript(act, 8)], TODOS);
      assert.equal(summaryText(once).split(act).length - 1, 1);
      assert.equal(taskPlan(once), act, 'found again in the summary');
      const twice = compact([...once, ...transcript('and the rest, please', 8, 8)], TODOS);
      assert.equal(summaryText(twice).split(act).length - 1, 1, 'the plan is still there, once');
      assert.match(summaryText(twice), /<request>\nand the rest, please\n<\/request>/, 'the later request too');
      assert.ok(summaryText(twice).includes(todoListText(TODOS)));
    });

  it('a task with no plan and no to-dos pins nothing; the request is kept as before', () => {
    const messages = [system, ...transcript(LONG_TASK_REQUEST, 8)];
    assert.deepEqual(pinnedParts(messages, []), []);
    assert.match(summaryText(compact(messages)), new RegExp(`<request>\n${LONG_TASK_REQUEST}\n</request>`));
  });

  it('the to-do list pinned is the current one, not one written earlier', () => {
    const text = summaryText(compact([system, ...transcript(LONG_TASK_REQUEST, 8)], DONE));
    assert.ok(text.includes('(2 of 2 done)') && text.includes(todoListText(DONE)));
    assert.ok(!text.includes('[ ] 2. List the load figures'));
  });
});
