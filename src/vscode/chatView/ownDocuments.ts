/**
 * Documents Switchyard opened for the user to read, such as a chat exported as Markdown: they
 * become the active editor, but the user did not pick them as context, and an export is the
 * conversation itself (sent back, it would double the prompt). The automatic editor-context chip
 * skips them; attaching one on purpose (`@file`, a selection command) still works. Held weakly: a
 * closed document is forgotten, and one the user saves under a name is a new document, theirs.
 */
import type * as vscode from 'vscode';

const own = new WeakSet<vscode.TextDocument>();

/** Marks a document Switchyard wrote and showed: not offered as automatic context. */
export function markOwnDocument(document: vscode.TextDocument): void {
  own.add(document);
}

/** Whether Switchyard wrote and showed this document (see {@link markOwnDocument}). */
export function isOwnDocument(document: vscode.TextDocument): boolean {
  return own.has(document);
}
