/**
 * A new user's first hour (issue 16), driven as a person would in a real VS Code (code-server +
 * Chromium) with a 300 px side bar: Ask About Selection gives one chip and sends the code once;
 * after an `@selection` message the automatic chip is back; Add Tests answers offer "Create test
 * file" (next to the source, never Apply over the selection). Each scenario checks what the user
 * sees and the exact request the fake OpenRouter received.
 */
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Frame } from 'playwright-core';
import { MATH_TS } from './harness/fixtures';
import { editorText, lastAnswerText, typeMention } from './harness/chatView';
import { useSwitchyard, type SwitchyardSession } from './harness/session';
import { chatFrame, openChatView, openFile, runCommand, selectLines, setSideBarWidth } from './harness/workbench';

const KEY = 'sk-or-v1-e2e-first-hour-0123456789abcdef';
const MODEL = 'openai/gpt-4o-mini';
const STEP = { timeout: 240_000 };
const SIDE_BAR_PX = 300;

const TESTS_ANSWER = `Tests for \`add\`:

\`\`\`ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { add } from './math';

test('adds two numbers', () => {
  assert.equal(add(2, 3), 5);
});
\`\`\`

Run them with \`node --test\`.`;

const session = useSwitchyard({
  env: { OPENROUTER_API_KEY: KEY },
  settings: { 'switchyard.model': MODEL, 'switchyard.timeoutSeconds': 20 },
});

type Body = { model: string; messages: { role: string; content: string }[] };

function lastBody(s: SwitchyardSession): Body {
  const body = s.fake?.chatRequests().at(-1)?.body as Body | undefined;
  assert.ok(body, 'the fake received a chat request');
  return body;
}

const occurrences = (text: string, part: string): number => text.split(part).length - 1;

async function send(frame: Frame, text: string): Promise<string> {
  const before = await frame.locator('.message.assistant').count();
  await frame.locator('#input').fill(text);
  await frame.locator('#input').press('Enter');
  await frame.waitForFunction((n) => document.querySelectorAll('.message.assistant').length > n, before, { timeout: 60_000 });
  return lastAnswerText(frame);
}

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
  }
}

const MULTIPLY_BODY = 'return a * b;';

describe('A new user’s first hour in a real VS Code (300 px side bar)', { timeout: 1_500_000 }, () => {
  it('Ask About Selection shows one chip for the selection and sends its code once', STEP, () => scenario('fh-01', async (s) => {
    await openChatView(s.page);
    const width = await setSideBarWidth(s.page, SIDE_BAR_PX);
    assert.ok(Math.abs(width - SIDE_BAR_PX) <= 4, `side bar is ${width} px`);
    await openFile(s.page, 'src/math.ts');
    await selectLines(s.page, 6, 8);
    const frame = await chatFrame(s.page);
    // The automatic chip for the selection appears first…
    await frame.locator('#chips .chip', { hasText: /math\.ts:6-8/ }).waitFor({ state: 'visible', timeout: 20_000 });
    // …then the user asks about it explicitly.
    await runCommand(s.page, 'Switchyard: Ask About Selection');
    const chat = await openChatView(s.page);
    await chat.locator('#input').click();
    // The editor reports its selection again when focus moves: still one chip.
    await chat.waitForFunction(() => document.activeElement?.id === 'input', undefined, { timeout: 10_000 });
    await chat.locator('#chips .chip', { hasText: /math\.ts:6-8/ }).waitFor({ state: 'visible', timeout: 20_000 });
    assert.equal(await chat.locator('#chips .chip').count(), 1, 'one chip for one selection');
    await s.screenshot('fh-01-ask-about-selection-one-chip');
    await send(chat, 'What does this do?');
    const sent = lastBody(s).messages.at(-1)!.content;
    assert.equal(occurrences(sent, MULTIPLY_BODY), 1, 'the selected code is in the request once');
    assert.equal(occurrences(sent, 'Selected code from src/math.ts:6-8'), 1);
    assert.equal(await chat.locator('.message.user').last().locator('.attachment').count(), 1, 'one chip under the sent message');
    await s.screenshot('fh-01-sent-once');
  }));

  it('after an @selection message the automatic chip for the still-selected text comes back', STEP, () => scenario('fh-02', async (s) => {
    await openFile(s.page, 'src/math.ts');
    await selectLines(s.page, 2, 4);
    const frame = await openChatView(s.page);
    await frame.locator('#chips .chip', { hasText: /math\.ts:2-4/ }).waitFor({ state: 'visible', timeout: 20_000 });
    const row = frame.locator('#mention-menu .mention-row[data-kind="selection"]').first();
    await typeMention(frame, '@sel', row);
    await row.click();
    await frame.waitForFunction(() => document.querySelectorAll('#chips .chip').length === 1 && /math\.ts:2-4/.test(document.querySelector('#chips')?.textContent ?? ''), undefined, { timeout: 20_000 });
    await send(frame, 'Explain this please');
    const sent = lastBody(s).messages.at(-1)!.content;
    assert.equal(occurrences(sent, 'return a + b;'), 1, 'the selection went once');
    // The text is still selected in the editor: its automatic chip is offered again.
    await frame.locator('#chips .chip', { hasText: /math\.ts:2-4/ }).waitFor({ state: 'visible', timeout: 20_000 });
    assert.equal(await frame.locator('#chips .chip').count(), 1);
    await s.screenshot('fh-02-auto-chip-back');
  }));

  it('Add Tests: the answer offers "Create test file" (no Apply), which creates src/math.test.ts and leaves math.ts alone', STEP, () => scenario('fh-03', async (s) => {
    s.fake?.setOptions({ answer: TESTS_ANSWER });
    await openFile(s.page, 'src/math.ts');
    await selectLines(s.page, 2, 4);
    const before = await (await chatFrame(s.page)).locator('.message.assistant').count();
    await runCommand(s.page, 'Switchyard: Add Tests');
    const frame = await openChatView(s.page);
    await frame.waitForFunction((n) => document.querySelectorAll('.message.assistant').length > n, before, { timeout: 60_000 });
    await lastAnswerText(frame);
    const sent = lastBody(s).messages.at(-1)!.content;
    assert.match(sent, /new file, src\/math\.test\.ts, next to the source/, 'the model is told where the tests go');
    const answer = frame.locator('.message.assistant').last();
    const create = answer.locator('.code-block button.use-code');
    await create.waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal((await create.innerText()).trim(), 'Create test file');
    assert.match((await create.getAttribute('title')) ?? '', /src\/math\.test\.ts/);
    assert.equal(await answer.locator('.code-block button.apply').count(), 0, 'no Apply that would overwrite the selection with tests');
    await s.screenshot('fh-03-add-tests-answer');
    await create.click();
    await s.page.locator('.tab.active[data-resource-name="math.test.ts"]').waitFor({ state: 'visible', timeout: 30_000 });
    await editorText(s.page, "test('adds two numbers'");
    const created = path.join(s.workspace, 'src/math.test.ts');
    await waitFor(() => existsSync(created) && readFileSync(created, 'utf8').includes("import { add } from './math';"));
    assert.equal(readFileSync(path.join(s.workspace, 'src/math.ts'), 'utf8'), MATH_TS, 'the code under test is untouched');
    await s.screenshot('fh-03-test-file-created');
  }));
});

async function waitFor(check: () => boolean, timeout = 20_000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}
