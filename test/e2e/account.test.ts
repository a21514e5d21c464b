/**
 * The account, driven as a person would in a real VS Code (code-server + Chromium) against the
 * fake OpenRouter's consent page: sign in from the chat view's welcome, authorize in a browser tab,
 * land back in VS Code with the key stored and the credits shown, chat with it; a forged and a
 * replayed callback are ignored; an expired code says so and keeps the key; the pool list shows
 * masked keys with their health; Test Connection tells reachable from unauthorized.
 * One VS Code for the suite; scenarios run in order.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { useSwitchyard, type SwitchyardSession } from './harness/session';
import { waitUntil } from './harness/wait';
import { clickNotificationButton, waitForNotification } from './harness/notifications';
import { runCommand, waitForQuickInput, closeQuickInput } from './harness/quickInput';
import { chatFrame, openChatView } from './harness/workbench';
import { waitForQuickInputItems } from './harness/quickPickWaits';
import { sendMessage } from './harness/chatView';
import { waitForDialog } from './harness/dialogs';

const STEP = { timeout: 240_000 };
const session = useSwitchyard({
  settings: { 'switchyard.model': 'openai/gpt-4o-mini', 'switchyard.timeoutSeconds': 20 },
});

/** Accepts VS Code's "open the external website?" prompt, if it asks, and returns the consent tab. */
async function consentTab(s: SwitchyardSession, start: () => Promise<void>): Promise<Page> {
  const popup = s.browser.context.waitForEvent('page', { timeout: 60_000 });
  await start();
  const tab = await Promise.race([
    popup,
    waitForDialog(s.page).then(async (dialog) => {
      await s.screenshot('account-open-external-prompt');
      await dialog.locator('.monaco-button', { hasText: /^Open$/ }).click();
      return popup;
    }),
  ]);
  await tab.waitForLoadState('domcontentloaded');
  // The tab is used exactly as VS Code opened it: no repair of its URL.
  await tab.locator('#authorize').waitFor({ state: 'visible', timeout: 60_000 });
  return tab;
}

/** The callback URL the consent page would send the browser back to, with `code=` added. */
async function callbackWith(tab: Page, change: (query: URLSearchParams) => void, code: string): Promise<string> {
  const callback = new URL((await tab.locator('#callback').innerText()).trim());
  // code-server: /callback?vscode-reqid=…&vscode-scheme=…&vscode-query=state%3D…; desktop: ?state=…
  // Its values are encoded twice (callback.html decodes once more than URLSearchParams).
  const inner = callback.searchParams.get('vscode-query');
  if (inner !== null) {
    const q = new URLSearchParams(decodeURIComponent(inner));
    change(q);
    callback.searchParams.set('vscode-query', encodeURIComponent(q.toString()));
  } else {
    change(callback.searchParams);
  }
  callback.searchParams.set('code', code);
  return callback.toString();
}

async function send(frame: Frame, text: string): Promise<void> {
  await sendMessage(frame, text);
  await frame.waitForFunction(
    () => [...document.querySelectorAll('.message.assistant')].at(-1)?.getAttribute('data-status') === 'done',
    undefined,
    { timeout: 60_000 },
  );
}

async function waitForLog(s: SwitchyardSession, match: RegExp, timeout = 60_000): Promise<string> {
  const find = (): string | undefined =>
    s
      .extensionLog()
      .split('\n')
      .find((l) => match.test(l));
  await waitUntil(() => find() !== undefined, timeout, `a log line matching ${String(match)}`, 250);
  return find()!;
}

describe('Switchyard account in a real VS Code', { timeout: 1_200_000 }, () => {
  it('signs in from the chat view, comes back to VS Code, stores the key and chats with it', STEP, async () => {
    const s = session();
    const frame = await openChatView(s.page);
    await frame.locator('#sign-in').waitFor({ state: 'visible', timeout: 60_000 });
    await s.screenshot('account-01-welcome');
    const tab = await consentTab(s, () => frame.locator('#sign-in').click());
    const page = new URL(tab.url());
    // code-server serves loopback sites through its port proxy; the page is the fake's /auth either way.
    const fakePort = new URL(s.fake!.url).port;
    assert.ok(
      [`${s.fake!.url}/auth`, `${new URL(s.codeServer.url).origin}/proxy/${fakePort}/auth`].includes(
        page.origin + page.pathname,
      ),
      page.href,
    );
    assert.deepEqual(
      [...page.searchParams.keys()].sort(),
      ['callback_url', 'code_challenge', 'code_challenge_method'],
      'the nested callback_url was not split',
    );
    assert.equal(page.searchParams.get('code_challenge_method'), 'S256');
    assert.match(page.searchParams.get('code_challenge') ?? '', /^[A-Za-z0-9_-]{43}$/);
    const callback = new URL(page.searchParams.get('callback_url') ?? '');
    assert.equal(callback.origin, new URL(s.codeServer.url).origin, 'asExternalUri led back to this code-server');
    assert.match(callback.searchParams.get('vscode-query') ?? '', /state/, 'the callback keeps its own query');
    // The chat view says it is waiting, with a way to cancel.
    await (await chatFrame(s.page)).locator('#sign-in-waiting').waitFor({ state: 'visible', timeout: 60_000 });
    await tab.screenshot({ path: 'test-results/account-02-consent-page.png' });
    await tab.locator('#authorize').click();
    await waitForNotification(s.page, /signed in with OpenRouter/, 60_000);
    await tab.close().catch(() => undefined);
    assert.equal(s.fake!.oauth.issued.length, 1, 'one key was minted');
    const key = s.fake!.oauth.issued[0]!;
    const exchange = s.fake!.requests.find((r) => r.path === '/api/v1/auth/keys');
    assert.equal((exchange?.body as { code_challenge_method?: string }).code_challenge_method, 'S256');
    const chat = await chatFrame(s.page);
    await chat.locator('#sign-in').waitFor({ state: 'detached', timeout: 60_000 });
    // The credits line shows the fake's GET /key numbers.
    await chat.locator('#credits').waitFor({ state: 'visible', timeout: 60_000 });
    await chat.waitForFunction(
      () => document.querySelector('#credits')?.textContent === '$74.50 of $100.00 left · today $25.50',
      undefined,
      { timeout: 60_000 },
    );
    assert.match(
      (await chat.locator('#credits').getAttribute('title')) ?? '',
      /Signed in: \$74\.50 of \$100\.00 left · today \$25\.50 · week \$25\.50 · month \$25\.50/,
    );
    await send(chat, 'Hello after signing in');
    const last = s.fake!.chatRequests().at(-1)!;
    assert.equal(last.headers.authorization, `Bearer ${key}`, 'the message went with the new key');
    assert.match(
      await chat.locator('.message.assistant').last().innerText(),
      /Echo from openai\/gpt-4o-mini: Hello after signing in/,
    );
    assert.ok(!s.allLogs().includes(key), 'the key is in no log');
    assert.ok(!(await chat.content()).includes(key), 'nor in the webview');
    await s.screenshot('account-03-signed-in');
  });

  it('ignores a forged callback (wrong state); a pending sign-in can be cancelled', STEP, async () => {
    const s = session();
    const before = s.fake!.requests.filter((r) => r.path === '/api/v1/auth/keys').length;
    const tab = await consentTab(s, () => runCommand(s.page, 'Switchyard: Sign in with OpenRouter'));
    const pageUrl = new URL(tab.url());
    // A forged callback: right shape, someone else's state, a real code.
    const code = s.fake!.oauth.mint(pageUrl.searchParams.get('code_challenge') ?? '');
    await tab.goto(await callbackWith(tab, (q) => q.set('state', 'forged-state-0123456789'), code));
    await waitForLog(s, /ignored a sign-in callback \(unknown-state\)/);
    assert.equal(
      s.fake!.requests.filter((r) => r.path === '/api/v1/auth/keys').length,
      before,
      'no code was exchanged',
    );
    // The real sign-in is still waiting (its progress toast can take a moment to come back).
    await waitForNotification(s.page, /waiting for you to sign in/);
    await s.screenshot('account-04-forged-callback-ignored');
    // The user gives up: Cancel on the progress notification.
    await clickNotificationButton(s.page, /waiting for you to sign in/, 'Cancel');
    await waitForNotification(s.page, /sign-in cancelled\. Your keys are unchanged/);
    await tab.close().catch(() => undefined);
    assert.equal(s.fake!.oauth.issued.length, 1);
  });

  it(
    'an expired code shows its error and keeps the old key; reloading the callback tab changes nothing',
    STEP,
    async () => {
      const s = session();
      const key = s.fake!.oauth.issued[0]!;
      const tab = await consentTab(s, () => runCommand(s.page, 'Switchyard: Sign in with OpenRouter'));
      await tab.goto(await callbackWith(tab, () => undefined, 'expired-code-0123'));
      const text = await waitForNotification(s.page, /sign-in failed\. The sign-in code expired/, 60_000);
      assert.match(text, /Authorization code expired/);
      assert.match(text, /previous key is unchanged/);
      await s.screenshot('account-05-expired-code');
      // The same callback again (a reloaded tab) exchanges nothing. (code-server itself drops a
      // callback id it already delivered; the extension's own replay check is unit-tested.)
      const exchanges = s.fake!.requests.filter((r) => r.path === '/api/v1/auth/keys').length;
      await tab.reload({ waitUntil: 'load' });
      await tab.close().catch(() => undefined);
      // A chat answered after the reload is the positive signal that the host has handled what
      // came before it: only then does "no second exchange" mean something.
      const chat = await openChatView(s.page);
      await send(chat, 'Still the old key?');
      assert.equal(s.fake!.chatRequests().at(-1)!.headers.authorization, `Bearer ${key}`);
      assert.equal(
        s.fake!.requests.filter((r) => r.path === '/api/v1/auth/keys').length,
        exchanges,
        'the replayed callback exchanged nothing',
      );
      assert.equal(s.fake!.oauth.issued.length, 1, 'no new key');
    },
  );

  it('lists the pool masked with its health, and fails over when a key is revoked', STEP, async () => {
    const s = session();
    const key = s.fake!.oauth.issued[0]!;
    await runCommand(s.page, 'Switchyard: Set API Key');
    const second = 'sk-or-v1-e2e-second-0123456789abcdef';
    const box = await waitForQuickInput(s.page);
    // A rejected key keeps the box open, with the reason as its message.
    await box.fill('sk-or-v1-invalid-typo-0123456789abcdef');
    await box.press('Enter');
    await s.page.waitForFunction(
      () =>
        /OpenRouter rejected this key/.test(
          document.querySelector('.quick-input-widget .quick-input-message')?.textContent ?? '',
        ),
      undefined,
      { timeout: 60_000 },
    );
    assert.ok(await box.isVisible(), 'the box is still open');
    await s.screenshot('account-06a-rejected-key-stays');
    await box.fill(second);
    await box.press('Enter');
    await waitForNotification(s.page, /API key saved/);
    // "Set API Key" puts its key first: revoke it, and the request fails over to "Signed in".
    s.fake!.keys.revoke(second);
    const chat = await openChatView(s.page);
    await send(chat, 'Which key answers?');
    const tried = s
      .fake!.chatRequests()
      .slice(-2)
      .map((r) => r.headers.authorization);
    assert.deepEqual(tried, [`Bearer ${second}`, `Bearer ${key}`]);
    assert.match(
      await chat.locator('.message.assistant').last().innerText(),
      /key “API key” was rejected → trying key “Signed in”/,
    );
    await runCommand(s.page, 'Switchyard: Manage API Keys');
    await waitForQuickInput(s.page);
    // The widget shows before the extension's rows arrive: wait for both keys.
    await waitForQuickInputItems(
      s.page,
      (rows) => rows.some((r) => /Signed in/.test(r)) && rows.some((r) => /API key/.test(r)),
      'both keys',
    );
    const listText = await s.page.locator('.quick-input-widget').innerText();
    assert.match(listText, /sk-or-v1-e2e…def/, 'masked');
    assert.ok(!listText.includes(second) && !listText.includes(key), 'never a whole key');
    assert.match(listText, /cooling 30 min/, 'the revoked key cools down');
    assert.match(listText, /do not raise rate limits/);
    await s.screenshot('account-06-key-list');
    await closeQuickInput(s.page);
  });

  it('Test Connection says reachable, and unauthorized once the key is refused', STEP, async () => {
    const s = session();
    await runCommand(s.page, 'Switchyard: Test Connection');
    // Every key of the pool is checked: the revoked "API key" of the previous scenario is named.
    const reachable = await waitForNotification(
      s.page,
      /OpenRouter is reachable \(\d+ ms\)\. Keys: .*"Signed in" accepted/,
    );
    assert.match(reachable, /"API key" rejected \(User not found\./);
    s.fake!.keys.revoke(s.fake!.oauth.issued[0]!);
    // Within 30 s the cached answer comes back; "Test Again" asks again.
    await runCommand(s.page, 'Switchyard: Test Connection');
    await waitForNotification(s.page, /"Signed in" accepted.*\(checked \d+ s ago\)/);
    await clickNotificationButton(s.page, /checked \d+ s ago/, 'Test Again');
    await waitForNotification(s.page, /"Signed in" rejected/);
    await s.screenshot('account-07-test-connection');
  });
});
