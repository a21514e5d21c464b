/**
 * The first hour's dead ends (issue 26), each driven as a person would in a real VS Code with
 * default settings: the gear in the chat view's title bar (and "Switchyard: Open Settings") opens
 * the Settings editor on Switchyard's settings; closing every editor removes the automatic
 * active-file chip and the closed file is not sent; the "Apply or Discard the proposed change"
 * notification has no Cancel beside those two, and its Apply writes the change (and closes it);
 * Fix with only a cursor (on a function's closing `}`, or inside its body) works on the whole
 * function, not one line; the
 * settings the Settings editor can only send to settings.json (tiers, provider preferences) have
 * forms that write them; with no instruction file, "Agent Instruction Files" offers Create AGENTS.md.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useSwitchyard, type SwitchyardSession } from './harness/session';
import { lastAnswerText, sendMessage } from './harness/chatView';
import { settled, waitUntil } from './harness/wait';
import type { Page } from 'playwright-core';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { openFile } from './harness/editors';
import { clickNotificationButton, waitForNotification } from './harness/notifications';
import {
  closeQuickInput,
  pickQuickItem,
  quickInputItems,
  quickInputTitle,
  runCommand,
  waitForQuickInput,
} from './harness/quickInput';
import { openChatView } from './harness/workbench';

const KEY = 'sk-or-v1-e2e-dead-ends-0123456789abcdef';
const STEP = { timeout: 240_000 };

const session = useSwitchyard({
  env: { OPENROUTER_API_KEY: KEY },
  settings: { 'switchyard.model': 'openai/gpt-4o-mini' },
});

async function scenario(name: string, body: (s: SwitchyardSession) => Promise<void>): Promise<void> {
  const s = session();
  try {
    await body(s);
  } catch (error) {
    await s.screenshot(`${name}-failure`).catch(() => undefined);
    console.error(`[${name}] log tail:\n${s.extensionLog().split('\n').slice(-20).join('\n')}`);
    throw error;
  } finally {
    s.fake?.setOptions({ answer: undefined });
    await s.page.keyboard.press('Escape').catch(() => undefined);
  }
}

/** The Settings editor's search box text, once the editor shows. */
async function settingsQuery(s: SwitchyardSession): Promise<string> {
  const box = s.page.locator('.settings-editor .settings-header .suggest-input-container .view-lines').first();
  await box.waitFor({ state: 'visible', timeout: 60_000 });
  await s.page
    .locator('.settings-editor .setting-item-category', { hasText: /Switchyard/ })
    .first()
    .waitFor({ state: 'visible', timeout: 60_000 });
  return ((await box.textContent()) ?? '').replace(/\u00a0/g, ' ');
}

/** Puts the cursor at the start of `line` (1-based) with nothing selected: Ctrl+G, as a person does. */
async function goToLine(page: Page, line: number): Promise<void> {
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+G');
  const box = await waitForQuickInput(page);
  await box.fill(`:${line}`);
  await box.press('Enter');
  await page.locator('.editor-instance .monaco-editor.focused').waitFor({ state: 'visible', timeout: 60_000 });
}

describe('First-hour dead ends, in a real VS Code', { timeout: 1_200_000 }, () => {
  it('the gear in the chat view’s title bar and "Switchyard: Open Settings" open Switchyard’s settings', STEP, () =>
    scenario('de-01', async (s) => {
      await openChatView(s.page);
      const gear = s.page.locator('.part.sidebar .title-actions .action-label[aria-label="Open Settings"]');
      await gear.waitFor({ state: 'visible', timeout: 60_000 });
      await gear.click();
      assert.equal(await settingsQuery(s), '@ext:switchyard.switchyard');
      const titles = await s.page.locator('.settings-editor .setting-item-category').allInnerTexts();
      assert.ok(
        titles.length > 0 && titles.every((t) => /Switchyard/.test(t)),
        `only Switchyard settings are listed: ${titles.join(', ')}`,
      );
      await s.screenshot('de-01-settings-from-gear');
      await s.page.keyboard.press('Escape');
      await settled(
        s.page.locator('.settings-editor').first().waitFor({ state: 'hidden', timeout: 10_000 }),
        'the settings editor to close on Escape',
      );
      await runCommand(s.page, 'Switchyard: Open Settings');
      assert.equal(await settingsQuery(s), '@ext:switchyard.switchyard');
      await s.page.keyboard.press('Escape');
    }),
  );

  it('closing every editor removes the automatic file chip, and the closed file is not sent', STEP, () =>
    scenario('de-02', async (s) => {
      await openFile(s.page, 'src/math.ts');
      const frame = await openChatView(s.page);
      await frame.locator('#chips .chip', { hasText: 'math.ts' }).waitFor({ state: 'visible', timeout: 60_000 });
      await runCommand(s.page, 'View: Close All Editors');
      await frame.waitForFunction(() => document.querySelectorAll('#chips .chip').length === 0, undefined, {
        timeout: 60_000,
      });
      await s.screenshot('de-02-no-chip-after-closing');
      await sendMessage(frame, 'What is in my workspace?', 60_000);
      await lastAnswerText(frame);
      const body = s.fake!.chatRequests().at(-1)!.body as { messages: { content: unknown }[] };
      assert.doesNotMatch(JSON.stringify(body.messages.at(-1)!.content), /math\.ts|factorial/);
      assert.equal(await frame.locator('.message.user').last().locator('.attachment').count(), 0);
    }),
  );

  it(
    'the "Apply or Discard the proposed change" notification has Apply, which writes the change and closes it',
    STEP,
    () =>
      scenario('de-03', async (s) => {
        s.fake?.setOptions({ answer: 'Shorter:\n\n```ts\nexport const PI = 3.14159;\n```' });
        await openFile(s.page, 'README.md');
        const frame = await openChatView(s.page);
        await sendMessage(frame, 'Give me PI', 60_000);
        await frame.locator('.message.assistant').last().locator('.code-block button.apply').first().click();
        await s.page.locator('.monaco-diff-editor').first().waitFor({ state: 'visible', timeout: 60_000 });
        await waitForNotification(s.page, /Apply or Discard the proposed change to README\.md:1-4(?!\d)/);
        const toast = s.page.locator('.notifications-toasts .notification-toast', {
          hasText: 'the proposed change',
        });
        const link = toast.locator('a', { hasText: /^Apply$/ });
        await link.waitFor({ state: 'visible', timeout: 60_000 });
        await toast.locator('a', { hasText: /^Discard$/ }).waitFor({ state: 'visible', timeout: 60_000 });
        // One set of choices: no Cancel button beside them (it discarded too).
        assert.deepEqual(
          await toast.locator('a.monaco-button').allInnerTexts(),
          [],
          'no button besides Apply or Discard',
        );
        await s.screenshot('de-03-apply-on-the-notification');
        await link.click();
        await toast.waitFor({ state: 'detached', timeout: 60_000 });
        // Apply changes the document (one undoable edit); the editor shows it.
        await s.page.waitForFunction(
          () =>
            [...document.querySelectorAll('.editor-instance .view-lines')].some((el) =>
              (el.textContent ?? '').includes('3.14159'),
            ),
          undefined,
          { timeout: 60_000 },
        );
        await s.screenshot('de-03-applied-from-notification');
        await runCommand(s.page, 'File: Revert File');
        await runCommand(s.page, 'View: Close All Editors');
      }),
  );

  it('Fix with no selection works on the enclosing function, not the lone } under the cursor', STEP, () =>
    scenario('de-04', async (s) => {
      await openFile(s.page, 'src/math.ts');
      const frame = await openChatView(s.page);
      for (const [line, label] of [
        [4, 'src/math.ts:2-4'],
        [12, 'src/math.ts:10-13'],
      ] as const) {
        await goToLine(s.page, line);
        const before = await frame.locator('.message.assistant').count();
        await runCommand(s.page, 'Switchyard: Fix');
        await frame.waitForFunction((n) => document.querySelectorAll('.message.assistant').length > n, before, {
          timeout: 60_000,
        });
        const chips = await frame.locator('.message.user').last().locator('.attachment').allInnerTexts();
        assert.ok(
          chips.some((c) => c.includes(label)),
          `Fix on line ${line} attaches ${label}: ${chips.join(' | ')}`,
        );
        const sent = JSON.stringify((s.fake!.chatRequests().at(-1)!.body as { messages: unknown[] }).messages.at(-1));
        assert.match(sent, line === 4 ? /return a \+ b;/ : /factorial\(n - 1\)/);
      }
      await s.screenshot('de-04-fix-enclosing-function');
      await runCommand(s.page, 'View: Close All Editors');
    }),
  );

  it('Set Tier Models… and Set Provider Preferences… write the JSON-only settings from forms', STEP, () =>
    scenario('de-05', async (s) => {
      const userSettings = (): Record<string, unknown> =>
        JSON.parse(readFileSync(path.join(s.codeServer.userDataDir, 'User', 'settings.json'), 'utf8')) as Record<
          string,
          unknown
        >;
      await runCommand(s.page, 'Switchyard: Set Tier Models…');
      await pickQuickItem(s.page, 'edit');
      const box = await waitForQuickInput(s.page);
      await box.fill('claude-sonnet-4');
      const row = s.page
        .locator('.quick-input-list .monaco-list-row', { hasText: 'anthropic/claude-sonnet-4' })
        .first();
      await row.waitFor({ state: 'visible', timeout: 60_000 });
      await row.click();
      await s.page
        .locator('.quick-input-widget .quick-input-count', { hasText: '1 Selected' })
        .waitFor({ state: 'visible', timeout: 60_000 });
      await s.screenshot('de-05-tier-models-form');
      await box.press('Enter');
      await waitForNotification(s.page, /saved switchyard\.routing\.tiers/);
      assert.deepEqual(userSettings()['switchyard.routing.tiers'], { edit: ['anthropic/claude-sonnet-4'] });

      await runCommand(s.page, 'Switchyard: Set Provider Preferences…');
      await pickQuickItem(s.page, 'sort');
      await pickQuickItem(s.page, 'price');
      await waitForNotification(s.page, /saved switchyard\.provider/);
      assert.deepEqual(userSettings()['switchyard.provider'], { sort: 'price' });
      await s.screenshot('de-05-provider-saved');
    }),
  );

  it(
    'with no instruction file, "Agent Instruction Files" offers Create AGENTS.md: a template, opened in the editor',
    STEP,
    () =>
      scenario('de-06', async (s) => {
        await runCommand(s.page, 'Switchyard: Agent Instruction Files');
        const offer = await waitForNotification(s.page, /No instruction files yet/);
        assert.match(offer, /reads AGENTS\.md, CLAUDE\.md and \.github\/copilot-instructions\.md/);
        await s.screenshot('de-06-no-instruction-files');
        await clickNotificationButton(s.page, /No instruction files yet/, 'Create AGENTS.md');
        const file = path.join(s.workspace, 'AGENTS.md');
        await waitUntil(() => existsSync(file), 60_000, 'AGENTS.md to be created at the workspace root');
        assert.match(readFileSync(file, 'utf8'), /^# AGENTS\.md\n[\s\S]*## Commands[\s\S]*- Test/);
        await s.page
          .locator('.tabs-container .tab.active', { hasText: 'AGENTS.md' })
          .waitFor({ state: 'visible', timeout: 60_000 });
        await s.screenshot('de-06-agents-md-created');
        // The command now lists it.
        await runCommand(s.page, 'Switchyard: Agent Instruction Files');
        await s.page
          .locator('.quick-input-widget .monaco-list-row', { hasText: 'AGENTS.md' })
          .first()
          .waitFor({ state: 'visible', timeout: 60_000 });
        // Ask mode reads them too: the list's title says so, not "the agent".
        assert.match(await quickInputTitle(s.page), /^Instruction files read in this workspace \(Agent, Plan, Ask\)$/);
        await s.screenshot('de-06-instruction-files-list');
        await closeQuickInput(s.page);
        await runCommand(s.page, 'View: Close All Editors');
        await offerBesideOtherFiles(s, file);
      }),
  );
});

/**
 * With CLAUDE.md read but no AGENTS.md, the list offers Create AGENTS.md in its title bar; an
 * AGENTS.md too big to read is said so above the list.
 */
async function offerBesideOtherFiles(s: SwitchyardSession, agentsMd: string): Promise<void> {
  rmSync(agentsMd);
  const claudeMd = path.join(s.workspace, 'CLAUDE.md');
  writeFileSync(claudeMd, '# CLAUDE.md\n\nRun `npm test` before you finish.\n');
  const frame = await openChatView(s.page);
  await runCommand(s.page, 'Switchyard: Agent Instruction Files');
  await s.page
    .locator('.quick-input-widget .monaco-list-row', { hasText: 'CLAUDE.md' })
    .first()
    .waitFor({ state: 'visible', timeout: 60_000 });
  await s.screenshot('de-06-create-beside-claude-md');
  // Turned off in the list, CLAUDE.md is struck through in the composer at once.
  await s.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'CLAUDE.md' }).first().click();
  await s.page.keyboard.press('Enter');
  await frame.locator('#instructions .instruction-file[data-label="CLAUDE.md"][data-on="false"]').waitFor();
  assert.equal(await frame.locator('#instructions .instruction-file[data-label="AGENTS.md"]').count(), 0);
  await runCommand(s.page, 'Switchyard: Agent Instruction Files');
  await s.page
    .locator('.quick-input-widget .quick-input-titlebar .action-label[aria-label="Create AGENTS.md"]')
    .click();
  await waitUntil(() => existsSync(agentsMd), 60_000, 'AGENTS.md to be created beside CLAUDE.md');
  assert.match(readFileSync(agentsMd, 'utf8'), /^# AGENTS\.md\n/);
  await s.page
    .locator('.tabs-container .tab.active', { hasText: 'AGENTS.md' })
    .waitFor({ state: 'visible', timeout: 60_000 });
  await runCommand(s.page, 'View: Close All Editors');
  writeFileSync(agentsMd, `# AGENTS.md\n\n${'x'.repeat(300 * 1024)}\n`);
  await runCommand(s.page, 'Switchyard: Agent Instruction Files');
  const box = await waitForQuickInput(s.page);
  await waitUntil(
    async () => /AGENTS\.md is not read/.test((await box.getAttribute('placeholder')) ?? ''),
    60_000,
    'the list to say AGENTS.md is not read',
  );
  assert.deepEqual(await quickInputItems(s.page), ['CLAUDE.md']);
  await s.screenshot('de-06-agents-md-not-read');
  await s.page
    .locator('.quick-input-widget .quick-input-titlebar .action-label[aria-label^="AGENTS.md is not read"]')
    .click();
  await s.page
    .locator('.tabs-container .tab.active', { hasText: 'AGENTS.md' })
    .waitFor({ state: 'visible', timeout: 60_000 });
  await runCommand(s.page, 'View: Close All Editors');
  rmSync(agentsMd);
  rmSync(claudeMd);
}
