/**
 * VS Code's own chat (the built-in Chat view of VS Code 1.139), driven as a person would: open it,
 * pick a model and a mode in its composer, send, read the answer. Facts of the 1.139 DOM:
 * the composer's pickers are `.chat-mode-picker-item` and `.model-picker-item` (aria-label
 * `Models, <name>`), their menus are action widgets whose rows hold the name in `.title`, the input
 * is a Monaco editor (`.interactive-input-editor`), answers are `.monaco-list-row.response` rows.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { runCommand, STEP_TIMEOUT_MS } from './workbench';

const INPUT = '.interactive-input-editor';

/** Opens VS Code's chat (Chat: Open Chat) and waits for its composer. */
export async function openVsCodeChat(page: Page, timeout = STEP_TIMEOUT_MS): Promise<void> {
  await runCommand(page, 'Chat: Open Chat');
  await page.locator(`${INPUT}:visible`).first().waitFor({ state: 'visible', timeout });
}

/** A row of the open action-widget menu (model or mode picker) whose title is exactly `title`. */
function menuRow(page: Page, title: string): Locator {
  return page.locator('.action-widget .monaco-list-row', { has: page.locator('.title', { hasText: new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) });
}

/** The model names the composer's model picker lists (opens and closes it). */
export async function chatModelNames(page: Page, timeout = STEP_TIMEOUT_MS): Promise<string[]> {
  await page.locator('.model-picker-item a.model-picker-name').click();
  await page.locator('.action-widget .monaco-list-row .title').first().waitFor({ state: 'visible', timeout });
  const names = await page.locator('.action-widget .monaco-list-row .title').allInnerTexts();
  await page.keyboard.press('Escape');
  return names;
}

/** Picks a model in the composer's model picker, by typing its name in the picker's search and choosing its row. */
export async function pickChatModel(page: Page, name: string, timeout = STEP_TIMEOUT_MS): Promise<void> {
  const picker = page.locator('.model-picker-item a.model-picker-name');
  await picker.click();
  await page.locator('.action-widget input.action-list-filter-input').fill(name);
  const row = menuRow(page, name).first();
  await row.waitFor({ state: 'visible', timeout });
  await row.hover();
  await page.keyboard.press('Enter');
  await page.locator(`.model-picker-item a.model-picker-name[aria-label="Models, ${name}"]`).waitFor({ state: 'visible', timeout });
}

/** Picks the chat mode (Agent, Ask, Plan) in the composer. */
export async function pickChatMode(page: Page, mode: 'Agent' | 'Ask' | 'Plan', timeout = 60_000): Promise<void> {
  const row = menuRow(page, mode).first();
  const deadline = Date.now() + timeout;
  // Ask and Plan come with VS Code's chat extension, which starts a little later: the menu is opened again until they are listed.
  for (;;) {
    await page.locator('.chat-mode-picker-item a.action-label').click();
    if (await row.waitFor({ state: 'visible', timeout: 3_000 }).then(() => true, () => false)) break;
    await page.keyboard.press('Escape');
    if (Date.now() > deadline) throw new Error(`the chat's mode menu never listed ${mode}`);
    await page.waitForTimeout(500);
  }
  await row.click();
  await page.locator(`.chat-mode-picker-item a.action-label[aria-label="${mode}"]`).waitFor({ state: 'visible', timeout });
}

/** Types a message into the composer and sends it (Enter). */
export async function sendChatMessage(page: Page, text: string, timeout = STEP_TIMEOUT_MS): Promise<void> {
  const input = page.locator(`${INPUT}:visible`).first();
  // The placeholder's decoration covers the editor: a forced click on it, then focus on its text box if the click did not give it.
  await input.click({ force: true });
  const box = input.locator('.native-edit-context, textarea.inputarea').first();
  if (!(await box.evaluate((el) => el === document.activeElement).catch(() => false))) await box.focus();
  await page.keyboard.type(text);
  const typed = input.locator('.view-lines');
  const deadline = Date.now() + timeout;
  while (!(await typed.innerText()).replace(/\s+/g, ' ').includes(text.slice(0, 20))) {
    if (Date.now() > deadline) throw new Error(`the chat input did not take "${text}"`);
    await page.waitForTimeout(100);
  }
  await page.keyboard.press('Enter');
  await page.locator(`${INPUT}:visible .view-lines`).first().filter({ hasNotText: text.slice(0, 20) }).waitFor({ timeout });
}

/**
 * Waits for the latest answer to contain `match`, and returns its text. (The chat's list is
 * virtualised: only rows in view are in the DOM, so answers are not counted by position.)
 */
export async function latestChatResponse(page: Page, match: RegExp, timeout = 60_000): Promise<string> {
  const row = page.locator('.interactive-session .monaco-list-row.response').last();
  const deadline = Date.now() + timeout;
  let text = '';
  while (Date.now() < deadline) {
    text = await row.innerText().catch(() => '');
    if (match.test(text)) return text;
    await page.waitForTimeout(200);
  }
  throw new Error(`the latest answer did not show ${String(match)}; it shows: ${text.slice(0, 600)}`);
}

/** Merges `settings` into the user's settings.json, as a person editing the file would (VS Code picks the change up). */
export function editUserSettings(userDataDir: string, settings: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const file = path.join(userDataDir, 'User', 'settings.json');
  const next = { ...(JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>), ...settings };
  writeFileSync(file, `${JSON.stringify(next, null, 2)}\n`);
  return next;
}

/** The user's settings.json as VS Code has it on disk. */
export function readUserSettings(userDataDir: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(userDataDir, 'User', 'settings.json'), 'utf8')) as Record<string, unknown>;
}
