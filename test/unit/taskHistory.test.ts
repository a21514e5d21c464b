/**
 * Agent tasks in Past Chats: listed as they go (mode, steps, spend, outcome), kept when New Chat
 * starts another, reopened read-only and continued with their transcript; the one store's
 * migration from the chats-only index, redaction, and bounds on big transcripts.
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { HistoryStore } from '../../src/chat/history';
import type { ModelInfo } from '../../src/openrouter/catalogue';
import { fakeOpenRouterPerFile } from './fakeOpenRouterHooks';
import { modeText } from '../../src/protocol/history';
import {
  boundRecord,
  CHECKPOINT_GONE,
  CONTINUE_NOTE,
  DROPPED_OUTPUT,
  readTaskRecord,
  taskEntry,
  type TaskRecord,
} from '../../src/agent/taskHistory';
import type { AgentMessage } from '../../src/agent/transcript';
import { FIXTURE_MODELS } from '../fake-openrouter/catalogue';
import { textOf } from '../fake-openrouter/answer';
import type { FakeOpenRouter } from '../fake-openrouter/server';
import type { AgentScript } from '../fake-openrouter/agent';
import { agentHarness, type AgentHarnessOptions } from '../faults/agentSession';
import { MemoryStore } from '../faults/session';

const KEY = 'sk-or-v1-task-history-key-00000000';
/** A key the user pasted into the task: never stored. */
const PASTED = `sk-or-v1-${'a1b2c3d4'.repeat(8)}`;
const SRC = 'src/calc.js';

const SCRIPT: AgentScript = {
  turns: [
    { when: { userIncludes: 'what changed' }, text: 'I changed add() earlier.' },
    { when: { step: 0 }, toolCalls: [{ name: 'read_file', arguments: JSON.stringify({ path: SRC }) }] },
    {
      when: { step: 1 },
      toolCalls: [
        {
          name: 'edit_file',
          arguments: JSON.stringify({ path: SRC, edits: [{ old_text: 'a - b', new_text: 'a + b' }] }),
        },
      ],
    },
    { when: { step: 2 }, text: 'Fixed add().' },
  ],
};

let fake: FakeOpenRouter;
let models: ModelInfo[];

fakeOpenRouterPerFile(KEY, (started, catalogue) => {
  fake = started;
  models = catalogue;
});
beforeEach(() => {
  fake.reset();
  fake.setAgentScript(SCRIPT);
});

const approveAll: AgentHarnessOptions['onPost'] = (m, h) => {
  if (m.type !== 'messageUpdated') return;
  for (const c of m.message.tools ?? []) if (c.state === 'waiting') queueMicrotask(() => h.session.decide(c.id, true));
};

function harness(extra: Partial<AgentHarnessOptions> = {}) {
  const h = agentHarness({
    baseUrl: fake.baseUrl,
    models,
    apiKey: KEY,
    model: FIXTURE_MODELS.claudeSonnet4,
    onPost: approveAll,
    ...extra,
  });
  h.workspace.files.set(SRC, 'export const add = (a, b) => a - b;\n');
  return h;
}

describe('agent tasks in Past Chats', () => {
  it('a task is listed as it goes with mode, steps, spend and outcome; New Chat keeps it whole', async () => {
    const h = harness();
    const history = new HistoryStore(h.store);
    await h.session.send(`fix add, my key is ${PASTED}`);
    await h.session.idle();
    const [entry] = history.list();
    assert.equal(entry?.kind, 'task');
    assert.equal(entry.mode, 'agent');
    assert.equal(entry.steps, 3);
    assert.equal(entry.outcome, 'finished');
    assert.ok((entry.spentUsd ?? 0) > 0, 'spend is listed');
    assert.ok((entry.spentUsd ?? 0) <= h.session.task().spentUsd + 1e-12);
    assert.equal(entry.id, h.session.id);
    assert.ok(!entry.title.includes(PASTED), 'the title is redacted');
    const id = h.session.id;
    const shown = h.session.views().length;
    await h.session.newTask();
    assert.equal(h.session.views().length, 0);
    assert.notEqual(h.session.id, id);
    assert.deepEqual(
      history.list().map((e) => e.id),
      [id],
      'the old task stays listed; an empty new one is not',
    );
    const record = readTaskRecord(history.openTask(id), id);
    assert.equal(record?.messages.length, shown);
    assert.ok(record.transcript.some((m) => m.role === 'tool'));
    assert.ok(!JSON.stringify([...h.store.data.values()]).includes(PASTED), 'no stored value holds the key');
  });

  it('a past task reopens read-only (checkpoints said gone) and Continue sends its transcript with a note', async () => {
    const h = harness();
    await h.session.send('fix add');
    await h.session.idle();
    const id = h.session.id;
    const edited = h.session.views().find((m) => m.checkpoint === 'available');
    assert.ok(edited, 'the edit step offered its checkpoint');
    await h.session.newTask();
    assert.equal(await h.session.openPast('no-such-task'), false);
    assert.equal(await h.session.openPast(id), true);
    assert.equal(h.session.task().past, true);
    assert.equal(h.session.task().steps, 3);
    const step = h.session.views().find((m) => m.id === edited.id)!;
    assert.equal(step.checkpoint, undefined, 'no Restore on a past step');
    assert.ok(step.notices?.includes(CHECKPOINT_GONE));
    const before = fake.chatRequests().length;
    h.posted.length = 0;
    await h.session.send('what changed?');
    assert.equal(fake.chatRequests().length, before, 'a read-only task does not run');
    assert.ok(h.posted.some((m) => m.type === 'restoreDraft' && m.text === 'what changed?'));
    assert.ok(h.posted.some((m) => m.type === 'composerNotice' && /read-only/.test(m.text)));
    await h.session.continueTask();
    assert.equal(h.session.task().past, undefined);
    await h.session.send('what changed?');
    const body = fake.chatRequests().at(-1)!.body as { messages: { role: string; content: unknown }[] };
    assert.ok(
      body.messages.some((m) => m.role === 'tool'),
      'the earlier tool results go with it',
    );
    const lastUser = body.messages.filter((m) => m.role === 'user').at(-1)!;
    assert.ok(textOf(lastUser.content as never).includes(CONTINUE_NOTE));
    assert.equal(h.session.views().at(-1)?.text, 'I changed add() earlier.');
    await h.session.idle();
    const listed = new HistoryStore(h.store).list();
    assert.deepEqual(
      listed.map((e) => [e.id, e.steps]),
      [[id, 4]],
      'the continued task is the same entry, one step more',
    );
  });

  it('a reload shows the task on screen again and keeps it listed', async () => {
    const store = new MemoryStore();
    const h = harness({ store });
    await h.session.send('fix add');
    await h.session.idle();
    const again = harness({ store, idPrefix: 'r' });
    assert.equal(again.session.id, h.session.id);
    assert.deepEqual(again.session.views(), h.session.views());
    assert.deepEqual(again.session.task(), { ...h.session.task(), running: false });
    assert.equal(new HistoryStore(store).list()[0]?.outcome, 'finished');
  });

  it('a reload mid-step: the step is stopped, its waiting card ends, the outcome is stopped', () => {
    const store = new MemoryStore();
    void store.update('switchyard.agentTask.v1', {
      id: 't1',
      mode: 'agent',
      messages: [
        { id: 'u', role: 'user', text: 'do it', status: 'done', createdAt: 1 },
        {
          id: 'a',
          role: 'assistant',
          text: '',
          status: 'streaming',
          createdAt: 2,
          tools: [{ id: 'c', tool: 'run_command', title: 'Run ls', state: 'waiting' }],
        },
      ],
      transcript: [{ role: 'system', content: 'sys' }],
      spentUsd: 0.01,
      steps: 1,
      outcome: 'running',
    });
    const h = harness({ store });
    const step = h.session.views()[1]!;
    assert.equal(step.status, 'stopped');
    assert.equal(step.tools?.[0]?.state, 'rejected');
    assert.equal(h.session.task().spentUsd, 0.01);
  });
});

describe('one store for chats and tasks', () => {
  it('reads the chats-only index of version 1 as Ask chats and rewrites it as version 2', async () => {
    const store = new MemoryStore();
    await store.update('switchyard.chats.v1', [
      { id: 'old', title: 'Old chat', createdAt: 1, updatedAt: 2, messageCount: 2 },
      { id: 'broken', title: 3 },
    ]);
    await store.update('switchyard.chat.v1.old', {
      id: 'old',
      messages: [{ id: '1', role: 'user', text: 'hello there', status: 'done', createdAt: 1 }],
    });
    const history = new HistoryStore(store);
    assert.deepEqual(history.list(), [
      { id: 'old', kind: 'chat', mode: 'ask', title: 'Old chat', createdAt: 1, updatedAt: 2, messageCount: 2 },
    ]);
    assert.deepEqual(
      history.search('hello').map((e) => e.id),
      ['old'],
    );
    await history.save({
      id: 'new',
      messages: [{ id: '2', role: 'user', text: 'next', status: 'done', createdAt: 5 }],
    });
    assert.equal(store.data.has('switchyard.chats.v1'), false, 'the old index is gone');
    assert.deepEqual(store.data.get('switchyard.history.v2'), {
      version: 2,
      entries: [
        { id: 'new', kind: 'chat', mode: 'ask', title: 'next', createdAt: 5, updatedAt: 5, messageCount: 1 },
        { id: 'old', kind: 'chat', mode: 'ask', title: 'Old chat', createdAt: 1, updatedAt: 2, messageCount: 2 },
      ],
    });
  });

  it('a task saved by a version without task history is listed when the task comes back', () => {
    const store = new MemoryStore();
    void store.update('switchyard.agentTask.v1', {
      id: 'legacy',
      messages: [
        { id: 'u', role: 'user', text: 'old task', status: 'done', createdAt: 10 },
        { id: 'a', role: 'assistant', text: 'done', status: 'done', createdAt: 11 },
      ],
      transcript: [],
      checkpoints: { checkpoints: [], dropped: [] },
      spentUsd: 0.02,
      steps: 1,
    });
    harness({ store });
    const [entry] = new HistoryStore(store).list();
    assert.deepEqual(
      [entry?.id, entry?.kind, entry?.outcome, entry?.steps, entry?.title],
      ['legacy', 'task', 'finished', 1, 'old task'],
    );
  });

  it('a new mode is just a value: listed, searched, titled and named like the others', async () => {
    const history = new HistoryStore(new MemoryStore());
    const record: TaskRecord = {
      id: 'p',
      mode: 'plan',
      messages: [{ id: 'u', role: 'user', text: 'Plan the refactor', status: 'done', createdAt: 3 }],
      transcript: [],
      spentUsd: 0,
      steps: 0,
      outcome: 'openTodos',
    };
    await history.saveTask(taskEntry(record), record);
    assert.equal(history.list()[0]?.mode, 'plan');
    assert.equal(history.list()[0]?.outcome, 'openTodos');
    assert.equal(modeText('plan'), 'Plan');
    assert.deepEqual(
      history.search('refactor').map((e) => e.id),
      ['p'],
    );
    await history.delete('p');
    assert.equal(history.openTask('p'), undefined);
    assert.deepEqual(history.list(), []);
  });

  it('bad records read back as nothing, never as a crash', () => {
    for (const raw of [undefined, null, 3, 'x', {}, { messages: 'no', transcript: [] }, { messages: [] }])
      assert.equal(readTaskRecord(raw, 'id'), undefined, JSON.stringify(raw));
    const odd = readTaskRecord({ messages: [null, 4, { id: 'u', text: 't', role: 'user' }], transcript: [null] }, 'x');
    assert.equal(odd?.messages.length, 1);
    assert.equal(odd?.transcript.length, 0);
    assert.equal(odd?.spentUsd, 0);
  });
});

describe('big transcripts are bounded', () => {
  const call = (i: number): AgentMessage => ({
    role: 'assistant',
    content: null,
    tool_calls: [{ id: `c${i}`, type: 'function', function: { name: 'read_file', arguments: '{}' } }],
  });
  const big = (n: number, size: number): TaskRecord => ({
    id: 'big',
    mode: 'agent',
    messages: Array.from({ length: 700 }, (_, i) => ({
      id: `m${i}`,
      role: 'assistant' as const,
      text: `step ${i}`,
      status: 'done' as const,
      createdAt: i,
      tools: [{ id: `c${i}`, tool: 'read_file', title: 'Read', state: 'done' as const, result: 'y'.repeat(1000) }],
    })),
    transcript: [
      { role: 'system', content: 'sys' },
      ...Array.from({ length: n }, (_, i) => [
        call(i),
        { role: 'tool' as const, tool_call_id: `c${i}`, content: 'x'.repeat(size) },
      ]).flat(),
    ],
    spentUsd: 1,
    steps: n,
    outcome: 'finished',
  });

  for (const [n, size, max] of [
    [50, 100_000, 1_000_000],
    [200, 20_000, 800_000],
    [10, 10, 2_000_000],
  ] as const)
    it(`${n} results of ${size} characters fit in ${max}: newest kept, calls and results still paired`, () => {
      const record = big(n, size);
      const bounded = boundRecord(record, max);
      assert.ok(JSON.stringify(bounded).length <= max, 'within the bound');
      assert.equal(bounded.messages.length, 500, 'the last 500 messages');
      assert.equal(bounded.messages.at(-1)?.id, 'm699');
      const tools = bounded.transcript.filter((m) => m.role === 'tool');
      assert.equal(tools.length, n, 'every call keeps its result');
      assert.equal(bounded.transcript.filter((m) => m.role === 'assistant').length, n);
      if (JSON.stringify(record).length > max) {
        assert.equal(tools[0]!.content, DROPPED_OUTPUT, 'the oldest output goes first');
        assert.notEqual(tools.at(-1)!.content, DROPPED_OUTPUT, 'the newest stays');
      } else assert.deepEqual(bounded.transcript, record.transcript, 'a small task is kept whole');
    });
});
