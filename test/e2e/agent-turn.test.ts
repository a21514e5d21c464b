/**
 * An agent step is one turn like an Ask answer (issue 19), in a real VS Code against the fake
 * OpenRouter's scripted tool-using model, driven as a person would: the step's thinking streams
 * into a Thinking section that collapses once the step acts (and opens again on a click), and a
 * step stopped mid-answer still counts: the task header's spend equals what the fake billed.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Frame } from 'playwright-core';
import type { AgentScript } from '../fake-openrouter/agent';
import { newTask, startTask } from './harness/chatView';
import { useSwitchyard } from './harness/session';
import { waitUntil } from './harness/wait';
import { openChatView } from './harness/workbench';

const KEY = 'sk-or-v1-e2e-agent-turn-0123456789abcdef0';
const MODEL = 'anthropic/claude-sonnet-4';
const STEP = { timeout: 240_000 };

const SCRIPT: AgentScript = {
  turns: [
    {
      when: { userIncludes: 'look around', step: 0 },
      text: 'Listing the files.',
      reasoning: true,
      toolCalls: [{ name: 'list_files', arguments: '{}' }],
    },
    { when: { userIncludes: 'look around' }, text: 'There is a package and one source file.' },
    { when: { userIncludes: 'explain the project' }, text: 'This project has one module. '.repeat(40) },
  ],
};

const session = useSwitchyard({
  env: { OPENROUTER_API_KEY: KEY },
  settings: { 'switchyard.model': MODEL, 'switchyard.timeoutSeconds': 30, 'switchyard.attachEditorContext': false },
  files: {
    'package.json': '{\n  "name": "calc",\n  "type": "module"\n}\n',
    'src/calc.js': 'export const add = (a, b) => a + b;\n',
  },
});

async function agentMode(frame: Frame): Promise<void> {
  await frame.locator('#mode-agent').click();
  await frame.waitForFunction(
    () => document.querySelector('#mode-agent')?.getAttribute('aria-pressed') === 'true',
    undefined,
    { timeout: 60_000 },
  );
}

describe('an agent step is a turn like an Ask answer', { timeout: 600_000 }, () => {
  it("shows the step's thinking while it streams and collapses it once the step acts", STEP, async () => {
    const s = session();
    s.fake!.setAgentScript(SCRIPT);
    s.fake!.setOptions({ tokenDelayMs: 400 });
    const frame = await openChatView(s.page);
    await agentMode(frame);
    await startTask(frame, 'look around');

    const thinking = frame.locator('.message.assistant details.thinking').first();
    await thinking.waitFor({ state: 'visible', timeout: 60_000 });
    // Open while it streams, its words arriving (checked in the page as they show: a read after
    // the section opened could find only the first word, or the section folded already).
    await frame.waitForFunction(
      () => {
        const details = document.querySelector<HTMLDetailsElement>('.message.assistant details.thinking');
        return (
          details?.open === true && /Checking what/.test(details.querySelector('.thinking-body')?.textContent ?? '')
        );
      },
      undefined,
      { timeout: 60_000, polling: 'raf' },
    );
    await s.screenshot('70-agent-step-thinking');

    // The step acts (its text, its tool call): the thinking folds to one line.
    await frame
      .locator('.tool-card[data-tool="list_files"][data-state="done"]')
      .waitFor({ state: 'visible', timeout: 60_000 });
    await frame.waitForFunction(
      () =>
        (document.querySelector('.message.assistant details.thinking') as HTMLDetailsElement | null)?.open === false,
      undefined,
      { timeout: 60_000 },
    );
    assert.match(await thinking.locator('.thinking-summary').innerText(), /^Thought/);
    await frame
      .locator('.message.assistant', { hasText: 'There is a package and one source file.' })
      .waitFor({ state: 'visible', timeout: 60_000 });
    await s.screenshot('71-agent-step-thinking-collapsed');

    // A click opens it again, with the whole thinking.
    await thinking.locator('.thinking-summary').click();
    await frame.waitForFunction(
      () => (document.querySelector('.message.assistant details.thinking') as HTMLDetailsElement | null)?.open === true,
      undefined,
      { timeout: 60_000 },
    );
    assert.match(await thinking.locator('.thinking-body').innerText(), /Checking what the test expects\./);
    await s.screenshot('72-agent-step-thinking-reopened');
    s.fake!.setOptions({ tokenDelayMs: 5 });
  });

  it("Stop mid-step: the task header's spend equals what the fake billed", STEP, async () => {
    const s = session();
    s.fake!.setAgentScript(SCRIPT);
    const frame = await openChatView(s.page);
    await agentMode(frame);
    await newTask(frame);
    s.fake!.clearRequests();
    s.fake!.setOptions({ tokenDelayMs: 150 });
    await startTask(frame, 'explain the project');
    await frame
      .locator('.message.assistant', { hasText: 'This project has one module.' })
      .waitFor({ state: 'visible', timeout: 60_000 });
    await frame.locator('#stop').click();
    await s.screenshot('73-agent-stop-clicked');
    try {
      await frame.waitForFunction(
        () => [...document.querySelectorAll('.message.assistant')].at(-1)?.getAttribute('data-status') === 'stopped',
        undefined,
        { timeout: 60_000 },
      );
    } catch (error) {
      await s.screenshot('73-agent-stop-failure');
      const status = await frame.locator('.message.assistant').last().getAttribute('data-status');
      const log = s
        .extensionLog()
        .split('\n')
        .filter((l) => /agent|stop|chat/i.test(l))
        .slice(-15)
        .join('\n');
      throw new Error(`the step did not end stopped (data-status ${status}):\n${log}`, { cause: error });
    }
    s.fake!.setOptions({ tokenDelayMs: 5 });

    const ids = new Set(s.fake!.chatRequests().map((r) => r.generationId));
    const generations = s.fake!.generations.all().filter((g) => ids.has(g.id));
    assert.equal(generations.length, 1, 'one request, stopped');
    // The view shows the step stopped before the fake hears the connection close: wait for it.
    await waitUntil(() => generations[0]!.cancelled === true, 60_000, 'the fake saw the request cancelled');
    const billed = generations[0]!.usage.cost;
    assert.ok(billed > 0);
    // The header shows the task's spend; its tooltip has the exact figure (looked up once the step ended).
    const header = frame.locator('#task-spend');
    await frame.waitForFunction(
      (usd) => new RegExp(`cost ${usd} USD`).test(document.querySelector('#task-spend')?.getAttribute('title') ?? ''),
      String(billed),
      { timeout: 60_000 },
    );
    assert.match(await header.innerText(), /^Task: 0 steps · \$0\.\d+$/);
    await s.screenshot('74-agent-stopped-spend');
  });
});
