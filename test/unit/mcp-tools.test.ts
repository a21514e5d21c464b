/** MCP tools as offered: names, the provider cap, the deferral threshold, search_tools, argument checks, result flattening, approvals. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { approvalKey, mcpApprovalFor } from '../../src/mcp/approval';
import { flattenResult } from '../../src/mcp/results';
import {
  DEFER_RATIO,
  MAX_TOOLS,
  offerTools,
  SEARCH_TOOLS,
  searchTools,
  toolEntries,
  type McpToolInfo,
} from '../../src/mcp/toolCatalog';
import { checkArguments } from '../../src/mcp/validate';
import { MAX_DEPTH, providerSafeSchema, toolSchema } from '../../src/openrouter/schemaFit';

const tool = (name: string, description = `Does ${name}.`, extra: Partial<McpToolInfo> = {}): McpToolInfo => ({
  name,
  description,
  inputSchema: { type: 'object', properties: { q: { type: 'string' } } },
  ...extra,
});
const tokens = (t: string): number => Math.ceil(t.length / 4);
const many = (n: number, server = 's'): McpToolInfo[] =>
  Array.from({ length: n }, (_, i) =>
    tool(`tool_${i}`, `Tool number ${i} of the ${server} server, which does a thing.`),
  );

describe('tool names', () => {
  it('are server__tool, safe for providers, unique, never a built-in name', () => {
    const entries = toolEntries(
      [
        { server: 'git hub', tools: [tool('create.issue'), tool('create issue'), tool('x'.repeat(80))] },
        { server: 'a', tools: [tool('read_file')] },
      ],
      ['a__read_file'],
    );
    for (const e of entries) assert.match(e.fn, /^[A-Za-z0-9_-]{1,64}$/);
    // A name made safe carries a hash of the exact names: a server named `git_hub` cannot take it over.
    assert.match(entries[0]!.fn, /^git_hub__create_issue_[0-9a-f]{8}$/);
    assert.equal(new Set(entries.map((e) => e.fn)).size, entries.length);
    assert.notEqual(entries[3]!.fn, 'a__read_file');
  });
});

describe('offerTools', () => {
  it("sends every definition whole under the threshold, with the server's schema", () => {
    const entries = toolEntries([{ server: 'shop', tools: many(5) }]);
    const offer = offerTools(entries, { builtInCount: 7, contextTokens: 128_000, tokens, loaded: new Set() });
    assert.equal(offer.deferred, false);
    assert.equal(offer.definitions.length, 5);
    assert.deepEqual(offer.definitions[0]!.function.parameters, {
      type: 'object',
      properties: { q: { type: 'string' } },
    });
  });

  it('defers behind search_tools once the definitions pass ~10% of the context, for several context sizes', () => {
    const entries = toolEntries([{ server: 'big', tools: many(100) }]);
    const whole = tokens(
      JSON.stringify(
        offerTools(entries, { builtInCount: 7, contextTokens: 10_000_000, tokens, loaded: new Set() }).definitions,
      ),
    );
    for (const ctx of [8_000, 32_000, Math.floor(whole / DEFER_RATIO) - 1]) {
      const offer = offerTools(entries, { builtInCount: 7, contextTokens: ctx, tokens, loaded: new Set() });
      assert.equal(offer.deferred, true, `context ${ctx}`);
      assert.deepEqual(
        offer.definitions.map((d) => d.function.name),
        [SEARCH_TOOLS],
      );
      assert.ok(offer.tokens < whole / 20);
    }
    assert.equal(
      offerTools(entries, {
        builtInCount: 7,
        contextTokens: Math.ceil(whole / DEFER_RATIO) + 1,
        tokens,
        loaded: new Set(),
      }).deferred,
      false,
    );
  });

  it('offers the tools search_tools found, and never more than the provider cap', () => {
    const entries = toolEntries([{ server: 'big', tools: many(300) }]);
    const offer = offerTools(entries, {
      builtInCount: 7,
      contextTokens: 10_000_000,
      tokens,
      loaded: new Set(['big__tool_3', 'big__tool_250']),
    });
    assert.equal(offer.deferred, true, '300 tools are over the cap even with room in the context');
    assert.deepEqual(
      offer.definitions.map((d) => d.function.name),
      [SEARCH_TOOLS, 'big__tool_3', 'big__tool_250'],
    );
    const loadedAll = offerTools(entries, {
      builtInCount: 7,
      contextTokens: 10_000_000,
      tokens,
      loaded: new Set(entries.map((e) => e.fn)),
    });
    assert.ok(loadedAll.definitions.length + 7 <= MAX_TOOLS);
  });

  it('search_tools finds by words of the name, description or server', () => {
    const entries = toolEntries([
      {
        server: 'github',
        tools: [tool('create_issue', 'Open an issue in a repository'), tool('list_prs', 'List pull requests')],
      },
      { server: 'db', tools: [tool('query', 'Run a SQL query')] },
    ]);
    assert.deepEqual(
      searchTools(entries, 'open issue').map((e) => e.fn),
      ['github__create_issue'],
    );
    assert.deepEqual(
      searchTools(entries, 'SQL').map((e) => e.fn),
      ['db__query'],
    );
    assert.deepEqual(
      searchTools(entries, 'github')
        .map((e) => e.fn)
        .sort(),
      ['github__create_issue', 'github__list_prs'],
    );
    assert.deepEqual(searchTools(entries, '!!'), []);
  });
});

describe('tool schemas every provider accepts (Gemini rejects the whole request otherwise)', () => {
  const offered = (inputSchema: Record<string, unknown>) =>
    offerTools(toolEntries([{ server: 's', tools: [tool('t', 'T.', { inputSchema })] }]), {
      builtInCount: 0,
      contextTokens: 1_000_000,
      tokens,
      loaded: new Set(),
    }).definitions[0]!.function.parameters;

  it('drops required names the node does not define, at every depth (BoltAI #375, mcp-obsidian #105, probe #569)', () => {
    const sent = offered({
      type: 'object',
      properties: {
        title: { type: 'string' },
        items: {
          type: 'array',
          items: { type: 'object', properties: { id: { type: 'string' } }, required: ['id', 'ghost', 7] },
        },
        list: { type: 'array', items: { type: 'object', required: ['name'] } },
      },
      required: ['title', 'position', 'args', 'title'],
    });
    assert.deepEqual(sent, {
      type: 'object',
      properties: {
        title: { type: 'string' },
        items: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } },
        list: { type: 'array', items: { type: 'object' } },
      },
      required: ['title'],
    });
  });

  it('drops required when there are no properties, and properties/required on a non-object type (opencode #11889)', () => {
    assert.deepEqual(offered({ required: ['q'] }), { type: 'object' });
    assert.deepEqual(
      offered({
        type: 'object',
        properties: { data: { type: 'string', properties: { x: {} }, required: ['x'] } },
      }),
      { type: 'object', properties: { data: { type: 'string' } } },
    );
  });

  it('drops $schema at the top and inside, keeps everything else (anyOf, $defs, nullable object types)', () => {
    const sent = offered({
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: {
        v: {
          anyOf: [{ type: 'object', properties: { a: { type: 'number' } }, required: ['a', 'b'] }, { type: 'null' }],
        },
        o: { type: ['object', 'null'], properties: { k: { type: 'string' } }, required: ['k'] },
        r: { $ref: '#/$defs/R' },
      },
      $defs: { R: { $schema: 'x', type: 'object', properties: { z: { type: 'string' } }, required: ['z', 'y'] } },
      additionalProperties: false,
    });
    assert.deepEqual(sent, {
      type: 'object',
      properties: {
        v: { anyOf: [{ type: 'object', properties: { a: { type: 'number' } }, required: ['a'] }, { type: 'null' }] },
        o: { type: ['object', 'null'], properties: { k: { type: 'string' } }, required: ['k'] },
        r: { $ref: '#/$defs/R' },
      },
      $defs: { R: { type: 'object', properties: { z: { type: 'string' } }, required: ['z'] } },
      additionalProperties: false,
    });
  });

  it('stops at a bounded depth on a hostile schema; calls are checked against the schema the model is shown', () => {
    let deep: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 10_000; i++) deep = { type: 'object', properties: { n: deep } };
    let depth = 0;
    for (let node = providerSafeSchema(deep); node.properties; depth++)
      node = (node.properties as Record<string, Record<string, unknown>>).n!;
    assert.ok(depth <= MAX_DEPTH, `depth ${depth}`);
    const schema = { type: 'object', properties: { a: { type: 'string' } }, required: ['a', 'ghost'] };
    assert.equal(
      toolSchema(schema),
      toolSchema(schema),
      'one fitted object per server schema (its validator is reused)',
    );
    assert.equal(
      checkArguments('s__t', '{"a":"x"}', toolSchema(schema)).ok,
      true,
      'never a requirement the model was not shown',
    );
    assert.equal(checkArguments('s__t', '{}', toolSchema(schema)).ok, false);
  });
});

describe('checkArguments', () => {
  const schema = {
    type: 'object',
    properties: { order_id: { type: 'string', pattern: '^ORD-\\d+$' }, n: { type: 'integer', minimum: 1 } },
    required: ['order_id'],
    additionalProperties: false,
    $schema: 'http://json-schema.org/draft-07/schema#',
  };
  it('accepts valid arguments and refuses invalid ones with a sentence for the model', () => {
    assert.deepEqual(checkArguments('s__t', '{"order_id":"ORD-1","n":2}', schema), {
      ok: true,
      args: { order_id: 'ORD-1', n: 2 },
    });
    const bad: [string, RegExp][] = [
      ['{"order_id":"7"}', /order_id must match pattern/],
      ['{}', /must have required property 'order_id'/],
      ['{"order_id":"ORD-1","n":0}', /n must be >= 1/],
      ['{"order_id":"ORD-1","extra":1}', /must NOT have additional properties/],
      ['{"order_id":', /not valid JSON/],
      ['[1]', /should be a JSON object/],
    ];
    for (const [args, reason] of bad) {
      const r = checkArguments('s__t', args, schema);
      assert.equal(r.ok, false, args);
      if (!r.ok) assert.match(r.error, reason);
    }
  });
  it('does not enforce a schema it cannot compile (the server still checks)', () => {
    assert.equal(
      checkArguments('s__t', '{"a":1}', { type: 'object', properties: { a: { type: 'no-such-type' } } }).ok,
      true,
    );
  });
});

describe('flattenResult', () => {
  it('flattens text, images, resource links, embedded resources and structured content', () => {
    const r = flattenResult({
      content: [
        { type: 'text', text: 'Chart:' },
        { type: 'image', data: 'AAAA', mimeType: 'image/png' },
        { type: 'resource_link', uri: 'notes://x', name: 'notes' },
        { type: 'resource', resource: { uri: 'file:///a', text: 'embedded' } },
        { type: 'resource', resource: { uri: 'file:///b', blob: 'AA', mimeType: 'application/pdf' } },
        { type: 'video' },
      ],
    });
    assert.equal(r.ok, true);
    assert.deepEqual(r.images, [{ mimeType: 'image/png', data: 'AAAA' }]);
    assert.match(
      r.text,
      /^Chart:\n\[image 1: image\/png, 0 KiB\]\n\[resource notes: notes:\/\/x\]\n\[resource file:\/\/\/a\]\nembedded\n\[resource file:\/\/\/b: binary application\/pdf\]\n\[a "video" part/,
    );
    assert.equal(flattenResult({ content: [], structuredContent: { orders: 42 } }).text, '{\n "orders": 42\n}');
    assert.equal(
      flattenResult({ content: [{ type: 'text', text: 'ok' }], structuredContent: { a: 1 } }).text,
      'ok',
      'text wins over its structured copy',
    );
    assert.deepEqual(flattenResult({ isError: true, content: [{ type: 'text', text: 'no such order' }] }), {
      ok: false,
      text: 'no such order',
      images: [],
    });
    assert.equal(flattenResult({ isError: true }).text, 'The tool failed without saying why.');
    assert.equal(flattenResult({ content: 'junk' as unknown as [] }).text, 'The tool returned nothing.');
  });
});

describe('mcpApprovalFor', () => {
  const none = { trustedServers: new Set<string>(), alwaysTools: new Set<string>(), alwaysServers: new Set<string>() };
  const [plain, readOnly, destructive] = toolEntries([
    {
      server: 'shop',
      tools: [
        tool('a'),
        tool('b', 'x', { annotations: { readOnlyHint: true } }),
        tool('c', 'x', { annotations: { destructiveHint: true } }),
      ],
    },
  ]);
  it('asks by default, whatever the annotations say', () => {
    for (const e of [plain!, readOnly!, destructive!]) assert.equal(mcpApprovalFor(e, none).decision, 'ask');
    assert.match(mcpApprovalFor(readOnly!, none).reason, /only reads/);
  });
  it('runs a tool or server the user allowed; a destructive tool still asks unless allowed by name', () => {
    assert.equal(mcpApprovalFor(plain!, { ...none, alwaysTools: new Set([approvalKey(plain!)]) }).decision, 'auto');
    for (const state of [
      { ...none, alwaysServers: new Set(['shop']) },
      { ...none, trustedServers: new Set(['shop']) },
    ]) {
      assert.equal(mcpApprovalFor(plain!, state).decision, 'auto');
      assert.equal(mcpApprovalFor(readOnly!, state).decision, 'auto');
      assert.equal(mcpApprovalFor(destructive!, state).decision, 'ask');
    }
    assert.equal(
      mcpApprovalFor(destructive!, { ...none, alwaysTools: new Set([approvalKey(destructive!)]) }).decision,
      'auto',
    );
    assert.equal(mcpApprovalFor(plain!, { ...none, trustedServers: new Set(['other']) }).decision, 'ask');
  });
});
