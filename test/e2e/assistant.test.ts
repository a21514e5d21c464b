/**
 * The coding assistant in a real VS Code (code-server + Chromium) against the fake OpenRouter,
 * driven as a person would: Explain a selected function from the palette, Fix a line with a
 * TypeScript error and accept the diff (then undo it), a stale Apply that is refused, `@file`
 * picked from the completion list, and a too-large file refused with its reason.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { FACTORIAL_LINES } from './harness/fixtures';
import { editorText, lastAnswerText, mentionRowMatching, typeMention } from './harness/chatView';
import { useSwitchyard } from './harness/session';
import { openFile, selectLines } from './harness/editors';
import { waitForNotification } from './harness/notifications';
import { runCommand } from './harness/quickInput';
import { chatFrame, openChatView } from './harness/workbench';
import { settled } from './harness/wait';

const KEY = 'sk-or-v1-e2e-assistant-0123456789abcdef0123';
const MODEL = 'openai/gpt-4o-mini';
const STEP = { timeout: 180_000 };

/** A file with a type error on line 3 (TS2322) that the built-in TypeScript extension reports. */
const BROKEN_TS = `/** Limits used by the demo. */
export const retries = 3;
export const limit: number = 'ten';
export const names = ['a', 'b'];
`;
const FIXED_LINE = 'export const limit: number = 10;';
const FIX_ANSWER = `The constant is declared as a number but holds a string.\n\n\`\`\`ts\n${FIXED_LINE}\n\`\`\`\n\nNow \`limit\` is a number.`;

const session = useSwitchyard({
  env: { OPENROUTER_API_KEY: KEY },
  settings: { 'switchyard.model': MODEL, 'switchyard.timeoutSeconds': 20, 'switchyard.attachEditorContext': false },
  files: {
    'src/broken.ts': BROKEN_TS,
    'logs/huge.txt': `${'a log line that repeats until the file is far too large to attach\n'.repeat(10_000)}`,
    '.gitignore': 'ignored/\n',
    'ignored/secret-notes.ts': 'export const hidden = true;\n',
  },
});

async function goToLine(page: Page, line: number): Promise<void> {
  await page.keyboard.press('Control+G');
  const box = page.locator('.quick-input-widget .quick-input-box input');
  await box.waitFor({ state: 'visible' });
  await box.fill(`:${line}`);
  await box.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

describe('Switchyard assistant in a real VS Code', { timeout: 900_000 }, () => {
  it('Explain on a selected function streams the answer with the code attached', STEP, async () => {
    const s = session();
    const deadline = Date.now() + 60_000;
    while (!s.fake?.requests.some((r) => r.path === '/api/v1/models') && Date.now() < deadline)
      await s.page.waitForTimeout(100);
    s.fake?.setFault(MODEL, { kind: 'slow', delayMs: 500 });
    await openFile(s.page, 'src/math.ts');
    await selectLines(s.page, FACTORIAL_LINES.from, FACTORIAL_LINES.to);
    await runCommand(s.page, 'Switchyard: Explain');
    // The command shows the chat by itself (clicking the activity bar now would hide it again).
    await s.page.waitForFunction(
      () =>
        document.querySelector('.part.sidebar')?.getAttribute('data-active-composite') ===
        'workbench.view.extension.switchyard',
      undefined,
      { timeout: 60_000 },
    );
    const frame = await chatFrame(s.page);
    const chip = frame
      .locator('.message.user')
      .last()
      .locator('.attachment', { hasText: `src/math.ts:${FACTORIAL_LINES.from}-${FACTORIAL_LINES.to}` });
    await chip.waitFor({ state: 'visible', timeout: 60_000 });
    assert.match(await chip.innerText(), /tokens/);
    await frame.waitForFunction(
      () => {
        const last = [...document.querySelectorAll('.message.assistant')].at(-1);
        return last?.getAttribute('data-status') === 'streaming' && (last.textContent ?? '').includes('Echo from');
      },
      undefined,
      { timeout: 60_000 },
    );
    await s.screenshot('30-explain-streaming');
    const answer = await lastAnswerText(frame, 'done');
    s.fake?.setFault(MODEL, undefined);
    // The fake echoes the start of the user turn: the attached code comes before the question.
    assert.match(answer, /Echo from openai\/gpt-4o-mini: Selected code from src\/math\.ts:10-13/);
    const body = s.fake?.chatRequests().at(-1)?.body as { messages: { role: string; content: string }[] };
    const sent = body.messages.at(-1)!.content;
    assert.match(sent, /Selected code from src\/math\.ts:10-13/);
    assert.match(sent, /export function factorial\(n: number\): number \{/);
    await s.waitForLog(/action → tier chat/);
    await s.screenshot('30-explain-done');
  });

  it(
    'Fix on a line with a TypeScript error: the diff is accepted, the file changes, and Undo restores it',
    STEP,
    async () => {
      const s = session();
      await openFile(s.page, 'src/broken.ts');
      // The built-in TypeScript extension reports the error (it starts its server on first use).
      await s.page
        .locator('.editor-instance .monaco-editor .squiggly-error')
        .first()
        .waitFor({ state: 'attached', timeout: 90_000 });
      await goToLine(s.page, 3);
      s.fake?.setOptions({ answer: FIX_ANSWER });
      const before = await (await chatFrame(s.page)).locator('.message.assistant').count();
      await runCommand(s.page, 'Switchyard: Fix');
      const frame = await openChatView(s.page);
      // A new answer, not the Explain one before it.
      await frame.waitForFunction((n) => document.querySelectorAll('.message.assistant').length > n, before, {
        timeout: 60_000,
      });
      const answer = await lastAnswerText(frame, 'done');
      assert.match(answer, /holds a string/);
      const userMessage = frame.locator('.message.user').last();
      // One short line in the side bar; the whole instruction is behind "Full instruction".
      assert.equal((await userMessage.locator('.user-summary').innerText()).trim(), 'Fix src/broken.ts:3');
      await userMessage.locator('.user-prompt summary').click();
      assert.match(
        await userMessage.locator('.user-prompt-text').innerText(),
        /Fix the problems listed in src\/broken\.ts:3/,
      );
      assert.equal(
        await userMessage.locator('.attachment').count(),
        2,
        'the line and its problem are attached as chips',
      );
      const body = s.fake?.chatRequests().at(-1)?.body as { messages: { role: string; content: string }[] };
      const sent = body.messages.at(-1)!.content;
      assert.match(sent, /Problems \(diagnostics\) in src\/broken\.ts:3/);
      assert.match(sent, /Type 'string' is not assignable to type 'number'/);
      assert.match(sent, /export const limit: number = 'ten';/);
      await s.waitForLog(/action → tier edit, target src\/broken\.ts:3/);
      const apply = frame.locator('.message.assistant').last().locator('.code-block button.apply');
      assert.match((await apply.getAttribute('title')) ?? '', /Apply to src\/broken\.ts:3/);
      await s.screenshot('31-fix-answer');

      await apply.click();
      await s.page.locator('.monaco-diff-editor').first().waitFor({ state: 'visible', timeout: 60_000 });
      await waitForNotification(s.page, /Apply or Discard the proposed change to src\/broken\.ts:3(?![\d-])/);
      const diffText = await editorText(s.page, FIXED_LINE);
      assert.match(diffText, /'ten'/, 'the diff shows the current line too');
      assert.ok(!BROKEN_TS.includes(FIXED_LINE));
      await s.screenshot('32-fix-diff');
      // Nothing is written before Apply: the left side is the file itself.
      const original =
        (await s.page.locator('.original-in-monaco-diff-editor .view-lines').first().textContent()) ?? '';
      assert.match(original.replace(/\u00a0/g, ' '), /limit: number = 'ten'/);

      // ✓ in the diff's title bar applies; the notification then closes by itself.
      await s.page.locator('.editor-actions .action-label[aria-label^="Apply Proposed Change"]').first().click();
      await settled(
        s.page.locator('.monaco-diff-editor').first().waitFor({ state: 'detached', timeout: 20_000 }),
        'the diff editor to close after Apply',
      );
      await s.page.waitForFunction(
        (line) =>
          [...document.querySelectorAll('.editor-instance .view-lines')].some((el) =>
            (el.textContent ?? '').replace(/\u00a0/g, ' ').includes(line),
          ) && !document.querySelector('.monaco-diff-editor'),
        FIXED_LINE,
        { timeout: 60_000 },
      );
      const after = await readDocument(s.page);
      assert.match(
        after,
        /export const retries = 3;\s*export const limit: number = 10;\s*export const names = \['a', 'b'\];/,
        'exactly line 3 was replaced',
      );
      await s.screenshot('33-fix-applied');

      // Undo is one step and restores the line.
      await s.page.locator('.editor-instance .monaco-editor .view-lines').first().click();
      await s.page.keyboard.press('Control+Z');
      await s.page.waitForFunction(
        () =>
          [...document.querySelectorAll('.editor-instance .view-lines')].some((el) =>
            (el.textContent ?? '').replace(/\u00a0/g, ' ').includes("limit: number = 'ten'"),
          ),
        undefined,
        { timeout: 60_000 },
      );
      assert.doesNotMatch(await readDocument(s.page), /= 10;/);
      await s.screenshot('34-fix-undone');
    },
  );

  it(
    'Apply after an unrelated edit still applies to the same lines; after an edit of those lines it is refused, never written',
    STEP,
    async () => {
      const s = session();
      // Lines added above the target: Apply follows line 3 to where it is now (line 5).
      await goToLine(s.page, 1);
      await s.page.keyboard.press('Home');
      await s.page.keyboard.type('const one = 1;\nconst two = 2;\n');
      let frame = await openChatView(s.page);
      await frame.locator('.message.assistant').last().locator('.code-block button.apply').click();
      await s.page.locator('.monaco-diff-editor').first().waitFor({ state: 'visible', timeout: 60_000 });
      const question = await waitForNotification(
        s.page,
        /Apply or Discard the proposed change to src\/broken\.ts:5(?![\d-])/,
      );
      assert.doesNotMatch(question, /version/);
      await s.page.locator('.editor-actions .action-label[aria-label^="Apply Proposed Change"]').first().click();
      await s.page.waitForFunction(
        (line) =>
          [...document.querySelectorAll('.editor-instance .view-lines')].some((el) =>
            (el.textContent ?? '').replace(/\u00a0/g, ' ').includes(line),
          ) && !document.querySelector('.monaco-diff-editor'),
        FIXED_LINE,
        { timeout: 60_000 },
      );
      assert.match(
        await readDocument(s.page),
        /const two = 2;[\s\S]*export const retries = 3;\s*export const limit: number = 10;/,
        'the same line was replaced, where it is now',
      );
      await s.screenshot('35-apply-after-unrelated-edit');
      // Now the targeted line itself changes: Apply says so, in words, and writes nothing.
      await s.page.locator('.editor-instance .monaco-editor .view-lines').first().click();
      await s.page.keyboard.press('Control+Z');
      await s.page.waitForFunction(
        () =>
          [...document.querySelectorAll('.editor-instance .view-lines')].some((el) =>
            (el.textContent ?? '').replace(/\u00a0/g, ' ').includes("limit: number = 'ten'"),
          ),
        undefined,
        { timeout: 60_000 },
      );
      await goToLine(s.page, 5);
      await s.page.keyboard.press('End');
      await s.page.keyboard.type(' // edited');
      frame = await openChatView(s.page);
      await frame.locator('.message.assistant').last().locator('.code-block button.apply').click();
      const refusal = await waitForNotification(
        s.page,
        /The lines of src\/broken\.ts:3 were changed since the answer was requested.*not applied/,
      );
      assert.doesNotMatch(refusal, /version|→/, 'no internal version numbers');
      assert.equal(await s.page.locator('.monaco-diff-editor').count(), 0, 'no diff is offered for a stale target');
      assert.doesNotMatch(await readDocument(s.page), /= 10;/);
      await s.screenshot('36-apply-stale-refused');
      s.fake?.setOptions({ answer: undefined });
    },
  );

  it(
    '@file attaches a file picked from the completion list (and .gitignored files are not offered)',
    STEP,
    async () => {
      const s = session();
      const frame = await openChatView(s.page);
      await typeMention(frame, '@', mentionRowMatching(frame, /@file/));
      await s.screenshot('36-mention-kinds');
      await frame.locator('#input').press('Enter');
      assert.equal(await frame.locator('#input').inputValue(), '@file:');
      await frame.locator('#input').pressSequentially('secret', { delay: 30 });
      await frame
        .locator('#mention-menu .mention-empty', { hasText: 'No matching files' })
        .waitFor({ state: 'visible', timeout: 60_000 });
      await typeMention(frame, '@file:READ', mentionRowMatching(frame, /README\.md/));
      await s.screenshot('37-mention-files');
      await frame
        .locator('#mention-menu .mention-row', { hasText: /README\.md/ })
        .first()
        .click();
      const chip = frame.locator('#chips .chip', { hasText: 'README.md' });
      await chip.waitFor({ state: 'visible', timeout: 60_000 });
      assert.match(
        await chip.innerText(),
        /~\d+/,
        'the chip shows its token count (the word "tokens" only in a wide view)',
      );
      assert.equal(await frame.locator('#input').inputValue(), '', 'the @ token left the text');
      const answers = await frame.locator('.message.assistant').count();
      await frame.locator('#input').fill('What is this project?');
      await frame.locator('#input').press('Enter');
      await frame.waitForFunction((n) => document.querySelectorAll('.message.assistant').length > n, answers, {
        timeout: 60_000,
      });
      await lastAnswerText(frame, 'done');
      const body = s.fake?.chatRequests().at(-1)?.body as { messages: { role: string; content: string }[] };
      const sent = body.messages.at(-1)!.content;
      assert.match(sent, /File README\.md:/);
      assert.match(sent, /A tiny project used by Switchyard's end-to-end tests\./);
      assert.equal(await frame.locator('#chips .chip').count(), 0, 'the picked file was used by that message');
      await s.screenshot('38-mention-file-sent');
    },
  );

  it('a too-large file is refused with its reason', STEP, async () => {
    const s = session();
    const frame = await openChatView(s.page);
    await typeMention(frame, '@file:huge', mentionRowMatching(frame, /huge\.txt/));
    await frame.locator('#input').press('Enter');
    const notice = frame.locator('#composer-notice');
    await notice.waitFor({ state: 'visible', timeout: 60_000 });
    assert.match(await notice.innerText(), /logs\/huge\.txt is too large to attach \(\d+ KiB; the limit is 512 KiB\)/);
    assert.equal(await frame.locator('#chips .chip').count(), 0, 'nothing was attached');
    await s.screenshot('39-mention-too-large');
    // A path outside the workspace is refused too.
    await typeMention(frame, '@file:/etc/hostname', mentionRowMatching(frame, /\/etc\/hostname/));
    await frame.locator('#input').press('Enter');
    await frame.waitForFunction(
      () => /outside the workspace/.test(document.querySelector('#composer-notice')?.textContent ?? ''),
      undefined,
      { timeout: 60_000 },
    );
    await s.screenshot('39-mention-outside-workspace');
  });
});

/** The rendered text of the first text editor (its lines run together; the fixtures are short enough to be fully rendered). */
async function readDocument(page: Page): Promise<string> {
  return (
    (await page
      .locator('.editor-instance .monaco-editor:not(.original-in-monaco-diff-editor) .view-lines')
      .first()
      .textContent()) ?? ''
  ).replace(/\u00a0/g, ' ');
}
