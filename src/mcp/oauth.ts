/**
 * OAuth for a remote MCP server, as the official SDK runs it (`OAuthClientProvider`: discovery,
 * dynamic client registration, PKCE, refresh): this provider keeps what the SDK hands it — the
 * client registration, the tokens, the PKCE verifier, the discovery state — in one secret per
 * server (SecretStorage on VS Code: never settings, never logs), keyed by the server's name and
 * URL so a changed URL never gets another server's tokens.
 *
 * Two modes: a quiet one (a server starting in the background) that never opens a browser and
 * only notes that a sign-in is needed, and an interactive one ("Sign In" in the servers list) that
 * opens the authorization page. Our `state` rides in the authorization request; a callback is
 * accepted only for the state issued for this sign-in, once, within ten minutes (the OpenRouter
 * sign-in's {@link SignInFlows}). Pure: the SDK's types only, the secrets and the browser come in.
 */
import { createHash } from 'node:crypto';
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from '@modelcontextprotocol/sdk/shared/auth.js';
import type { OAuthClientProvider, OAuthDiscoveryState } from '@modelcontextprotocol/sdk/client/auth.js';
import { SignInFlows, type CallbackVerdict } from '../account/pkce';

/** Where the secrets live (vscode.SecretStorage's subset). */
export interface SecretStore {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
}

/** What is kept for one server. */
export interface StoredAuth {
  client?: OAuthClientInformationMixed;
  /** The redirect URL the client was registered with (a new one registers again). */
  clientRedirect?: string;
  tokens?: OAuthTokens;
  verifier?: string;
  discovery?: OAuthDiscoveryState;
}

export interface McpOAuthOptions {
  /** Our callback URL as the browser reaches it (`asExternalUri` of `<scheme>://<id>/mcp-auth`). */
  readonly redirectUrl: string;
  /** Opens the authorization page; absent in the quiet mode (the server then needs a sign-in). */
  readonly open?: (url: URL) => void | Promise<void>;
  readonly now?: () => number;
}

const KEY_PREFIX = 'switchyard.mcp.oauth.';

/** The secret's key for a server: its name and URL (hashed: the URL may carry a path or query). */
export function oauthKey(server: string, url: string): string {
  return `${KEY_PREFIX}${createHash('sha256').update(`${server}\n${url}`).digest('hex').slice(0, 32)}`;
}

export class McpOAuthProvider implements OAuthClientProvider {
  private readonly flows = new SignInFlows();
  private cached: StoredAuth | undefined;
  /** The server asked for a sign-in that the quiet mode could not do (or the user has yet to finish). */
  signInNeeded = false;

  constructor(
    private readonly key: string,
    private readonly secrets: SecretStore,
    private readonly options: McpOAuthOptions,
  ) {}

  get redirectUrl(): string {
    return this.options.redirectUrl;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'Switchyard (VS Code)',
      redirect_uris: [this.options.redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  async load(): Promise<StoredAuth> {
    if (this.cached) return this.cached;
    const raw = await this.secrets.get(this.key);
    let parsed: StoredAuth = {};
    try {
      const value: unknown = raw ? JSON.parse(raw) : {};
      if (value && typeof value === 'object' && !Array.isArray(value)) parsed = value as StoredAuth;
    } catch {
      // A damaged entry is as good as none: the user signs in again.
    }
    this.cached = parsed;
    return parsed;
  }

  private async update(change: (stored: StoredAuth) => void): Promise<void> {
    const stored = { ...(await this.load()) };
    change(stored);
    this.cached = stored;
    await this.secrets.store(this.key, JSON.stringify(stored));
  }

  state(): string {
    return this.flows.begin(this.now()).state;
  }

  async clientInformation(): Promise<OAuthClientInformationMixed | undefined> {
    return (await this.load()).client;
  }

  saveClientInformation(client: OAuthClientInformationMixed): Promise<void> {
    return this.update((s) => {
      s.client = client;
      s.clientRedirect = this.options.redirectUrl;
    });
  }

  async tokens(): Promise<OAuthTokens | undefined> {
    return (await this.load()).tokens;
  }

  saveTokens(tokens: OAuthTokens): Promise<void> {
    this.signInNeeded = false;
    return this.update((s) => (s.tokens = tokens));
  }

  async redirectToAuthorization(url: URL): Promise<void> {
    if (!this.options.open) {
      this.signInNeeded = true;
      this.flows.cancel();
      return;
    }
    await this.options.open(url);
  }

  saveCodeVerifier(verifier: string): Promise<void> {
    return this.update((s) => (s.verifier = verifier));
  }

  async codeVerifier(): Promise<string> {
    const verifier = (await this.load()).verifier;
    if (!verifier) throw new Error('no sign-in is in progress for this server');
    return verifier;
  }

  saveDiscoveryState(state: OAuthDiscoveryState): Promise<void> {
    return this.update((s) => (s.discovery = state));
  }

  async discoveryState(): Promise<OAuthDiscoveryState | undefined> {
    return (await this.load()).discovery;
  }

  invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): Promise<void> {
    return this.update((s) => {
      if (scope === 'all' || scope === 'client') delete s.client;
      if (scope === 'all' || scope === 'client') delete s.clientRedirect;
      if (scope === 'all' || scope === 'tokens') delete s.tokens;
      if (scope === 'all' || scope === 'verifier') delete s.verifier;
      if (scope === 'all' || scope === 'discovery') delete s.discovery;
    });
  }

  /**
   * Before an interactive sign-in: a client registered with another redirect URL (code-server gives
   * each sign-in its own) is registered again, and its tokens, issued to that client, go with it.
   */
  async beginSignIn(): Promise<void> {
    const stored = await this.load();
    if (!stored.client || stored.clientRedirect === this.options.redirectUrl) return;
    await this.update((s) => {
      delete s.client;
      delete s.clientRedirect;
      delete s.tokens;
    });
  }

  /** A callback's `state` and `code`: accepted only for this sign-in's state, once, in time. */
  receive(query: { readonly state: string | null; readonly code: string | null }): CallbackVerdict {
    return this.flows.receive(query, this.now());
  }

  /** Whether a callback with this state would answer this provider's sign-in in progress. */
  waitsFor(state: string | null): boolean {
    return !!state && this.flows.current()?.state === state;
  }

  /** Whether tokens are kept for this server. */
  async signedIn(): Promise<boolean> {
    return (await this.load()).tokens !== undefined;
  }

  /** Signs out: forgets the tokens, the registration and the discovery (one secret deleted). */
  async signOut(): Promise<void> {
    this.cached = {};
    this.flows.cancel();
    await this.secrets.delete(this.key);
  }
}
