/**
 * The MCP client (src/vscode/mcp/runtime.ts, the official SDK) against the test server
 * (test/mcp/server.ts, the same SDK): over stdio and over Streamable HTTP on 127.0.0.1 — tools
 * with their schemas, a call, a resource, a prompt, a list_changed notification, a crash, and a
 * process environment that holds no key of ours.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { connectServer, type McpConnection } from '../../src/vscode/mcp/runtime';
import type { McpToolInfo } from '../../src/mcp/toolCatalog';
import { stdioLaunch } from '../mcp/launch';
import { buildServer } from '../mcp/server';

const hooks = (events: string[], tools?: (t: readonly McpToolInfo[]) => void) => ({
  log: () => undefined,
  toolsChanged: (t: readonly McpToolInfo[]) => tools?.(t),
  closed: (reason: string) => void events.push(`closed: ${reason}`),
});
const text = (r: { content?: readonly unknown[] }): string =>
  (r.content ?? []).map((c) => (c as { text?: string }).text ?? '').join('');

function until(check: () => boolean, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = (): void =>
      check()
        ? resolve()
        : Date.now() - started > 20_000
          ? reject(new Error(`timed out waiting for ${what}`))
          : void setTimeout(tick, 20);
    tick();
  });
}

describe('MCP client over stdio', () => {
  it(
    'lists tools with schemas, resources and prompts, calls a tool, reads a resource, gets a prompt',
    { timeout: 60_000 },
    async () => {
      const events: string[] = [];
      const c = await connectServer(
        { name: 'shop', source: 'user', transport: 'stdio', ...stdioLaunch(), env: {} },
        undefined,
        hooks(events),
      );
      try {
        const lookup = c.tools.find((t) => t.name === 'lookup_order');
        assert.ok(lookup, 'lookup_order is listed');
        assert.deepEqual((lookup.inputSchema as { required?: string[] }).required, ['order_id']);
        assert.equal(lookup.annotations?.readOnlyHint, true);
        assert.match(
          text(await c.call('lookup_order', { order_id: 'ORD-7' }, new AbortController().signal)),
          /Order ORD-7: shipped/,
        );
        assert.deepEqual(
          c.resources.map((r) => r.uri),
          ['notes://release', 'chart://logo'],
        );
        const [notes] = await c.readResource('notes://release');
        assert.equal(notes!.mimeType, 'text/markdown');
        assert.match(notes!.text!, /BLUE-HERON/);
        assert.deepEqual(await c.readResource('chart://logo'), [{ uri: 'chart://logo', mimeType: 'image/png' }]);
        assert.deepEqual(
          c.prompts.map((p) => p.name),
          ['review'],
        );
        assert.match(await c.getPrompt('review', { focus: 'security' }), /focusing on security/);
      } finally {
        await c.close();
      }
      assert.deepEqual(events, [], 'a close we asked for is not a crash');
    },
  );

  it(
    're-lists tools on list_changed, and reports a crash with the connection closed',
    { timeout: 60_000 },
    async () => {
      const events: string[] = [];
      let latest: readonly McpToolInfo[] = [];
      const c: McpConnection = await connectServer(
        { name: 'shop', source: 'user', transport: 'stdio', ...stdioLaunch(), env: {} },
        undefined,
        hooks(events, (t) => (latest = t)),
      );
      try {
        await c.call('unlock_tools', {}, new AbortController().signal);
        await until(() => latest.some((t) => t.name === 'late_tool'), 'the re-listed tools');
        await assert.rejects(c.call('crash', {}, new AbortController().signal));
        await until(() => events.length > 0, 'the crash');
        assert.match(events[0]!, /closed/);
      } finally {
        await c.close();
      }
    },
  );

  it(
    'starts the process without the extension host environment (no OPENROUTER_API_KEY)',
    { timeout: 60_000 },
    async () => {
      process.env.OPENROUTER_API_KEY = 'sk-or-v1-must-not-leak-0000000000000000';
      const script = 'process.stdout.write(JSON.stringify(Object.keys(process.env)));';
      try {
        // The SDK's stdio transport passes its minimal environment plus the definition's env; check what a child sees.
        const { getDefaultEnvironment } = await import('@modelcontextprotocol/sdk/client/stdio.js');
        const env = { ...getDefaultEnvironment(), EXPLICIT: '1' };
        const keys = await new Promise<string[]>((resolve) => {
          const child: ChildProcess = spawn(process.execPath, ['-e', script], { env });
          let out = '';
          child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
          child.on('close', () => resolve(JSON.parse(out) as string[]));
        });
        assert.ok(!keys.includes('OPENROUTER_API_KEY'));
        assert.ok(keys.includes('EXPLICIT'));
      } finally {
        delete process.env.OPENROUTER_API_KEY;
      }
    },
  );
});

describe('MCP client over Streamable HTTP', () => {
  it('connects to a server on 127.0.0.1 and calls a tool', { timeout: 60_000 }, async () => {
    const { args } = stdioLaunch();
    const child = spawn(process.execPath, [...args, '--http', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          const m = /listening on (\S+)/.exec(d.toString());
          if (m) resolve(m[1]!);
        });
        child.on('exit', () => reject(new Error('the HTTP server exited')));
      });
      const c = await connectServer(
        { name: 'remote', source: 'user', transport: 'http', url, headers: { 'X-Test': '1' } },
        undefined,
        hooks([]),
      );
      try {
        assert.ok(c.tools.some((t) => t.name === 'chart'));
        const r = await c.call('chart', { month: '2026-11' }, new AbortController().signal);
        assert.deepEqual(
          r.content?.map((p) => (p as { type: string }).type),
          ['text', 'image', 'image', 'resource_link'],
        );
      } finally {
        await c.close();
      }
    } finally {
      child.kill();
    }
  });

  it(
    'falls back to SSE when the server refuses the Streamable HTTP POST (an SSE-only server)',
    { timeout: 60_000 },
    async () => {
      // An SSE-only server as older MCP servers are: GET /sse opens the stream, POST /messages sends.
      const sessions = new Map<string, SSEServerTransport>();
      const http = createServer(async (req, res) => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        if (req.method === 'GET' && url.pathname === '/sse') {
          const transport = new SSEServerTransport('/messages', res);
          sessions.set(transport.sessionId, transport);
          await buildServer().connect(transport);
        } else if (req.method === 'POST' && url.pathname === '/messages') {
          await sessions.get(url.searchParams.get('sessionId') ?? '')?.handlePostMessage(req, res);
        } else res.writeHead(405).end();
      });
      await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
      const logs: string[] = [];
      try {
        const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/sse`;
        const c = await connectServer({ name: 'old', source: 'user', transport: 'http', url, headers: {} }, undefined, {
          ...hooks([]),
          log: (line: string) => void logs.push(line),
        });
        try {
          assert.ok(
            logs.some((l) => /Streamable HTTP failed .*; trying SSE/.test(l)),
            logs.join('\n'),
          );
          const r = await c.call('lookup_order', { order_id: 'ORD-5' }, new AbortController().signal);
          assert.match(JSON.stringify(r), /Order ORD-5: shipped/);
        } finally {
          await c.close();
        }
      } finally {
        http.closeAllConnections();
        await new Promise<void>((resolve) => http.close(() => resolve()));
      }
    },
  );
});
