/**
 * MCP tools, instructions and skills inside an agent task, host side: AgentSession + routing +
 * the real client against the fake OpenRouter's scripted model, with the MCP bridge over a real
 * stdio connection to the test server (test/mcp/server.ts, the official SDK). The model calls
 * `shop__lookup_order`: the card shows server, tool and arguments and waits; after Approve the
 * result reaches the next request. Invalid arguments never reach the server; a crash is a failed
 * card and the task goes on; instructions sit right after the system prompt; the skill tool loads
 * a skill only when called.
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { AgentExtras } from '../../src/agent/extras';
import { instructionsText, nestedNote } from '../../src/agent/instructions';
import { parseSkill, SKILL_TOOL, skillResult, skillsPromptText, skillToolDefinition } from '../../src/agent/skills';
import { McpBridge, type McpHub } from '../../src/mcp/bridge';
import { checkArguments } from '../../src/mcp/validate';
import type { ModelInfo } from '../../src/openrouter/catalogue';
import { OpenRouterClient } from '../../src/openrouter/client';
import { connectServer, type McpConnection } from '../../src/vscode/mcp/runtime';
import type { AgentScript } from '../fake-openrouter/agent';
import { FIXTURE_MODELS } from '../fake-openrouter/catalogue';
import { startFakeOpenRouter, type FakeOpenRouter } from '../fake-openrouter/server';
import { agentHarness, type AgentHarness } from '../faults/agentSession';
import { MemoryImages } from '../faults/memoryImages';
import { stdioLaunch } from '../mcp/launch';

const KEY = 'sk-or-v1-agent-mcp-test-key-000000000';
const SERVER_LOG = path.join(tmpdir(), `switchyard-mcp-test-${process.pid}.jsonl`);
const call = (name: string, args: unknown) => ({ name, arguments: JSON.stringify(args) });

let fake: FakeOpenRouter;
let models: ModelInfo[];
let connection: McpConnection | undefined;
let crashed = false;

/** The hub the extension's manager implements, over one real connection (restarted once after a crash, like the manager). */
function hub(): McpHub {
  return {
    tools: () => (connection ? [{ server: 'shop', tools: connection.tools }] : []),
    call: async (_server, tool, args, signal) => {
      if (!connection) throw new Error('it stopped: the server closed the connection');
      return connection.call(tool, args, signal);
    },
    check: checkArguments,
    approvalState: () => ({ trustedServers: new Set(), alwaysTools: new Set(), alwaysServers: new Set() }),
    allowTool: async () => undefined,
    allowServer: async () => undefined,
  };
}

function extras(skillText?: string, images?: MemoryImages): AgentExtras {
  const bridge = new McpBridge(hub(), {
    reserved: ['read_file', SKILL_TOOL],
    tokens: (t) => Math.ceil(t.length / 4),
    maxResultChars: 16_000,
    ...(images ? { images } : {}),
  });
  const skill = skillText
    ? parseSkill(skillText, 'release', '.agents/skills/release/SKILL.md', 'workspace')
    : undefined;
  const skills = skill && 'skill' in skill ? [skill.skill] : [];
  return {
    begin: async () => undefined,
    instructions: () =>
      [
        instructionsText([{ label: 'AGENTS.md', origin: 'workspace', content: 'Always answer in British English.' }]),
        skillsPromptText(skills),
      ]
        .filter(Boolean)
        .join('\n\n'),
    functions: (ctx) => [...(skills.length ? [skillToolDefinition(skills)] : []), ...bridge.functions(ctx)],
    handles: (name) => (name === SKILL_TOOL && skills.length > 0) || bridge.handles(name),
    run: async (c, context) => {
      if (c.name !== SKILL_TOOL) return bridge.run(c, context);
      const text = skillResult(skills[0]!, (skill as { body: string }).body, ['.agents/skills/release/checklist.md']);
      await context.show({ tool: SKILL_TOOL, title: 'Load skill release', state: 'done', result: text });
      return { status: 'done', content: text };
    },
    reset: () => bridge.reset(),
  };
}

const approveAll = (
  m: Parameters<NonNullable<Parameters<typeof agentHarness>[0]['onPost']>>[0],
  h: AgentHarness,
): void => {
  if (m.type !== 'messageUpdated') return;
  for (const c of m.message.tools ?? []) if (c.state === 'waiting') queueMicrotask(() => h.session.decide(c.id, true));
};

type Body = { messages: { role: string; content: unknown }[]; tools?: { function: { name: string } }[] };
/** A message's text (string content, or the text parts of a content array: system prompts carry cache breakpoints). */
const textOf = (content: unknown): string =>
  typeof content === 'string'
    ? content
    : Array.isArray(content)
      ? content.map((p: { text?: string }) => p.text ?? '').join('')
      : '';
const bodies = (): Body[] => fake.chatRequests().map((r) => r.body as Body);
const serverCalls = (): { tool: string }[] => {
  try {
    return readFileSync(SERVER_LOG, 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { tool: string });
  } catch {
    return [];
  }
};

before(async () => {
  fake = await startFakeOpenRouter({ tokenDelayMs: 0 });
  models = [...(await new OpenRouterClient({ baseUrl: fake.baseUrl, apiKey: KEY }).listModels()).models];
});
after(async () => {
  await connection?.close();
  await fake.close();
  rmSync(SERVER_LOG, { force: true });
});
beforeEach(async () => {
  fake.reset();
  rmSync(SERVER_LOG, { force: true });
  if (!connection || crashed) {
    crashed = false;
    connection = await connectServer(
      { name: 'shop', source: 'user', transport: 'stdio', ...stdioLaunch(), env: { MCP_TEST_LOG: SERVER_LOG } },
      undefined,
      {
        log: () => undefined,
        toolsChanged: () => undefined,
        closed: () => {
          crashed = true;
          connection = undefined;
        },
      },
    );
  }
});

describe('MCP tools in an agent task', () => {
  it(
    'offers server__tool with its schema, asks with server, tool and arguments, and the result reaches the next request',
    { timeout: 60_000 },
    async () => {
      fake.setAgentScript({
        turns: [
          { when: { step: 0 }, toolCalls: [call('shop__lookup_order', { order_id: 'ORD-42' })] },
          { when: { toolResultIncludes: 'Parcel-Express' }, text: 'ORD-42 shipped with Parcel-Express.' },
          { text: 'The result did not arrive.' },
        ],
      } satisfies AgentScript);
      let waiting: { title: string; server?: string; summary?: string; reason?: string } | undefined;
      const h = agentHarness({
        baseUrl: fake.baseUrl,
        models,
        apiKey: KEY,
        model: FIXTURE_MODELS.claudeSonnet4,
        extras: extras(),
        onPost: (m, hh) => {
          if (m.type === 'messageUpdated')
            for (const c of m.message.tools ?? []) if (c.state === 'waiting') waiting ??= { ...c };
          approveAll(m, hh);
        },
      });
      await h.session.send('where is order 42?');
      assert.equal(waiting?.title, 'shop: lookup_order');
      assert.equal(waiting?.server, 'shop');
      assert.match(waiting?.summary ?? '', /"order_id": "ORD-42"/);
      assert.match(waiting?.reason ?? '', /MCP tools ask before running \(the server says this one only reads\)/);
      const [first, second] = bodies();
      const offered = first!.tools!.map((t) => t.function.name);
      assert.ok(offered.includes('shop__lookup_order') && offered.includes('read_file'));
      const system = first!.messages[0]!;
      assert.equal(system.role, 'system');
      assert.match(
        textOf(system.content),
        /Instructions of the project \(AGENTS\.md\):\n~~~~\nAlways answer in British English\.\n~~~~/,
      );
      assert.match(JSON.stringify(second!.messages.at(-1)), /Order ORD-42: shipped/);
      assert.equal(h.session.views().at(-1)?.text, 'ORD-42 shipped with Parcel-Express.');
      assert.deepEqual(
        serverCalls().map((c) => c.tool),
        ['lookup_order'],
      );
    },
  );

  it(
    'refuses invalid arguments before the server sees them (variants), and the model reads why',
    { timeout: 60_000 },
    async () => {
      for (const args of [{ order_id: '42' }, {}, { order_id: 'ORD-1', verbose: 'yes' }]) {
        fake.reset();
        fake.setAgentScript({
          turns: [
            { when: { step: 0 }, toolCalls: [call('shop__lookup_order', args)] },
            { when: { toolResultIncludes: 'are invalid' }, text: 'Fixing the arguments.' },
            { text: 'No error came back.' },
          ],
        });
        const h = agentHarness({
          baseUrl: fake.baseUrl,
          models,
          apiKey: KEY,
          model: FIXTURE_MODELS.claudeSonnet4,
          extras: extras(),
          onPost: approveAll,
        });
        await h.session.send('look up an order');
        assert.equal(h.session.views().at(-1)?.text, 'Fixing the arguments.', JSON.stringify(args));
        assert.equal([...h.cards.values()][0]?.state, 'failed');
      }
      assert.deepEqual(serverCalls(), [], 'the server never saw an invalid call');
    },
  );

  it('a crashing server gives a failed card with the reason and the task goes on', { timeout: 60_000 }, async () => {
    fake.setAgentScript({
      turns: [
        { when: { step: 0 }, toolCalls: [call('shop__crash', {})] },
        { when: { toolResultIncludes: 'failed' }, text: 'The shop server failed; carrying on without it.' },
        { text: 'No failure reported.' },
      ],
    });
    const h = agentHarness({
      baseUrl: fake.baseUrl,
      models,
      apiKey: KEY,
      model: FIXTURE_MODELS.claudeSonnet4,
      extras: extras(),
      onPost: approveAll,
    });
    await h.session.send('crash it');
    const card = [...h.cards.values()][0]!;
    assert.equal(card.state, 'failed');
    assert.ok(card.summary && card.summary.length > 3, card.summary);
    assert.equal(h.session.views().at(-1)?.text, 'The shop server failed; carrying on without it.');
  });

  it(
    'a nested AGENTS.md goes with the result of the call that touched its folder, once per task',
    { timeout: 60_000 },
    async () => {
      fake.setAgentScript({
        turns: [
          { when: { step: 0 }, toolCalls: [call('read_file', { path: 'packages/api/handler.js' })] },
          { when: { step: 1 }, toolCalls: [call('read_file', { path: 'packages/api/other.js' })] },
          { text: 'Done reading.' },
        ],
      });
      const told = new Set<string>();
      const base = extras();
      const withNested: AgentExtras = {
        ...base,
        touched: async (c) => {
          const p = 'path' in c.args ? String(c.args.path) : '';
          if (!p.startsWith('packages/api/') || told.has('api')) return [];
          told.add('api');
          return [
            nestedNote({
              label: 'packages/api/AGENTS.md',
              origin: 'workspace',
              content: 'RULE-API: validate with zod.',
            }),
          ];
        },
      };
      const h = agentHarness({
        baseUrl: fake.baseUrl,
        models,
        apiKey: KEY,
        model: FIXTURE_MODELS.claudeSonnet4,
        extras: withNested,
        onPost: approveAll,
      });
      h.workspace.files.set('packages/api/handler.js', 'export const handle = (r) => r;\n');
      h.workspace.files.set('packages/api/other.js', 'export const other = 1;\n');
      await h.session.send('read the api');
      const tools = bodies()
        .at(-1)!
        .messages.filter((m) => m.role === 'tool')
        .map((m) => textOf(m.content));
      assert.equal(tools.length, 2);
      assert.match(
        tools[0]!,
        /export const handle[\s\S]*RULE-API: validate with zod\.[\s\S]*apply to files under packages\/api\//,
      );
      assert.doesNotMatch(tools[1]!, /RULE-API/, 'told once');
      assert.equal(h.session.views().at(-1)?.text, 'Done reading.');
    },
  );

  it(
    'the skill tool loads a skill only when the model calls it; its description is in the prompt',
    { timeout: 60_000 },
    async () => {
      const SKILL =
        '---\nname: release\ndescription: "How to cut a release of this project"\n---\nRun the checklist in checklist.md, then tag vX.Y.Z.\n';
      fake.setAgentScript({
        turns: [
          { when: { userIncludes: 'hello' }, text: 'Hello.' },
          { when: { userIncludes: 'release', step: 0 }, toolCalls: [call('skill', { name: 'release' })] },
          { when: { toolResultIncludes: 'tag vX.Y.Z' }, text: 'Following the release skill.' },
        ],
      });
      const h = agentHarness({
        baseUrl: fake.baseUrl,
        models,
        apiKey: KEY,
        model: FIXTURE_MODELS.claudeSonnet4,
        extras: extras(SKILL),
        onPost: approveAll,
      });
      await h.session.send('hello');
      const system = textOf(bodies()[0]!.messages[0]!.content);
      assert.match(system, /- release: How to cut a release of this project/);
      assert.doesNotMatch(JSON.stringify(bodies()), /tag vX\.Y\.Z/, 'the skill body is not sent until used');
      await h.session.send('cut a release');
      assert.match(JSON.stringify(bodies().at(-1)), /tag vX\.Y\.Z/);
      assert.equal(h.session.views().at(-1)?.text, 'Following the release skill.');
    },
  );

  it(
    'an image the chart tool returns reaches a vision model after the results; a text-only model reads that it was left out',
    { timeout: 60_000 },
    async () => {
      for (const [model, sees] of [
        [FIXTURE_MODELS.claudeSonnet4, true],
        [FIXTURE_MODELS.gpt4oMini, false],
      ] as const) {
        fake.reset();
        fake.setAgentScript({
          turns: [
            { when: { step: 0 }, toolCalls: [call('shop__chart', { month: 'May' })] },
            { when: { toolResultIncludes: 'Sales chart for May' }, text: 'The chart is drawn.' },
            { text: 'The chart did not arrive.' },
          ],
        } satisfies AgentScript);
        const images = new MemoryImages();
        const h = agentHarness({
          baseUrl: fake.baseUrl,
          models,
          apiKey: KEY,
          model,
          images,
          extras: extras(undefined, images),
          onPost: approveAll,
        });
        await h.session.send('draw the May chart');
        assert.equal(h.session.views().at(-1)?.text, 'The chart is drawn.', model);
        const second = bodies()[1]!;
        const [file] = images.files.keys();
        const card = [...h.cards.values()].find((c) => c.tool === 'shop__chart')!;
        assert.deepEqual(
          card.images?.map((i) => i.src),
          [`https://images.test/${file}`],
          'the card shows it',
        );
        const wire = JSON.stringify(second.messages);
        if (sees) {
          const last = second.messages.at(-1)!;
          assert.equal(last.role, 'user');
          assert.match(
            JSON.stringify(last.content),
            /"type":"image_url","image_url":\{"url":"data:image\/png;base64,iVBOR/,
          );
          assert.equal(second.messages.at(-2)!.role, 'tool');
        } else {
          assert.doesNotMatch(wire, /image_url/);
          assert.match(wire, /image 1 from shop__chart left out: openai\/gpt-4o-mini does not accept image input/);
        }
        assert.doesNotMatch(wire, /"images"/, 'the transcript field never goes on the wire');
      }
    },
  );
});
