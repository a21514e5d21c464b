/**
 * The first vertical slice, driven as a person would in a real VS Code (code-server + Chromium)
 * against the fake OpenRouter: set a key, pick a model from the status bar, ask about a
 * selection and watch it stream, stop an answer, see a fallback serve, reload and find the
 * history, and meet a 401 with its fix. One VS Code for the whole suite; scenarios run in order.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { textOf } from '../fake-openrouter/answer';
import { markdownPreview, sendMessage } from './harness/chatView';
import { FACTORIAL_LINES } from './harness/fixtures';
import { scanForSecret } from './harness/leaks';
import { resultsDir } from './harness/paths';
import { SEL } from './harness/selectors';
import { useSwitchyard } from './harness/session';
import { waitUntil } from './harness/wait';
import { openFile, selectLines } from './harness/editors';
import { waitForNotification } from './harness/notifications';
import { pickQuickItem, runCommand, typeIntoQuickInput, waitForQuickInput } from './harness/quickInput';
import { chatFrame, openChatView, reloadWindow, waitForStatusBarModel } from './harness/workbench';
import { waitForDialog } from './harness/dialogs';

const KEY = 'sk-or-v1-e2e-0123456789abcdef0123456789';
const PRIMARY = 'anthropic/claude-sonnet-4';
const FALLBACK = 'google/gemini-2.5-flash';
const STEP = { timeout: 180_000 };

const session = useSwitchyard({
  settings: { 'switchyard.fallbackModels': [FALLBACK], 'switchyard.timeoutSeconds': 20 },
});

/** Every request the browser (workbench and webviews) made, and whether it carried the key anywhere. */
const browserRequests: { url: string; carriesKey: boolean }[] = [];

/** The last assistant message once it has the given status. */
async function lastAnswer(frame: Frame, status: string, timeout = 60_000): Promise<{ text: string; meta: string }> {
  const answer = frame.locator('.message.assistant').last();
  await frame.waitForFunction(
    (s) => [...document.querySelectorAll('.message.assistant')].at(-1)?.getAttribute('data-status') === s,
    status,
    { timeout },
  );
  const meta = (await answer.locator('.meta').count()) > 0 ? await answer.locator('.meta').innerText() : '';
  return { text: await answer.innerText(), meta };
}

/**
 * Every IndexedDB record and localStorage item of the workbench's origin, as text. Plain
 * JavaScript source: tsx's helpers do not exist in the page.
 */
async function browserStorage(page: Page): Promise<{ where: string; value: string }[]> {
  return page.evaluate(`(async () => {
    const out = [];
    const req = (r) => new Promise((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
    const text = (v) => typeof v === 'string' ? v : v instanceof Uint8Array || v instanceof ArrayBuffer ? new TextDecoder().decode(v) : JSON.stringify(v) ?? String(v);
    for (const info of await indexedDB.databases()) {
      const db = await req(indexedDB.open(info.name));
      for (const name of Array.from(db.objectStoreNames)) {
        const store = db.transaction(name, 'readonly').objectStore(name);
        const [keys, values] = await Promise.all([req(store.getAllKeys()), req(store.getAll())]);
        keys.forEach((k, i) => out.push({ where: info.name + '/' + name + '/' + String(k), value: text(values[i]) }));
      }
      db.close();
    }
    for (let i = 0; i < localStorage.length; i++) { const k = localStorage.key(i); out.push({ where: 'localStorage/' + k, value: localStorage.getItem(k) ?? '' }); }
    return out;
  })()`);
}

async function assistantCount(frame: Frame): Promise<number> {
  return frame.locator('.message.assistant').count();
}

describe('Switchyard chat in a real VS Code', { timeout: 900_000 }, () => {
  // Inside the suite, so it runs after useSwitchyard's (root) before hook has started VS Code.
  before(() => {
    session().browser.context.on('request', (r) => {
      const carriesKey = [r.url(), JSON.stringify(r.headers()), r.postData() ?? ''].some((part) => part.includes(KEY));
      browserRequests.push({ url: r.url(), carriesKey });
    });
  });

  it('sets an API key from the command palette', STEP, async () => {
    const s = session();
    const frame = await openChatView(s.page);
    await frame.locator('#set-key').waitFor({ state: 'visible', timeout: 60_000 });
    await runCommand(s.page, 'Switchyard: Set API Key');
    await typeIntoQuickInput(s.page, KEY, { password: true });
    await waitForNotification(s.page, /API key saved/);
    assert.ok(
      s.fake?.requests.some((r) => r.path === '/api/v1/key' && r.headers.authorization === `Bearer ${KEY}`),
      'the key was checked against GET /key',
    );
    await frame.locator('#set-key').waitFor({ state: 'detached', timeout: 60_000 });
    // The catalogue is discovered as soon as the key is stored.
    await waitUntil(
      () => s.fake?.requests.some((r) => r.path === '/api/v1/models') === true,
      15_000,
      'the model list was fetched after the key was stored',
    );
    await s.screenshot('01-key-set');
  });

  it('picks a model from the status bar', STEP, async () => {
    const s = session();
    await s.page.locator(SEL.modelStatusItem).click();
    await waitForQuickInput(s.page);
    await pickQuickItem(s.page, /Claude Sonnet 4/, { filter: 'claude sonnet' });
    await waitForStatusBarModel(s.page, 'claude-sonnet-4');
    const settings = readFileSync(join(s.codeServer.userDataDir, 'User', 'settings.json'), 'utf8');
    assert.match(settings, /"switchyard\.model":\s*"anthropic\/claude-sonnet-4"/);
    assert.doesNotMatch(settings, /sk-or-v1-e2e/, 'the key is not in settings');
    const frame = await openChatView(s.page);
    await frame.waitForFunction(
      () => (document.querySelector('#model-badge')?.textContent ?? '').includes('Claude Sonnet 4'),
      undefined,
      { timeout: 60_000 },
    );
    await s.screenshot('02-model-picked');
  });

  it('sends a message with the selection attached and streams the answer', STEP, async () => {
    const s = session();
    s.fake?.setFault(PRIMARY, { kind: 'slow', delayMs: 80 });
    await openFile(s.page, 'src/math.ts');
    await selectLines(s.page, FACTORIAL_LINES.from, FACTORIAL_LINES.to);
    const frame = await openChatView(s.page);
    const chip = frame.locator('.chip', { hasText: `src/math.ts:${FACTORIAL_LINES.from}-${FACTORIAL_LINES.to}` });
    await chip.waitFor({ state: 'visible', timeout: 60_000 });
    assert.match(await chip.innerText(), /~\d+/, 'the chip shows its token count');
    await sendMessage(frame, 'What does this function do?');
    // Streaming: the answer is visible while still arriving.
    await frame.waitForFunction(
      () => {
        const last = [...document.querySelectorAll('.message.assistant')].at(-1);
        return last?.getAttribute('data-status') === 'streaming' && (last.textContent ?? '').includes('Echo from');
      },
      undefined,
      { timeout: 60_000 },
    );
    await s.screenshot('03-streaming');
    const answer = await lastAnswer(frame, 'done');
    s.fake?.setFault(PRIMARY, undefined);
    assert.match(answer.text, /Echo from anthropic\/claude-sonnet-4/);
    assert.match(answer.meta, /claude-sonnet-4/);
    assert.match(answer.meta, /Anthropic/);
    assert.match(answer.meta, /\$\d/);
    assert.equal(
      await frame.locator('.message.assistant').last().locator('.code-block').count(),
      1,
      'the code block is rendered',
    );
    const sent = s.fake?.chatRequests().at(-1)?.body as {
      model: string;
      models: string[];
      messages: { role: string; content: unknown }[];
    };
    assert.equal(sent.model, PRIMARY);
    assert.deepEqual(sent.models, [PRIMARY, FALLBACK]);
    // Claude takes prompt-cache breakpoints: the content is text parts (src/openrouter/promptCache.ts).
    assert.match(textOf(sent.messages.at(-1)!.content), /export function factorial/);
    assert.match(textOf(sent.messages.at(-1)!.content), /What does this function do\?$/);
    await s.screenshot('03-answer-with-context');
  });

  it('stops an answer midway and keeps what arrived', STEP, async () => {
    const s = session();
    s.fake?.setFault(PRIMARY, { kind: 'slow', delayMs: 400 });
    const frame = await openChatView(s.page);
    const before = await assistantCount(frame);
    await sendMessage(frame, 'Write a very long essay');
    await frame.waitForFunction(
      (n) => {
        const all = [...document.querySelectorAll('.message.assistant')];
        return all.length > n && (all.at(-1)?.textContent ?? '').includes('Echo');
      },
      before,
      { timeout: 60_000 },
    );
    await frame.locator('#stop').click();
    const answer = await lastAnswer(frame, 'stopped', 60_000);
    s.fake?.setFault(PRIMARY, undefined);
    assert.match(answer.text, /Echo from/);
    await waitUntil(() => s.fake?.chatRequests().at(-1)?.aborted === true, 60_000, 'the HTTP request was cancelled');
    await frame.locator('#send').waitFor({ state: 'visible', timeout: 60_000 }); // the composer is ready again
    await s.screenshot('04-stopped');
  });

  it('falls back to the next model when the first fails, and says so', STEP, async () => {
    const s = session();
    s.fake?.setFault(PRIMARY, { kind: 'http', status: 502, message: 'Provider returned error' });
    const frame = await openChatView(s.page);
    await sendMessage(frame, 'Are you there?');
    const answer = await lastAnswer(frame, 'done');
    s.fake?.setFault(PRIMARY, undefined);
    assert.match(answer.text, /Echo from google\/gemini-2\.5-flash/);
    const badge = frame.locator('.message.assistant').last().locator('.fallback');
    assert.match(await badge.innerText(), /claude-sonnet-4/);
    assert.match(answer.meta, /gemini-2\.5-flash/);
    await s.screenshot('05-fallback');
  });

  it('recovers an answer that breaks off mid-stream, and says so', STEP, async () => {
    const s = session();
    s.fake?.setFault(PRIMARY, [
      { kind: 'midStreamError', afterChunks: 4, code: 502, message: 'Provider disconnected' },
    ]);
    const frame = await openChatView(s.page);
    await sendMessage(frame, 'Explain circuit breakers');
    const answer = await lastAnswer(frame, 'done');
    s.fake?.setFault(PRIMARY, undefined);
    const notice = frame.locator('.message.assistant').last().locator('.route-notice');
    assert.match(
      await notice.first().innerText(),
      /claude-sonnet-4 broke off mid-answer → continuing on gemini-2\.5-flash/,
    );
    assert.match(answer.text, /Echo from anthropic\/claude-sonnet-4/, `the partial text stays: ${answer.text}`);
    assert.match(answer.text, /\(continued by google\/gemini-2\.5-flash\)/, 'the continuation follows');
    const last = s.fake?.chatRequests().at(-1)?.body as {
      model: string;
      messages: { role: string; content: unknown }[];
    };
    assert.equal(last.model, FALLBACK);
    // Gemini is not known to honour a prefill (src/chat/continuation.ts): the partial goes as context, then a "continue" turn.
    assert.equal(last.messages.at(-2)?.role, 'assistant', 'the partial answer is sent as context');
    assert.match(textOf(last.messages.at(-1)?.content), /^Your previous answer was cut off/);
    await s.screenshot('05-mid-stream-recovered');
  });

  it('restores the conversation after a window reload', STEP, async () => {
    const s = session();
    let frame = await openChatView(s.page);
    const texts = await frame.locator('.message').allInnerTexts();
    assert.ok(texts.length >= 6);
    frame = (await reloadWindow(s.page)) ?? (await openChatView(s.page));
    await frame
      .locator('.message')
      .nth(texts.length - 1)
      .waitFor({ state: 'visible', timeout: 60_000 });
    const restored = await frame.locator('.message').allInnerTexts();
    assert.equal(restored.length, texts.length);
    assert.match(restored.join('\n'), /Echo from google\/gemini-2\.5-flash/);
    assert.equal(
      await frame.locator('.message.assistant[data-status="stopped"]').count(),
      1,
      'the stopped answer is still marked stopped',
    );
    await s.screenshot('06-history-after-reload');
  });

  it('inserts a code block from an answer at the editor cursor, undoably', STEP, async () => {
    const s = session();
    await openFile(s.page, 'src/math.ts');
    await s.page.keyboard.press('Control+End');
    const frame = await openChatView(s.page);
    await frame.locator('.message.assistant .code-block button.insert').last().click();
    // Monaco renders spaces as non-breaking spaces.
    const editorText = (): Promise<string> =>
      s.page
        .locator('.editor-instance .view-lines')
        .first()
        .evaluate((el) => (el.textContent ?? '').replace(/\u00a0/g, ' '));
    await s.page.waitForFunction(
      () =>
        (document.querySelector('.editor-instance .view-lines')?.textContent ?? '')
          .replace(/\u00a0/g, ' ')
          .includes('answer(): number'),
      undefined,
      { timeout: 60_000 },
    );
    await s.screenshot('07-inserted');
    await s.page.locator('.editor-instance .monaco-editor').first().click();
    await s.page.keyboard.press('Control+Z');
    await s.page.waitForFunction(
      () =>
        !(document.querySelector('.editor-instance .view-lines')?.textContent ?? '')
          .replace(/\u00a0/g, ' ')
          .includes('answer(): number'),
      undefined,
      { timeout: 60_000 },
    );
    assert.doesNotMatch(await editorText(), /answer\(\): number/);
    assert.match(await editorText(), /export function fibonacci/, 'the rest of the file is intact');
  });

  it('filters the picker to free models and keeps a favourite on top', STEP, async () => {
    const s = session();
    await s.page.locator(SEL.modelStatusItem).click();
    await waitForQuickInput(s.page);
    const rows = s.page.locator(SEL.quickInputRow);
    await rows.first().waitFor({ state: 'visible' });
    assert.match(
      (await rows.allInnerTexts()).join('\n'),
      /in \$3\.00 · out \$15\.00 \/M tokens · 200K context/,
      'prices per million and context are shown',
    );
    await s.page
      .locator('.quick-input-widget .quick-input-titlebar .action-label[aria-label="Show free models only"]')
      .click();
    await s.page.waitForFunction(
      () =>
        document.querySelector(
          '.quick-input-widget .quick-input-titlebar .action-label[aria-label^="Showing free models only"]',
        ) !== null,
      undefined,
      { timeout: 60_000 },
    );
    // The list can be redrawn after the button: wait until it lists free models only.
    let freeRows: string[] = [];
    const onlyFree = async (): Promise<boolean> => {
      freeRows = (await rows.allInnerTexts()).filter((t) => t.trim() && !/^Free models$/.test(t.trim()));
      return freeRows.length >= 2 && freeRows.every((t) => /free/i.test(t));
    };
    await waitUntil(onlyFree, 60_000, 'the picker to list free models only').catch(() => undefined);
    assert.ok(freeRows.length >= 2, `free models listed: ${JSON.stringify(freeRows)}`);
    assert.ok(
      freeRows.every((t) => /free/i.test(t)),
      `only free models: ${JSON.stringify(freeRows)}`,
    );
    const llama = rows.filter({ hasText: 'llama-3.3-70b-instruct:free' }).first();
    await llama.hover();
    await llama.locator('.action-label[aria-label="Add to favourites"]').click();
    await s.page.keyboard.press('Escape');
    await s.page.locator(SEL.modelStatusItem).click();
    await waitForQuickInput(s.page);
    // The quick input widget is reused: wait for the new list rather than read the old one.
    // Row 0 is "Auto by task" (not a model); the favourite is the first model.
    await s.page.waitForFunction(
      () =>
        (
          document.querySelector('.quick-input-widget .quick-input-list .monaco-list-row[data-index="1"]')
            ?.textContent ?? ''
        ).includes('Llama 3.3 70B Instruct (free)'),
      undefined,
      { timeout: 60_000 },
    );
    assert.match(await rows.first().innerText(), /Auto by task/, 'Auto by task comes first');
    assert.match(await rows.nth(1).innerText(), /Llama 3\.3 70B Instruct \(free\)/, 'the favourite is the first model');
    await s.screenshot('08-picker-favourite');
    await s.page.keyboard.press('Escape');
  });

  it('explains the route of the next message, rendered', STEP, async () => {
    const s = session();
    await runCommand(s.page, 'Switchyard: Explain Route');
    // The preview has content at once (the title and what is known), then fills in when the plan is made.
    await markdownPreview(s.page, 'Route plan', 60_000);
    // Rendered in the Markdown preview (headings, lists, a code block), not its source.
    const { frame: preview, text } = await markdownPreview(s.page, 'Worst case of the first attempt', 60_000);
    const candidates = await preview
      .locator('h2:has-text("Candidates, in order") + ol > li code:first-child')
      .allInnerTexts();
    assert.ok(candidates.length >= 2, `candidates listed: ${candidates.join(', ')}`);
    assert.equal(new Set(candidates).size, candidates.length, `each candidate once: ${candidates.join(', ')}`);
    assert.equal(await preview.locator('h1', { hasText: 'Route plan' }).count(), 1, 'the title is a heading');
    assert.doesNotMatch(text, /^# |```|\*\*/m, 'no Markdown source shows');
    assert.match(text, /anthropic\/claude-sonnet-4/);
    assert.match(text, /google\/gemini-2\.5-flash/, 'the cheaper fallback is a candidate');
    assert.match(text, /key API key,/, 'the key is named by its label');
    // The body as it would be sent: the chat's own fields, the messages elided.
    const json = await preview.locator('pre code').first().innerText();
    const body = JSON.parse(json) as Record<string, unknown>;
    assert.equal(body.model, PRIMARY);
    assert.equal(body.stream, true);
    assert.equal(typeof body.max_tokens, 'number');
    assert.match(String(body.messages), /^\[\d+ messages? elided\]$/);
    assert.match(text, /Spent by Switchyard: \$[\d.]+ today, \$[\d.]+ this month — what chat answers/);
    assert.match(text, /The chat header's "today" is OpenRouter's figure for your key\(s\)/);
    const frame = await chatFrame(s.page);
    assert.equal(
      await frame.locator('.chip', { hasText: 'Route plan' }).count(),
      0,
      'the explanation is never attached as context',
    );
    await s.screenshot('09-explain-route');
    // The end of the document: the budget and what each spend figure counts.
    await preview.locator('p', { hasText: 'Spent by Switchyard' }).scrollIntoViewIfNeeded();
    await s.screenshot('09-explain-route-spend');
    await s.page.keyboard.press('Control+W');
  });

  it('refreshes the model list from the palette', STEP, async () => {
    const s = session();
    s.fake?.clearRequests();
    await runCommand(s.page, 'Switchyard: Refresh Models');
    const text = await waitForNotification(s.page, /models available/);
    assert.match(text, /\d+ models available/);
    await waitUntil(
      () => s.fake?.requests.some((r) => r.path === '/api/v1/models') === true,
      60_000,
      'GET /models was requested',
    );
  });

  it('shows a 401 in the conversation with its fix', STEP, async () => {
    const s = session();
    s.fake?.keys.revoke(KEY);
    const frame = await chatFrame(s.page);
    await sendMessage(frame, 'Hello again');
    await lastAnswer(frame, 'error');
    const card = frame.locator('.message.assistant').last().locator('.error-card');
    assert.match(await card.innerText(), /API key/i);
    const fix = card.locator('button.action');
    assert.match(await fix.innerText(), /Set API Key/);
    await s.screenshot('10-unauthorized');
    await fix.click();
    const box = await waitForQuickInput(s.page);
    assert.equal(await box.getAttribute('type'), 'password', 'the fix opens the key prompt');
    await s.page.keyboard.press('Escape');
    s.fake?.keys.restore(KEY);
  });

  it('does not send context the user removed', STEP, async () => {
    const s = session();
    const frame = await chatFrame(s.page);
    const chip = frame.locator('.chip').first();
    await chip.waitFor({ state: 'visible', timeout: 60_000 });
    await chip.locator('.chip-remove').click();
    await frame.locator('.chip').first().waitFor({ state: 'detached', timeout: 60_000 });
    s.fake?.clearRequests();
    await sendMessage(frame, 'No context this time');
    await lastAnswer(frame, 'done');
    const sent = s.fake?.chatRequests().at(-1)?.body as { messages: { role: string; content: unknown }[] };
    assert.equal(textOf(sent.messages.at(-1)!.content), 'No context this time');
    await s.screenshot('11-chip-removed');
  });

  it('starts a new chat that stays empty after a reload', STEP, async () => {
    const s = session();
    let frame = await chatFrame(s.page);
    await frame.locator('#new-chat').click();
    await frame.waitForFunction(() => document.querySelectorAll('#messages .message').length === 0, undefined, {
      timeout: 60_000,
    });
    frame = (await reloadWindow(s.page)) ?? (await openChatView(s.page));
    // The host's init (with whatever history it kept) has been rendered: only then is "no message" an answer.
    await frame.locator('#messages[data-initialized="true"]').waitFor({ state: 'attached', timeout: 60_000 });
    assert.equal(await frame.locator('#messages .message').count(), 0, 'the host cleared the history too');
    await s.screenshot('12-new-chat');
  });

  it('never lets the key reach logs, settings or the webview', STEP, async () => {
    const s = session();
    const frame = await chatFrame(s.page);
    const html = await frame.content();
    assert.ok(!html.includes(KEY), 'webview DOM');
    assert.ok(!s.allLogs().includes(KEY), 'VS Code and extension logs');
    assert.ok(
      !readFileSync(join(s.codeServer.userDataDir, 'User', 'settings.json'), 'utf8').includes(KEY),
      'settings.json',
    );
    const hosts = new Set(s.fake?.requests.map((r) => r.headers.host));
    assert.deepEqual([...hosts], [new URL(s.fake!.url).host], 'the key went only to the configured base URL');
    // At the fake, the key travelled only as the Authorization header: never in a URL, a body or another header.
    const carrying = s.fake!.requests.filter((r) => r.headers.authorization === `Bearer ${KEY}`);
    assert.ok(
      carrying.some((r) => r.path.endsWith('/chat/completions')),
      'chat requests carried the key',
    );
    for (const r of s.fake!.requests) {
      const { authorization: _auth, ...headers } = r.headers;
      assert.ok(
        ![r.path, JSON.stringify(r.query), JSON.stringify(r.body ?? ''), JSON.stringify(headers)].some((part) =>
          part.includes(KEY),
        ),
        `${r.method} ${r.path}: the key only in Authorization`,
      );
    }
    // The browser never sent it anywhere (the workbench talks to the extension host over its own channel).
    assert.ok(browserRequests.length > 10, 'browser requests were recorded');
    assert.deepEqual(
      browserRequests.filter((r) => r.carriesKey).map((r) => r.url),
      [],
      'no browser request carried the key',
    );
    // A reload makes VS Code flush its storage. code-server keeps the workbench's storage — the
    // extension's workspace state (chat history), webview state, SecretStorage — in the browser's
    // IndexedDB / localStorage, and logs, settings and extension storage on the server's disk.
    await reloadWindow(s.page);
    const scan = scanForSecret([dirname(s.codeServer.userDataDir), s.workspace, resultsDir], KEY);
    assert.ok(scan.files > 20, `the scan saw the server's files (${scan.files} files, ${scan.bytes} bytes)`);
    assert.deepEqual(
      scan.found,
      [],
      'the key is in no server-side file: logs, settings, extension storage, workspace, artefacts',
    );
    const stored = await browserStorage(s.page);
    const holding = stored.filter((e) => e.value.includes(KEY)).map((e) => e.where);
    console.log(`  browser storage: ${stored.length} entries; the key is in: ${JSON.stringify(holding)}`);
    assert.ok(
      stored.length > 20 && stored.some((e) => e.where.includes('switchyard')),
      'the dump reached the workbench storage, Switchyard entries included',
    );
    assert.ok(
      holding.every((where) => /secret/i.test(where)),
      `the key is only in SecretStorage, not in state, history or webview state: ${JSON.stringify(holding)}`,
    );
    await s.screenshot('12b-after-leak-scan');
  });

  it('clears the stored key after confirmation', STEP, async () => {
    const s = session();
    await runCommand(s.page, 'Switchyard: Clear API Key');
    // The dialog names the key masked.
    const dialog = await waitForDialog(s.page, /sk-or-v1-e2e…/);
    assert.ok(!(await dialog.innerText()).includes(KEY), 'never the whole key');
    await dialog.locator('.monaco-button', { hasText: 'Clear Key' }).click();
    await waitForNotification(s.page, /API key cleared/);
    const frame = await chatFrame(s.page);
    await frame.locator('#set-key').waitFor({ state: 'visible', timeout: 60_000 });
    await s.screenshot('13-key-cleared');
  });
});
