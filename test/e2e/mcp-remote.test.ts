/**
 * MCP servers of the user's own settings in a real VS Code (code-server + Chromium), driven as a
 * person would:
 * - in a fresh window, typing `/` starts the user's servers (no agent task first): the menu shows
 *   a "starting…" row and fills in with the stdio server's prompt `/review`;
 * - a remote Streamable HTTP server that requires OAuth (test/mcp/oauthServer.ts, the SDK's own
 *   server-side auth helpers, on 127.0.0.1) shows "needs sign-in" in Switchyard: MCP Servers; Sign
 *   In opens its authorization page in the browser, Authorize leads back to VS Code, and the agent
 *   then calls the server's tool (the tokens never reach the log or the requests);
 * - Sign Out forgets the tokens: the server needs a sign-in again.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import type { AgentScript } from '../fake-openrouter/agent';
import { stdioLaunch } from '../mcp/launch';
import { startOAuthMcpServer, type OAuthMcpServer } from '../mcp/oauthServer';
import { useSwitchyard, type SwitchyardSession } from './harness/session';
import { waitUntil } from './harness/wait';
import { closeQuickInput, pickQuickItem, quickInputItems, runCommand } from './harness/quickInput';
import { openChatView } from './harness/workbench';
import { waitForDialog } from './harness/dialogs';

const KEY = 'sk-or-v1-e2e-mcp-remote-0123456789abcdef01';
const STEP = { timeout: 300_000 };
const launch = stdioLaunch();
const servers: Record<string, unknown> = { docs: { type: 'stdio', command: launch.command, args: launch.args } };
let remote: OAuthMcpServer;
// Before the session's own hook (registered below): the remote server's URL goes into the settings.
before(async () => {
  remote = await startOAuthMcpServer();
  servers.remote = { type: 'http', url: remote.url };
});
after(() => remote?.close());

const SCRIPT: AgentScript = {
  turns: [
    {
      when: { userIncludes: 'order 77', step: 0 },
      toolCalls: [{ name: 'remote__lookup_order', arguments: JSON.stringify({ order_id: 'ORD-77' }) }],
    },
    {
      when: { userIncludes: 'order 77', toolResultIncludes: 'Parcel-Express' },
      text: 'Order ORD-77 shipped with Parcel-Express.',
    },
    { when: { userIncludes: 'order 77' }, text: 'The remote lookup did not arrive.' },
  ],
};

const session = useSwitchyard({
  env: { OPENROUTER_API_KEY: KEY },
  settings: {
    'switchyard.model': 'anthropic/claude-sonnet-4',
    'switchyard.timeoutSeconds': 30,
    'switchyard.attachEditorContext': false,
    'switchyard.mcp.servers': servers,
  },
});

/** The MCP Servers list's row of `name` (the list is opened and closed again). */
async function serverRow(page: Page, name: string): Promise<string> {
  await runCommand(page, 'Switchyard: MCP Servers');
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first();
  await row.waitFor({ state: 'visible', timeout: 60_000 });
  const text = await row.innerText();
  await closeQuickInput(page);
  return text;
}

/** Accepts VS Code's "open the external website?" prompt, if it asks, and returns the new tab. */
async function browserTab(s: SwitchyardSession, start: () => Promise<void>): Promise<Page> {
  const popup = s.browser.context.waitForEvent('page', { timeout: 60_000 });
  await start();
  const tab = await Promise.race([
    popup,
    waitForDialog(s.page).then(async (dialog) => {
      await dialog.locator('.monaco-button', { hasText: /^Open$/ }).click();
      return popup;
    }),
  ]);
  await tab.waitForLoadState('domcontentloaded');
  await tab.locator('#authorize').waitFor({ state: 'visible', timeout: 60_000 });
  return tab;
}

async function lastAnswerDone(frame: Frame): Promise<void> {
  await frame.waitForFunction(
    () => [...document.querySelectorAll('.message.assistant')].at(-1)?.getAttribute('data-status') === 'done',
    undefined,
    { timeout: 90_000 },
  );
}

describe('MCP servers of the user, a remote one with OAuth, in a real VS Code', { timeout: 1_200_000 }, () => {
  it('typing / in a fresh window starts the servers: the prompt is offered without an agent task', STEP, async () => {
    const s = session();
    const frame = await openChatView(s.page);
    assert.equal(remote.served(), 0, 'nothing started at activation');
    const input = frame.locator('#input');
    await input.click();
    await input.pressSequentially('/');
    const menu = frame.locator('#mention-menu[data-menu="slash"]');
    await menu.locator('.mention-row[data-name="review"][data-kind="prompt"]').waitFor({ timeout: 90_000 });
    // The remote server answered 401: its "starting…" row goes once it needs a sign-in.
    await menu.locator('.mention-row[data-name="remote"]').waitFor({ state: 'detached', timeout: 90_000 });
    assert.match(await menu.locator('.mention-row[data-name="review"]').innerText(), /docs \(MCP prompt\)/);
    await s.screenshot('mcp-remote-01-slash-before-any-task');
    assert.equal(s.fake!.chatRequests().length, 0, 'no agent task, no request');
    await input.press('Escape');
    await input.fill('');
  });

  it('a remote server needs sign-in; Sign In in the browser; the agent calls its tool', STEP, async () => {
    const s = session();
    s.fake!.setAgentScript(SCRIPT);
    assert.match(await serverRow(s.page, 'remote'), /needs sign-in/);
    await runCommand(s.page, 'Switchyard: MCP Servers');
    await s.screenshot('mcp-remote-02-needs-sign-in');
    await pickQuickItem(s.page, 'remote');
    await waitUntil(async () => (await quickInputItems(s.page)).includes('Sign In'), 60_000, 'the Sign In action');
    const tab = await browserTab(s, () => pickQuickItem(s.page, 'Sign In'));
    assert.equal(new URL(tab.url()).searchParams.get('code_challenge_method'), 'S256');
    await tab.screenshot({ path: 'test-results/mcp-remote-03-authorize-page.png' });
    await tab.locator('#authorize').click();
    // Back in VS Code: the code is exchanged and the server starts with the token.
    await waitUntil(() => remote.auth.events.includes('code'), 90_000, 'the code exchanged for a token');
    await waitUntil(() => remote.served() > 0, 90_000, 'an MCP request with the token');
    await tab.close().catch(() => undefined);

    const frame = await openChatView(s.page);
    await frame.locator('#mode-agent').click();
    await frame.waitForFunction(() => document.querySelector('#mode-agent')?.getAttribute('aria-pressed') === 'true');
    const input = frame.locator('#input');
    await input.fill('where is order 77?');
    await input.press('Enter');
    const waiting = frame.locator('.tool-card[data-tool="remote__lookup_order"][data-state="waiting"]').last();
    await waiting.waitFor({ state: 'visible', timeout: 120_000 });
    assert.equal(await waiting.locator('.tool-title').innerText(), 'remote: lookup_order');
    await waiting.locator('button.approve').click();
    await frame.locator('.message.assistant', { hasText: 'Order ORD-77 shipped with Parcel-Express.' }).waitFor({
      timeout: 120_000,
    });
    await lastAnswerDone(frame);
    const bodies = s.fake!.chatRequests().map((r) => JSON.stringify(r.body));
    assert.match(bodies.at(-1)!, /Order ORD-77: shipped on 2026-11-30 via Parcel-Express/);
    await s.screenshot('mcp-remote-04-tool-done');
    assert.match(await serverRow(s.page, 'remote'), /running, \d+ tools/);
    const log = s.extensionLog();
    assert.ok(!log.includes(KEY));
    for (const b of [log, ...bodies]) assert.doesNotMatch(b, /\bat-[0-9a-f]{32}|\brt-[0-9a-f]{32}/, 'no token leaks');
  });

  it('Sign Out forgets the tokens: the server needs a sign-in again', STEP, async () => {
    const s = session();
    const served = remote.served();
    await runCommand(s.page, 'Switchyard: MCP Servers');
    await pickQuickItem(s.page, 'remote');
    await waitUntil(async () => (await quickInputItems(s.page)).includes('Sign Out'), 60_000, 'the Sign Out action');
    await pickQuickItem(s.page, 'Sign Out');
    // Opening the list starts it again (it needs no question): without a token the server refuses it.
    await waitUntil(async () => /needs sign-in/.test(await serverRow(s.page, 'remote')), 90_000, 'needs sign-in again');
    assert.equal(remote.served(), served, 'no request with a token after Sign Out');
    await runCommand(s.page, 'Switchyard: MCP Servers');
    await pickQuickItem(s.page, 'remote');
    await waitUntil(async () => (await quickInputItems(s.page)).includes('Sign In'), 60_000, 'Sign In offered again');
    assert.ok(!(await quickInputItems(s.page)).includes('Sign Out'), 'nothing left to sign out of');
    await s.screenshot('mcp-remote-05-signed-out');
    await closeQuickInput(s.page);
  });
});
