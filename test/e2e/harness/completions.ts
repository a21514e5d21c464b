/**
 * The inline-completions suite's helpers (test/e2e/completions.test.ts): the completions status
 * item and its menu, the ghost text, the fake's completion requests, the daily budget typed into
 * the Settings editor, and the suite's `step` (one VS Code shared by steps in order).
 */
import { it } from 'node:test';
import type { Page } from 'playwright-core';
import type { RecordedRequest } from '../../fake-openrouter/server';
import { closeModalEditor } from './dialogs';
import { runCommand, waitForQuickInput } from './quickInput';
import { waitForQuickInputItems } from './quickPickWaits';
import type { SwitchyardSession } from './session';
import { readUserSettings } from './vscodeChat';
import { waitUntil } from './wait';

export const STEP = { timeout: 240_000 };
/** The completions status-bar item. */
export const ITEM = '[id="switchyard.switchyard.switchyard.completions"]';
/** Ghost text as drawn: `-preview` is how VS Code draws it while its suggestion list is open. */
const GHOST =
  '.monaco-editor .ghost-text-decoration, .monaco-editor .ghost-text-decoration-preview, .monaco-editor .ghost-text';

export async function statusText(page: Page): Promise<string> {
  const item = page.locator(ITEM);
  await item.waitFor({ state: 'visible', timeout: 60_000 });
  return (await item.innerText()).replace(/\s+/g, ' ').trim();
}

export async function waitForStatus(page: Page, expected: RegExp, timeout = 60_000): Promise<string> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const text = await statusText(page).catch(() => '');
    if (expected.test(text)) return text;
    if (Date.now() > deadline) throw new Error(`the completions status shows "${text}", expected ${String(expected)}`);
    await page.waitForTimeout(200);
  }
}

export async function until<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeout = 60_000,
  page?: Page,
): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await (page ? page.waitForTimeout(100) : new Promise((r) => setTimeout(r, 100)));
  }
}

export const completionRequests = (fake: { chatRequests(): RecordedRequest[] }): RecordedRequest[] =>
  fake.chatRequests().filter((r) => r.completion !== undefined);

export async function ghostText(page: Page): Promise<string> {
  return (await page.locator(GHOST).allInnerTexts()).join('').replace(/\u00a0/g, ' ');
}

export async function waitForGhost(page: Page, expected: string, timeout = 60_000): Promise<void> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const text = await ghostText(page);
    if (text.includes(expected)) return;
    if (Date.now() > deadline) throw new Error(`ghost text "${text}", expected "${expected}"`);
    await page.waitForTimeout(100);
  }
}

/**
 * Waits for the ghost text after a keystroke that ends inside a word; when none comes, asks as a
 * person would, with Alt+Backslash (Trigger Inline Suggestion), and says so on stderr.
 *
 * Why VS Code may not ask again by itself: with its default `editor.quickSuggestions`
 * (`other: "offWhenInlineCompletions"`), a keystroke inside a word starts a race in VS Code's
 * suggest controller (`_waitForInlineCompletionsAndTrigger`): when no ghost text shows within
 * 750 ms, it stops the inline-completions model (`stop('automatic')`: the request in flight is
 * cancelled and the model goes inactive) and opens its own suggest list instead. The model asks
 * again only on the next keystroke, or in suggest-widget mode when that list selects an item our
 * answer extends. On an idle machine the answer (VS Code's 50 ms debounce, ours, the fake's
 * reply) lands well within 750 ms; on a loaded one it can miss it, and then nothing asks again:
 * the cause of the full run where no suggestion came for 30 s. A user there sees VS Code's
 * suggest list for that keystroke, and ghost text again on the next one.
 */
export async function waitForGhostOrAsk(s: SwitchyardSession, expected: string): Promise<void> {
  const page = s.page;
  try {
    await waitForGhost(page, expected, 10_000);
  } catch (error) {
    console.error(`[completions] ${String(error)}; asking with Alt+\\ (Trigger Inline Suggestion)`);
    // VS Code's suggest list took the keystroke: close it first, as a person would.
    const suggestList = page.locator('.editor-widget.suggest-widget.visible');
    if (await suggestList.isVisible().catch(() => false)) {
      await page.keyboard.press('Escape');
      await suggestList.waitFor({ state: 'hidden', timeout: 60_000 });
    }
    await page.keyboard.press('Alt+Backslash');
    await waitForGhost(page, expected, 60_000).catch((again: unknown) => {
      throw new Error(`${String(again)} after Alt+\\ too\n${completionTrail(s.fake!, s.extensionLog())}`);
    });
  }
}

/** What the fake and the extension saw of the last completions, for a failure's message. */
function completionTrail(fake: { chatRequests(): RecordedRequest[] }, log: string): string {
  const requests = completionRequests(fake)
    .slice(-6)
    .map((r) => {
      const c = r.completion!;
      return `  fake: …${JSON.stringify(c.before.slice(-30))} → ${JSON.stringify(c.insertion)} status ${r.status ?? '-'}${r.aborted ? ' aborted' : ''} at ${new Date(r.time).toISOString().slice(11, 23)}`;
    });
  const lines = log
    .split('\n')
    .filter((l) => /complet/i.test(l))
    .slice(-10)
    .map((l) => `  log: ${l}`);
  return [...requests, ...lines].join('\n');
}

/** Clicks into the editor (focus may be in a menu or a toast) and goes to the end of the file. */
export async function focusEditorEnd(page: Page): Promise<void> {
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  await page.locator('.editor-instance .monaco-editor.focused').waitFor({ state: 'visible' });
  await page.keyboard.press('Control+End');
}

/**
 * Sets `switchyard.completions.dailyBudget` in the Settings editor, as a person would, and waits
 * until the extension has it: its status menu says "budget $<usd>/day".
 */
export async function setDailyBudget(page: Page, userDataDir: string, usd: string): Promise<void> {
  await runCommand(page, 'Preferences: Open User Settings');
  const search = page.locator('.settings-editor .settings-header .suggest-input-container .view-lines').first();
  await search.waitFor({ state: 'visible', timeout: 60_000 });
  await search.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('switchyard.completions.dailyBudget');
  const row = page.locator('.settings-editor .setting-item-number', {
    has: page.locator('.setting-item-label', { hasText: /Daily Budget/ }),
  });
  const input = row.first().locator('input');
  const written = (): boolean => {
    try {
      return readUserSettings(userDataDir)['switchyard.completions.dailyBudget'] === Number(usd);
    } catch {
      return false; // VS Code rewrites the file in place: a read in between finds it empty.
    }
  };
  // The list may render again as the search settles, dropping what was typed: typed again until
  // VS Code has written it to the user settings.
  for (let attempt = 1; !written(); attempt++) {
    await input.waitFor({ state: 'visible', timeout: 60_000 });
    await input.fill(usd);
    await input.press('Tab');
    const saved = await waitUntil(
      written,
      15_000,
      `switchyard.completions.dailyBudget = ${usd} in the user settings`,
    ).then(
      () => true,
      (error: unknown) => {
        if (attempt === 3) throw error;
        console.error(
          `[completions] the budget typed in the Settings editor was not saved (attempt ${attempt}); again`,
        );
        return false;
      },
    );
    if (saved) break;
  }
  // The Settings editor opens as a modal editor: closed with its own close action.
  await closeModalEditor(page, 60_000);
  await page.locator('.settings-editor').first().waitFor({ state: 'hidden', timeout: 60_000 });
  await page.locator(ITEM).click();
  const box = await waitForQuickInput(page);
  const budget = page.locator('.quick-input-widget .monaco-list-row', { hasText: `budget $${usd}/day` });
  await budget.first().waitFor({ state: 'visible', timeout: 60_000 });
  await box.press('Escape');
}

/** Types words into the editor until the status item says the daily budget is reached (each keystroke after the debounce is one request); whether it did. */
export async function typeUntilBudgetReached(
  page: Page,
  fake: { chatRequests(): RecordedRequest[] },
): Promise<boolean> {
  // Each keystroke after the debounce is one request: type until the status says the budget is reached.
  const words = 'area perimeter volume radius diameter height width depth angle sector chord'.split(' ');
  let paused = false;
  for (let i = 0; i < 60 && !paused; i++) {
    const count = completionRequests(fake).length;
    await page.keyboard.type(`${words[i % words.length]!} `, { delay: 10 });
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline) {
      if (/budget reached/.test(await statusText(page))) {
        paused = true;
        break;
      }
      if (completionRequests(fake).length > count) break;
      await page.waitForTimeout(100);
    }
  }
  return paused;
}

/** Opens the status item's menu; its rows once all are there (the model picker's row is always one). */
export async function openCompletionsMenu(page: Page): Promise<string[]> {
  await page.locator(ITEM).click();
  return waitForQuickInputItems(
    page,
    (rows) => rows.some((r) => /Pick Completion Model/.test(r)),
    'the completions menu',
  );
}

/** The text of the editor's lines (ghost text included while shown). */
export async function editorLines(page: Page): Promise<string> {
  return (await page.locator('.editor-instance .monaco-editor .view-lines').first().innerText()).replace(
    /\u00a0/g,
    ' ',
  );
}

/** The suite shares one VS Code: a failed step leaves a picture and no open menu behind. */
export function step(session: () => SwitchyardSession, name: string, scenario: () => Promise<void>): void {
  it(name, STEP, async () => {
    try {
      await scenario();
    } catch (error) {
      const page = session().page;
      await session()
        .screenshot(`completions-failure-${name.slice(0, 30)}`)
        .catch(() => undefined);
      await page.keyboard.press('Escape').catch(() => undefined);
      await page.keyboard.press('Escape').catch(() => undefined);
      throw error;
    }
  });
}
