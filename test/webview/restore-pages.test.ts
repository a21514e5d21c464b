/**
 * A long chat restored the way the chat view posts it (real host code, src/chat/earlierMessages.ts):
 * `init` carries the newest messages, the webview paints them, then asks for the older ones
 * (`loadEarlier`) page by page and adds them above without moving the view; find-in-page, Copy and
 * a saved scroll position work on the older messages too.
 *
 * Run: node --import tsx --test --test-reporter=spec test/webview/restore-pages.test.ts
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ChatMessageView, HostToWebview } from '../../src/protocol/messages';
import { answerLoadEarlier, asPosted, releaseEarlier } from './earlierPages';
import { assistant, FIRST_ANSWER, init, user } from './fixtures';
import { startHarness, withCleanPage, type Harness, type OpenOptions, type WebviewPage } from './harness';

let harness: Harness;

function withPage(options: OpenOptions, scenario: (w: WebviewPage) => Promise<void>): Promise<void> {
  return withCleanPage(harness, options, scenario);
}

/** `count` messages, a question and an answer with a code block (`stepN`) in turn; ids `<prefix>u0`, `<prefix>a0`, … */
function history(count: number, prefix = ''): ChatMessageView[] {
  const out: ChatMessageView[] = [];
  for (let i = 0; i < count; i += 2) {
    out.push(user(`${prefix}u${i}`, `Question ${i}: why does factorial(25) lose precision?`));
    out.push(
      assistant(
        `${prefix}a${i}`,
        `${FIRST_ANSWER}\n\n\`\`\`ts\nexport function step${i}(n: bigint): bigint {\n  return n;\n}\n\`\`\``,
      ),
    );
  }
  return out;
}

function initMessages(message: HostToWebview): readonly ChatMessageView[] {
  assert.equal(message.type, 'init');
  return message.type === 'init' ? message.messages : [];
}

/** The ids of the list's messages, in order. */
function listIds(w: WebviewPage): Promise<string[]> {
  return w.page.evaluate(() =>
    [...document.querySelectorAll('#messages > .message')].map((m) => m.getAttribute('data-id') ?? ''),
  );
}

/** Waits until the list holds `count` messages, and (`rendered`) every one rendered: a minute or two for 1,000 at load 30. */
async function waitAllThere(w: WebviewPage, count: number, rendered = true): Promise<void> {
  await w.page.waitForFunction(
    ([n, all]) => {
      const list = document.querySelector('#messages');
      const done = !all || list?.getAttribute('data-all-rendered') === 'true';
      return done && list?.querySelectorAll('.message').length === n;
    },
    [count, rendered] as const,
    { timeout: 180_000 },
  );
}

function distanceFromBottom(w: WebviewPage): Promise<number> {
  return w.page.evaluate(() => {
    const list = document.querySelector('#messages') as HTMLElement;
    return list.scrollHeight - list.scrollTop - list.clientHeight;
  });
}

describe('restoring a long chat page by page', () => {
  before(async () => {
    harness = await startHarness();
  });
  after(async () => {
    await harness.close();
  });

  for (const count of [300, 1000]) {
    it(`${count} messages: init brings the newest, the older ones come after and the view stays at the bottom`, async () => {
      const full = history(count);
      const chat = asPosted(init({ messages: full }));
      const newest = initMessages(chat.init);
      assert.ok(newest.length >= 2 && newest.length <= 16, `init carries ${newest.length} messages`);
      assert.equal(chat.init.type === 'init' && chat.init.earlier, count - newest.length);
      assert.ok(JSON.stringify(chat.init).length < 20_000, 'init is small');
      await withPage({}, async (w) => {
        await answerLoadEarlier(w, chat);
        const first = await w.page.evaluate((m) => {
          (window as unknown as { __deliver(x: unknown): void }).__deliver(m);
          const list = document.querySelector('#messages') as HTMLElement;
          const last = [...list.querySelectorAll('.message.assistant')].at(-1);
          return {
            messages: list.querySelectorAll('.message').length,
            lastHasCode: last?.querySelector('pre code') !== null && last?.classList.contains('pending') === false,
          };
        }, chat.init);
        assert.deepEqual(first, { messages: newest.length, lastHasCode: true }, 'the last screen at once');
        await w.waitForPosted('loadEarlier');
        // The first ask (the next ones may follow at once, each before the first message it has by then).
        const asked = (await w.posted()).find((m) => m.type === 'loadEarlier');
        assert.deepEqual(
          asked,
          { type: 'loadEarlier', before: newest[0]?.id },
          'asks for the messages before the first one it has',
        );
        // 1,000: every page in (their markdown renders later; test/webview/restore.test.ts waits for that).
        await waitAllThere(w, count, count <= 300);
        assert.deepEqual(
          await listIds(w),
          full.map((m) => m.id),
          'every message, in order',
        );
        assert.ok((await distanceFromBottom(w)) <= 32, 'still at the bottom');
        if (count <= 300) {
          const codeBlocks = await w.page.locator('.message.assistant pre code').count();
          assert.equal(codeBlocks, count, 'two code blocks per answer, all rendered');
        }
        const found = await w.page.evaluate(() => (window as unknown as { find(t: string): boolean }).find('step0('));
        assert.equal(found, true, 'find-in-page finds the text of the oldest answer');
        await w.page.screenshot({ path: `test-results/webview-restore-pages-${count}.png` });
      });
    });
  }

  it('older messages arriving while the user reads keep the view where it is, and Copy works on them', async () => {
    const chat = asPosted(init({ messages: history(300) }));
    const oldest = initMessages(chat.init)[0]?.id ?? '';
    await withPage({}, async (w) => {
      await answerLoadEarlier(w, chat, true);
      await w.deliver(chat.init);
      await w.waitForPosted('loadEarlier');
      await w.page.waitForFunction(() => document.querySelectorAll('.message.pending').length === 0);
      // The user scrolls to the top of what is there, then the older messages arrive above it.
      const anchor = await w.page.evaluate((id) => {
        const list = document.querySelector('#messages') as HTMLElement;
        list.scrollTop = 0;
        return document.querySelector(`[data-id="${id}"]`)?.getBoundingClientRect().top;
      }, oldest);
      await releaseEarlier(w);
      await waitAllThere(w, 300);
      const now = await w.page.evaluate(
        (id) => document.querySelector(`[data-id="${id}"]`)?.getBoundingClientRect().top,
        oldest,
      );
      assert.ok(
        anchor !== undefined && now !== undefined && Math.abs(now - anchor) <= 1,
        `no jump (${anchor} → ${now})`,
      );
      // Up to the first answer: it renders, and its code can be copied.
      await w.page.locator('[data-id="a0"]').scrollIntoViewIfNeeded();
      await w.page.locator('[data-id="a0"] .code-block[data-lang="ts"] button.copy').last().click();
      const copied = await w.waitForPosted('copyCode');
      assert.match(copied.code, /export function step0\(n: bigint\)/);
    });
  });

  it('a position up in the history comes back once the older messages are there', async () => {
    const chat = asPosted(init({ messages: history(300) }));
    await withPage({ state: { draft: '', scrollTop: 2000, atBottom: false } }, async (w) => {
      await answerLoadEarlier(w, chat);
      await w.deliver(chat.init);
      await waitAllThere(w, 300);
      const seen = await w.page.evaluate(() => {
        const list = document.querySelector('#messages') as HTMLElement;
        return { scrollTop: list.scrollTop, pending: list.querySelectorAll('.message.pending').length };
      });
      assert.deepEqual(seen, { scrollTop: 2000, pending: 0 }, 'back at the saved position, everything rendered');
      assert.equal(await w.page.locator('#scroll-bottom').isVisible(), true, 'offers to jump to the latest');
    });
  });

  it('an older message changed before it arrived shows the change, in its place', async () => {
    const full = history(300);
    const chat = asPosted(init({ messages: full }));
    await withPage({}, async (w) => {
      await answerLoadEarlier(w, chat, true);
      await w.deliver(chat.init);
      await w.waitForPosted('loadEarlier');
      await w.deliver({ type: 'messageUpdated', message: assistant('a2', 'The **edited** answer about zebras.') });
      await releaseEarlier(w);
      await waitAllThere(w, 300);
      assert.deepEqual(
        await listIds(w),
        full.map((m) => m.id),
        'not added twice, not moved to the end',
      );
      assert.equal(await w.page.locator('[data-id="a2"] .markdown strong').textContent(), 'edited');
    });
  });

  it('switching to another past chat while a page is on its way shows only the new chat', async () => {
    const first = asPosted(init({ messages: history(300) }));
    const second = history(200, 'b');
    const other = asPosted(init({ messages: second }));
    await withPage({}, async (w) => {
      await answerLoadEarlier(w, { init: first.init, pages: { ...first.pages, ...other.pages } }, true);
      await w.deliver(first.init);
      await w.waitForPosted('loadEarlier');
      await w.deliver(other.init);
      await w.page.waitForFunction(
        (id) =>
          (window as unknown as { __posted: { type: string; before?: string }[] }).__posted.some(
            (m) => m.type === 'loadEarlier' && m.before === id,
          ),
        initMessages(other.init)[0]?.id,
      );
      await releaseEarlier(w);
      await waitAllThere(w, 200);
      assert.deepEqual(
        await listIds(w),
        second.map((m) => m.id),
      );
    });
  });
});
