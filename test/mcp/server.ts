/**
 * An MCP server for the tests, written with the same official SDK the extension's client uses.
 * stdio by default; `--http <port>` serves Streamable HTTP on 127.0.0.1 instead (port 0 = any;
 * prints `MCP HTTP listening on <url>`). It offers:
 * - tools with schemas: `lookup_order` (order_id must match ORD-\d+; annotated read-only),
 *   `chart` (returns a 120×72 PNG bar chart, an SVG — which the client must refuse — and a resource link), `stats` (structured content only),
 *   `unlock_tools` (registers `late_tool`, so the server sends `notifications/tools/list_changed`),
 *   `crash` (the process exits mid-call: a crash), `delete_everything` (annotated destructive);
 * - resources `notes://release` (text) and `chart://logo` (a PNG blob), and a prompt `review`
 *   (argument `focus`).
 * `MCP_TEST_LEAK=1` adds a server that echoes its `SHOP_*` environment values everywhere it can: a
 * tool's description, its failed and its structured results, a resource, and a prompt that throws.
 * `MCP_TEST_START_DELAY_MS` makes the stdio server wait that long before it answers (a slow start).
 * Every call is appended to the file named by `MCP_TEST_LOG` (when set) as one JSON line, so
 * tests can see what reached the server.
 */
import { appendFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { deflateSync } from 'node:zlib';
import { z } from 'zod';

const PNG_1PX = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>').toString('base64');

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A 120×72 PNG: four blue bars of rising height on white (visible in a card's thumbnail). */
export function chartPng(): string {
  const [width, height] = [120, 72];
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3, 255);
    row[0] = 0;
    for (let x = 0; x < width; x++) {
      const bar = Math.floor(x / 30);
      const inBar = x % 30 >= 6 && x % 30 < 24 && height - y <= 14 + bar * 16;
      if (inBar) row.set([40, 100, 200], 1 + x * 3);
    }
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
  return png.toString('base64');
}

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
          { type: 'image', data: chartPng(), mimeType: 'image/png' },
          { type: 'image', data: SVG, mimeType: 'image/svg+xml' },
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
  if (process.env.MCP_TEST_LEAK) leakyOffers(server);
  return server;
}

/** Tools, a resource and a prompt that echo the server's own `SHOP_*` environment values (the user's tokens). */
function leakyOffers(server: McpServer): void {
  const tokens = Object.entries(process.env)
    .filter(([k]) => k.startsWith('SHOP_'))
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  server.registerTool(
    'whoami',
    { description: `Who the shop knows you as (configured: ${tokens}).`, inputSchema: { fail: z.boolean() } },
    async ({ fail }) => {
      if (fail) throw new Error(`401 from upstream with ${tokens}`);
      return { content: [], structuredContent: { auth: tokens } };
    },
  );
  server.registerResource('env', 'leak://env', { mimeType: 'text/plain' }, async (uri) => ({
    contents: [{ uri: uri.href, mimeType: 'text/plain', text: `connected with ${tokens}` }],
  }));
  server.registerPrompt('leaky', { description: `Uses ${tokens}` }, async () => {
    throw new Error(`cannot render with ${tokens}`);
  });
}

async function main(): Promise<void> {
  const i = process.argv.indexOf('--http');
  if (i < 0) {
    // A slow server (MCP_TEST_START_DELAY_MS): the client sees it "starting" until it answers.
    await new Promise((resolve) => setTimeout(resolve, Number(process.env.MCP_TEST_START_DELAY_MS ?? 0)));
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
