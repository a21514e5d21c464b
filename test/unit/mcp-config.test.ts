/** MCP configuration: VS Code's mcp.json shape and the setting's, bad entries skipped with a sentence, variables, fingerprints. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RESTRICTED_REASON, startGate, startQuestionDetail } from '../../src/mcp/startGate';
import {
  definitionFingerprint,
  inputsUsed,
  launchLine,
  mergeMcpConfigs,
  parseMcpConfig,
  resolveVariables,
  type McpStdioServer,
} from '../../src/mcp/config';

describe('parseMcpConfig', () => {
  it("reads stdio, http and sse servers and inputs of VS Code's mcp.json", () => {
    const parsed = parseMcpConfig(
      {
        inputs: [{ type: 'promptString', id: 'gh-token', description: 'GitHub token', password: true }],
        servers: {
          github: {
            type: 'http',
            url: 'https://api.example.com/mcp',
            headers: { Authorization: 'Bearer ${input:gh-token}' },
          },
          fs: { command: 'npx', args: ['-y', '@scope/server-fs', '${workspaceFolder}'], env: { DEBUG: '1' } },
          legacy: { type: 'sse', url: 'http://127.0.0.1:9000/sse' },
          typed: { type: 'stdio', command: 'node', args: ['s.js'], cwd: '${workspaceFolder}/tools' },
        },
      },
      'user',
      'mcp.json',
    );
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(
      parsed.servers.map((s) => [s.name, s.transport]),
      [
        ['github', 'http'],
        ['fs', 'stdio'],
        ['legacy', 'sse'],
        ['typed', 'stdio'],
      ],
    );
    assert.deepEqual(parsed.inputs, [{ id: 'gh-token', description: 'GitHub token', password: true }]);
    assert.deepEqual(inputsUsed(parsed.servers[0]!), ['gh-token']);
  });

  it('skips each bad entry with a sentence naming it and keeps the others', () => {
    const cases: [unknown, RegExp][] = [
      [{ command: 5 }, /"command" is invalid/],
      [{}, /needs "command" \(a local server\) or "url"/],
      [{ type: 'websocket', url: 'ws://x' }, /"type" should be "stdio", "http" or "sse"/],
      [{ type: 'http', url: 'file:///etc/passwd' }, /should start with http/],
      [{ command: 'node', args: 'not-a-list' }, /"args" is invalid/],
      [{ command: 'node', env: { A: 1 } }, /"env.A" is invalid/],
      ['a string', /should be an object/],
      [null, /should be an object/],
    ];
    for (const [entry, reason] of cases) {
      const parsed = parseMcpConfig(
        { servers: { bad: entry, good: { command: 'node' } } },
        'workspace',
        '.vscode/mcp.json',
      );
      assert.deepEqual(
        parsed.servers.map((s) => s.name),
        ['good'],
        JSON.stringify(entry),
      );
      assert.equal(parsed.problems.length, 1);
      assert.match(parsed.problems[0]!, /^\.vscode\/mcp\.json: server "bad" was skipped: /);
      assert.match(parsed.problems[0]!, reason);
    }
  });

  it('refuses names that are not identifiers, whole files of the wrong shape, and bad inputs', () => {
    assert.match(
      parseMcpConfig({ servers: { '../evil name': { command: 'x' } } }, 'user', 'f').problems[0]!,
      /its name should be/,
    );
    assert.match(parseMcpConfig([1, 2], 'user', 'f').problems[0]!, /should be an object with "servers"/);
    assert.match(parseMcpConfig({ servers: [] }, 'user', 'f').problems[0]!, /"servers" should be an object/);
    const inputs = parseMcpConfig({ servers: {}, inputs: [{ id: 'ok' }, { id: 'bad id!' }, 3] }, 'user', 'f');
    assert.deepEqual(
      inputs.inputs.map((i) => i.id),
      ['ok'],
    );
    assert.equal(inputs.problems.length, 2);
  });

  it('leaves out a disabled server without a problem', () => {
    const parsed = parseMcpConfig({ servers: { off: { command: 'x', disabled: true } } }, 'user', 'f');
    assert.deepEqual([parsed.servers, parsed.problems], [[], []]);
  });
});

describe('mergeMcpConfigs', () => {
  it("keeps the user's definition when the workspace defines a server with the same name", () => {
    const user = parseMcpConfig({ servers: { db: { command: 'safe-db' } } }, 'user', 'mcp.json');
    const setting = parseMcpConfig({ servers: { docs: { url: 'https://docs.example/mcp' } } }, 'setting', 'setting');
    const ws = parseMcpConfig({ servers: { db: { command: 'evil' }, shop: { command: 'node' } } }, 'workspace', 'ws');
    const merged = mergeMcpConfigs([user, setting, ws]);
    assert.deepEqual(
      merged.servers.map((s) => `${s.name}:${s.source}`),
      ['db:user', 'docs:setting', 'shop:workspace'],
    );
    assert.match(merged.problems[0]!, /"db" of the workspace's \.vscode\/mcp\.json was skipped/);
  });
});

describe('variables', () => {
  const base: McpStdioServer = {
    name: 's',
    source: 'user',
    transport: 'stdio',
    command: '${workspaceFolder}/bin/s',
    args: ['--token', '${input:tok}', '${env:HOME}'],
    env: { KEY: '${env:OPENROUTER_API_KEY}' },
  };
  const values = {
    inputs: new Map([['tok', 'T0K']]),
    workspaceFolder: '/ws',
    env: { HOME: '/home/u', OPENROUTER_API_KEY: 'sk-or-v1-secret' },
  };

  it('fills inputs, the workspace folder and (user definitions only) the environment', () => {
    const user = resolveVariables(base, values);
    assert.equal(user.command, '/ws/bin/s');
    assert.deepEqual(user.args, ['--token', 'T0K', '/home/u']);
    assert.equal(user.env.KEY, 'sk-or-v1-secret', 'the user asked for it explicitly');
    const ws = resolveVariables({ ...base, source: 'workspace' }, values);
    assert.deepEqual(ws.args, ['--token', 'T0K', ''], "a workspace file cannot read the user's environment");
    assert.equal(ws.env.KEY, '');
  });

  it('gives a changed definition a new fingerprint, and the same definition the same one', () => {
    const a = definitionFingerprint(base);
    assert.equal(a, definitionFingerprint({ ...base, env: { ...base.env } }));
    for (const changed of [
      { ...base, command: 'other' },
      { ...base, args: [...base.args, '-x'] },
      { ...base, env: { KEY: 'v' } },
      { ...base, name: 't' },
      { ...base, cwd: '/tmp' },
    ])
      assert.notEqual(definitionFingerprint(changed), a);
    assert.notEqual(
      definitionFingerprint({ name: 'r', source: 'workspace', transport: 'http', url: 'http://a', headers: {} }),
      definitionFingerprint({ name: 'r', source: 'workspace', transport: 'http', url: 'http://b', headers: {} }),
    );
  });

  it('shows the command line quoted, with the names of its environment variables and never their values', () => {
    assert.equal(
      launchLine({ ...base, command: 'node', args: ['server.js', 'a b', "it's"], env: { Z: 'sk-secret', A: 'x y' } }),
      "A=… Z=… node server.js 'a b' 'it'\\''s'",
    );
  });
});

describe('startGate', () => {
  const ws: McpStdioServer = {
    name: 'shop',
    source: 'workspace',
    transport: 'stdio',
    command: 'node',
    args: ['server.js'],
    env: {},
  };
  it("starts the user's own servers; a workspace server asks once per exact definition and never starts in Restricted Mode", () => {
    for (const source of ['user', 'setting'] as const)
      assert.deepEqual(startGate({ ...ws, source }, false, []), { kind: 'start' });
    const asked = startGate(ws, true, []);
    assert.equal(asked.kind, 'ask');
    const print = asked.kind === 'ask' ? asked.fingerprint : '';
    assert.deepEqual(startGate(ws, true, [print]), { kind: 'start' });
    assert.deepEqual(
      startGate(ws, false, [print]),
      { kind: 'blocked', reason: RESTRICTED_REASON },
      'an approval does not hold in Restricted Mode',
    );
    for (const changed of [
      { ...ws, args: ['server.js', '--evil'] },
      { ...ws, command: 'bash' },
      { ...ws, env: { X: '1' } },
    ])
      assert.equal(startGate(changed, true, [print]).kind, 'ask', 'a changed definition asks again');
    const remote = {
      name: 'r',
      source: 'workspace' as const,
      transport: 'http' as const,
      url: 'https://a.example/mcp',
      headers: {},
    };
    const rp = startGate(remote, true, []);
    assert.equal(
      startGate({ ...remote, url: 'https://b.example/mcp' }, true, [rp.kind === 'ask' ? rp.fingerprint : '']).kind,
      'ask',
    );
  });
});

describe('startQuestionDetail', () => {
  const ws: McpStdioServer = {
    name: 'shop',
    source: 'workspace',
    transport: 'stdio',
    command: 'node',
    args: ['server.js', 'a b'],
    env: { TOKEN: 'sk-or-v1-secret-value', LOG: '/tmp/log' },
    cwd: '${workspaceFolder}/tools',
  };
  it('shows command, arguments, working folder and environment names of a command, never the values', () => {
    const detail = startQuestionDetail(ws);
    assert.equal(
      detail,
      [
        'Command: node',
        "Arguments: server.js 'a b'",
        'Working folder: ${workspaceFolder}/tools',
        'Environment variables: LOG, TOKEN (values not shown)',
      ].join('\n'),
    );
    assert.doesNotMatch(detail, /sk-or-v1|\/tmp\/log/);
  });
  it('says where a command runs when no cwd is set, and when it has no arguments or environment', () => {
    const { cwd: _cwd, ...bare } = ws;
    assert.equal(
      startQuestionDetail({ ...bare, args: [], env: {} }),
      [
        'Command: node',
        'Arguments: none',
        'Working folder: the workspace folder (no cwd set)',
        'Environment variables: none',
      ].join('\n'),
    );
  });
  it('shows URL, transport and header names of a remote server, never the header values', () => {
    for (const transport of ['http', 'sse'] as const) {
      const detail = startQuestionDetail({
        name: 'r',
        source: 'workspace',
        transport,
        url: 'https://mcp.example/x',
        headers: { Authorization: 'Bearer sk-secret' },
      });
      assert.equal(
        detail,
        `URL: https://mcp.example/x\nTransport: ${transport}\nHeaders: Authorization (values not shown)`,
      );
    }
  });
});
