/**
 * The chat webview's animations follow the person's "reduce motion" preference: while an answer
 * streams, the "Generating" dots pulse and the caret blinks — unless the system asks for reduced
 * motion, when both stand still (media/chat.css).
 *
 * Run: node --import tsx --test --test-reporter=spec test/webview/motion.test.ts
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { assistant, init, SONNET, user } from './fixtures';
import { startHarness, withCleanPage, type Harness } from './harness';

let harness: Harness;

/** Where a streaming answer's last block can end, so where its caret (`::after`) is drawn. */
const ENDINGS = [
  { name: 'a paragraph', text: 'Hello there', caretIn: 'P' },
  { name: 'a heading', text: 'Intro\n\n## Next steps', caretIn: 'H2' },
  { name: 'a list item', text: 'Steps:\n\n- one\n- two', caretIn: 'LI' },
  { name: 'a paragraph in a list item', text: '- one\n\n  more about one', caretIn: 'P' },
] as const;

/** The animation names of answer `id`'s first "Generating" dot and of its carets (elements drawing `::after`). */
function animations(page: Page, id: string): Promise<{ dot: string; carets: string[] }> {
  return page.evaluate((answerId) => {
    const answer = document.querySelector(`[data-id="${answerId}"]`);
    const dot = answer?.querySelector('.generating .dot');
    if (!answer || !dot) throw new Error(`no streaming answer ${answerId} with its dots`);
    const carets = Array.from(answer.querySelectorAll('.markdown *')).filter(
      (e) => getComputedStyle(e, '::after').content !== 'none',
    );
    return {
      dot: getComputedStyle(dot).animationName,
      carets: carets.map((e) => `${e.tagName} ${getComputedStyle(e, '::after').animationName}`),
    };
  }, id);
}

describe('motion in the chat webview', () => {
  before(async () => {
    harness = await startHarness();
  });
  after(async () => {
    await harness.close();
  });

  for (const [i, ending] of ENDINGS.entries()) {
    it(`pulses the dots and blinks the caret after ${ending.name}, and stills both when the system reduces motion`, async () => {
      await withCleanPage(harness, {}, async (w) => {
        const { page } = w;
        const id = `a${i}`;
        await w.deliver(init(), { type: 'busy', busy: true }, { type: 'messageAdded', message: user('u1', 'Hi') });
        await w.deliver({
          type: 'messageAdded',
          message: assistant(id, '', { status: 'streaming', meta: { requestedModel: SONNET.id } }),
        });
        await w.deliver({ type: 'delta', id, text: ending.text });
        await page.locator(`[data-id="${id}"] .markdown ${ending.caretIn.toLowerCase()}`).first().waitFor();
        await page.locator(`[data-id="${id}"] .generating .dot`).first().waitFor();

        await page.emulateMedia({ reducedMotion: 'no-preference' });
        const animated = { dot: 'sy-pulse', carets: [`${ending.caretIn} sy-blink`] };
        assert.deepEqual(await animations(page, id), animated, 'animated by default');

        await page.emulateMedia({ reducedMotion: 'reduce' });
        assert.equal(await page.evaluate(() => matchMedia('(prefers-reduced-motion: reduce)').matches), true);
        const still = { dot: 'none', carets: [`${ending.caretIn} none`] };
        assert.deepEqual(await animations(page, id), still, 'still under reduced motion');

        await page.emulateMedia({ reducedMotion: 'no-preference' });
        assert.deepEqual(await animations(page, id), animated, 'animated again');
      });
    });
  }
});
