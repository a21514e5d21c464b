/**
 * The sidebar chat view. Hands every webview message to the chat's dispatcher
 * (src/chat/webviewDispatch.ts: validated with the protocol's zod schema, an invalid one logged
 * and dropped), does the editor's side of it (clipboard, commands, mentions, Apply), waits for the `ready` handshake before posting, and
 * re-sends the whole state on every `ready` (the view reloads when it is hidden and shown again).
 */
import { notificationText } from '../openrouter/untrustedText';
import * as vscode from 'vscode';
import type { ChatSession } from '../chat/chatSession';
import type { Assistant } from './assistant';
import type { HostToWebview } from '../protocol/messages';
import { chatViewHandlers, receiveWebviewMessage, type WebviewHandlers } from '../chat/webviewDispatch';
import type { Logger } from './log';
import { chatHtml } from './webviewHtml';

export const CHAT_VIEW_ID = 'switchyard.chat';

export interface ChatViewDeps {
  readonly extensionUri: vscode.Uri;
  readonly session: () => ChatSession;
  readonly hasKey: () => Promise<boolean>;
  readonly log: Logger;
  /** Mentions, Apply and New file (built after the view). */
  readonly assistant?: () => Assistant | undefined;
  /** Called after each `init` (e.g. to send the account's credits). */
  readonly afterReady?: () => void;
}

export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private ready = false;
  private readonly disposables: vscode.Disposable[] = [];
  /** What each webview message does (src/chat/webviewDispatch.ts); the editor's side is here. */
  private readonly handlers: WebviewHandlers;

  constructor(private readonly deps: ChatViewDeps) {
    this.handlers = chatViewHandlers(deps.session, {
      ready: async () => {
        this.ready = true;
        this.post(deps.session().initMessage(await deps.hasKey()));
        deps.afterReady?.();
      },
      copyCode: async (code) => {
        await vscode.env.clipboard.writeText(code);
        vscode.window.setStatusBarMessage(vscode.l10n.t('$(copy) Code copied'), 2000);
      },
      insertCode: (code) => insertAtCursor(code),
      runCommand: async (command) => {
        await vscode.commands.executeCommand(command);
      },
      mentionQuery: async (id, query) => deps.assistant?.()?.complete(id, query),
      attachMention: async (kind, path) => deps.assistant?.()?.attach(kind, path),
      applyCode: async (messageId, code) => deps.assistant?.()?.apply(messageId, code),
      newFile: async (code, language) => deps.assistant?.()?.newFile(code, language),
      useCode: async (messageId, code) => deps.assistant?.()?.useCode(messageId, code),
    });
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    view.webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.deps.extensionUri, 'dist'), vscode.Uri.joinPath(this.deps.extensionUri, 'media')],
    };
    view.webview.html = chatHtml(view.webview, this.deps.extensionUri);
    this.disposables.push(
      view.webview.onDidReceiveMessage((raw: unknown) => void receiveWebviewMessage(raw, this.handlers, this.deps.log)),
      view.onDidDispose(() => {
        this.view = undefined;
        this.ready = false;
      }),
    );
  }

  /** Posts to the webview once it is ready; earlier messages are covered by the next `init`. */
  post(message: HostToWebview): void {
    if (!this.view || !this.ready) return;
    void this.view.webview.postMessage(message);
  }

  get visible(): boolean {
    return this.view?.visible ?? false;
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}

/** Inserts code at the cursor of the last active text editor (replacing its selection). */
async function insertAtCursor(code: string): Promise<void> {
  const editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
  if (!editor) {
    void vscode.window.showWarningMessage(notificationText(vscode.l10n.t('Open a file to insert the code into.')));
    return;
  }
  const ok = await editor.edit((edit) => edit.replace(editor.selection, code));
  if (!ok) void vscode.window.showWarningMessage(notificationText(vscode.l10n.t('The code could not be inserted (the editor is read-only?).')));
}
