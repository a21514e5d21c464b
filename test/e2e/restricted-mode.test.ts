/**
 * Issue 22 in a Restricted Mode window, as a person meets it: code-server with workspace trust ON
 * and VS Code's default trust settings (harness option `workspaceTrust`), and a cloned folder whose
 * `.vscode/mcp.json` defines a stdio server (test/mcp/server.ts). VS Code 1.139 asks nothing by
 * default (`security.workspace.trust.startupPrompt` is "never"): the folder opens in Restricted
 * Mode, as its banner and status bar say. Then, as README's MCP and Security sections say:
 * - the workspace's server never starts: MCP Servers lists it "not started: Restricted Mode…",
 *   and an agent task that completes was offered the user's own server's tools and not its;
 * - the user's own server (`switchyard.mcp.servers`) starts and its tool runs after approval;
 * - the root AGENTS.md still reaches the model (the repository's files are read, as its text);
 * - the agent never runs a command, approved or not (the card says why; nothing ran);
 * - after Trust (the banner's Manage → Trust), the workspace's server asks before it starts,
 *   as in a trusted window, and its tool is offered once allowed.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import type { Frame } from 'playwright-core';
import type { AgentScript } from '../fake-openrouter/agent';
import { stdioLaunch, workspaceServerStartQuestion } from '../mcp/launch';
import { newTask, startTask, waitForAnswer } from './harness/chatView';
import { useSwitchyard } from './harness/session';
import { waitUntil } from './harness/wait';
import { waitForDialog } from './harness/dialogs';
import { closeQuickInput, runCommand } from './harness/quickInput';
import { openChatView } from './harness/workbench';
import { trustFromBanner, waitForRestrictedMode } from './harness/workspaceTrust';

const KEY = 'sk-or-v1-e2e-restricted-0123456789abcdef01';
const MODEL = 'anthropic/claude-sonnet-4';
const STEP = { timeout: 240_000 };
const logDir = mkdtempSync(path.join(tmpdir(), 'switchyard-restricted-e2e-'));
const WORKSPACE_LOG = path.join(logDir, 'workspace-server.jsonl');
const USER_LOG = path.join(logDir, 'user-server.jsonl');
after(() => rmSync(logDir, { recursive: true, force: true }));

const call = (name: string, args: unknown) => ({ name, arguments: JSON.stringify(args) });
const launch = stdioLaunch();
const RESTRICTED = 'Restricted Mode: servers defined by the workspace never start in an untrusted folder';

const SCRIPT: AgentScript = {
  turns: [
    { when: { userIncludes: 'order 7', step: 0 }, toolCalls: [call('mine__lookup_order', { order_id: 'ORD-7' })] },
    { when: { userIncludes: 'order 7', toolResultIncludes: 'ORD-7' }, text: 'Order ORD-7 found with your server.' },
    { when: { userIncludes: 'order 7' }, text: 'The lookup did not arrive.' },
    {
      when: { userIncludes: 'run the build', step: 0 },
      toolCalls: [call('run_command', { command: 'echo built > ran.txt' })],
    },
    {
      when: { userIncludes: 'run the build', toolResultIncludes: 'Restricted Mode' },
      text: 'The folder is in Restricted Mode, so I did not run it.',
    },
    { when: { userIncludes: 'run the build' }, text: 'The command result did not say why.' },
    { when: { userIncludes: 'order 42', step: 0 }, toolCalls: [call('shop__lookup_order', { order_id: 'ORD-42' })] },
    {
      when: { userIncludes: 'order 42', toolResultIncludes: 'Parcel-Express' },
      text: 'ORD-42 went with Parcel-Express.',
    },
    { when: { userIncludes: 'order 42' }, text: 'The shop lookup did not arrive.' },
  ],
};

const session = useSwitchyard({
  workspaceTrust: true,
  env: { OPENROUTER_API_KEY: KEY },
  settings: {
    'switchyard.model': MODEL,
    'switchyard.timeoutSeconds': 30,
    'switchyard.attachEditorContext': false,
    // The user's own server: it starts in any window.
    'switchyard.mcp.servers': {
      mine: { command: launch.command, args: launch.args, env: { MCP_TEST_LOG: USER_LOG } },
    },
  },
  files: {
    '.vscode/mcp.json': JSON.stringify(
      {
        servers: {
          shop: { type: 'stdio', command: launch.command, args: launch.args, env: { MCP_TEST_LOG: WORKSPACE_LOG } },
        },
      },
      null,
      2,
    ),
    'AGENTS.md': '# Project rules\n\nRULE-RESTRICTED: answer in one sentence.\n',
  },
});

type Body = { messages: { role: string; content: unknown }[]; tools?: { function: { name: string } }[] };
const bodies = (s: ReturnType<typeof session>): Body[] => (s.fake?.chatRequests() ?? []).map((r) => r.body as Body);
const toolNames = (b: Body | undefined): string[] => (b?.tools ?? []).map((t) => t.function.name);
const calls = (file: string): string[] =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as { tool: string }).tool)
    : [];

async function card(frame: Frame, tool: string, state: string, timeout = 90_000) {
  const locator = frame.locator(`.tool-card[data-tool="${tool}"][data-state="${state}"]`).last();
  await locator.waitFor({ state: 'visible', timeout });
  return locator;
}

/**
 * Opens Switchyard: MCP Servers and waits until the row of `name` (label, state, source and command
 * line) says `state`; returns every row's text.
 */
async function serverRow(
  s: ReturnType<typeof session>,
  name: string,
  state: RegExp,
  also: (rows: readonly string[]) => boolean = () => true,
): Promise<string[]> {
  await runCommand(s.page, 'Switchyard: MCP Servers');
  const list = s.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
  let rows: string[] = [];
  await waitUntil(
    async () => {
      rows = (await list.allInnerTexts().catch(() => [])).map((r) => r.replace(/\s+/g, ' ').trim());
      return rows.some((r) => r.startsWith(name) && state.test(r)) && also(rows);
    },
    60_000,
    `the ${name} row saying ${String(state)}`,
  ).catch((error: unknown) => {
    throw new Error(`${String(error)}; the rows: ${rows.join(' | ')}`);
  });
  return rows;
}

describe('MCP servers and the agent in a Restricted Mode window', { timeout: 1_200_000 }, () => {
  it(
    "the folder opens in Restricted Mode: the workspace's server is listed as never starting, the user's starts",
    STEP,
    async () => {
      const s = session();
      await waitForRestrictedMode(s.page);
      await s.screenshot('restricted-01-restricted-mode');
      // The list fills as the servers are read: wait for both rows, the user's one starting or running.
      const userStarts = (r: string) => r.startsWith('mine') && /starting…|running, \d+ tools/.test(r);
      const rows = await serverRow(s, 'shop', new RegExp(`not started: ${RESTRICTED}`), (all) => all.some(userStarts));
      assert.ok(rows.some(userStarts), `the user's server starts: ${rows.join(' | ')}`);
      assert.ok(rows.some((r) => r.includes('workspace .vscode/mcp.json')));
      await s.screenshot('restricted-02-servers');
      await closeQuickInput(s.page);
    },
  );

  it("an agent task is offered the user's server's tools, not the workspace's, and reads AGENTS.md", STEP, async () => {
    const s = session();
    s.fake!.setAgentScript(SCRIPT);
    s.fake!.clearRequests();
    const frame = await openChatView(s.page);
    await frame.locator('#mode-agent').click();
    await frame.waitForFunction(() => document.querySelector('#mode-agent')?.getAttribute('aria-pressed') === 'true');
    await newTask(frame);
    await startTask(frame, 'where is order 7?');
    const waiting = await card(frame, 'mine__lookup_order', 'waiting');
    await waiting.locator('button.approve').click();
    await waitForAnswer(frame, 'Order ORD-7 found with your server.');
    await s.screenshot('restricted-03-user-server-tool');
    const first = bodies(s)[0];
    assert.ok(toolNames(first).includes('mine__lookup_order'), toolNames(first).join(' '));
    assert.ok(!toolNames(first).some((n) => n.startsWith('shop__')), "no tool of the workspace's server");
    assert.match(JSON.stringify(first?.messages[0]?.content), /RULE-RESTRICTED: answer in one sentence/);
    assert.deepEqual(calls(USER_LOG), ['lookup_order']);
    assert.deepEqual(calls(WORKSPACE_LOG), [], "the workspace's server never ran");
    assert.equal(await s.page.locator('.monaco-dialog-box').count(), 0, 'no start question in Restricted Mode');
    // The list says the same once the task has run: the user's server runs, the workspace's never started.
    const rows = await serverRow(s, 'mine', /running, \d+ tools/);
    assert.ok(
      rows.some((r) => r.startsWith('shop') && r.includes(RESTRICTED)),
      rows.join(' | '),
    );
    await closeQuickInput(s.page);
  });

  it('the agent never runs a command, even approved: the card and the model are told why', STEP, async () => {
    const s = session();
    const frame = await openChatView(s.page);
    s.fake!.clearRequests();
    await newTask(frame);
    await startTask(frame, 'run the build');
    const waiting = await card(frame, 'run_command', 'waiting');
    await waiting.locator('button.approve').click();
    const refused = await card(frame, 'run_command', 'failed');
    assert.match(await refused.locator('.tool-summary').innerText(), /refused: Restricted Mode/);
    await waitForAnswer(frame, 'The folder is in Restricted Mode, so I did not run it.');
    assert.match(JSON.stringify(bodies(s).at(-1)), /open in Restricted Mode, so the agent does not run commands/);
    assert.equal(existsSync(path.join(s.workspace, 'ran.txt')), false, 'the command never ran');
    await s.screenshot('restricted-04-command-refused');
  });

  it("after Trust, the workspace's server asks before it starts, as in a trusted window", STEP, async () => {
    const s = session();
    await trustFromBanner(s.page);
    await s.screenshot('restricted-05-trusted');
    await serverRow(s, 'shop', /not started \(starts with the first agent task/);
    await closeQuickInput(s.page);

    const frame = await openChatView(s.page);
    s.fake!.clearRequests();
    await newTask(frame);
    await startTask(frame, 'where is order 42?');
    const dialog = await waitForDialog(s.page, workspaceServerStartQuestion('shop'));
    await s.screenshot('restricted-06-start-asked');
    await dialog.locator('.monaco-button', { hasText: 'Allow and Start' }).click();
    const waiting = await card(frame, 'shop__lookup_order', 'waiting');
    await waiting.locator('button.approve').click();
    await waitForAnswer(frame, 'ORD-42 went with Parcel-Express.');
    assert.ok(toolNames(bodies(s)[0]).includes('shop__lookup_order'));
    assert.deepEqual(calls(WORKSPACE_LOG), ['lookup_order']);
    assert.ok(!s.extensionLog().includes(KEY));
  });
});
