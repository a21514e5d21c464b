/**
 * Routed agent steps in a real VS Code (code-server + Chromium) against the fake OpenRouter,
 * driven as a person would (issue 23): each step's card says which model served it and why; the
 * model hands an exploration to `run_subagent`, which runs on a cheaper model and shows as one
 * card with its own steps; then, in the same task, a long read makes the next step cross the task
 * budget and `onBudget: downgrade` moves the remaining steps to a cheaper model, said on the step
 * and in the header.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Frame } from 'playwright-core';
import type { AgentScript } from '../fake-openrouter/agent';
import { useSwitchyard } from './harness/session';
import { openChatView } from './harness/workbench';

const KEY = 'sk-or-v1-e2e-routed-0123456789abcdef0123';
const MODEL = 'anthropic/claude-sonnet-4';
const STEP = { timeout: 300_000 };
const call = (name: string, args: unknown) => ({ name, arguments: JSON.stringify(args) });

const SCRIPT: AgentScript = {
  turns: [
    { when: { userIncludes: 'SUBTASK', step: 0 }, toolCalls: [call('search_text', { query: 'port' })] },
    { when: { userIncludes: 'SUBTASK', step: 1 }, text: 'REPORT: the port is set in config.txt, line 1.' },
    {
      when: { userIncludes: 'where is the port', step: 0 },
      toolCalls: [call('run_subagent', { task: 'SUBTASK: find where the port is configured' })],
    },
    { when: { userIncludes: 'where is the port' }, text: 'The port is configured in config.txt (line 1).' },
    // Three long reads: the prompt, and so each step's worst case, grows until the next step would cross the budget.
    { when: { userIncludes: 'read the notes', step: 0 }, toolCalls: [call('read_file', { path: 'notes.txt' })] },
    { when: { userIncludes: 'read the notes', step: 1 }, toolCalls: [call('read_file', { path: 'notes2.txt' })] },
    { when: { userIncludes: 'read the notes', step: 2 }, toolCalls: [call('read_file', { path: 'notes3.txt' })] },
    { when: { userIncludes: 'read the notes', step: 3 }, toolCalls: [call('list_files', {})] },
    { when: { userIncludes: 'read the notes' }, text: 'Read the notes and listed the files.' },
  ],
};

const session = useSwitchyard({
  env: { OPENROUTER_API_KEY: KEY },
  settings: {
    'switchyard.model': MODEL,
    'switchyard.attachEditorContext': false,
    // A step's worst case is ~$0.03 with 1024 output tokens; each long read adds ~$0.012 to it and to the spend.
    'switchyard.maxOutputTokens': 1024,
    'switchyard.agent.taskBudgetUsd': 0.06,
    'switchyard.routing.onBudget': 'downgrade',
  },
  files: {
    'config.txt': 'port = 8080\n',
    'notes.txt': 'lorem ipsum dolor sit amet\n'.repeat(700),
    'notes2.txt': 'consectetur adipiscing elit\n'.repeat(700),
    'notes3.txt': 'sed do eiusmod tempor\n'.repeat(800),
  },
});

async function send(frame: Frame, text: string): Promise<void> {
  const input = frame.locator('#input');
  await input.fill(text);
  await input.press('Enter');
}

describe('Routed agent steps in a real VS Code', { timeout: 900_000 }, () => {
  it(
    'steps show their model and why; a subagent card on a cheaper model; a downgrade on budget shows who took over',
    STEP,
    async () => {
      const s = session();
      s.fake!.setAgentScript(SCRIPT);
      const frame = await openChatView(s.page);
      await frame.locator('#mode-agent').click();
      await frame.waitForFunction(() => document.querySelector('#mode-agent')?.getAttribute('aria-pressed') === 'true');
      await send(frame, 'where is the port configured?');

      const sub = frame.locator('.tool-card[data-tool="run_subagent"][data-state="done"]');
      await sub.waitFor({ state: 'visible', timeout: 120_000 });
      await frame
        .locator('.message.assistant', { hasText: 'The port is configured in config.txt' })
        .waitFor({ state: 'visible', timeout: 120_000 });
      const subModels = await sub
        .locator('.subagent-step')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-model')));
      assert.equal(subModels.length, 2);
      assert.ok(
        subModels.every((m) => m && m !== MODEL),
        `subagent on a cheaper model: ${subModels.join(', ')}`,
      );
      const subBodies = s.fake!.chatRequests().filter((r) => JSON.stringify(r.body).includes('SUBTASK: find'));
      assert.ok(subBodies.some((r) => (r.body as { model: string }).model === subModels[0]));
      // Finished, the steps are collapsed: open them as a person would.
      await sub.locator('.subagent-steps summary').click();
      assert.match(
        await sub.locator('.subagent-step-route').first().innerText(),
        /^explore tier: cheapest tool-capable model/,
      );
      const routes = await frame.locator('.step-route').allInnerTexts();
      assert.ok(routes.length >= 2);
      assert.match(routes[0]!, /^act tier: the picked model · router: anthropic\/claude-sonnet-4 by pick/);
      await sub.scrollIntoViewIfNeeded();
      await s.screenshot('90-agent-subagent-card');

      await send(frame, 'read the notes');
      await frame
        .locator('.message.assistant', { hasText: 'Read the notes and listed the files.' })
        .waitFor({ state: 'visible', timeout: 150_000 });
      const notice = frame.locator('.route-notice', { hasText: 'Budget: moved to' }).last();
      await notice.waitFor({ state: 'visible', timeout: 60_000 });
      const movedTo = /Budget: moved to (\S+) \(from anthropic\/claude-sonnet-4\)/.exec(await notice.innerText())?.[1];
      assert.ok(movedTo && movedTo !== MODEL, `moved to ${movedTo}`);
      const last = s.fake!.chatRequests().at(-1)!.body as { model: string };
      assert.equal(last.model, movedTo);
      // The forecast is redrawn by the task's own update: wait for it to name the new model.
      await frame
        .locator('#task-forecast', { hasText: new RegExp(`moved to ${movedTo.replace(/[/.]/g, '\\$&')}`) })
        .waitFor({ timeout: 60_000 });
      await frame
        .locator('#task-spend', { hasText: /^Task: \d+ steps · \$\d+\.\d+ of \$0\.06$/ })
        .waitFor({ timeout: 60_000 });
      await notice.scrollIntoViewIfNeeded();
      await s.screenshot('91-agent-budget-downgrade');
    },
  );
});
