/**
 * A remote MCP server that requires OAuth, for the tests: Streamable HTTP on 127.0.0.1 serving the
 * test server's tools (test/mcp/server.ts) at `/mcp` behind a bearer token, built with the SDK's own
 * server-side auth helpers (`mcpAuthRouter`: RFC 9728 protected-resource metadata, RFC 8414
 * authorization-server metadata, dynamic client registration, `/authorize` with PKCE, `/token` with
 * refresh; `requireBearerAuth`: 401 with `WWW-Authenticate: Bearer resource_metadata=…`).
 *
 * The authorization page is a person's consent page: `#authorize` is a link back to the client's
 * redirect URI with `code` and `state` appended (as a browser would follow it). Access tokens live
 * `tokenTtlSeconds` (short ones make the client refresh). Everything is in memory.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { mcpAuthRouter, getOAuthProtectedResourceMetadataUrl } from '@modelcontextprotocol/sdk/server/auth/router.js';
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import { InvalidTokenError, InvalidGrantError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import type { AuthorizationParams, OAuthServerProvider } from '@modelcontextprotocol/sdk/server/auth/provider.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { OAuthClientInformationFull, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { buildServer } from './server';

type Handler = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;
interface App {
  (req: IncomingMessage, res: ServerResponse): void;
  use(handler: unknown): void;
  all(path: string, ...handlers: unknown[]): void;
}
// express comes with the SDK (its server-side auth helpers are express middleware); it has no types here.
const express = createRequire(import.meta.url)('express') as (() => App) & { json(): Handler };

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const token = (prefix: string): string => `${prefix}-${randomBytes(16).toString('hex')}`;

/** `redirect` with `code` and `state` added to its query, the way an authorization server appends them. */
export function withCodeAndState(redirect: string, code: string, state: string | undefined): string {
  const sep = redirect.includes('?') ? '&' : '?';
  return `${redirect}${sep}code=${encodeURIComponent(code)}${state ? `&state=${encodeURIComponent(state)}` : ''}`;
}

class FakeAuthorizationServer implements OAuthServerProvider {
  readonly clients = new Map<string, OAuthClientInformationFull>();
  private readonly codes = new Map<string, { clientId: string; challenge: string; redirectUri: string }>();
  private readonly access = new Map<string, { clientId: string; expiresAt: number }>();
  private readonly refresh = new Map<string, string>();
  /** What happened, in order: `register`, `authorize`, `code`, `refresh`, `reject` (a bad token). */
  readonly events: string[] = [];

  constructor(private readonly ttlSeconds: number) {}

  readonly clientsStore = {
    getClient: (id: string) => this.clients.get(id),
    registerClient: (client: Omit<OAuthClientInformationFull, 'client_id' | 'client_id_issued_at'>) => {
      const full = { ...client, client_id: token('client'), client_id_issued_at: Math.floor(Date.now() / 1000) };
      this.clients.set(full.client_id, full);
      this.events.push('register');
      return full;
    },
  };

  async authorize(client: OAuthClientInformationFull, params: AuthorizationParams, res: ServerResponse): Promise<void> {
    const code = token('code');
    this.codes.set(code, {
      clientId: client.client_id,
      challenge: params.codeChallenge,
      redirectUri: params.redirectUri,
    });
    this.events.push('authorize');
    const back = withCodeAndState(params.redirectUri, code, params.state);
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Fake MCP server — Sign in</title></head>
<body><h1>Sign in to the remote MCP server</h1>
<p><code id="client">${escapeHtml(client.client_name ?? client.client_id)}</code> asks to use your tools.</p>
<p>It will be sent back to <code id="redirect">${escapeHtml(params.redirectUri)}</code>.</p>
<p><a id="authorize" href="${escapeHtml(back)}">Authorize</a></p></body></html>`);
  }

  async challengeForAuthorizationCode(_client: OAuthClientInformationFull, code: string): Promise<string> {
    const found = this.codes.get(code);
    if (!found) throw new InvalidGrantError('unknown authorization code');
    return found.challenge;
  }

  async exchangeAuthorizationCode(client: OAuthClientInformationFull, code: string): Promise<OAuthTokens> {
    const found = this.codes.get(code);
    this.codes.delete(code);
    if (!found || found.clientId !== client.client_id) throw new InvalidGrantError('unknown authorization code');
    this.events.push('code');
    return this.issue(client.client_id);
  }

  async exchangeRefreshToken(client: OAuthClientInformationFull, refreshToken: string): Promise<OAuthTokens> {
    if (this.refresh.get(refreshToken) !== client.client_id) throw new InvalidGrantError('unknown refresh token');
    this.refresh.delete(refreshToken);
    this.events.push('refresh');
    return this.issue(client.client_id);
  }

  private issue(clientId: string): OAuthTokens {
    const access_token = token('at');
    const refresh_token = token('rt');
    this.access.set(access_token, { clientId, expiresAt: Math.floor(Date.now() / 1000) + this.ttlSeconds });
    this.refresh.set(refresh_token, clientId);
    return { access_token, token_type: 'bearer', expires_in: this.ttlSeconds, refresh_token };
  }

  async verifyAccessToken(accessToken: string): Promise<AuthInfo> {
    const found = this.access.get(accessToken);
    if (!found) {
      this.events.push('reject');
      throw new InvalidTokenError('unknown token');
    }
    return { token: accessToken, clientId: found.clientId, scopes: [], expiresAt: found.expiresAt };
  }

  /** Ends every access token now (the next call answers 401 and the client refreshes). */
  expireAll(): void {
    for (const entry of this.access.values()) entry.expiresAt = 0;
  }
}

export interface OAuthMcpServer {
  /** The MCP endpoint, `http://127.0.0.1:<port>/mcp`. */
  readonly url: string;
  readonly auth: FakeAuthorizationServer;
  /** MCP requests that carried a valid token. */
  readonly served: () => number;
  close(): Promise<void>;
}

/** Starts the server on 127.0.0.1 (`port` 0: any free port). */
export async function startOAuthMcpServer(
  options: { port?: number; tokenTtlSeconds?: number } = {},
): Promise<OAuthMcpServer> {
  const app = express();
  const http: Server = await new Promise((resolve) => {
    const server = (app as unknown as { listen(port: number, host: string, done: () => void): Server }).listen(
      options.port ?? 0,
      '127.0.0.1',
      () => resolve(server),
    );
  });
  const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const mcpUrl = new URL(`${base}/mcp`);
  const auth = new FakeAuthorizationServer(options.tokenTtlSeconds ?? 3600);
  let served = 0;
  app.use(
    mcpAuthRouter({
      provider: auth,
      issuerUrl: new URL(base),
      resourceServerUrl: mcpUrl,
      authorizationOptions: { rateLimit: false },
      tokenOptions: { rateLimit: false },
      clientRegistrationOptions: { rateLimit: false },
      revocationOptions: { rateLimit: false },
    }),
  );
  const bearer = requireBearerAuth({
    verifier: auth,
    resourceMetadataUrl: getOAuthProtectedResourceMetadataUrl(mcpUrl),
  });
  app.all('/mcp', bearer, express.json(), async (req: IncomingMessage & { body?: unknown }, res: ServerResponse) => {
    served++;
    const server = buildServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => void transport.close().then(() => server.close()));
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  });
  return {
    url: mcpUrl.href,
    auth,
    served: () => served,
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}
