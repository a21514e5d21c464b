/**
 * The first screen of a restored chat (real Chromium, production CSP, the host's real `init`
 * cut, src/chat/earlierMessages.ts): what the view shows in its first frame is rendered markdown,
 * never plain text waiting for it, whatever the view's size and the answers' length; the newest
 * answers render before the first layout and little more; what scrolls into view renders before
 * its frame; and getting ready before the `init` leaves nothing on the page.
 *
 * Run: node --import tsx --test --test-reporter=spec test/webview/first-screen.test.ts
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ChatMessageView } from '../../src/protocol/messages';
import { asPosted } from './earlierPages';
import { assistant, FIRST_ANSWER, init, user } from './fixtures';
import { startHarness, withCleanPage, type Harness, type OpenOptions, type WebviewPage } from './harness';

let harness: Harness;

function withPage(options: OpenOptions, scenario: (w: WebviewPage) => Promise<void>): Promise<void> {
  return withCleanPage(harness, options, scenario);
}

/** `count` messages: a question and an answer (`answer(i)`) in turn; ids `<prefix>u<i>`, `<prefix>a<i>`. */
function history(count: number, answer: (i: number) => string, prefix = ''): ChatMessageView[] {
  const out: ChatMessageView[] = [];
  for (let i = 0; i < count; i += 2) {
    out.push(user(`${prefix}u${i}`, `Question ${i}: why does factorial(25) lose precision?`));
    out.push(assistant(`${prefix}a${i}`, answer(i)));
  }
  return out;
}

const ANSWERS: Record<string, (i: number) => string> = {
  'with code blocks': (i) => `${FIRST_ANSWER}\n\n\`\`\`ts\nexport const step${i} = ${i};\n\`\`\``,
  'of one line': (i) => `Answer ${i}: use \`BigInt\`.`,
  'of 80 lines': (i) => Array.from({ length: 80 }, (_, n) => `- point ${n} of answer ${i}`).join('\n'),
  // Blank lines collapse when rendered: the text is far taller than its markdown.
  'shorter rendered than as text': (i) => `Answer ${i} begins,${'\n'.repeat(60)}and ends.`,
};

interface FirstFrame {
  /** Messages in the view that still show plain text. */
  readonly plainInView: string[];
  readonly inView: number;
  readonly rendered: number;
  readonly messages: number;
  readonly atBottom: boolean;
}

/** Delivers `init` and reads the list in the same task: what the first frame will paint. */
function deliverAndLook(w: WebviewPage, message: unknown): Promise<FirstFrame> {
  return w.page.evaluate((m) => {
    (window as unknown as { __deliver(x: unknown): void }).__deliver(m);
    const list = document.querySelector('#messages') as HTMLElement;
    const box = list.getBoundingClientRect();
    const all = [...list.querySelectorAll('.message')];
    const inView = all.filter((e) => {
      const r = e.getBoundingClientRect();
      return r.bottom > box.top && r.top < box.bottom;
    });
    return {
      plainInView: inView.filter((e) => e.classList.contains('pending')).map((e) => e.getAttribute('data-id') ?? ''),
      inView: inView.length,
      rendered: all.filter((e) => e.matches('.assistant:not(.pending)')).length,
      messages: all.length,
      atBottom: list.scrollHeight - list.scrollTop - list.clientHeight <= 32,
    };
  }, message);
}

/**
 * In the page (plain JavaScript: tsx's helpers do not exist there): scrolls the waiting answer at
 * `at` of those still waiting (oldest first: the last the idle rendering reaches) to the middle of
 * the view, and tells how many waiting answers the scroll brought into view (read before the
 * webview's own listener, in the capture phase) and which ones still show plain text when the
 * frame paints (read in its animation callback, after scroll events ran).
 */
const SCROLL_TO = `(at) => new Promise((resolve) => {
  const list = document.querySelector('#messages');
  const inView = () => {
    const box = list.getBoundingClientRect();
    return [...list.querySelectorAll('.message.pending')].filter((e) => {
      const r = e.getBoundingClientRect();
      return r.bottom > box.top && r.top < box.bottom;
    });
  };
  const waiting = [...list.querySelectorAll('.message.pending')];
  const target = waiting[Math.floor(at * waiting.length)];
  let waitingBefore = 0;
  document.addEventListener('scroll', () => (waitingBefore = inView().length), { capture: true, once: true });
  list.scrollTop += target.getBoundingClientRect().top - list.getBoundingClientRect().top - list.clientHeight / 2;
  requestAnimationFrame(() => resolve({ waitingBefore, plain: inView().map((e) => e.getAttribute('data-id')) }));
})`;

describe('the first screen of a restored chat', () => {
  before(async () => {
    harness = await startHarness();
  });
  after(async () => {
    await harness.close();
  });

  const views = [
    { name: 'side bar', viewport: { width: 420, height: 760 } },
    { name: 'short panel', viewport: { width: 420, height: 320 } },
    { name: 'wide editor tab', viewport: { width: 1100, height: 1300 } },
  ];
  for (const { name, viewport } of views) {
    it(`${name}: the first frame shows rendered answers only, at the bottom, for short, long and collapsing answers`, async () => {
      await withPage({ viewport }, async (w) => {
        // One chat after another in the same page (as when switching past chats): each a new init.
        for (const [n, [kind, answer]] of Object.entries(ANSWERS).entries()) {
          const chat = asPosted(init({ messages: history(300, answer, `c${n}-`) }));
          const first = await deliverAndLook(w, chat.init);
          assert.deepEqual(first.plainInView, [], `${kind}: no message in view waits for its markdown`);
          assert.ok(first.inView > 0, `${kind}: the view shows messages`);
          assert.equal(first.atBottom, true, `${kind}: the view opens at the end of the chat`);
          // The newest answers render and the rest wait: the answers in view, and a few more at most.
          const answersInView = Math.ceil(first.inView / 2) + 1;
          assert.ok(
            first.rendered <= answersInView + 3,
            `${kind}: ${first.rendered} answers rendered for ${first.inView} messages in view`,
          );
          if (n === 0) await w.page.screenshot({ path: `test-results/webview-first-screen-${viewport.height}.png` });
        }
      });
    });
  }

  it('what scrolls into view renders before its frame paints', async () => {
    // The whole history in one init: most answers wait for their markdown for a while.
    await withPage({}, async (w) => {
      await deliverAndLook(w, init({ messages: history(1000, ANSWERS['with code blocks'] ?? String) }));
      // Far apart (more than a screen), among the oldest: what the scroll shows is still waiting.
      for (const fraction of [0.3, 0, 0.1, 0.2]) {
        const seen = await w.page.evaluate<{ waitingBefore: number; plain: string[] }>(`(${SCROLL_TO})(${fraction})`);
        assert.ok(seen.waitingBefore > 0, `at ${fraction}: the scroll brought waiting answers into view`);
        assert.deepEqual(seen.plain, [], `at ${fraction}: nothing in view shows plain text when painted`);
      }
    });
  });

  it('getting ready before the init leaves nothing on the page and posts nothing', async () => {
    await withPage({}, async (w) => {
      await w.page.waitForSelector('body[data-warmed-up]', { state: 'attached' });
      const page = await w.page.evaluate(() => ({
        lists: document.querySelectorAll('.messages').length,
        messages: document.querySelectorAll('.message').length,
        welcome: !(document.querySelector('#welcome') as HTMLElement | null)?.hidden,
      }));
      assert.deepEqual(page, { lists: 1, messages: 0, welcome: true }, 'the empty chat, as it was');
      assert.deepEqual(
        (await w.posted()).map((m) => m.type),
        ['ready'],
      );
      // The first answer afterwards renders as usual.
      await w.deliver(init({ messages: [user('u0', 'Hi'), assistant('a0', FIRST_ANSWER)] }));
      assert.equal(await w.page.locator('[data-id="a0"] .code-block pre code').count(), 1);
      assert.equal(await w.page.locator('.message.pending').count(), 0);
    });
  });
});
