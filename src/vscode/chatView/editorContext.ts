/**
 * Editor context as attachments: the active selection (or, with nothing selected, the whole
 * file), a file picked with `@file`, the problems of a file or the workspace. Files that are
 * binary, huge or outside the workspace are refused with a reason (src/context/refusal.ts).
 *
 * The workspace boundary is checked on the real path (src/context/workspacePath.ts): a link that
 * leads outside the open folders is refused, and files that usually hold secrets are never
 * attached automatically, and by hand only after the user confirms.
 */
import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import type { Attachment, AttachmentSource } from '../../context/attachment';
import { BINARY_SNIFF_BYTES, MAX_ATTACH_BYTES, refusalReason } from '../../context/refusal';
import { resolveInWorkspace } from '../../context/workspacePath';
import { isSecretPath } from '../../openrouter/secrets';
import { quoted } from '../../openrouter/untrustedText';

/** What guards context: the user's extra exclusions, and how to ask before a secret-looking file goes. */
export interface ContextGuard {
  /** `switchyard.context.exclude` globs. */
  readonly exclude: readonly string[];
  /** Asks before a secret-looking file is attached by hand; absent = refuse (automatic and bulk attachment). */
  readonly confirmSecret?: (path: string) => Promise<boolean>;
}

/** Absolute paths of the workspace folders on this machine. */
function folderPaths(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
}

/** The path inside its workspace folder (no folder-name prefix in multi-root), `/`-separated. */
function inFolderPath(uri: vscode.Uri): string {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  return folder ? uri.path.slice(folder.uri.path.length).replace(/^\/+/, '') : uri.path;
}

/**
 * Why `uri` may not be attached under `guard` (the real path leaves the workspace, or it looks like
 * a secret and the user did not confirm), or undefined. Non-`file` schemes are not on this disk:
 * only the name check applies.
 */
export async function guardReason(uri: vscode.Uri, shown: string, guard: ContextGuard): Promise<string | undefined> {
  const names = [inFolderPath(uri)];
  if (uri.scheme === 'file') {
    const resolved = await resolveInWorkspace(uri.fsPath, folderPaths());
    // The reason names the path as given (absolute here): name it as the user sees it instead.
    if (!resolved.ok) return resolved.reason.split(quoted(uri.fsPath, 160)).join(quoted(shown, 160));
    // A link inside the workspace to `.env` is as secret as `.env`.
    const real = vscode.Uri.file(resolved.realPath);
    if (real.fsPath !== uri.fsPath) names.push(inFolderPath(real));
  }
  if (!names.some((n) => isSecretPath(n, guard.exclude))) return undefined;
  if (!guard.confirmSecret)
    return `${shown} usually holds secrets (or matches switchyard.context.exclude), so it is not attached automatically; pick it with @file to attach it after confirming.`;
  if (await guard.confirmSecret(shown)) return undefined;
  return `${shown} was not attached: it usually holds secrets and you chose not to send it.`;
}

const ATTACHABLE_SCHEMES = new Set(['file', 'untitled', 'vscode-remote', 'vscode-vfs']);

export type Attached =
  { readonly ok: true; readonly attachment: Attachment } | { readonly ok: false; readonly reason: string };

/**
 * The automatic context: the selection, else the whole file when it may be attached. Nothing from a
 * file whose real path is outside the workspace, or that looks like it holds secrets.
 */
export async function captureEditorContext(
  editor: vscode.TextEditor | undefined,
  guard: ContextGuard,
): Promise<Attachment | undefined> {
  if (!editor || !ATTACHABLE_SCHEMES.has(editor.document.uri.scheme)) return undefined;
  if (
    !editor.document.isUntitled &&
    (await guardReason(editor.document.uri, displayPath(editor.document), { exclude: guard.exclude }))
  )
    return undefined;
  const selection = selectionAttachment(editor, 'auto');
  if (selection.ok) return selection.attachment;
  if (!editor.selection.isEmpty) return undefined;
  const doc = editor.document;
  const content = doc.getText();
  if (!content.trim()) return undefined;
  // The automatic chip never offers what `@file` would refuse (it just does not appear).
  if (!doc.isUntitled && (!inWorkspace(doc.uri) || Buffer.byteLength(content) > MAX_ATTACH_BYTES)) return undefined;
  return {
    id: shortId('file', doc.uri.toString()),
    kind: 'file',
    source: 'auto',
    path: displayPath(doc),
    language: doc.languageId,
    content,
  };
}

/** The editor's selection (whole text of it), or why there is none. */
export function selectionAttachment(
  editor: vscode.TextEditor | undefined,
  source: AttachmentSource = 'mention',
): Attached {
  if (!editor) return { ok: false, reason: 'No editor is open: select some code first.' };
  const doc = editor.document;
  const selection = editor.selection;
  if (selection.isEmpty) return { ok: false, reason: `Nothing is selected in ${displayPath(doc)}.` };
  const content = doc.getText(selection);
  if (!content.trim()) return { ok: false, reason: 'The selection is empty (only whitespace).' };
  const endLine =
    selection.end.character === 0 && selection.end.line > selection.start.line
      ? selection.end.line
      : selection.end.line + 1;
  return {
    ok: true,
    attachment: {
      id: shortId('sel', `${doc.uri.toString()}#${selection.start.line}-${endLine}`),
      kind: 'selection',
      source,
      path: displayPath(doc),
      language: doc.languageId,
      startLine: selection.start.line + 1,
      endLine,
      content,
    },
  };
}

/** Lines `startLine`..`endLine` (0-based, inclusive) of a document, as a selection attachment. */
export function linesAttachment(doc: vscode.TextDocument, startLine: number, endLine: number): Attachment {
  const range = new vscode.Range(startLine, 0, endLine, doc.lineAt(endLine).text.length);
  return {
    id: shortId('sel', `${doc.uri.toString()}#${startLine}-${endLine + 1}`),
    kind: 'selection',
    source: 'action',
    path: displayPath(doc),
    language: doc.languageId,
    startLine: startLine + 1,
    endLine: endLine + 1,
    content: doc.getText(range),
  };
}

/**
 * A whole file, checked first: outside the workspace (also through a link), too large and binary
 * files are refused; a secret-looking one is attached only if `guard.confirmSecret` says yes.
 */
export async function fileAttachment(
  uri: vscode.Uri,
  guard: ContextGuard,
  source: AttachmentSource = 'mention',
): Promise<Attached> {
  const inWs = inWorkspace(uri);
  const path = inWs ? vscode.workspace.asRelativePath(uri, false) : uri.fsPath;
  // Outside the workspace: refused before anything about the file is looked at.
  if (!inWs)
    return { ok: false, reason: refusalReason({ path, inWorkspace: false, size: 0, head: new Uint8Array() })! };
  const guarded = await guardReason(uri, path, guard);
  if (guarded) return { ok: false, reason: guarded };
  let size: number;
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.type & vscode.FileType.Directory) return { ok: false, reason: `${path} is a folder; pick a file.` };
    size = stat.size;
  } catch {
    return { ok: false, reason: `${path} does not exist or cannot be read.` };
  }
  // Check what can be checked before reading a possibly huge file.
  const early = refusalReason({ path, inWorkspace: inWs, size, head: new Uint8Array() });
  if (early) return { ok: false, reason: early };
  const bytes = await vscode.workspace.fs.readFile(uri);
  const reason = refusalReason({
    path,
    inWorkspace: inWs,
    size: bytes.byteLength,
    head: bytes.subarray(0, BINARY_SNIFF_BYTES),
  });
  if (reason) return { ok: false, reason };
  // An open document may have unsaved changes: attach what the user sees.
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  const doc = open ?? (await vscode.workspace.openTextDocument(uri));
  const content = doc.getText();
  if (!content.trim()) return { ok: false, reason: `${path} is empty.` };
  return {
    ok: true,
    attachment: { id: shortId('file', uri.toString()), kind: 'file', source, path, language: doc.languageId, content },
  };
}

/** The diagnostics of one document, or of the whole workspace (`uri` undefined). */
export function problemsAttachment(uri: vscode.Uri | undefined, range?: vscode.Range): Attached {
  const entries: [vscode.Uri, readonly vscode.Diagnostic[]][] = uri
    ? [[uri, vscode.languages.getDiagnostics(uri)]]
    : vscode.languages.getDiagnostics();
  const lines: string[] = [];
  for (const [file, diagnostics] of entries) {
    const rel = vscode.workspace.asRelativePath(file, false);
    for (const d of diagnostics) {
      if (range && !d.range.intersection(range) && !range.contains(d.range)) continue;
      const code = typeof d.code === 'object' ? d.code.value : d.code;
      lines.push(
        `${rel}:${d.range.start.line + 1}:${d.range.start.character + 1} ${severityName(d.severity)}: ${d.message}${d.source ? ` (${d.source}${code !== undefined ? ` ${code}` : ''})` : ''}`,
      );
      if (lines.length >= 200) break;
    }
  }
  const where = uri ? vscode.workspace.asRelativePath(uri, false) : 'the workspace';
  if (!lines.length) return { ok: false, reason: `No problems in ${where}.` };
  const path = uri
    ? range
      ? `${where}:${range.start.line + 1}${range.end.line !== range.start.line ? `-${range.end.line + 1}` : ''}`
      : where
    : 'workspace';
  return {
    ok: true,
    attachment: {
      id: shortId('problems', `${uri?.toString() ?? '*'}#${range ? `${range.start.line}-${range.end.line}` : ''}`),
      kind: 'problems',
      source: 'mention',
      path,
      language: '',
      content: lines.join('\n'),
    },
  };
}

function severityName(severity: vscode.DiagnosticSeverity): string {
  return ['error', 'warning', 'info', 'hint'][severity] ?? 'problem';
}

export function inWorkspace(uri: vscode.Uri): boolean {
  return vscode.workspace.getWorkspaceFolder(uri) !== undefined;
}

function displayPath(doc: vscode.TextDocument): string {
  return doc.isUntitled ? doc.fileName : vscode.workspace.asRelativePath(doc.uri, false);
}

/** A short, stable id (the protocol bounds ids; URIs can be any length). */
export function shortId(prefix: string, source: string): string {
  return `${prefix}-${createHash('sha256').update(source).digest('base64url').slice(0, 16)}`;
}

/** SHA-256 of a document's text (the Apply target's fingerprint). */
export function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}
