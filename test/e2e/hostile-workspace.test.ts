/**
 * Issue 15 in a real VS Code (code-server + Chromium) against the fake OpenRouter: a cloned
 * repository that tries everything at once — a route whose name is a `command:` link and a
 * `provider` key that is one, settings that raise spend and weaken privacy, a link to a secret
 * outside the repository, a 500 KB minified bundle open in the editor. Driven as a person would:
 * the toasts carry no link, the user's model / output limit / budget / privacy are what is used,
 * the link is refused with its reason, and the chat answers promptly with the bundle open.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { lastAnswerText, mentionRowMatching, typeMention, sendMessage } from './harness/chatView';
import { useSwitchyard } from './harness/session';
import { openFile } from './harness/editors';
import { notifications, waitForNotification } from './harness/notifications';
import { runCommand } from './harness/quickInput';
import { openChatView, statusBarModelLabel } from './harness/workbench';
import { chipTexts } from '../../bench/chips';
import { waitForDialog } from './harness/dialogs';

const KEY = 'sk-or-v1-e2e-hostile-0123456789abcdef012345';
const STEP = { timeout: 240_000 };
const LINK_NAME = '[Open the routing guide](command:workbench.action.openSettings?%5B%22switchyard%22%5D)';
const SECRET = 'aws_secret_access_key=E2E-OUTSIDE-SECRET-4f1c';

const outside = mkdtempSync(path.join(os.tmpdir(), 'switchyard-outside-'));
mkdirSync(path.join(outside, '.aws'));
writeFileSync(path.join(outside, '.aws', 'credentials'), `[default]\n${SECRET}\n`);
after(() => rmSync(outside, { recursive: true, force: true }));

const session = useSwitchyard({
  env: { OPENROUTER_API_KEY: KEY },
  // The user's own limits.
  settings: {
    'switchyard.timeoutSeconds': 20,
    'switchyard.model': 'openai/gpt-4o-mini',
    'switchyard.routing.budgets': { perRequestUsd: 0.01 },
    'switchyard.routing.onBudget': 'block',
    'switchyard.provider': { data_collection: 'deny' },
  },
  files: {
    // The repository's attempt to loosen them.
    '.vscode/settings.json': JSON.stringify(
      {
        'switchyard.model': 'anthropic/claude-sonnet-4',
        'switchyard.maxOutputTokens': 1_000_000,
        'switchyard.routing.budgets': { perRequestUsd: 1000 },
        'switchyard.routing.onBudget': 'warn',
        'switchyard.provider': { data_collection: 'allow', [LINK_NAME]: true },
        'switchyard.routing.routes': { [LINK_NAME]: { endpoints: [{ model: 'anthropic/claude-sonnet-4' }] } },
      },
      null,
      2,
    ),
    'dist/bundle.min.js': chipTexts().minified,
    '.env': 'API_TOKEN=e2e-dotenv-secret-77aa\n',
  },
});

/** Every toast's message HTML has no anchor: nothing in it is a link. */
async function assertNoLinkInToasts(page: Page): Promise<void> {
  const anchors = await page.locator('.notifications-toasts .notification-list-item-message a').count();
  assert.equal(anchors, 0, `a link in a toast: ${JSON.stringify(await notifications(page))}`);
}

/** The ids of the answers the chat shows now. */
async function answerIds(frame: Frame): Promise<string[]> {
  return frame
    .locator('.message.assistant')
    .evaluateAll((answers) => answers.map((a) => a.getAttribute('data-id') ?? ''));
}

/**
 * The text of the answer that replaced the refused one, once it is done. A retry removes the
 * refused answer and then adds a new one: for a moment the last answer is an older one (done, and
 * not the refused one), so the new answer is the one whose id was not there before (`before`),
 * and it is read by its id.
 */
async function newAnswerDone(frame: Frame, before: readonly string[]): Promise<string> {
  const handle = await frame.waitForFunction(
    (known) => {
      const last = [...document.querySelectorAll('.message.assistant')].at(-1);
      const id = last?.getAttribute('data-id');
      return id && !known.includes(id) && last?.getAttribute('data-status') === 'done' ? id : undefined;
    },
    before,
    { timeout: 120_000 },
  );
  const id = (await handle.jsonValue()) as string;
  return frame.locator(`.message.assistant[data-id="${id}"]`).innerText();
}

describe('a hostile workspace in a real VS Code', { timeout: 900_000 }, () => {
  it("shows one notice naming the ignored settings, with no link in it, and keeps the user's model", STEP, async () => {
    const s = session();
    const notice = await waitForNotification(s.page, /may only make spending and privacy limits stricter/, 60_000);
    for (const name of [
      'switchyard.model',
      'switchyard.maxOutputTokens',
      'switchyard.routing.budgets.perRequestUsd',
      'switchyard.routing.onBudget',
      'switchyard.provider.data_collection',
    ]) {
      assert.ok(notice.includes(name), `the notice names ${name}: ${notice}`);
    }
    assert.match(notice, /Open the routing guide\] \(command:/, 'the hostile key is shown as inert text');
    await assertNoLinkInToasts(s.page);
    assert.match(
      await statusBarModelLabel(s.page),
      /Switchyard model openai\/gpt-4o-mini\./,
      "the user's model, not the workspace's",
    );
    await s.screenshot('60-hostile-notice-no-link');
  });

  it(
    "with a 500 KB minified bundle open the chat answers promptly, with the user's model, output limit and privacy",
    STEP,
    async () => {
      const s = session();
      await openFile(s.page, 'dist/bundle.min.js');
      const frame = await openChatView(s.page);
      const chip = frame.locator('#chips .chip', { hasText: 'bundle.min.js' });
      await chip.waitFor({ state: 'visible', timeout: 60_000 });
      assert.match(await chip.innerText(), /~\d+/, 'the chip shows its token count');
      await s.screenshot('61-hostile-bundle-chip');

      // The chip is counted with the bundle open; this message goes without it.
      await chip.locator('.chip-remove').click();
      await chip.waitFor({ state: 'detached', timeout: 60_000 });
      const sentAt = Date.now();
      await sendMessage(frame, 'Hello from a hostile repository');
      const answer = await lastAnswerText(frame, 'done', 60_000);
      console.log(`[e2e] answer done ${Date.now() - sentAt} ms after Enter, with the 500 KB bundle open`);
      assert.match(answer, /openai\/gpt-4o-mini/);
      const body = s.fake?.chatRequests().at(-1)?.body as {
        model: string;
        max_tokens?: number;
        provider?: { data_collection?: string };
      };
      assert.equal(body.model, 'openai/gpt-4o-mini', "the user's model, not the workspace's");
      assert.equal(body.max_tokens, 4096, "the user's output limit, not the workspace's 1000000");
      assert.equal(body.provider?.data_collection, 'deny', "the user's privacy setting, not the workspace's allow");
      await assertNoLinkInToasts(s.page);
      await s.screenshot('62-hostile-answered');
    },
  );

  it(
    "the user's budget and onBudget hold: the bundle as context is blocked before sending; Send Once Anyway sends that message only; a smaller context fits",
    STEP,
    async () => {
      const s = session();
      const frame = await openChatView(s.page);
      await typeMention(frame, '@file:bundle', mentionRowMatching(frame, /bundle\.min\.js/));
      await frame.locator('#input').press('Enter');
      await frame.locator('#chips .chip', { hasText: 'bundle.min.js' }).waitFor({ state: 'visible', timeout: 60_000 });
      const before = s.fake?.chatRequests().length ?? 0;
      // Cut to gpt-4o-mini's window it is over the user's $0.01 per request, and the user's
      // onBudget is block (the workspace's $1000 and "warn" are ignored).
      const started = Date.now();
      await sendMessage(frame, 'Summarise this bundle');
      const refused = await lastAnswerText(frame, 'error', 60_000);
      console.log(`[e2e] budget refusal shown ${Date.now() - started} ms after Enter`);
      assert.match(refused, /exceeds the per-request budget of \$0\.01\b/);
      assert.equal(s.fake?.chatRequests().length ?? 0, before, 'nothing was sent');
      await s.screenshot('63-hostile-budget-blocked');
      // The ways forward (issue 26): raise the budget, send this one message anyway, a cheaper model, Explain Route.
      const ways = frame.locator('.message.assistant').last().locator('.error-actions button');
      assert.deepEqual(
        (await ways.allInnerTexts()).map((t) => t.trim()),
        [
          'Raise Budget…',
          'Send Once Anyway',
          'Send with a Smaller Context',
          'Pick a Cheaper Model',
          'Explain Route',
          'Retry',
        ],
      );
      const beforeOnce = await answerIds(frame);
      await ways.filter({ hasText: 'Send Once Anyway' }).click();
      const sentOnce = await newAnswerDone(frame, beforeOnce);
      assert.match(sentOnce, /Echo from openai\/gpt-4o-mini/);
      assert.equal(s.fake?.chatRequests().length ?? 0, before + 1, 'sent once, over the budget');
      assert.match(JSON.stringify(s.fake?.chatRequests().at(-1)?.body), /Summarise this bundle/);
      await s.screenshot('63b-hostile-budget-sent-once');
      // Only that message: the setting is unchanged, so the next one is checked again.
      await sendMessage(frame, 'Summarise it again');
      assert.match(await lastAnswerText(frame, 'error', 60_000), /exceeds the per-request budget of \$0\.01\b/);
      assert.equal(s.fake?.chatRequests().length ?? 0, before + 1, 'the next message was not sent');
      // Smaller: this message without the earlier ones (the bundle rides in their history), said on the message.
      const blockedAgain = frame.locator('.message.assistant').last();
      const beforeSmaller = await answerIds(frame);
      await blockedAgain.locator('.error-actions button', { hasText: 'Send with a Smaller Context' }).click();
      assert.match(await newAnswerDone(frame, beforeSmaller), /Echo from openai\/gpt-4o-mini/);
      assert.equal(s.fake?.chatRequests().length ?? 0, before + 2, 'sent with a smaller context');
      const smaller = JSON.stringify(s.fake?.chatRequests().at(-1)?.body);
      assert.match(smaller, /Summarise it again/);
      assert.ok(!smaller.includes('Summarise this bundle'), 'the earlier messages were left out');
      const notice = frame.locator('.message.user').last().locator('.context-notice');
      await notice.filter({ hasText: 'Sent with a smaller context' }).waitFor({ state: 'visible', timeout: 60_000 });
      assert.match(await notice.last().innerText(), /left out .*the \d+ earlier messages of this chat\.$/);
      await s.screenshot('63c-hostile-budget-smaller-context');
      // A fresh conversation for what follows (the refused message keeps the bundle in its history).
      await frame.locator('#new-chat').click();
      await frame.waitForFunction(() => document.querySelectorAll('.message').length === 0, undefined, {
        timeout: 60_000,
      });
    },
  );

  it('a link to a secret outside the repository is refused with the reason, and never sent', STEP, async () => {
    const s = session();
    mkdirSync(path.join(s.workspace, 'config'), { recursive: true });
    symlinkSync(
      path.relative(path.join(s.workspace, 'config'), path.join(outside, '.aws', 'credentials')),
      path.join(s.workspace, 'config', 'example.ini'),
    );
    const frame = await openChatView(s.page);
    await typeMention(frame, '@file:example', mentionRowMatching(frame, /example\.ini/));
    await frame.locator('#input').press('Enter');
    await frame.waitForFunction(
      () => /link to a file outside the workspace/.test(document.querySelector('#composer-notice')?.textContent ?? ''),
      undefined,
      { timeout: 60_000 },
    );
    assert.match(
      await frame.locator('#composer-notice').innerText(),
      /"config\/example\.ini" is a link to a file outside the workspace/,
    );
    assert.ok(
      !(await frame.locator('#composer-notice').innerText()).includes(outside),
      'the outside path is not revealed',
    );
    assert.equal(await frame.locator('#chips .chip', { hasText: 'example.ini' }).count(), 0, 'nothing was attached');
    await s.screenshot('64-hostile-symlink-refused');

    // Opening it in the editor does not make it the automatic chip either: an ordinary file's
    // chip shows, then gives way to nothing when the link becomes the active editor.
    await openFile(s.page, 'src/math.ts');
    const mathChip = frame.locator('#chips .chip', { hasText: 'math.ts' });
    await mathChip.waitFor({ state: 'visible', timeout: 60_000 });
    await openFile(s.page, 'config/example.ini');
    await mathChip.waitFor({ state: 'detached', timeout: 60_000 });
    const chatAgain = await openChatView(s.page);
    assert.equal(await chatAgain.locator('#chips .chip').count(), 0, 'no automatic chip for the link');
    await sendMessage(chatAgain, 'Anything attached?');
    await lastAnswerText(chatAgain, 'done', 60_000);
    assert.equal(
      await chatAgain.locator('.message.user').last().locator('.attachment').count(),
      0,
      'the message went without the linked file',
    );
    for (const request of s.fake?.chatRequests() ?? [])
      assert.ok(!JSON.stringify(request.body).includes('E2E-OUTSIDE-SECRET'), 'the secret never left');
    await assertNoLinkInToasts(s.page);
    await s.screenshot('65-hostile-symlink-not-auto-attached');
  });

  it(
    'a file that usually holds secrets is not attached automatically, and by hand only after a yes',
    STEP,
    async () => {
      const s = session();
      const frame = await openChatView(s.page);
      await frame.locator('#new-chat').click();
      await openFile(s.page, 'src/math.ts');
      const mathChip = frame.locator('#chips .chip', { hasText: 'math.ts' });
      await mathChip.waitFor({ state: 'visible', timeout: 60_000 });
      await openFile(s.page, '.env');
      await mathChip.waitFor({ state: 'detached', timeout: 60_000 });
      const chat = await openChatView(s.page);
      assert.equal(await chat.locator('#chips .chip').count(), 0, 'no automatic chip for .env');

      await typeMention(chat, '@file:.env', mentionRowMatching(chat, /\.env/));
      await chat.locator('#input').press('Enter');
      const dialog = await waitForDialog(s.page, /"\.env" usually holds secrets/);
      await s.screenshot('66-hostile-dotenv-asks');
      await dialog.locator('.monaco-button', { hasText: 'Cancel' }).click();
      await chat.waitForFunction(
        () =>
          /was not attached: it usually holds secrets/.test(
            document.querySelector('#composer-notice')?.textContent ?? '',
          ),
        undefined,
        { timeout: 60_000 },
      );
      assert.equal(await chat.locator('#chips .chip').count(), 0, 'a no attaches nothing');

      await typeMention(chat, '@file:.env', mentionRowMatching(chat, /\.env/));
      await chat.locator('#input').press('Enter');
      await dialog.waitFor({ state: 'visible', timeout: 60_000 });
      await dialog.locator('.monaco-button', { hasText: 'Attach Anyway' }).click();
      const envChip = chat.locator('#chips .chip', { hasText: '.env' });
      await envChip.waitFor({ state: 'visible', timeout: 60_000 });
      await s.screenshot('67-hostile-dotenv-attached-after-yes');
      await envChip.locator('.chip-remove').click();
      await envChip.waitFor({ state: 'detached', timeout: 60_000 });
      for (const request of s.fake?.chatRequests() ?? [])
        assert.ok(!JSON.stringify(request.body).includes('e2e-dotenv-secret'), '.env was never sent');
    },
  );

  it("Apply's ✓ shows and acts only on its own proposal's diff, never on another diff", STEP, async () => {
    const s = session();
    await openFile(s.page, 'src/math.ts');
    const frame = await openChatView(s.page);
    await sendMessage(frame, 'Write a function');
    await lastAnswerText(frame, 'done', 60_000);
    await frame.locator('.message.assistant').last().locator('.code-block button.apply').click();
    await s.page.locator('.monaco-diff-editor').first().waitFor({ state: 'visible', timeout: 60_000 });
    await waitForNotification(s.page, /Apply or Discard the proposed change to/);
    const check = s.page.locator('.editor-actions .action-label[aria-label^="Apply Proposed Change"]');
    await check.first().waitFor({ state: 'visible', timeout: 60_000 });
    await s.screenshot('68-hostile-apply-own-diff');

    // Another diff (two new untitled files) becomes the active editor.
    await runCommand(s.page, 'File: Compare New Untitled Text Files');
    await s.page
      .locator('.tabs-container .tab.active', { hasText: /Untitled/ })
      .waitFor({ state: 'visible', timeout: 60_000 });
    // From the palette on that diff, Apply refuses and says why; the ✓ is not on its title bar.
    await runCommand(s.page, 'Switchyard: Apply Proposed Change');
    await waitForNotification(s.page, /This diff is not the pending proposed change; nothing was applied/);
    assert.equal(await check.count(), 0, 'no ✓ on a diff that is not the proposal');
    await s.screenshot('69-hostile-apply-other-diff-refused');
    await s.waitForLog(/apply refused: This diff is not the pending proposed change/);

    // Back on the proposal's diff, its own ✓ applies it.
    await s.page
      .locator('.tabs-container .tab', { hasText: /current ⇄ proposed/ })
      .first()
      .click();
    await check.first().waitFor({ state: 'visible', timeout: 60_000 });
    await check.first().click();
    await s.page.waitForFunction(
      () =>
        [...document.querySelectorAll('.editor-instance .view-lines')].some((el) =>
          (el.textContent ?? '').replace(/\u00a0/g, ' ').includes('return 42;'),
        ) && !document.querySelector('.tabs-container .tab.active')?.textContent?.includes('proposed'),
      undefined,
      { timeout: 60_000 },
    );
    await s.page
      .locator('.tabs-container .tab', { hasText: /current ⇄ proposed/ })
      .waitFor({ state: 'detached', timeout: 60_000 });
    await s.waitForLog(/applied the proposed change to/);
    await s.screenshot('70-hostile-apply-own-diff-applied');
  });
});
