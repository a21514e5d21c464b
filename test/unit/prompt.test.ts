import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StoredMessage } from '../../src/chat/conversation';
import { buildMessages, contentText, SYSTEM_PROMPT, userContent } from '../../src/chat/prompt';

const msg = (role: 'user' | 'assistant', text: string, extra: Partial<StoredMessage> = {}): StoredMessage => ({ id: `${role}-${text}`, role, text, status: 'done', createdAt: 0, ...extra });

describe('buildMessages', () => {
  it('puts the system prompt first and the new turn last', () => {
    const { messages } = buildMessages([msg('user', 'hi'), msg('assistant', 'hello')], { role: 'user', content: 'next' }, 10_000);
    assert.deepEqual(messages.map((m) => m.role), ['system', 'user', 'assistant', 'user']);
    assert.equal(messages[0]!.content, SYSTEM_PROMPT);
    assert.equal(messages.at(-1)!.content, 'next');
  });
  it('replays the context a user turn was sent with', () => {
    const { messages } = buildMessages([msg('user', 'explain', { context: ['Selected code from a.ts:1-2:\n```ts\nx\n```'] })], { role: 'user', content: 'more' }, 10_000);
    assert.match(contentText(messages[1]!.content), /Selected code from a\.ts/);
    assert.equal(userContent('q'), 'q');
  });
  it('skips failed empty answers and drops the oldest turns first', () => {
    const history = [msg('user', 'one '.repeat(200)), msg('assistant', 'two '.repeat(200)), msg('user', 'three'), msg('assistant', '', { status: 'error' }), msg('user', 'four'), msg('assistant', 'five')];
    const { messages, droppedTurns } = buildMessages(history, { role: 'user', content: 'six' }, 60);
    assert.equal(droppedTurns, 2);
    assert.deepEqual(messages.slice(1).map((m) => m.content), ['three', 'four', 'five', 'six']);
  });
  it('never starts the replay with an assistant turn', () => {
    const history = [msg('user', 'long '.repeat(300)), msg('assistant', 'short')];
    const { messages } = buildMessages(history, { role: 'user', content: 'q' }, 20);
    assert.deepEqual(messages.map((m) => m.role), ['system', 'user']);
  });
});

describe('context replay', () => {
  const file = (v: number): string => `Active file from src/a.ts:\n\`\`\`ts\nconst v = ${v};\n\`\`\``;
  it('sends a file attached to every turn once, with its latest content', () => {
    const history = [msg('user', 'q1', { context: [file(1)] }), msg('assistant', 'a1'), msg('user', 'q2', { context: [file(2)] }), msg('assistant', 'a2')];
    const { messages } = buildMessages(history, { role: 'user', content: userContent('q3', [file(3)]) }, 10_000, [file(3)]);
    const all = messages.map((m) => m.content).join('\n');
    assert.equal(all.match(/Active file from src\/a\.ts/g)?.length, 1);
    assert.match(all, /const v = 3/);
    assert.equal(messages[1]!.content, 'q1');
  });
  it('keeps different sources', () => {
    const other = 'Selected code from src/b.ts:1-2:\n```ts\nx\n```';
    const history = [msg('user', 'q1', { context: [other] }), msg('assistant', 'a1')];
    const { messages } = buildMessages(history, { role: 'user', content: 'q2' }, 10_000, [file(1)]);
    assert.match(contentText(messages[1]!.content), /src\/b\.ts/);
  });
});
