/**
 * Past Chats in Ask mode does without the agent (src/chat/historyOnScreen.ts): listing, reopening
 * and deleting chats never build it (its lazy chunk, dist/agent.js); Agent and Plan mode ask it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { onScreenId, reopenChat, tasksOnScreen, type TasksOnScreen } from '../../src/chat/historyOnScreen';
import type { ChatMode } from '../../src/protocol/messages';

/** A spy on the lazy agent: counts how often it is built, and records the modes it is switched to. */
function lazyAgent(): {
  agent: () => TasksOnScreen & { setMode(mode: ChatMode): Promise<void> };
  built: number;
  modes: ChatMode[];
} {
  const spy = {
    built: 0,
    modes: [] as ChatMode[],
    agent: () => {
      spy.built++;
      const task = (id: string) => ({ id, views: () => [{ id: `${id}-m1` }] });
      return {
        session: task('task-agent'),
        planSession: task('task-plan'),
        sessionFor: (mode: ChatMode) =>
          mode === 'agent' ? task('task-agent') : mode === 'plan' ? task('task-plan') : undefined,
        setMode: async (mode: ChatMode) => void spy.modes.push(mode),
      };
    },
  };
  return spy;
}

describe('Past Chats and the conversation on screen', () => {
  it('in Ask mode the chat is on screen and the agent is never built', () => {
    const spy = lazyAgent();
    assert.equal(onScreenId('ask', 'chat-1', spy.agent), 'chat-1');
    assert.equal(spy.built, 0);
  });

  for (const [mode, id] of [
    ['agent', 'task-agent'],
    ['plan', 'task-plan'],
  ] as const)
    it(`in ${mode} mode the ${mode} task is on screen (the agent is asked)`, () => {
      const spy = lazyAgent();
      assert.equal(onScreenId(mode, 'chat-1', spy.agent), id);
      assert.equal(spy.built, 1);
    });

  it('reopening a chat in Ask mode opens it without the agent; in Agent or Plan mode it switches to Ask', async () => {
    for (const mode of ['ask', 'agent', 'plan'] as const) {
      const spy = lazyAgent();
      const opened = await reopenChat(mode, async () => true, spy.agent);
      assert.equal(opened, true);
      assert.deepEqual(spy.modes, mode === 'ask' ? [] : ['ask'], mode);
      assert.equal(spy.built, mode === 'ask' ? 0 : 1, mode);
    }
  });

  it('a chat that no longer exists is not opened, and the mode stays', async () => {
    for (const mode of ['ask', 'agent'] as const) {
      const spy = lazyAgent();
      assert.equal(await reopenChat(mode, async () => false, spy.agent), false);
      assert.deepEqual(spy.modes, []);
      assert.equal(spy.built, 0);
    }
  });

  it("a chat's deletion keeps the images of the tasks on screen, and there are none before the agent is built", () => {
    assert.deepEqual(tasksOnScreen(undefined), []);
    const shown = tasksOnScreen(lazyAgent().agent());
    assert.deepEqual(shown, [[{ id: 'task-agent-m1' }], [{ id: 'task-plan-m1' }]]);
  });
});
