/**
 * Inline completions in a real VS Code (code-server + Chromium) against the fake OpenRouter,
 * driven as a person would: a first key brings the one-time offer (declined), completions are
 * turned on from the status bar, typing in a TypeScript file shows ghost text that Tab accepts;
 * typing on while a request is in flight aborts it at the fake and no stale suggestion shows;
 * typing until the daily budget is reached pauses completions, and nothing is sent while paused.
 * The scenarios run in order on one VS Code.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { useSwitchyard } from './harness/session';
import { clickNotificationButton, openFile, pickQuickItem, runCommand, typeIntoQuickInput, waitForNotification, waitForQuickInput } from './harness/workbench';
import type { RecordedRequest } from '../fake-openrouter/server';

const KEY = 'sk-or-v1-e2e-completions-0123456789abcdef012';
const STEP = { timeout: 240_000 };
const ITEM = '[id="switchyard.switchyard.switchyard.completions"]';
const GHOST = '.monaco-editor .ghost-text-decoration, .monaco-editor .ghost-text';

const AREA_LINE = 'export const circleArea = (r: number) => ';
const AREA_INSERT = 'Math.PI * r * r;';
const SQUARE_LINE = 'export const squareArea = (side: number) => ';

const session = useSwitchyard({
  fake: {
    tokenDelayMs: 0,
    completions: {
      insertions: [
        { after: AREA_LINE, insert: AREA_INSERT },
        { after: `${SQUARE_LINE}side`, insert: ' * side;' },
        { after: SQUARE_LINE, insert: 'STALE_SUGGESTION;' },
      ],
    },
  },
  settings: {
    'switchyard.timeoutSeconds': 20,
    'switchyard.attachEditorContext': false,
    'switchyard.completions.debounceMs': 100,
    'switchyard.completions.dailyBudget': 0.0015,
    // Nothing but our ghost text: no suggest widget, no auto-closed brackets.
    'editor.quickSuggestions': { other: 'off', comments: 'off', strings: 'off' },
    'editor.suggestOnTriggerCharacters': false,
    'editor.wordBasedSuggestions': 'off',
    'editor.autoClosingBrackets': 'never',
    'editor.autoClosingQuotes': 'never',
    'editor.inlineSuggest.enabled': true,
  },
  files: { 'src/geometry.ts': '/** Geometry helpers. */\n' },
});

async function statusText(page: Page): Promise<string> {
  const item = page.locator(ITEM);
  await item.waitFor({ state: 'visible', timeout: 30_000 });
  return (await item.innerText()).replace(/\s+/g, ' ').trim();
}

async function waitForStatus(page: Page, expected: RegExp, timeout = 30_000): Promise<string> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const text = await statusText(page).catch(() => '');
    if (expected.test(text)) return text;
    if (Date.now() > deadline) throw new Error(`the completions status shows "${text}", expected ${String(expected)}`);
    await page.waitForTimeout(200);
  }
}

async function until<T>(what: string, check: () => T | undefined | false, timeout = 30_000, page?: Page): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await (page ? page.waitForTimeout(100) : new Promise((r) => setTimeout(r, 100)));
  }
}

const completionRequests = (fake: { chatRequests(): RecordedRequest[] }): RecordedRequest[] => fake.chatRequests().filter((r) => r.completion !== undefined);

async function ghostText(page: Page): Promise<string> {
  return (await page.locator(GHOST).allInnerTexts()).join('').replace(/\u00a0/g, ' ');
}

async function waitForGhost(page: Page, expected: string, timeout = 30_000): Promise<void> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const text = await ghostText(page);
    if (text.includes(expected)) return;
    if (Date.now() > deadline) throw new Error(`ghost text "${text}", expected "${expected}"`);
    await page.waitForTimeout(100);
  }
}

/** Clicks into the editor (focus may be in a menu or a toast) and goes to the end of the file. */
async function focusEditorEnd(page: Page): Promise<void> {
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  await page.locator('.editor-instance .monaco-editor.focused').waitFor({ state: 'visible' });
  await page.keyboard.press('Control+End');
}

/** The text of the editor's lines (ghost text included while shown). */
async function editorLines(page: Page): Promise<string> {
  return (await page.locator('.editor-instance .monaco-editor .view-lines').first().innerText()).replace(/\u00a0/g, ' ');
}

/** The suite shares one VS Code: a failed step leaves a picture and no open menu behind. */
function step(name: string, scenario: () => Promise<void>): void {
  it(name, STEP, async () => {
    try {
      await scenario();
    } catch (error) {
      const page = session().page;
      await session().screenshot(`completions-failure-${name.slice(0, 30)}`).catch(() => undefined);
      await page.keyboard.press('Escape').catch(() => undefined);
      await page.keyboard.press('Escape').catch(() => undefined);
      throw error;
    }
  });
}

describe('Switchyard inline completions in a real VS Code', { timeout: 900_000 }, () => {

  step('the first stored key offers completions once; they stay off until turned on', async () => {
    const s = session();
    assert.match(await statusText(s.page), /Completions off/, 'off by default');
    await runCommand(s.page, 'Switchyard: Set API Key');
    await typeIntoQuickInput(s.page, KEY, { password: true });
    const offer = await waitForNotification(s.page, /suggest code as you type/, 60_000);
    assert.match(offer, /small paid request to OpenRouter, about \$0\.\d+ each with/);
    assert.match(offer, /daily budget of \$0\.0015\./);
    await s.screenshot('completions-01-offer');
    await clickNotificationButton(s.page, /suggest code as you type/, 'Not Now');
    assert.match(await statusText(s.page), /Completions off/);
  });

  step('turned on from the status bar: typing shows ghost text, Tab accepts it', async () => {
    const s = session();
    const fake = s.fake!;
    await s.page.locator(ITEM).click();
    await waitForQuickInput(s.page);
    await s.screenshot('completions-02-menu-off');
    await pickQuickItem(s.page, /Turn Completions On/);
    await waitForStatus(s.page, /^\S* ?Completions$/);

    await openFile(s.page, 'src/geometry.ts');
    await s.page.keyboard.press('Control+End');
    await s.page.keyboard.type(AREA_LINE, { delay: 20 });
    await waitForGhost(s.page, AREA_INSERT);
    await s.screenshot('completions-03-ghost-text');
    const request = completionRequests(fake).at(-1)!;
    assert.ok(request.completion!.before.endsWith(AREA_LINE));
    const body = request.body as { model: string; max_tokens: number; provider?: { sort?: string }; stream: boolean };
    assert.equal(body.model, 'openai/gpt-4o-mini', 'the fast, cheap default the catalogue has');
    assert.equal(body.provider?.sort, 'latency', 'latency-first');
    assert.ok(body.max_tokens <= 256 && body.stream);

    await s.page.keyboard.press('Tab');
    const deadline = Date.now() + 15_000;
    while ((await ghostText(s.page)) !== '' && Date.now() < deadline) await s.page.waitForTimeout(100);
    assert.equal(await ghostText(s.page), '');
    assert.match(await editorLines(s.page), /export const circleArea = \(r: number\) => Math\.PI \* r \* r;/);
    await s.screenshot('completions-04-accepted');

    // Today's figures in the menu.
    await s.page.locator(ITEM).click();
    const box = await waitForQuickInput(s.page);
    const figures = s.page.locator('.quick-input-widget .monaco-list-row', { hasText: /shown/ }).first();
    await figures.waitFor({ state: 'visible' });
    // After Tab, VS Code may ask again at the line's end (the fake's empty answer shows nothing).
    const shown = /(\d+) shown · (\d+) accepted · (\d+) requests · \$0\.000\d+/.exec(await figures.innerText());
    assert.ok(shown, await figures.innerText());
    assert.deepEqual([shown[1], shown[2]], ['1', '1']);
    // Requests count when they leave the client; one aborted at once may never reach the fake.
    assert.ok(Number(shown[3]) >= 1 && completionRequests(fake).length >= 1, `requests ${shown[3]}`);
    await s.screenshot('completions-05-menu-figures');
    await box.press('Escape');
  });

  step('typing on aborts the request in flight at the fake, and no stale suggestion shows', async () => {
    const s = session();
    const fake = s.fake!;
    fake.setCompletions({ latencyMs: 4000 });
    await focusEditorEnd(s.page);
    await s.page.keyboard.press('Enter');
    const before = completionRequests(fake).length;
    await s.page.keyboard.type(SQUARE_LINE, { delay: 20 });
    const slow = await until('the request for the new line', () => completionRequests(fake).slice(before).find((r) => r.completion!.before.endsWith(SQUARE_LINE)), 30_000, s.page);
    fake.setCompletions({ latencyMs: 80 });
    await s.page.keyboard.type('side', { delay: 20 });
    await until('the fake to see the abort', () => slow.aborted === true, 15_000, s.page);
    await waitForGhost(s.page, ' * side;');
    await s.screenshot('completions-06-after-abort');
    assert.ok(!(await editorLines(s.page)).includes('STALE_SUGGESTION'), 'the aborted request never shows');
    assert.equal(slow.completion!.insertion, 'STALE_SUGGESTION;', 'it would have answered the stale text');
    await s.page.keyboard.press('Escape');
  });

  step('typing until the daily budget is reached pauses completions and says so; nothing is sent while paused', async () => {
    const s = session();
    const fake = s.fake!;
    fake.setCompletions({ latencyMs: 0 });
    await focusEditorEnd(s.page);
    await s.page.keyboard.press('Enter');
    await s.page.keyboard.type('// ', { delay: 20 });
    // Each keystroke after the debounce is one request: type until the status says the budget is reached.
    const words = 'area perimeter volume radius diameter height width depth angle sector chord'.split(' ');
    let paused = false;
    for (let i = 0; i < 60 && !paused; i++) {
      const count = completionRequests(fake).length;
      await s.page.keyboard.type(`${words[i % words.length]!} `, { delay: 10 });
      const deadline = Date.now() + 5_000;
      while (Date.now() < deadline) {
        if (/budget reached/.test(await statusText(s.page))) {
          paused = true;
          break;
        }
        if (completionRequests(fake).length > count) break;
        await s.page.waitForTimeout(100);
      }
    }
    assert.ok(paused, 'the budget was reached');
    await waitForStatus(s.page, /Completions: budget reached/);
    await waitForNotification(s.page, /inline completions paused — .*daily budget/);
    await s.screenshot('completions-07-budget-reached');

    // Paused: typing sends nothing. Raising the budget from the notice's "Open Settings" resumes,
    // and the next request carries everything typed meanwhile (so nothing went in between).
    const atPause = completionRequests(fake).length;
    await s.page.keyboard.type('while paused ', { delay: 20 });
    await clickNotificationButton(s.page, /inline completions paused/, 'Open Settings');
    const input = s.page.locator('.settings-editor .setting-item-number input').first();
    await input.waitFor({ state: 'visible', timeout: 30_000 });
    await input.fill('1');
    await input.press('Tab');
    await waitForStatus(s.page, /^\S* ?Completions$/);
    await s.screenshot('completions-08-budget-raised');
    await s.page.keyboard.press('Control+W');
    await focusEditorEnd(s.page);
    await s.page.keyboard.type('x', { delay: 20 });
    const next = await until('a request after resuming', () => completionRequests(fake)[atPause], 30_000, s.page);
    assert.ok(next.completion!.before.endsWith('while paused x'), next.completion!.before.slice(-40));
    await s.screenshot('completions-08-resumed');
  });

  step('the menu turns them off for this language and snoozes them; nothing is sent meanwhile', async () => {
    const s = session();
    const fake = s.fake!;
    await s.page.locator(ITEM).click();
    await pickQuickItem(s.page, /Turn Off for typescript/);
    await waitForStatus(s.page, /Completions off \(typescript\)/);
    await s.screenshot('completions-09-off-for-typescript');
    const before = completionRequests(fake).length;
    await focusEditorEnd(s.page);
    await s.page.keyboard.type(' off', { delay: 20 });

    await s.page.locator(ITEM).click();
    await pickQuickItem(s.page, /Turn On for typescript/);
    await waitForStatus(s.page, /^\S* ?Completions$/);
    await s.page.locator(ITEM).click();
    await pickQuickItem(s.page, /Snooze for 10 Minutes/);
    await waitForStatus(s.page, /Completions snoozed/);
    await s.screenshot('completions-10-snoozed');
    await focusEditorEnd(s.page);
    await s.page.keyboard.type(' snoozed', { delay: 20 });

    await s.page.locator(ITEM).click();
    await pickQuickItem(s.page, /Resume Now/);
    await waitForStatus(s.page, /^\S* ?Completions$/);
    await focusEditorEnd(s.page);
    await s.page.keyboard.type('!', { delay: 20 });
    const next = await until('a request after resuming', () => completionRequests(fake)[before], 30_000, s.page);
    assert.ok(next.completion!.before.endsWith(' off snoozed!'), `nothing was sent while off or snoozed: ${next.completion!.before.slice(-30)}`);
  });
});
