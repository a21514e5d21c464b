/** Helpers for reading the chat and the editors, shared by the e2e scenarios. */
import assert from 'node:assert/strict';
import type { Frame, Locator, Page } from 'playwright-core';

/** The text of the last answer once it has `status` (`done`, `error`, `stopped`…). */
export async function lastAnswerText(frame: Frame, status = 'done', timeout = 60_000): Promise<string> {
  await frame.waitForFunction(
    (s) => [...document.querySelectorAll('.message.assistant')].at(-1)?.getAttribute('data-status') === s,
    status,
    { timeout },
  );
  return frame.locator('.message.assistant').last().innerText();
}

/** The text of the visible text editors once one holds `marker` (Monaco renders spaces as U+00A0). */
export async function editorText(page: Page, marker: string, timeout = 60_000): Promise<string> {
  await page.waitForFunction(
    (m) =>
      [...document.querySelectorAll('.editor-instance .view-lines')].some((el) =>
        (el.textContent ?? '').replace(/\u00a0/g, ' ').includes(m),
      ),
    marker,
    { timeout },
  );
  return (await page.locator('.editor-instance .view-lines').allTextContents()).join('\n').replace(/\u00a0/g, ' ');
}

/**
 * The rendered text of VS Code's Markdown preview once one shows `marker` (the preview is a
 * webview: `iframe.webview` → `iframe#active-frame` of the built-in Markdown extension), and the
 * frame, to look at its elements. Polls: the preview renders after its document loads and again
 * when the document changes.
 */
export async function markdownPreview(
  page: Page,
  marker: string | RegExp,
  timeout = 60_000,
): Promise<{ frame: Frame; text: string }> {
  const deadline = Date.now() + timeout;
  let seen: string[] = [];
  for (;;) {
    seen = [];
    for (const frame of page.frames()) {
      if (frame.isDetached() || !(frame.parentFrame()?.url() ?? '').includes('markdown-language-features')) continue;
      const text = await frame
        .locator('body')
        .innerText({ timeout: 1_000 })
        .catch(() => '');
      seen.push(text.slice(0, 200));
      if (typeof marker === 'string' ? text.includes(marker) : marker.test(text)) return { frame, text };
    }
    if (Date.now() > deadline)
      throw new Error(
        `no Markdown preview shows ${String(marker)} after ${timeout} ms (previews: ${JSON.stringify(seen)})`,
      );
    await page.waitForTimeout(250);
  }
}

/**
 * Types `@…` in the chat box and waits for the completion row `wanted`. On a loaded machine a
 * keystroke into the webview can be lost, so the box is checked and, if need be, typed again.
 * The box is emptied with fill, not Ctrl+A: a select-all that reached the editor would change
 * the selection a scenario is about.
 */
export async function typeMention(frame: Frame, text: string, wanted: Locator): Promise<void> {
  const input = frame.locator('#input');
  for (let attempt = 1; ; attempt++) {
    await input.click();
    await input.fill('');
    await input.pressSequentially(text, { delay: 30 });
    try {
      assert.equal(await input.inputValue(), text, 'the box holds what was typed');
      await wanted.waitFor({ state: 'visible', timeout: 15_000 });
      return;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

/** The `@` completion row whose text matches `row`. */
export function mentionRowMatching(frame: Frame, row: RegExp): Locator {
  return frame.locator('#mention-menu .mention-row', { hasText: row }).first();
}

/** Types `text` into the chat input and sends it with Enter, as a person does; resolves once its answer has started. */
export async function sendMessage(frame: Frame, text: string, timeout = 60_000): Promise<void> {
  const before = await frame.locator('.message.assistant').count();
  const input = frame.locator('#input');
  await input.click();
  await input.fill(text);
  await input.press('Enter');
  await frame.waitForFunction((n) => document.querySelectorAll('.message.assistant').length > n, before, { timeout });
}

/** Clicks New Chat (in Agent mode: the task goes to Past Chats) and waits until the conversation on screen is empty. */
export async function newTask(frame: Frame, timeout = 60_000): Promise<void> {
  await frame.locator('#new-chat').click();
  await frame.locator('.message').first().waitFor({ state: 'detached', timeout });
}

/** Types `text` into the composer and sends it with Enter, as a person does; resolves once the message shows. */
export async function startTask(frame: Frame, text: string, timeout = 60_000): Promise<void> {
  const input = frame.locator('#input');
  await input.fill(text);
  await input.press('Enter');
  await frame.locator('.message.user', { hasText: text }).last().waitFor({ state: 'visible', timeout });
}

/** Waits until an answer shows `text` and the last answer is done (a task's last step). */
export async function waitForAnswer(frame: Frame, text: string, timeout = 90_000): Promise<void> {
  await frame.locator('.message.assistant', { hasText: text }).last().waitFor({ state: 'visible', timeout });
  await frame.waitForFunction(
    () => [...document.querySelectorAll('.message.assistant')].at(-1)?.getAttribute('data-status') === 'done',
    undefined,
    { timeout },
  );
}

/** Clicks Ask / Plan / Agent in the mode switch and waits until the switch shows it chosen. */
export async function chooseMode(frame: Frame, mode: 'ask' | 'plan' | 'agent', timeout = 60_000): Promise<void> {
  await frame.locator(`#mode-${mode}`).click();
  await frame.waitForFunction(
    (m) => document.querySelector(`#mode-${m}`)?.getAttribute('aria-pressed') === 'true',
    mode,
    { timeout },
  );
}
