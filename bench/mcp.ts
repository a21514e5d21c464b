/**
 * MCP figures: time from starting a stdio server to its tools listed (connectServer: spawn,
 * initialize, tools/resources/prompts listed — the test server runs under tsx, whose start is
 * included), time to re-list the tools of a running server (tools/list, as on list_changed), and
 * the prompt size of 100 MCP tools with and without deferral behind `search_tools` (tokens of the
 * `tools` definitions, counted with the real tokenizer, for a 128K-context model).
 *
 * Standalone: `node --import tsx bench/mcp.ts` (prints the figures as JSON).
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { estimateTokens } from '../src/context/tokens';
import { definitionOf, offerTools, toolEntries, type McpToolInfo } from '../src/mcp/toolCatalog';
import { connectServer } from '../src/vscode/mcp/runtime';
import { stdioLaunch } from '../test/mcp/launch';
import { median, percentile } from './stats';

const round = (n: number, d = 2): number => Math.round(n * 10 ** d) / 10 ** d;

function hundredTools(): McpToolInfo[] {
  return Array.from({ length: 100 }, (_, i) => ({
    name: `tool_${i}`,
    description: `Tool ${i}: reads or changes records of kind ${i} in the issue tracker, with filters, paging and sorting; returns JSON.`,
    inputSchema: {
      type: 'object',
      properties: {
        id: { type: 'string', description: 'The record id.' },
        filter: { type: 'string', description: 'A filter expression.' },
        limit: { type: 'integer', minimum: 1, maximum: 100 },
      },
      required: ['id'],
    },
  }));
}

export async function benchMcp(): Promise<{
  startP50Ms: number;
  startMaxMs: number;
  relistP50Ms: number;
  relistP99Ms: number;
  tools100WholeTokens: number;
  tools100DeferredTokens: number;
  deferredAtContext: number;
}> {
  const launch = stdioLaunch();
  const starts: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const c = await connectServer(
      { name: 'bench', source: 'user', transport: 'stdio', ...launch, env: {} },
      undefined,
      { log: () => undefined, toolsChanged: () => undefined, closed: () => undefined },
    );
    starts.push(performance.now() - t0);
    await c.close();
  }
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(new StdioClientTransport({ ...launch, stderr: 'ignore' }));
  const relists: number[] = [];
  for (let i = 0; i < 50; i++) {
    const t0 = performance.now();
    await client.listTools();
    relists.push(performance.now() - t0);
  }
  await client.close();
  const entries = toolEntries([{ server: 'tracker', tools: hundredTools() }], ['read_file']);
  const whole = estimateTokens(JSON.stringify(entries.map(definitionOf)));
  const context = 128_000;
  const offer = offerTools(entries, {
    builtInCount: 7,
    contextTokens: context,
    tokens: estimateTokens,
    loaded: new Set(),
  });
  const deferred = offer.deferred
    ? offer.tokens
    : estimateTokens(
        JSON.stringify(
          offerTools(entries, { builtInCount: 7, contextTokens: 1000, tokens: estimateTokens, loaded: new Set() })
            .definitions,
        ),
      );
  return {
    startP50Ms: round(median(starts), 1),
    startMaxMs: round(Math.max(...starts), 1),
    relistP50Ms: round(median(relists)),
    relistP99Ms: round(percentile(relists, 99)),
    tools100WholeTokens: whole,
    tools100DeferredTokens: deferred,
    deferredAtContext: offer.deferred ? context : Math.floor(whole / 0.1),
  };
}

if (process.argv[1] && /bench[\\/]mcp\.ts$/.test(process.argv[1])) {
  void benchMcp().then((r) => console.log(JSON.stringify(r, null, 2)));
}
