/**
 * A reasoning model's thinking, driven as a person would in a real VS Code (code-server +
 * Chromium) against the fake OpenRouter (issue 13): the effort is changed in the chat header and
 * the next request carries it; the thinking streams into an open "Thinking" section, which
 * collapses to one line (duration, tokens) once the answer starts; the meta line gives the
 * reasoning tokens; a turn that only thinks says there is no answer text, without an error.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lastAnswerText, sendMessage } from './harness/chatView';
import { useSwitchyard } from './harness/session';
import { SEL } from './harness/selectors';
import { closeQuickInput, pickQuickItem, quickInputTitle, waitForQuickInput } from './harness/quickInput';
import { openChatView } from './harness/workbench';

const KEY = 'sk-or-v1-e2e-reasoning-0123456789abcdef01';
const MODEL = 'anthropic/claude-sonnet-4';
const STEP = { timeout: 180_000 };

const session = useSwitchyard({
  env: { OPENROUTER_API_KEY: KEY },
  settings: { 'switchyard.model': MODEL, 'switchyard.fallbackModels': [] },
});

describe('Reasoning in a real VS Code', { timeout: 600_000 }, () => {
  it(
    'the effort picked in the header goes with the next request; the thinking shows while it streams, then collapses',
    STEP,
    async () => {
      const s = session();
      const frame = await openChatView(s.page);
      // The catalogue says Claude Sonnet 4 accepts reasoning, with its own efforts.
      const effort = frame.locator('#reasoning-effort');
      await effort.waitFor({ state: 'visible', timeout: 60_000 });
      const options = await effort
        .locator('option')
        .evaluateAll((nodes) => nodes.map((n) => (n as HTMLOptionElement).value));
      assert.deepEqual(options, ['default', 'off', 'high', 'medium', 'low']);
      assert.equal(await effort.inputValue(), 'default');
      await effort.selectOption('high');
      // The host remembered it and sent the badge back with it.
      await frame.waitForFunction(
        () => (document.querySelector('#reasoning-effort') as HTMLSelectElement | null)?.value === 'high',
        undefined,
        { timeout: 60_000 },
      );

      // A long think: the redacted part keeps the stream silent for a few seconds before the answer.
      s.fake?.setOptions({ reasoning: { encryptedPieces: 3, encryptedDelayMs: 1500 } });
      s.fake?.clearRequests();
      await sendMessage(frame, 'Why is the sky blue?');
      const answer = frame.locator('.message.assistant').last();
      const thinking = answer.locator('details.thinking');
      // What the view shows while it thinks, read in the page at the moment the thinking is there:
      // the answer starts a few seconds later, which one read after another could miss on a loaded machine.
      const streaming = await frame.waitForFunction(
        () => {
          const last = [...document.querySelectorAll<HTMLElement>('.message.assistant')].at(-1);
          const t = last?.querySelector<HTMLDetailsElement>('details.thinking');
          if (!last || !t?.open || !(t.textContent ?? '').includes('the answer')) return undefined;
          return {
            summary: t.querySelector<HTMLElement>('.thinking-summary')?.innerText ?? '',
            body: t.querySelector<HTMLElement>('.thinking-body')?.innerText ?? '',
            strong: t.querySelector<HTMLElement>('.thinking-body strong')?.innerText ?? '',
            answerText: last.querySelector<HTMLElement>(':scope > .markdown')?.innerText ?? '',
          };
        },
        undefined,
        { timeout: 60_000, polling: 'raf' },
      );
      const seen = (await streaming.jsonValue()) as {
        summary: string;
        body: string;
        strong: string;
        answerText: string;
      };
      assert.equal(seen.summary, 'Thinking…');
      assert.match(seen.body, /Thinking about "Why is the sky blue\?" with high effort/);
      // Sanitized markdown like the answer: the bold is an element, not asterisks.
      assert.equal(seen.strong, 'the answer');
      assert.equal(seen.answerText, '', 'no answer text yet');
      await s.screenshot('13-thinking-streaming');

      const text = await lastAnswerText(frame, 'done', 60_000);
      assert.match(text, /Echo from anthropic\/claude-sonnet-4: Why is the sky blue\?/);
      assert.equal(
        await thinking.evaluate((d) => (d as HTMLDetailsElement).open),
        false,
        'collapsed once the answer started',
      );
      assert.match(await thinking.locator('.thinking-summary').innerText(), /^Thought for [\d.]+ (ms|s) · \d+ tokens$/);
      assert.match(await answer.locator('.meta .meta-reasoning').innerText(), /^\d+ reasoning$/);
      // The thinking is not part of the answer's markdown.
      assert.ok(!(await answer.locator(':scope > .markdown').innerText()).includes('Thinking about'));
      await s.screenshot('13-thinking-collapsed');

      const requests = s.fake?.chatRequests() ?? [];
      assert.equal(requests.length, 1);
      assert.deepEqual(
        (requests[0]!.body as { reasoning?: unknown }).reasoning,
        { effort: 'high' },
        "the header's effort was sent",
      );

      // Opened again by the user, it shows the whole thinking.
      await thinking.locator('.thinking-summary').click();
      await frame.waitForFunction(
        () =>
          (
            [...document.querySelectorAll('.message.assistant')]
              .at(-1)
              ?.querySelector('details.thinking') as HTMLDetailsElement | null
          )?.open === true,
        undefined,
        { timeout: 60_000 },
      );
      await s.screenshot('13-thinking-reopened');
      s.fake?.setOptions({ reasoning: undefined });
    },
  );

  it(
    'a turn that only thinks shows the thinking and says there is no answer text, without an error or a second request',
    STEP,
    async () => {
      const s = session();
      const frame = await openChatView(s.page);
      const effort = frame.locator('#reasoning-effort');
      await effort.waitFor({ state: 'visible', timeout: 60_000 });
      await effort.selectOption('medium');
      await frame.waitForFunction(
        () => (document.querySelector('#reasoning-effort') as HTMLSelectElement | null)?.value === 'medium',
        undefined,
        { timeout: 60_000 },
      );
      s.fake?.setOptions({ answer: '', reasoning: undefined });
      s.fake?.clearRequests();
      await sendMessage(frame, 'Think only');
      await lastAnswerText(frame, 'done', 60_000);
      s.fake?.setOptions({ answer: undefined });
      const answer = frame.locator('.message.assistant').last();
      assert.match(await answer.locator('.no-answer').innerText(), /The model gave no answer text/);
      assert.equal(await answer.locator('.error-card').count(), 0);
      assert.equal(
        await answer.locator('details.thinking').evaluate((d) => (d as HTMLDetailsElement).open),
        true,
        'left open: the thinking is all there is',
      );
      assert.match(
        await answer.locator('details.thinking .thinking-body').innerText(),
        /Thinking about "Think only" with medium effort/,
      );
      assert.match(
        await answer.locator('details.thinking .thinking-summary').innerText(),
        /^Thought for .* · \d+ tokens$/,
      );
      assert.equal(s.fake?.chatRequests().length, 1, 'no automatic re-request');
      await s.screenshot('13-reasoning-only');
    },
  );

  it(
    "the model picker offers a reasoning model's efforts on its row; the pick is remembered and shown in the header",
    STEP,
    async () => {
      const s = session();
      const frame = await openChatView(s.page);
      await s.page.locator(SEL.modelStatusItem).click();
      const box = await waitForQuickInput(s.page);
      await box.fill('claude sonnet 4');
      const row = s.page.locator(SEL.quickInputRow).filter({ hasText: 'anthropic/claude-sonnet-4' }).first();
      await row.waitFor({ state: 'visible', timeout: 60_000 });
      assert.match(await row.innerText(), /reasoning: medium/, 'the row says the effort remembered from the header');
      await row.hover();
      await row
        .locator('.action-label[aria-label="Reasoning effort…"], .action-label[title="Reasoning effort…"]')
        .first()
        .click();
      await s.page.waitForFunction(
        () =>
          /Reasoning effort: Anthropic: Claude Sonnet 4/.test(
            document.querySelector('.quick-input-widget .quick-input-title')?.textContent ?? '',
          ),
        undefined,
        { timeout: 60_000 },
      );
      assert.match(await quickInputTitle(s.page), /Reasoning effort: Anthropic: Claude Sonnet 4/);
      await s.screenshot('13-picker-effort');
      await pickQuickItem(s.page, 'Low');
      // Back in the model list; closing it keeps the model, and the header shows the new effort.
      await s.page.waitForFunction(
        () => /Pick Model/.test(document.querySelector('.quick-input-widget .quick-input-title')?.textContent ?? ''),
        undefined,
        { timeout: 60_000 },
      );
      await closeQuickInput(s.page);
      await frame.waitForFunction(
        () => (document.querySelector('#reasoning-effort') as HTMLSelectElement | null)?.value === 'low',
        undefined,
        { timeout: 60_000 },
      );
      s.fake?.clearRequests();
      await sendMessage(frame, 'Which effort now?');
      await lastAnswerText(frame, 'done', 60_000);
      assert.deepEqual((s.fake?.chatRequests()[0]?.body as { reasoning?: unknown }).reasoning, { effort: 'low' });
    },
  );
});
