/**
 * Signing in to a remote MCP server that asks for OAuth, as the OpenRouter sign-in does: the
 * authorization page opens in the browser (`vscode.env.openExternal`), the browser comes back to
 * our URI handler at `<scheme>://<extension id>/mcp-auth?code=…&state=…` (through `asExternalUri`,
 * so code-server and Codespaces lead back to this window), and the code is exchanged for tokens,
 * kept in SecretStorage (src/mcp/oauth.ts). A callback whose state answers no sign-in in progress
 * is ignored and logged; nothing else changes.
 */
import * as vscode from 'vscode';
import { callbackParams, SIGN_IN_TTL_MS } from '../../account/pkce';
import type { McpServerConfig } from '../../mcp/config';
import { McpOAuthProvider, oauthKey } from '../../mcp/oauth';
import { notificationText } from '../../openrouter/untrustedText';
import type { Logger } from '../log';
import { mcpRuntime } from './lazy';

export const MCP_AUTH_PATH = '/mcp-auth';

type RemoteConfig = Extract<McpServerConfig, { url: string }>;

interface Waiting {
  readonly provider: McpOAuthProvider;
  readonly done: (code: string | undefined) => void;
}

export class McpSignIns {
  private readonly waiting = new Set<Waiting>();

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly extensionId: string,
    private readonly log: Logger,
  ) {}

  private ownUri(): vscode.Uri {
    return vscode.Uri.parse(`${vscode.env.uriScheme}://${this.extensionId}${MCP_AUTH_PATH}`);
  }

  /** The provider of a server starting in the background: it refreshes tokens but never opens a browser. */
  quietProvider(config: RemoteConfig): McpOAuthProvider {
    return new McpOAuthProvider(oauthKey(config.name, config.url), this.secrets, {
      redirectUrl: this.ownUri().toString(true),
    });
  }

  async signedIn(config: RemoteConfig): Promise<boolean> {
    return this.quietProvider(config).signedIn();
  }

  async signOut(config: RemoteConfig): Promise<void> {
    await this.quietProvider(config).signOut();
    this.log.info(`MCP server ${config.name}: signed out (its tokens and client registration are forgotten)`);
  }

  /**
   * Signs in (`resolvedUrl`: the URL with its variables resolved): opens the authorization page and
   * waits, cancellably and at most ten minutes, for the browser to come back. True when tokens are kept.
   */
  async signIn(config: RemoteConfig, resolvedUrl: string): Promise<boolean> {
    const redirect = (await vscode.env.asExternalUri(this.ownUri())).toString(true);
    let done: (code: string | undefined) => void = () => undefined;
    const code = new Promise<string | undefined>((resolve) => (done = resolve));
    const provider = new McpOAuthProvider(oauthKey(config.name, config.url), this.secrets, {
      redirectUrl: redirect,
      open: (url) => this.openPage(url),
    });
    const waiting: Waiting = { provider, done };
    await provider.beginSignIn();
    this.waiting.add(waiting);
    try {
      const first = await mcpRuntime().authorize(provider, resolvedUrl);
      if (first === 'AUTHORIZED') return true;
      const got = await this.wait(config.name, code, waiting);
      if (!got) return false;
      return (await mcpRuntime().authorize(provider, resolvedUrl, got)) === 'AUTHORIZED';
    } finally {
      this.waiting.delete(waiting);
      waiting.done(undefined);
    }
  }

  private async wait(name: string, code: Promise<string | undefined>, waiting: Waiting): Promise<string | undefined> {
    const timer = setTimeout(() => waiting.done(undefined), SIGN_IN_TTL_MS);
    try {
      return await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: notificationText(`Switchyard: waiting for you to sign in to the MCP server ${name} in your browser…`),
          cancellable: true,
        },
        (_progress, token) => {
          token.onCancellationRequested(() => waiting.done(undefined));
          return code;
        },
      );
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Opens the authorization page. A loopback page would be mapped onto code-server's port proxy by
   * `openExternal`, which decodes its query once and splits the nested redirect_uri: the bare site is
   * mapped (lossless without a query) and the page URL opened as a string, as the OpenRouter sign-in does.
   */
  private async openPage(url: URL): Promise<void> {
    const site = (await vscode.env.asExternalUri(vscode.Uri.parse(`${url.origin}/`))).toString(true);
    const page = `${site.replace(/\/$/, '')}${url.pathname}${url.search}`;
    this.log.info(`MCP sign-in: authorization page ${url.origin}${url.pathname}`);
    await vscode.env.openExternal(page as unknown as vscode.Uri);
  }

  /** The browser came back (`/mcp-auth?code=…&state=…`): hands the code to the sign-in whose state it carries. */
  handleUri(uri: vscode.Uri): void {
    const query = callbackParams(uri.query);
    const waiting = [...this.waiting].find((w) => w.provider.waitsFor(query.state));
    if (!waiting) {
      this.log.warn('ignored an MCP sign-in callback (unknown-state): it answers no sign-in in progress');
      return;
    }
    const verdict = waiting.provider.receive(query);
    if (verdict.kind === 'accept') waiting.done(verdict.code);
    else {
      this.log.warn(`MCP sign-in callback: ${verdict.kind}`);
      waiting.done(undefined);
    }
  }
}

/** The extension's URI handler: MCP sign-in callbacks here, everything else to the OpenRouter sign-in. */
export function routeUris(signIn: vscode.UriHandler, mcp: () => McpSignIns): vscode.UriHandler {
  return { handleUri: (uri) => (uri.path === MCP_AUTH_PATH ? mcp().handleUri(uri) : signIn.handleUri(uri)) };
}
