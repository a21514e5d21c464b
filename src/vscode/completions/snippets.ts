/**
 * Remembers where and when the user last edited each open file, so a completion prompt can show a
 * few lines of the files they are working in (the prompt cuts each to its token share and empties
 * credential-looking lines). Only edits of the last {@link RECENT_MS} count; files outside the
 * workspace, secret-looking ones and excluded ones (`isSecretPath`) are never used.
 */
import * as vscode from 'vscode';
import type { Snippet } from '../../completions/prompt';
import { isSecretFile } from '../../context/secretFile';

const REMEMBERED = 8;
const LINES_AROUND = 6;
/** Edits older than this (ms) are not "recent": their files are not shown to the model. */
export const RECENT_MS = 10 * 60 * 1000;

export class RecentEdits implements vscode.Disposable {
  /** URI → last edited line and when, most recent last. */
  private readonly edits = new Map<string, { line: number; at: number }>();
  private readonly subscription: vscode.Disposable;

  constructor() {
    this.subscription = vscode.workspace.onDidChangeTextDocument((e) => {
      const change = e.contentChanges[0];
      if (!change || (e.document.uri.scheme !== 'file' && e.document.uri.scheme !== 'untitled')) return;
      const key = e.document.uri.toString();
      this.edits.delete(key);
      this.edits.set(key, { line: change.range.start.line, at: Date.now() });
      if (this.edits.size > REMEMBERED) this.edits.delete(this.edits.keys().next().value as string);
    });
  }

  /** Lines around the last recent edit of other open documents, most recent first. */
  snippets(except: vscode.Uri, count: number, exclude: readonly string[] = [], now = Date.now()): Snippet[] {
    const open = new Map(vscode.workspace.textDocuments.map((d) => [d.uri.toString(), d]));
    const out: Snippet[] = [];
    for (const [key, { line, at }] of [...this.edits].reverse()) {
      if (out.length >= count || now - at > RECENT_MS) break;
      const doc = open.get(key);
      if (!doc || key === except.toString() || isSecretDocument(doc, exclude)) continue;
      // Only the workspace's files (and untitled ones): nothing from elsewhere on the disk.
      if (doc.uri.scheme === 'file' && !vscode.workspace.getWorkspaceFolder(doc.uri)) continue;
      const from = Math.max(0, line - LINES_AROUND);
      const to = Math.min(doc.lineCount - 1, line + LINES_AROUND);
      const text = doc.getText(new vscode.Range(from, 0, to, doc.lineAt(to).text.length));
      if (text.trim()) out.push({ path: documentPath(doc), text });
    }
    return out;
  }

  dispose(): void {
    this.subscription.dispose();
  }
}

/**
 * Whether a document is never sent: its workspace-relative path, its full path or — a file reached
 * through a symbolic link (`notes.txt -> ~/.aws/credentials`) — its real path names a
 * secret-looking or excluded file (the one secret policy, `isSecretPath`).
 */
export function isSecretDocument(doc: vscode.TextDocument, exclude: readonly string[]): boolean {
  const onDisk = doc.uri.scheme === 'file' ? doc.uri.fsPath : undefined;
  return isSecretFile([documentPath(doc), doc.uri.path], onDisk, exclude, (real) =>
    vscode.workspace.asRelativePath(vscode.Uri.file(real), false),
  );
}

/** Workspace-relative path, or the untitled document's name. */
export function documentPath(doc: vscode.TextDocument): string {
  return doc.uri.scheme === 'untitled' ? doc.uri.path : vscode.workspace.asRelativePath(doc.uri, false);
}
