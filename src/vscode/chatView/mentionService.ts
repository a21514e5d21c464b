/**
 * `@` mentions, host side: completion rows for what was typed after `@`, and turning a picked
 * row into attachments (or the reason it cannot be attached).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Attachment } from '../../context/attachment';
import {
  kindRows,
  looksLikeOutsidePath,
  parseMentionQuery,
  resourceRows,
  startingRows,
} from '../../context/mentionQuery';
import { singleLine } from '../../openrouter/untrustedText';
import { resourceAttachment, type ResourceContent } from '../../mcp/resources';
import type { MentionItem, MentionKind } from '../../protocol/messages';
import { fileAttachment, problemsAttachment, selectionAttachment, shortId, type ContextGuard } from './editorContext';
import type { FileIndex } from './fileIndex';
import { uncommittedDiff } from './gitApi';
import type { TerminalOutput } from '../agent/terminalOutput';

export type MentionResult =
  | { readonly ok: true; readonly attachments: readonly Attachment[]; readonly notes: readonly string[] }
  | { readonly ok: false; readonly reason: string };

export interface MentionDeps {
  readonly files: FileIndex;
  readonly terminal: TerminalOutput;
  /** The text editor the user was last in (the chat view has focus while they pick). */
  readonly editor: () => vscode.TextEditor | undefined;
  /** `switchyard.context.exclude` and the question before a secret-looking file is attached. */
  readonly guard: () => ContextGuard;
  /** The resources of running MCP servers (src/vscode/mcp/manager.ts), when there are servers. */
  readonly resources?: () => McpResourceSource | undefined;
}

/** What the `@` list needs of the MCP servers: their resources, and reading one. */
export interface McpResourceSource {
  resources(): readonly { server: string; resource: { uri: string; name: string; description?: string } }[];
  readResource(server: string, uri: string): Promise<ResourceContent[]>;
  /** Starts the servers that need no question (the `@` menu just opened). */
  warmUp?(): Promise<void>;
  /** The servers starting now (their resources are not listed yet). */
  starting?(): readonly string[];
  /** A server started, stopped or failed (the open `@` menu is answered again). */
  readonly onDidChange?: vscode.Event<void>;
}

export class MentionService {
  constructor(private readonly deps: MentionDeps) {}

  /** Rows for `@<query>`: matching kinds, then matching files. */
  async complete(query: string): Promise<MentionItem[]> {
    const parsed = parseMentionQuery(query);
    const rows: MentionItem[] = parsed.kind ? [] : kindRows(parsed.filter);
    if (!parsed.kind) {
      const source = this.deps.resources?.();
      if (query === '') await source?.warmUp?.().catch(() => undefined);
      const listed = source?.resources() ?? [];
      rows.push(
        ...resourceRows(
          parsed.filter,
          listed.map((r) => ({ server: r.server, ...r.resource })),
        ),
        ...startingRows(source?.starting?.() ?? []),
      );
    }
    if (parsed.kind === 'file' || parsed.filter) {
      if (looksLikeOutsidePath(parsed.filter))
        rows.push({ kind: 'file', label: parsed.filter, detail: 'a path outside the workspace', path: parsed.filter });
      else {
        for (const file of await this.deps.files.search(parsed.filter)) {
          const dir = path.posix.dirname(file);
          rows.push({
            kind: 'file',
            label: path.posix.basename(file),
            ...(dir !== '.' ? { detail: dir } : {}),
            path: file,
          });
        }
      }
    }
    return rows;
  }

  /** The attachments of a picked row. */
  async resolve(kind: MentionKind, filePath?: string, server?: string): Promise<MentionResult> {
    const editor = this.deps.editor();
    switch (kind) {
      case 'resource':
        return this.resource(server, filePath);
      case 'file': {
        if (!filePath) return { ok: false, reason: 'Pick a file from the list.' };
        const result = await fileAttachment(toUri(filePath), this.deps.guard());
        return result.ok ? { ok: true, attachments: [result.attachment], notes: [] } : result;
      }
      case 'selection':
        return one(selectionAttachment(editor));
      case 'problems':
        if (!editor) return { ok: false, reason: 'No editor is open: @problems attaches the active file’s problems.' };
        return one(problemsAttachment(editor.document.uri));
      case 'workspaceProblems':
        return one(problemsAttachment(undefined));
      case 'diff':
        return diffMention(editor);
      case 'open':
        return this.openEditors();
      case 'image':
        // The chat view opens the file dialog for `@image` (switchyard.attachImage) instead.
        return {
          ok: false,
          reason: 'Attach an image with the paperclip, by pasting it or by dropping it on the message box.',
        };
      case 'terminal':
        return terminalMention(await this.deps.terminal.read());
    }
  }

  /** An MCP resource, read now from its server (text only). */
  private async resource(server: string | undefined, uri: string | undefined): Promise<MentionResult> {
    const source = this.deps.resources?.();
    if (server && !uri && source?.starting?.().includes(server))
      return {
        ok: false,
        reason: `The MCP server ${server} is still starting: its resources appear in the @ list when it runs.`,
      };
    if (!server || !uri || !source) return { ok: false, reason: 'Pick a resource from the list.' };
    let contents: ResourceContent[];
    try {
      contents = await source.readResource(server, uri);
    } catch (error) {
      return {
        ok: false,
        reason: `${server}: ${uri} could not be read: ${singleLine(error instanceof Error ? error.message : error, 300)}`,
      };
    }
    const result = resourceAttachment(shortId('res', `${server}\u0000${uri}`), server, uri, contents);
    if (!result.ok) return result;
    return { ok: true, attachments: [result.attachment], notes: result.note ? [result.note] : [] };
  }

  /** Every open text editor tab that may be attached; the others are named with their reason. */
  private async openEditors(): Promise<MentionResult> {
    const uris = new Map<string, vscode.Uri>();
    for (const group of vscode.window.tabGroups.all) {
      for (const tab of group.tabs) {
        if (tab.input instanceof vscode.TabInputText && tab.input.uri.scheme === 'file')
          uris.set(tab.input.uri.toString(), tab.input.uri);
      }
    }
    if (!uris.size) return { ok: false, reason: 'No files are open in editors.' };
    const attachments: Attachment[] = [];
    const notes: string[] = [];
    for (const uri of uris.values()) {
      // Many files at once: a secret-looking one is left out (named in the notes), never asked about in bulk.
      const result = await fileAttachment(uri, { exclude: this.deps.guard().exclude }, 'open');
      if (result.ok) attachments.push(result.attachment);
      else notes.push(result.reason);
    }
    if (!attachments.length) return { ok: false, reason: notes.join(' ') };
    return { ok: true, attachments, notes };
  }
}

function one(result: { ok: true; attachment: Attachment } | { ok: false; reason: string }): MentionResult {
  return result.ok ? { ok: true, attachments: [result.attachment], notes: [] } : result;
}

/** A workspace-relative path (`folder/…` in multi-root) or an absolute one, as a URI. */
function toUri(filePath: string): vscode.Uri {
  const expanded = filePath.startsWith('~/') ? path.join(process.env.HOME ?? '/', filePath.slice(2)) : filePath;
  if (path.isAbsolute(expanded)) return vscode.Uri.file(expanded);
  const folders = vscode.workspace.workspaceFolders ?? [];
  const [first, ...rest] = expanded.split('/');
  const named = folders.length > 1 ? folders.find((f) => f.name === first) : undefined;
  if (named) return vscode.Uri.joinPath(named.uri, ...rest);
  const base = folders[0]?.uri ?? vscode.Uri.file(process.cwd());
  return vscode.Uri.file(path.resolve(base.fsPath, expanded));
}

/** `@diff`: the uncommitted changes of the active file's repository (or the first folder's). */
async function diffMention(editor: vscode.TextEditor | undefined): Promise<MentionResult> {
  const diff = await uncommittedDiff(editor?.document.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri);
  if (!diff.ok) return diff;
  return {
    ok: true,
    attachments: [
      {
        id: shortId('diff', diff.root),
        kind: 'diff',
        source: 'mention',
        path: `git diff, ${diff.root}`,
        language: 'diff',
        content: diff.diff,
      },
    ],
    notes: [],
  };
}

/** `@terminal`: the active terminal's selection or last command's output, as read. */
function terminalMention(read: Awaited<ReturnType<TerminalOutput['read']>>): MentionResult {
  if (!read.ok) return read;
  return {
    ok: true,
    attachments: [
      {
        id: shortId('term', `${read.name}#${read.what}`),
        kind: 'terminal',
        source: 'mention',
        path: `${read.name}, ${read.what === 'selection' ? 'selection' : 'last command'}`,
        language: 'text',
        content: read.text,
      },
    ],
    notes: [],
  };
}
