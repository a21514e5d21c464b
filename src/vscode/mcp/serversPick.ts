/**
 * "Switchyard: MCP Servers": every server with its state (not started, starting, running with N
 * tools, failed with the reason, disabled, blocked) and, for the one picked, Start / Stop /
 * Restart / Disable / Enable / Open Log.
 */
import * as vscode from 'vscode';
import { launchLine } from '../../mcp/config';
import type { AgentEcosystem } from '../agent/agentExtras';
import type { McpServerState } from './manager';

const SOURCE: Readonly<Record<string, string>> = {
  user: 'your mcp.json',
  setting: 'switchyard.mcp.servers',
  workspace: 'workspace .vscode/mcp.json',
};

export function stateText(state: McpServerState): string {
  switch (state.kind) {
    case 'stopped':
      return 'not started (starts with the first agent task, or when you open / or @ if it needs no question)';
    case 'starting':
      return 'starting…';
    case 'running':
      return `running, ${state.tools} tool${state.tools === 1 ? '' : 's'}`;
    case 'failed':
      return `failed: ${state.reason}`;
    case 'disabled':
      return 'disabled in this workspace';
    case 'blocked':
      return `not started: ${state.reason}`;
    case 'signIn':
      return 'needs sign-in: pick it, then Sign In';
  }
}

export async function showMcpServers(eco: AgentEcosystem): Promise<void> {
  await eco.mcp.reload();
  await eco.mcp.warmUp();
  const servers = eco.mcp.list();
  if (servers.length === 0) {
    const open = 'Open Settings';
    const answer = await vscode.window.showInformationMessage(
      "No MCP servers are defined. Add them to your mcp.json, the workspace's .vscode/mcp.json, or the switchyard.mcp.servers setting.",
      open,
    );
    if (answer === open)
      await vscode.commands.executeCommand('workbench.action.openSettings', 'switchyard.mcp.servers');
    return;
  }
  const picked = await vscode.window.showQuickPick(
    servers.map((s) => ({
      label: s.config.name,
      description: stateText(s.state),
      detail: `${SOURCE[s.config.source]} · ${launchLine(s.config)}`,
      name: s.config.name,
    })),
    { title: 'Switchyard: MCP Servers', placeHolder: 'Pick a server to start, stop, restart, disable or see its log' },
  );
  if (!picked) return;
  const state = servers.find((s) => s.config.name === picked.name)!.state;
  const action = await vscode.window.showQuickPick(await serverActions(eco, picked.name, state), {
    title: `MCP server ${picked.name}: ${stateText(state)}`,
  });
  if (action === 'Stop') await eco.mcp.stopByName(picked.name);
  else if (action === 'Disable in This Workspace') await eco.mcp.stopByName(picked.name, true);
  else if (action === 'Open Log') eco.mcp.showLog(picked.name);
  else if (action === 'Sign In') await eco.mcp.signInByName(picked.name);
  else if (action === 'Sign Out') await eco.mcp.signOutByName(picked.name);
  else if (action) await eco.mcp.startByName(picked.name);
}

/** What the user can do with a server in its state (Sign In / Sign Out for a remote server using OAuth). */
async function serverActions(eco: AgentEcosystem, name: string, state: McpServerState): Promise<string[]> {
  const running = state.kind === 'running' || state.kind === 'starting';
  return [
    ...(state.kind === 'signIn' ? ['Sign In'] : []),
    ...(running ? ['Stop', 'Restart'] : [state.kind === 'disabled' ? 'Enable and Start' : 'Start']),
    ...(state.kind === 'disabled' ? [] : ['Disable in This Workspace']),
    ...((await eco.mcp.signedIn(name)) ? ['Sign Out'] : []),
    'Open Log',
  ];
}
