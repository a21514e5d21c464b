/** VS Code's modal dialog (a question with buttons) and its modal editors (Settings, Manage Language Models). */
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { STEP_TIMEOUT_MS } from './wait';

/**
 * Waits for VS Code's modal dialog, checks that it asks `question` (when given), and returns it (to
 * read on or click a button).
 */
export async function waitForDialog(page: Page, question?: RegExp, timeout = STEP_TIMEOUT_MS): Promise<Locator> {
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ state: 'visible', timeout });
  if (question) assert.match(await dialog.innerText(), question);
  return dialog;
}

/** A modal editor's overlay (VS Code 1.139: Settings, Manage Language Models). */
const MODAL = '.monaco-modal-editor-block';

/** Closes the modal editor (Manage Language Models) with its own close action and waits until it is gone. */
export async function closeModalEditor(page: Page, timeout = STEP_TIMEOUT_MS): Promise<void> {
  const modal = page.locator(MODAL);
  if (!(await modal.isVisible().catch(() => false))) return;
  const close = modal.locator('.modal-editor-header .action-label[aria-label^="Close"]').first();
  if (await close.isVisible().catch(() => false)) await close.click();
  else await page.keyboard.press('Escape');
  await modal.waitFor({ state: 'detached', timeout });
}
