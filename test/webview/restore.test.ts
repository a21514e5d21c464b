/**
 * Restoring a long chat in the webview (real Chromium, production CSP, fake host): the last screen
 * renders at once, older answers show their text (findable) and render their markdown when the
 * page is idle or scrolled to, and the scroll position the user left comes back.
 *
 * Run: node --import tsx --test --test-reporter=spec test/webview/restore.test.ts
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ChatMessageView } from '../../src/protocol/messages';
import { assistant, FIRST_ANSWER, init, user } from './fixtures';
import { startHarness, withCleanPage, type Harness, type OpenOptions, type WebviewPage } from './harness';

let harness: Harness;

function withPage(options: OpenOptions, scenario: (w: WebviewPage) => Promise<void>): Promise<void> {
  return withCleanPage(harness, options, scenario);
}

/** `count` messages, a question and an answer with a code block (`stepN`) in turn. */
function history(count: number): ChatMessageView[] {
  const out: ChatMessageView[] = [];
  for (let i = 0; i < count; i += 2) {
    out.push(user(`u${i}`, `Question ${i}: why does factorial(25) lose precision?`));
    out.push(
      assistant(
        `a${i}`,
        `${FIRST_ANSWER}\n\n\`\`\`ts\nexport function step${i}(n: bigint): bigint {\n  return n;\n}\n\`\`\``,
      ),
    );
  }
  return out;
}

interface FirstFrame {
  readonly messages: number;
  readonly pending: number;
  readonly lastHasCode: boolean;
  readonly firstFound: boolean;
  readonly atBottom: boolean;
  readonly scrollTop: number;
}

/** Delivers `init` and reads the list in the same task, before any idle or scroll callback ran. */
async function deliverAndLook(w: WebviewPage, message: unknown): Promise<FirstFrame> {
  return w.page.evaluate((m) => {
    (window as unknown as { __deliver(x: unknown): void }).__deliver(m);
    const list = document.querySelector('#messages') as HTMLElement;
    const last = [...list.querySelectorAll('.message.assistant')].at(-1);
    const seen = {
      messages: list.querySelectorAll('.message').length,
      pending: list.querySelectorAll('.message.pending').length,
      lastHasCode: last?.querySelector('pre code') !== null && last?.classList.contains('pending') === false,
      atBottom: list.scrollHeight - list.scrollTop - list.clientHeight <= 32,
      scrollTop: list.scrollTop,
    };
    // Find-in-page looks for the text of an answer that has not rendered its markdown yet (it
    // selects and scrolls to the match: put the view back where it was).
    const firstFound = (window as unknown as { find(text: string): boolean }).find('export function step0(');
    window.getSelection()?.removeAllRanges();
    list.scrollTop = seen.scrollTop;
    return { ...seen, firstFound };
  }, message);
}

/** Waits for the idle rendering to finish: a minute or two for 1,000 messages on a machine at load 30. */
async function waitAllRendered(w: WebviewPage): Promise<void> {
  await w.page.waitForFunction(
    () => document.querySelector('#messages')?.getAttribute('data-all-rendered') === 'true',
    undefined,
    { timeout: 180_000 },
  );
}

describe('restoring a long chat in the webview', () => {
  before(async () => {
    harness = await startHarness();
  });
  after(async () => {
    await harness.close();
  });

  for (const count of [300, 1000]) {
    it(`${count} messages: the last screen renders at once, the rest when idle, and the view stays at the bottom`, async () => {
      await withPage({}, async (w) => {
        const first = await deliverAndLook(w, init({ messages: history(count) }));
        assert.equal(first.messages, count, 'every message is in the list at once');
        assert.ok(first.pending > count / 3, `older answers wait for their markdown (${first.pending} pending)`);
        assert.equal(first.lastHasCode, true, 'the last answer shows its code block at once');
        assert.equal(first.firstFound, true, 'find-in-page finds the text of a waiting answer');
        assert.equal(first.atBottom, true, 'the view opens at the end of the chat');
        await waitAllRendered(w);
        const after = await w.page.evaluate(() => {
          const list = document.querySelector('#messages') as HTMLElement;
          return {
            pending: list.querySelectorAll('.message.pending').length,
            codeBlocks: list.querySelectorAll('.message.assistant pre code').length,
            atBottom: list.scrollHeight - list.scrollTop - list.clientHeight <= 32,
          };
        });
        // Two code blocks per answer: FIRST_ANSWER's and the `stepN` one.
        assert.deepEqual(after, { pending: 0, codeBlocks: count, atBottom: true }, 'all rendered, still at the bottom');
        await w.page.screenshot({ path: `test-results/webview-restore-${count}.png` });
        assert.deepEqual(w.errors, []);
      });
    });
  }

  it('scrolling up to waiting answers renders them', async () => {
    await withPage({}, async (w) => {
      await deliverAndLook(w, init({ messages: history(1000) }));
      await w.page.evaluate(() => {
        (document.querySelector('#messages') as HTMLElement).scrollTop = 0;
      });
      // Waited for, not read after two frames: a loaded machine renders it later (CI at load 13 did).
      await w.page.waitForFunction(
        () => document.querySelector('.message.assistant[data-id="a0"]')?.classList.contains('pending') === false,
        undefined,
        { timeout: 30_000, polling: 100 },
      );
      const top = await w.page.evaluate(() => {
        const firstAnswer = document.querySelector('.message.assistant[data-id="a0"]');
        return {
          pending: firstAnswer?.classList.contains('pending'),
          code: [...(firstAnswer?.querySelectorAll('pre code') ?? [])].map((c) => c.textContent).join('\n'),
        };
      });
      assert.equal(top.pending, false, 'the first answer rendered once scrolled to');
      assert.match(top.code, /export function step0/);
    });
  });

  it('a position up in the history comes back where the user left it, everything rendered', async () => {
    await withPage({ state: { draft: '', scrollTop: 2000, atBottom: false } }, async (w) => {
      const first = await deliverAndLook(w, init({ messages: history(300) }));
      assert.equal(first.pending, 0, 'rendered before the position was restored');
      assert.equal(first.scrollTop, 2000, 'back at the saved position');
      assert.equal(first.atBottom, false);
    });
  });
});
