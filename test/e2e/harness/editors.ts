/** Text editors: open a workspace file with Quick Open, select lines, read the selection's status. */
import { setTimeout as sleep } from 'node:timers/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { acceptRow, openQuickInputWith, quickInput } from './quickInput';
import { SEL } from './selectors';
import { STEP_TIMEOUT_MS } from './wait';

/**
 * Opens a workspace file with Quick Open (Ctrl+P), like a person typing its path, and waits for
 * its editor tab to be active.
 */
export async function openFile(page: Page, relativePath: string, timeout = STEP_TIMEOUT_MS): Promise<void> {
  const box = await openQuickInputWith(page, ['Control+P']);
  await box.fill(relativePath);
  const name = path.posix.basename(relativePath);
  await acceptRow(page, name, timeout);
  await page.locator(`${SEL.activeTab}[data-resource-name="${name}"]`).waitFor({ state: 'visible', timeout });
  await page.locator('.editor-instance .monaco-editor.focused').waitFor({ state: 'visible', timeout });
}

/** The editor's selection status-bar entry, e.g. `Ln 5, Col 2 (48 selected)`. */
export async function editorSelectionStatus(page: Page): Promise<string> {
  const item = page.locator(SEL.editorSelectionStatus);
  if (!(await item.isVisible())) return '';
  return (await item.innerText()).trim();
}

/**
 * Selects whole lines `from`..`to` (1-based, inclusive) in the active editor: Go to Line
 * (Ctrl+G) `from`, then Shift+Down to `to` and Shift+End. Returns the selection status text.
 */
export async function selectLines(page: Page, from: number, to: number, timeout = STEP_TIMEOUT_MS): Promise<string> {
  if (from < 1 || to < from) throw new Error(`bad line range ${from}..${to}`);
  const box = await openQuickInputWith(page, ['Control+G']);
  await box.fill(`:${from}`);
  await box.press('Enter');
  await quickInput(page).waitFor({ state: 'hidden', timeout });
  await page.locator('.editor-instance .monaco-editor.focused').waitFor({ state: 'visible', timeout });
  // Go to Line leaves the cursor in column 1 (Home would jump to the first non-blank).
  for (let line = from; line < to; line++) await page.keyboard.press('Shift+ArrowDown');
  await page.keyboard.press('Shift+End');
  // The status bar updates lazily: wait until it shows a selection and stops changing.
  const deadline = Date.now() + timeout;
  let previous = '';
  for (;;) {
    await sleep(300);
    const status = await editorSelectionStatus(page);
    if (/selected/.test(status) && status === previous) return status;
    if (Date.now() > deadline)
      throw new Error(`no selection after selecting lines ${from}..${to} (status: "${status}")`);
    previous = status;
  }
}
