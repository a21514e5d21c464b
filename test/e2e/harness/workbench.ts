/**
 * Person-like helpers for the VS Code workbench: the command palette, quick inputs, the chat
 * view, notifications, the status bar, editors and screenshots. Each waits for what a person
 * would see before acting, with bounded timeouts.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';
import { waitForWorkbench } from './browser';
import { resultsDir } from './paths';
import { SEL } from './selectors';
import { settled } from './wait';

/**
 * Default timeout for one UI step: VS Code's own UI on a 2-core machine at load 20 can take tens
 * of seconds to answer, so a minute (bounded; a passing step never waits it out).
 */
export const STEP_TIMEOUT_MS = 60_000;

/** How long one key press is given to open the quick input before it is pressed again (lost while focus moves). */
const QUICK_INPUT_OPEN_MS = 10_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Escapes a string for use inside a RegExp. */
function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A RegExp matching `label` exactly (after trimming), or `label` itself when it is a RegExp. */
function exactly(label: string | RegExp): RegExp {
  return typeof label === 'string' ? new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) : label;
}

/** The quick input widget when it is open. */
function quickInput(page: Page): Locator {
  return page.locator(SEL.quickInput);
}

/** Whether the quick input widget is currently shown. */
export async function isQuickInputOpen(page: Page): Promise<boolean> {
  return quickInput(page).isVisible();
}

/** Waits for the quick input widget and its text box to be visible. */
export async function waitForQuickInput(page: Page, timeout = STEP_TIMEOUT_MS): Promise<Locator> {
  await quickInput(page).waitFor({ state: 'visible', timeout });
  const box = page.locator(SEL.quickInputBox);
  await box.waitFor({ state: 'visible', timeout });
  return box;
}

/** Closes the quick input (Escape) if it is open, and waits for it to disappear. */
export async function closeQuickInput(page: Page): Promise<void> {
  if (!(await isQuickInputOpen(page))) return;
  await page.keyboard.press('Escape');
  await settled(quickInput(page).waitFor({ state: 'hidden', timeout: 5_000 }), 'the quick input to close on Escape');
}

/** Presses `key` until the quick input opens (a keystroke can be lost while focus moves). */
async function openQuickInputWith(page: Page, keys: readonly string[]): Promise<Locator> {
  await closeQuickInput(page);
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    for (const key of keys) {
      await page.keyboard.press(key);
      try {
        return await waitForQuickInput(page, QUICK_INPUT_OPEN_MS);
      } catch (error) {
        lastError = error;
      }
    }
  }
  throw new Error(`the quick input did not open with ${keys.join(' / ')}: ${String(lastError)}`);
}

/** Labels of the rows the quick pick currently renders (the list is virtualised). */
export async function quickInputItems(page: Page): Promise<string[]> {
  if (!(await isQuickInputOpen(page))) return [];
  const labels = await page.locator(`${SEL.quickInputRow} ${SEL.quickInputRowLabel}`).allInnerTexts();
  return labels.map((l) => l.trim());
}

/** The quick input's message line (prompt or validation error), or '' when none is shown. */
export async function quickInputMessage(page: Page): Promise<string> {
  const message = page.locator(SEL.quickInputMessage);
  if (!(await message.isVisible())) return '';
  return (await message.innerText()).trim();
}

/** The quick input's title bar text, or '' when it has none. */
export async function quickInputTitle(page: Page): Promise<string> {
  const title = page.locator('.quick-input-widget .quick-input-title');
  if (!(await title.isVisible())) return '';
  return (await title.innerText()).trim();
}

/** The quick pick row whose label is `label` (exact string or RegExp). */
function quickRow(page: Page, label: string | RegExp): Locator {
  return page
    .locator(SEL.quickInputRow)
    .filter({ has: page.locator(SEL.quickInputRowLabel, { hasText: exactly(label) }) });
}

/**
 * Accepts the row labelled `label`: Enter when it is the focused row (what a person does after
 * typing), otherwise a click on it.
 */
async function acceptRow(page: Page, label: string | RegExp, timeout: number): Promise<void> {
  const row = quickRow(page, label).first();
  try {
    await row.waitFor({ state: 'visible', timeout });
  } catch {
    const shown = await quickInputItems(page).catch(() => []);
    throw new Error(`no quick pick row labelled ${String(label)} (shown: ${JSON.stringify(shown)})`);
  }
  // Quick Open ranks in stages (history first, then the file search): once it is no longer busy,
  // let the list settle, then prefer the keyboard once filtering has focused this row (a list
  // still filtering may focus another one first); a row that does not become focused is clicked.
  await page
    .waitForFunction(() => !document.querySelector('.quick-input-widget .quick-input-progress.active'), undefined, {
      timeout: 10_000,
    })
    .catch(() => undefined);
  await sleep(150);
  const before = await quickInputState(page);
  const focused = await quickRow(page, label)
    .and(page.locator(SEL.quickInputFocusedRow))
    .first()
    .waitFor({ state: 'visible', timeout: 2_000 })
    .then(
      () => true,
      () => false,
    );
  if (focused) await page.keyboard.press('Enter');
  else await row.click();
  // The widget is reused: wait until this picker is gone (hidden, or replaced by the next input
  // box) so that the next step does not type into it.
  // Some pickers stay open on purpose (e.g. toggles).
  await settled(
    page.waitForFunction(
      ([label, value]) => {
        const widget = document.querySelector<HTMLElement>('.quick-input-widget');
        if (!widget || widget.style.display === 'none' || widget.offsetParent === null) return true;
        const input = widget.querySelector<HTMLInputElement>('.quick-input-box input');
        return !input || input.getAttribute('aria-label') !== label || input.value !== value;
      },
      [before.label, before.value] as const,
      { timeout: 5_000, polling: 50 },
    ),
    `the picker to move on after ${String(label)}`,
  );
}

/** The quick input box's aria-label and value, to notice when the widget shows something else. */
async function quickInputState(page: Page): Promise<{ label: string; value: string }> {
  const box = page.locator(SEL.quickInputBox);
  return {
    label: (await box.getAttribute('aria-label').catch(() => null)) ?? '',
    value: await box.inputValue().catch(() => ''),
  };
}

/**
 * Runs a command by its palette title, as a person would: F1, type the title, wait for the
 * matching row, Enter. Example: `runCommand(page, 'Switchyard: Set API Key')`.
 */
export async function runCommand(page: Page, title: string, timeout = STEP_TIMEOUT_MS): Promise<void> {
  // VS Code 1.139 opens the Settings editor and Manage Language Models as modal editors, and the
  // command palette does not open over one: close it first, as a person would.
  await closeModalEditor(page, timeout);
  const box = await openQuickInputWith(page, ['F1', 'Control+Shift+P']);
  await box.fill(`>${title}`);
  await acceptRow(page, title, timeout);
}

/** Options for {@link typeIntoQuickInput}. */
export interface TypeOptions {
  /** Assert that the box masks its input (`type=password`), e.g. for API keys. */
  readonly password?: boolean;
  /** Press Enter afterwards (default true). */
  readonly submit?: boolean;
  /** After Enter, wait for the quick input to close (default true when submitting). */
  readonly expectClose?: boolean;
  readonly timeout?: number;
}

/**
 * Types `text` into the open input box (showInputBox / the filter of a quick pick) and presses
 * Enter. Fails with the box's validation message if it does not close.
 */
export async function typeIntoQuickInput(page: Page, text: string, options: TypeOptions = {}): Promise<void> {
  const timeout = options.timeout ?? STEP_TIMEOUT_MS;
  const box = await waitForQuickInput(page, timeout);
  if (options.password) {
    const type = await box.getAttribute('type');
    if (type !== 'password') throw new Error(`expected a password input box, found type=${String(type)}`);
  }
  await box.fill(text);
  if (options.submit === false) return;
  await box.press('Enter');
  if (options.expectClose === false) return;
  try {
    await quickInput(page).waitFor({ state: 'hidden', timeout });
  } catch {
    throw new Error(`the input box did not accept the text; it says: "${await quickInputMessage(page)}"`);
  }
}

/**
 * Picks the quick pick row labelled `label` (exact string or RegExp). When the row is not
 * rendered (long, virtualised lists) it first types `filter` (default: the label) to narrow it.
 */
export async function pickQuickItem(
  page: Page,
  label: string | RegExp,
  options: { filter?: string; timeout?: number } = {},
): Promise<void> {
  const timeout = options.timeout ?? STEP_TIMEOUT_MS;
  const box = await waitForQuickInput(page, timeout);
  const row = quickRow(page, label).first();
  const shown = await row.waitFor({ state: 'visible', timeout: 3_000 }).then(
    () => true,
    () => false,
  );
  const filter = options.filter ?? (typeof label === 'string' ? label : undefined);
  if (!shown && filter !== undefined) await box.fill(filter);
  await acceptRow(page, label, timeout);
}

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

/** Clicks the button `button` on the toast whose text matches `match`. */
export async function clickNotificationButton(
  page: Page,
  match: string | RegExp,
  button: string,
  timeout = STEP_TIMEOUT_MS,
): Promise<void> {
  await waitForNotification(page, match, timeout);
  const withMessage = { has: page.locator(SEL.notificationMessage, { hasText: match }) };
  const onToast = page.locator(SEL.notificationToast).filter(withMessage).first();
  const clicked = await onToast
    .locator('a.monaco-button', { hasText: exactly(button) })
    .first()
    .click({ timeout: TOAST_CLICK_MS })
    .then(() => true)
    .catch(() => false);
  if (clicked) return;
  // The toast hid itself meanwhile (VS Code hides a toast after some seconds): as a person would,
  // open the notification centre (the bell) and click the button there.
  await runCommand(page, 'Notifications: Show Notifications');
  await page
    .locator('.notifications-center .notification-list-item')
    .filter(withMessage)
    .first()
    .locator('a.monaco-button', { hasText: exactly(button) })
    .first()
    .click({ timeout });
}

/** How long a toast's button is tried before the notification centre is opened instead. */
const TOAST_CLICK_MS = 15_000;

/** Dismisses every notification (`Notifications: Clear All Notifications`). */
export async function clearNotifications(page: Page): Promise<void> {
  await runCommand(page, 'Notifications: Clear All Notifications');
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

/** Waits for VS Code's modal dialog, checks that it asks `question`, and returns it (to read on or click a button). */
export async function waitForDialog(page: Page, question: RegExp, timeout = STEP_TIMEOUT_MS): Promise<Locator> {
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ state: 'visible', timeout });
  assert.match(await dialog.innerText(), question);
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
