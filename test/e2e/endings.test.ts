/**
 * Every answer ends right (issue 11), driven as a person would in a real VS Code (code-server +
 * Chromium) against the fake OpenRouter: a stream that finishes but is held open without
 * `[DONE]` completes at once, and an answer whose continuation restarts from the beginning is
 * shown without repeated text.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lastAnswerText, sendMessage } from './harness/chatView';
import { useSwitchyard } from './harness/session';
import { waitUntil } from './harness/wait';
import { SEL } from './harness/selectors';
import { pickQuickItem, waitForQuickInput } from './harness/quickInput';
import { openChatView, waitForStatusBarModel } from './harness/workbench';

const KEY = 'sk-or-v1-e2e-endings-0123456789abcdef0123';
const MODEL = 'openai/gpt-4o-mini';
const STEP = { timeout: 180_000 };
/** Far longer than "at once": an answer that waited for the idle timer would take this long. */
const TIMEOUT_SECONDS = 60;

const CHAT_TIER = 'mistralai/mistral-small:free';
const session = useSwitchyard({
  env: { OPENROUTER_API_KEY: KEY },
  settings: {
    'switchyard.model': MODEL,
    'switchyard.fallbackModels': [],
    'switchyard.timeoutSeconds': TIMEOUT_SECONDS,
    'switchyard.routing.tiers': { chat: [CHAT_TIER] },
  },
});

const count = (text: string, part: string): number => text.split(part).length - 1;

describe('Every answer ends right, in a real VS Code', { timeout: 600_000 }, () => {
  it('a stream that finishes but stays open without [DONE] completes at once (no "Generating")', STEP, async () => {
    const s = session();
    s.fake?.setFault(MODEL, { kind: 'finishNoDone' });
    const frame = await openChatView(s.page);
    const started = Date.now();
    await sendMessage(frame, 'Say something short');
    // Done long before the idle timeout could have ended it.
    const text = await lastAnswerText(frame, 'done', (TIMEOUT_SECONDS - 20) * 1000);
    const took = Date.now() - started;
    s.fake?.setFault(MODEL, undefined);
    const answer = frame.locator('.message.assistant').last();
    assert.equal(await answer.locator('.generating').count(), 0, 'no "Generating" left');
    assert.equal(count(text, 'Echo from'), 1, `shown once: ${text}`);
    assert.match(await answer.locator('.meta').innerText(), /\$/, 'the spend is shown');
    const requests = s.fake?.chatRequests() ?? [];
    assert.equal(requests.length, 1, 'never continued or retried');
    // The fake hears the close after the view shows the answer done: wait for it.
    await waitUntil(() => requests[0]?.aborted === true, 60_000, 'the client closed the held-open request');
    assert.ok(took < TIMEOUT_SECONDS * 1000, `took ${took} ms`);
    await s.screenshot('11-finished-without-done');
  });

  it('a continuation that restarts from the beginning is shown without repetition', STEP, async () => {
    const s = session();
    s.fake?.clearRequests();
    // Breaks off after 3 pieces; the retry ignores the partial answer and starts again.
    s.fake?.setFault(MODEL, [{ kind: 'midStreamError', afterChunks: 3 }, { kind: 'restart' }]);
    const frame = await openChatView(s.page);
    await sendMessage(frame, 'Explain the retry');
    const text = await lastAnswerText(frame, 'done');
    s.fake?.setFault(MODEL, undefined);
    const answer = frame.locator('.message.assistant').last();
    assert.match(
      await answer.locator('.route-notice').first().innerText(),
      /gpt-4o-mini broke off mid-answer → continuing on gpt-4o-mini/,
    );
    assert.equal(count(text, 'Echo from openai/gpt-4o-mini: Explain the retry'), 1, `each word once: ${text}`);
    assert.equal(count(text, 'That is all.'), 1, `the end once: ${text}`);
    const bodies = (s.fake?.chatRequests() ?? []).map(
      (r) => r.body as { messages: { role: string; content: string }[] },
    );
    assert.equal(bodies.length, 2);
    assert.match(
      bodies[1]!.messages.at(-1)!.content,
      /^Your previous answer was cut off/,
      'gpt-4o-mini gets the partial as context and a "continue" turn',
    );
    await s.screenshot('11-restarted-continuation-spliced');
  });

  it(
    'the only model cooling after errors is not locked away: a countdown with Send now sends at once',
    STEP,
    async () => {
      const s = session();
      const frame = await openChatView(s.page);
      // Every request breaks off: the answer fails after its retries and the model cools down.
      s.fake?.setFault(MODEL, { kind: 'midStreamError', afterChunks: 1 });
      await sendMessage(frame, 'First try');
      await lastAnswerText(frame, 'error', 60_000);
      s.fake?.setFault(MODEL, undefined);
      s.fake?.clearRequests();
      await sendMessage(frame, 'Second try');
      const countdown = frame.locator('.message.assistant').last().locator('.wait-countdown');
      await countdown.waitFor({ state: 'visible', timeout: 60_000 });
      assert.match(await countdown.innerText(), /Waiting for gpt-4o-mini .*\d+ s/s);
      await s.screenshot('11-cooling-countdown');
      assert.equal(s.fake?.chatRequests().length, 0, 'nothing sent while it counts down');
      await countdown.locator('#send-now').click();
      const text = await lastAnswerText(frame, 'done', 60_000);
      assert.match(text, /Echo from openai\/gpt-4o-mini: Second try/);
      assert.equal(
        await frame.locator('.message.assistant').last().locator('.wait-countdown').count(),
        0,
        'the countdown is gone',
      );
      await s.screenshot('11-sent-now');
    },
  );

  it(
    'Auto by task in the model picker: the status bar says so and a chat message goes to the chat tier',
    STEP,
    async () => {
      const s = session();
      s.fake?.clearRequests();
      await s.page.locator(SEL.modelStatusItem).click();
      await waitForQuickInput(s.page);
      await pickQuickItem(s.page, /Auto by task/, { filter: 'auto by task' });
      await waitForStatusBarModel(s.page, /Auto by task/);
      const frame = await openChatView(s.page);
      await frame.waitForFunction(
        () => (document.querySelector('#model-badge')?.textContent ?? '').includes('Auto by task'),
        undefined,
        { timeout: 60_000 },
      );
      await sendMessage(frame, 'Who answers by task?');
      const text = await lastAnswerText(frame, 'done');
      assert.match(text, /Echo from mistralai\/mistral-small:free: Who answers by task\?/, 'the chat tier answered');
      assert.equal((s.fake?.chatRequests().at(-1)?.body as { model: string }).model, CHAT_TIER);
      await s.screenshot('11-auto-by-task');
    },
  );
});
