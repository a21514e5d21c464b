/**
 * Whether a server may start now: the user's own definitions (their mcp.json, the setting) start
 * on the first agent task; a workspace's definition never starts in a Restricted Mode window, and
 * otherwise only once the user approved that exact definition (its fingerprint) — else it asks.
 * Pure (src/vscode/mcp/permissions.ts asks and keeps the approvals).
 */
import { definitionFingerprint, type McpServerConfig } from './config';

export type StartGate =
  | { readonly kind: 'start' }
  | { readonly kind: 'ask'; readonly fingerprint: string }
  | { readonly kind: 'blocked'; readonly reason: string };

export const RESTRICTED_REASON = 'Restricted Mode: servers defined by the workspace never start in an untrusted folder';

export function startGate(server: McpServerConfig, workspaceTrusted: boolean, approved: readonly string[]): StartGate {
  if (server.source !== 'workspace') return { kind: 'start' };
  if (!workspaceTrusted) return { kind: 'blocked', reason: RESTRICTED_REASON };
  const fingerprint = definitionFingerprint(server);
  return approved.includes(fingerprint) ? { kind: 'start' } : { kind: 'ask', fingerprint };
}
