/**
 * One place decides which conversation the chat view shows (src/chat/viewMode.ts): the posts of
 * the conversation off screen are held back (the next `init` brings it), everything else passes;
 * `init` shows the mode's conversation, and Ask's never builds the agent (its lazy chunk).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { initForMode, ViewMode, type TaskInView, type TasksInView } from '../../src/chat/viewMode';
import type { ChatMode, HostToWebview } from '../../src/protocol/messages';

const UPDATES: HostToWebview[] = [
  { type: 'delta', id: 'm1', text: 'x' },
  { type: 'reasoningDelta', id: 'm1', text: 'thinking' },
  { type: 'busy', busy: true },
  { type: 'cleared' },
  { type: 'restoreDraft', text: 'draft' },
  // The header's task figures and to-do list belong to the task on screen (a plan's must not show over the agent's).
  { type: 'agentTask', task: { running: true, steps: 1, spentUsd: 0.001 } },
];
const OTHERS: HostToWebview[] = [{ type: 'composerNotice', text: 'n', level: 'info' }];

describe('ViewMode', () => {
  for (const mode of ['ask', 'plan', 'agent'] as const) {
    it(`in ${mode} mode only ${mode}'s conversation updates reach the view`, () => {
      const seen: HostToWebview[] = [];
      let current: ChatMode = mode;
      const view = new ViewMode(
        () => current,
        (m) => seen.push(m),
      );
      const others = (['ask', 'plan', 'agent'] as const).filter((m) => m !== mode);
      const other: ChatMode = others[0]!;
      for (const o of others) for (const m of UPDATES) view.poster(o)(m);
      assert.deepEqual(seen, [], 'the conversations off screen wait for the next init');
      for (const m of UPDATES) view.poster(mode)(m);
      assert.deepEqual(seen, UPDATES);
      for (const m of OTHERS) view.poster(other)(m);
      assert.deepEqual(seen.slice(UPDATES.length), OTHERS, 'what is not the conversation list passes');
      current = other;
      view.poster(other)(UPDATES[0]!);
      assert.equal(seen.at(-1), UPDATES[0], 'switching the mode switches whose updates pass');
    });
  }
});

describe('initForMode: the init of the mode on screen', () => {
  const chatInit: HostToWebview = {
    type: 'init',
    messages: [{ id: 'c1', role: 'user', text: 'a chat question', status: 'done', createdAt: 1 }],
    model: { id: 'openai/gpt-4o-mini', name: 'GPT-4o mini', fallbacks: [] },
    hasKey: true,
    attachments: [],
    busy: false,
  };
  const task = (name: string, busy: boolean): TaskInView => ({
    task: () => ({ running: busy, steps: name === 'plan' ? 2 : 5, spentUsd: 0.01 }),
    views: () => [{ id: `${name}1`, role: 'user', text: `the ${name} task`, status: 'done', createdAt: 2 }],
    busy,
  });
  /** A spy on the lazy agent: counts how often the view asks to build it. */
  function lazyAgent(): { build: () => TasksInView; built: () => number } {
    let built = 0;
    const agent = task('agent', true);
    const plan = task('plan', false);
    const tasks: TasksInView = {
      session: agent,
      sessionFor: (mode) => (mode === 'agent' ? agent : mode === 'plan' ? plan : undefined),
    };
    return {
      build: () => {
        built++;
        return tasks;
      },
      built: () => built,
    };
  }

  it('Ask mode shows the chat and never builds the agent (its chunk stays unloaded)', () => {
    const agent = lazyAgent();
    const init = initForMode(chatInit, 'ask', agent.build);
    assert.equal(agent.built(), 0, 'the agent was not asked for');
    assert.ok(init.type === 'init');
    assert.equal(init.mode, 'ask');
    assert.deepEqual(init.messages, (chatInit as { messages: unknown }).messages);
    assert.equal(init.task, undefined, 'no task figures in Ask (the header hides them there)');
    assert.equal(init.busy, false);
  });

  for (const [mode, steps, busy] of [
    ['agent', 5, true],
    ['plan', 2, false],
  ] as const) {
    it(`${mode} mode builds the agent and shows its ${mode} task's messages, figures and busy state`, () => {
      const agent = lazyAgent();
      const init = initForMode(chatInit, mode, agent.build);
      assert.equal(agent.built(), 1);
      assert.ok(init.type === 'init');
      assert.equal(init.mode, mode);
      assert.deepEqual(
        init.messages.map((m) => m.text),
        [`the ${mode} task`],
      );
      assert.equal(init.task?.steps, steps);
      assert.equal(init.busy, busy);
    });
  }

  it('without Agent mode (no agent wired) a mode that needs it falls back to the chat; other messages pass', () => {
    assert.equal(initForMode(chatInit, 'agent', undefined), chatInit);
    assert.equal(
      initForMode(chatInit, 'plan', () => undefined),
      chatInit,
    );
    const notice: HostToWebview = { type: 'composerNotice', text: 'n', level: 'info' };
    const agent = lazyAgent();
    assert.equal(initForMode(notice, 'agent', agent.build), notice);
    assert.equal(agent.built(), 0);
  });
});
