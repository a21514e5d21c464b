/**
 * Read-only virtual documents holding a proposed change (`switchyard-proposed:` scheme), shown
 * on the right of a `vscode.diff` against the real file. The path keeps the file's name, so the
 * diff gets the right language mode.
 */
import * as vscode from 'vscode';

export const PROPOSAL_SCHEME = 'switchyard-proposed';

export class ProposalDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private next = 0;

  /** Stores `content` under a fresh URI named after `file`. */
  add(file: vscode.Uri, content: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: file.path, query: `proposal=${++this.next}` });
    this.contents.set(uri.toString(), content);
    return uri;
  }

  forget(uri: vscode.Uri): void {
    this.contents.delete(uri.toString());
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  dispose(): void {
    this.changed.dispose();
    this.contents.clear();
  }
}
