/**
 * Switchyard's models in VS Code's own Chat (code-server 4.139 = VS Code 1.139, its built-in
 * chat), driven as a person would, on one VS Code with VS Code's default chat settings: the
 * welcome button explains and opens Manage Language Models (the one-time step), VS Code's chat
 * lists Switchyard's models and answers through Switchyard (the fake receives the routed body),
 * a Switchyard model's tool call runs a VS Code tool and the result comes back with the same
 * tool_call_id, a failing first model falls back, the spend shows in Switchyard's status item, a
 * budget set through Switchyard's Set Budgets… form is refused with the way forward, and with
 * chat.disableAIFeatures ticked in VS Code's Settings editor the command does nothing, leaves
 * the setting as the user set it and its "Open Setting" shows that setting. Settings change only through VS Code (a running window does not
 * see settings.json edited from outside), and every step waits on VS Code's own state.
 * VS Code's Agent mode asks a fresh profile for a GitHub sign-in before any request reaches a
 * provider, so the tool round trip is proven in Ask mode, where VS Code also offers its tools.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { FIXTURE_MODELS } from '../fake-openrouter/catalogue';
import { useSwitchyard } from './harness/session';
import {
  chatModelNames,
  latestChatResponse,
  openVsCodeChat,
  pickChatMode,
  pickChatModel,
  readUserSettings,
  sendChatMessage,
  setBooleanInSettingsEditor,
} from './harness/vscodeChat';
import { closeModalEditor, waitForDialog } from './harness/dialogs';
import { clickNotificationButton, waitForNotification } from './harness/notifications';
import { pickQuickItem, runCommand, typeIntoQuickInput } from './harness/quickInput';
import { openChatView } from './harness/workbench';

const KEY = 'sk-or-v1-e2e-vscode-chat-0123456789abcdef01';
const STEP = { timeout: 240_000 };
const PICKED = 'Anthropic: Claude Sonnet 4';

const session = useSwitchyard({
  env: { OPENROUTER_API_KEY: KEY },
  settings: {
    // VS Code's default (the harness turns its chat off for the other suites).
    'chat.disableAIFeatures': false,
    'switchyard.model': FIXTURE_MODELS.claudeSonnet4,
    // Gemini takes Claude's body (both cache with breakpoints), so it rides in OpenRouter's `models` list.
    'switchyard.fallbackModels': [FIXTURE_MODELS.gemini25Flash],
    'switchyard.provider': { data_collection: 'deny' },
  },
});

interface SentBody {
  readonly model: string;
  readonly models?: readonly string[];
  readonly provider?: { readonly data_collection?: string; readonly require_parameters?: boolean };
  readonly messages: readonly { readonly role: string; readonly tool_call_id?: string }[];
  readonly tools?: readonly { readonly function: { readonly name: string } }[];
}

const bodies = (): SentBody[] =>
  session()
    .fake!.chatRequests()
    .map((r) => r.body as SentBody);

/** The status item with what VS Code's chat spent today through Switchyard. */
async function spendItemText(page: Page): Promise<string> {
  const item = page.locator('[id="switchyard.switchyard.switchyard.vscodeChatSpend"]');
  await item.waitFor({ state: 'visible', timeout: 60_000 });
  return item.innerText();
}

describe("Switchyard models in VS Code's own Chat", { timeout: 900_000 }, () => {
  it(
    "the welcome button explains, and on the user's click opens Manage Language Models listing Switchyard's models",
    STEP,
    async () => {
      const s = session();
      const frame = await openChatView(s.page);
      await frame.locator('#use-in-vscode-chat').click();
      const dialog = await waitForDialog(s.page, /Every request goes through Switchyard.s router/);
      await s.screenshot('vscode-chat-01-explained');
      await dialog.getByRole('button', { name: 'Open Manage Language Models' }).click();
      const row = s.page.locator('.monaco-list-row, tr', { hasText: 'Switchyard Auto' }).first();
      await row.waitFor({ state: 'visible', timeout: 90_000 });
      await s.page
        .locator('.monaco-list-row, tr', { hasText: PICKED })
        .first()
        .waitFor({ state: 'visible', timeout: 60_000 });
      await s.screenshot('vscode-chat-02-manage-models');
      await closeModalEditor(s.page);
    },
  );

  it(
    "VS Code's chat lists the models and answers through Switchyard: the fake receives the routed body; the spend shows",
    STEP,
    async () => {
      const s = session();
      await openAskChat(s.page);
      const names = await chatModelNames(s.page, ['Switchyard Auto', PICKED]);
      assert.ok(names.includes('Switchyard Auto') && names.includes(PICKED), names.join(', '));
      await pickChatModel(s.page, PICKED);
      await sendChatMessage(s.page, 'hello from VS Code chat');
      await latestChatResponse(s.page, [/Echo from anthropic\/claude-sonnet-4/, /hello from VS Code chat/]);
      const sent = bodies().find((b) => b.model === FIXTURE_MODELS.claudeSonnet4)!;
      assert.deepEqual(sent.models, [FIXTURE_MODELS.claudeSonnet4, FIXTURE_MODELS.gemini25Flash], 'the fallback list');
      assert.equal(sent.provider?.data_collection, 'deny', 'provider preferences');
      assert.match(await spendItemText(s.page), /VS Code Chat: \$0\.\d+ today/);
      await s.screenshot('vscode-chat-03-answered');
    },
  );

  it(
    "a Switchyard model's tool call runs VS Code's tool, and the result reaches the fake with the same tool_call_id",
    STEP,
    async () => {
      const s = session();
      const tools =
        bodies()
          .at(-1)
          ?.tools?.map((t) => t.function.name) ?? [];
      const readTool = tools.find((n) => /read_?file/i.test(n));
      assert.ok(readTool, `VS Code offered a file-reading tool (${tools.join(', ')})`);
      const filePath = path.join(s.workspace, 'src', 'math.ts');
      s.fake!.setAgentScript({
        turns: [
          {
            when: { step: 0 },
            text: 'Let me read it.',
            toolCalls: [{ name: readTool, arguments: JSON.stringify({ filePath, startLine: 1, endLine: 30 }) }],
          },
          {
            when: { anyToolResultIncludes: 'export function factorial' },
            text: 'math.ts has add, multiply, factorial and fibonacci.',
          },
          { text: 'The tool result did not reach me.' },
        ],
      });
      try {
        await openAskChat(s.page);
        await pickChatModel(s.page, 'Switchyard Auto');
        await sendChatMessage(s.page, 'what is in src/math.ts?');
        await latestChatResponse(s.page, /math\.ts has add, multiply, factorial and fibonacci/, 180_000);
        const withCall = s
          .fake!.chatRequests()
          .find((r) => (r.body as SentBody).messages.some((m) => m.role === 'tool'));
        assert.ok(withCall, 'a request carried the tool result');
        const sentTool = (withCall.body as SentBody).messages.find((m) => m.role === 'tool')!;
        assert.match(sentTool.tool_call_id ?? '', /^call_fake_\d+$/, 'the id the fake issued');
        assert.equal(withCall.status, 200, 'the fake accepted the replay (ids unchanged, result right after its call)');
        assert.equal((withCall.body as SentBody).provider?.require_parameters, true);
        await s.screenshot('vscode-chat-04-tool-call');
      } finally {
        s.fake!.setAgentScript(undefined);
      }
    },
  );

  it('the first model fails and the fallback answers', STEP, async () => {
    const s = session();
    s.fake!.setFault(FIXTURE_MODELS.claudeSonnet4, { kind: 'http', status: 503 });
    try {
      await openAskChat(s.page);
      await pickChatModel(s.page, PICKED);
      await sendChatMessage(s.page, 'answer even when Claude is down');
      await latestChatResponse(s.page, [/Echo from google\/gemini-2\.5-flash/, /answer even when Claude is down/]);
      await s.screenshot('vscode-chat-05-fallback');
    } finally {
      s.fake!.setFault(FIXTURE_MODELS.claudeSonnet4, undefined);
    }
  });

  it(
    "a budget set through Switchyard: Set Budgets… is refused in VS Code's chat with the way forward; nothing is sent",
    STEP,
    async () => {
      const s = session();
      await setPerRequestBudget(s.page, '0.0000001');
      await waitForNotification(s.page, /perRequestUsd budget set to/);
      const before = s.fake!.chatRequests().length;
      try {
        await openAskChat(s.page);
        await pickChatModel(s.page, PICKED);
        await sendChatMessage(s.page, 'this one is over budget');
        await latestChatResponse(s.page, [/over budget/i, /per-request budget/, /Set Budgets… raises it/]);
        assert.equal(s.fake!.chatRequests().length, before, 'nothing reached OpenRouter');
        await s.screenshot('vscode-chat-06-budget-refused');
      } finally {
        await setPerRequestBudget(s.page, '');
        await waitForNotification(s.page, /perRequestUsd budget removed/);
      }
      assert.equal(readUserSettings(s.codeServer.userDataDir)['switchyard.routing.budgets'], undefined);
    },
  );

  it(
    "with chat.disableAIFeatures ticked in VS Code's Settings editor, the command does nothing, says why and leaves the setting alone",
    STEP,
    async () => {
      const s = session();
      const ud = s.codeServer.userDataDir;
      await setBooleanInSettingsEditor(s.page, ud, 'chat.disableAIFeatures', 'Disable AI Features', true, {
        screenshot: () => s.screenshot('vscode-chat-07-ai-features-off'),
      });
      await runCommand(s.page, 'Switchyard: Use Switchyard Models in VS Code Chat');
      const said =
        /chat is turned off in your settings \(chat\.disableAIFeatures is ticked\)\. .*untick it, then run this command again/;
      await waitForNotification(s.page, said);
      assert.equal(await s.page.locator('.monaco-dialog-box').count(), 0, 'no dialog offers Manage Language Models');
      assert.equal(readUserSettings(ud)['chat.disableAIFeatures'], true, "the user's setting is untouched");
      await s.waitForLog(/chat\.disableAIFeatures is on; nothing done/);
      await s.screenshot('vscode-chat-08-ai-features-respected');
      // "Open Setting" shows that very setting in VS Code's Settings editor, still ticked, for the user to change.
      await clickNotificationButton(s.page, said, 'Open Setting');
      const row = s.page.locator('.settings-editor .setting-item-bool', {
        has: s.page.locator('.setting-item-label', { hasText: /^\s*Disable AI Features\s*$/ }),
      });
      await row.first().locator('.setting-value-checkbox[aria-checked="true"]').waitFor({ state: 'visible' });
      await s.screenshot('vscode-chat-09-ai-features-setting-shown');
      await closeModalEditor(s.page);
      assert.equal(readUserSettings(ud)['chat.disableAIFeatures'], true, 'opening the setting changed nothing');
    },
  );
});

/** VS Code's chat in Ask mode (Agent mode asks a fresh profile for a GitHub sign-in first). */
async function openAskChat(page: Page): Promise<void> {
  await openVsCodeChat(page);
  await pickChatMode(page, 'Ask');
}

/** Switchyard: Set Budgets… → perRequestUsd → the amount (empty: no limit), through the palette. */
async function setPerRequestBudget(page: Page, amount: string): Promise<void> {
  await runCommand(page, 'Switchyard: Set Budgets…');
  await pickQuickItem(page, 'perRequestUsd');
  await typeIntoQuickInput(page, amount);
}
