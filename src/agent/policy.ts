/**
 * Who decides whether a tool call runs: the user (ask) or the settings (auto). Reads inside the
 * workspace run by default; edits and commands ask. A command line is judged from its parse
 * (sandbox/shellSyntax.ts) one simple command at a time (sandbox/commandRules.ts): the built-in
 * deny list and `deniedCommands` on what will run (wrappers, paths and quoting looked through)
 * always ask; `allowedCommands` approve a line only when every simple command, redirection and
 * substitution in it is allowed; a line the parser cannot classify asks. `autoApprove.command` and
 * "Always allow" approve commands only where they run in the OS sandbox, or once the user accepted
 * running them unsandboxed; in the sandbox, every command asks while a protected name is a
 * symbolic link (sandbox/protectedMounts.ts). Edits of protected paths (sandbox/protectedPaths.ts)
 * always ask. Pure.
 */
import { lineDenial, lineDeniedPattern, notAllowedBecause, resolveLine, type ParseLine } from './sandbox/commandRules';
import { PROTECTED_REASON, protectedPathReason, protectedWordReason } from './sandbox/protectedPaths';
import type { ParsedCommandLine } from './sandbox/shellSyntax';
import { TOOL_KIND, type ToolCall, type ToolKind } from './tools';

/** `switchyard.agent.*` settings that shape approvals. */
export interface ApprovalSettings {
  readonly autoApprove: Readonly<Record<ToolKind, boolean>>;
  readonly allowedCommands: readonly string[];
  readonly deniedCommands: readonly string[];
  /** The user accepted that commands auto-approve where no OS sandbox holds them (`agent.sandbox.acceptUnsandboxed`). */
  readonly acceptUnsandboxed?: boolean;
}

export const DEFAULT_APPROVAL: ApprovalSettings = {
  autoApprove: { read: true, edit: false, command: false },
  allowedCommands: [],
  deniedCommands: [],
  acceptUnsandboxed: false,
};

/** What the editor side found out about a call before it is judged. */
export interface CallFacts {
  /** `run_command`: the parsed line and the parser (for `bash -c '…'` strings); absent when the parser could not load. */
  readonly command?: { readonly line: ParsedCommandLine; readonly parse: ParseLine };
  /** Commands run in the OS sandbox. */
  readonly sandboxed: boolean;
  /** Commands have the network (the setting, or no sandbox to take it away). */
  readonly network?: boolean;
  /** Commands: protected names that are symbolic links (the sandbox cannot stop a command replacing one). */
  readonly protectedLinks?: readonly string[];
  /** Commands: missing protected paths (absolute) whose creation is the line's only effect on one (`git init`: sandbox/gitInit.ts). */
  readonly creates?: readonly string[];
  /** Edits: the path as the file system resolves it (links followed), workspace-relative. */
  readonly resolvedPath?: string;
}

export type ApprovalVerdict =
  | { readonly decision: 'auto'; readonly reason: string }
  | { readonly decision: 'ask'; readonly reason: string; readonly canAlwaysAllow: boolean };

const ask = (reason: string, canAlwaysAllow = false): ApprovalVerdict => ({ decision: 'ask', reason, canAlwaysAllow });

/**
 * The verdict for one call. `alwaysAllowed` are the tool names the user chose "Always allow" for
 * in this workspace. Commands: unparsable → built-in deny list → denied patterns (ask) → allowed
 * patterns → autoApprove / always-allowed (auto where sandboxed or accepted) → ask. Edits:
 * protected path (ask) → autoApprove / always-allowed → ask.
 */
export function approvalFor(
  call: ToolCall,
  settings: ApprovalSettings,
  alwaysAllowed: ReadonlySet<string>,
  facts: CallFacts = { sandboxed: false },
): ApprovalVerdict {
  const kind = TOOL_KIND[call.name];
  if (call.name === 'run_command') return commandVerdict(settings, alwaysAllowed.has(call.name), facts);
  if (call.name === 'edit_file' || call.name === 'write_file') {
    const reason =
      protectedPathReason(call.args.path) ??
      (facts.resolvedPath !== undefined ? protectedPathReason(facts.resolvedPath) : undefined);
    if (reason) return ask(`Always asked: ${reason}.`);
  }
  if (settings.autoApprove[kind]) return { decision: 'auto', reason: `Auto-approved (${kind}).` };
  if (alwaysAllowed.has(call.name)) return { decision: 'auto', reason: `Always allowed in this workspace.` };
  return ask(kind === 'read' ? 'Reads ask (autoApprove.read is off).' : 'Edits ask before writing.', true);
}

function commandVerdict(settings: ApprovalSettings, always: boolean, facts: CallFacts): ApprovalVerdict {
  const where = facts.sandboxed ? '' : ' Not sandboxed.';
  if (!facts.command)
    return ask(`Always asked: the command line could not be parsed (the shell grammar did not load).${where}`);
  const { line, parse } = facts.command;
  if (line.unclassified.length)
    return ask(`Always asked: it has ${line.unclassified.join(', ')}, which approvals do not classify.${where}`);
  const resolved = resolveLine(line, parse);
  const denial = lineDenial(resolved);
  if (denial) return ask(`Always asked: ${denial}.${where}${facts.sandboxed && namesProtected(resolved) ? HELD : ''}`);
  const denied = lineDeniedPattern(resolved, settings.deniedCommands);
  if (denied) return ask(`Matches a denied command ("${denied}").${where}`);
  if (resolved.opaque.length) return ask(`Always asked: ${resolved.opaque[0]}.${where}`);
  if (facts.sandboxed && facts.protectedLinks?.length) return ask(`Always asked: ${linkReason(facts.protectedLinks)}.`);
  if (facts.sandboxed && facts.creates?.length)
    return ask(
      `Always asked: it creates ${facts.creates.map((p) => p.split(/[\\/]/).at(-1)).join(', ')}, a protected path that ${PROTECTED_REASON} (git runs its hooks); approved, this command alone may create it.`,
    );
  const notAllowed = settings.allowedCommands.length
    ? notAllowedBecause(line, settings.allowedCommands)
    : 'allowedCommands is empty';
  const contained = facts.sandboxed || settings.acceptUnsandboxed === true;
  if (!notAllowed)
    return contained
      ? { decision: 'auto', reason: `Matches allowed commands.${where}` }
      : ask(unsandboxedReason('allowedCommands'));
  if (settings.autoApprove.command || always) {
    const by = settings.autoApprove.command ? 'autoApprove.command' : '"Always allow"';
    const reason = settings.autoApprove.command ? 'Auto-approved (command).' : 'Always allowed in this workspace.';
    return contained ? { decision: 'auto', reason: `${reason}${where}` } : ask(unsandboxedReason(by));
  }
  return ask(`Commands ask before running${settings.allowedCommands.length ? ` (${notAllowed})` : ''}.${where}`, true);
}

/** On the card before Approve: what the sandbox does to a protected path the command writes. */
const HELD =
  ' The sandbox keeps protected paths read-only even for an approved command: one that writes such a path fails there (its result says why); an edit (write_file) can change it instead.';

function namesProtected(resolved: ReturnType<typeof resolveLine>): boolean {
  return resolved.mentions.some((word) => protectedWordReason(word) !== undefined);
}

function linkReason(links: readonly string[]): string {
  const one = links.length === 1;
  return `${links.join(', ')} ${one ? 'is a symbolic link' : 'are symbolic links'}, which the sandbox cannot hold read-only: a command could replace ${one ? 'it' : 'them'} with files that ${PROTECTED_REASON}`;
}

function unsandboxedReason(by: string): string {
  return `Not sandboxed: ${by} approves commands only inside the OS sandbox, which is not available here. Set switchyard.agent.sandbox.acceptUnsandboxed to accept running them unsandboxed.`;
}
