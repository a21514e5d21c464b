/**
 * Whether an MCP tool call asks. Every MCP tool asks by default. The user may allow one tool or a
 * whole server in this workspace ("Always allow") or trust a server in user settings
 * (`switchyard.mcp.trustedServers`). The server's annotations inform the default and the card
 * (`readOnlyHint`, `destructiveHint`) but never loosen the user's choice: a tool the server calls
 * read-only still asks unless the user allowed it, and a destructive one asks even on an allowed
 * or trusted server unless the user allowed that very tool. Pure.
 */
import type { McpToolEntry } from './toolCatalog';

export interface McpApprovalState {
  /** Servers the user trusts in user settings. */
  readonly trustedServers: ReadonlySet<string>;
  /** Tools allowed in this workspace, by {@link approvalKey} (never by function name: two tools can be shown under one). */
  readonly alwaysTools: ReadonlySet<string>;
  /** Servers allowed in this workspace. */
  readonly alwaysServers: ReadonlySet<string>;
}

export type McpVerdict =
  { readonly decision: 'auto'; readonly reason: string } | { readonly decision: 'ask'; readonly reason: string };

/** What "Always allow <tool>" keeps: the exact server and tool names. */
export const approvalKey = (entry: McpToolEntry): string => JSON.stringify([entry.server, entry.tool.name]);

export function mcpApprovalFor(entry: McpToolEntry, state: McpApprovalState): McpVerdict {
  const destructive = entry.tool.annotations?.destructiveHint === true;
  const readOnly = entry.tool.annotations?.readOnlyHint === true;
  if (state.alwaysTools.has(approvalKey(entry)))
    return { decision: 'auto', reason: `Always allowed in this workspace.` };
  const serverAllowed = state.alwaysServers.has(entry.server)
    ? 'is always allowed in this workspace'
    : state.trustedServers.has(entry.server)
      ? 'is trusted in your settings'
      : undefined;
  if (serverAllowed && !destructive)
    return { decision: 'auto', reason: `The server ${entry.server} ${serverAllowed}.` };
  if (serverAllowed)
    return {
      decision: 'ask',
      reason: `The server ${entry.server} ${serverAllowed}, but it marks this tool destructive.`,
    };
  return {
    decision: 'ask',
    reason: `MCP tools ask before running${readOnly ? ' (the server says this one only reads)' : destructive ? ' (the server says this one may change or delete things)' : ''}.`,
  };
}
