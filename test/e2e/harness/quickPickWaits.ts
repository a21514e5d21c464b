/**
 * Waiting for what a quick pick shows: its rows and its title. A picker's rows can come after the
 * widget shows (an extension's picks arrive while it is busy; the widget, reused for the next
 * step, still lists the last one), so a test reads them through these, not once.
 */
import type { Page } from 'playwright-core';
import { quickInputItems, quickInputTitle } from './quickInput';
import { STEP_TIMEOUT_MS } from './wait';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until the quick pick's rendered rows (labels, spaces collapsed) satisfy `check`; returns them. */
export async function waitForQuickInputItems(
  page: Page,
  check: (rows: readonly string[]) => boolean,
  what: string,
  timeout = STEP_TIMEOUT_MS,
): Promise<string[]> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const rows = (await quickInputItems(page).catch(() => [])).map((r) => r.replace(/\s+/g, ' '));
    if (check(rows)) return rows;
    if (Date.now() > deadline)
      throw new Error(`the quick pick did not list ${what} within ${timeout} ms (it lists: ${JSON.stringify(rows)})`);
    await sleep(200);
  }
}

/** Waits until the quick input's title matches `title`; returns it. */
export async function waitForQuickInputTitle(page: Page, title: RegExp, timeout = STEP_TIMEOUT_MS): Promise<string> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const now = await quickInputTitle(page).catch(() => '');
    if (title.test(now)) return now;
    if (Date.now() > deadline) throw new Error(`the quick input title is "${now}", expected ${String(title)}`);
    await sleep(200);
  }
}
