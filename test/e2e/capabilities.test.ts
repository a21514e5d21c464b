/**
 * Every model at its best (issue 13), driven as a person would in a real VS Code (code-server +
 * Chromium) against the fake OpenRouter: prompt caching on a Claude conversation shows cached
 * tokens in the second answer's meta line; "Search the web" sends the web plugin for one message
 * and its answer lists numbered sources that open through VS Code's external opener (http/https
 * only; the fake's `javascript:` source is never shown).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { lastAnswerText, markdownPreview, sendMessage } from './harness/chatView';
import { useSwitchyard, type SwitchyardSession } from './harness/session';
import { runCommand } from './harness/quickInput';
import { openChatView } from './harness/workbench';
import { waitForDialog } from './harness/dialogs';

const KEY = 'sk-or-v1-e2e-capabilities-0123456789abcdef';
const CLAUDE = 'anthropic/claude-sonnet-4';
const STEP = { timeout: 240_000 };

const session = useSwitchyard({
  env: { OPENROUTER_API_KEY: KEY },
  settings: {
    'switchyard.model': CLAUDE,
    'switchyard.fallbackModels': [],
    'switchyard.attachEditorContext': false,
    'switchyard.timeoutSeconds': 60,
  },
});

/** A question of ~1.5k tokens: long enough for the provider to cache (its minimum is 1024). */
const longQuestion = (n: number): string =>
  `Question ${n}: ${'please review this function carefully and explain what it does. '.repeat(95)}`;

/** Clicks a source and returns the tab VS Code's external opener opened (accepting its "open the external website?" prompt). */
async function openedTab(s: SwitchyardSession, click: () => Promise<void>): Promise<Page> {
  const popup = s.browser.context.waitForEvent('page', { timeout: 60_000 });
  await click();
  const tab = await Promise.race([
    popup,
    // The prompt names the source.
    waitForDialog(s.page, /example\.com\/switchyard\/docs/).then(async (dialog) => {
      await s.screenshot('13-source-open-external-prompt');
      await dialog.locator('.monaco-button', { hasText: /^Open$/ }).click();
      return popup;
    }),
  ]);
  return tab;
}

describe('Every model at its best: prompt caching and web search, in a real VS Code', { timeout: 600_000 }, () => {
  it('prompt caching: the second turn of a Claude chat shows cached tokens in its meta line', STEP, async () => {
    const s = session();
    s.fake?.clearRequests();
    const frame = await openChatView(s.page);
    await sendMessage(frame, longQuestion(1));
    await lastAnswerText(frame, 'done');
    const firstMeta = await frame.locator('.message.assistant').last().locator('.meta').innerText();
    assert.match(firstMeta, /\b[\d.]+k written\b/, `turn one writes the cache: ${firstMeta}`);
    assert.doesNotMatch(firstMeta, /cached/, 'and reads nothing yet');
    await sendMessage(frame, longQuestion(2));
    await lastAnswerText(frame, 'done');
    const meta = frame.locator('.message.assistant').last().locator('.meta-cache');
    assert.match(
      await meta.innerText(),
      /^[\d.]+k cached, [\d.]+k written, saved \$[\d.]+$/,
      "cached tokens, this turn's writes and the saving",
    );
    assert.match(
      (await meta.getAttribute('title')) ?? '',
      /Prompt cache: [\d,]+ tokens read, [\d,]+ written; caching saved \$/,
    );
    const bodies = (s.fake?.chatRequests() ?? []).map((r) => JSON.stringify(r.body));
    assert.equal(bodies.length, 2);
    assert.equal(
      bodies[1]!.match(/"cache_control":\{"type":"ephemeral"\}/g)?.length,
      3,
      'system prompt + the last two user turns',
    );
    await frame.locator('.message.assistant').last().scrollIntoViewIfNeeded();
    await s.screenshot('13-cached-tokens-second-turn');
  });

  it(
    'Explain Route says where the next request sets breakpoints, and that sticky routing pins the last provider',
    STEP,
    async () => {
      const s = session();
      await runCommand(s.page, 'Switchyard: Explain Route');
      // Rendered in the Markdown preview.
      const { frame: preview, text } = await markdownPreview(s.page, 'Prompt caching');
      assert.match(text, /Sticky routing: the last turn was served by Anthropic \(anthropic\/claude-sonnet-4\)/);
      assert.equal(await preview.locator('h2', { hasText: 'Prompt caching' }).count(), 1, 'its own section');
      const section = preview.locator('h2', { hasText: 'Prompt caching' }).locator('xpath=following-sibling::p[1]');
      assert.equal(
        await section.innerText(),
        'anthropic/claude-sonnet-4 needs explicit breakpoints: 3 of at most 4 cache_control breakpoints — on the system prompt, the user turn at message 4, the new user turn.',
      );
      await s.screenshot('13-explain-route-sticky');
      await section.scrollIntoViewIfNeeded();
      await s.screenshot('13-explain-route-prompt-caching');
      await s.page.keyboard.press('Control+W');
    },
  );

  it(
    'web search: the toggle sends the web plugin for one message; numbered sources open through the external opener',
    STEP,
    async () => {
      const s = session();
      s.fake?.clearRequests();
      // The sources are offline fixtures: their pages are served here, so the tab that opens has the URL it was given.
      await s.browser.context.route(/^https?:\/\/([a-z]+\.)?example\.(com|org|net)\//, (route) =>
        route.fulfill({ status: 200, contentType: 'text/html', body: '<title>Source</title><p>Source page</p>' }),
      );
      const frame = await openChatView(s.page);
      const toggle = frame.locator('#web-search');
      assert.equal(await toggle.getAttribute('aria-pressed'), 'false', 'off by default (switchyard.webSearch.default)');
      await toggle.click();
      await frame.locator('#web-search[aria-pressed="true"]').waitFor({ timeout: 60_000 });
      await s.screenshot('13-search-the-web-on');
      await sendMessage(frame, 'What is new in Switchyard?');
      // Per message: back to the default after sending.
      await frame.locator('#web-search[aria-pressed="false"]').waitFor({ timeout: 60_000 });
      assert.equal(
        await frame.locator('.message.user').last().locator('.user-web-search').innerText(),
        'Searched the web',
        'the message says it searched',
      );
      await lastAnswerText(frame, 'done');
      const answer = frame.locator('.message.assistant').last();
      const sources = answer.locator('.source');
      assert.equal(await sources.count(), 3, 'the duplicate and the javascript: source are not listed');
      assert.deepEqual(await answer.locator('.source-number').allInnerTexts(), ['[1]', '[2]', '[3]']);
      assert.deepEqual(
        await answer.locator('.source-link').evaluateAll((links) => links.map((a) => a.getAttribute('data-url'))),
        ['https://example.com/switchyard/docs', 'http://news.example.org/item?id=42', 'https://flat.example.net/page'],
      );
      assert.equal(await answer.locator('.source-link img, .source-link a').count(), 0, 'a title with markup is text');
      assert.match(await answer.locator('.source-link').nth(1).innerText(), /News <img src=x onerror=alert\(1\)>/);
      const [body] = (s.fake?.chatRequests() ?? []).map((r) => r.body as { plugins?: unknown });
      assert.deepEqual(body?.plugins, [{ id: 'web', max_results: 5 }]);
      await answer.scrollIntoViewIfNeeded();
      await s.screenshot('13-web-search-sources');

      const tab = await openedTab(s, () => answer.locator('.source-link').first().click());
      await tab.waitForLoadState('domcontentloaded');
      assert.equal(tab.url(), 'https://example.com/switchyard/docs', 'VS Code opened exactly the source');
      await tab.close();

      // The next message does not search.
      s.fake?.clearRequests();
      await sendMessage(frame, 'And without searching?');
      await lastAnswerText(frame, 'done');
      const [plain] = (s.fake?.chatRequests() ?? []).map((r) => r.body as { plugins?: unknown });
      assert.equal(plain?.plugins, undefined);
      assert.equal(await frame.locator('.message.assistant').last().locator('.source').count(), 0);
    },
  );
});
