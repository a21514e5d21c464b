/**
 * Whether a server may start now: the user's own definitions (their mcp.json, the setting) start
 * on the first agent task; a workspace's definition never starts in a Restricted Mode window, and
 * otherwise only once the user approved that exact definition (its fingerprint) — else it asks.
 * The question shows everything that decides what runs (the names of the environment variables and
 * headers it sets, never their values). Pure (src/vscode/mcp/permissions.ts asks and keeps the
 * approvals).
 */
import { definitionFingerprint, shellQuote, type McpServerConfig } from './config';

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

const names = (r: Readonly<Record<string, string>>): string =>
  Object.keys(r).length ? `${Object.keys(r).sort().join(', ')} (values not shown)` : 'none';

/**
 * What the start question shows of a definition, one line each, as written in the file (before
 * variables are filled): command, arguments, working folder and environment names of a command;
 * URL, transport and header names of a remote server.
 */
export function startQuestionDetail(server: McpServerConfig): string {
  if (server.transport !== 'stdio')
    return [`URL: ${server.url}`, `Transport: ${server.transport}`, `Headers: ${names(server.headers)}`].join('\n');
  return [
    `Command: ${shellQuote(server.command)}`,
    `Arguments: ${server.args.length ? server.args.map(shellQuote).join(' ') : 'none'}`,
    `Working folder: ${server.cwd ?? 'the workspace folder (no cwd set)'}`,
    `Environment variables: ${names(server.env)}`,
  ].join('\n');
}
