/**
 * The question before the environment's `OPENROUTER_API_KEY` pays: asked once per window when the
 * chat finds no other key (a notification), and on demand ("Switchyard: Use OPENROUTER_API_KEY",
 * a modal). Only a yes records the key's fingerprint (src/vscode/keyStore.ts).
 */
import * as vscode from 'vscode';
import { notificationText } from '../openrouter/untrustedText';
import type { KeyStore } from './keyStore';

let offeredThisWindow = false;

/**
 * Asks whether the environment's key may pay, when it waits for a yes; true when the user said
 * yes. `onDemand`: the command (modal, and says so when there is nothing to accept).
 */
export async function offerEnvironmentKey(keys: KeyStore, onDemand = false): Promise<boolean> {
  const masked = await keys.environmentKeyWaiting();
  if (!masked) {
    if (onDemand)
      void vscode.window.showInformationMessage(
        notificationText(
          vscode.l10n.t(
            'Switchyard: there is no OPENROUTER_API_KEY waiting to be accepted (it is not set, already in use, a key is stored, or switchyard.environmentKey is "ignore").',
          ),
        ),
      );
    return false;
  }
  if (offeredThisWindow && !onDemand) return false;
  offeredThisWindow = true;
  const use = vscode.l10n.t('Use It');
  const question = vscode.l10n.t(
    "Switchyard: OPENROUTER_API_KEY is set in VS Code's environment ({0}). Use it to pay for Switchyard's requests? Nothing is sent with it until you say yes.",
    masked,
  );
  const choice = onDemand
    ? await vscode.window.showWarningMessage(notificationText(question), { modal: true }, use)
    : await vscode.window.showInformationMessage(notificationText(question), use);
  if (choice !== use) return false;
  await keys.acceptEnvironmentKey();
  return true;
}
