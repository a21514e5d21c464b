/**
 * The sidebar chat view. Validates every webview message with the protocol's zod schema (an
 * invalid one is logged and dropped), waits for the `ready` handshake before posting, and
 * re-sends the whole state on every `ready` (the view reloads when it is hidden and shown again).
 */
import * as vscode from 'vscode';
import type { ChatSession } from '../chat/chatSession';
import type { Assistant } from './assistant';
import { parseWebviewMessage, type HostToWebview, type WebviewToHost } from '../protocol/messages';
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

  constructor(private readonly deps: ChatViewDeps) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    view.webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.deps.extensionUri, 'dist'), vscode.Uri.joinPath(this.deps.extensionUri, 'media')],
    };
    view.webview.html = chatHtml(view.webview, this.deps.extensionUri);
    this.disposables.push(
      view.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
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

  private receive(raw: unknown): void {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.deps.log.error(`webview sent an invalid message (${parsed.error}); ignored`);
      return;
    }
    void this.handle(parsed.message).catch((error: unknown) => this.deps.log.error(`handling "${parsed.message.type}" failed: ${String(error)}`));
  }

  private async handle(message: WebviewToHost): Promise<void> {
    const session = this.deps.session();
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.post(session.initMessage(await this.deps.hasKey()));
        this.deps.afterReady?.();
        return;
      case 'send':
        await session.send(message.text, message.attachmentIds ? { attachmentIds: message.attachmentIds } : {});
        return;
      case 'stop':
        session.stop();
        return;
      case 'newChat':
        await session.newChat();
        return;
      case 'retry':
        await session.retry(message.messageId);
        return;
      case 'removeAttachment':
        session.removeAttachment(message.id);
        return;
      case 'copyCode':
        await vscode.env.clipboard.writeText(message.code);
        vscode.window.setStatusBarMessage(vscode.l10n.t('$(copy) Code copied'), 2000);
        return;
      case 'insertCode':
        await insertAtCursor(message.code);
        return;
      case 'runCommand':
        await vscode.commands.executeCommand(message.command);
        return;
      case 'mentionQuery':
        await this.deps.assistant?.()?.complete(message.id, message.query);
        return;
      case 'attachMention':
        await this.deps.assistant?.()?.attach(message.kind, message.path);
        return;
      case 'applyCode':
        await this.deps.assistant?.()?.apply(message.messageId, message.code);
        return;
      case 'newFile':
        await this.deps.assistant?.()?.newFile(message.code, message.language);
        return;
      case 'useCode':
        await this.deps.assistant?.()?.useCode(message.messageId, message.code);
        return;
    }
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}

/** Inserts code at the cursor of the last active text editor (replacing its selection). */
async function insertAtCursor(code: string): Promise<void> {
  const editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
  if (!editor) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Open a file to insert the code into.'));
    return;
  }
  const ok = await editor.edit((edit) => edit.replace(editor.selection, code));
  if (!ok) void vscode.window.showWarningMessage(vscode.l10n.t('The code could not be inserted (the editor is read-only?).'));
}
