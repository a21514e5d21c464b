/**
 * What a newcomer sees in the chat view. At the widths people use it (220 px: a sidebar dragged narrow; 290 px: VS Code's
 * default sidebar beside a 1400 px window; 420 px), in a real Chromium under the production CSP
 * against a fake host (harness.ts), in both themes:
 * - a markdown table in an answer never breaks a word or a number across lines ("Con|text",
 *   "12|8,000"; "gpt-4o-|mini" may wrap at its hyphen): its columns are as wide as their words and a
 *   table wider than the view scrolls sideways instead;
 * - the composer's Send (Stop while an answer streams) stays at the right end of the box, next to
 *   the image button, in Ask, Plan and Agent.
 * An approval card's feedback box shows its whole hint. And the empty view says what to type in the mode the composer is in (a task in Agent, what to
 * plan in Plan), switching with the mode.
 *
 * Run: node --import tsx --test --test-reporter=spec test/webview/newcomer.test.ts
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ChatMode } from '../../src/protocol/messages';
import { assistant, init, user } from './fixtures';
import { resultsDir, startHarness, withCleanPage, type Harness, type OpenOptions, type WebviewPage } from './harness';
import type { ThemeName } from './theme';

let harness: Harness;

const WIDTHS = [220, 290, 420] as const;
const THEMES: readonly ThemeName[] = ['dark', 'light'];

const TABLES_ANSWER = `Two models side by side:

| Model | Context | Price per million input tokens | Notes |
|---|---:|---:|---|
| openai/gpt-4o-mini | 128,000 | $0.15 | fast and cheap, good for most chat |
| anthropic/claude-sonnet-4 | 200,000 | $3.00 | vision, tools, reasoning |

And a small one:

| Key | Value |
|---|---|
| timeout | 30 s |
| retries | 2 |
`;

function withPage(options: OpenOptions, scenario: (w: WebviewPage) => Promise<void>): Promise<void> {
  return withCleanPage(harness, options, scenario);
}

/** Words (or the parts of a hyphenated word or path) of the answer's tables that the layout split over two lines. */
async function brokenWords(w: WebviewPage): Promise<string[]> {
  return w.page.evaluate(() => {
    const broken: string[] = [];
    for (const cell of document.querySelectorAll<HTMLElement>('.markdown th, .markdown td')) {
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent ?? '';
        // A break after "-" or "/" is a line break like any (openai/|gpt-4o-|mini); inside a part it is not.
        for (const match of text.matchAll(/[^\s/-]+[/-]?/g)) {
          const range = document.createRange();
          range.setStart(node, match.index);
          range.setEnd(node, match.index + match[0].length);
          const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
          if (lines.size > 1) broken.push(match[0]);
        }
      }
    }
    return broken;
  });
}

describe('the chat view as a newcomer sees it', { timeout: 600_000 }, () => {
  before(async () => {
    harness = await startHarness();
    mkdirSync(resultsDir, { recursive: true });
  });
  after(async () => {
    await harness?.close();
  });

  it('keeps every word of a markdown table whole; a table too wide for the view scrolls sideways', async () => {
    for (const theme of THEMES) {
      for (const width of WIDTHS) {
        await withPage({ theme, viewport: { width, height: 700 } }, async (w) => {
          await w.deliver(init({ messages: [user('u1', 'Compare two models'), assistant('a1', TABLES_ANSWER)] }));
          const tables = w.page.locator('.message.assistant .markdown table');
          await tables.nth(1).waitFor();
          assert.deepEqual(await brokenWords(w), [], `${theme}, ${width} px: words split across lines`);
          const fit = await w.page.evaluate(() => {
            const [wide, small] = [...document.querySelectorAll<HTMLElement>('.markdown table')];
            const markdown = document.querySelector<HTMLElement>('.message.assistant .markdown')!;
            return {
              pageScrolls: document.documentElement.scrollWidth > window.innerWidth,
              wideScrolls: wide!.scrollWidth > wide!.clientWidth,
              wideInside: wide!.getBoundingClientRect().right <= markdown.getBoundingClientRect().right + 0.5,
              smallScrolls: small!.scrollWidth > small!.clientWidth,
            };
          });
          assert.equal(fit.pageScrolls, false, `${theme}, ${width} px: the view itself scrolls sideways`);
          assert.equal(fit.wideInside, true, `${theme}, ${width} px: the wide table sticks out of the answer`);
          assert.equal(fit.smallScrolls, false, `${theme}, ${width} px: a table that fits scrolls`);
          if (width < 420) assert.equal(fit.wideScrolls, true, `${theme}, ${width} px: the wide table does not scroll`);
          await tables.first().scrollIntoViewIfNeeded();
          await w.page.screenshot({ path: path.join(resultsDir, `webview-table-${theme}-${width}px.png`) });
        });
      }
    }
  });

  it('keeps Send and Stop at the right end of the box, beside the image button, in every mode', async () => {
    const modes: readonly ChatMode[] = ['ask', 'plan', 'agent'];
    for (const width of WIDTHS) {
      for (const mode of modes) {
        for (const busy of [false, true]) {
          await withPage({ viewport: { width, height: 500 } }, async (w) => {
            await w.deliver(init({ mode, busy }));
            const action = w.page.locator(busy ? '#stop' : '#send');
            await action.waitFor();
            const layout = await w.page.evaluate(
              (id) => {
                const box = document.querySelector('.input-box')!.getBoundingClientRect();
                const button = document.querySelector(id)!.getBoundingClientRect();
                const image = document.querySelector('#attach-image')!.getBoundingClientRect();
                return { gapRight: box.right - button.right, sameRow: Math.abs(image.top - button.top) < 2 };
              },
              busy ? '#stop' : '#send',
            );
            const what = `${width} px, ${mode}${busy ? ', answering' : ''}`;
            assert.ok(
              layout.gapRight < 12,
              `${what}: ${busy ? 'Stop' : 'Send'} is ${layout.gapRight} px from the right`,
            );
            assert.ok(layout.sameRow, `${what}: the image button is on another row than ${busy ? 'Stop' : 'Send'}`);
            if (width === 290 && !busy) {
              await w.page.screenshot({ path: path.join(resultsDir, `webview-composer-${mode}-${width}px.png`) });
            }
          });
        }
      }
    }
  });

  it('the empty view says what to type in the composer’s mode, and changes with the mode', async () => {
    await withPage({ viewport: { width: 290, height: 600 } }, async (w) => {
      const { page } = w;
      await w.deliver(init({ mode: 'agent' }));
      const hint = page.locator('#welcome .welcome-hint');
      await hint.waitFor();
      assert.match(
        await hint.innerText(),
        /^Describe a task\. The agent reads your workspace, edits files and runs commands/,
      );
      assert.match(await page.locator('#welcome .welcome-small').innerText(), /^Enter to start/);
      assert.match((await page.locator('#input').getAttribute('placeholder'))!, /task for the agent/);
      await page.screenshot({ path: path.join(resultsDir, 'webview-welcome-agent.png') });
      await page.locator('#mode-plan').click();
      assert.equal((await w.waitForPosted('setMode')).mode, 'plan');
      await w.deliver({ type: 'mode', mode: 'plan' });
      await page.locator('#welcome .welcome-hint', { hasText: /^Describe what to plan\./ }).waitFor();
      await w.deliver({ type: 'mode', mode: 'ask' });
      await page.locator('#welcome .welcome-hint', { hasText: /^Ask anything\./ }).waitFor();
      assert.match(await page.locator('#welcome .welcome-small').innerText(), /^Enter to send/);
      assert.equal(await page.locator('#welcome .welcome-hint').count(), 1);
    });
  });

  it('an approval card shows the whole hint of its feedback box, at every width', async () => {
    const step = assistant('a1', 'The test expects 2.', {
      tools: [
        {
          id: 'c1',
          tool: 'edit_file',
          title: 'Edit src/sub.js (1 replacement)',
          state: 'waiting',
          reason: 'Edits ask before writing.',
          canAlwaysAllow: true,
          diff: '--- a/src/sub.js\n+++ b/src/sub.js\n@@ -1,1 +1,1 @@\n-  return a + b;\n+  return a - b;',
        },
      ],
    });
    for (const width of WIDTHS) {
      await withPage({ viewport: { width, height: 700 } }, async (w) => {
        await w.deliver(init({ mode: 'agent', messages: [user('u1', 'Fix the failing test'), step] }));
        const feedback = w.page.locator('.tool-card[data-state="waiting"] .tool-feedback');
        await feedback.waitFor();
        // The placeholder's width on one line against what the box shows: its width times its lines.
        const fit = await feedback.evaluate((box: HTMLTextAreaElement) => {
          const style = getComputedStyle(box);
          const context = document.createElement('canvas').getContext('2d')!;
          context.font = `${style.fontSize} ${style.fontFamily}`;
          const inner = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
          const lines = Math.round(
            (box.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom)) /
              parseFloat(style.lineHeight),
          );
          return { text: context.measureText(box.placeholder).width, shown: inner * lines, lines };
        });
        assert.ok(
          fit.shown >= fit.text,
          `${width} px: the hint needs ${fit.text} px, the box shows ${fit.shown} (${fit.lines} line(s))`,
        );
        if (width === 290) await w.page.screenshot({ path: path.join(resultsDir, 'webview-approval-290px.png') });
        await feedback.fill('Use subtraction, and keep the doc comment.\nSecond line.');
        assert.equal(await feedback.inputValue(), 'Use subtraction, and keep the doc comment.\nSecond line.');
      });
    }
  });
});
