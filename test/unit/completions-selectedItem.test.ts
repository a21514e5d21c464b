import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { acceptedCursor } from '../../src/completions/selectedItem';

describe("completions with VS Code's suggest list open: asked as if its selected item were accepted", () => {
  const at = { prefix: 'const n = 1;\ncons', suffix: ')\n', offset: 17 };

  it('replaces the typed part of the word with the item, keeping the suffix', () => {
    assert.deepEqual(acceptedCursor(at, { start: 13, end: 17, text: 'console' }), {
      prefix: 'const n = 1;\nconsole',
      suffix: ')\n',
      offset: 20,
    });
  });

  it('an item that replaces nothing (a member list after a dot) is appended', () => {
    const dot = { prefix: 'console.', suffix: '', offset: 8 };
    assert.deepEqual(acceptedCursor(dot, { start: 8, end: 8, text: 'log' }), {
      prefix: 'console.log',
      suffix: '',
      offset: 11,
    });
  });

  it("an item replacing the dot too (VS Code's own example: `.log` over `.`) keeps one dot", () => {
    const dot = { prefix: 'console.', suffix: '', offset: 8 };
    assert.equal(acceptedCursor(dot, { start: 7, end: 8, text: '.log' })?.prefix, 'console.log');
  });

  it('when the prefix read is a tail of the document, offsets stay absolute', () => {
    const tail = { prefix: 'x = cons', suffix: '', offset: 10_008 };
    assert.deepEqual(acceptedCursor(tail, { start: 10_004, end: 10_008, text: 'console' }), {
      prefix: 'x = console',
      suffix: '',
      offset: 10_011,
    });
  });

  for (const [why, item] of [
    ['its range ends before the cursor', { start: 13, end: 16, text: 'console' }],
    ['its range ends after the cursor', { start: 13, end: 18, text: 'console' }],
    ['its range reaches before the prefix read', { start: -5, end: 17, text: 'console' }],
    ['its range is backwards', { start: 18, end: 17, text: 'console' }],
    ['it inserts several lines (a snippet)', { start: 13, end: 17, text: 'for (;;) {\n}' }],
    ['it inserts a carriage return', { start: 13, end: 17, text: 'a\rb' }],
    ['it inserts nothing', { start: 13, end: 17, text: '' }],
  ] as const)
    it(`asks nothing when ${why}`, () => {
      assert.equal(acceptedCursor(at, item), undefined);
    });
});
