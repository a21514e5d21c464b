/**
 * Issue 21 in a real VS Code: a chat longer than what `init` carries (src/chat/earlierMessages.ts)
 * comes back whole after a window reload — the view paints the newest messages, then asks the
 * extension for the older ones (`loadEarlier`) and adds them above, in order — without a request
 * to OpenRouter.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { INIT_MESSAGES } from '../../src/chat/earlierMessages';
import { sendMessage } from './harness/chatView';
import { useSwitchyard } from './harness/session';
import { openChatView, reloadWindow } from './harness/workbench';

const KEY = 'sk-or-v1-e2e-restore-long-0123456789abcdef';
const STEP = { timeout: 420_000 };
/** Questions asked: twice as many messages, more than `init` carries. */
const QUESTIONS = INIT_MESSAGES / 2 + 2;

const session = useSwitchyard({
  env: { OPENROUTER_API_KEY: KEY },
  settings: { 'switchyard.model': 'openai/gpt-4o-mini', 'switchyard.attachEditorContext': false },
});

describe('restoring a long chat in a real VS Code', { timeout: 600_000 }, () => {
  it('a chat longer than the first screen comes back whole and in order after a reload', STEP, async () => {
    const s = session();
    let frame = await openChatView(s.page);
    for (let i = 1; i <= QUESTIONS; i++) {
      await sendMessage(frame, `LONG-CHAT question ${i}`);
      await frame.waitForFunction(
        () => [...document.querySelectorAll('.message.assistant')].at(-1)?.getAttribute('data-status') === 'done',
        undefined,
        { timeout: 60_000 },
      );
    }
    const before = await frame.locator('#messages > .message').evaluateAll((all) => all.map((m) => m.dataset.id));
    assert.equal(before.length, QUESTIONS * 2);
    const requests = s.fake?.chatRequests().length;

    frame = (await reloadWindow(s.page)) ?? (await openChatView(s.page));
    await frame.waitForFunction(
      (n) =>
        document.querySelectorAll('#messages > .message').length === n &&
        document.querySelector('#messages')?.getAttribute('data-all-rendered') === 'true',
      before.length,
      { timeout: 90_000 },
    );
    const after = await frame.locator('#messages > .message').evaluateAll((all) => all.map((m) => m.dataset.id));
    assert.deepEqual(after, before, 'every message, in order');
    const first = frame.locator('#messages > .message.user').first();
    assert.match(await first.innerText(), /LONG-CHAT question 1$/m);
    assert.equal(
      await frame.locator('#messages').evaluate((l) => l.scrollHeight - l.scrollTop - l.clientHeight <= 32),
      true,
      'the view opens at the end of the chat',
    );
    await s.screenshot('restore-long-01-after-reload');
    await first.scrollIntoViewIfNeeded();
    await first.waitFor({ state: 'visible', timeout: 30_000 });
    await s.screenshot('restore-long-02-oldest');
    assert.equal(s.fake?.chatRequests().length, requests, 'restoring asks OpenRouter nothing');
  });
});
