/**
 * Task history (issue 23), in a real VS Code against the fake OpenRouter, driven as a person would
 * with the default settings: a three-step agent task finishes; after a window reload the user
 * presses New Chat (no step runs, so nothing asks), finds the task in Past Chats with its mode,
 * steps, spend and outcome, opens it (read-only, its tool cards shown) and presses Continue: the
 * next message goes to the model with the old transcript (asserted on the fake's recorded
 * request). Export Chat as Markdown opens a Markdown document with the steps' model and cost lines
 * and no API key. Then New Chat while a step waits for approval asks first: Cancel keeps the task
 * running, Stop and Save ends it and keeps it in Past Chats as stopped. A past Plan task reopened
 * from Past Chats offers no Act or Revise under its plan, only Continue this task, and the plan
 * document's Act and Revise refuse with the read-only notice; after Continue the plan's actions
 * come back.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import type { AgentScript } from '../fake-openrouter/agent';
import { textOf } from '../fake-openrouter/answer';
import { CONTINUE_NOTE } from '../../src/agent/taskHistory';
import { chooseMode, editorText, sendMessage } from './harness/chatView';
import { useSwitchyard } from './harness/session';
import { isQuickInputOpen, runCommand } from './harness/quickInput';
import { chatFrame, openChatView, reloadWindow } from './harness/workbench';
import { waitForDialog } from './harness/dialogs';

const KEY = 'sk-or-v1-e2e-task-history-0123456789abcdef';
const MODEL = 'anthropic/claude-sonnet-4';
const STEP = { timeout: 300_000 };
const TASK = 'HISTORY: tidy the notes';
const MORE = 'HISTORY-MORE: and sort them';
const SLOW = 'SLOW-EDIT: rename the notes';
const PLAN = 'PLAN-PAST: plan how to sort the notes';
const NOTES = 'buy milk\ncall the plumber\nHISTORY-NOTES-LINE\n';
const call = (name: string, args: unknown) => ({ name, arguments: JSON.stringify(args) });

const SCRIPT: AgentScript = {
  turns: [
    { when: { userIncludes: 'HISTORY-MORE' }, text: 'Continued from the old transcript: the notes are sorted.' },
    { when: { userIncludes: 'HISTORY:', step: 0 }, toolCalls: [call('read_file', { path: 'notes.md' })] },
    { when: { userIncludes: 'HISTORY:', step: 1 }, toolCalls: [call('list_files', {})] },
    { when: { userIncludes: 'HISTORY:' }, text: 'Tidied: the notes hold three items.' },
    {
      when: { userIncludes: 'SLOW-EDIT', step: 0 },
      toolCalls: [call('edit_file', { path: 'notes.md', edits: [{ old_text: 'buy milk', new_text: 'buy oat milk' }] })],
    },
    { when: { userIncludes: 'SLOW-EDIT' }, text: 'The edit was not made.' },
    { when: { userIncludes: 'PLAN-PAST' }, text: '## Plan\n\n1. Sort the lines of notes.md.\n2. Read it back.' },
  ],
};

const session = useSwitchyard({
  env: { OPENROUTER_API_KEY: KEY },
  settings: { 'switchyard.model': MODEL, 'switchyard.timeoutSeconds': 30, 'switchyard.attachEditorContext': false },
  files: { 'notes.md': NOTES },
});

const rows = (page: Page) => page.locator('.quick-input-widget .quick-input-list .monaco-list-row');

/** Opens Past Chats from the view's title bar and returns the row of `title` once it is listed. */
async function pastChatsRow(page: Page, frame: Frame, title: string) {
  await frame.locator('#past-chats').click();
  const row = rows(page).filter({ hasText: title }).first();
  await row.waitFor({ state: 'visible', timeout: 60_000 });
  return row;
}

/** Presses New Chat and waits until the view is empty (no dialog may stand in the way). */
async function newChatEmpties(page: Page, frame: Frame): Promise<void> {
  await frame.locator('#new-chat').click();
  await frame.waitForFunction(() => document.querySelectorAll('#messages .message').length === 0, undefined, {
    timeout: 60_000,
  });
  assert.equal(await page.locator('.monaco-dialog-box').count(), 0, 'New Chat without a running step asks nothing');
}

/** The modal New Chat shows while a step runs, once it is up. */
async function stopDialog(page: Page) {
  return waitForDialog(page, /A step of the agent task is running\. Stop it\?/);
}

interface Body {
  messages: { role: string; content: unknown; tool_call_id?: string; tool_calls?: { id: string }[] }[];
}

describe('task history: Past Chats after a reload, Continue, export, New Chat mid-step', { timeout: 900_000 }, () => {
  it(
    'a finished task is in Past Chats after a reload, reopens read-only and continues with its transcript',
    STEP,
    async () => {
      const s = session();
      s.fake!.setAgentScript(SCRIPT);
      let frame = await openChatView(s.page);
      await chooseMode(frame, 'agent');
      await sendMessage(frame, TASK);
      await frame
        .locator('.message.assistant[data-status="done"]', { hasText: 'Tidied: the notes hold three items.' })
        .waitFor({ state: 'visible', timeout: 120_000 });
      // The run is over (and saved) before the reload.
      await frame.waitForFunction(
        () => document.querySelector('#messages')?.getAttribute('aria-busy') === 'false',
        undefined,
        { timeout: 60_000 },
      );

      frame = (await reloadWindow(s.page)) ?? (await openChatView(s.page));
      await frame
        .locator('.message.assistant', { hasText: 'Tidied: the notes hold three items.' })
        .waitFor({ state: 'visible', timeout: 60_000 });
      await newChatEmpties(s.page, frame);

      const row = await pastChatsRow(s.page, frame, TASK);
      assert.match(await row.innerText(), /Agent · 3 steps · \$\d+\.\d+ · finished/);
      await s.screenshot('task-history-past-chats');
      await row.click();
      frame = await chatFrame(s.page);
      await frame.locator('#past-task').waitFor({ state: 'visible', timeout: 60_000 });
      await frame.locator('.tool-card[data-tool="read_file"][data-state="done"]').waitFor({ state: 'visible' });
      await frame.locator('.tool-card[data-tool="list_files"][data-state="done"]').waitFor({ state: 'visible' });
      await s.screenshot('task-history-reopened');

      const before = s.fake!.chatRequests().length;
      await frame.locator('#continue-task').click();
      await frame.locator('#past-task').waitFor({ state: 'hidden', timeout: 60_000 });
      await sendMessage(frame, MORE);
      await frame
        .locator('.message.assistant[data-status="done"]', { hasText: 'Continued from the old transcript' })
        .waitFor({ state: 'visible', timeout: 120_000 });
      const sent = s.fake!.chatRequests().slice(before);
      assert.equal(sent.length, 1, 'one step after Continue');
      const messages = (sent[0]!.body as Body).messages;
      const users = messages.filter((m) => m.role === 'user').map((m) => textOf(m.content));
      assert.ok(users[0]?.includes(TASK), 'the old request is replayed first');
      assert.ok(
        users.at(-1)?.includes(CONTINUE_NOTE) && users.at(-1)?.includes(MORE),
        'the model is told it continues',
      );
      const results = messages.filter((m) => m.role === 'tool').map((m) => textOf(m.content));
      assert.ok(
        results.some((t) => t.includes('HISTORY-NOTES-LINE')),
        'the old read_file result is in the transcript',
      );
      assert.equal(
        messages.filter((m) => m.tool_calls?.length).length,
        2,
        'both old steps are replayed with their calls',
      );
      await s.screenshot('task-history-continued');
    },
  );

  it('Export Chat as Markdown opens the task with its model and cost lines and no key', STEP, async () => {
    const s = session();
    await runCommand(s.page, 'Switchyard: Export Chat as Markdown');
    const text = await editorText(s.page, 'exported from Switchyard', 60_000);
    assert.match(text, /# HISTORY: tidy the notes/);
    assert.match(text, /Agent · .* · \d+ steps · \$\d+\.\d+/);
    assert.match(text, /## Step · anthropic\/claude-sonnet-4/);
    assert.match(text, /_anthropic\/claude-sonnet-4.*\$\d+\.\d+/, 'a step has its model and cost line');
    assert.ok(!text.includes(KEY), 'no API key in the export');
    await s.page.locator('.tab.active', { hasText: 'Untitled' }).first().waitFor({ state: 'visible', timeout: 60_000 });
    await s.screenshot('task-history-export');
  });

  it(
    'New Chat while a step waits asks first: Cancel keeps it running, Stop and Save keeps it in Past Chats',
    STEP,
    async () => {
      const s = session();
      const frame = await openChatView(s.page);
      await newChatEmpties(s.page, frame);
      await sendMessage(frame, SLOW);
      const waiting = frame.locator('.tool-card[data-tool="edit_file"][data-state="waiting"]');
      await waiting.waitFor({ state: 'visible', timeout: 90_000 });

      await frame.locator('#new-chat').click();
      let dialog = await stopDialog(s.page);
      await s.screenshot('task-history-new-chat-asks');
      await dialog.locator('.monaco-button', { hasText: /^Cancel$/ }).click();
      await dialog.waitFor({ state: 'hidden', timeout: 60_000 });
      assert.equal(await waiting.count(), 1, 'Cancel keeps the step waiting');
      assert.equal(await frame.locator('.message.user', { hasText: SLOW }).count(), 1);

      await frame.locator('#new-chat').click();
      dialog = await stopDialog(s.page);
      await dialog.locator('.monaco-button', { hasText: /^Stop and Save$/ }).click();
      await frame.waitForFunction(() => document.querySelectorAll('#messages .message').length === 0, undefined, {
        timeout: 60_000,
      });
      const row = await pastChatsRow(s.page, frame, SLOW);
      assert.match(await row.innerText(), /Agent · \d+ steps? · .*stopped/);
      await s.screenshot('task-history-stopped-kept');
      await s.page.keyboard.press('Escape');
    },
  );

  it('a past Plan task reopens with no Act or Revise under its plan, only Continue this task', STEP, async () => {
    const s = session();
    s.fake!.setAgentScript(SCRIPT);
    let frame = await openChatView(s.page);
    await chooseMode(frame, 'plan');
    await newChatEmpties(s.page, frame);
    await sendMessage(frame, PLAN);
    const planOf = (f: Frame) =>
      f.locator('.message.assistant[data-status="done"]', { hasText: 'Sort the lines of notes.md' });
    await planOf(frame).locator('.plan-act').waitFor({ state: 'visible', timeout: 120_000 });
    await frame.waitForFunction(
      () => document.querySelector('#messages')?.getAttribute('aria-busy') === 'false',
      undefined,
      { timeout: 60_000 },
    );
    // The plan opened in an editor; back to the chat, as a person clicks its view.
    frame = await openChatView(s.page);
    await newChatEmpties(s.page, frame);

    const row = await pastChatsRow(s.page, frame, PLAN);
    assert.match(await row.innerText(), /Plan · /);
    await row.click();
    frame = await chatFrame(s.page);
    await frame.locator('#past-task').waitFor({ state: 'visible', timeout: 60_000 });
    const plan = planOf(frame);
    const resume = plan.locator('button.plan-continue');
    await resume.waitFor({ state: 'visible', timeout: 60_000 });
    assert.equal(await plan.locator('.plan-act, .plan-revise').count(), 0, 'read-only: nothing under the plan runs');
    assert.match(await plan.locator('.plan-actions').innerText(), /read-only: continue it to act on this plan/);
    await s.screenshot('task-history-past-plan');

    // The plan's document is still open: its Act and Revise refuse too, and say why in the chat.
    await s.page
      .locator('.tab', { hasText: /^plan-.*\.md/ })
      .first()
      .click();
    const notice = frame.locator('#composer-notice', { hasText: 'This past task is shown read-only' });
    await s.page.locator('.codelens-decoration a', { hasText: 'Act on this plan' }).first().click();
    await notice.waitFor({ state: 'visible', timeout: 60_000 });
    await s.screenshot('task-history-past-plan-document-act');
    await notice.locator('.notice-dismiss').click();
    await notice.waitFor({ state: 'hidden', timeout: 60_000 });
    await s.page.locator('.codelens-decoration a', { hasText: 'Revise' }).first().click();
    await notice.waitFor({ state: 'visible', timeout: 60_000 });
    assert.equal(await isQuickInputOpen(s.page), false, 'Revise asked nothing');
    assert.equal(await frame.locator('#mode-plan').getAttribute('aria-pressed'), 'true', 'no Agent task started');
    assert.ok(
      !s.fake!.chatRequests().some((r) => JSON.stringify(r.body).includes('Carry out this plan')),
      'the fake was sent no plan to act on',
    );

    await resume.click();
    await frame.locator('#past-task').waitFor({ state: 'hidden', timeout: 60_000 });
    await plan.locator('.plan-act').waitFor({ state: 'visible', timeout: 60_000 });
    await plan.locator('.plan-revise').waitFor({ state: 'visible', timeout: 60_000 });
    assert.equal(await resume.count(), 0, 'Continue this task is gone once continued');
    await s.screenshot('task-history-past-plan-continued');
  });
});
