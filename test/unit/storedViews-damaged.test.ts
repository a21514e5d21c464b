/**
 * A stored task's or chat's messages damaged (an older version, a crash mid-write, a hand edit):
 * a past task whose message had `tools` that was not a list, a card that was `null`, `notices`
 * that were an object, a `meta` or `error` of the wrong shape, or a time that was not a number
 * threw when it was opened, listed or exported (`m.tools?.map is not a function`, `… is not
 * iterable`, a NaN date in the list). Read back, every message is now one every reader takes
 * (src/protocol/storedView.ts): the sound parts kept, the unsound ones left out.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readTaskRecord, taskEntry, withoutCheckpoints } from '../../src/agent/taskHistory';
import { exportMarkdown } from '../../src/chat/exportMarkdown';
import { HistoryStore } from '../../src/chat/history';
import type { ChatMessageView } from '../../src/protocol/messages';
import { MemoryStore } from '../faults/session';

const base = { id: 'm', role: 'assistant', text: 'x', status: 'done', createdAt: 5 };
const card = { id: 'c', tool: 'read_file', title: 'Read a', state: 'done' };
const DAMAGED: Record<string, unknown> = {
  'a streaming step whose tools are a string': { ...base, status: 'streaming', tools: 'oops' },
  'a streaming step with a null card': { ...base, status: 'streaming', tools: [null, 5, card] },
  'notices an object on a step with a checkpoint': { ...base, checkpoint: 'available', notices: {} },
  'notices a number': { ...base, checkpoint: 'available', notices: 7 },
  'a time that is a string': { ...base, createdAt: 'yesterday' },
  'no time': { id: 'm', role: 'user', text: 'hi', status: 'done' },
  'tools an object': { ...base, tools: { a: 1 } },
  'a card without its title, a result that is a number': { ...base, tools: [{ ...card, title: 3, result: 7 }] },
  'attachments a string': { ...base, role: 'user', attachments: 'x' },
  'an error that is a string': { ...base, status: 'error', error: 'boom' },
  'a meta that is a string': { ...base, meta: 'm' },
  'a meta without its model': { ...base, meta: { cost: 1 } },
  'images a string': { ...base, role: 'user', images: 'x' },
  'reasoning without text': { ...base, reasoning: { durationMs: 4 } },
  'an unknown status': { ...base, status: 'exploded' },
};

/** What every reader of a message relies on. */
function sound(m: ChatMessageView): void {
  assert.ok(['user', 'assistant'].includes(m.role));
  assert.ok(['streaming', 'done', 'stopped', 'error'].includes(m.status), m.status);
  assert.ok(Number.isFinite(m.createdAt));
  for (const list of [m.tools, m.notices, m.attachments]) assert.ok(list === undefined || Array.isArray(list));
  for (const t of m.tools ?? [])
    assert.ok(typeof t.title === 'string' && ['undefined', 'string'].includes(typeof t.result), JSON.stringify(t));
  assert.ok(m.meta === undefined || typeof m.meta.requestedModel === 'string');
  assert.ok(m.error === undefined || typeof m.error.message === 'string');
}

describe('a damaged past task opens, lists and exports', () => {
  for (const [what, message] of Object.entries(DAMAGED)) {
    it(what, () => {
      const record = readTaskRecord({ messages: [message, { ...base, id: 'ok', tools: [card] }], transcript: [] }, 't');
      assert.ok(record);
      const opened = withoutCheckpoints(record.messages);
      opened.forEach(sound);
      assert.deepEqual(opened.at(-1)?.tools, [card], 'a sound message comes back as it was');
      const entry = taskEntry(record);
      assert.ok(Number.isFinite(entry.createdAt) && Number.isFinite(entry.updatedAt), JSON.stringify(entry));
      assert.match(exportMarkdown(entry, opened), /exported from Switchyard/);
    });
  }
  it('a message without id, role or text is left out', () => {
    const record = readTaskRecord(
      { messages: [{ ...base, role: 'wizard' }, { ...base, text: 4 }, base], transcript: [] },
      't',
    );
    assert.deepEqual(record?.messages, [base]);
  });
});

describe('a damaged past chat opens and exports', () => {
  for (const [what, message] of Object.entries(DAMAGED)) {
    it(what, async () => {
      const store = new MemoryStore();
      await store.update('switchyard.chat.v1.c', {
        id: 'c',
        messages: [{ ...base, role: 'user', text: 'q' }, message],
      });
      const chat = new HistoryStore(store).open('c');
      assert.ok(chat);
      (chat.messages as ChatMessageView[]).forEach(sound);
      exportMarkdown({ title: 'q', mode: 'ask', kind: 'chat', createdAt: 1 }, chat.messages as ChatMessageView[]);
    });
  }
});
