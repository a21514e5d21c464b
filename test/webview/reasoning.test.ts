/**
 * The webview's reasoning parts in a real Chromium under the production CSP, against a fake host
 * (harness.ts): hostile thinking is rendered inert like a hostile answer, the Thinking section
 * opens while it streams and collapses once the answer's text starts, and the header's effort
 * control lists the model's choices and posts the one picked.
 *
 * Run: node --import tsx --test --test-reporter=spec test/webview/reasoning.test.ts
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assistant, init, SONNET, XSS_ANSWER } from './fixtures';
import { startHarness, withCleanPage, type Harness, type OpenOptions, type WebviewPage } from './harness';

let harness: Harness;

function withPage(options: OpenOptions, scenario: (w: WebviewPage) => Promise<void>): Promise<void> {
  return withCleanPage(harness, options, scenario);
}

describe('reasoning in the chat webview', () => {
  before(async () => {
    harness = await startHarness();
  });
  after(async () => {
    await harness.close();
  });

  it('renders hostile thinking inert, opens it while it streams and collapses it once the answer starts', async () => {
    await withPage({}, async (w) => {
      const { page } = w;
      await w.deliver(init(), {
        type: 'messageAdded',
        message: assistant('r1', '', { status: 'streaming', meta: { requestedModel: SONNET.id } }),
      });
      for (let i = 0; i < XSS_ANSWER.length; i += 31)
        await w.deliver({ type: 'reasoningDelta', id: 'r1', text: XSS_ANSWER.slice(i, i + 31) });
      await w.nextFrames();
      const thinking = page.locator('[data-id="r1"] details.thinking');
      assert.equal(await thinking.evaluate((d) => (d as HTMLDetailsElement).open), true, 'open while thinking');
      assert.equal(await thinking.locator('.thinking-summary').innerText(), 'Thinking…');
      const inert = async (phase: string): Promise<void> => {
        const report = await page.locator('[data-id="r1"] .thinking-body').evaluate((root) => ({
          dangerous: Array.from(
            root.querySelectorAll(
              'script, style, iframe, object, embed, form, input, svg:not(.icon), math, link, meta, base',
            ),
          ).map((e) => e.outerHTML),
          handlers: Array.from(root.querySelectorAll('*')).flatMap((e) =>
            e
              .getAttributeNames()
              .filter((n) => n.startsWith('on'))
              .map((n) => `${e.tagName}[${n}]`),
          ),
          hrefs: Array.from(root.querySelectorAll('a[href]')).map((a) => a.getAttribute('href') ?? ''),
        }));
        assert.deepEqual(report.dangerous, [], `${phase}: no active elements`);
        assert.deepEqual(report.handlers, [], `${phase}: no event handlers`);
        for (const href of report.hrefs) assert.match(href, /^(https?:\/\/|mailto:)/, `${phase}: link ${href}`);
        assert.equal(
          await page.evaluate(() => (window as { __pwned?: unknown }).__pwned),
          undefined,
          `${phase}: nothing ran`,
        );
      };
      await inert('streaming');
      await w.deliver({ type: 'delta', id: 'r1', text: 'The answer.' });
      await w.nextFrames();
      assert.equal(
        await thinking.evaluate((d) => (d as HTMLDetailsElement).open),
        false,
        'collapsed once the answer started',
      );
      assert.match(await page.locator('[data-id="r1"] > .markdown').innerText(), /^The answer\.$/);
      await w.deliver({
        type: 'messageUpdated',
        message: assistant('r1', 'The answer.', {
          reasoning: { text: XSS_ANSWER, durationMs: 3200 },
          meta: { requestedModel: SONNET.id, completionTokens: 900, reasoningTokens: 812 },
        }),
      });
      await w.nextFrames();
      await inert('final');
      assert.equal(await thinking.locator('.thinking-summary').innerText(), 'Thought for 3.2 s · 812 tokens');
      assert.equal(await page.locator('[data-id="r1"] .meta .meta-reasoning').innerText(), '812 reasoning');
      assert.equal(await page.locator('[data-id="r1"] .no-answer').count(), 0);
    });
  });

  it("lists the model's effort choices in the header, posts the pick, and hides for models without reasoning", async () => {
    await withPage({}, async (w) => {
      const { page } = w;
      await w.deliver(
        init({ model: { ...SONNET, reasoning: { choices: ['default', 'high', 'low'], current: 'low' } } }),
      );
      const select = page.locator('#reasoning-effort');
      assert.equal(await select.isVisible(), true);
      assert.deepEqual(await select.locator('option').allInnerTexts(), ['Default', 'High', 'Low']);
      assert.equal(await select.inputValue(), 'low');
      await select.selectOption('high');
      assert.deepEqual(await w.waitForPosted('setReasoningEffort'), {
        type: 'setReasoningEffort',
        model: SONNET.id,
        effort: 'high',
      });
      await w.deliver({ type: 'model', model: { id: 'openai/gpt-4o-mini', name: 'GPT-4o-mini', fallbacks: [] } });
      assert.equal(await select.isVisible(), false);
    });
  });
});
