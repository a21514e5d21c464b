/**
 * Which image files a deleted conversation takes with it (src/context/imageReferences.ts): every
 * place a record keeps a stored file's name counts — a chat message's `images`, a task card's
 * `tools[].images`, a transcript's `images`, a shape a later version might store — and a file any
 * kept conversation still refers to stays. Text that merely mentions a file name, and names that
 * are not the store's, never count.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { imageFilesIn, imageFilesOnlyIn } from '../../src/context/imageReferences';
import { toolImagesMessage, type ToolImageRef } from '../../src/agent/toolImages';
import type { StoredMessage } from '../../src/chat/conversation';
import type { ChatMessageView } from '../../src/protocol/messages';

const file = (c: string, ext = 'png'): string => `${c.repeat(64)}.${ext}`;
const A = file('a');
const B = file('b', 'jpg');
const C = file('c', 'webp');
const D = file('d', 'gif');

const chatRecord = (...files: string[]): { id: string; messages: StoredMessage[] } => ({
  id: 'chat',
  messages: [
    {
      id: 'u1',
      role: 'user',
      text: 'look',
      status: 'done',
      createdAt: 1,
      images: files.map((f, i) => ({ id: `i${i}`, name: `pic ${i}.png`, mime: 'image/png', bytes: 10, file: f })),
    },
  ],
});

const toolRef = (f: string): ToolImageRef => ({
  id: `t-${f.slice(0, 4)}`,
  name: 'image 1 from shop__chart',
  mime: 'image/png',
  bytes: 10,
  file: f,
  callId: 'call-1',
  tool: 'shop__chart',
});

/** A task record as src/agent/taskHistory.ts stores it: the cards' thumbnails and the transcript's image turn. */
const taskRecord = (cardFiles: readonly string[], transcriptFiles: readonly string[]): unknown => {
  const card: ChatMessageView = {
    id: 'a1',
    role: 'assistant',
    text: '',
    status: 'done',
    createdAt: 2,
    tools: [
      {
        id: 'call-1',
        tool: 'shop__chart',
        title: 'shop: chart',
        state: 'done',
        images: cardFiles.map((f) => ({ name: 'image 1', file: f, src: '', mime: 'image/png', bytes: 10 })),
      },
    ],
  } as ChatMessageView;
  return {
    id: 'task',
    mode: 'agent',
    messages: [card],
    transcript: [
      { role: 'tool', tool_call_id: 'call-1', content: 'chart' },
      toolImagesMessage(transcriptFiles.map(toolRef)),
    ],
    steps: 1,
    spentUsd: 0,
    outcome: 'finished',
  };
};

describe('image references in stored conversations', () => {
  it('finds the files of chat images, task cards and task transcripts', () => {
    assert.deepEqual([...imageFilesIn(chatRecord(A, B))].sort(), [A, B]);
    assert.deepEqual([...imageFilesIn(taskRecord([C], [D]))].sort(), [C, D]);
    assert.deepEqual([...imageFilesIn([chatRecord(A), taskRecord([A], [A])])], [A], 'each file once');
  });

  it('counts a file name under `file` wherever a later shape keeps it', () => {
    const nested = { steps: [{ attempts: { first: { picture: { file: B } } } }], other: [[{ file: C }]] };
    assert.deepEqual([...imageFilesIn(nested)].sort(), [B, C]);
  });

  it("never reads text as a reference: a tool's output or an answer that names a stored file", () => {
    const record = {
      messages: [{ role: 'assistant', text: `I saved ${A} for you`, tools: [{ result: `wrote ${B}`, summary: C }] }],
      transcript: [{ role: 'tool', content: JSON.stringify({ file: D }) }],
    };
    assert.equal(imageFilesIn(record).size, 0);
  });

  it('ignores names that are not the image store’s (paths, other types, upper case, short hashes)', () => {
    const bad = [
      '../../etc/passwd',
      `${'a'.repeat(64)}.svg`,
      `${'A'.repeat(64)}.png`,
      `${'a'.repeat(63)}.png`,
      `sub/${A}`,
      `${A}/../x`,
    ];
    assert.equal(imageFilesIn({ images: bad.map((f) => ({ file: f })) }).size, 0);
    assert.equal(imageFilesIn({ file: 42 }).size, 0);
  });

  it('survives records that are not objects, and a cycle', () => {
    for (const v of [undefined, null, 'text', 42, true, []]) assert.equal(imageFilesIn(v).size, 0);
    const cyclic: { file: string; self?: unknown } = { file: A };
    cyclic.self = { back: cyclic };
    assert.deepEqual([...imageFilesIn(cyclic)], [A]);
  });

  it('deletes only what nothing kept refers to', () => {
    const cases: { name: string; gone: unknown[]; kept: unknown[]; deleted: string[] }[] = [
      { name: 'a chat alone', gone: [chatRecord(A, B)], kept: [], deleted: [A, B] },
      { name: 'a chat sharing one with another chat', gone: [chatRecord(A, B)], kept: [chatRecord(B)], deleted: [A] },
      { name: 'a chat sharing with a task', gone: [chatRecord(A)], kept: [taskRecord([A], [A])], deleted: [] },
      { name: 'a task alone', gone: [taskRecord([C], [C, D])], kept: [chatRecord(A)], deleted: [C, D] },
      {
        name: 'a task whose image another task returned too',
        gone: [taskRecord([C], [C])],
        kept: [taskRecord([], [C])],
        deleted: [],
      },
      { name: 'a task sharing with a chat', gone: [taskRecord([D], [D])], kept: [chatRecord(D)], deleted: [] },
      {
        name: 'a task whose image is on screen (a running task, the composer)',
        gone: [taskRecord([C], [C])],
        kept: [[{ tools: [{ images: [{ file: C }] }] }]],
        deleted: [],
      },
      { name: 'nothing stored for it', gone: [undefined], kept: [chatRecord(A)], deleted: [] },
    ];
    for (const c of cases) assert.deepEqual(imageFilesOnlyIn(c.gone, c.kept).sort(), c.deleted.sort(), c.name);
  });
});
