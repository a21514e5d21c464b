/**
 * Plan, then act (issue 23), in a real VS Code against the fake OpenRouter's scripted runs
 * (test/fake-openrouter/planScripts.ts), driven as a person would with the default settings:
 * choose Plan, ask; the model's edit is refused (a rejected card; the fake got the refusal as the
 * tool result) and its plan opens in an editor; the user types a line into the plan and clicks
 * Act on this plan under it in the chat: an Agent task starts whose first message carries the
 * edited plan (unsaved). Then, in Agent mode, a task keeps a to-do list: the checklist pinned above
 * the task follows each `todo_write`, the task ends saying which item is open, and the list is
 * there again after switching modes away and back.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Frame } from 'playwright-core';
import { textOf, toolResultTexts } from '../fake-openrouter/answer';
import { PLAN_SCRIPT, PLAN_TEXT, TODO_FILE, TODO_SCRIPT } from '../fake-openrouter/planScripts';
import { useSwitchyard } from './harness/session';
import { openChatView } from './harness/workbench';
import { waitUntil } from './harness/wait';

const KEY = 'sk-or-v1-e2e-plan-mode-0123456789abcdef01';
const MODEL = 'anthropic/claude-sonnet-4';
const STEP = { timeout: 240_000 };
const BROKEN = 'export function add(a, b) {\n  return a - b;\n}\n';
const EDITED_LINE = '3. Edited by the user: also add a test for negative numbers.';

const session = useSwitchyard({
  env: { OPENROUTER_API_KEY: KEY },
  settings: { 'switchyard.model': MODEL, 'switchyard.timeoutSeconds': 30, 'switchyard.attachEditorContext': false },
  files: { 'package.json': '{\n  "name": "calc",\n  "type": "module"\n}\n', 'src/calc.js': BROKEN },
});

async function chooseMode(frame: Frame, mode: 'ask' | 'plan' | 'agent'): Promise<void> {
  await frame.locator(`#mode-${mode}`).click();
  await frame.waitForFunction(
    (m) => document.querySelector(`#mode-${m}`)?.getAttribute('aria-pressed') === 'true',
    mode,
    { timeout: 60_000 },
  );
}

async function send(frame: Frame, text: string): Promise<void> {
  const input = frame.locator('#input');
  await input.fill(text);
  await input.press('Enter');
  await frame.locator('.message.user', { hasText: text }).last().waitFor({ state: 'visible', timeout: 60_000 });
}

/** The user messages the fake received, newest last. */
function userTexts(bodies: readonly unknown[]): string[] {
  return bodies.flatMap((b) =>
    ((b as { messages?: { role: string; content: unknown }[] }).messages ?? [])
      .filter((m) => m.role === 'user')
      .map((m) => textOf(m.content)),
  );
}

describe('plan, then act', { timeout: 600_000 }, () => {
  it(
    'Plan refuses the edit and opens the plan; the edited plan is the first message of the Agent task',
    STEP,
    async () => {
      const s = session();
      s.fake!.setAgentScript(PLAN_SCRIPT);
      const frame = await openChatView(s.page);
      await chooseMode(frame, 'plan');
      assert.match((await frame.locator('#input').getAttribute('placeholder')) ?? '', /plan; the model only reads/);
      await send(frame, 'Plan: make add() add');

      // The edit was refused on its card and in the result the model got; the file is untouched.
      const refused = frame.locator('.tool-card[data-tool="edit_file"][data-state="rejected"]');
      await refused.waitFor({ state: 'visible', timeout: 60_000 });
      assert.match(await refused.innerText(), /refused in Plan mode/);
      await frame.locator('.plan-actions').waitFor({ state: 'visible', timeout: 60_000 });
      const bodies = s.fake!.chatRequests().map((r) => r.body);
      assert.ok(
        bodies.some((b) =>
          toolResultTexts(b).some((t) => t.startsWith('Refused: edit_file is not available in Plan mode')),
        ),
        'the model got the refusal as the tool result',
      );
      assert.equal(readFileSync(path.join(s.workspace, 'src/calc.js'), 'utf8'), BROKEN);

      // The plan is open in an editor; the user adds a line (left unsaved).
      const planLines = s.page.locator('.editor-instance .view-lines', { hasText: 'Plan: make add() add' }).first();
      await planLines.waitFor({ state: 'visible', timeout: 60_000 });
      await s.page.locator('.tab.active', { hasText: /^plan-.*\.md/ }).waitFor({ state: 'visible', timeout: 60_000 });
      await planLines.click();
      await s.page.keyboard.press('Control+End');
      await s.page.keyboard.type(`\n${EDITED_LINE}`);
      await s.page
        .locator('.editor-instance .view-lines', { hasText: 'Edited by the user' })
        .first()
        .waitFor({ state: 'visible', timeout: 60_000 });
      await s.screenshot('90-plan-document-edited');

      // Act on this plan, under the plan in the chat.
      const chat = await openChatView(s.page);
      await chat.locator('.plan-actions button.plan-act').click();
      await waitUntil(
        () => userTexts(s.fake!.chatRequests().map((r) => r.body)).some((t) => t.includes(EDITED_LINE)),
        60_000,
        'the fake receives the Agent task with the edited plan',
      );
      const first = userTexts(s.fake!.chatRequests().map((r) => r.body)).find((t) => t.includes(EDITED_LINE))!;
      assert.match(first, /^Carry out this plan/);
      assert.ok(first.includes(PLAN_TEXT.split('\n')[0]!), 'the plan as written');
      await chat.waitForFunction(
        () => document.querySelector('#mode-agent')?.getAttribute('aria-pressed') === 'true',
        undefined,
        { timeout: 60_000 },
      );
      const taskMessage = chat.locator('.message.user').first();
      await taskMessage.waitFor({ state: 'visible', timeout: 60_000 });
      assert.match(await taskMessage.innerText(), /Edited by the user/);
      await chat
        .locator('.message.assistant', { hasText: 'Acting on the plan as written.' })
        .waitFor({ state: 'visible', timeout: 60_000 });
      await s.screenshot('91-plan-acted-agent-task');

      // Back in Plan, the plan says it was acted on.
      await chooseMode(chat, 'plan');
      await chat.locator('.plan-actions button.plan-act', { hasText: 'again' }).waitFor({ timeout: 60_000 });
    },
  );

  it('the to-do checklist follows the task and says what is left open', STEP, async () => {
    const s = session();
    s.fake!.setAgentScript(TODO_SCRIPT);
    const frame = await openChatView(s.page);
    await chooseMode(frame, 'agent');
    await frame.locator('#new-chat').click();
    await send(frame, 'Add a greeting module');

    const item = (id: string, status: string) =>
      frame.locator(`#todo-list .todo-item[data-id="${id}"][data-status="${status}"]`);
    // The write waits for approval after the second update: item 1 done, item 2 in progress.
    const write = frame.locator('.tool-card[data-tool="write_file"][data-state="waiting"]');
    await write.waitFor({ state: 'visible', timeout: 60_000 });
    await item('1', 'done').waitFor({ state: 'visible', timeout: 60_000 });
    await item('2', 'in_progress').waitFor({ state: 'visible', timeout: 60_000 });
    assert.match(await frame.locator('#todo-list .todo-title').innerText(), /1 of 3 done/);
    assert.equal(await frame.locator('.tool-card[data-tool="todo_write"][data-state="failed"]').count(), 1);
    await s.screenshot('92-todo-list-in-progress');
    await write.locator('button.approve').click();

    await item('2', 'done').waitFor({ state: 'visible', timeout: 60_000 });
    const ending = frame.locator('.message.assistant', { hasText: 'the tests are not run yet' });
    await ending.waitFor({ state: 'visible', timeout: 60_000 });
    await frame
      .locator('.route-notice', { hasText: 'Ended with 1 of 3 to-dos open: Run the tests.' })
      .waitFor({ timeout: 60_000 });
    await frame.locator('#task-spend', { hasText: '1 to-do open' }).waitFor({ timeout: 60_000 });
    assert.equal(readFileSync(path.join(s.workspace, TODO_FILE), 'utf8'), 'export const hi = "hi";\n');
    await s.screenshot('93-todo-list-ended-open');

    // Away and back: the list comes back with the task (the view's init).
    await chooseMode(frame, 'ask');
    await frame.locator('#todo-list').waitFor({ state: 'hidden', timeout: 60_000 });
    await chooseMode(frame, 'agent');
    await item('3', 'pending').waitFor({ state: 'visible', timeout: 60_000 });
  });
});
