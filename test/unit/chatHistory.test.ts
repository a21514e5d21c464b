/** Past chats: saved as they change, listed newest first, searched, reopened and deleted. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StoredMessage } from '../../src/chat/conversation';
import { HistoryStore, MAX_CHATS, chatTitle } from '../../src/chat/history';
import { MemoryStore } from '../faults/session';

const msg = (id: string, role: 'user' | 'assistant', text: string, createdAt: number): StoredMessage => ({
  id,
  role,
  text,
  status: 'done',
  createdAt,
});

describe('past chats', () => {
  it('New Chat keeps the previous chat in the list; the newest comes first', async () => {
    const store = new MemoryStore();
    const history = new HistoryStore(store);
    await history.save({
      id: 'a',
      messages: [
        msg('1', 'user', 'How do I parse JSON?\nsecond line', 10),
        msg('2', 'assistant', 'Use JSON.parse', 11),
      ],
    });
    await history.clear();
    assert.equal(history.load(), undefined, 'no current chat after New Chat');
    await history.save({ id: 'b', messages: [msg('3', 'user', 'Explain closures', 20)] });
    assert.deepEqual(
      history.list().map((c) => [c.id, c.title, c.messageCount]),
      [
        ['b', 'Explain closures', 1],
        ['a', 'How do I parse JSON?', 2],
      ],
    );
    assert.equal(history.load()?.id, 'b');
    // Reopening "a" and adding to it moves it to the top.
    await history.save({ id: 'a', messages: [...history.open('a')!.messages, msg('4', 'user', 'And YAML?', 30)] });
    assert.deepEqual(
      history.list().map((c) => c.id),
      ['a', 'b'],
    );
    assert.equal(history.list()[0]!.createdAt, 10, 'created stays the first message time');
    assert.equal(history.load()?.messages.length, 3);
  });

  it('search matches every word, in titles and in messages, case-insensitively', async () => {
    const history = new HistoryStore(new MemoryStore());
    await history.save({
      id: 'a',
      messages: [
        msg('1', 'user', 'How do I parse JSON?', 10),
        msg('2', 'assistant', 'Use JSON.parse with a reviver', 11),
      ],
    });
    await history.save({
      id: 'b',
      messages: [msg('3', 'user', 'Explain closures', 20), msg('4', 'assistant', 'A closure captures variables', 21)],
    });
    assert.deepEqual(
      history.search('').map((c) => c.id),
      ['b', 'a'],
    );
    assert.deepEqual(
      history.search('REVIVER').map((c) => c.id),
      ['a'],
      'found in an answer',
    );
    assert.deepEqual(
      history.search('closure captures').map((c) => c.id),
      ['b'],
    );
    assert.deepEqual(
      history.search('closure json').map((c) => c.id),
      [],
    );
  });

  it('delete removes a chat for good, and the current pointer with it', async () => {
    const store = new MemoryStore();
    const history = new HistoryStore(store);
    await history.save({ id: 'a', messages: [msg('1', 'user', 'one', 10)] });
    await history.save({ id: 'b', messages: [msg('2', 'user', 'two', 20)] });
    await history.delete('b');
    assert.deepEqual(
      history.list().map((c) => c.id),
      ['a'],
    );
    assert.equal(history.open('b'), undefined);
    assert.equal(history.load(), undefined);
    assert.ok(![...store.data.keys()].some((k) => k.endsWith('.b')), 'nothing of it is left in storage');
  });

  it('keeps at most MAX_CHATS, dropping the oldest with its messages; an empty chat is not listed', async () => {
    const store = new MemoryStore();
    const history = new HistoryStore(store);
    await history.save({ id: 'empty', messages: [] });
    assert.equal(history.list().length, 0);
    for (let i = 0; i < MAX_CHATS + 3; i++)
      await history.save({ id: `c${i}`, messages: [msg(`m${i}`, 'user', `chat ${i}`, 1000 + i)] });
    assert.equal(history.list().length, MAX_CHATS);
    assert.equal(history.open('c0'), undefined, 'the oldest is gone');
    assert.ok(history.open(`c${MAX_CHATS + 2}`));
    assert.equal([...store.data.keys()].filter((k) => k.startsWith('switchyard.chat.v1.')).length, MAX_CHATS);
  });

  it('hands the records it drops past MAX_CHATS (chats and tasks) to its prune listener, and delete returns what it removed', async () => {
    const store = new MemoryStore();
    const history = new HistoryStore(store);
    const pruned: unknown[][] = [];
    history.onPrune(async (gone) => void pruned.push([...gone]));
    const task = { id: 't0', messages: [], transcript: [{ role: 'user', content: 'x', images: [{ file: 'f' }] }] };
    await history.saveTask(
      { id: 't0', kind: 'task', mode: 'agent', title: 'task', createdAt: 1, updatedAt: 1, messageCount: 1 },
      task,
    );
    await history.save({ id: 'c0', messages: [msg('m0', 'user', 'chat 0', 2)] });
    for (let i = 1; i < MAX_CHATS - 1; i++)
      await history.save({ id: `c${i}`, messages: [msg(`m${i}`, 'user', `chat ${i}`, 1000 + i)] });
    assert.deepEqual(pruned, [], 'nothing dropped at the bound');
    await history.save({ id: 'new', messages: [msg('n', 'user', 'one more', 5000)] });
    assert.deepEqual(pruned, [[task]], 'the oldest, a task, is handed over with its transcript');
    await history.save({ id: 'newer', messages: [msg('n2', 'user', 'and another', 5001)] });
    assert.equal(pruned.length, 2);
    assert.deepEqual((pruned[1]![0] as { id: string }).id, 'c0');
    assert.equal(history.records().length, MAX_CHATS + 1, 'every listed record, and the current-chat pointer');
    const removed = await history.delete('newer');
    assert.deepEqual(
      removed.map((r) => (r as { id: string }).id),
      ['newer'],
    );
    assert.deepEqual(await history.delete('never-stored'), []);
  });

  it('reads the conversation an older version stored, and a reload mid-answer shows it stopped', () => {
    const store = new MemoryStore();
    void store.update('switchyard.conversation.v1', {
      id: 'old',
      messages: [msg('1', 'user', 'hi', 1), { ...msg('2', 'assistant', 'partial', 2), status: 'streaming' }],
    });
    const loaded = new HistoryStore(store).load();
    assert.equal(loaded?.id, 'old');
    assert.equal(loaded?.messages[1]?.status, 'stopped');
  });

  it('titles a chat by its first question’s first line, shortened', () => {
    assert.equal(chatTitle([]), 'Untitled chat');
    assert.equal(chatTitle([msg('1', 'assistant', 'x', 1), msg('2', 'user', '  Fix it\nplease', 2)]), 'Fix it');
    assert.equal(chatTitle([msg('1', 'user', 'x'.repeat(200), 1)]).length, 80);
    assert.equal(
      chatTitle([
        { ...msg('1', 'user', 'Fix the problems listed in src/a.ts:3. Reply with…', 1), summary: 'Fix src/a.ts:3' },
      ]),
      'Fix src/a.ts:3',
      'an action is titled by its short line',
    );
  });
});
