/**
 * Issue 22 in a real VS Code (code-server + Chromium) against the fake OpenRouter's scripted
 * tool-using model and a real MCP server (test/mcp/server.ts, the official SDK) defined by the
 * workspace's `.vscode/mcp.json`, driven as a person would:
 * - the first agent task asks before the workspace's server starts (command, arguments, working
 *   folder and environment names shown, no value); after Allow, the model calls `shop__lookup_order`: the card shows server, tool and
 *   arguments and waits; after Approve the result reaches the next request; the server process
 *   sees none of the host's keys;
 * - the root AGENTS.md is in every request's system message; a nested one reaches the model once
 *   the task reads a file under it;
 * - a skill is loaded through the `skill` tool only when the model uses it;
 * - an image a tool returns shows on its card and reaches a vision model as an `image_url` part after
 *   the results; after a switch to a text-only model the result says it was left out, and why; the
 *   SVG the tool also returns is refused with the reason;
 * - a crashing server gives a failed card with the reason, and the task goes on;
 * - "Switchyard: MCP Servers" lists the server with its state;
 * - in Ask mode the composer lists AGENTS.md (a click opens it) and the request carries it; `/`
 *   lists built-ins, the skill and the server's prompt (its argument asked in VS Code's input
 *   box, its text put in the box); `@` attaches the server's text resource and refuses its binary
 *   one; a skill picked from `/` goes with the message.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import type { AgentScript } from '../fake-openrouter/agent';
import { stdioLaunch, workspaceServerStartQuestion } from '../mcp/launch';
import { newTask, startTask, waitForAnswer } from './harness/chatView';
import { useSwitchyard } from './harness/session';
import { waitUntil } from './harness/wait';
import { waitForDialog } from './harness/dialogs';
import {
  pickQuickItem,
  runCommand,
  closeQuickInput,
  typeIntoQuickInput,
  waitForQuickInput,
} from './harness/quickInput';
import { openChatView, waitForStatusBarModel } from './harness/workbench';
import { waitForQuickInputItems } from './harness/quickPickWaits';

const KEY = 'sk-or-v1-e2e-mcp-0123456789abcdef0123456';
const MODEL = 'anthropic/claude-sonnet-4';
const STEP = { timeout: 240_000 };
const logDir = mkdtempSync(path.join(tmpdir(), 'switchyard-mcp-e2e-'));
const SERVER_LOG = path.join(logDir, 'calls.jsonl');
after(() => rmSync(logDir, { recursive: true, force: true }));

const call = (name: string, args: unknown) => ({ name, arguments: JSON.stringify(args) });
const launch = stdioLaunch();

const SCRIPT: AgentScript = {
  turns: [
    {
      when: { userIncludes: 'order 42', step: 0 },
      text: 'Looking the order up.',
      toolCalls: [call('shop__lookup_order', { order_id: 'ORD-42' })],
    },
    {
      when: { userIncludes: 'order 42', toolResultIncludes: 'Parcel-Express' },
      text: 'Order ORD-42 shipped on 30 November with Parcel-Express.',
    },
    { when: { userIncludes: 'order 42' }, text: 'The lookup result did not arrive.' },
    {
      when: { userIncludes: 'api package', step: 0 },
      toolCalls: [call('read_file', { path: 'packages/api/handler.js' })],
    },
    { when: { userIncludes: 'api package' }, text: 'Read the handler.' },
    { when: { userIncludes: 'cut a release', step: 0 }, toolCalls: [call('skill', { name: 'release' })] },
    {
      when: { userIncludes: 'cut a release', toolResultIncludes: 'tag the commit' },
      text: 'Following the release skill: checklist first, then the tag.',
    },
    { when: { userIncludes: 'cut a release' }, text: 'The skill did not load.' },
    { when: { userIncludes: 'crash the shop', step: 0 }, toolCalls: [call('shop__crash', {})] },
    {
      when: { userIncludes: 'crash the shop', toolResultIncludes: 'failed' },
      text: 'The shop server failed; I carried on without it.',
    },
    { when: { userIncludes: 'crash the shop' }, text: 'No failure reached me.' },
    { when: { userIncludes: 'May chart', step: 0 }, toolCalls: [call('shop__chart', { month: 'May' })] },
    { when: { userIncludes: 'May chart', toolResultIncludes: 'Sales chart for May' }, text: 'The May chart is drawn.' },
    { when: { userIncludes: 'May chart' }, text: 'The chart did not arrive.' },
  ],
};

const MCP_JSON = JSON.stringify(
  {
    servers: {
      shop: {
        type: 'stdio',
        command: launch.command,
        args: launch.args,
        env: { MCP_TEST_LOG: SERVER_LOG },
        cwd: '${workspaceFolder}/packages',
      },
    },
  },
  null,
  2,
);

const session = useSwitchyard({
  env: { OPENROUTER_API_KEY: KEY },
  settings: { 'switchyard.model': MODEL, 'switchyard.timeoutSeconds': 30, 'switchyard.attachEditorContext': false },
  files: {
    '.vscode/mcp.json': `// The shop's MCP server (comments are allowed, as in VS Code)\n${MCP_JSON}\n`,
    'AGENTS.md': '# Project rules\n\nRULE-ROOT: write British English and run npm test before finishing.\n',
    'packages/api/AGENTS.md': 'RULE-API: every handler validates its input with zod.\n',
    'packages/api/handler.js': 'export function handle(req) {\n  return req.body;\n}\n',
    '.agents/skills/release/SKILL.md':
      '---\nname: release\ndescription: How to cut a release of this project\n---\nRun the checklist in checklist.md, then tag the commit vX.Y.Z.\n',
    '.agents/skills/release/checklist.md': '- changelog\n- version bump\n',
  },
});

type Body = { messages: { role: string; content: unknown }[]; tools?: { function: { name: string } }[] };
const bodies = (s: ReturnType<typeof session>): Body[] => (s.fake?.chatRequests() ?? []).map((r) => r.body as Body);
const systemOf = (b: Body | undefined): string => JSON.stringify(b?.messages[0]?.content ?? '');
const serverCalls = (): { tool: string; secrets: string[] }[] => {
  try {
    return readFileSync(SERVER_LOG, 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { tool: string; secrets: string[] });
  } catch {
    return [];
  }
};

async function card(frame: Frame, tool: string, state: string, timeout = 90_000) {
  const locator = frame.locator(`.tool-card[data-tool="${tool}"][data-state="${state}"]`).last();
  await locator.waitFor({ state: 'visible', timeout });
  return locator;
}

/** Picks a model from the status-bar picker, as a person does, and waits for the status bar to show it. */
async function pickModel(page: Page, row: RegExp, filter: string, shown: RegExp): Promise<void> {
  await page.locator('[id="switchyard.switchyard.switchyard.model"]').click();
  await waitForQuickInput(page);
  await pickQuickItem(page, row, { filter });
  await waitForStatusBarModel(page, shown);
}

/** The chart task: asked, approved, answered; returns the request that followed the tool's result. */
async function chartTask(s: ReturnType<typeof session>, frame: Frame): Promise<Body> {
  await newTask(frame);
  s.fake!.clearRequests();
  await startTask(frame, 'draw the May chart');
  const waiting = await card(frame, 'shop__chart', 'waiting');
  await waiting.locator('button.approve').click();
  await waitForAnswer(frame, 'The May chart is drawn.');
  const done = await card(frame, 'shop__chart', 'done');
  // The thumbnail is the stored PNG (120×72), loaded from the image store.
  await frame.waitForFunction(
    () => {
      const img = [
        ...document.querySelectorAll<HTMLImageElement>('.tool-card[data-tool="shop__chart"] img.tool-image-thumb'),
      ].at(-1);
      return img?.complete === true && img.naturalWidth === 120 && img.naturalHeight === 72;
    },
    undefined,
    { timeout: 30_000 },
  );
  assert.match(await done.locator('.tool-summary').innerText(), /1 image, 1 refused/);
  assert.match(
    (await done.locator('.tool-result pre').textContent()) ?? '',
    /Image 2 \(image\/svg\+xml\) was not sent: only PNG, JPEG, WebP and GIF images are \(an SVG can carry script\)/,
  );
  const all = bodies(s);
  assert.equal(all.length, 2, 'one request before the tool ran, one after');
  return all[1]!;
}

/**
 * The stored file behind the last chart thumbnail on screen: its webview resource URL carries the
 * file's path (`…/workspaceStorage/<id>/switchyard.switchyard/images/<sha256>.png`).
 */
async function chartFileOnScreen(frame: Frame): Promise<string> {
  const src = await frame
    .locator('.tool-card[data-tool="shop__chart"] img.tool-image-thumb')
    .last()
    .getAttribute('src', { timeout: 60_000 });
  // https://vscode-remote+<authority>.vscode-resource.vscode-cdn.net/<path of the file>
  const file = decodeURIComponent(new URL(src ?? 'about:blank').pathname);
  assert.match(
    file,
    /\/switchyard\.switchyard\/images\/[0-9a-f]{64}\.png$/,
    `the thumbnail's URL names its stored file: ${src}`,
  );
  return file;
}

/** Deletes the first Past Chats row titled `title` (of `count` such rows), as a person does, and waits until it is gone. */
async function deleteFromPastChats(page: Page, frame: Frame, title: string, count: number): Promise<void> {
  await frame.locator('#past-chats').click();
  const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: title });
  await waitUntil(async () => (await rows.count()) === count, 60_000, `${count} rows titled ${title}`);
  const row = rows.first();
  await row.hover();
  await row.locator('.action-label[aria-label="Delete"], .action-label[title="Delete"]').first().click();
  const dialog = await waitForDialog(page, new RegExp(`Delete the task "${title}"\\?`));
  await dialog.locator('.monaco-button', { hasText: /^Delete$/ }).click();
  await waitUntil(async () => (await rows.count()) === count - 1, 60_000, `one row titled ${title} fewer`);
  await closeQuickInput(page);
}

describe('MCP servers, instructions and skills in a real VS Code', { timeout: 1_200_000 }, () => {
  it(
    'asks before the workspace server starts; then the agent calls its tool after approval, and the result reaches the next request',
    STEP,
    async () => {
      const s = session();
      s.fake!.setAgentScript(SCRIPT);
      const frame = await openChatView(s.page);
      await frame.locator('#mode-agent').click();
      await frame.waitForFunction(
        () => document.querySelector('#mode-agent')?.getAttribute('aria-pressed') === 'true',
        undefined,
        { timeout: 60_000 },
      );
      assert.deepEqual(serverCalls(), [], 'nothing started at activation');
      await startTask(frame, 'where is order 42?');

      // The workspace's server asks first, showing everything that decides what runs, and no env value.
      const dialog = await waitForDialog(s.page, workspaceServerStartQuestion('shop'));
      const question = await dialog.innerText();
      assert.ok(question.includes(`Command: ${launch.command}`), 'the command is shown');
      assert.ok(question.includes(launch.args.at(-1)!), 'the arguments are shown');
      assert.ok(question.includes('Working folder: ${workspaceFolder}/packages'), 'the cwd is shown');
      assert.ok(question.includes('Environment variables: MCP_TEST_LOG (values not shown)'), 'env names are shown');
      assert.ok(!question.includes(SERVER_LOG), 'no environment value is shown');
      assert.equal(s.fake!.chatRequests().length, 0, 'nothing is sent before the user answers');
      await s.screenshot('mcp-01-start-asked');
      await dialog.locator('.monaco-button', { hasText: 'Allow and Start' }).click();

      // The tool's card shows server, tool and arguments, and waits.
      const waiting = await card(frame, 'shop__lookup_order', 'waiting');
      assert.equal(await waiting.locator('.tool-title').innerText(), 'shop: lookup_order');
      assert.match(await waiting.locator('.tool-summary').innerText(), /"order_id": "ORD-42"/);
      assert.ok(await waiting.locator('button.always-allow-server').isVisible());
      assert.deepEqual(serverCalls(), [], 'not called before Approve');
      await s.screenshot('mcp-02-tool-waiting');
      await waiting.locator('button.approve').click();
      await waitForAnswer(frame, 'Order ORD-42 shipped on 30 November with Parcel-Express.');
      await card(frame, 'shop__lookup_order', 'done');

      const all = bodies(s);
      assert.ok(
        all[0]!.tools!.some((t) => t.function.name === 'shop__lookup_order'),
        'offered as server__tool',
      );
      assert.match(
        JSON.stringify(all.at(-1)!.messages.at(-1)),
        /Order ORD-42: shipped on 2026-11-30 via Parcel-Express/,
      );
      assert.match(systemOf(all[0]), /RULE-ROOT: write British English/, 'the root AGENTS.md is in the system message');
      assert.match(
        systemOf(all[0]),
        /- release: How to cut a release of this project/,
        'skill names and descriptions only',
      );
      assert.doesNotMatch(JSON.stringify(all), /tag the commit vX\.Y\.Z/, 'no skill body before it is used');
      const calls = serverCalls();
      assert.deepEqual(
        calls.map((c) => c.tool),
        ['lookup_order'],
      );
      assert.deepEqual(calls[0]!.secrets, [], "the server process sees none of the host's keys");
      await s.screenshot('mcp-03-tool-done');
      assert.ok(!s.extensionLog().includes(KEY));
    },
  );

  it(
    'in Ask mode: the instruction files are listed and sent; / runs an MCP prompt and a skill; @ attaches a resource',
    STEP,
    async () => {
      const s = session();
      const frame = await openChatView(s.page);
      await frame.locator('#mode-ask').click();
      await frame.waitForFunction(() => document.querySelector('#mode-ask')?.getAttribute('aria-pressed') === 'true');
      // The composer lists the instruction files in effect; a click opens one.
      const instructions = frame.locator('#instructions');
      await instructions.locator('.instruction-file[data-label="AGENTS.md"][data-on="true"]').waitFor();
      await s.screenshot('mcp-07-instructions');
      await instructions.locator('.instruction-file[data-label="AGENTS.md"]').click();
      await s.page.locator('.tabs-container .tab', { hasText: 'AGENTS.md' }).waitFor({ state: 'visible' });

      // "/" lists the built-ins, the skill and the running server's prompt; /review asks for its argument.
      const input = frame.locator('#input');
      await input.click();
      await input.pressSequentially('/');
      const menu = frame.locator('#mention-menu[data-menu="slash"]');
      await menu.locator('.mention-row[data-name="review"]').waitFor();
      const names = await menu.locator('.mention-label').allInnerTexts();
      for (const n of ['/new', '/model', '/release', '/review']) assert.ok(names.includes(n), names.join(' '));
      assert.ok(!names.includes('/compact'), '/compact belongs to Agent mode');
      await s.screenshot('mcp-08-slash-menu');
      await input.pressSequentially('rev');
      await menu.locator('.mention-row').first().and(menu.locator('[data-name="review"]')).waitFor();
      await input.press('Enter');
      await typeIntoQuickInput(s.page, 'security');
      await frame.waitForFunction(() =>
        (document.querySelector('#input') as HTMLTextAreaElement).value.includes('focusing on security'),
      );
      assert.equal(
        await input.inputValue(),
        'Review the changed code of this workspace, focusing on security. Name each problem with its file and line.',
      );
      await s.screenshot('mcp-09-prompt-inserted');
      await input.fill('');

      // @ lists the server's resources: a binary one is refused with the reason, a text one attached.
      await input.pressSequentially('@logo');
      await frame.locator('#mention-menu .mention-row[data-kind="resource"][data-path="chart://logo"]').click();
      await frame.locator('#composer-notice', { hasText: 'is binary (image/png)' }).waitFor();
      await input.fill('');
      await input.pressSequentially('@release-n');
      // Typing narrows the list a key at a time: wait until the text resource is the active row.
      const row = frame.locator('#mention-menu .mention-row.active[data-kind="resource"][data-path="notes://release"]');
      await row.waitFor();
      assert.match(await row.innerText(), /release-notes\s*shop · notes:\/\/release/);
      await input.press('Enter');
      await frame.locator('.chip', { hasText: 'shop: notes://release' }).waitFor();
      await s.screenshot('mcp-10-resource-chip');
      s.fake!.clearRequests();
      await input.pressSequentially('what changed in the release?');
      await input.press('Enter');
      await frame.waitForFunction(
        () => [...document.querySelectorAll('.message.assistant')].at(-1)?.getAttribute('data-status') === 'done',
        undefined,
        { timeout: 60_000 },
      );
      const asked = bodies(s).at(-1)!;
      assert.match(systemOf(asked), /RULE-ROOT: write British English/, 'Ask mode reads AGENTS.md');
      assert.equal(asked.tools, undefined, 'Ask mode offers no tools');
      const userTurn = JSON.stringify(asked.messages.at(-1));
      assert.match(userTurn, /MCP resource shop: notes:\/\/release/);
      assert.match(userTurn, /codename BLUE-HERON/);

      // A skill picked from "/" goes with the message as a chip.
      await input.pressSequentially('/relea');
      await menu.locator('.mention-row[data-name="release"][data-kind="skill"]').click();
      await frame.locator('.chip', { hasText: '.agents/skills/release/SKILL.md' }).waitFor();
      assert.equal(await input.inputValue(), '/release ');
      s.fake!.clearRequests();
      await input.pressSequentially('4.3');
      await input.press('Enter');
      await frame.locator('.message.user', { hasText: '/release 4.3' }).waitFor();
      await frame.waitForFunction(
        () => [...document.querySelectorAll('.message.assistant')].at(-1)?.getAttribute('data-status') === 'done',
        undefined,
        { timeout: 60_000 },
      );
      assert.match(JSON.stringify(bodies(s).at(-1)!.messages.at(-1)), /tag the commit vX\.Y\.Z/);
      assert.ok(!s.extensionLog().includes(KEY));

      await frame.locator('#mode-agent').click();
      await frame.waitForFunction(() => document.querySelector('#mode-agent')?.getAttribute('aria-pressed') === 'true');
    },
  );

  it('a nested AGENTS.md reaches the model once the task touches its folder', STEP, async () => {
    const s = session();
    const frame = await openChatView(s.page);
    await newTask(frame);
    s.fake!.clearRequests();
    await startTask(frame, 'look at the api package');
    await waitForAnswer(frame, 'Read the handler.');
    const all = bodies(s);
    assert.doesNotMatch(JSON.stringify(all[0]), /RULE-API/, 'not before the folder is touched');
    assert.match(
      JSON.stringify(all.at(-1)),
      /RULE-API: every handler validates its input with zod\..*apply to files under packages\/api\//,
    );
    assert.match(systemOf(all.at(-1)), /RULE-ROOT/);
  });

  it('loads a skill through the skill tool when the model uses it', STEP, async () => {
    const s = session();
    const frame = await openChatView(s.page);
    await newTask(frame);
    s.fake!.clearRequests();
    await startTask(frame, 'cut a release');
    await waitForAnswer(frame, 'Following the release skill: checklist first, then the tag.');
    const loaded = await card(frame, 'skill', 'done');
    assert.equal(await loaded.locator('.tool-title').innerText(), 'Load skill release');
    assert.doesNotMatch(JSON.stringify(bodies(s)[0]), /tag the commit/);
    assert.match(JSON.stringify(bodies(s).at(-1)), /tag the commit vX\.Y\.Z.*\.agents\/skills\/release\/checklist\.md/);
    await s.screenshot('mcp-04-skill');
  });

  it(
    "an image the tool returns shows on its card and reaches a vision model; a text-only model's request says it was left out and why",
    STEP,
    async () => {
      const s = session();
      const frame = await openChatView(s.page);
      const seen = await chartTask(s, frame);
      assert.equal((seen as Body & { model: string }).model, MODEL);
      const last = seen.messages.at(-1)!;
      assert.equal(seen.messages.at(-2)!.role, 'tool', 'the images follow the tool result');
      assert.equal(last.role, 'user');
      const parts = last.content as { type: string; text?: string; image_url?: { url: string } }[];
      assert.match(parts[0]!.text!, /^Attached image\(s\) from the tool results above: image 1 from shop__chart\./);
      assert.equal(parts.length, 2);
      assert.match(parts[1]!.image_url!.url, /^data:image\/png;base64,iVBORw0KGgo/);
      assert.doesNotMatch(JSON.stringify(seen), /image\/svg\+xml;base64/, 'the SVG is never sent');
      await s.screenshot('mcp-12-tool-image-vision');

      // A person switches to a text-only model and asks again.
      await pickModel(s.page, /GPT-4o-mini/, 'gpt-4o-mini', /GPT-4o-mini/i);
      const blind = await chartTask(s, frame);
      assert.equal((blind as Body & { model: string }).model, 'openai/gpt-4o-mini');
      assert.doesNotMatch(JSON.stringify(blind), /image_url/);
      const result = JSON.stringify(blind.messages.at(-1));
      assert.equal(blind.messages.at(-1)!.role, 'tool');
      assert.match(result, /image 1 from shop__chart left out: openai\/gpt-4o-mini does not accept image input/);
      await s.screenshot('mcp-13-tool-image-text-only');
      await pickModel(s.page, /Claude Sonnet 4/, 'claude sonnet', /claude-sonnet-4/i);
    },
  );

  it(
    "deleting the chart tasks from Past Chats deletes the chart's stored file, once no task still shows it",
    STEP,
    async () => {
      const s = session();
      const frame = await openChatView(s.page);
      // Both chart tasks stored the same picture: one file, named by its SHA-256, in the workspace's storage.
      const file = await chartFileOnScreen(frame);
      assert.ok(existsSync(file), `${file} is stored`);

      await deleteFromPastChats(s.page, frame, 'draw the May chart', 2);
      assert.ok(existsSync(file), 'the other chart task still shows it');
      await deleteFromPastChats(s.page, frame, 'draw the May chart', 1);
      await waitUntil(() => !existsSync(file), 60_000, 'the chart file is deleted with the last task showing it');
      await s.screenshot('mcp-14-chart-tasks-deleted');
    },
  );

  it(
    'a crashing server gives a failed card with the reason, and the task goes on; MCP Servers shows the state',
    STEP,
    async () => {
      const s = session();
      const frame = await openChatView(s.page);
      await newTask(frame);
      await startTask(frame, 'crash the shop');
      const waiting = await card(frame, 'shop__crash', 'waiting');
      await waiting.locator('button.approve').click();
      const failed = await card(frame, 'shop__crash', 'failed');
      assert.ok((await failed.locator('.tool-summary').innerText()).length > 5);
      await waitForAnswer(frame, 'The shop server failed; I carried on without it.');
      await s.screenshot('mcp-05-crash');

      await runCommand(s.page, 'Switchyard: MCP Servers');
      // The list can be drawn before the server's state reaches it: wait for the shop row, then its state.
      await waitForQuickInputItems(s.page, (rows) => rows.some((r) => /shop/.test(r)), 'the shop server');
      const first = s.page.locator('.quick-input-list .monaco-list-row').first();
      await waitUntil(
        async () => /failed: it stopped/.test(await first.innerText().catch(() => '')),
        60_000,
        'the first row says the server failed',
      ).catch(async (error: unknown) => {
        throw new Error(`${String(error)}; it says: ${await first.innerText().catch(() => '')}`);
      });
      await s.screenshot('mcp-06-servers');
      await closeQuickInput(s.page);
    },
  );

  it(
    "in Ask mode, a file attached with @ brings its folder's AGENTS.md: listed in the composer and sent",
    STEP,
    async () => {
      const s = session();
      const frame = await openChatView(s.page);
      await frame.locator('#mode-ask').click();
      await frame.waitForFunction(() => document.querySelector('#mode-ask')?.getAttribute('aria-pressed') === 'true');
      const instructions = frame.locator('#instructions');
      await instructions.locator('.instruction-file[data-label="AGENTS.md"]').waitFor();
      assert.equal(await instructions.locator('.instruction-file[data-label="packages/api/AGENTS.md"]').count(), 0);
      const input = frame.locator('#input');
      await input.click();
      await input.pressSequentially('@handler');
      await frame.locator('#mention-menu .mention-row[data-kind="file"][data-path="packages/api/handler.js"]').click();
      await frame.locator('.chip', { hasText: 'packages/api/handler.js' }).waitFor();
      // The nearest nested AGENTS.md of the attached file joins the list.
      await instructions.locator('.instruction-file[data-label="packages/api/AGENTS.md"][data-on="true"]').waitFor();
      await s.screenshot('mcp-11-ask-nested-instructions');
      s.fake!.clearRequests();
      await input.pressSequentially('is this handler safe?');
      await input.press('Enter');
      await frame.locator('.message.user', { hasText: 'is this handler safe?' }).waitFor();
      await waitUntil(() => bodies(s).length > 0, 60_000, 'the Ask request reached the fake');
      await frame.waitForFunction(
        () => [...document.querySelectorAll('.message.assistant')].at(-1)?.getAttribute('data-status') === 'done',
        undefined,
        { timeout: 60_000 },
      );
      const system = systemOf(bodies(s).at(-1));
      assert.match(system, /RULE-ROOT: write British English/);
      assert.match(
        system,
        /RULE-API: every handler validates its input with zod/,
        'the nested file is in the system message',
      );
    },
  );
});
