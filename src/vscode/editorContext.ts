/** Turns the active editor's selection (or, with nothing selected, the whole file) into an attachment. */
import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import type { Attachment } from '../context/attachment';

/** Files larger than this are not attached whole (binary or generated, most likely). */
export const MAX_ATTACH_CHARS = 1_000_000;
const ATTACHABLE_SCHEMES = new Set(['file', 'untitled', 'vscode-remote', 'vscode-vfs']);

export function captureEditorContext(editor: vscode.TextEditor | undefined): Attachment | undefined {
  if (!editor || !ATTACHABLE_SCHEMES.has(editor.document.uri.scheme)) return undefined;
  const doc = editor.document;
  const path = doc.isUntitled ? doc.fileName : vscode.workspace.asRelativePath(doc.uri, false);
  const selection = editor.selection;
  if (!selection.isEmpty) {
    const content = doc.getText(selection);
    if (!content.trim()) return undefined;
    const endLine = selection.end.character === 0 && selection.end.line > selection.start.line ? selection.end.line : selection.end.line + 1;
    return { id: shortId('sel', `${doc.uri.toString()}#${selection.start.line}-${endLine}`), kind: 'selection', path, language: doc.languageId, startLine: selection.start.line + 1, endLine, content };
  }
  const content = doc.getText();
  if (!content.trim() || content.length > MAX_ATTACH_CHARS) return undefined;
  return { id: shortId('file', doc.uri.toString()), kind: 'file', path, language: doc.languageId, content };
}

/** A short, stable id (the protocol bounds ids; URIs can be any length). */
function shortId(prefix: string, source: string): string {
  return `${prefix}-${createHash('sha256').update(source).digest('base64url').slice(0, 16)}`;
}
