/**
 * VS Code's own chat (the built-in Chat view of VS Code 1.139), driven as a person would: open it,
 * pick a model and a mode in its composer, send, read the answer. Every step waits on VS Code's
 * own state (the composer shown, the picker's rows listed, the modal editor gone) rather than on
 * timing. Facts of the 1.139 DOM: the composer's pickers are `.chat-mode-picker-item` and
 * `.model-picker-item` (aria-label `Models, <name>`), their menus are action widgets whose rows
 * hold the name in `.title`, the input is a Monaco editor (`.interactive-input-editor`), answers
 * are `.monaco-list-row.response` rows. Manage Language Models opens as a modal editor
 * (`.monaco-modal-editor-block`) that takes the keyboard until it is closed.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { closeModalEditor } from './dialogs';
import { closeToastsCovering } from './notifications';
import { escapeRegExp, runCommand } from './quickInput';
import { STEP_TIMEOUT_MS, waitUntil } from './wait';

const INPUT = '.interactive-input-editor';
const MENU_ROW = '.action-widget .monaco-list-row';
const MODEL_PICKER = '.model-picker-item a.model-picker-name';

/** Opens VS Code's chat (Chat: Open Chat) and waits for its composer and its model picker. */
export async function openVsCodeChat(page: Page, timeout = STEP_TIMEOUT_MS): Promise<void> {
  await closeModalEditor(page, timeout);
  await runCommand(page, 'Chat: Open Chat');
  await page.locator(`${INPUT}:visible`).first().waitFor({ state: 'visible', timeout });
  await page.locator(MODEL_PICKER).first().waitFor({ state: 'visible', timeout });
}

/** A row of the open action-widget menu (model or mode picker) whose title is exactly `title`. */
function menuRow(page: Page, title: string): Locator {
  return page.locator(MENU_ROW, { has: page.locator('.title', { hasText: new RegExp(`^${escapeRegExp(title)}$`) }) });
}

/**
 * Clicks a composer picker until its menu shows (a click while the composer re-renders, e.g. just
 * after a mode switch, is lost), within `timeout`.
 */
async function openPickerMenu(page: Page, picker: string, timeout: number): Promise<void> {
  const rows = page.locator(`${MENU_ROW} .title`).first();
  await waitUntil(
    async () => {
      await clickUncovered(page, page.locator(picker).first());
      return rows.waitFor({ state: 'visible', timeout: 5_000 }).then(
        () => true,
        () => false,
      );
    },
    timeout,
    `the menu of ${picker} opens`,
  );
}

/**
 * Clicks `target`, closing any toast lying over it first (the composer's pickers and menus sit where
 * toasts show). A toast may show between that look and the click: the click then gives up soon,
 * and the look and the click are tried again.
 */
async function clickUncovered(page: Page, target: Locator, timeout = STEP_TIMEOUT_MS): Promise<void> {
  await waitUntil(
    async () => {
      await closeToastsCovering(page, target);
      return target.click({ timeout: 3_000 }).then(
        () => true,
        () => false,
      );
    },
    timeout,
    'a click that no toast covers',
    250,
  );
}

/** Closes the open action-widget menu (Escape) and waits until it is gone. */
async function closeMenu(page: Page, timeout: number): Promise<void> {
  await page.keyboard.press('Escape');
  await page.locator(MENU_ROW).first().waitFor({ state: 'hidden', timeout });
}

/**
 * Opens the composer's model picker until `expected` is listed (VS Code adds an extension's models
 * when its provider answers), returns every model name shown and closes the picker again.
 */
export async function chatModelNames(
  page: Page,
  expected: readonly string[],
  timeout = STEP_TIMEOUT_MS,
): Promise<string[]> {
  let names: string[] = [];
  await waitUntil(
    async () => {
      await openPickerMenu(page, MODEL_PICKER, timeout);
      names = (await page.locator(`${MENU_ROW} .title`).allInnerTexts()).map((n) => n.trim());
      await closeMenu(page, timeout);
      return expected.every((e) => names.includes(e));
    },
    timeout,
    `the model picker lists ${expected.join(', ')}`,
    500,
  ).catch((error: unknown) => {
    throw new Error(`${String(error)} (it lists: ${names.join(', ')})`);
  });
  return names;
}

/** Picks a model in the composer's model picker, by typing its name in the picker's search and choosing its row. */
export async function pickChatModel(page: Page, name: string, timeout = STEP_TIMEOUT_MS): Promise<void> {
  const chosen = page.locator(`.model-picker-item a.model-picker-name[aria-label="Models, ${name}"]`);
  if (await chosen.isVisible().catch(() => false)) return;
  await openPickerMenu(page, MODEL_PICKER, timeout);
  const filter = page.locator('.action-widget input.action-list-filter-input');
  await filter.waitFor({ state: 'visible', timeout });
  await filter.fill(name);
  const row = menuRow(page, name).first();
  await row.waitFor({ state: 'visible', timeout });
  await clickUncovered(page, row);
  await chosen.waitFor({ state: 'visible', timeout });
}

/**
 * Picks the chat mode (Agent, Ask, Plan) in the composer. Ask and Plan come with VS Code's chat
 * extension, which starts a little later: the menu is opened again until they are listed.
 */
export async function pickChatMode(page: Page, mode: 'Agent' | 'Ask' | 'Plan', timeout = 60_000): Promise<void> {
  const chosen = page.locator(`.chat-mode-picker-item a.action-label[aria-label="${mode}"]`);
  if (await chosen.isVisible().catch(() => false)) return;
  const row = menuRow(page, mode).first();
  await waitUntil(
    async () => {
      await openPickerMenu(page, '.chat-mode-picker-item a.action-label', STEP_TIMEOUT_MS);
      if (await row.isVisible()) return true;
      await closeMenu(page, STEP_TIMEOUT_MS);
      return false;
    },
    timeout,
    `the chat's mode menu lists ${mode}`,
    500,
  );
  await clickUncovered(page, row);
  await chosen.waitFor({ state: 'visible', timeout });
}

/** Types a message into the composer and sends it (Enter); waits until the composer is empty again. */
export async function sendChatMessage(page: Page, text: string, timeout = STEP_TIMEOUT_MS): Promise<void> {
  const input = page.locator(`${INPUT}:visible`).first();
  const head = text.slice(0, 20);
  const typed = input.locator('.view-lines', { hasText: head });
  // VS Code may move the focus just as typing starts (its "Set BYOK utility models" banner appears
  // above the input after a first answer): keys then go nowhere. As a person would, click back into
  // the input, clear what landed, and type again.
  await waitUntil(
    async () => {
      await focusChatInput(input, timeout);
      await page.keyboard.press('Control+A');
      await page.keyboard.press('Delete');
      await page.keyboard.type(text);
      return typed
        .waitFor({ state: 'attached', timeout: 10_000 })
        .then(() => true)
        .catch(() => false);
    },
    timeout * 2,
    `the chat's input to show "${head}"`,
    250,
  );
  await page.keyboard.press('Enter');
  await input.locator('.view-lines').filter({ hasNotText: head }).waitFor({ state: 'attached', timeout });
}

/** Gives the chat's input the keyboard focus (the placeholder's decoration covers it: a forced click, then its text box). */
async function focusChatInput(input: Locator, timeout: number): Promise<void> {
  const box = input.locator('.native-edit-context, textarea.inputarea').first();
  await waitUntil(
    async () => {
      if (await box.evaluate((el) => el === document.activeElement).catch(() => false)) return true;
      await closeToastsCovering(input.page(), input);
      await input.click({ force: true }).catch(() => undefined);
      await box.focus().catch(() => undefined);
      return false;
    },
    timeout,
    "the chat's input to have the keyboard focus",
    250,
  );
}

/**
 * Waits for the latest answer to match every pattern of `match`, and returns its text. An answer
 * streams in, so a test names all it needs at once rather than waiting for its first words and
 * asserting on the rest. (The chat's list is virtualised: only rows in view are in the DOM, so
 * answers are not counted by position.)
 */
export async function latestChatResponse(
  page: Page,
  match: RegExp | readonly RegExp[],
  timeout = 60_000,
): Promise<string> {
  const patterns = Array.isArray(match) ? match : [match];
  const row = page.locator('.interactive-session .monaco-list-row.response').last();
  let text = '';
  await waitUntil(
    async () => {
      text = await row.innerText().catch(() => '');
      return patterns.every((p: RegExp) => p.test(text));
    },
    timeout,
    `the latest answer shows ${patterns.map(String).join(' and ')}`,
    200,
  ).catch((error: unknown) => {
    throw new Error(`${String(error)}; it shows: ${text.slice(0, 600)}`);
  });
  return text;
}

/** The user's settings.json as VS Code has written it. */
export function readUserSettings(userDataDir: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(userDataDir, 'User', 'settings.json'), 'utf8')) as Record<string, unknown>;
}

/**
 * Ticks or clears a boolean setting (`id`, shown as `title`) in VS Code's Settings editor (Preferences: Open User
 * Settings), as a person does: search its id, click its checkbox, wait until VS Code has written
 * it to the user's settings.json, and close the Settings editor again.
 */
export async function setBooleanInSettingsEditor(
  page: Page,
  userDataDir: string,
  id: string,
  title: string,
  value: boolean,
  options: { readonly screenshot?: () => Promise<unknown>; readonly timeout?: number } = {},
): Promise<void> {
  const timeout = options.timeout ?? STEP_TIMEOUT_MS;
  await closeModalEditor(page, timeout);
  await runCommand(page, 'Preferences: Open User Settings');
  const search = page.locator('.settings-editor .settings-header .suggest-input-container .view-lines').first();
  await search.waitFor({ state: 'visible', timeout });
  await search.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.type(id);
  // The row of this setting only (the editor lists every setting until the search has filtered).
  const item = page.locator('.settings-editor .setting-item-bool', {
    has: page.locator('.setting-item-label', { hasText: new RegExp(`^\\s*${escapeRegExp(title)}\\s*$`) }),
  });
  const checkbox = item.first().locator('.setting-value-checkbox');
  await checkbox.waitFor({ state: 'visible', timeout });
  if ((await checkbox.getAttribute('aria-checked')) !== String(value)) await checkbox.click();
  await item
    .first()
    .locator(`.setting-value-checkbox[aria-checked="${String(value)}"]`)
    .waitFor({ state: 'visible', timeout });
  // VS Code rewrites the file in place: a read in between finds it empty, and is tried again.
  const written = (): boolean => {
    try {
      return readUserSettings(userDataDir)[id] === value;
    } catch {
      return false;
    }
  };
  await waitUntil(written, timeout, `${id} is ${String(value)} on disk`);
  if (options.screenshot) await options.screenshot();
  // The Settings editor is a modal editor in 1.139: the command palette does not open over it.
  await closeModalEditor(page, timeout);
}
