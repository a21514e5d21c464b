/**
 * An MCP server for the tests, written with the same official SDK the extension's client uses.
 * stdio by default; `--http <port>` serves Streamable HTTP on 127.0.0.1 instead (port 0 = any;
 * prints `MCP HTTP listening on <url>`). It offers:
 * - tools with schemas: `lookup_order` (order_id must match ORD-\d+; annotated read-only),
 *   `chart` (returns an image and a resource link), `stats` (structured content only),
 *   `unlock_tools` (registers `late_tool`, so the server sends `notifications/tools/list_changed`),
 *   `crash` (the process exits mid-call: a crash), `delete_everything` (annotated destructive);
 * - resources `notes://release` (text) and `chart://logo` (a PNG blob), and a prompt `review`
 *   (argument `focus`).
 * Every call is appended to the file named by `MCP_TEST_LOG` (when set) as one JSON line, so
 * tests can see what reached the server.
 */
import { appendFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

const PNG_1PX = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

function record(entry: unknown): void {
  const file = process.env.MCP_TEST_LOG;
  // Which secret-looking variables the server process can see (none should come from the host).
  const secrets = Object.keys(process.env).filter((k) => /KEY|TOKEN|SECRET|PASSWORD/i.test(k));
  if (file) appendFileSync(file, `${JSON.stringify({ ...(entry as object), secrets })}\n`);
}

export function buildServer(): McpServer {
  const server = new McpServer(
    { name: 'switchyard-test-server', version: '1.0.0' },
    { capabilities: { tools: { listChanged: true } } },
  );
  server.registerTool(
    'lookup_order',
    {
      description: 'Look up an order of the shop by its id and return its status.',
      inputSchema: { order_id: z.string().regex(/^ORD-\d+$/), verbose: z.boolean().optional() },
      annotations: { readOnlyHint: true },
    },
    async ({ order_id, verbose }) => {
      record({ tool: 'lookup_order', order_id, verbose });
      return {
        content: [
          {
            type: 'text',
            text: `Order ${order_id}: shipped on 2026-11-30 via Parcel-Express (tracking PX-7731).${verbose ? ' Weight 2.1 kg.' : ''}`,
          },
        ],
      };
    },
  );
  server.registerTool(
    'chart',
    { description: 'Draw the sales chart of a month.', inputSchema: { month: z.string() } },
    async ({ month }) => {
      record({ tool: 'chart', month });
      return {
        content: [
          { type: 'text', text: `Sales chart for ${month}.` },
          { type: 'image', data: PNG_1PX, mimeType: 'image/png' },
          { type: 'resource_link', uri: 'notes://release', name: 'release notes' },
        ],
      };
    },
  );
  server.registerTool(
    'stats',
    {
      description: 'Shop statistics as structured data.',
      inputSchema: {},
      outputSchema: { orders: z.number(), revenue: z.number() },
    },
    async () => {
      record({ tool: 'stats' });
      return { content: [], structuredContent: { orders: 42, revenue: 1234.5 } };
    },
  );
  server.registerTool('unlock_tools', { description: 'Make more tools available.', inputSchema: {} }, async () => {
    record({ tool: 'unlock_tools' });
    server.registerTool(
      'late_tool',
      { description: 'A tool that appeared later.', inputSchema: { x: z.number() } },
      async ({ x }) => ({ content: [{ type: 'text', text: `late ${x * 2}` }] }),
    );
    return { content: [{ type: 'text', text: 'late_tool is now available.' }] };
  });
  server.registerTool('crash', { description: 'Crash the server (for tests).', inputSchema: {} }, async () => {
    record({ tool: 'crash' });
    setTimeout(() => process.exit(3), 10);
    return new Promise(() => undefined);
  });
  server.registerTool(
    'delete_everything',
    { description: 'Delete all orders.', inputSchema: {}, annotations: { destructiveHint: true } },
    async () => {
      record({ tool: 'delete_everything' });
      return { content: [{ type: 'text', text: 'deleted' }] };
    },
  );
  server.registerResource(
    'release-notes',
    'notes://release',
    { title: 'Release notes', description: 'What changed in the last release', mimeType: 'text/markdown' },
    async (uri) => ({
      contents: [
        {
          uri: uri.href,
          mimeType: 'text/markdown',
          text: '# Release 4.2\n\n- Checkout accepts gift cards (codename BLUE-HERON).\n',
        },
      ],
    }),
  );
  server.registerResource(
    'logo',
    'chart://logo',
    { title: 'Shop logo', description: 'The logo as a PNG', mimeType: 'image/png' },
    async (uri) => ({ contents: [{ uri: uri.href, mimeType: 'image/png', blob: PNG_1PX }] }),
  );
  server.registerPrompt(
    'review',
    { description: 'Review the code with a focus', argsSchema: { focus: z.string().optional() } },
    async ({ focus }) => ({
      messages: [
        {
          role: 'user',
          content: {
            type: 'text',
            text: `Review the changed code of this workspace, focusing on ${focus || 'correctness'}. Name each problem with its file and line.`,
          },
        },
      ],
    }),
  );
  return server;
}

async function main(): Promise<void> {
  const i = process.argv.indexOf('--http');
  if (i < 0) {
    await buildServer().connect(new StdioServerTransport());
    return;
  }
  const http = createServer(async (req, res) => {
    // Stateless: one server and transport per request.
    const server = buildServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => void transport.close().then(() => server.close()));
    await server.connect(transport);
    await transport.handleRequest(req, res);
  });
  http.listen(Number(process.argv[i + 1] ?? 0), '127.0.0.1', () => {
    const address = http.address();
    if (address && typeof address === 'object')
      console.log(`MCP HTTP listening on http://127.0.0.1:${address.port}/mcp`);
  });
}

if (process.argv[1] && /server\.ts$/.test(process.argv[1])) void main();
