/**
 * Switchyard's models in VS Code's own Chat (code-server 4.139 = VS Code 1.139, its built-in
 * chat), driven as a person would, on one VS Code with VS Code's default chat settings: the
 * welcome button explains and opens Manage Language Models (the one-time step), VS Code's chat
 * lists Switchyard's models and answers through Switchyard (the fake receives the routed body),
 * a Switchyard model's tool call runs a VS Code tool and the result comes back with the same
 * tool_call_id, a failing first model falls back, the spend shows in Switchyard's status item.
 * (The budget-refusal and chat.disableAIFeatures scenarios are out until they change settings
 * through VS Code: a running window does not see settings.json edited from outside.)
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { FIXTURE_MODELS } from '../fake-openrouter/catalogue';
import { useSwitchyard } from './harness/session';
import { chatModelNames, latestChatResponse, openVsCodeChat, pickChatMode, pickChatModel, sendChatMessage } from './harness/vscodeChat';
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
    'switchyard.fallbackModels': [FIXTURE_MODELS.gpt4oMini],
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

const bodies = (): SentBody[] => session().fake!.chatRequests().map((r) => r.body as SentBody);

/** The status item with what VS Code's chat spent today through Switchyard. */
async function spendItemText(page: Page): Promise<string> {
  const item = page.locator('[id="switchyard.switchyard.switchyard.vscodeChatSpend"]');
  await item.waitFor({ state: 'visible', timeout: 30_000 });
  return item.innerText();
}

describe('Switchyard models in VS Code\'s own Chat', { timeout: 900_000 }, () => {
  it('the welcome button explains, and on the user\'s click opens Manage Language Models listing Switchyard\'s models', STEP, async () => {
    const s = session();
    const frame = await openChatView(s.page);
    await frame.locator('#use-in-vscode-chat').click();
    const dialog = s.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await dialog.innerText(), /Every request goes through Switchyard.s router/);
    await s.screenshot('vscode-chat-01-explained');
    await dialog.getByRole('button', { name: 'Open Manage Language Models' }).click();
    const row = s.page.locator('.monaco-list-row, tr', { hasText: 'Switchyard Auto' }).first();
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    await s.page.locator('.monaco-list-row, tr', { hasText: PICKED }).first().waitFor({ state: 'visible', timeout: 30_000 });
    await s.screenshot('vscode-chat-02-manage-models');
    await s.page.keyboard.press('Escape');
  });

  it('VS Code\'s chat lists the models and answers through Switchyard: the fake receives the routed body; the spend shows', STEP, async () => {
    const s = session();
    await openVsCodeChat(s.page);
    await pickChatMode(s.page, 'Ask');
    const names = await chatModelNames(s.page);
    assert.ok(names.includes('Switchyard Auto') && names.includes(PICKED), names.join(', '));
    await pickChatModel(s.page, PICKED);
    await sendChatMessage(s.page, 'hello from VS Code chat');
    const answer = await latestChatResponse(s.page, /Echo from anthropic\/claude-sonnet-4/);
    assert.match(answer, /hello from VS Code chat/);
    const sent = bodies().find((b) => b.model === FIXTURE_MODELS.claudeSonnet4)!;
    assert.deepEqual(sent.models, [FIXTURE_MODELS.claudeSonnet4, FIXTURE_MODELS.gpt4oMini], 'the fallback list');
    assert.equal(sent.provider?.data_collection, 'deny', 'provider preferences');
    assert.match(await spendItemText(s.page), /VS Code Chat: \$0\.\d+ today/);
    await s.screenshot('vscode-chat-03-answered');
  });

  it('a Switchyard model\'s tool call runs VS Code\'s tool, and the result reaches the fake with the same tool_call_id', STEP, async () => {
    const s = session();
    const tools = bodies().at(-1)?.tools?.map((t) => t.function.name) ?? [];
    const readTool = tools.find((n) => /read_?file/i.test(n));
    assert.ok(readTool, `VS Code offered a file-reading tool (${tools.join(', ')})`);
    const filePath = path.join(s.workspace, 'src', 'math.ts');
    s.fake!.setAgentScript({ turns: [
      { when: { step: 0 }, text: 'Let me read it.', toolCalls: [{ name: readTool, arguments: JSON.stringify({ filePath, startLine: 1, endLine: 30 }) }] },
      { when: { anyToolResultIncludes: 'export function factorial' }, text: 'math.ts has add, multiply, factorial and fibonacci.' },
      { text: 'The tool result did not reach me.' },
    ] });
    try {
      await pickChatModel(s.page, 'Switchyard Auto');
      await sendChatMessage(s.page, 'what is in src/math.ts?');
      await latestChatResponse(s.page, /math\.ts has add, multiply, factorial and fibonacci/, 90_000);
      const withCall = s.fake!.chatRequests().find((r) => (r.body as SentBody).messages.some((m) => m.role === 'tool'));
      assert.ok(withCall, 'a request carried the tool result');
      const sentTool = (withCall.body as SentBody).messages.find((m) => m.role === 'tool')!;
      assert.match(sentTool.tool_call_id ?? '', /^call_fake_\d+$/, 'the id the fake issued');
      assert.equal(withCall.status, 200, 'the fake accepted the replay (ids unchanged, result right after its call)');
      assert.equal((withCall.body as SentBody).provider?.require_parameters, true);
      await s.screenshot('vscode-chat-04-tool-call');
    } finally {
      s.fake!.setAgentScript(undefined);
    }
  });

  it('the first model fails and the fallback answers', STEP, async () => {
    const s = session();
    s.fake!.setFault(FIXTURE_MODELS.claudeSonnet4, { kind: 'http', status: 503 });
    try {
      await pickChatModel(s.page, PICKED);
      await sendChatMessage(s.page, 'answer even when Claude is down');
      await latestChatResponse(s.page, /Echo from openai\/gpt-4o-mini/);
      await s.screenshot('vscode-chat-05-fallback');
    } finally {
      s.fake!.setFault(FIXTURE_MODELS.claudeSonnet4, undefined);
    }
  });
});
