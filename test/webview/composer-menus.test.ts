/**
 * The composer's one suggestion list in a real Chromium under the production CSP, against a fake
 * host (harness.ts): `/` at the start of the message lists built-ins, skills and MCP prompts
 * (keyboard and mouse, filtered by what is typed, stale answers ignored), each kind doing what it
 * says, and a skill named like a built-in as `/skill:<name>` (the host's own rows); `@` lists MCP
 * resources under their server; the instruction files in effect are listed above the box and open
 * on click.
 *
 * Run: node --import tsx --test --test-reporter=spec test/webview/composer-menus.test.ts
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { slashRows } from '../../src/chat/slashCommands';
import type { SlashItem, WebviewToHost } from '../../src/protocol/messages';
import { init } from './fixtures';
import {
  resultsDir,
  startHarness,
  withCleanPage,
  type Harness,
  type HarnessWindow,
  type OpenOptions,
  type WebviewPage,
} from './harness';

let harness: Harness;

function withPage(options: OpenOptions, scenario: (w: WebviewPage) => Promise<void>): Promise<void> {
  return withCleanPage(harness, options, scenario);
}

const ROWS: SlashItem[] = [
  { name: 'new', detail: 'Start a new chat', action: { kind: 'newChat' } },
  { name: 'model', detail: 'Pick the model', action: { kind: 'command', command: 'switchyard.pickModel' } },
  { name: 'release', detail: 'Skill: How to cut a release', action: { kind: 'skill' } },
  { name: 'review', detail: 'shop (MCP prompt): Review the code', action: { kind: 'prompt', server: 'shop' } },
];

/** Waits until the webview posted a query of `type` for exactly `query`, and returns it. */
async function queried(
  w: WebviewPage,
  type: 'slashQuery' | 'mentionQuery',
  query: string,
): Promise<{ id: number; query: string }> {
  await w.page.waitForFunction(
    ([t, q]) =>
      (window as unknown as HarnessWindow).__posted.some((m) => m.type === t && 'query' in m && m.query === q),
    [type, query] as const,
  );
  const all = (await w.posted()).filter((m): m is Extract<WebviewToHost, { type: typeof type }> => m.type === type);
  return all.filter((m) => m.query === query).at(-1)!;
}

const count = async (w: WebviewPage, type: WebviewToHost['type']): Promise<number> =>
  (await w.posted()).filter((m) => m.type === type).length;

describe('the composer’s / commands, @ resources and instruction files', { timeout: 900_000 }, () => {
  before(async () => {
    harness = await startHarness();
    mkdirSync(resultsDir, { recursive: true });
  });
  after(async () => {
    await harness?.close();
  });

  it('opens / at the start of the message, filters as you type, and a skill picked by keyboard stays named in the text', async () => {
    await withPage({}, async (w) => {
      const { page } = w;
      await w.deliver(init());
      const input = page.locator('#input');
      await input.click();
      await page.keyboard.type('/');
      const first = await queried(w, 'slashQuery', '');
      await w.deliver({ type: 'slashResults', id: first.id, items: ROWS });
      const menu = page.locator('#mention-menu[data-menu="slash"]');
      await menu.locator('.mention-row').nth(3).waitFor();
      assert.equal(await menu.getAttribute('role'), 'listbox');
      assert.equal(await menu.getAttribute('aria-label'), 'Commands');
      assert.deepEqual(await menu.locator('.mention-label').allInnerTexts(), ['/new', '/model', '/release', '/review']);
      assert.equal(await input.getAttribute('aria-activedescendant'), 'mention-0');
      await page.screenshot({ path: path.join(resultsDir, 'webview-slash-menu.png') });

      await page.keyboard.type('re');
      const filtered = await queried(w, 'slashQuery', 're');
      // The answer to "/" arriving late is ignored; the answer to "/re" is shown.
      await w.deliver({ type: 'slashResults', id: first.id, items: ROWS });
      await w.deliver({ type: 'slashResults', id: filtered.id, items: ROWS.slice(2) });
      await page.waitForFunction(() => document.querySelectorAll('#mention-menu .mention-row').length === 2);
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowUp');
      assert.equal(await menu.locator('.mention-row.active').getAttribute('data-name'), 'release');
      assert.equal(await menu.locator('.mention-row.active').getAttribute('aria-selected'), 'true');
      await page.keyboard.press('Enter');
      assert.deepEqual(await w.waitForPosted('slashPick'), { type: 'slashPick', kind: 'skill', name: 'release' });
      assert.equal(await input.inputValue(), '/release ', 'the skill stays named; Enter picked, it did not send');
      assert.equal(await count(w, 'send'), 0);
      assert.equal(await page.locator('#mention-menu').isVisible(), false);
      await page.keyboard.type('v1.2');
      await page.keyboard.press('Enter');
      assert.deepEqual(await w.waitForPosted('send'), { type: 'send', text: '/release v1.2', attachmentIds: [] });
      assert.deepEqual(await w.violations(), []);
    });
  });

  it('picks an MCP prompt with the mouse, then puts the host’s rendered text in the box', async () => {
    await withPage({}, async (w) => {
      const { page } = w;
      await w.deliver(init());
      await page.locator('#input').click();
      await page.keyboard.type('/rev');
      const q = await queried(w, 'slashQuery', 'rev');
      await w.deliver({ type: 'slashResults', id: q.id, items: [ROWS[3]!] });
      await page.locator('#mention-menu .mention-row[data-name="review"]').click();
      assert.deepEqual(await w.waitForPosted('slashPick'), {
        type: 'slashPick',
        kind: 'prompt',
        name: 'review',
        server: 'shop',
      });
      assert.equal(await page.locator('#input').inputValue(), '', 'the /token is removed');
      await w.deliver({ type: 'insertText', text: 'Review the changed code, focusing on security.' });
      assert.equal(await page.locator('#input').inputValue(), 'Review the changed code, focusing on security.');
      assert.equal(await page.locator('#send').isDisabled(), false);
      // Text already there: the prompt goes on a line of its own, at the caret.
      await w.deliver({ type: 'insertText', text: 'Second.' });
      assert.equal(
        await page.locator('#input').inputValue(),
        'Review the changed code, focusing on security.\nSecond.',
      );
    });
  });

  it('runs built-ins: /new starts a new chat, a command runs, /compact is sent; Escape closes; / mid-text is no command', async () => {
    await withPage({}, async (w) => {
      const { page } = w;
      await w.deliver(init({ mode: 'agent' }));
      const input = page.locator('#input');
      await input.click();
      const pickFirst = async (typed: string, items: SlashItem[]): Promise<void> => {
        await page.keyboard.type(typed);
        const q = await queried(w, 'slashQuery', typed.slice(1));
        await w.deliver({ type: 'slashResults', id: q.id, items });
        await page.locator('#mention-menu .mention-row').first().waitFor();
        await page.keyboard.press('Tab');
      };
      await pickFirst('/ne', [ROWS[0]!]);
      await w.waitForPosted('newChat');
      assert.equal(await input.inputValue(), '');
      await pickFirst('/mod', [ROWS[1]!]);
      assert.deepEqual(await w.waitForPosted('runCommand'), { type: 'runCommand', command: 'switchyard.pickModel' });
      await pickFirst('/comp', [{ name: 'compact', detail: 'Summarise', action: { kind: 'send', text: '/compact' } }]);
      assert.deepEqual(await w.waitForPosted('send'), { type: 'send', text: '/compact', attachmentIds: [] });

      // Escape closes the list (and stops nothing); the text stays.
      await input.fill('');
      await page.keyboard.type('/x');
      const q = await queried(w, 'slashQuery', 'x');
      await w.deliver({ type: 'slashResults', id: q.id, items: [] });
      assert.match(await page.locator('#mention-menu').innerText(), /No command, skill or MCP prompt matches/);
      await page.keyboard.press('Escape');
      assert.equal(await page.locator('#mention-menu').isVisible(), false);
      assert.equal(await count(w, 'stop'), 0);
      assert.equal(await input.inputValue(), '/x');

      // A slash inside the text is not a command: no query is posted for it.
      await input.fill('');
      const before = await count(w, 'slashQuery');
      await page.keyboard.type('see src/a ');
      // The next query the box posts is the @ one: none was posted for the slash before it.
      await page.keyboard.type('@');
      await queried(w, 'mentionQuery', '');
      assert.equal(await count(w, 'slashQuery'), before);
    });
  });

  it('lists a skill named like a built-in as /skill:<name> under the built-in, and picking it attaches the skill', async () => {
    await withPage({}, async (w) => {
      const { page } = w;
      await w.deliver(init({ mode: 'agent' }));
      await page.locator('#input').click();
      await page.keyboard.type('/comp');
      const q = await queried(w, 'slashQuery', 'comp');
      // The rows the host's list makes for a workspace skill named "compact".
      const sources = {
        mode: 'agent' as const,
        skills: [{ name: 'compact', description: 'Squash the notes' }],
        prompts: [],
      };
      await w.deliver({ type: 'slashResults', id: q.id, items: slashRows('comp', sources) });
      const menu = page.locator('#mention-menu[data-menu="slash"]');
      await menu.locator('.mention-row').nth(1).waitFor();
      assert.deepEqual(await menu.locator('.mention-label').allInnerTexts(), ['/compact', '/skill:compact']);
      const skill = menu.locator('.mention-row').nth(1);
      assert.match(await skill.innerText(), /Skill \(\/compact is the built-in\): Squash the notes/);
      await page.screenshot({ path: path.join(resultsDir, 'webview-slash-skill-shadowed.png') });
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      assert.deepEqual(await w.waitForPosted('slashPick'), { type: 'slashPick', kind: 'skill', name: 'compact' });
      assert.equal(await page.locator('#input').inputValue(), '/skill:compact ', 'the built-in is not what is typed');
      assert.equal(await count(w, 'send'), 0, 'no compaction was sent');
    });
  });

  it('lists MCP resources under their server in the @ list and attaches one by server and URI', async () => {
    await withPage({}, async (w) => {
      const { page } = w;
      await w.deliver(init());
      await page.locator('#input').click();
      await page.keyboard.type('@rel');
      const q = await queried(w, 'mentionQuery', 'rel');
      await w.deliver({
        type: 'mentionResults',
        id: q.id,
        items: [
          {
            kind: 'resource',
            label: 'release-notes',
            detail: 'shop · notes://release',
            path: 'notes://release',
            server: 'shop',
          },
        ],
      });
      const row = page.locator('#mention-menu[data-menu="mention"] .mention-row[data-kind="resource"]');
      await row.waitFor();
      assert.equal(await row.getAttribute('data-server'), 'shop');
      assert.match(await row.innerText(), /release-notes\s*shop · notes:\/\/release/);
      await page.keyboard.press('Enter');
      assert.deepEqual(await w.waitForPosted('attachMention'), {
        type: 'attachMention',
        kind: 'resource',
        path: 'notes://release',
        server: 'shop',
      });
    });
  });

  it('lists the instruction files in effect above the box; a click opens one; none hides the list', async () => {
    await withPage({}, async (w) => {
      const { page } = w;
      await w.deliver(init(), {
        type: 'instructions',
        files: [
          { label: 'AGENTS.md', on: true },
          { label: '.github/copilot-instructions.md', on: false },
        ],
      });
      const list = page.locator('#instructions');
      await list.waitFor({ state: 'visible' });
      assert.equal(await list.getAttribute('aria-label'), 'Instruction files in effect');
      assert.match(await list.innerText(), /Instructions:\s*AGENTS\.md\s*\.github\/copilot-instructions\.md/);
      const off = list.locator('.instruction-file[data-on="false"]');
      assert.match((await off.getAttribute('aria-label'))!, /turned off/);
      await page.screenshot({ path: path.join(resultsDir, 'webview-instructions.png') });
      await list.locator('.instruction-file[data-label="AGENTS.md"]').click();
      assert.deepEqual(await w.waitForPosted('openInstructions'), { type: 'openInstructions', label: 'AGENTS.md' });
      await w.deliver({ type: 'instructions', files: [] });
      await list.waitFor({ state: 'hidden' });
      assert.deepEqual(await w.violations(), []);
    });
  });

  it('keeps every toolbar control whole and inside the box at a narrow sidebar (Ask, Plan, Agent never clipped)', async () => {
    // 290 px is the webview in VS Code's default sidebar beside a 1400 px window; 220 px a sidebar dragged narrow.
    for (const width of [220, 290, 420]) {
      await withPage({ viewport: { width, height: 600 } }, async (w) => {
        await w.deliver(init());
        await w.page.locator('#mode-agent').waitFor();
        const layout = await w.page.evaluate(() => {
          const box = document.querySelector('.input-box')!.getBoundingClientRect();
          const controls = [...document.querySelectorAll<HTMLElement>('.input-toolbar button')].filter(
            (b) => b.offsetParent !== null,
          );
          return {
            outside: controls
              .filter((b) => {
                const r = b.getBoundingClientRect();
                return r.left < box.left - 0.5 || r.right > box.right + 0.5;
              })
              .map((b) => b.id || b.className),
            clipped: [...controls, document.querySelector<HTMLElement>('#mode-switch')!]
              .filter((b) => b.scrollWidth > b.clientWidth + 0.5)
              .map((b) => `${b.id || b.className}: ${b.scrollWidth} > ${b.clientWidth}`),
          };
        });
        assert.deepEqual(layout.outside, [], `${width} px: controls outside the box`);
        assert.deepEqual(layout.clipped, [], `${width} px: controls whose text is cut off`);
        await w.page.screenshot({ path: path.join(resultsDir, `webview-composer-${width}px.png`) });
      });
    }
  });
});
