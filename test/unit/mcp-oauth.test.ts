/**
 * OAuth for remote MCP servers (src/mcp/oauth.ts, run by the SDK through src/vscode/mcp/runtime.ts)
 * against a local server that requires a bearer token (test/mcp/oauthServer.ts, the SDK's own
 * server-side auth helpers): the secret store round trip, a forged / replayed / late callback
 * refused, and the whole flow — 401 → needs sign-in (the quiet mode opens nothing) → dynamic
 * registration + PKCE authorization as a browser follows it → tokens kept → the tool runs → an
 * expired token is refreshed → sign out forgets everything.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { McpOAuthProvider, oauthKey, type SecretStore } from '../../src/mcp/oauth';
import type { McpServerConfig } from '../../src/mcp/config';
import { authorize, connectServer, needsSignIn } from '../../src/vscode/mcp/runtime';
import { startOAuthMcpServer, type OAuthMcpServer } from '../mcp/oauthServer';

class MemorySecrets implements SecretStore {
  readonly map = new Map<string, string>();
  async get(key: string): Promise<string | undefined> {
    return this.map.get(key);
  }
  async store(key: string, value: string): Promise<void> {
    this.map.set(key, value);
  }
  async delete(key: string): Promise<void> {
    this.map.delete(key);
  }
}

const REDIRECT = 'vscode://switchyard.switchyard/mcp-auth';

describe('McpOAuthProvider: what it keeps', () => {
  it('keeps client, tokens, verifier and discovery in one secret per server name and URL', async () => {
    const secrets = new MemorySecrets();
    const key = oauthKey('remote', 'https://mcp.example.com/mcp?tenant=a');
    const a = new McpOAuthProvider(key, secrets, { redirectUrl: REDIRECT });
    await a.saveClientInformation({ client_id: 'c-1' });
    await a.saveTokens({ access_token: 'at-1', token_type: 'bearer', refresh_token: 'rt-1' });
    await a.saveCodeVerifier('v'.repeat(43));
    const b = new McpOAuthProvider(key, secrets, { redirectUrl: REDIRECT });
    assert.deepEqual(await b.clientInformation(), { client_id: 'c-1' });
    assert.equal((await b.tokens())?.refresh_token, 'rt-1');
    assert.equal(await b.codeVerifier(), 'v'.repeat(43));
    assert.equal(await b.signedIn(), true);
    assert.equal(secrets.map.size, 1, 'one secret');
    assert.doesNotMatch(key, /example|tenant/, 'the key does not spell the URL');
    for (const other of [
      oauthKey('remote', 'https://mcp.example.com/mcp?tenant=b'),
      oauthKey('other', 'https://mcp.example.com/mcp?tenant=a'),
    ])
      assert.equal(await new McpOAuthProvider(other, secrets, { redirectUrl: REDIRECT }).tokens(), undefined);
    await b.signOut();
    assert.equal(secrets.map.size, 0);
    assert.equal(await new McpOAuthProvider(key, secrets, { redirectUrl: REDIRECT }).signedIn(), false);
  });
  it('reads a damaged or foreign secret as nothing kept', async () => {
    for (const raw of ['{not json', '[]', 'null', '"text"']) {
      const secrets = new MemorySecrets();
      secrets.map.set('k', raw);
      const p = new McpOAuthProvider('k', secrets, { redirectUrl: REDIRECT });
      assert.equal(await p.tokens(), undefined, raw);
      await assert.rejects(p.codeVerifier(), /no sign-in is in progress/);
    }
  });
  it('a new redirect URL (code-server gives each sign-in its own) registers again and drops the old tokens', async () => {
    const secrets = new MemorySecrets();
    const first = new McpOAuthProvider('k', secrets, { redirectUrl: 'http://host/callback?vscode-reqid=1' });
    await first.saveClientInformation({ client_id: 'c-1' });
    await first.saveTokens({ access_token: 'at', token_type: 'bearer' });
    const same = new McpOAuthProvider('k', secrets, { redirectUrl: 'http://host/callback?vscode-reqid=1' });
    await same.beginSignIn();
    assert.deepEqual(await same.clientInformation(), { client_id: 'c-1' });
    const next = new McpOAuthProvider('k', secrets, { redirectUrl: 'http://host/callback?vscode-reqid=2' });
    await next.beginSignIn();
    assert.equal(await next.clientInformation(), undefined);
    assert.equal(await next.tokens(), undefined);
  });
});

describe('McpOAuthProvider: the callback', () => {
  it('accepts only the state it issued, once, within ten minutes', () => {
    let now = 1_000_000;
    const p = new McpOAuthProvider('k', new MemorySecrets(), { redirectUrl: REDIRECT, now: () => now });
    const state = p.state();
    assert.match(state, /^[A-Za-z0-9_-]{22}$/);
    for (const forged of [null, '', 'forged', `${state}x`, state.slice(1)]) {
      assert.equal(p.waitsFor(forged), false, String(forged));
      assert.equal(p.receive({ state: forged, code: 'c' }).kind, 'ignore', String(forged));
    }
    assert.equal(p.waitsFor(state), true);
    const ok = p.receive({ state, code: ' code-1 ' });
    assert.deepEqual(ok.kind === 'accept' && ok.code, 'code-1');
    assert.deepEqual(p.receive({ state, code: 'code-1' }), { kind: 'ignore', reason: 'replayed' });
    const late = p.state();
    now += 10 * 60 * 1000;
    assert.equal(p.receive({ state: late, code: 'c' }).kind, 'expired');
    const cancelled = p.state();
    assert.equal(p.receive({ state: cancelled, code: null }).kind, 'cancelled');
  });
});

describe('OAuth against a local MCP server that requires a bearer token', () => {
  let server: OAuthMcpServer;
  before(async () => (server = await startOAuthMcpServer({ tokenTtlSeconds: 3600 })));
  after(() => server.close());

  const hooks = (logs: string[], authProvider: McpOAuthProvider) => ({
    log: (line: string) => void logs.push(line),
    toolsChanged: () => undefined,
    closed: () => undefined,
    authProvider,
  });

  it(
    'needs sign-in, signs in as a browser would, calls the tool, refreshes an expired token, signs out',
    { timeout: 60_000 },
    async () => {
      const secrets = new MemorySecrets();
      const config: McpServerConfig = {
        name: 'remote',
        source: 'user',
        transport: 'http',
        url: server.url,
        headers: {},
      };
      const key = oauthKey(config.name, config.url);
      const logs: string[] = [];

      // Quiet: the server answers 401; nothing opens, the server needs a sign-in.
      const quiet = new McpOAuthProvider(key, secrets, { redirectUrl: REDIRECT });
      const failure = await connectServer(config, undefined, hooks(logs, quiet)).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(failure, 'the connection is refused without a token');
      assert.equal(needsSignIn(failure, quiet), true);
      assert.equal(needsSignIn(failure, undefined), false, 'no provider: an ordinary failure');
      assert.ok(!logs.some((l) => /trying SSE/.test(l)), 'a 401 is not a reason to fall back to SSE');

      // Interactive: the authorization page is followed as a person's browser would.
      const opened: URL[] = [];
      const interactive = new McpOAuthProvider(key, secrets, {
        redirectUrl: REDIRECT,
        open: (url) => void opened.push(url),
      });
      await interactive.beginSignIn();
      assert.equal(await authorize(interactive, server.url), 'REDIRECT');
      assert.equal(opened.length, 1);
      const page = opened[0]!;
      assert.equal(page.searchParams.get('code_challenge_method'), 'S256');
      assert.equal(page.searchParams.get('redirect_uri'), REDIRECT);
      const html = await (await fetch(page)).text();
      const back = new URL(
        /id="authorize" href="([^"]+)"/
          .exec(html)![1]!
          .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n))),
      );
      assert.equal(`${back.protocol}//${back.host}${back.pathname}`, REDIRECT);
      // A forged callback first: refused, the real one still answers.
      assert.equal(interactive.receive({ state: 'forged', code: 'x' }).kind, 'ignore');
      const verdict = interactive.receive({
        state: back.searchParams.get('state'),
        code: back.searchParams.get('code'),
      });
      assert.equal(verdict.kind, 'accept');
      assert.equal(
        await authorize(interactive, server.url, verdict.kind === 'accept' ? verdict.code : ''),
        'AUTHORIZED',
      );
      assert.deepEqual(server.auth.events, ['register', 'authorize', 'code']);

      // Started again (a new provider on the same store): runs, and the tool is called.
      const connection = await connectServer(
        config,
        undefined,
        hooks(logs, new McpOAuthProvider(key, secrets, { redirectUrl: REDIRECT })),
      );
      try {
        assert.ok(connection.tools.some((t) => t.name === 'lookup_order'));
        const first = await connection.call('lookup_order', { order_id: 'ORD-7' }, new AbortController().signal);
        assert.match(JSON.stringify(first), /Order ORD-7: shipped/);
        // The token expires: the next call is refused once, refreshed, and answered.
        server.auth.expireAll();
        const second = await connection.call('lookup_order', { order_id: 'ORD-8' }, new AbortController().signal);
        assert.match(JSON.stringify(second), /Order ORD-8: shipped/);
        assert.ok(server.auth.events.includes('refresh'), server.auth.events.join());
      } finally {
        await connection.close();
      }
      const kept = [...secrets.map.values()].join('');
      for (const line of logs) assert.ok(!line.includes('at-') && !line.includes('rt-'), 'no token in the log');
      assert.match(kept, /"access_token":"at-/);

      // Sign out: the secret is gone; the next start needs a sign-in again.
      await new McpOAuthProvider(key, secrets, { redirectUrl: REDIRECT }).signOut();
      assert.equal(secrets.map.size, 0);
      const again = new McpOAuthProvider(key, secrets, { redirectUrl: REDIRECT });
      const refused = await connectServer(config, undefined, hooks(logs, again)).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.equal(needsSignIn(refused, again), true);
    },
  );
});
