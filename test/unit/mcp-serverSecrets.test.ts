/**
 * An MCP server's own log channel (Switchyard: MCP Servers → Show Log) wrote its lines as they
 * were: the URL it starts with (`?api_key=…`, a password in it), an error quoting a header, a
 * server's stderr echoing its `env`. The channel now redacts the server's own secret values
 * verbatim, as the main log redacts the OpenRouter keys — even when they have no known key shape.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { McpServerConfig } from '../../src/mcp/config';
import { serverLogLine } from '../../src/mcp/serverSecrets';
import { redactSecrets } from '../../src/openrouter/secrets';

const remote = (url: string, headers: Record<string, string> = {}): McpServerConfig => ({
  name: 'docs',
  source: 'user',
  transport: 'http',
  url,
  headers,
});
const stdio = (args: string[], env: Record<string, string> = {}): McpServerConfig => ({
  name: 'db',
  source: 'workspace',
  transport: 'stdio',
  command: 'npx',
  args,
  env,
});

const ROWS: [string, McpServerConfig, string, string][] = [
  [
    'a key in the URL query',
    remote('https://mcp.example.com/mcp?api_key=q7Zx81mw&v=2'),
    'starting (http: https://mcp.example.com/mcp?api_key=q7Zx81mw&v=2)',
    'q7Zx81mw',
  ],
  [
    'a password in the URL',
    remote('https://bob:hunter2hunter@mcp.example.com/sse'),
    'failed to start: bad password hunter2hunter',
    'hunter2hunter',
  ],
  [
    'a bearer header',
    remote('https://mcp.example.com/', { Authorization: 'Bearer tk_live_551' }),
    'failed to start: 401 for token tk_live_551',
    'tk_live_551',
  ],
  [
    'a custom header',
    remote('https://mcp.example.com/', { 'X-Api-Key': 'plainword77' }),
    'request headers: x-api-key=plainword77',
    'plainword77',
  ],
  [
    'an env value echoed on stderr',
    stdio(['-y', 'pg-mcp'], { PGPASSWORD: 'correcthorse' }),
    'connecting with password correcthorse',
    'correcthorse',
  ],
  [
    "a 7-character env value (under the shared matcher's 8)",
    stdio(['-y', 'pg-mcp'], { PGPASSWORD: 'hunter2' }),
    'auth failed for hunter2',
    'hunter2',
  ],
  [
    'a 6-character header value',
    remote('https://mcp.example.com/', { 'X-Pin': 'q9z8x7' }),
    'rejected pin q9z8x7',
    'q9z8x7',
  ],
  [
    'an option holding a token',
    stdio(['server.js', '--api-key', 'abc123xyz']),
    'argv: server.js --api-key abc123xyz',
    'abc123xyz',
  ],
  [
    'an option=value holding a token',
    stdio(['server.js', '--github-token=gh_short9']),
    'argv: --github-token=gh_short9',
    'gh_short9',
  ],
];

describe("an MCP server's log redacts the server's own secrets", () => {
  for (const [name, config, line, secret] of ROWS)
    it(name, () => {
      assert.ok(redactSecrets(line).includes(secret), 'the shared patterns alone do not know it');
      const logged = serverLogLine(line, config);
      assert.ok(!logged.includes(secret), logged);
    });

  it('keeps what is not a secret: the host, the command, short values', () => {
    const logged = serverLogLine(
      'starting (http: https://mcp.example.com/mcp?v=2) npx -y pg-mcp',
      remote('https://mcp.example.com/mcp?v=2'),
    );
    assert.equal(logged, 'starting (http: https://mcp.example.com/mcp?v=2) npx -y pg-mcp');
  });

  it('keeps one line (a server cannot forge another entry) and redacts known key shapes too', () => {
    const logged = serverLogLine(`a\nb sk-or-v1-${'0'.repeat(64)}`, stdio([]));
    assert.ok(!logged.includes('\n'));
    assert.ok(!logged.includes('0'.repeat(64)));
  });
});
