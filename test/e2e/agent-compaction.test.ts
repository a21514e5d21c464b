/**
 * A long agent task compacts and goes on (issue 23), in a real VS Code against the fake
 * OpenRouter, driven as a person would: the user starts the fake's scripted long task on its
 * 32K-context model in Agent mode; once the prompt passes 85 % of the context a "Compacted … →
 * … tokens" step appears with its model and cost, and the task goes on to its answer, the earlier
 * steps still shown. The step after the compaction still sends every kept call with its result
 * (the fake refuses a broken replay), with the summary after the unchanged system message. Then
 * `/compact` typed as the message compacts again on demand.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Frame } from 'playwright-core';
import { FIXTURE_MODELS } from '../fake-openrouter/catalogue';
import { LONG_TASK_REQUEST, longTaskFiles, longTaskScript } from '../fake-openrouter/longTask';
import { useSwitchyard } from './harness/session';
import { openChatView } from './harness/workbench';

const KEY = 'sk-or-v1-e2e-agent-compaction-0123456789ab';
const STEPS = 16;
const STEP = { timeout: 300_000 };

const session = useSwitchyard({
  env: { OPENROUTER_API_KEY: KEY },
  settings: {
    'switchyard.model': FIXTURE_MODELS.agent32k,
    'switchyard.timeoutSeconds': 30,
    'switchyard.attachEditorContext': false,
  },
  files: { 'package.json': '{\n  "name": "notes"\n}\n', ...longTaskFiles(STEPS, 2500) },
});

async function agentMode(frame: Frame): Promise<void> {
  await frame.locator('#mode-agent').click();
  await frame.waitForFunction(
    () => document.querySelector('#mode-agent')?.getAttribute('aria-pressed') === 'true',
    undefined,
    { timeout: 60_000 },
  );
}

async function send(frame: Frame, text: string): Promise<void> {
  const input = frame.locator('#input');
  await input.fill(text);
  await input.press('Enter');
}

interface Body {
  tools?: unknown[];
  messages: { role: string; content: unknown; tool_calls?: { id: string }[]; tool_call_id?: string }[];
}
const textOf = (content: unknown): string =>
  typeof content === 'string' ? content : (content as { text: string }[]).map((p) => p.text).join('');

describe('a long agent task compacts and goes on', { timeout: 600_000 }, () => {
  it('shows a compaction step, then finishes; /compact compacts again', STEP, async () => {
    const s = session();
    s.fake!.setAgentScript(longTaskScript(STEPS));
    s.fake!.setOptions({ tokenDelayMs: 0 });
    const frame = await openChatView(s.page);
    await agentMode(frame);
    await send(frame, LONG_TASK_REQUEST);

    const compacted = frame.locator('.message.assistant', { hasText: /Compacted [\d.]+k → [\d.]+k tokens/ }).first();
    await compacted.waitFor({ state: 'visible', timeout: 180_000 });
    await compacted.scrollIntoViewIfNeeded();
    await s.screenshot('agent-compaction-step');
    assert.match(
      await compacted.innerText(),
      /earlier steps? (was|were) summarized for the model; (it stays|they stay) here in full/,
    );
    assert.match(await compacted.locator('.meta').innerText(), /\$/, 'the step shows its cost');

    // The task goes on to its answer; the first steps are still in the view.
    await frame
      .locator('.message.assistant', { hasText: `All ${STEPS - 1} parts read` })
      .waitFor({ state: 'visible', timeout: 180_000 });
    await s.screenshot('agent-compaction-finished');

    const requests = s.fake!.chatRequests();
    assert.ok(
      requests.every((r) => r.status === 200),
      'no replay was refused',
    );
    const bodies = requests.map((r) => r.body as Body);
    const at = bodies.findIndex((b) => !Array.isArray(b.tools));
    assert.ok(at > 0, 'a summary request went out');
    const [beforeIt, afterIt] = [bodies[at - 1]!, bodies[at + 1]!];
    assert.deepEqual(afterIt.messages[0], beforeIt.messages[0], 'the system message is unchanged');
    assert.match(textOf(afterIt.messages[1]!.content), /^\[Compacted transcript\]/);
    const answered = new Set(afterIt.messages.flatMap((m) => (m.role === 'tool' ? [m.tool_call_id] : [])));
    const calls = afterIt.messages.flatMap((m) => (m.tool_calls ?? []).map((c) => c.id));
    assert.ok(calls.length >= 4 && calls.every((id) => answered.has(id)), 'every kept call has its result');

    // On demand: /compact as the message.
    // (The long task may have compacted more than once: wait for one more compaction card than now.)
    const before = requests.length;
    const cards = frame.locator('.message.assistant', { hasText: /Compacted [\d.]+k → [\d.]+k tokens/ });
    const shown = await cards.count();
    await send(frame, '/compact');
    await cards.nth(shown).waitFor({ state: 'visible', timeout: 120_000 });
    const summary = s.fake!.chatRequests().slice(before);
    assert.equal(summary.length, 1);
    assert.ok(!Array.isArray((summary[0]!.body as Body).tools), 'the summary request carries no tools');
    await s.screenshot('agent-compaction-on-demand');
  });
});
