/**
 * "Send with a Smaller Context" (issue 26's budget block): what leaves the refused message and
 * what it then says, over variants — files and selections left out, images kept, chips already
 * left out not counted twice, earlier messages counted, nothing to leave out.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { withSmallerContext } from '../../src/chat/smallerContext';
import type { StoredMessage } from '../../src/chat/conversation';
import type { AttachmentView } from '../../src/protocol/messages';

const chip = (label: string, kind: AttachmentView['kind'], tokens: number, dropped = false): AttachmentView => ({
  id: label,
  kind,
  label,
  tokens,
  truncated: false,
  originalTokens: tokens,
  ...(dropped ? { dropped: true } : {}),
});

const user = (attachments: AttachmentView[], notices?: string[]): StoredMessage => ({
  id: 'u1',
  role: 'user',
  text: 'Summarise',
  status: 'done',
  createdAt: 0,
  attachments,
  context: attachments.filter((a) => !a.dropped && a.kind !== 'image').map((a) => `<${a.label}>`),
  ...(notices ? { notices } : {}),
});

it('leaves out the attached context and the earlier messages, and says which', () => {
  const cases: [string, StoredMessage, number, string | undefined][] = [
    [
      'a file and history',
      user([chip('src/a.ts', 'file', 1200)]),
      4,
      'left out src/a.ts (~1200 tokens) and the 4 earlier messages of this chat.',
    ],
    [
      'two chips, one message before',
      user([chip('src/a.ts:1-9', 'selection', 80), chip('Problems', 'problems', 40)]),
      1,
      'left out src/a.ts:1-9 (~80 tokens), Problems (~40 tokens) and the 1 earlier message of this chat.',
    ],
    ['history only', user([]), 2, 'left out the 2 earlier messages of this chat.'],
    [
      'a chip already left out is not named again',
      user([chip('big.js', 'file', 9, true)]),
      2,
      'left out the 2 earlier messages of this chat.',
    ],
    ['an image stays (it is the message)', user([chip('shot.png', 'image', 800)]), 0, undefined],
    ['nothing to leave out', user([]), 0, undefined],
  ];
  for (const [name, message, earlier, want] of cases) {
    const { message: sent, dropped } = withSmallerContext(message, earlier);
    assert.equal(dropped, want !== undefined, name);
    if (want === undefined) {
      assert.equal(sent, message, `${name}: unchanged`);
      continue;
    }
    assert.equal(sent.notices?.at(-1), `Sent with a smaller context to fit the budget: ${want}`, name);
    assert.deepEqual(sent.context, [], `${name}: no context block is sent`);
    assert.ok(
      (sent.attachments ?? []).every((a) => a.kind === 'image' || a.dropped),
      `${name}: every chip shows it was not sent`,
    );
  }
});

it('keeps the notices the message had, and images with their message', () => {
  const message = user([chip('shot.png', 'image', 800), chip('src/a.ts', 'file', 10)], ['src/b.ts was cut to fit']);
  const { message: sent } = withSmallerContext(message, 0);
  assert.equal(sent.notices?.[0], 'src/b.ts was cut to fit');
  assert.equal(sent.attachments?.[0]?.dropped, undefined, 'the image is still sent');
  assert.equal(sent.attachments?.[1]?.dropped, true);
});
