/** VS Code's notifications: the toasts, their buttons and the notification centre. */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Locator, Page } from 'playwright-core';
import { exactly, runCommand } from './quickInput';
import { SEL } from './selectors';
import { STEP_TIMEOUT_MS } from './wait';

/** Texts of the notification toasts currently shown (bottom right). */
export async function notifications(page: Page): Promise<string[]> {
  const messages = await page.locator(`${SEL.notificationToast} ${SEL.notificationMessage}`).allInnerTexts();
  return messages.map((m) => m.replace(/\s+/g, ' ').trim());
}

/**
 * Opens the notification centre and returns its text. VS Code hides the centre by itself the
 * moment its last notification goes, so a centre that showed and then hid with an empty list
 * counts as shown, with text ''. A MutationObserver records the show, so a stale hidden centre
 * from earlier never counts.
 */
export async function notificationCentreText(page: Page, timeout = STEP_TIMEOUT_MS): Promise<string> {
  await page.evaluate(() => {
    const w = window as unknown as { __centreShown?: boolean };
    w.__centreShown = false;
    // No named inner functions here: tsx would wrap them in a __name() the page lacks.
    const observer = new MutationObserver(() => {
      if (document.querySelector('.notifications-center.visible') !== null) {
        w.__centreShown = true;
        observer.disconnect();
      }
    });
    observer.observe(document.body, { subtree: true, attributes: true, attributeFilter: ['class'], childList: true });
  });
  await runCommand(page, 'Notifications: Show Notifications');
  const handle = await page.waitForFunction(
    () => {
      const centre = document.querySelector<HTMLElement>('.notifications-center');
      if (centre?.classList.contains('visible')) return centre.innerText;
      const shown = (window as unknown as { __centreShown?: boolean }).__centreShown === true;
      return shown && centre?.querySelectorAll('.monaco-list-row').length === 0 ? ' ' : undefined;
    },
    undefined,
    { timeout },
  );
  return ((await handle.jsonValue()) as string).trim();
}

/** Waits until a toast whose text matches `match` shows; returns its text. */
export async function waitForNotification(
  page: Page,
  match: string | RegExp,
  timeout = STEP_TIMEOUT_MS,
): Promise<string> {
  const deadline = Date.now() + timeout;
  const test = (text: string): boolean => (typeof match === 'string' ? text.includes(match) : match.test(text));
  for (;;) {
    const found = (await notifications(page)).find(test);
    if (found !== undefined) return found;
    if (Date.now() > deadline) {
      throw new Error(
        `no notification matching ${String(match)} within ${timeout} ms (shown: ${JSON.stringify(await notifications(page))})`,
      );
    }
    await sleep(250);
  }
}

/**
 * Clicks the button `button` on the notification whose text matches `match`: on its toast while
 * it shows, else in the notification centre (VS Code hides a toast after some seconds, and on a
 * loaded machine a step may reach the button later than that).
 */
export async function clickNotificationButton(
  page: Page,
  match: string | RegExp,
  button: string,
  timeout = STEP_TIMEOUT_MS,
): Promise<void> {
  const withMessage = { has: page.locator(SEL.notificationMessage, { hasText: match }) };
  const onToast = page.locator(SEL.notificationToast).filter(withMessage).first();
  const clicked = await onToast
    .locator('a.monaco-button', { hasText: exactly(button) })
    .first()
    .click({ timeout: TOAST_CLICK_MS })
    .then(() => true)
    .catch(() => false);
  if (clicked) return;
  // No toast (it hid itself, or never showed): as a person would, open the notification centre
  // (the bell) and click the button there.
  await runCommand(page, 'Notifications: Show Notifications');
  const items = page.locator('.notifications-center .notification-list-item');
  await items
    .filter(withMessage)
    .first()
    .locator('a.monaco-button', { hasText: exactly(button) })
    .first()
    .click({ timeout })
    .catch(async (error: unknown) => {
      const listed = await items.allInnerTexts().catch(() => []);
      throw new Error(
        `no notification matching ${String(match)} with a "${button}" button, as a toast or in the notification centre (listed: ${JSON.stringify(listed)}): ${String(error)}`,
      );
    });
}

/**
 * Closes, as a person would (the toast's ×), every toast lying over `target`, and says so in the
 * log with the toast's text. VS Code keeps a toast that shows under the resting mouse pointer
 * until the pointer leaves it, and a toast takes the clicks meant for what it covers: the
 * composer of VS Code's own Chat sits bottom right, where toasts show.
 */
export async function closeToastsCovering(page: Page, target: Locator): Promise<void> {
  const under = await target.boundingBox().catch(() => null);
  if (!under) return;
  for (const toast of await page.locator(SEL.notificationToast).all()) {
    const over = await toast.boundingBox().catch(() => null);
    if (!over || !overlaps(under, over)) continue;
    const text = await toast
      .locator(SEL.notificationMessage)
      .innerText()
      .catch(() => '');
    console.log(`[e2e] closed a notification lying over the next click: "${text.replace(/\s+/g, ' ').trim()}"`);
    // Its toolbar (with the ×) shows while the pointer is over it.
    await toast.hover().catch(() => undefined);
    await toast
      .locator('.codicon-notifications-clear')
      .first()
      .click({ timeout: TOAST_CLICK_MS })
      .catch(() => undefined);
    await toast.waitFor({ state: 'hidden', timeout: TOAST_CLICK_MS }).catch(() => undefined);
  }
}

interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** How long a toast's button is tried before the notification centre is opened instead. */
const TOAST_CLICK_MS = 15_000;

/** Dismisses every notification (`Notifications: Clear All Notifications`). */
export async function clearNotifications(page: Page): Promise<void> {
  await runCommand(page, 'Notifications: Clear All Notifications');
}
