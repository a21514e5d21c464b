/**
 * Dynamic routes in a real VS Code (code-server + Chromium) against the fake OpenRouter, driven
 * as a person would: add a route from the palette, use it from the notification, see the chat
 * answered through it, list it, remove it (the chat falls back to the route's first model).
 * The scenarios run in order on one VS Code.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { lastAnswerText, markdownPreview } from './harness/chatView';
import { useSwitchyard } from './harness/session';
import { clickNotificationButton, waitForNotification } from './harness/notifications';
import {
  pickQuickItem,
  quickInputTitle,
  runCommand,
  runCommandAndPick,
  typeIntoQuickInput,
  waitForQuickInput,
} from './harness/quickInput';
import { openChatView, waitForStatusBarModel } from './harness/workbench';

const KEY = 'sk-or-v1-e2e-routes-0123456789abcdef01234';
const STEP = { timeout: 180_000 };

const session = useSwitchyard({ env: { OPENROUTER_API_KEY: KEY }, settings: { 'switchyard.timeoutSeconds': 20 } });

async function waitForTitle(page: Page, title: RegExp): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    await waitForQuickInput(page);
    const now = await quickInputTitle(page);
    if (title.test(now)) return;
    if (Date.now() > deadline) throw new Error(`the quick input title stayed "${now}", expected ${String(title)}`);
    await page.waitForTimeout(100);
  }
}

describe('Switchyard routes in a real VS Code', { timeout: 600_000 }, () => {
  it('adds a route from the palette, uses it, and the chat is answered through it', STEP, async () => {
    const s = session();
    // The catalogue arrives in the background (the key comes from OPENROUTER_API_KEY).
    const deadline = Date.now() + 60_000;
    while (!s.fake?.requests.some((r) => r.path === '/api/v1/models') && Date.now() < deadline)
      await s.page.waitForTimeout(100);
    await s.page.waitForTimeout(500);

    await runCommand(s.page, 'Switchyard: Add Route');
    // The next step opens in the same widget, so the box does not close in between.
    await typeIntoQuickInput(s.page, 'research', { expectClose: false });
    await waitForTitle(s.page, /model 1/);
    await pickQuickItem(s.page, /Claude Sonnet 4/, { filter: 'claude sonnet' });
    // The optional provider step lists the model's providers (from its endpoints).
    await waitForTitle(s.page, /provider for anthropic\/claude-sonnet-4/);
    await s.page
      .locator('.quick-input-widget .monaco-list-row', { hasText: 'amazon-bedrock' })
      .first()
      .waitFor({ state: 'visible', timeout: 60_000 });
    await s.screenshot('20-route-provider-step');
    await pickQuickItem(s.page, /Any provider/);
    await waitForTitle(s.page, /model 2/);
    await pickQuickItem(s.page, /Gemini 2\.5 Flash/, { filter: 'gemini 2.5 flash' });
    await waitForTitle(s.page, /provider for google\/gemini-2\.5-flash/);
    await pickQuickItem(s.page, /Any provider/);
    await waitForTitle(s.page, /model 3/);
    await s.screenshot('20-route-models-picked');
    await pickQuickItem(s.page, /Done/);
    await waitForTitle(s.page, /strategy/);
    await pickQuickItem(s.page, 'priority');
    await clickNotificationButton(s.page, /route "research" added \(2 models, priority\)/, 'Use It Now');
    await waitForStatusBarModel(s.page, 'research');

    const frame = await openChatView(s.page);
    const input = frame.locator('#input');
    await input.click();
    await input.fill('Which model answers a route?');
    await input.press('Enter');
    const text = await lastAnswerText(frame);
    assert.match(text, /Echo from anthropic\/claude-sonnet-4/, 'the route asks its first model');
    const body = s.fake?.chatRequests().at(-1)?.body as { model: string; models?: string[] };
    assert.equal(body.model, 'anthropic/claude-sonnet-4');
    assert.deepEqual(
      body.models,
      ['anthropic/claude-sonnet-4', 'google/gemini-2.5-flash'],
      'the rest of the route rides as fallbacks',
    );
    await s.screenshot('21-route-answered');
  });

  it('lists the routes rendered, then removes the one added at run time and the open list follows', STEP, async () => {
    const s = session();
    await runCommand(s.page, 'Switchyard: List Routes');
    const { frame: preview, text: listed } = await markdownPreview(s.page, 'Switchyard routes');
    // A rendered table (cells), not Markdown source.
    const row = preview.locator('table tbody tr', { hasText: 'research' });
    assert.equal(await row.count(), 1, listed);
    const cells = await row.locator('td').allInnerTexts();
    assert.deepEqual(
      cells.map((c) => c.trim()),
      ['research', 'priority', 'anthropic/claude-sonnet-4, google/gemini-2.5-flash', 'added at run time'],
    );
    assert.doesNotMatch(listed, /\|---|`/, 'no Markdown source shows');
    await s.screenshot('22-routes-listed');

    // Remove Route while the list is open: the list updates by itself.
    await runCommandAndPick(s.page, 'Switchyard: Remove Route', 'research');
    await waitForNotification(s.page, /route "research" removed; the chat now uses anthropic\/claude-sonnet-4/);
    await waitForStatusBarModel(s.page, 'claude-sonnet-4');
    const after = await markdownPreview(s.page, 'No routes yet');
    assert.equal(await after.frame.locator('table').count(), 0, 'the route is gone from the open list');
    await s.screenshot('23-routes-after-remove');
    await s.page.keyboard.press('Control+W');
  });
});
