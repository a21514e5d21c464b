/**
 * One place decides which conversation the chat view shows (src/chat/viewMode.ts): the posts of
 * the conversation off screen are held back (the next `init` brings it), everything else passes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ViewMode } from '../../src/chat/viewMode';
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
