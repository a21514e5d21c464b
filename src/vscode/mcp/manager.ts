/**
 * The user's MCP servers: their state (starting, running with N tools, failed with the reason,
 * disabled, not started), started lazily — on the first agent task, never at activation — and
 * stopped, restarted and disabled from "Switchyard: MCP Servers". A workspace server starts only
 * once the user approved its exact definition, and never in a Restricted Mode window. A crashed
 * stdio server is restarted at most twice per task. Each server has its own log channel.
 * Implements the {@link McpHub} the agent's MCP bridge calls.
 */
import * as vscode from 'vscode';
import type { McpHub } from '../../mcp/bridge';
import { inputsUsed, resolveVariables, type McpInput, type McpServerConfig } from '../../mcp/config';
import type { McpCallResult } from '../../mcp/results';
import { redactedListing, redactedReplies } from '../../mcp/serverReplies';
import { serverLogLine, serverText } from '../../mcp/serverSecrets';
import type { ResourceContent } from '../../mcp/resources';
import type { McpToolInfo } from '../../mcp/toolCatalog';
import { knownSecretsForRedaction, type Logger } from '../log';
import { RESTRICTED_REASON } from '../../mcp/startGate';
import { readMcpConfig } from './configFiles';
import { mcpRuntime } from './lazy';
import { McpPermissions } from './permissions';
import { McpSignIns } from './oauthSignIn';
import type { McpConnection, McpPromptInfo, McpResourceInfo } from './runtime';

export type McpServerState =
  | { readonly kind: 'stopped' }
  | { readonly kind: 'starting' }
  | { readonly kind: 'running'; readonly tools: number }
  | { readonly kind: 'failed'; readonly reason: string }
  | { readonly kind: 'disabled' }
  /** A remote server answered 401 and no kept token opened it: the user signs in from the servers list. */
  | { readonly kind: 'signIn' }
  | { readonly kind: 'blocked'; readonly reason: string };

interface Server {
  config: McpServerConfig;
  state: McpServerState;
  connection?: McpConnection;
  tools: readonly McpToolInfo[];
  starting?: Promise<void>;
  channel?: vscode.LogOutputChannel;
  /** The definition as last started, its variables filled in (whose secrets its log redacts). */
  resolved?: McpServerConfig;
  crashes: number;
}

/** A server's log channel, every line redacted (src/mcp/serverSecrets.ts). */
interface ServerLog {
  info(message: string): void;
  error(message: string): void;
  show(preserveFocus: boolean): void;
}

const MAX_RESTARTS_PER_TASK = 2;

type Remote = Extract<McpServerConfig, { url: string }>;

export class McpManager implements McpHub, vscode.Disposable {
  private servers = new Map<string, Server>();
  private inputs: readonly McpInput[] = [];
  private loaded = false;
  readonly permissions: McpPermissions;
  readonly signIns: McpSignIns;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly trustGranted: vscode.Disposable;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: Logger,
    private readonly report: (problems: readonly string[]) => void,
  ) {
    this.permissions = new McpPermissions(context.workspaceState, context.secrets);
    this.signIns = new McpSignIns(context.secrets, context.extension.id, log);
    this.trustGranted = vscode.workspace.onDidGrantWorkspaceTrust(() => this.trusted());
  }

  /** Reads the definitions (again): new ones are added stopped, removed ones stopped, changed ones restarted when running. */
  async reload(): Promise<void> {
    const parsed = await readMcpConfig(this.context.globalStorageUri);
    if (parsed.problems.length) this.report(parsed.problems);
    this.inputs = parsed.inputs;
    const next = new Map<string, Server>();
    for (const config of parsed.servers) {
      const known = this.servers.get(config.name);
      if (known && JSON.stringify(known.config) === JSON.stringify(config)) next.set(config.name, known);
      else {
        if (known) await this.stopServer(known);
        next.set(config.name, {
          config,
          state: this.initialState(config),
          tools: [],
          crashes: 0,
          ...(known?.channel ? { channel: known.channel } : {}),
        });
      }
    }
    for (const [name, s] of this.servers) if (!next.has(name)) await this.stopServer(s);
    this.servers = next;
    this.loaded = true;
    this.changed.fire();
  }

  /** A server's state before it is started: disabled, never in this window (Restricted Mode), or not started. */
  private initialState(config: McpServerConfig): McpServerState {
    if (this.permissions.isDisabled(config.name)) return { kind: 'disabled' };
    const blocked = this.permissions.blocked(config);
    return blocked ? { kind: 'blocked', reason: blocked } : { kind: 'stopped' };
  }

  /** The folder became trusted: a workspace server Restricted Mode held back may start (and asks first, as anywhere). */
  private trusted(): void {
    for (const s of this.servers.values())
      if (s.state.kind === 'blocked' && s.state.reason === RESTRICTED_REASON) s.state = this.initialState(s.config);
    this.changed.fire();
  }

  /** Starts every server not started, disabled or failed (the first agent task; a task's restart budget is reset). */
  async startAll(): Promise<void> {
    if (!this.loaded) await this.reload();
    for (const s of this.servers.values()) s.crashes = 0;
    // A server already starting (the `/` menu started it) is waited for too: the task gets its tools.
    await Promise.all(
      [...this.servers.values()].map((s) =>
        s.state.kind === 'stopped' ? this.start(s) : s.state.kind === 'starting' ? s.starting : undefined,
      ),
    );
  }

  /**
   * Starts, in the background, the servers that may start without asking anything (the user's own,
   * and workspace ones approved before with this exact definition, whose inputs are kept): the
   * `/` or `@` menu or the servers list was opened. An unapproved workspace server waits for the
   * first agent task, which asks. Resolves once they are marked starting.
   */
  async warmUp(): Promise<void> {
    if (!this.loaded) await this.reload();
    for (const s of this.servers.values()) {
      if (s.state.kind !== 'stopped' || !(await this.permissions.startsQuietly(s.config, inputsUsed(s.config))))
        continue;
      if (s.state.kind !== 'stopped') continue;
      this.setState(s, { kind: 'starting' });
      void this.start(s);
    }
  }

  /** The servers starting now (their prompts and resources are not listed yet). */
  starting(): readonly string[] {
    return [...this.servers.values()].filter((s) => s.state.kind === 'starting').map((s) => s.config.name);
  }

  list(): readonly { readonly config: McpServerConfig; readonly state: McpServerState }[] {
    return [...this.servers.values()].map((s) => ({ config: s.config, state: s.state }));
  }

  hasServers(): boolean {
    return !this.loaded || this.servers.size > 0;
  }

  async startByName(name: string): Promise<void> {
    const s = this.servers.get(name);
    if (!s) return;
    await this.stopServer(s);
    if (s.state.kind === 'disabled') await this.permissions.setDisabled(name, false);
    s.crashes = 0;
    await this.start(s);
  }

  async stopByName(name: string, disable = false): Promise<void> {
    const s = this.servers.get(name);
    if (!s) return;
    await this.stopServer(s);
    if (disable) await this.permissions.setDisabled(name, true);
    this.setState(s, disable ? { kind: 'disabled' } : { kind: 'stopped' });
  }

  showLog(name: string): void {
    this.channel(this.servers.get(name))?.show(true);
  }

  private channel(s: Server | undefined): ServerLog | undefined {
    if (!s) return undefined;
    const out = (s.channel ??= vscode.window.createOutputChannel(`Switchyard MCP: ${s.config.name}`, { log: true }));
    return {
      info: (m) => out.info(this.redacted(s, m)),
      error: (m) => out.error(this.redacted(s, m)),
      show: (keep) => out.show(keep),
    };
  }

  private setState(s: Server, state: McpServerState): void {
    s.state = state;
    this.changed.fire();
  }

  private start(s: Server): Promise<void> {
    s.starting ??= this.connect(s).finally(() => (s.starting = undefined));
    return s.starting;
  }

  /** The definition with its inputs and variables resolved, or why it cannot start (the state is set). */
  private async resolve(s: Server): Promise<{ config: McpServerConfig; folder: string | undefined } | undefined> {
    const { config } = s;
    const may = await this.permissions.mayStart(config);
    if (!may.ok) return void this.setState(s, { kind: 'blocked', reason: may.reason });
    const values = new Map<string, string>();
    for (const id of inputsUsed(config)) {
      const input = this.inputs.find((i) => i.id === id);
      const value = input ? await this.permissions.input(input, config.name) : undefined;
      if (value === undefined)
        return void this.setState(s, {
          kind: 'failed',
          reason: input
            ? `the input "${id}" was not given`
            : `it uses \${input:${id}}, but no "inputs" entry has that id`,
        });
      values.set(id, value);
    }
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const resolved = resolveVariables(config, {
      inputs: values,
      ...(folder ? { workspaceFolder: folder } : {}),
      env: process.env,
    });
    return { config: resolved, folder };
  }

  private async connect(s: Server): Promise<void> {
    const ready = await this.resolve(s);
    if (!ready) return;
    const { config, folder } = ready;
    s.resolved = config;
    this.setState(s, { kind: 'starting' });
    const log = this.channel(s)!;
    log.info(`starting (${config.transport}: ${config.transport === 'stdio' ? config.command : config.url})`);
    const authProvider = config.transport === 'stdio' ? undefined : this.signIns.quietProvider(s.config as Remote);
    const redact = (text: string): string => serverText(text, config, knownSecretsForRedaction());
    try {
      const connection = await mcpRuntime().connectServer(config, folder, {
        log: (line) => log.info(line),
        toolsChanged: (tools) => {
          s.tools = redactedListing(tools, redact);
          log.info(`tools changed: ${tools.length} tools`);
          if (s.state.kind === 'running') this.setState(s, { kind: 'running', tools: tools.length });
        },
        closed: (reason) => this.crashed(s, reason),
        ...(authProvider ? { authProvider } : {}),
      });
      // What it lists, answers and throws reaches the model, cards and composer with its own secrets redacted.
      s.connection = redactedReplies(connection, redact);
      s.tools = s.connection.tools;
      log.info(
        `running: ${connection.tools.length} tools, ${connection.resources.length} resources, ${connection.prompts.length} prompts`,
      );
      this.setState(s, { kind: 'running', tools: connection.tools.length });
    } catch (error) {
      if (mcpRuntime().needsSignIn(error, authProvider)) {
        log.info('the server asks for a sign-in (OAuth): Switchyard: MCP Servers → Sign In');
        return this.setState(s, { kind: 'signIn' });
      }
      const reason = this.redacted(s, error instanceof Error ? error.message : String(error));
      log.error(`failed to start: ${reason}`);
      this.log.warn(`MCP server ${s.config.name} failed to start: ${reason}`);
      this.setState(s, { kind: 'failed', reason });
    }
  }

  /** "Sign In" (a remote server that asks for OAuth): the browser flow, then a start with the tokens. */
  async signInByName(name: string): Promise<void> {
    const s = this.servers.get(name);
    if (!s || s.config.transport === 'stdio') return;
    const ready = await this.resolve(s);
    if (!ready || ready.config.transport === 'stdio') return;
    try {
      if (!(await this.signIns.signIn(s.config, ready.config.url))) return;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.channel(s)?.error(`sign-in failed: ${reason}`);
      void vscode.window.showErrorMessage(`Switchyard: signing in to the MCP server ${name} failed: ${reason}`);
      return;
    }
    this.channel(s)?.info('signed in: tokens kept in secret storage');
    await this.startByName(name);
  }

  /** "Sign Out": stops the server and forgets its tokens and client registration. */
  async signOutByName(name: string): Promise<void> {
    const s = this.servers.get(name);
    if (!s || s.config.transport === 'stdio') return;
    await this.stopServer(s);
    await this.signIns.signOut(s.config);
    this.setState(s, { kind: 'stopped' });
  }

  /** Whether tokens are kept for a remote server (the list offers Sign Out). */
  async signedIn(name: string): Promise<boolean> {
    const s = this.servers.get(name);
    return !!s && s.config.transport !== 'stdio' && (await this.signIns.signedIn(s.config));
  }

  /** A server's text (an error, a reason) with its own secrets and known keys redacted, for the log, the list and the cards. */
  private redacted(s: Server, text: string): string {
    return serverLogLine(text, s.resolved ?? s.config, knownSecretsForRedaction());
  }

  private crashed(s: Server, raw: string): void {
    const reason = this.redacted(s, raw);
    s.connection = undefined;
    s.tools = [];
    this.channel(s)?.error(`stopped: ${reason}`);
    this.setState(s, { kind: 'failed', reason: `it stopped: ${reason}` });
  }

  private async stopServer(s: Server): Promise<void> {
    const c = s.connection;
    s.connection = undefined;
    s.tools = [];
    if (c) await c.close();
  }

  // McpHub

  tools(): readonly { server: string; tools: readonly McpToolInfo[] }[] {
    return [...this.servers.values()]
      .filter((s) => s.state.kind === 'running')
      .map((s) => ({ server: s.config.name, tools: s.tools }));
  }

  async call(server: string, tool: string, args: Record<string, unknown>, signal: AbortSignal): Promise<McpCallResult> {
    const s = this.servers.get(server);
    if (!s) throw new Error(`there is no MCP server named ${server}`);
    if (
      !s.connection &&
      s.state.kind === 'failed' &&
      s.config.transport === 'stdio' &&
      s.crashes < MAX_RESTARTS_PER_TASK
    ) {
      s.crashes++;
      this.channel(s)?.info(`restarting (${s.crashes} of ${MAX_RESTARTS_PER_TASK} this task)`);
      await this.start(s);
    }
    if (!s.connection) throw new Error(s.state.kind === 'failed' ? s.state.reason : `the server is ${s.state.kind}`);
    return s.connection.call(tool, args, signal);
  }

  check: McpHub['check'] = (fn, argumentsJson, schema) => mcpRuntime().checkArguments(fn, argumentsJson, schema);
  approvalState: McpHub['approvalState'] = () => this.permissions.approvalState();
  allowTool = (key: string): Promise<void> => this.permissions.allowTool(key);
  allowServer = (server: string): Promise<void> => this.permissions.allowServer(server);

  /** Resources of running servers (for @ mentions). */
  resources(): { server: string; resource: McpResourceInfo }[] {
    return [...this.servers.values()].flatMap((s) =>
      (s.connection?.resources ?? []).map((resource) => ({ server: s.config.name, resource })),
    );
  }

  /** Prompts of running servers (for / commands). */
  prompts(): { server: string; prompt: McpPromptInfo }[] {
    return [...this.servers.values()].flatMap((s) =>
      (s.connection?.prompts ?? []).map((prompt) => ({ server: s.config.name, prompt })),
    );
  }

  async readResource(server: string, uri: string): Promise<ResourceContent[]> {
    const c = this.servers.get(server)?.connection;
    if (!c) throw new Error(`the MCP server ${server} is not running`);
    return c.readResource(uri);
  }

  async getPrompt(server: string, name: string, args: Record<string, string>): Promise<string> {
    const c = this.servers.get(server)?.connection;
    if (!c) throw new Error(`the MCP server ${server} is not running`);
    return c.getPrompt(name, args);
  }

  dispose(): void {
    for (const s of this.servers.values()) {
      void this.stopServer(s);
      s.channel?.dispose();
    }
    this.changed.dispose();
    this.trustGranted.dispose();
  }
}
