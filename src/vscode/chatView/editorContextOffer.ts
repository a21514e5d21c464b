/**
 * The automatic editor-context chip: follows the active editor, its selection and the settings
 * that shape it, debounced; the real path is checked on disk, and a later change of editor wins
 * over a slower earlier check. A document Switchyard itself opened for reading (an export) is not
 * offered (./ownDocuments.ts).
 */
import * as vscode from 'vscode';
import type { Attachment } from '../../context/attachment';
import { captureEditorContext } from './editorContext';
import { isOwnDocument } from './ownDocuments';
import type { Logger } from '../log';

export interface EditorContextDeps {
  /** `switchyard.attachEditorContext` and `switchyard.context.exclude`. */
  settings(): { attachEditorContext: boolean; contextExclude: readonly string[] };
  /** Offers the chip to the chat (undefined: no chip). */
  offer(attachment: Attachment | undefined): void;
  log: Logger;
}

export class EditorContextOffer implements vscode.Disposable {
  private debounce: ReturnType<typeof setTimeout> | undefined;
  private offered = 0;
  private readonly disposables: vscode.Disposable[];

  constructor(private readonly deps: EditorContextDeps) {
    this.disposables = [
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        // Focus moving to the chat view clears the active editor: keep the last context then.
        if (editor) this.schedule();
      }),
      // Every editor closed: the automatic chip goes (a closed file is not sent).
      vscode.window.onDidChangeVisibleTextEditors((editors) => {
        if (editors.length === 0) this.schedule();
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => {
        if (e.textEditor === vscode.window.activeTextEditor) this.schedule();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (
          e.affectsConfiguration('switchyard.attachEditorContext') ||
          e.affectsConfiguration('switchyard.context.exclude')
        )
          this.schedule();
      }),
    ];
  }

  /** Offers the active editor's context (or none) after a short pause. */
  schedule(): void {
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = setTimeout(() => this.offerNow(), 150);
  }

  private offerNow(): void {
    const { attachEditorContext, contextExclude } = this.deps.settings();
    const turn = ++this.offered;
    const editor = vscode.window.activeTextEditor;
    void (
      attachEditorContext && editor && !isOwnDocument(editor.document)
        ? captureEditorContext(editor, { exclude: contextExclude })
        : Promise.resolve(undefined)
    ).then(
      (attachment) => {
        if (turn === this.offered) this.deps.offer(attachment);
      },
      (error: unknown) =>
        this.deps.log.warn(`editor context failed: ${error instanceof Error ? error.message : String(error)}`),
    );
  }

  dispose(): void {
    if (this.debounce) clearTimeout(this.debounce);
    this.disposables.forEach((d) => d.dispose());
  }
}
