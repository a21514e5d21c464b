/**
 * A new user's first hour (issue 16), driven as a person would in a real VS Code (code-server +
 * Chromium) with a 300 px side bar: Ask About Selection gives one chip and sends the code once;
 * after an `@selection` message the automatic chip is back; Add Tests answers offer "Create test
 * file" (next to the source, never Apply over the selection); after ✓ in the diff's title bar the
 * "Apply or Discard the proposed change" notification is gone; New Chat keeps the old chat in
 * Past Chats, which searches, reopens and deletes; at 300 px the model name stays whole and chips share a row;
 * "New file" is named by the answer and saves there. Each scenario checks what the user
 * sees and the exact request the fake OpenRouter received.
 */
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Frame } from 'playwright-core';
import { MATH_TS } from './harness/fixtures';
import { editorText, lastAnswerText, typeMention, sendMessage } from './harness/chatView';
import { useSwitchyard, type SwitchyardSession } from './harness/session';
import { openFile, selectLines } from './harness/editors';
import { notificationCentreText, notifications, waitForNotification } from './harness/notifications';
import { runCommand } from './harness/quickInput';
import { chatFrame, openChatView, setSideBarWidth } from './harness/workbench';
import { waitForDialog } from './harness/dialogs';

const KEY = 'sk-or-v1-e2e-first-hour-0123456789abcdef';
const MODEL = 'openai/gpt-4o-mini';
const STEP = { timeout: 240_000 };
const SIDE_BAR_PX = 300;

const TESTS_ANSWER = `Tests for \`add\`:

\`\`\`ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { add } from './math';

test('adds two numbers', () => {
  assert.equal(add(2, 3), 5);
});
\`\`\`

Run them with \`node --test\`.`;

const session = useSwitchyard({
  env: { OPENROUTER_API_KEY: KEY },
  settings: {
    'switchyard.model': MODEL,
    'switchyard.timeoutSeconds': 20,
    'switchyard.fallbackModels': ['google/gemini-2.5-flash'],
  },
});

type Body = { model: string; messages: { role: string; content: string }[] };

function lastBody(s: SwitchyardSession): Body {
  const body = s.fake?.chatRequests().at(-1)?.body as Body | undefined;
  assert.ok(body, 'the fake received a chat request');
  return body;
}

const occurrences = (text: string, part: string): number => text.split(part).length - 1;

async function send(frame: Frame, text: string): Promise<string> {
  await sendMessage(frame, text, 60_000);
  return lastAnswerText(frame);
}

async function scenario(name: string, body: (s: SwitchyardSession) => Promise<void>): Promise<void> {
  const s = session();
  try {
    await body(s);
  } catch (error) {
    await s.screenshot(`${name}-failure`).catch(() => undefined);
    console.error(`[${name}] log tail:\n${s.extensionLog().split('\n').slice(-20).join('\n')}`);
    throw error;
  } finally {
    s.fake?.setOptions({ answer: undefined });
  }
}

const MULTIPLY_BODY = 'return a * b;';

const MULTIPLY_ANSWER = `Checked inputs:

\`\`\`ts
export function multiply(a: number, b: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b)) throw new RangeError('finite numbers only');
  return a * b;
}
\`\`\``;

const SLUG_CODE = `export function slug(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}`;

const SLUG_ANSWER = `Create \`src/text/slug.ts\`:

\`\`\`ts
${SLUG_CODE}
\`\`\``;

const EXISTING_ANSWER = `Here:

\`\`\`ts
// src/math.ts
export const PI = 3.14;
\`\`\``;

describe('A new user’s first hour in a real VS Code (300 px side bar)', { timeout: 1_500_000 }, () => {
  it('Ask About Selection shows one chip for the selection and sends its code once', STEP, () =>
    scenario('fh-01', async (s) => {
      await openChatView(s.page);
      const width = await setSideBarWidth(s.page, SIDE_BAR_PX);
      assert.ok(Math.abs(width - SIDE_BAR_PX) <= 4, `side bar is ${width} px`);
      await openFile(s.page, 'src/math.ts');
      await selectLines(s.page, 6, 8);
      const frame = await chatFrame(s.page);
      // The automatic chip for the selection appears first…
      await frame.locator('#chips .chip', { hasText: /math\.ts:6-8/ }).waitFor({ state: 'visible', timeout: 60_000 });
      // …then the user asks about it explicitly.
      await runCommand(s.page, 'Switchyard: Ask About Selection');
      const chat = await openChatView(s.page);
      await chat.locator('#input').click();
      // The editor reports its selection again when focus moves: still one chip.
      await chat.waitForFunction(() => document.activeElement?.id === 'input', undefined, { timeout: 60_000 });
      await chat.locator('#chips .chip', { hasText: /math\.ts:6-8/ }).waitFor({ state: 'visible', timeout: 60_000 });
      assert.equal(await chat.locator('#chips .chip').count(), 1, 'one chip for one selection');
      await s.screenshot('fh-01-ask-about-selection-one-chip');
      await send(chat, 'What does this do?');
      const sent = lastBody(s).messages.at(-1)!.content;
      assert.equal(occurrences(sent, MULTIPLY_BODY), 1, 'the selected code is in the request once');
      assert.equal(occurrences(sent, 'Selected code from src/math.ts:6-8'), 1);
      assert.equal(
        await chat.locator('.message.user').last().locator('.attachment').count(),
        1,
        'one chip under the sent message',
      );
      await s.screenshot('fh-01-sent-once');
    }),
  );

  it('after an @selection message the automatic chip for the still-selected text comes back', STEP, () =>
    scenario('fh-02', async (s) => {
      await openFile(s.page, 'src/math.ts');
      await selectLines(s.page, 2, 4);
      const frame = await openChatView(s.page);
      await frame.locator('#chips .chip', { hasText: /math\.ts:2-4/ }).waitFor({ state: 'visible', timeout: 60_000 });
      const row = frame.locator('#mention-menu .mention-row[data-kind="selection"]').first();
      await typeMention(frame, '@sel', row);
      await row.click();
      await frame.waitForFunction(
        () =>
          document.querySelectorAll('#chips .chip').length === 1 &&
          /math\.ts:2-4/.test(document.querySelector('#chips')?.textContent ?? ''),
        undefined,
        { timeout: 60_000 },
      );
      await send(frame, 'Explain this please');
      const sent = lastBody(s).messages.at(-1)!.content;
      assert.equal(occurrences(sent, 'return a + b;'), 1, 'the selection went once');
      // The text is still selected in the editor: its automatic chip is offered again.
      await frame.locator('#chips .chip', { hasText: /math\.ts:2-4/ }).waitFor({ state: 'visible', timeout: 60_000 });
      assert.equal(await frame.locator('#chips .chip').count(), 1);
      await s.screenshot('fh-02-auto-chip-back');
    }),
  );

  it(
    'Add Tests: the answer offers "Create test file" (no Apply), which creates src/math.test.ts and leaves math.ts alone',
    STEP,
    () =>
      scenario('fh-03', async (s) => {
        s.fake?.setOptions({ answer: TESTS_ANSWER });
        await openFile(s.page, 'src/math.ts');
        await selectLines(s.page, 2, 4);
        const before = await (await chatFrame(s.page)).locator('.message.assistant').count();
        await runCommand(s.page, 'Switchyard: Add Tests');
        const frame = await openChatView(s.page);
        await frame.waitForFunction((n) => document.querySelectorAll('.message.assistant').length > n, before, {
          timeout: 60_000,
        });
        await lastAnswerText(frame);
        const sent = lastBody(s).messages.at(-1)!.content;
        assert.match(sent, /new file, src\/math\.test\.ts, next to the source/, 'the model is told where the tests go');
        const answer = frame.locator('.message.assistant').last();
        const create = answer.locator('.code-block button.use-code');
        await create.waitFor({ state: 'visible', timeout: 60_000 });
        assert.equal((await create.innerText()).trim(), 'Create test file');
        assert.match((await create.getAttribute('title')) ?? '', /src\/math\.test\.ts/);
        assert.equal(
          await answer.locator('.code-block button.apply').count(),
          0,
          'no Apply that would overwrite the selection with tests',
        );
        await s.screenshot('fh-03-add-tests-answer');
        await create.click();
        await s.page
          .locator('.tab.active[data-resource-name="math.test.ts"]')
          .waitFor({ state: 'visible', timeout: 60_000 });
        await editorText(s.page, "test('adds two numbers'");
        const created = path.join(s.workspace, 'src/math.test.ts');
        await waitFor(
          () => existsSync(created) && readFileSync(created, 'utf8').includes("import { add } from './math';"),
        );
        assert.equal(
          readFileSync(path.join(s.workspace, 'src/math.ts'), 'utf8'),
          MATH_TS,
          'the code under test is untouched',
        );
        await s.screenshot('fh-03-test-file-created');
      }),
  );

  it(
    '✓ in the diff title bar applies the change and the "apply?" notification closes by itself; so does closing the diff',
    STEP,
    () =>
      scenario('fh-04', async (s) => {
        s.fake?.setOptions({ answer: MULTIPLY_ANSWER });
        await openFile(s.page, 'src/math.ts');
        await selectLines(s.page, 6, 8);
        const frame = await openChatView(s.page);
        await send(frame, 'Make multiply check its inputs');
        const apply = frame.locator('.message.assistant').last().locator('.code-block button.apply').first();
        await apply.click();
        await s.page.locator('.monaco-diff-editor').first().waitFor({ state: 'visible', timeout: 60_000 });
        await waitForNotification(s.page, /Apply or Discard the proposed change to src\/math\.ts:6-8(?!\d)/);
        await s.screenshot('fh-04-apply-diff-and-notification');
        await s.page.locator('.editor-actions .action-label[aria-label^="Apply Proposed Change"]').first().click();
        await s.page.waitForFunction(
          () =>
            ![...document.querySelectorAll('.notifications-toasts .notification-toast')].some((t) =>
              /Discard the proposed change/.test(t.textContent ?? ''),
            ),
          undefined,
          { timeout: 60_000 },
        );
        await editorText(s.page, 'Number.isFinite(a)');
        assert.ok(
          !(await notifications(s.page)).some((n) => /Discard the proposed change/.test(n)),
          'the question is gone',
        );
        // Nor is it left in the notification centre with a dead Apply.
        assert.doesNotMatch(await notificationCentreText(s.page), /Discard the proposed change/);
        await s.screenshot('fh-04-applied-notification-gone');
        await s.page.keyboard.press('Escape');
        // Apply again, then close the diff tab: a discard, and the notification goes too.
        await apply.click();
        await waitForNotification(s.page, /Discard the proposed change/);
        await s.page.locator('.tab.active .tab-actions .action-label').first().click();
        await s.page.waitForFunction(
          () =>
            ![...document.querySelectorAll('.notifications-toasts .notification-toast')].some((t) =>
              /Discard the proposed change/.test(t.textContent ?? ''),
            ),
          undefined,
          { timeout: 60_000 },
        );
        await s.waitForLog(/proposal for src\/math\.ts[:\d-]* discarded/);
      }),
  );

  it(
    'New Chat keeps the old chat in Past Chats, which finds it by a word of its messages, reopens it, and deletes another',
    STEP,
    () =>
      scenario('fh-05', async (s) => {
        let frame = await openChatView(s.page);
        const firstQuestion = (await frame.locator('.message.user').first().innerText()).trim();
        assert.match(firstQuestion, /What does this do\?/);
        await frame.locator('#new-chat').click();
        await frame.waitForFunction(() => document.querySelectorAll('.message').length === 0, undefined, {
          timeout: 60_000,
        });
        await send(frame, 'Second chat about closures');
        await frame.locator('#past-chats').click();
        const rows = s.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
        await rows.first().waitFor({ state: 'visible', timeout: 60_000 });
        await s.page.waitForFunction(
          () => document.querySelectorAll('.quick-input-widget .quick-input-list .monaco-list-row').length === 2,
          undefined,
          { timeout: 60_000 },
        );
        assert.match(await rows.nth(0).innerText(), /Second chat about closures[\s\S]*current/);
        assert.match(await rows.nth(1).innerText(), /What does this do\?/);
        await s.screenshot('fh-05-past-chats-list');
        // "Explain this please" was asked later in the first chat, not in its title.
        await s.page.keyboard.type('explain this please');
        await s.page.waitForFunction(
          () => {
            const r = [...document.querySelectorAll('.quick-input-widget .quick-input-list .monaco-list-row')];
            return r.length === 1 && /What does this do\?/.test(r[0]?.textContent ?? '');
          },
          undefined,
          { timeout: 60_000 },
        );
        await s.screenshot('fh-05-past-chats-search');
        await s.page.keyboard.press('Enter');
        frame = await chatFrame(s.page);
        await frame.waitForFunction(
          (q) => document.querySelector('.message.user')?.textContent?.includes(q) === true,
          'What does this do?',
          { timeout: 60_000 },
        );
        assert.ok(
          (await frame.locator('.message.user', { hasText: 'Explain this please' }).count()) >= 1,
          'the whole chat is back',
        );
        assert.equal(await frame.locator('.message.user', { hasText: 'Second chat about closures' }).count(), 0);
        await s.screenshot('fh-05-reopened');
        // Delete the second chat from the list.
        await frame.locator('#past-chats').click();
        const second = s.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', {
          hasText: 'Second chat about closures',
        });
        await second.waitFor({ state: 'visible', timeout: 60_000 });
        await second.hover();
        await second.locator('.action-label[aria-label="Delete"], .action-label[title="Delete"]').first().click();
        const dialog = await waitForDialog(s.page, /Delete the chat "Second chat about closures"\?/);
        await dialog.locator('.monaco-button', { hasText: /^Delete$/ }).click();
        await s.page.waitForFunction(
          () => {
            const r = [...document.querySelectorAll('.quick-input-widget .quick-input-list .monaco-list-row')];
            return r.length === 1 && /What does this do\?/.test(r[0]?.textContent ?? '');
          },
          undefined,
          { timeout: 60_000 },
        );
        await s.screenshot('fh-05-deleted');
        await s.page.keyboard.press('Escape');
      }),
  );

  it(
    'at 300 px the model name stays whole above its fallback badge, chips share a row, and New file is named by the answer',
    STEP,
    () =>
      scenario('fh-06', async (s) => {
        await openFile(s.page, 'src/math.ts');
        await selectLines(s.page, 2, 4);
        const frame = await openChatView(s.page);
        // Header: the name is not cut next to "+1 fallback" (the badge wraps under it).
        const name = frame.locator('#model-badge .model-name');
        await frame
          .locator('#model-badge .model-fallbacks', { hasText: '+1 fallback' })
          .waitFor({ state: 'visible', timeout: 60_000 });
        assert.ok(
          await name.evaluate((el) => el.scrollWidth <= el.clientWidth),
          `the model name is whole: ${await name.innerText()}`,
        );
        // Chips: the selection and the whole file (@math.ts) share one row.
        await frame.locator('#chips .chip', { hasText: /math\.ts:2-4/ }).waitFor({ state: 'visible', timeout: 60_000 });
        const fileRow = frame.locator('#mention-menu .mention-row[data-kind="file"][data-path="src/math.ts"]').first();
        await typeMention(frame, '@math', fileRow);
        await fileRow.click();
        const chips = frame.locator('#chips .chip');
        await frame.waitForFunction(() => document.querySelectorAll('#chips .chip').length === 2, undefined, {
          timeout: 60_000,
        });
        const [a, b] = [await chips.nth(0).boundingBox(), await chips.nth(1).boundingBox()];
        assert.ok(a && b && Math.abs(a.y - b.y) < 2, `two chips on one row: ${JSON.stringify([a, b])}`);
        await s.screenshot('fh-06-header-and-chips-300px');
        await frame.locator('#chips .chip').nth(1).locator('.chip-remove').click();

        // New file on a block the answer introduces as src/text/slug.ts: an editor of that name; Save writes it there.
        s.fake?.setOptions({ answer: SLUG_ANSWER });
        await send(frame, 'Write a slug function');
        await frame.locator('.message.assistant').last().locator('.code-block button.new-file').click();
        await s.page
          .locator('.tab.active[data-resource-name="slug.ts"]')
          .waitFor({ state: 'visible', timeout: 60_000 });
        await editorText(s.page, 'export function slug(title: string)');
        await s.screenshot('fh-06-new-file-named');
        await s.page.keyboard.press('Control+S');
        const created = path.join(s.workspace, 'src/text/slug.ts');
        // Saved where the answer said, with the block's code (the write may land in pieces: wait for all of it).
        await waitFor(() => existsSync(created) && readFileSync(created, 'utf8') === SLUG_CODE);

        // A block naming a file that exists (src/math.ts): a plain untitled editor, math.ts untouched.
        s.fake?.setOptions({ answer: EXISTING_ANSWER });
        const mathBefore = readFileSync(path.join(s.workspace, 'src/math.ts'), 'utf8');
        await send(frame, 'Add PI');
        await frame.locator('.message.assistant').last().locator('.code-block button.new-file').click();
        await s.page.waitForFunction(
          () => /^Untitled-\d+$/.test(document.querySelector('.tab.active')?.getAttribute('data-resource-name') ?? ''),
          undefined,
          { timeout: 60_000 },
        );
        await editorText(s.page, 'export const PI = 3.14;');
        assert.equal(
          readFileSync(path.join(s.workspace, 'src/math.ts'), 'utf8'),
          mathBefore,
          'the existing file is untouched',
        );
        await s.waitForLog(/New file: src\/math\.ts exists; opening an unnamed editor/);
      }),
  );
});

async function waitFor(check: () => boolean, timeout = 60_000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}
