/**
 * An agent's edit, written to disk by src/context/confinedWrite.ts (never by the editor, whose
 * save follows links), shown in the file's open document: a clean document is reloaded by VS Code
 * from disk as one undoable edit (Undo still reverts the agent's change); one with unsaved changes
 * (or one VS Code has not reloaded in time) gets the written text as a `WorkspaceEdit`, also one
 * undo step, and stays unsaved with the disk already holding that text.
 */
import * as vscode from 'vscode';

/** How long VS Code may take to notice the file changed on disk and reload the document. */
const RELOAD_MS = 3000;

/** Makes the open document of `uri` (if any) show `text`, the file's new content on disk. */
export async function showWritten(uri: vscode.Uri, text: string): Promise<void> {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (!doc || doc.getText() === text) return;
  if (!doc.isDirty && (await reloaded(doc, text))) return;
  const edit = new vscode.WorkspaceEdit();
  edit.replace(uri, new vscode.Range(0, 0, doc.lineCount, 0), text);
  await vscode.workspace.applyEdit(edit, { isRefactoring: false });
}

/** Whether the document comes to show `text` (VS Code reloading it from disk) within {@link RELOAD_MS}. */
function reloaded(doc: vscode.TextDocument, text: string): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      listener.dispose();
      resolve(ok);
    };
    const listener = vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document === doc && doc.getText() === text) done(true);
    });
    const timer = setTimeout(() => done(doc.getText() === text), RELOAD_MS);
  });
}
