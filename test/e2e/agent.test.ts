/**
 * Agent mode in a real VS Code (code-server + Chromium) against the fake OpenRouter's scripted
 * tool-using model, driven as a person would: switch the composer to Agent, hand it "make the
 * test pass" in a workspace whose `node --test` fails; the model reads the files, proposes an edit
 * (the diff is shown and nothing is written until Approve), runs the test (a command card,
 * approved, with output and exit code), and finishes with a summary; Restore checkpoint brings
 * the file back. Then a task stopped mid-command, a rejected edit whose feedback reaches the
 * model, and a task whose first model fails after two tool calls and finishes on the fallback
 * without re-running a tool.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import type { AgentScript } from '../fake-openrouter/agent';
import { toolResultTexts } from '../fake-openrouter/answer';
import { newTask, startTask } from './harness/chatView';
import { useSwitchyard } from './harness/session';
import { openChatView } from './harness/workbench';

const KEY = 'sk-or-v1-e2e-agent-0123456789abcdef012345';
const MODEL = 'anthropic/claude-sonnet-4';
const FALLBACK = 'openai/gpt-4o-mini';
const STEP = { timeout: 240_000 };

const BROKEN = 'export function add(a, b) {\n  return a - b;\n}\n';
const FIXED = 'export function add(a, b) {\n  return a + b;\n}\n';
const TEST =
  "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { add } from '../src/calc.js';\n\ntest('add adds', () => {\n  assert.equal(add(2, 3), 5);\n});\n";

const call = (name: string, args: unknown) => ({ name, arguments: JSON.stringify(args) });

const SCRIPT: AgentScript = {
  turns: [
    // Task 1: make the failing test pass.
    {
      when: { userIncludes: 'make the test pass', step: 0 },
      text: 'Let me read the test and the code.',
      reasoning: true,
      shape: 'interleaved',
      toolCalls: [call('read_file', { path: 'test/calc.test.js' }), call('read_file', { path: 'src/calc.js' })],
    },
    {
      when: { userIncludes: 'make the test pass', step: 1 },
      text: 'add() subtracts; fixing it.',
      toolCalls: [
        call('edit_file', { path: 'src/calc.js', edits: [{ old_text: 'return a - b;', new_text: 'return a + b;' }] }),
      ],
    },
    {
      when: { userIncludes: 'make the test pass', step: 2 },
      toolCalls: [call('run_command', { command: 'node --test' })],
      shape: 'whole',
    },
    {
      when: { userIncludes: 'make the test pass', toolResultIncludes: 'exit code 0' },
      text: 'Done: add() returned a - b; it now returns a + b, and node --test passes.',
    },
    { when: { userIncludes: 'make the test pass', step: 3 }, text: 'The test still fails.' },
    // Task 2: a command that never ends, stopped by the user.
    {
      when: { userIncludes: 'slow script', step: 0 },
      toolCalls: [call('run_command', { command: 'node scripts/slow.js' })],
    },
    { when: { userIncludes: 'slow script' }, text: 'The slow script ended.' },
    // Task 3: an edit the user rejects with feedback.
    {
      when: { userIncludes: 'rename add', step: 0 },
      toolCalls: [
        call('edit_file', {
          path: 'src/calc.js',
          edits: [{ old_text: 'export function add(', new_text: 'export function sum(' }],
        }),
      ],
    },
    {
      when: { userIncludes: 'rename add', toolResultIncludes: 'Their feedback: keep the name add' },
      text: 'Understood: I kept the name add, as you asked.',
    },
    { when: { userIncludes: 'rename add' }, text: 'No feedback arrived.' },
    // Task 4: the first model fails after two tool calls; the fallback finishes.
    {
      when: { userIncludes: 'inspect the project', step: 0 },
      toolCalls: [call('list_files', {}), call('read_file', { path: 'package.json' })],
    },
    {
      when: { userIncludes: 'inspect the project', step: 1 },
      failFor: { models: [MODEL], status: 503 },
      text: 'Inspected on the fallback: a package with one test.',
    },
  ],
};

const session = useSwitchyard({
  env: { OPENROUTER_API_KEY: KEY },
  settings: {
    'switchyard.model': MODEL,
    'switchyard.fallbackModels': [FALLBACK],
    'switchyard.timeoutSeconds': 30,
    'switchyard.attachEditorContext': false,
    'switchyard.agent.commandTimeoutSeconds': 60,
  },
  files: {
    'package.json': '{\n  "name": "calc",\n  "type": "module"\n}\n',
    'src/calc.js': BROKEN,
    'test/calc.test.js': TEST,
    'scripts/slow.js': "console.log('slow script started');\nsetInterval(() => {}, 1000);\n",
  },
});

/** Waits for a tool card of `tool` in `state` (the last such card). */
async function card(frame: Frame, tool: string, state: string, timeout = 90_000) {
  const locator = frame.locator(`.tool-card[data-tool="${tool}"][data-state="${state}"]`).last();
  await locator.waitFor({ state: 'visible', timeout });
  return locator;
}

const diskText = (workspace: string, rel: string): string => readFileSync(path.join(workspace, rel), 'utf8');

async function waitForDisk(
  page: Page,
  workspace: string,
  rel: string,
  expected: string,
  timeout = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeout;
  while (diskText(workspace, rel) !== expected) {
    if (Date.now() > deadline) assert.equal(diskText(workspace, rel), expected, `${rel} on disk`);
    await page.waitForTimeout(200);
  }
}

/** The tool messages of every chat request, as the fake received them. */
function toolResults(s: ReturnType<typeof session>): string[] {
  // A tool result is a string, or text parts (one may carry the prompt-cache breakpoint).
  return (s.fake?.chatRequests() ?? []).flatMap((r) => toolResultTexts(r.body));
}

describe('Agent mode in a real VS Code', { timeout: 1_200_000 }, () => {
  it(
    'makes a failing test pass: reads, edit shown as a diff and written only on Approve, the test run approved, a summary; Restore checkpoint brings the file back',
    STEP,
    async () => {
      const s = session();
      s.fake!.setAgentScript(SCRIPT);
      const frame = await openChatView(s.page);
      await frame.locator('#mode-agent').click();
      await frame.waitForFunction(
        () => document.querySelector('#mode-agent')?.getAttribute('aria-pressed') === 'true',
        undefined,
        { timeout: 60_000 },
      );
      assert.equal(
        await frame.locator('#input').getAttribute('placeholder'),
        'Describe a task for the agent (Enter to start)',
      );
      await startTask(frame, 'make the test pass');

      // Reads run without asking; the edit waits, with its diff on the card and in the editor.
      const reads = frame.locator('.tool-card[data-tool="read_file"][data-state="done"]');
      const edit = await card(frame, 'edit_file', 'waiting');
      assert.equal(await reads.count(), 2);
      assert.deepEqual(await frame.locator('.tool-card[data-tool="read_file"] .tool-title').allInnerTexts(), [
        'Read test/calc.test.js',
        'Read src/calc.js',
      ]);
      assert.match(await edit.locator('.tool-diff').innerText(), /-\s+return a - b;\n\+\s+return a \+ b;/);
      await s.page
        .locator('.tab', { hasText: 'proposed by the agent' })
        .first()
        .waitFor({ state: 'visible', timeout: 60_000 });
      assert.equal(diskText(s.workspace, 'src/calc.js'), BROKEN, 'nothing is written before Approve');
      await s.screenshot('60-agent-edit-waiting');
      await edit.locator('button.approve').click();

      // The file is written (saved), then the test run asks.
      await waitForDisk(s.page, s.workspace, 'src/calc.js', FIXED);
      const run = await card(frame, 'run_command', 'waiting');
      assert.equal(await run.locator('.tool-title').innerText(), 'Run node --test');
      await s.screenshot('61-agent-command-waiting');
      await run.locator('button.approve').click();
      const ran = await card(frame, 'run_command', 'done', 120_000);
      assert.match(await ran.locator('.tool-summary').innerText(), /exit code 0/);
      const answer = frame.locator('.message.assistant', { hasText: 'Done: add() returned a - b' });
      await answer.waitFor({ state: 'visible', timeout: 60_000 });
      await frame.waitForFunction(
        () => [...document.querySelectorAll('.message.assistant')].at(-1)?.getAttribute('data-status') === 'done',
        undefined,
        { timeout: 60_000 },
      );
      // The test's output reached the model with its exit code.
      const output = toolResults(s).find((t) => /exit code 0/.test(t)) ?? '';
      assert.match(output, /pass 1/);
      // The header is updated by its own message from the host, which can come after the answer's.
      await frame.locator('#task-spend', { hasText: /^Task: 4 steps · \$\d+\.\d+$/ }).waitFor({ timeout: 60_000 });
      await ran.locator('.tool-result summary').click();
      await s.screenshot('62-agent-done');

      // Restore checkpoint on the edit's step: the file is back, the step says so.
      const editStep = frame.locator('.message.assistant', { has: frame.locator('.tool-card[data-tool="edit_file"]') });
      await editStep.locator('button.restore-checkpoint').click();
      await waitForDisk(s.page, s.workspace, 'src/calc.js', BROKEN);
      await editStep.locator('.checkpoint-restored').waitFor({ state: 'visible', timeout: 60_000 });
      await s.screenshot('63-agent-restored');
      assert.ok(!s.extensionLog().includes(KEY));
    },
  );

  it('Stop mid-command interrupts the command and ends the task', STEP, async () => {
    const s = session();
    const frame = await openChatView(s.page);
    await newTask(frame);
    await startTask(frame, 'run the slow script');
    const run = await card(frame, 'run_command', 'waiting');
    await run.locator('button.approve').click();
    await card(frame, 'run_command', 'running');
    // The command really started before Stop.
    await s.page.waitForTimeout(1500);
    await s.screenshot('64-agent-command-running');
    await frame.locator('#stop').click();
    const stopped = frame.locator('.tool-card[data-tool="run_command"]').last();
    await frame.waitForFunction(
      () =>
        ['failed', 'rejected'].includes(
          document.querySelector('.tool-card[data-tool="run_command"]')?.getAttribute('data-state') ?? '',
        ),
      undefined,
      { timeout: 60_000 },
    );
    await frame.waitForFunction(
      () => [...document.querySelectorAll('.message.assistant')].at(-1)?.getAttribute('data-status') === 'stopped',
      undefined,
      { timeout: 60_000 },
    );
    assert.match(await stopped.locator('.tool-summary').innerText(), /interrupted|stopped/);
    await frame.locator('#send').waitFor({ state: 'visible', timeout: 60_000 });
    // Nothing further went to the model after Stop.
    const requests = s.fake!.chatRequests().filter((r) => JSON.stringify(r.body).includes('slow script'));
    assert.equal(requests.length, 1);
    assert.equal(await frame.locator('.message.assistant', { hasText: 'The slow script ended.' }).count(), 0);
    await s.screenshot('65-agent-stopped');
  });

  it('a rejected edit writes nothing and its feedback reaches the model', STEP, async () => {
    const s = session();
    const frame = await openChatView(s.page);
    await newTask(frame);
    const before = diskText(s.workspace, 'src/calc.js');
    await startTask(frame, 'rename add to sum');
    const edit = await card(frame, 'edit_file', 'waiting');
    await edit.locator('.tool-feedback').fill('keep the name add');
    await s.screenshot('66-agent-reject-feedback');
    await edit.locator('button.reject').click();
    await card(frame, 'edit_file', 'rejected');
    await frame
      .locator('.message.assistant', { hasText: 'Understood: I kept the name add, as you asked.' })
      .waitFor({ state: 'visible', timeout: 60_000 });
    assert.ok(
      toolResults(s).includes('The user rejected this edit; it was not applied. Their feedback: keep the name add'),
    );
    assert.equal(diskText(s.workspace, 'src/calc.js'), before);
    await s.screenshot('67-agent-rejected');
  });

  it(
    'a model that fails after two tool calls: the fallback finishes with the same transcript, no tool runs twice',
    STEP,
    async () => {
      const s = session();
      const frame = await openChatView(s.page);
      await newTask(frame);
      s.fake!.clearRequests();
      await startTask(frame, 'inspect the project');
      const answer = frame.locator('.message.assistant', { hasText: 'Inspected on the fallback' });
      await answer.waitFor({ state: 'visible', timeout: 90_000 });
      await frame.waitForFunction(
        () => [...document.querySelectorAll('.message.assistant')].at(-1)?.getAttribute('data-status') === 'done',
        undefined,
        { timeout: 60_000 },
      );
      // Each tool ran once: one card each, and one result each in the request the fallback answered.
      assert.equal(await frame.locator('.tool-card[data-tool="list_files"]').count(), 1);
      assert.equal(await frame.locator('.tool-card[data-tool="read_file"]').count(), 1);
      // GPT takes another body than Claude (no cache breakpoints): Claude's 503, then GPT's own request.
      const asked = s.fake!.chatRequests().slice(-2);
      assert.deepEqual(
        asked.map((r) => r.attempts?.map((a) => [a.model, a.status])),
        [[[MODEL, 503]], [[FALLBACK, 200]]],
      );
      const last = asked[1]!;
      const tools = (last.body as { messages: { role: string }[] }).messages.filter((m) => m.role === 'tool');
      assert.equal(tools.length, 2);
      // The switch is shown on the step where it happened: served by the fallback.
      assert.match(await answer.locator('.meta').innerText(), /gpt-4o-mini/);
      await answer.locator('.fallback').waitFor({ state: 'visible' });
      await s.screenshot('68-agent-fallback');
    },
  );
});
