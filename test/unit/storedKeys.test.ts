/**
 * Keys in stored transcripts: the task on screen (workspace state), Past Chats' task records and
 * chats and their list were redacted by token shape only, so the user's own key in a form without
 * one — base64, without its `sk-or-v1-` prefix, percent-escaped, split over two lines — pasted by
 * the user, printed by a command, returned by an MCP tool or quoted in an error was kept on disk.
 * Every store now redacts the user's keys in every form the redactor knows
 * (src/openrouter/knownSecrets.ts), as the logs, the tool results and the Markdown export do.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ExtraCallContext } from '../../src/agent/extras';
import { TaskStore, type TaskSnapshot } from '../../src/agent/taskStore';
import { McpBridge, type McpHub } from '../../src/mcp/bridge';
import { checkArguments } from '../../src/mcp/validate';
import { HistoryStore } from '../../src/chat/history';
import type { ModelInfo } from '../../src/openrouter/catalogue';
import { OpenRouterClient } from '../../src/openrouter/client';
import { FIXTURE_MODELS } from '../fake-openrouter/catalogue';
import { startFakeOpenRouter, type FakeOpenRouter } from '../fake-openrouter/server';
import { agentHarness } from '../faults/agentSession';
import { MemoryStore } from '../faults/session';

const KEY = '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';
const base64 = Buffer.from(KEY).toString('base64');
/** Forms of the key that carry no token shape of their own. */
const FORMS: Record<string, string> = {
  base64,
  'the key without its prefix': KEY.slice('sk-or-v1-'.length),
  'percent-encoded': [...KEY].map((c) => `%${c.charCodeAt(0).toString(16)}`).join(''),
  'split over two lines': `${KEY.slice(0, 30)}"\npart2 = "${KEY.slice(30)}`,
};

const log = { info: () => undefined, warn: () => undefined, error: () => undefined };
/** Whether any stored value still holds the key, in the form given or its halves. */
function leaks(store: MemoryStore, form: string): boolean {
  const all = JSON.stringify([...store.data.values()]).replace(/\\n|\s+/g, '');
  return [KEY, base64, form, KEY.slice(9, 40), KEY.slice(40)].some((f) => all.includes(f.replace(/\s+/g, '')));
}

/** A task whose user message, command output, MCP result and error each hold the key in `form`. */
function snapshot(form: string): TaskSnapshot {
  const card = (id: string, tool: string, result: string) => ({ id, tool, title: tool, state: 'done', result });
  return {
    id: 't1',
    mode: 'agent',
    messages: [
      { id: 'u', role: 'user', text: `use this key: ${form}`, status: 'done', createdAt: 1 },
      {
        id: 'a',
        role: 'assistant',
        text: '',
        status: 'error',
        createdAt: 2,
        tools: [card('c1', 'run_command', `printenv\nKEY=${form}`), card('c2', 'shop__lookup', form)],
        error: { message: `401 for key ${form}` },
      },
    ] as unknown as TaskSnapshot['messages'],
    transcript: [
      { role: 'user', content: `use this key: ${form}` },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'c1', type: 'function', function: { name: 'run_command', arguments: '{"command":"printenv"}' } },
          { id: 'c2', type: 'function', function: { name: 'shop__lookup', arguments: '{}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'c1', content: `KEY=${form}` },
      { role: 'tool', tool_call_id: 'c2', content: `Error: the server said: bad key ${form}` },
    ],
    spentUsd: 0,
    steps: 1,
    outcome: 'failed',
    readOnly: false,
  };
}

describe("the user's key in any known form is not stored", () => {
  for (const [what, form] of Object.entries(FORMS)) {
    it(`${what}: the task on screen and its Past Chats row (save)`, async () => {
      const store = new MemoryStore();
      const tasks = new TaskStore(store, new HistoryStore(store), log, undefined, () => [KEY]);
      await tasks.save(snapshot(form));
      assert.ok(store.data.size >= 2);
      assert.ok(!leaks(store, form), JSON.stringify([...store.data.values()]).slice(0, 400));
    });

    it(`${what}: a task kept in Past Chats when another takes the screen (keep)`, async () => {
      const store = new MemoryStore();
      const tasks = new TaskStore(store, new HistoryStore(store), log, undefined, () => [KEY]);
      await tasks.keep(snapshot(form));
      assert.ok(store.data.size >= 2);
      assert.ok(!leaks(store, form));
    });

    it(`${what}: a chat and its title (Ask mode's history)`, async () => {
      const store = new MemoryStore();
      const history = new HistoryStore(store, () => [KEY]);
      await history.save({
        id: 'c',
        messages: [
          { id: 'u', role: 'user', text: `${form} is my key`, status: 'done', createdAt: 1 },
          { id: 'a', role: 'assistant', text: `Your key ${form} failed`, status: 'done', createdAt: 2 },
        ] as never,
      });
      assert.ok(!leaks(store, form));
      assert.match(history.list()[0]!.title, /\[redacted/);
    });
  }
});

describe("an agent task's stored record, through the session", () => {
  let fake: FakeOpenRouter;
  let models: ModelInfo[];
  before(async () => {
    fake = await startFakeOpenRouter();
    models = [...(await new OpenRouterClient({ baseUrl: fake.baseUrl, apiKey: KEY }).listModels()).models];
  });
  after(() => fake.close());

  for (const [what, form] of Object.entries(FORMS)) {
    it(`${what} pasted into a task is not stored`, async () => {
      fake.reset();
      fake.setAgentScript({ turns: [{ text: 'Noted.' }] });
      const h = agentHarness({ baseUrl: fake.baseUrl, models, apiKey: KEY, model: FIXTURE_MODELS.claudeSonnet4 });
      Object.assign(h.workspace, { knownSecrets: () => [KEY] });
      await h.session.send(`here is my key: ${form}`);
      await h.session.idle();
      assert.ok(h.store.data.size > 0);
      assert.ok(!leaks(h.store, form));
    });
  }
});

describe("an MCP tool's result or error never carries the user's key to the model, the card or the task", () => {
  function bridgeOver(call: McpHub['call']): McpBridge {
    const hub: McpHub = {
      tools: () => [{ server: 'shop', tools: [{ name: 'lookup', inputSchema: { type: 'object' } }] }],
      call,
      check: checkArguments,
      approvalState: () => ({ trustedServers: new Set(['shop']), alwaysTools: new Set(), alwaysServers: new Set() }),
      allowTool: async () => undefined,
      allowServer: async () => undefined,
    };
    const options = {
      reserved: [],
      tokens: (t: string) => t.length,
      maxResultChars: 10_000,
      knownSecrets: () => [KEY],
    };
    const bridge = new McpBridge(hub, options);
    bridge.functions(100_000);
    return bridge;
  }
  for (const [what, form] of Object.entries(FORMS)) {
    it(`${what}: in a result and in a thrown error`, async () => {
      const shown: string[] = [];
      const context: ExtraCallContext = {
        signal: new AbortController().signal,
        show: async () => ({ approve: true }),
        update: (change) => void shown.push(JSON.stringify(change)),
      };
      const call = { index: 0, id: 'c1', name: 'shop__lookup', arguments: '{}' };
      const ok = await bridgeOver(async () => ({ content: [{ type: 'text', text: `token: ${form}` }] })).run(
        call,
        context,
      );
      const failed = await bridgeOver(async () => Promise.reject(new Error(`auth ${form} refused`))).run(call, context);
      const store = new MemoryStore();
      await store.update('all', [ok.content, failed.content, ...shown]);
      assert.ok(!leaks(store, form), ok.content);
    });
  }
});
