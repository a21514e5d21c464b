/**
 * The key pool from the palette (issue 16 items 11 and 15), driven as a person would in a real VS
 * Code against the fake OpenRouter: Set API Key over an existing key asks "replace or add" (and Esc
 * keeps the keys); Manage API Keys rows offer Test this key, Rename…, Move up/down and, for a
 * cooling key, Reset its cooldown — each checked by what the list shows and by which key the next
 * chat request carries. The scenarios run in order on one VS Code.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { lastAnswerText } from './harness/chatView';
import { useSwitchyard, type SwitchyardSession } from './harness/session';
import { waitUntil } from './harness/wait';
import { waitForNotification } from './harness/notifications';
import {
  closeQuickInput,
  pickQuickItem,
  runCommand,
  typeIntoQuickInput,
  waitForQuickInput,
} from './harness/quickInput';
import { openChatView } from './harness/workbench';
import { waitForQuickInputItems } from './harness/quickPickWaits';

const KEY_A = 'sk-or-v1-e2e-pool-first-0123456789abcaaa';
const KEY_B = 'sk-or-v1-e2e-pool-second-0123456789abcbbb';
const KEY_C = 'sk-or-v1-e2e-pool-third-0123456789abcccc';
const KEY_D = 'sk-or-v1-e2e-pool-fourth-0123456789abcddd';
const STEP = { timeout: 180_000 };

const session = useSwitchyard({
  settings: { 'switchyard.model': 'openai/gpt-4o-mini', 'switchyard.timeoutSeconds': 20 },
});

/** Waits until the quick input's title matches (the widget is reused between steps). */
async function waitForTitle(page: Page, title: RegExp): Promise<void> {
  await page.waitForFunction(
    (source) =>
      new RegExp(source).test(document.querySelector('.quick-input-widget .quick-input-title')?.textContent ?? ''),
    title.source,
    { timeout: 60_000 },
  );
  await waitForQuickInput(page);
}

/** Whether two lists of rows are the same, in order. */
const same = (rows: readonly string[], expected: readonly string[]): boolean => rows.join('\n') === expected.join('\n');

/** Set API Key with `key`, up to the point where the key is checked and accepted. */
async function enterKey(s: SwitchyardSession, key: string): Promise<void> {
  await runCommand(s.page, 'Switchyard: Set API Key');
  await typeIntoQuickInput(s.page, key, { password: true, expectClose: false });
}

/** Opens Manage API Keys and returns its key rows' labels in the order shown (the try order), once they are `expected`. */
async function keyRows(page: Page, expected?: readonly string[]): Promise<string[]> {
  await runCommand(page, 'Switchyard: Manage API Keys');
  return shownKeyRows(page, expected);
}

/**
 * The key rows of the open Manage API Keys list, in order. With `expected`, waits until they are
 * that (the list comes back after an action, and can be drawn before its rows change), then
 * returns what is shown for the test to assert.
 */
async function shownKeyRows(page: Page, expected?: readonly string[]): Promise<string[]> {
  await waitForTitle(page, /Switchyard: API Keys/);
  await page
    .locator('.quick-input-widget .monaco-list-row .codicon-key')
    .first()
    .waitFor({ state: 'visible', timeout: 60_000 });
  const read = (): Promise<string[]> =>
    page
      .locator('.quick-input-widget .monaco-list-row:has(.codicon-key)')
      .evaluateAll((rows) =>
        rows.map((r) => (r.querySelector('.label-name')?.textContent ?? r.textContent ?? '').trim()),
      );
  let rows = await read();
  if (!expected) return rows;
  await waitUntil(
    async () => same((rows = await read()), expected),
    60_000,
    `the key rows to be ${JSON.stringify(expected)}`,
  ).catch(() => undefined);
  return rows;
}

/** Sends a chat message and returns the keys its requests carried, in order. */
async function keysOfNextAnswer(s: SwitchyardSession, text: string): Promise<string[]> {
  const before = s.fake!.chatRequests().length;
  const frame = await openChatView(s.page);
  const answers = await frame.locator('.message.assistant').count();
  await frame.locator('#input').fill(text);
  await frame.locator('#input').press('Enter');
  await frame.waitForFunction((n) => document.querySelectorAll('.message.assistant').length > n, answers, {
    timeout: 60_000,
  });
  await lastAnswerText(frame);
  return s
    .fake!.chatRequests()
    .slice(before)
    .map((r) => String(r.headers.authorization).replace(/^Bearer /, ''));
}

describe('Switchyard key pool in a real VS Code', { timeout: 900_000 }, () => {
  it(
    'Set API Key over an existing key asks "replace or add": add keeps both, replace swaps one, Esc saves nothing',
    STEP,
    async () => {
      const s = session();
      await enterKey(s, KEY_A);
      await waitForNotification(s.page, /API key saved \(sk-or-v1-e2e…aaa, "API key"/);

      // A second key: the question, with the existing key named (masked) and "add".
      await enterKey(s, KEY_B);
      await waitForTitle(s.page, /the pool already has an API key/);
      const expected = ['Replace "API key" (sk-or-v1-e2e…aaa)', 'Add as another key'];
      const choices = await waitForQuickInputItems(s.page, (rows) => same(rows, expected), 'replace or add');
      assert.deepEqual(choices, expected, JSON.stringify(choices));
      await s.screenshot('keys-01-replace-or-add');
      await pickQuickItem(s.page, 'Add as another key');
      await waitForNotification(s.page, /API key saved \(sk-or-v1-e2e…bbb, "API key \(2\)"/);
      assert.deepEqual(
        await keyRows(s.page, ['API key', 'API key (2)']),
        ['API key', 'API key (2)'],
        'both keys are in the pool',
      );
      await closeQuickInput(s.page);

      // A third: replace the "API key" — KEY_A leaves the pool, KEY_B stays.
      await enterKey(s, KEY_C);
      await waitForTitle(s.page, /the pool already has an API key/);
      await pickQuickItem(s.page, /^Replace "API key"/);
      await waitForNotification(s.page, /API key saved \(sk-or-v1-e2e…ccc, "API key"/);
      await runCommand(s.page, 'Switchyard: Manage API Keys');
      await waitForTitle(s.page, /Switchyard: API Keys/);
      const list = await s.page.locator('.quick-input-widget').innerText();
      assert.match(list, /sk-or-v1-e2e…ccc/);
      assert.match(list, /sk-or-v1-e2e…bbb/);
      assert.doesNotMatch(list, /…aaa/, 'the replaced key is gone');
      await closeQuickInput(s.page);
      assert.deepEqual(await keysOfNextAnswer(s, 'Which key answers?'), [KEY_C], 'the replacing key serves first');

      // A fourth, then Esc at the question: nothing saved, and it says so.
      await enterKey(s, KEY_D);
      await waitForTitle(s.page, /the pool already has an API key/);
      await s.page.keyboard.press('Escape');
      await waitForNotification(s.page, /the new key was not saved; your keys are unchanged/);
      await runCommand(s.page, 'Switchyard: Manage API Keys');
      await waitForTitle(s.page, /Switchyard: API Keys/);
      assert.doesNotMatch(await s.page.locator('.quick-input-widget').innerText(), /…ddd/);
      await closeQuickInput(s.page);
    },
  );

  it('Manage API Keys rows: test a key, rename it, move it up (the next request tries it first)', STEP, async () => {
    const s = session();
    assert.deepEqual(await keyRows(s.page, ['API key', 'API key (2)']), ['API key', 'API key (2)']);
    await s.screenshot('keys-02-list');
    await pickQuickItem(s.page, 'API key (2)');
    await waitForTitle(s.page, /key "API key \(2\)" \(sk-or-v1-e2e…bbb\)/);
    const healthy = ['Test this key', 'Rename…', 'Move up', 'Move down', 'Remove…'];
    const actions = await waitForQuickInputItems(s.page, (rows) => same(rows, healthy), 'the key actions');
    assert.deepEqual(actions, healthy, 'a healthy key has no cooldown to reset');
    await s.screenshot('keys-03-row-actions');
    await pickQuickItem(s.page, 'Test this key');
    await waitForNotification(s.page, /OpenRouter accepts the key "API key \(2\)" \(\$74\.50 of \$100\.00 left\)/);
    assert.ok(
      s.fake!.requests.some((r) => r.path === '/api/v1/key' && r.headers.authorization === `Bearer ${KEY_B}`),
      'GET /key with that key',
    );

    // Rename: the list comes back with the new label.
    await shownKeyRows(s.page);
    await pickQuickItem(s.page, 'API key (2)');
    await waitForTitle(s.page, /key "API key \(2\)"/);
    await pickQuickItem(s.page, 'Rename…');
    await waitForTitle(s.page, /rename key "API key \(2\)"/);
    assert.equal(
      await s.page.locator('.quick-input-widget .quick-input-box input').inputValue(),
      'API key (2)',
      'the box starts with the label',
    );
    await typeIntoQuickInput(s.page, 'Work', { expectClose: false });
    assert.deepEqual(await shownKeyRows(s.page, ['API key', 'Work']), ['API key', 'Work']);

    // Move up: first in the list, and first in the next request.
    await pickQuickItem(s.page, 'Work');
    await waitForTitle(s.page, /key "Work"/);
    await pickQuickItem(s.page, 'Move up');
    assert.deepEqual(await shownKeyRows(s.page, ['Work', 'API key']), ['Work', 'API key']);
    await s.screenshot('keys-04-moved-up');
    await closeQuickInput(s.page);
    assert.deepEqual(await keysOfNextAnswer(s, 'Which key now?'), [KEY_B], '"Work" is tried first');
  });

  it('a cooling key offers "Reset its cooldown", after which it is tried first again', STEP, async () => {
    const s = session();
    s.fake!.keys.revoke(KEY_B);
    assert.deepEqual(
      await keysOfNextAnswer(s, 'Fail over please'),
      [KEY_B, KEY_C],
      '"Work" is refused, "API key" serves',
    );
    s.fake!.keys.restore(KEY_B);
    // Cooling keys go last, and the header says so.
    assert.deepEqual(await keyRows(s.page, ['API key', 'Work']), ['API key', 'Work']);
    const list = await s.page.locator('.quick-input-widget').innerText();
    assert.match(list, /cooling keys go last/);
    assert.match(list, /cooling 30 min/);
    await pickQuickItem(s.page, 'Work');
    await waitForTitle(s.page, /key "Work"/);
    const cooling = ['Test this key', 'Reset its cooldown', 'Rename…', 'Move up', 'Move down', 'Remove…'];
    assert.deepEqual(await waitForQuickInputItems(s.page, (rows) => same(rows, cooling), 'the actions'), cooling);
    await s.screenshot('keys-05-cooling-actions');
    await pickQuickItem(s.page, 'Reset its cooldown');
    assert.deepEqual(await shownKeyRows(s.page, ['Work', 'API key']), ['Work', 'API key'], 'back in its place');
    assert.doesNotMatch(await s.page.locator('.quick-input-widget').innerText(), /cooling 30 min/);
    await closeQuickInput(s.page);
    await s.waitForLog(/key "Work" cooldown reset/);
    assert.deepEqual(await keysOfNextAnswer(s, 'And now?'), [KEY_B], '"Work" serves again');
  });
});
