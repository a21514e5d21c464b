import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimateHeight, firstScreenCount } from '../../src/webview/view/firstScreen';

const answer = (lines: number, width = 40): { text: string } => ({
  text: Array.from({ length: lines }, (_, i) => `${i}`.padEnd(width, 'x')).join('\n'),
});

describe('the first screen of a restored chat', () => {
  it('estimates a text by its lines, long lines wrapped at the view width', () => {
    const oneLine = estimateHeight('short', 400);
    assert.equal(estimateHeight('a\nb\nc', 400) - oneLine, 2 * (estimateHeight('a\nb', 400) - oneLine));
    assert.equal(estimateHeight('', 400), oneLine, 'an empty text is one line');
    assert.equal(estimateHeight('\n\n', 400), estimateHeight('a\nb\nc', 400), 'empty lines count');
    const long = 'word '.repeat(200);
    assert.ok(estimateHeight(long, 200) > estimateHeight(long, 800), 'narrower is taller');
    assert.ok(estimateHeight(long, 800) > oneLine, 'a long line wraps');
    assert.equal(estimateHeight('x'.repeat(10_000), 0), estimateHeight('x'.repeat(10_000), 1), 'no division by zero');
  });

  it('errs low: a real line of the chat (about 20 px, 7 px a character) is never estimated taller', () => {
    for (const width of [200, 420, 800]) {
      for (const chars of [1, 60, 300, 2000]) {
        const realLines = Math.max(1, Math.ceil((chars * 7) / width));
        assert.ok(
          estimateHeight('x'.repeat(chars), width) <= 40 + realLines * 20,
          `${chars} characters at ${width} px`,
        );
      }
    }
  });

  it('counts the newest messages that fill the view, more in a taller view and fewer for longer answers', () => {
    const messages = Array.from({ length: 16 }, () => answer(10));
    const inSidebar = firstScreenCount(messages, 420, 760);
    assert.ok(inSidebar >= 2 && inSidebar < 16, `${inSidebar} messages`);
    assert.ok(firstScreenCount(messages, 420, 1400) > inSidebar, 'a taller view needs more');
    assert.ok(
      firstScreenCount(
        messages.map(() => answer(60)),
        420,
        760,
      ) < inSidebar,
      'long answers fill it sooner',
    );
    assert.equal(firstScreenCount([answer(1)], 420, 760), 1, 'never more than there are');
    assert.equal(firstScreenCount([], 420, 760), 0);
    assert.equal(firstScreenCount([answer(500)], 420, 760), 1, 'one answer taller than the view');
  });

  it('renders a few messages when the view has no size yet (hidden)', () => {
    const messages = Array.from({ length: 16 }, () => answer(1));
    for (const [width, height] of [
      [0, 0],
      [420, 0],
      [0, 760],
    ] as const)
      assert.equal(firstScreenCount(messages, width, height), 6, `${width} × ${height}`);
    assert.equal(firstScreenCount(messages.slice(0, 3), 0, 0), 3);
  });
});
