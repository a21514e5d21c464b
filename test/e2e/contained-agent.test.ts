/**
 * Issue 20 (part B) in a real VS Code (code-server + Chromium): a scripted model steered by a
 * hostile repository, with reads and edits auto-approved as a trusting user would set them.
 * - a read of a secret-looking file asks like Ask mode's @file (a no sends nothing, a yes sends
 *   it with its keys redacted); so does a read of a file Git ignores (a nested .gitignore,
 *   .git/info/exclude) and of .git/config, whose remote URL carries a token;
 * - writes through links the repository shipped (a folder link, a file link, a dangling link)
 *   are refused and nothing outside the workspace changes; an approved edit of a file open in the
 *   editor (written by Switchyard, not VS Code's save) shows there saved, and one Undo restores it;
 * - a search ripgrep rejects runs in JavaScript, confined (no match from behind a link out) and a
 *   catastrophic pattern stops at its deadline while the editor keeps answering;
 * - a link in an answer shows where it really goes and asks before opening it;
 * - Restore checkpoint of several files writes all of them or none (one turned into a folder).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import type { Frame } from 'playwright-core';
import { useSwitchyard } from './harness/session';
import { chooseMode, mentionRowMatching, typeMention, waitForAnswer } from './harness/chatView';
import {
  DOTENV_KEY,
  HOSTILE_FILES,
  KEY,
  MODEL,
  outsideFolder,
  REMOTE_TOKEN,
  shipLinks,
  startScriptedTask,
  toolResults,
} from './harness/containedAgent';
import { openFile } from './harness/editors';
import { openChatView } from './harness/workbench';
import { waitForDialog } from './harness/dialogs';

const STEP = { timeout: 240_000 };

const outside = outsideFolder();
after(() => rmSync(outside, { recursive: true, force: true }));

const session = useSwitchyard({
  env: { OPENROUTER_API_KEY: KEY },
  settings: {
    'switchyard.model': MODEL,
    'switchyard.timeoutSeconds': 30,
    'switchyard.attachEditorContext': false,
    'switchyard.agent.autoApprove': { read: true, edit: true, command: false },
  },
  files: HOSTILE_FILES,
});

async function card(frame: Frame, tool: string, state: string, timeout = 90_000) {
  const locator = frame.locator(`.tool-card[data-tool="${tool}"][data-state="${state}"]`).last();
  await locator.waitFor({ state: 'visible', timeout });
  return locator;
}

describe('A contained agent in a hostile repository (issue 20, part B)', { timeout: 1_200_000 }, () => {
  it(
    'a read of a secret-looking file asks like Ask mode, even with reads auto-approved; a no sends nothing, a yes sends it redacted',
    STEP,
    async () => {
      const s = session();
      const frame = await openChatView(s.page);
      await chooseMode(frame, 'agent');
      await startScriptedTask(s, frame, 'check the env (no)');
      const dialog = await waitForDialog(s.page, /the agent wants to read "\.env", which usually holds secrets/);
      await s.screenshot('70-agent-secret-read-asks');
      await dialog.locator('.monaco-button', { hasText: 'Cancel' }).click();
      await waitForAnswer(frame, 'I did not read .env, as you chose.');
      const declined = frame.locator('.tool-card[data-tool="read_file"]').last();
      assert.equal(await declined.getAttribute('data-state'), 'failed');
      assert.match(await declined.locator('.tool-summary').innerText(), /declined: usually holds secrets/);
      assert.ok(
        toolResults(s, 'check the env (no)').every((t) => !t.includes('s3cr3tP4ss') && !t.includes(DOTENV_KEY)),
        'nothing of .env was sent',
      );

      await startScriptedTask(s, frame, 'check the env (yes)');
      await (await waitForDialog(s.page)).locator('.monaco-button', { hasText: 'Allow Read' }).click();
      await waitForAnswer(frame, 'I read .env.');
      const sent = toolResults(s, 'check the env (yes)').join('\n');
      assert.match(sent, /PORT=3000/, 'the file was read');
      assert.match(sent, /OPENROUTER_API_KEY=\[redacted\]/);
      assert.match(sent, /DB_PASSWORD=\[redacted\]/);
      assert.ok(!sent.includes(DOTENV_KEY) && !sent.includes('s3cr3tP4ss'), 'keys and passwords never reach the model');
      const shown = await frame
        .locator('.tool-card[data-tool="read_file"]')
        .last()
        .locator('.tool-result pre')
        .textContent();
      assert.ok(!shown?.includes(DOTENV_KEY), 'nor the card');
      assert.ok(!s.extensionLog().includes(DOTENV_KEY) && !s.extensionLog().includes(KEY), 'nor the log');
    },
  );

  it(
    'a read of a file Git ignores (nested .gitignore, .git/info/exclude) or of .git/config asks, even with reads auto-approved; what a yes sends is redacted',
    STEP,
    async () => {
      const s = session();
      const frame = await openChatView(s.page);
      await chooseMode(frame, 'agent');
      const answer = async (pattern: RegExp, button: string, shot?: string): Promise<void> => {
        const dialog = await waitForDialog(s.page, pattern);
        if (shot) await s.screenshot(shot);
        await dialog.locator('.monaco-button', { hasText: button }).click();
        await dialog.waitFor({ state: 'hidden', timeout: 60_000 });
      };

      await startScriptedTask(s, frame, 'check the local files');
      await answer(
        /the agent wants to read "config\/settings\.local\.json", which is ignored by Git \(\.gitignore\)/,
        'Allow Read',
        '75-agent-ignored-read-asks',
      );
      await answer(/the agent wants to read "scratch\.txt", which is ignored by Git/, 'Cancel');
      await answer(
        /the agent wants to read "\.git\/config", which usually holds secrets/,
        'Allow Read',
        '76-agent-git-config-read-asks',
      );
      await waitForAnswer(frame, 'Local files checked.');
      const reads = frame.locator('.tool-card[data-tool="read_file"]');
      assert.deepEqual(await reads.evaluateAll((cards) => cards.map((c) => c.getAttribute('data-state'))), [
        'done',
        'failed',
        'done',
      ]);
      assert.match(await reads.nth(1).locator('.tool-summary').innerText(), /declined: ignored by Git/);
      const sent = toolResults(s, 'check the local files').join('\n');
      assert.match(sent, /localhost:8080/, 'the allowed ignored file was read');
      assert.match(sent, /The user declined: scratch\.txt is ignored by Git/);
      assert.ok(!sent.includes('SCRATCH-NOTES'), 'nothing of the declined file was sent');
      assert.match(sent, /url = https:\/\/\[redacted\]@github\.com\/o\/r\.git/, '.git/config was sent redacted');
      assert.ok(!sent.includes(REMOTE_TOKEN), 'the remote token never reaches the model');
      assert.ok(!s.extensionLog().includes(REMOTE_TOKEN), 'nor the log');
    },
  );

  it(
    'writes through links the repository shipped are refused, even with autoApprove.edit: folder link, dangling link, file link',
    STEP,
    async () => {
      const s = session();
      shipLinks(s.workspace, outside);
      const frame = await openChatView(s.page);
      await chooseMode(frame, 'agent');
      await startScriptedTask(s, frame, 'write the files');
      await waitForAnswer(frame, 'The writes were refused.');
      const cards = frame.locator('.tool-card[data-state="failed"]');
      assert.equal(await cards.count(), 3, 'all three refused');
      const summaries = await cards.locator('.tool-summary').allInnerTexts();
      assert.match(
        summaries[0]!,
        /"linked\/planted\.txt" is below "linked", a symbolic link; the agent never writes through a link/,
      );
      assert.match(summaries[1]!, /"notes\.txt" is a symbolic link/);
      assert.match(summaries[2]!, /"shipped\.txt" is a symbolic link/);
      await s.screenshot('71-agent-link-writes-refused');
      assert.equal(
        existsSync(path.join(outside, 'folder', 'planted.txt')),
        false,
        'nothing created through the folder link',
      );
      assert.equal(
        existsSync(path.join(outside, 'planted-by-dangling.txt')),
        false,
        'nothing created through the dangling link',
      );
      assert.equal(
        readFileSync(path.join(outside, 'shipped-target.txt'), 'utf8'),
        'ORIGINAL\n',
        'the linked file is unchanged',
      );
    },
  );

  it(
    'an approved edit of a file open in the editor is written by Switchyard (no link followed), shown saved, and one Undo restores it',
    STEP,
    async () => {
      const s = session();
      await openFile(s.page, 'src/app.ts');
      const frame = await openChatView(s.page);
      await chooseMode(frame, 'agent');
      await startScriptedTask(s, frame, 'rename the marker');
      await waitForAnswer(frame, 'Renamed.');
      assert.equal(readFileSync(path.join(s.workspace, 'src/app.ts'), 'utf8'), 'export const marker = "HAYSTACK";\n');
      const editorShows = (text: string) =>
        s.page.waitForFunction(
          (t) =>
            [...document.querySelectorAll('.editor-instance .view-lines')].some((el) =>
              (el.textContent ?? '').replace(/\u00a0/g, ' ').includes(t),
            ),
          text,
          { timeout: 60_000 },
        );
      await editorShows('"HAYSTACK"');
      assert.equal(await s.page.locator('.tab.active.dirty').count(), 0, 'the document is not left unsaved');
      await s.screenshot('77-agent-edit-open-file');
      await s.page.locator('.editor-instance .monaco-editor .view-lines').first().click();
      await s.page.keyboard.press('Control+Z');
      await editorShows('"NEEDLE"');
    },
  );

  it(
    'a search ripgrep rejects runs confined in JavaScript, and a catastrophic pattern stops at its deadline without freezing the editor',
    STEP,
    async () => {
      const s = session();
      shipLinks(s.workspace, outside);
      const frame = await openChatView(s.page);
      await chooseMode(frame, 'agent');
      await startScriptedTask(s, frame, 'search the code');
      const first = await card(frame, 'search_text', 'done');
      assert.match(await first.locator('.tool-summary').innerText(), /^1 matches$/);
      // While the catastrophic pattern runs (10 s), the extension host still answers: the @ menu lists files.
      await card(frame, 'search_text', 'running', 60_000);
      await typeMention(frame, '@file:app', mentionRowMatching(frame, /app\.ts/));
      assert.equal(
        await frame.locator('.tool-card[data-tool="search_text"]').last().getAttribute('data-state'),
        'running',
        'answered while the search was still running',
      );
      await frame.locator('#input').press('Escape');
      await frame.locator('#input').fill('');
      await frame.locator('#mention-menu').waitFor({ state: 'hidden', timeout: 60_000 });
      await waitForAnswer(frame, 'Searched.');
      const results = toolResults(s, 'search the code');
      assert.equal(results.length, 2, 'two searches');
      assert.match(results[0]!, /src\/app\.ts:1: export const marker = "NEEDLE";/);
      assert.match(
        results[0]!,
        /that usually holds? secrets not searched; read_file such a file to ask the user/,
        '.env was not searched, and the model is told',
      );
      assert.ok(
        results.every((t) => !t.includes('OUTSIDE')),
        'nothing from behind the link out of the workspace',
      );
      assert.match(results[1]!, /the search stopped after 10 s: the pattern is too slow/);
      const slow = frame.locator('.tool-card[data-tool="search_text"]').last();
      assert.match(await slow.locator('.tool-summary').innerText(), /stopped: too slow/);
      await s.screenshot('72-agent-search-confined-bounded');
    },
  );

  it(
    'a link in an answer shows where it goes and asks before opening it when its text says otherwise',
    STEP,
    async () => {
      const s = session();
      const frame = await openChatView(s.page);
      await chooseMode(frame, 'agent');
      await startScriptedTask(s, frame, 'a link please');
      await waitForAnswer(frame, 'then https://example.com/done');
      const answer = frame.locator('.message.assistant').last();
      assert.equal((await answer.locator('.link-destination').innerText()).trim(), '(evil.example)');
      await s.screenshot('73-answer-link-destination');
      await answer.locator('a', { hasText: 'docs.python.org' }).click();
      const dialog = await waitForDialog(
        s.page,
        /the link "docs\.python\.org" leads to "https:\/\/evil\.example\/py" \(evil\.example\), not where its text says/,
      );
      await s.screenshot('74-answer-link-asks');
      await dialog.locator('.monaco-button', { hasText: 'Cancel' }).click();
      await dialog.waitFor({ state: 'hidden', timeout: 60_000 });
      // A link whose text is its address goes straight to VS Code's own opener (which asks about the domain).
      await answer.locator('a', { hasText: 'https://example.com/done' }).click();
      await waitForDialog(s.page, /example\.com/);
      assert.doesNotMatch(await dialog.innerText(), /not where its text says/);
      await dialog.locator('.monaco-button', { hasText: 'Cancel' }).click();
    },
  );

  it(
    'Restore checkpoint of two files is all or nothing: one of them turned into a folder, neither is written and the notice names both',
    STEP,
    async () => {
      const s = session();
      const frame = await openChatView(s.page);
      await chooseMode(frame, 'agent');
      await startScriptedTask(s, frame, 'edit both files');
      await waitForAnswer(frame, 'Both edited.');
      const disk = (rel: string): string => readFileSync(path.join(s.workspace, rel), 'utf8');
      assert.equal(disk('src/two.ts'), 'export const two = "TWO-EDITED";\n');
      // A build replaces src/two.ts by a folder of that name; restoring the first step writes both files.
      rmSync(path.join(s.workspace, 'src/two.ts'));
      mkdirSync(path.join(s.workspace, 'src/two.ts'));
      const edits = frame.locator('.message.assistant', { has: frame.locator('.tool-card[data-tool="edit_file"]') });
      await edits.first().locator('button.restore-checkpoint').click();
      const notice = frame.locator('#composer-notice', { hasText: 'Restore failed' });
      await notice.waitFor({ state: 'visible', timeout: 60_000 });
      await s.screenshot('79-agent-restore-all-or-nothing');
      assert.equal(disk('src/one.ts'), 'export const one = "ONE-EDITED";\n', 'src/one.ts is not restored alone');
      assert.match(
        await notice.innerText(),
        /src\/two\.ts is a folder; not written; the others were left as they were: src\/one\.ts not written/,
      );
    },
  );
});
