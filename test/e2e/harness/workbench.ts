/**
 * The workbench around the extension: the chat view (open it, its webview frame, a window reload),
 * the status-bar model item, the side bar's width and screenshots. The command palette and quick
 * inputs are in ./quickInput.ts, notifications in ./notifications.ts, modal dialogs in
 * ./dialogs.ts, editors in ./editors.ts.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { waitForWorkbench } from './browser';
import { resultsDir } from './paths';
import { runCommand } from './quickInput';
import { SEL } from './selectors';
import { STEP_TIMEOUT_MS } from './wait';

/** Whether our view container is the one shown in the side bar. */
async function chatContainerActive(page: Page): Promise<boolean> {
  const active = await page
    .locator(SEL.sideBar)
    .getAttribute('data-active-composite')
    .catch(() => null);
  const sideBarVisible = await page
    .locator(SEL.sideBar)
    .isVisible()
    .catch(() => false);
  return sideBarVisible && active === 'workbench.view.extension.switchyard';
}

/**
 * Opens the Switchyard chat view by clicking its activity-bar entry (unless it is already shown;
 * a second click would hide the side bar) and returns the webview frame holding `#app`.
 */
export async function openChatView(page: Page, timeout = STEP_TIMEOUT_MS): Promise<Frame> {
  if (!(await chatContainerActive(page))) {
    const entry = page.locator(SEL.activityBarEntry);
    if (await entry.isVisible().catch(() => false)) await entry.click();
    else await runCommand(page, 'Switchyard: Focus on Chat View');
  }
  await page.waitForFunction(
    () =>
      document.querySelector('.part.sidebar')?.getAttribute('data-active-composite') ===
      'workbench.view.extension.switchyard',
    undefined,
    { timeout },
  );
  return chatFrame(page, timeout);
}

/**
 * The playwright Frame with our chat webview (inside `iframe.webview` →
 * `iframe#active-frame`), once it has rendered the host's `init`. Frames are replaced on reload / when the view is re-shown, so call
 * this again instead of keeping an old Frame around.
 */
export async function chatFrame(page: Page, timeout = STEP_TIMEOUT_MS): Promise<Frame> {
  const deadline = Date.now() + timeout;
  for (;;) {
    for (const frame of page.frames()) {
      if (frame.isDetached()) continue;
      const parentUrl = frame.parentFrame()?.url() ?? '';
      if (!parentUrl.includes('extensionId=switchyard.switchyard')) continue;
      // A frame whose history is not rendered yet would count no messages, and a test waiting
      // for "one more answer" would then take a restored one for it.
      const ready = await frame
        .locator(SEL.chatReady)
        .count()
        .then((n) => n > 0)
        .catch(() => false);
      if (ready) return frame;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `no webview frame with ${SEL.chatReady} after ${timeout} ms (frames: ${page
          .frames()
          .map((f) => f.url().slice(0, 120))
          .join(', ')})`,
      );
    }
    await sleep(250);
  }
}

/**
 * Reloads the window the way a person does (`Developer: Reload Window`), waits for the new
 * workbench and the extension, and — when the chat view was shown — for its webview again.
 * Returns the new chat frame when there is one.
 */
export async function reloadWindow(page: Page, timeout = 90_000): Promise<Frame | undefined> {
  const chatWasShown = await chatContainerActive(page);
  await page.evaluate(() => Reflect.set(window, '__switchyardE2eBeforeReload', true));
  await runCommand(page, 'Developer: Reload Window');
  await page.waitForFunction(() => Reflect.get(window, '__switchyardE2eBeforeReload') !== true, undefined, {
    timeout,
    polling: 250,
  });
  await page.waitForLoadState('domcontentloaded', { timeout });
  await waitForWorkbench(page, { timeoutMs: timeout });
  if (!chatWasShown) return undefined;
  return (await chatContainerActive(page)) ? chatFrame(page, timeout) : openChatView(page, timeout);
}

/** The Switchyard status-bar item's text without its icon, e.g. `auto`. */
export async function statusBarModelText(page: Page, timeout = STEP_TIMEOUT_MS): Promise<string> {
  const item = page.locator(SEL.modelStatusItem);
  await item.waitFor({ state: 'visible', timeout });
  return (await item.innerText()).replace(/\s+/g, ' ').trim();
}

/** The Switchyard status-bar item's accessible label (`Switchyard model <id>. Click to change.`). */
export async function statusBarModelLabel(page: Page, timeout = STEP_TIMEOUT_MS): Promise<string> {
  const item = page.locator(SEL.modelStatusItem);
  await item.waitFor({ state: 'visible', timeout });
  return (await item.getAttribute('aria-label')) ?? '';
}

/** Waits until the status-bar model text equals / matches `expected`; returns it. */
export async function waitForStatusBarModel(
  page: Page,
  expected: string | RegExp,
  timeout = STEP_TIMEOUT_MS,
): Promise<string> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const text = await statusBarModelText(page, timeout).catch(() => '');
    if (typeof expected === 'string' ? text === expected : expected.test(text)) return text;
    if (Date.now() > deadline) throw new Error(`status bar shows "${text}", expected ${String(expected)}`);
    await sleep(250);
  }
}

/** Saves a full-page screenshot to `test-results/<name>.png`; returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path: file });
  return file;
}

/**
 * Drags the sash on the side bar's right edge until the side bar is `width` px wide (VS Code's
 * default is about 300 px once a user has not widened it; screenshots at that width show what
 * most people see). Returns the width reached.
 */
export async function setSideBarWidth(page: Page, width: number, timeout = STEP_TIMEOUT_MS): Promise<number> {
  const bar = page.locator(SEL.sideBar);
  await bar.waitFor({ state: 'visible', timeout });
  for (let attempt = 0; attempt < 3; attempt++) {
    const box = await bar.boundingBox();
    if (!box) throw new Error('the side bar has no box');
    if (Math.abs(box.width - width) <= 2) return box.width;
    const edge = box.x + box.width;
    const y = box.y + box.height / 2;
    await page.mouse.move(edge - 1, y);
    await page.mouse.down();
    await page.mouse.move(edge + (width - box.width) / 2, y, { steps: 4 });
    await page.mouse.move(box.x + width, y, { steps: 4 });
    await page.mouse.up();
    await sleep(200);
  }
  return (await bar.boundingBox())?.width ?? 0;
}
