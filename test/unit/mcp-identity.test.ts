/**
 * An MCP tool's identity is its server and its own name, not the function name the model is
 * shown: names that come out the same once made safe for providers (`corp.tools` / `corp_tools`,
 * `delete.file` / `delete_file`, two long names alike in their first characters) never share an
 * "Always allow", and a tool keeps its function name whichever other servers run, and in what
 * order. Function names also start with a letter (Vertex's Gemini refuses any other), so a server
 * named `1password` does not break every request. The bridge runs for real over a hub that keeps
 * its allowed tools as the extension's permissions do.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExtraDecision } from '../../src/agent/extras';
import { McpBridge, type McpHub } from '../../src/mcp/bridge';
import { toolEntries, type McpToolInfo } from '../../src/mcp/toolCatalog';
import { checkArguments } from '../../src/mcp/validate';
import type { ToolCallView } from '../../src/protocol/messages';

type Servers = { server: string; tools: McpToolInfo[] }[];
const tool = (name: string): McpToolInfo => ({ name, description: `Does ${name}.`, inputSchema: { type: 'object' } });

/** A hub over `servers` (changed by the test as servers start and stop) that keeps "Always allow" as the extension does. */
function hubOver(servers: { now: Servers }): { hub: McpHub; called: string[] } {
  const always = new Set<string>();
  const called: string[] = [];
  const hub: McpHub = {
    tools: () => servers.now,
    call: async (server, name) => {
      called.push(`${server}/${name}`);
      return { content: [{ type: 'text', text: 'ok' }] };
    },
    check: checkArguments,
    approvalState: () => ({ trustedServers: new Set(), alwaysTools: always, alwaysServers: new Set() }),
    allowTool: async (key) => void always.add(key),
    allowServer: async () => undefined,
  };
  return { hub, called };
}

/** Runs the model's call of `server`'s `name`; the card it showed, answered with `answer`. */
async function run(bridge: McpBridge, servers: Servers, server: string, name: string, answer: ExtraDecision) {
  const fn = toolEntries(servers, ['read_file']).find((e) => e.server === server && e.tool.name === name)!.fn;
  bridge.functions(1_000_000);
  const cards: Omit<ToolCallView, 'id'>[] = [];
  await bridge.run(
    { index: 0, id: 'c1', name: fn, arguments: '{}' },
    {
      signal: new AbortController().signal,
      show: async (card) => (cards.push(card), card.state === 'waiting' ? answer : { approve: true }),
      update: () => undefined,
    },
  );
  return cards[0]!;
}

const PAIRS: [string, [string, string], [string, string]][] = [
  ['servers alike once made safe', ['corp.tools', 'read'], ['corp_tools', 'read']],
  ['servers with a space and an underscore', ['my server', 'query'], ['my_server', 'query']],
  [
    'servers alike in their first 24 characters',
    ['acme-internal-tools-prod-eu', 'deploy'],
    ['acme-internal-tools-prod-us', 'deploy'],
  ],
  ['tools of one server alike once made safe', ['fs', 'delete.file'], ['fs', 'delete_file']],
  ['a server name holding the separator', ['a__b', 'c'], ['a', 'b__c']],
];

describe('"Always allow" holds for that very tool, never for another that took its function name', () => {
  for (const [name, [s1, t1], [s2, t2]] of PAIRS)
    it(name, async () => {
      const servers = { now: [{ server: s1, tools: [tool(t1)] }] };
      const { hub, called } = hubOver(servers);
      const bridge = new McpBridge(hub, { reserved: ['read_file'], tokens: (t) => t.length / 4, maxResultChars: 4000 });
      assert.equal((await run(bridge, servers.now, s1, t1, { approve: true, always: true })).state, 'waiting');
      assert.equal((await run(bridge, servers.now, s1, t1, { approve: false })).state, 'running', 'allowed now');
      // The first server stops; the other runs (a repository's, say), alone, then listed first beside it.
      for (const now of [[{ server: s2, tools: [tool(t2)] }], [{ server: s2, tools: [tool(t2)] }, ...servers.now]]) {
        servers.now = now;
        const card = await run(bridge, now, s2, t2, { approve: false });
        assert.equal(card.state, 'waiting', `${s2}/${t2} asks (${JSON.stringify(now.map((s) => s.server))})`);
      }
      assert.deepEqual(called, [`${s1}/${t1}`, `${s1}/${t1}`]);
    });
});

describe("a tool's function name does not move to another tool", () => {
  for (const [name, [s1, t1], [s2, t2]] of PAIRS)
    it(`${name}: the same whichever other servers run, in any order`, () => {
      const fnOf = (servers: Servers, server: string, t: string) =>
        toolEntries(servers).find((e) => e.server === server && e.tool.name === t)!.fn;
      const a = { server: s1, tools: [tool(t1)] };
      const b = { server: s2, tools: [tool(t2)] };
      const alone = fnOf([a], s1, t1);
      assert.equal(fnOf([b, a], s1, t1), alone);
      assert.equal(fnOf([a, b], s1, t1), alone);
      assert.equal(fnOf([b], s2, t2), fnOf([a, b], s2, t2));
      assert.notEqual(fnOf([a, b], s2, t2), alone);
    });
});

describe('function names every provider takes', () => {
  for (const server of ['1password', '2fa', '-dash', '.dot', 'ünïcode', ''])
    it(`server "${server}"`, () => {
      const entries = toolEntries([{ server, tools: [tool('get'), tool('9lives'), tool('x'.repeat(90))] }]);
      for (const e of entries) assert.match(e.fn, /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/, e.fn);
      assert.equal(new Set(entries.map((e) => e.fn)).size, entries.length);
    });

  it('keeps a plain name readable: server__tool', () => {
    assert.deepEqual(
      toolEntries([{ server: 'github', tools: [tool('create_issue'), tool('list-prs')] }]).map((e) => e.fn),
      ['github__create_issue', 'github__list-prs'],
    );
  });
});
