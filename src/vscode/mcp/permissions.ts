/**
 * What the user allowed about MCP servers: workspace servers approved to start (by the
 * fingerprint of their exact definition, so a changed command line or URL asks again), tools and
 * servers "always allowed" in this workspace, servers trusted in user settings, servers disabled
 * in this workspace, and `inputs` values kept in SecretStorage.
 */
import * as vscode from 'vscode';
import type { McpApprovalState } from '../../mcp/approval';
import type { McpInput, McpServerConfig } from '../../mcp/config';
import { startGate, startQuestionDetail } from '../../mcp/startGate';

const STARTS_KEY = 'switchyard.mcp.approvedStarts';
const TOOLS_KEY = 'switchyard.mcp.alwaysTools';
const SERVERS_KEY = 'switchyard.mcp.alwaysServers';
const DISABLED_KEY = 'switchyard.mcp.disabled';
const INPUT_PREFIX = 'switchyard.mcp.input.';

export class McpPermissions {
  constructor(
    private readonly workspace: vscode.Memento,
    private readonly secrets: vscode.SecretStorage,
  ) {}

  private list(key: string): string[] {
    const v = this.workspace.get<unknown>(key);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  }

  private async add(key: string, value: string): Promise<void> {
    await this.workspace.update(key, [...new Set([...this.list(key), value])]);
  }

  approvalState(): McpApprovalState {
    const trusted = vscode.workspace.getConfiguration('switchyard').inspect<unknown>('mcp.trustedServers')?.globalValue;
    return {
      trustedServers: new Set(Array.isArray(trusted) ? trusted.filter((x): x is string => typeof x === 'string') : []),
      alwaysTools: new Set(this.list(TOOLS_KEY)),
      alwaysServers: new Set(this.list(SERVERS_KEY)),
    };
  }

  allowTool = (key: string): Promise<void> => this.add(TOOLS_KEY, key);
  allowServer = (server: string): Promise<void> => this.add(SERVERS_KEY, server);

  isDisabled(name: string): boolean {
    return this.list(DISABLED_KEY).includes(name);
  }

  async setDisabled(name: string, disabled: boolean): Promise<void> {
    const rest = this.list(DISABLED_KEY).filter((n) => n !== name);
    await this.workspace.update(DISABLED_KEY, disabled ? [...rest, name] : rest);
  }

  /**
   * Whether a server may start (src/mcp/startGate.ts): a workspace-defined one never in Restricted
   * Mode, else when approved before with this exact definition or approved now (a modal question
   * showing the command, arguments, working folder and environment names, or the URL). User definitions start freely.
   */
  async mayStart(server: McpServerConfig): Promise<{ ok: true } | { ok: false; reason: string }> {
    const gate = startGate(server, vscode.workspace.isTrusted, this.list(STARTS_KEY));
    if (gate.kind !== 'ask') return gate.kind === 'start' ? { ok: true } : { ok: false, reason: gate.reason };
    const what = server.transport === 'stdio' ? 'run this command' : 'connect to this URL';
    const allow = 'Allow and Start';
    const answer = await vscode.window.showWarningMessage(
      `This workspace's .vscode/mcp.json defines the MCP server "${server.name}". Start it? It will ${what}:`,
      {
        modal: true,
        detail: `${startQuestionDetail(server)}\n\nOnly allow servers of repositories you trust. You are asked again if the definition changes.`,
      },
      allow,
    );
    if (answer !== allow)
      return { ok: false, reason: 'not approved: start it from Switchyard: MCP Servers to be asked again' };
    await this.add(STARTS_KEY, gate.fingerprint);
    return { ok: true };
  }

  /** Why a server cannot start in this window whatever the user answers (Restricted Mode), or undefined. */
  blocked(server: McpServerConfig): string | undefined {
    const gate = startGate(server, vscode.workspace.isTrusted, []);
    return gate.kind === 'blocked' ? gate.reason : undefined;
  }

  /** Whether a server may start without a question: its start gate opens and every input it uses is kept. */
  async startsQuietly(server: McpServerConfig, inputs: readonly string[]): Promise<boolean> {
    if (startGate(server, vscode.workspace.isTrusted, this.list(STARTS_KEY)).kind !== 'start') return false;
    for (const id of inputs) if ((await this.secrets.get(INPUT_PREFIX + id)) === undefined) return false;
    return true;
  }

  /** The value of an `inputs` entry: kept from before, or asked now (undefined when the user cancels). */
  async input(input: McpInput, server: string): Promise<string | undefined> {
    const key = INPUT_PREFIX + input.id;
    const kept = await this.secrets.get(key);
    if (kept !== undefined) return kept;
    const value = await vscode.window.showInputBox({
      title: `MCP server ${server}`,
      prompt: input.description,
      password: input.password,
      ignoreFocusOut: true,
      ...(input.default !== undefined ? { value: input.default } : {}),
    });
    if (value === undefined) return undefined;
    await this.secrets.store(key, value);
    return value;
  }
}
