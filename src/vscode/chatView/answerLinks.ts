/**
 * Opening a link of an answer (model output, so untrusted): only http(s) and mailto, never one
 * with user info (`https://bank.com@evil.example`); when the link's text does not say where it
 * goes (src/protocol/links.ts), a modal shows the full destination and asks first. Then VS Code's
 * own opener (which may ask again about domains the user has not trusted).
 */
import * as vscode from 'vscode';
import { notificationText, quoted } from '../../openrouter/untrustedText';
import { linkDestination, linkTextMatches } from '../../protocol/links';
import type { Logger } from '../log';

export async function openAnswerLink(url: string, text: string, log: Logger): Promise<void> {
  const destination = linkDestination(url);
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || !destination || parsed.username || parsed.password) {
    log.warn('a link of an answer that is not a plain http(s) or mailto URL was not opened');
    void vscode.window.showWarningMessage(
      notificationText(
        vscode.l10n.t(
          'Switchyard: this link was not opened: {0} is not a plain web or mail address.',
          quoted(url, 200),
        ),
      ),
    );
    return;
  }
  if (!linkTextMatches(text, url)) {
    const open = vscode.l10n.t('Open Link');
    const question = vscode.l10n.t(
      'Switchyard: the link {0} leads to {1} ({2}), not where its text says. Open it?',
      quoted(text || url, 80),
      quoted(parsed.href, 300),
      destination,
    );
    if ((await vscode.window.showWarningMessage(notificationText(question), { modal: true }, open)) !== open) return;
  }
  await vscode.env.openExternal(vscode.Uri.parse(parsed.href, true));
}
