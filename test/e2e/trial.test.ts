/**
 * The offline trial exactly as the README tells it (issue 26): `npm start -- --fake --folder
 * examples/trial` — the same script (scripts/start.sh → scripts/start.ts) in a child process, the
 * URL and sample key read from what it prints, no control API, VS Code's default settings — then a
 * person in Chromium: Set API Key with the sample key, a chat answer with its footer (model,
 * provider, tokens, cost), Agent mode on "Make the failing test pass" (tool cards for list and
 * reads, the edit's diff waiting for Approve, the test run approved and passing, a summary,
 * Restore checkpoint) and Stop on a second task; Export Chat as Markdown opens the task for reading
 * without making it the next message's context chip; then the README's walkthrough of subagents
 * and compaction in plain words: the fix again, "Use a subagent to find out how the cart is
 * tested" (one subagent card with its steps, its report as the answer) and `/compact` (a
 * "Compacted" step); Plan mode's plan and Act on this plan; a task budget that moves the remaining
 * steps to a cheaper model instead of stopping (Claude Sonnet 4 picked, Change Task Budget →
 * cheaper model → $0.10): the step that crossed says who took over and why, and the task goes on
 * to the end. The project is a copy of examples/trial.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { launchBrowser, waitForWorkbench, type BrowserSession } from './harness/browser';
import { freePort } from './harness/codeServer';
import { projectRoot } from './harness/paths';
import { chooseMode, lastAnswerText, sendMessage } from './harness/chatView';
import { openFile } from './harness/editors';
import { pickQuickItem, runCommand, runCommandAndPick, typeIntoQuickInput } from './harness/quickInput';
import { openChatView, screenshot } from './harness/workbench';

const STEP = { timeout: 300_000 };
const CART = 'src/cart.js';

interface Trial {
  readonly child: ChildProcess;
  readonly url: string;
  readonly sampleKey: string;
  readonly output: () => string;
}

/** Runs `npm start`'s script with the README's options and waits for the URL it prints. */
async function startTrial(folder: string, profile: string): Promise<Trial> {
  const port = await freePort();
  const child = spawn(
    'bash',
    [
      'scripts/start.sh',
      '--no-build',
      '--fake',
      '--fresh',
      '--folder',
      folder,
      '--profile',
      profile,
      '--port',
      String(port),
    ],
    {
      cwd: projectRoot,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'OPENROUTER_API_KEY')),
    },
  );
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const deadline = Date.now() + 180_000;
  while (!/sample key: (\S+)/.test(out)) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`npm start did not come up:\n${out}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    child,
    url: /open:\s*\n\s*(http\S+)/.exec(out)![1]!,
    sampleKey: /sample key: (\S+)/.exec(out)![1]!,
    output: () => out,
  };
}

/** Ctrl+C, as the script says: it stops code-server and the fake, then exits. */
async function stopTrial(trial: Trial): Promise<void> {
  if (trial.child.exitCode !== null) return;
  const exited = new Promise((r) => trial.child.once('exit', r));
  process.kill(-trial.child.pid!, 'SIGINT');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
  if (trial.child.exitCode === null) process.kill(-trial.child.pid!, 'SIGKILL');
}

async function card(frame: Frame, tool: string, state: string, timeout = 90_000) {
  const locator = frame.locator(`.tool-card[data-tool="${tool}"][data-state="${state}"]`).last();
  await locator.waitFor({ state: 'visible', timeout });
  return locator;
}

async function waitForFile(page: Page, file: string, match: RegExp): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!match.test(readFileSync(file, 'utf8'))) {
    if (Date.now() > deadline) assert.match(readFileSync(file, 'utf8'), match);
    await page.waitForTimeout(200);
  }
}

const lastStatus = (frame: Frame, status: string) =>
  frame.waitForFunction(
    (s) => [...document.querySelectorAll('.message.assistant')].at(-1)?.getAttribute('data-status') === s,
    status,
    { timeout: 90_000 },
  );

describe('The README’s offline trial: npm start -- --fake --folder examples/trial', { timeout: 1_200_000 }, () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'switchyard-trial-'));
  const folder = path.join(root, 'trial');
  const cart = path.join(folder, CART);
  let trial: Trial | undefined;
  let browser: BrowserSession | undefined;
  let page: Page;

  before(async () => {
    cpSync(path.join(projectRoot, 'examples/trial'), folder, { recursive: true });
    trial = await startTrial(folder, path.join(root, 'profile'));
    browser = await launchBrowser();
    page = browser.page;
    await page.goto(trial.url, { waitUntil: 'domcontentloaded', timeout: 90_000 });
    await waitForWorkbench(page);
  });

  after(async () => {
    await browser?.close();
    if (trial) await stopTrial(trial);
    if (process.env.KEEP_E2E !== '1') rmSync(root, { recursive: true, force: true });
  });

  it('the sample key it prints is accepted, and a chat answer has its footer', STEP, async () => {
    assert.match(trial!.output(), /fake OpenRouter: http:\/\/127\.0\.0\.1:\d+\/api\/v1/);
    await runCommand(page, 'Switchyard: Set API Key');
    await typeIntoQuickInput(page, trial!.sampleKey, { password: true });
    const frame = await openChatView(page);
    await sendMessage(frame, 'What does src/cart.js do?', 60_000);
    assert.match(await lastAnswerText(frame), /^Echo from /);
    const meta = await frame.locator('.message.assistant').last().locator('.meta').innerText();
    assert.match(meta, /gpt-4o-mini/, 'the model that served');
    assert.match(meta, /OpenAI|Azure/, 'the provider');
    assert.match(meta, /\d+ in/, 'tokens in');
    assert.match(meta, /\$\d/, 'the cost');
    await screenshot(page, 'trial-01-chat-footer');
  });

  it(
    'Agent mode: "Make the failing test pass" lists, reads, shows the edit for approval, runs npm test and summarises; Restore checkpoint undoes it',
    STEP,
    async () => {
      const frame = await openChatView(page);
      await frame.locator('#mode-agent').click();
      await frame.waitForFunction(
        () => document.querySelector('#mode-agent')?.getAttribute('aria-pressed') === 'true',
        undefined,
        { timeout: 60_000 },
      );
      await sendMessage(frame, 'Make the failing test pass', 60_000);
      await card(frame, 'list_files', 'done');
      const edit = await card(frame, 'edit_file', 'waiting');
      assert.ok(
        (await frame
          .locator('.tool-card[data-tool="read_file"][data-state="done"]', { hasText: 'Read test/cart.test.js' })
          .count()) === 1,
      );
      assert.match(
        await edit.locator('.tool-diff').innerText(),
        /-\s+return unitPrice \+ quantity;\n\+\s+return unitPrice \* quantity;/,
      );
      await page
        .locator('.tab', { hasText: 'proposed by the agent' })
        .first()
        .waitFor({ state: 'visible', timeout: 60_000 });
      assert.match(readFileSync(cart, 'utf8'), /unitPrice \+ quantity/, 'nothing is written before Approve');
      await screenshot(page, 'trial-02-agent-edit-waiting');
      await edit.locator('button.approve').click();
      await waitForFile(page, cart, /return unitPrice \* quantity;/);

      const run = await card(frame, 'run_command', 'waiting');
      assert.equal(await run.locator('.tool-title').innerText(), 'Run npm test');
      await run.locator('button.approve').click();
      const ran = await card(frame, 'run_command', 'done', 120_000);
      assert.match(await ran.locator('.tool-summary').innerText(), /exit code 0/);
      await lastStatus(frame, 'done');
      assert.match(
        await lastAnswerText(frame),
        /changed return unitPrice \+ quantity; to return unitPrice \* quantity; in src\/cart\.js, and npm test passes \(exit code 0\)/,
      );
      await frame.locator('#task-spend', { hasText: /^Task: \d+ steps · \$\d+\.\d+$/ }).waitFor({ timeout: 60_000 });
      await screenshot(page, 'trial-03-agent-done');

      const editStep = frame.locator('.message.assistant', { has: frame.locator('.tool-card[data-tool="edit_file"]') });
      await editStep.locator('button.restore-checkpoint').click();
      await waitForFile(page, cart, /return unitPrice \+ quantity;/);
      await editStep.locator('.checkpoint-restored').waitFor({ state: 'visible', timeout: 60_000 });
      await screenshot(page, 'trial-04-agent-restored');
    },
  );

  it('Stop while the agent waits for approval ends the task and writes nothing', STEP, async () => {
    const frame = await openChatView(page);
    await frame.locator('#new-chat').click();
    await frame.locator('.message').first().waitFor({ state: 'detached', timeout: 60_000 });
    const before = readFileSync(cart, 'utf8');
    await sendMessage(frame, 'Make the failing test pass', 60_000);
    await card(frame, 'edit_file', 'waiting');
    await frame.locator('#stop').click();
    await card(frame, 'edit_file', 'rejected');
    await lastStatus(frame, 'stopped');
    await frame.locator('#send').waitFor({ state: 'visible', timeout: 60_000 });
    assert.equal(readFileSync(cart, 'utf8'), before);
    assert.equal(await frame.locator('.tool-card[data-tool="run_command"]').count(), 0);
    await screenshot(page, 'trial-05-agent-stopped');
  });

  it('Export Chat as Markdown shows the task without making the export the next message’s context', STEP, async () => {
    const frame = await openChatView(page);
    await openFile(page, CART);
    const cartChip = frame.locator('.chip', { hasText: CART });
    await cartChip.waitFor({ state: 'visible', timeout: 60_000 });
    await runCommand(page, 'Switchyard: Export Chat as Markdown');
    await page.locator('.tab.active', { hasText: 'Untitled' }).first().waitFor({ state: 'visible', timeout: 60_000 });
    // The file's chip leaves with its editor; the export, now the active editor, takes no chip.
    await cartChip.waitFor({ state: 'detached', timeout: 60_000 });
    assert.equal(await frame.locator('.chip', { hasText: 'Untitled' }).count(), 0, 'the export is not context');
    await screenshot(page, 'trial-06-export-not-context');
  });

  it(
    'asked in plain words, the agent hands exploration to a subagent; /compact then summarizes the older steps',
    STEP,
    async () => {
      const frame = await openChatView(page);
      await frame.locator('#new-chat').click();
      await frame.locator('.message').first().waitFor({ state: 'detached', timeout: 60_000 });
      await sendMessage(frame, 'Make the failing test pass', 60_000);
      await (await card(frame, 'edit_file', 'waiting')).locator('button.approve').click();
      await (await card(frame, 'run_command', 'waiting')).locator('button.approve').click();
      await card(frame, 'run_command', 'done', 120_000);
      await lastStatus(frame, 'done');

      await sendMessage(frame, 'Use a subagent to find out how the cart is tested', 60_000);
      const sub = await card(frame, 'run_subagent', 'done', 120_000);
      await lastStatus(frame, 'done');
      assert.ok((await sub.locator('.subagent-step').count()) >= 2, 'the subagent’s own steps are on its card');
      assert.match(await lastAnswerText(frame), /The subagent explored for me\. Its report:\s+Report: I read 3 files/);
      await screenshot(page, 'trial-07-subagent');

      await sendMessage(frame, '/compact', 60_000);
      await frame
        .locator('.message.assistant[data-status="done"]', { hasText: /Compacted \S+ → \S+ tokens\./ })
        .waitFor({ state: 'visible', timeout: 120_000 });
      await screenshot(page, 'trial-08-compacted');
    },
  );

  it('Plan mode reads and answers with a plan; Act on this plan starts the Agent task with it', STEP, async () => {
    cpSync(path.join(projectRoot, 'examples/trial', CART), cart); // git checkout examples/trial
    const frame = await openChatView(page);
    await chooseMode(frame, 'plan');
    await frame.locator('#new-chat').click();
    await frame.locator('.message').first().waitFor({ state: 'detached', timeout: 60_000 });
    await sendMessage(frame, 'Make the failing test pass', 60_000);
    const plan = frame.locator('.message.assistant[data-status="done"]', { has: frame.locator('.plan-act') });
    await plan.waitFor({ state: 'visible', timeout: 120_000 });
    assert.match(
      await plan.innerText(),
      /In src\/cart\.js, change return unitPrice \+ quantity; to return unitPrice \* quantity;[\s\S]*Run npm test/,
    );
    // The plan opens as a document beside the chat, as the note under it says.
    await page.locator('.tab.active', { hasText: /^plan-.*\.md/ }).waitFor({ state: 'visible', timeout: 60_000 });
    await screenshot(page, 'trial-09-plan');
    await plan.locator('.plan-act').click();
    const agent = await openChatView(page);
    await agent.waitForFunction(() => document.querySelector('#mode-agent')?.getAttribute('aria-pressed') === 'true');
    assert.match(await agent.locator('.message.user').first().innerText(), /^Carry out this plan/);
    await card(agent, 'edit_file', 'waiting');
    await agent.locator('#stop').click();
    await lastStatus(agent, 'stopped');
    assert.match(readFileSync(cart, 'utf8'), /unitPrice \+ quantity/, 'Stop wrote nothing');
  });

  it('a task budget moves the remaining steps to a cheaper model instead of stopping, and says why', STEP, async () => {
    // As the README says: undo the fix (git checkout examples/trial), pick Claude Sonnet 4, a New
    // Chat in Agent mode, Change Task Budget → Move the remaining steps to a cheaper model → 0.10.
    cpSync(path.join(projectRoot, 'examples/trial', CART), cart);
    const frame = await openChatView(page);
    await frame.locator('#model-badge').click();
    await pickQuickItem(page, /Claude Sonnet 4/, { filter: 'claude sonnet' });
    await frame.locator('#model-badge', { hasText: 'Claude Sonnet 4' }).waitFor({ timeout: 60_000 });
    await chooseMode(frame, 'agent');
    await frame.locator('#new-chat').click();
    await frame.locator('.message').first().waitFor({ state: 'detached', timeout: 60_000 });
    await runCommandAndPick(page, 'Switchyard: Change Task Budget', 'Move the remaining steps to a cheaper model');
    await typeIntoQuickInput(page, '0.10');
    await sendMessage(frame, 'Make the failing test pass', 60_000);
    await (await card(frame, 'edit_file', 'waiting', 120_000)).locator('button.approve').click();
    await (await card(frame, 'run_command', 'waiting', 120_000)).locator('button.approve').click();
    await card(frame, 'run_command', 'done', 120_000);
    await lastStatus(frame, 'done');
    assert.match(await lastAnswerText(frame), /npm test passes \(exit code 0\)/, 'the task went on to the end');

    // The step that crossed says who took over and why; it and every later step ran there.
    const notice = frame.locator('.route-notice', { hasText: 'Budget: moved to' });
    assert.equal(await notice.count(), 1);
    const said = await notice.innerText();
    const movedTo = /^Budget: moved to (\S+) \(from anthropic\/claude-sonnet-4\)/.exec(said)?.[1];
    assert.ok(movedTo && movedTo !== 'anthropic/claude-sonnet-4', said);
    assert.match(
      said,
      /the task has cost \$[\d.]+; its next step could bring it to \$[\d.]+, over this task's budget of \$0\.10/,
    );
    const served = await frame
      .locator('.message.assistant')
      .evaluateAll((els) =>
        els.map((e) => [!!e.querySelector('.route-notice'), e.querySelector('.meta-model')?.textContent]),
      );
    const at = served.findIndex(([moved]) => moved);
    assert.ok(
      served.slice(0, at).every(([, m]) => m === 'anthropic/claude-sonnet-4'),
      JSON.stringify(served),
    );
    assert.ok(
      served.slice(at).every(([, m]) => m === movedTo),
      JSON.stringify(served),
    );
    // The header: the spend against the budget, the forecast, and the model that took over.
    await frame
      .locator('#task-spend', { hasText: /^Task: \d+ steps · \$[\d.]+ of \$0\.10$/ })
      .waitFor({ timeout: 60_000 });
    assert.match(
      await frame.locator('#task-forecast').innerText(),
      new RegExp(`budget lasts .* · moved to ${movedTo}$`),
    );
    await notice.scrollIntoViewIfNeeded();
    await screenshot(page, 'trial-10-budget-downgrade');
  });
});
