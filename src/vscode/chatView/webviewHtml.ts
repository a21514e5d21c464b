/** The chat webview's HTML: strict CSP with a crypto nonce, local resources only. */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { chatPageHtml } from '../../protocol/csp';

export function createNonce(): string {
  return randomBytes(18).toString('base64url');
}

/** The chat view's page for this webview (see {@link chatPageHtml}), with a fresh nonce. */
export function chatHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  return chatPageHtml({
    cspSource: webview.cspSource,
    nonce: createNonce(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'chat.css')).toString(),
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js')).toString(),
  });
}
