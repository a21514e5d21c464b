/**
 * What the agent's built-in tools (src/agent/tools/) need of the editor, on VS Code APIs (the
 * `AgentTools` of src/agent/toolRunner.ts: the tools' host and the writes of edits). Every path goes
 * through `resolveInWorkspace` (reads: links followed, the real path must stay inside) or
 * `resolveForWrite` (writes: no link anywhere on the way), src/context/workspacePath.ts; outside
 * the workspace is an error result the model reads. A file that usually holds secrets, that Git
 * ignores or that holds a credential is read only after the user says yes (secretReads.ts), and
 * every result is redacted. Reads use the open document's text when the file
 * is open (what the user sees), else the file opened once without following a last link and
 * checked through its handle (src/context/confinedRead.ts); `list_files` and the search
 * fallback use the file index (.gitignore and files.exclude honoured); `search_text` runs the
 * ripgrep that ships inside VS Code; edits are proposed in the diff editor and written to disk
 * without following a link swapped in since the check, all files or none (src/context/confinedWrite.ts), then shown
 * in the open document as one undo step (showWritten.ts).
 */
import { realpath } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CallFacts } from '../../agent/policy';
import type { AgentTools, FileChange } from '../../agent/toolRunner';
import { confinedFiles, type SearchQuery } from '../../agent/search';
import { isPlainGitInit } from '../../agent/sandbox/gitInit';
import { createdNote } from '../../agent/sandbox/nestedProtected';
import { notificationText } from '../../openrouter/untrustedText';
import { kindOf, protectedLinks } from '../../agent/sandbox/placeholders';
import type { ParsedCommandLine } from '../../agent/sandbox/shellSyntax';
import { placeholderNote } from '../../agent/sandbox/protectedMounts';
import { readOnlyNote } from '../../agent/sandbox/readOnlyNote';
import type { Problem, Refused, RunContext, ToolRun } from '../../agent/tools';
import type { ToolCall } from '../../agent/tools';
import { readOpenedInside, type OpenedReadWhy } from '../../context/confinedRead';
import { confinedApplyError, writeAllInside } from '../../context/confinedWrite';
import { resolveForWrite, resolveInWorkspace } from '../../context/workspacePath';
import { AgentTerminal } from './agentCommand';
import { searchWorkspace } from './agentSearch';
import type { CommandSandbox } from './commandSandbox';
import { PROPOSAL_SCHEME, type ProposalDocuments } from '../chatView/diffDocuments';
import type { FileIndex } from '../chatView/fileIndex';
import { knownSecretsForRedaction, type Logger } from '../log';
import { secretReadRefusal, type SecretGuard } from './secretReads';
import { showWritten } from './showWritten';

const MAX_READ_BYTES = 4 * 1024 * 1024;
const SEVERITY = ['error', 'warning', 'info', 'hint'] as const;
/** What the model reads when a file was not read. */
const UNREAD: Record<Exclude<OpenedReadWhy, 'absent'>, string> = {
  outside: 'it now leads outside the workspace (a link put there since the path was checked)',
  folder: 'it is a folder; use list_files',
  // A named pipe or a device would block the read (or never end): only regular files are read.
  'not a file': 'it is not a regular file (a pipe, socket or device)',
  'too big': `it is over the ${MAX_READ_BYTES / 1024 / 1024} MiB read limit`,
  binary: 'it is a binary file',
  unreadable: 'it could not be read',
};

/** How commands are contained: the sandbox, and whether it lets them reach the network (the setting). */
export interface CommandContainment {
  readonly sandbox: CommandSandbox;
  network(): boolean;
}

export class VsCodeAgentTools implements AgentTools, vscode.Disposable {
  private readonly terminal: AgentTerminal;
  private proposals: vscode.Uri[] = [];
  /** Files Git ignores that the user let the agent read in this window. */
  private readonly allowedIgnored = new Set<string>();

  constructor(
    private readonly index: FileIndex,
    private readonly diffs: ProposalDocuments,
    private readonly log: Logger,
    private readonly timeoutSeconds: () => number,
    private readonly secrets: SecretGuard,
    private readonly commands: CommandContainment,
  ) {
    this.terminal = new AgentTerminal();
  }

  /** What the approval policy needs: a command's parse and whether it runs sandboxed; an edit's resolved path. */
  async inspect(call: ToolCall): Promise<CallFacts> {
    if (call.name === 'run_command') {
      const [parser, status] = await Promise.all([this.commands.sandbox.parser(), this.commands.sandbox.available()]);
      const links = status.sandboxed ? protectedLinks(this.folders()) : [];
      const base = {
        sandboxed: status.sandboxed,
        network: status.sandboxed ? this.commands.network() : true,
        ...(links.length ? { protectedLinks: links.map((l) => vscode.workspace.asRelativePath(l, true)) } : {}),
      };
      if (!parser) return base;
      const line = parser.parse(call.args.command);
      const creates = status.sandboxed ? await this.gitInitCreates(line, call.args.cwd) : [];
      return {
        ...base,
        command: { line, parse: (text: string) => parser.parse(text) },
        ...(creates.length ? { creates } : {}),
      };
    }
    if (call.name === 'edit_file' || call.name === 'write_file') {
      const r = await this.resolve(call.args.path).catch(() => undefined);
      return { sandboxed: false, ...(r?.ok ? { resolvedPath: r.rel } : {}) };
    }
    return { sandboxed: false };
  }

  /** The missing `.git` a plain `git init` at a workspace folder's root would create (sandbox/gitInit.ts). */
  private async gitInitCreates(line: ParsedCommandLine, cwdArg: string | undefined): Promise<string[]> {
    if (!isPlainGitInit(line)) return [];
    const cwd = await this.resolve(cwdArg ?? '.');
    const roots = await Promise.all(this.folders().map((f) => realpath(f).catch(() => f)));
    const gitDir = cwd.ok && roots.includes(cwd.uri.fsPath) ? path.join(cwd.uri.fsPath, '.git') : undefined;
    return gitDir && kindOf(gitDir) === 'missing' ? [gitDir] : [];
  }

  private folders(): string[] {
    return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  }

  /** A path to read (links followed, the real path inside the workspace) or, `forWrite`, to write (no link on the way). */
  private async resolve(
    p: string,
    forWrite = false,
  ): Promise<{ ok: true; uri: vscode.Uri; rel: string } | { ok: false; error: string }> {
    const r = await (forWrite ? resolveForWrite : resolveInWorkspace)(p, this.folders());
    if (!r.ok) return { ok: false, error: `${r.reason.replace(/\.$/, '')}. Paths are relative to the workspace root.` };
    const uri = vscode.Uri.file(r.realPath);
    return { ok: true, uri, rel: vscode.workspace.asRelativePath(uri, false) };
  }

  /** Secrets results must never carry: the user's key (what a secret read sends is redacted with it). */
  knownSecrets(): readonly string[] {
    return knownSecretsForRedaction();
  }

  /** A fresh process per command, at the workspace root or its `cwd`, sandboxed where possible, network as allowed. */
  async runCommand(command: string, cwdArg: string | undefined, { signal, events }: RunContext): Promise<ToolRun> {
    // A folder the user has not trusted cannot have commands run in it, approved or not (VS Code's Restricted Mode).
    if (!vscode.workspace.isTrusted)
      return {
        ok: false,
        content:
          'This folder is open in Restricted Mode, so the agent does not run commands in it. The user can trust the folder (Manage Workspace Trust) to allow it.',
        summary: 'refused: Restricted Mode',
      };
    const cwd = await this.resolve(cwdArg ?? '.');
    if (!cwd.ok) return { ok: false, content: cwd.error, summary: 'refused' };
    const status = await this.commands.sandbox.available();
    const network = this.commands.network() || events.allowNetwork === true;
    const line = await this.commands.sandbox.spawnLine(
      command,
      cwd.uri.fsPath,
      this.folders(),
      network,
      events.creates ?? [],
    );
    const banner = status.sandboxed
      ? `sandboxed: workspace writable, network ${network ? 'on' : 'off'}`
      : `NOT sandboxed: ${status.why ?? 'no sandbox here'}`;
    this.log.info(`agent: running a command (${banner})`);
    const run = await this.terminal.run(command, line, cwd.uri.fsPath, {
      timeoutSeconds: this.timeoutSeconds(),
      signal,
      banner,
      onStillRunning: events.onStillRunning,
    });
    if (!status.sandboxed) return { ...run, summary: `${run.summary ?? ''} (not sandboxed)`.trim() };
    const folders = line.folders ?? this.folders();
    const undone = createdNote((await line.undoCreated?.()) ?? [], folders);
    if (undone) {
      this.log.warn(`agent: ${undone}`);
      void vscode.window.showWarningMessage(
        notificationText(`Switchyard: ${undone.slice(1, -1).replace(/^sandbox: /, '')}`),
      );
    }
    const notes = [
      placeholderNote(run.content, line.placeholders ?? [], folders),
      readOnlyNote(run.content),
      undone,
    ].filter(Boolean);
    return notes.length ? { ...run, content: `${run.content}\n${notes.join('\n')}` } : run;
  }

  /** The open document's text (what the user sees), else the file's, read as {@link readOpenedInside} reads; null when absent. */
  private async text(uri: vscode.Uri): Promise<string | null> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open) return open.getText();
    const roots = await Promise.all(this.folders().map((f) => realpath(f).catch(() => f)));
    const read = await readOpenedInside(uri.fsPath, roots, MAX_READ_BYTES);
    if (read.ok) return new TextDecoder().decode(read.bytes);
    if (read.why === 'absent') return null;
    throw new Error(UNREAD[read.why]);
  }

  /** A file to read: links followed into the workspace, secret reads asked about (src/vscode/agent/secretReads.ts). */
  async readText(p: string): Promise<{ ok: true; rel: string; text: string } | Refused> {
    const r = await this.resolve(p);
    if (!r.ok) return { ok: false, content: r.error, summary: 'refused' };
    const text = await this.text(r.uri);
    if (text === null) return { ok: false, content: `${r.rel} does not exist`, summary: 'not found' };
    const declined = await secretReadRefusal(
      this.secrets,
      this.log,
      { given: p, realRel: r.rel, uri: r.uri, text },
      this.allowedIgnored,
    );
    return declined ? { ok: false, ...declined } : { ok: true, rel: r.rel, text };
  }

  /** The folder's workspace-relative name and the workspace's files, confined as reads and search are. */
  async listFiles(folder: string): Promise<{ ok: true; rel: string; files: readonly string[] } | Refused> {
    const r = await this.resolve(folder || '.');
    if (!r.ok) return { ok: false, content: r.error, summary: 'refused' };
    const root = this.folders()[0];
    // The same limit as reads and search: no file link out, no dangling link, nothing behind a folder link out.
    const files = root ? await confinedFiles(root, await this.index.all()) : await this.index.all();
    return { ok: true, rel: r.rel === r.uri.fsPath ? '' : r.rel, files };
  }

  async searchText(q: SearchQuery, signal: AbortSignal): Promise<ToolRun> {
    const root = this.folders()[0];
    if (!root) return { ok: false, content: 'no folder is open in the workspace' };
    return searchWorkspace(root, q, signal, { index: this.index, log: this.log, exclude: this.secrets.exclude() });
  }

  async diagnostics(p: string | undefined): Promise<{ ok: true; problems: readonly Problem[] } | Refused> {
    let entries: [vscode.Uri, readonly vscode.Diagnostic[]][];
    if (p) {
      const r = await this.resolve(p);
      if (!r.ok) return { ok: false, content: r.error, summary: 'refused' };
      entries = [[r.uri, vscode.languages.getDiagnostics(r.uri)]];
    } else entries = vscode.languages.getDiagnostics().filter(([uri]) => vscode.workspace.getWorkspaceFolder(uri));
    const problems = entries.flatMap(([uri, list]) =>
      list.map((d) => ({
        path: vscode.workspace.asRelativePath(uri, false),
        line: d.range.start.line + 1,
        column: d.range.start.character + 1,
        severity: SEVERITY[d.severity],
        message: d.message,
        ...(d.source ? { source: d.source } : {}),
      })),
    );
    return { ok: true, problems };
  }

  async readForEdit(p: string): Promise<{ ok: true; text: string | null } | { ok: false; error: string }> {
    const r = await this.resolve(p, true);
    if (!r.ok) return { ok: false, error: r.error };
    try {
      return { ok: true, text: await this.text(r.uri) };
    } catch (error) {
      return {
        ok: false,
        error: `${r.rel} cannot be edited: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
  }

  async showProposal(changes: readonly FileChange[]): Promise<void> {
    await this.closeProposal();
    for (const change of changes) {
      const r = await this.resolve(change.path, true);
      if (!r.ok) continue;
      const exists = (await this.text(r.uri).catch(() => null)) !== null;
      const proposal = this.diffs.add(r.uri, change.content ?? '');
      this.proposals.push(proposal);
      const left = exists ? r.uri : this.diffs.add(r.uri, '');
      if (!exists) this.proposals.push(left);
      await vscode.commands.executeCommand(
        'vscode.diff',
        left,
        proposal,
        `${path.posix.basename(r.uri.path)}: current ⇄ proposed by the agent`,
        { preview: true, preserveFocus: true },
      );
    }
  }

  async closeProposal(): Promise<void> {
    const open = new Set(this.proposals.map((u) => u.toString()));
    this.proposals.forEach((u) => this.diffs.forget(u));
    this.proposals = [];
    const tabs = vscode.window.tabGroups.all
      .flatMap((g) => g.tabs)
      .filter(
        (t) =>
          t.input instanceof vscode.TabInputTextDiff &&
          t.input.modified.scheme === PROPOSAL_SCHEME &&
          open.has(t.input.modified.toString()),
      );
    if (tabs.length) await vscode.window.tabGroups.close(tabs);
  }

  /**
   * Writes the changes to disk through {@link writeAllInside}, all or nothing (never through a link
   * swapped in since the check), then shows each in an open document: VS Code reloads a clean one
   * from disk as one undoable edit; a document with unsaved changes gets the new text as a
   * `WorkspaceEdit` (undoable too).
   */
  async write(changes: readonly FileChange[]): Promise<string | undefined> {
    const targets: { change: FileChange; uri: vscode.Uri; rel: string }[] = [];
    for (const change of changes) {
      const r = await this.resolve(change.path, true);
      if (!r.ok) return r.error;
      targets.push({ change, uri: r.uri, rel: r.rel });
    }
    const encoder = new TextEncoder();
    const entries = targets.map(({ change, uri }) => ({
      absolute: uri.fsPath,
      bytes: change.content === null ? null : encoder.encode(change.content),
    }));
    const written = await writeAllInside(entries, this.folders());
    if (!written.ok) {
      const files = targets.map(({ change, rel }) => ({ rel, deleting: change.content === null }));
      const error = confinedApplyError(files, written);
      this.log.warn(`agent: edit not applied: ${error}`);
      return error;
    }
    for (const { change, uri } of targets) if (change.content !== null) await showWritten(uri, change.content);
    this.log.info(`agent: wrote ${changes.map((c) => c.path).join(', ')}`);
    return undefined;
  }

  dispose(): void {
    void this.closeProposal();
    this.terminal.dispose();
  }
}
