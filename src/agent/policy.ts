/**
 * Who decides whether a tool call runs: the user (ask) or the settings (auto). Reads inside the
 * workspace run by default; edits and commands ask. `allowedCommands` / `deniedCommands` are
 * prefix patterns (`npm test` allows `npm test -- --watch`, not `npm testify`); a denied command
 * always asks, and the built-in deny list ({@link builtInDenial}) can never be auto-approved,
 * whatever the settings or "Always allow" say. Pure.
 */
import { TOOL_KIND, type ToolCall, type ToolKind } from './tools';

/** `switchyard.agent.*` settings that shape approvals. */
export interface ApprovalSettings {
  readonly autoApprove: Readonly<Record<ToolKind, boolean>>;
  readonly allowedCommands: readonly string[];
  readonly deniedCommands: readonly string[];
}

export const DEFAULT_APPROVAL: ApprovalSettings = { autoApprove: { read: true, edit: false, command: false }, allowedCommands: [], deniedCommands: [] };

export type ApprovalVerdict =
  | { readonly decision: 'auto'; readonly reason: string }
  | { readonly decision: 'ask'; readonly reason: string; readonly canAlwaysAllow: boolean };

/** The command's words with runs of whitespace collapsed. */
const normal = (command: string): string => command.trim().replace(/\s+/g, ' ');

/** `pattern` is a prefix of `command` on a word boundary (case-sensitive, like a shell). */
export function matchesPrefix(command: string, pattern: string): boolean {
  const c = normal(command);
  const p = normal(pattern);
  if (!p) return false;
  return c === p || c.startsWith(p.endsWith(' ') ? p : `${p} `) || (/[^\w]$/.test(p) && c.startsWith(p));
}

/** Splits a command line into the commands it runs (`a && b; c | d` → a, b, c, d), so `ok && sudo x` is seen. */
export function commandParts(command: string): string[] {
  return command.split(/&&|\|\||[;|\n]|\$\(|`/).map(normal).filter(Boolean);
}

/**
 * Commands that are never auto-approved: `sudo`/`su`/`doas`, recursive deletes whose target is
 * absolute, home-relative or climbs out (`..`) of the workspace (or is `*` at the root), and
 * anything that touches the key store (`secret-tool`, `security … keychain`, VS Code's
 * `state.vscdb` / SecretStorage). Returns the reason, or undefined.
 */
export function builtInDenial(command: string): string | undefined {
  for (const part of commandParts(command)) {
    const words = part.split(' ');
    const [first = ''] = words;
    if (['sudo', 'su', 'doas', 'pkexec'].includes(first)) return `${first} runs as another user`;
    if (isRecursiveDelete(words)) {
      const targets = words.slice(1).filter((w) => !w.startsWith('-'));
      const outside = targets.find((t) => /^(\/|~|\$HOME|\$\{HOME\}|[A-Za-z]:[\\/])/.test(t) || t.split(/[\\/]/).includes('..') || t === '*' || t === '.');
      if (outside !== undefined || targets.length === 0) return `a recursive delete of ${outside ?? 'an unstated target'} may reach outside the workspace`;
    }
    if (/\b(secret-tool|security\s+(add|delete|set)-\w*password|keyring)\b/.test(part) || /state\.vscdb|SecretStorage|\.vscode-server\/data\/User\/globalStorage|libsecret/i.test(part)) {
      return 'it would write to the key store';
    }
  }
  return undefined;
}

function isRecursiveDelete(words: readonly string[]): boolean {
  const [first = '', ...rest] = words;
  if (first === 'rm') return rest.some((w) => /^-[a-zA-Z]*[rR]/.test(w) || w === '--recursive');
  if (first === 'rmdir') return rest.some((w) => w === '-p' || w === '--parents');
  if (first === 'find') return rest.includes('-delete');
  if (first === 'Remove-Item' || first === 'rd') return rest.some((w) => /^-(r|recurse)$/i.test(w) || /^\/s$/i.test(w));
  return false;
}

/**
 * The verdict for one call. `alwaysAllowed` are the tool names the user chose "Always allow" for
 * in this workspace. Order: built-in deny list (ask, no "always") → denied patterns (ask) →
 * allowed patterns / autoApprove / always-allowed (auto) → ask.
 */
export function approvalFor(call: ToolCall, settings: ApprovalSettings, alwaysAllowed: ReadonlySet<string>): ApprovalVerdict {
  const kind = TOOL_KIND[call.name];
  if (call.name === 'run_command') {
    const command = call.args.command;
    const denial = builtInDenial(command);
    if (denial) return { decision: 'ask', reason: `Always asked: ${denial}.`, canAlwaysAllow: false };
    const denied = settings.deniedCommands.find((p) => commandParts(command).some((part) => matchesPrefix(part, p)));
    if (denied) return { decision: 'ask', reason: `Matches a denied command ("${denied}").`, canAlwaysAllow: false };
    const parts = commandParts(command);
    const allowed = parts.length > 0 && parts.every((part) => settings.allowedCommands.some((p) => matchesPrefix(part, p)));
    if (allowed) return { decision: 'auto', reason: 'Matches allowed commands.' };
  }
  if (settings.autoApprove[kind]) return { decision: 'auto', reason: `Auto-approved (${kind}).` };
  if (alwaysAllowed.has(call.name)) return { decision: 'auto', reason: `Always allowed in this workspace.` };
  return { decision: 'ask', reason: kind === 'read' ? 'Reads ask (autoApprove.read is off).' : kind === 'edit' ? 'Edits ask before writing.' : 'Commands ask before running.', canAlwaysAllow: true };
}
