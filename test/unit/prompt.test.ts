import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StoredMessage } from '../../src/chat/conversation';
import { buildMessages, contentText, SYSTEM_PROMPT, userContent } from '../../src/chat/prompt';

const msg = (role: 'user' | 'assistant', text: string, extra: Partial<StoredMessage> = {}): StoredMessage => ({
  id: `${role}-${text}`,
  role,
  text,
  status: 'done',
  createdAt: 0,
  ...extra,
});

describe('buildMessages', () => {
  it('puts the system prompt first and the new turn last', () => {
    const { messages } = buildMessages(
      [msg('user', 'hi'), msg('assistant', 'hello')],
      { role: 'user', content: 'next' },
      10_000,
    );
    assert.deepEqual(
      messages.map((m) => m.role),
      ['system', 'user', 'assistant', 'user'],
    );
    assert.equal(messages[0]!.content, SYSTEM_PROMPT);
    assert.equal(messages.at(-1)!.content, 'next');
  });
  it('replays the context a user turn was sent with', () => {
    const { messages } = buildMessages(
      [msg('user', 'explain', { context: ['Selected code from a.ts:1-2:\n```ts\nx\n```'] })],
      { role: 'user', content: 'more' },
      10_000,
    );
    assert.match(contentText(messages[1]!.content), /Selected code from a\.ts/);
    assert.equal(userContent('q'), 'q');
  });
  it('skips failed empty answers and drops the oldest turns first', () => {
    const history = [
      msg('user', 'one '.repeat(200)),
      msg('assistant', 'two '.repeat(200)),
      msg('user', 'three'),
      msg('assistant', '', { status: 'error' }),
      msg('user', 'four'),
      msg('assistant', 'five'),
    ];
    const { messages, droppedTurns } = buildMessages(history, { role: 'user', content: 'six' }, 60);
    assert.equal(droppedTurns, 2);
    assert.deepEqual(
      messages.slice(1).map((m) => m.content),
      ['three', 'four', 'five', 'six'],
    );
  });
  it('never starts the replay with an assistant turn', () => {
    const history = [msg('user', 'long '.repeat(300)), msg('assistant', 'short')];
    const { messages } = buildMessages(history, { role: 'user', content: 'q' }, 20);
    assert.deepEqual(
      messages.map((m) => m.role),
      ['system', 'user'],
    );
  });
});

describe('context replay', () => {
  const file = (v: number): string => `Active file from src/a.ts:\n\`\`\`ts\nconst v = ${v};\n\`\`\``;
  it('sends a file attached to every turn once, with its latest content', () => {
    const history = [
      msg('user', 'q1', { context: [file(1)] }),
      msg('assistant', 'a1'),
      msg('user', 'q2', { context: [file(2)] }),
      msg('assistant', 'a2'),
    ];
    const { messages } = buildMessages(history, { role: 'user', content: userContent('q3', [file(3)]) }, 10_000, [
      file(3),
    ]);
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

describe('context replay keeps the prompt prefix stable (prompt caching)', () => {
  const file = 'Active file from src/a.ts:\n```ts\nconst v = 1;\n```';
  const turnWith = (i: number, context: string[]): StoredMessage[] => [
    msg('user', `q${i}`, { context }),
    msg('assistant', `a${i}`),
  ];

  it('a file attached again unchanged stays in the turn that first sent it; later turns say so in one line', () => {
    const history = [...turnWith(1, [file]), ...turnWith(2, [file])];
    const { messages, contextLengths } = buildMessages(
      history,
      { role: 'user', content: userContent('q3', [file]) },
      10_000,
      [file],
    );
    assert.deepEqual(
      messages.map((m) => m.content),
      [
        SYSTEM_PROMPT,
        userContent('q1', [file]),
        'a1',
        userContent('q2', ['(Active file from src/a.ts: attached above, unchanged.)']),
        'a2',
        userContent('q3', ['(Active file from src/a.ts: attached above, unchanged.)']),
      ],
    );
    assert.equal(contextLengths[1], file.length, 'the block is context, for breakpoints');
  });

  it('each request starts with the previous one (what a prompt cache reads)', () => {
    let history: StoredMessage[] = [];
    let previous: string[] | undefined;
    for (let i = 1; i <= 5; i++) {
      const { messages } = buildMessages(history, { role: 'user', content: userContent(`q${i}`, [file]) }, 10_000, [
        file,
      ]);
      const contents = messages.map((m) => contentText(m.content));
      if (previous)
        assert.deepEqual(
          contents.slice(0, previous.length - 1),
          previous.slice(0, -1),
          `request ${i} repeats request ${i - 1}'s history`,
        );
      assert.equal(contents.join('\n').match(/const v = 1/g)?.length, 1, 'the file once');
      previous = contents;
      history = [...history, ...turnWith(i, [file])];
    }
  });

  it('a changed file moves to its latest use; a file whose first turn no longer fits moves into the kept turns', () => {
    const changed = file.replace('v = 1', 'v = 2');
    const moved = buildMessages(turnWith(1, [file]), { role: 'user', content: userContent('q2', [changed]) }, 10_000, [
      changed,
    ]);
    assert.deepEqual(
      moved.messages.map((m) => m.content),
      [SYSTEM_PROMPT, 'q1', 'a1', userContent('q2', [changed])],
    );
    const history = [
      msg('user', 'long '.repeat(300), { context: [file] }),
      msg('assistant', 'a1'),
      ...turnWith(2, [file]),
    ];
    const trimmed = buildMessages(history, { role: 'user', content: userContent('q3', [file]) }, 60, [file]);
    assert.equal(trimmed.droppedTurns, 2);
    assert.deepEqual(
      trimmed.messages.map((m) => m.content),
      [
        SYSTEM_PROMPT,
        userContent('q2', [file]),
        'a2',
        userContent('q3', ['(Active file from src/a.ts: attached above, unchanged.)']),
      ],
    );
  });
});
