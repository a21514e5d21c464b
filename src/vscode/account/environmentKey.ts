/**
 * The question before the environment's `OPENROUTER_API_KEY` pays: asked once per window when the
 * chat finds no other key (a notification), and on demand ("Switchyard: Use OPENROUTER_API_KEY",
 * a modal). Only a yes records the key's fingerprint (src/vscode/account/keyStore.ts).
 */
import * as vscode from 'vscode';
import { notificationText } from '../../openrouter/untrustedText';
import type { EnvironmentKeyPolicy } from '../../account/keySource';
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

/**
 * Never a silent hand-over: what the environment's OPENROUTER_API_KEY does once the stored keys
 * are gone — it pays from now on (`switchyard.environmentKey` is "use"), or it waits for the
 * user's yes, or there is none.
 */
export async function environmentKeyAfterClear(keys: KeyStore): Promise<string> {
  const paying = (await keys.list()).find((k) => k.source === 'environment');
  if (paying) return ` ${environmentKeyStillPays(paying.masked)}`;
  return process.env.OPENROUTER_API_KEY?.trim()
    ? ` ${vscode.l10n.t('OPENROUTER_API_KEY from the environment is not used either until you accept it (Switchyard: Use OPENROUTER_API_KEY).')}`
    : '';
}

function environmentKeyStillPays(masked: string): string {
  return vscode.l10n.t(
    'OPENROUTER_API_KEY from the environment ({0}) pays from now on, because switchyard.environmentKey is "use".',
    masked,
  );
}

/**
 * "Clear API Key" while the environment's key pays: stop using it (the acceptance is withdrawn).
 * With `switchyard.environmentKey: "use"` nothing but that setting stops it, so the user is sent there.
 */
export async function stopEnvironmentKey(
  keys: KeyStore,
  policy: EnvironmentKeyPolicy,
  log: { info(message: string): void },
  masked: string,
): Promise<void> {
  if (policy === 'use') {
    const open = vscode.l10n.t('Open Setting');
    const text = `Switchyard: ${environmentKeyStillPays(masked)} ${vscode.l10n.t('Set it to "ask" or "ignore" to stop it.')}`;
    if ((await vscode.window.showWarningMessage(notificationText(text), open)) === open)
      await vscode.commands.executeCommand('workbench.action.openSettings', 'switchyard.environmentKey');
    return;
  }
  const yes = vscode.l10n.t('Stop Using It');
  const question = vscode.l10n.t(
    'Stop using OPENROUTER_API_KEY from the environment ({0})? It is not used again until you accept it.',
    masked,
  );
  if ((await vscode.window.showWarningMessage(notificationText(question), { modal: true }, yes)) !== yes) return;
  await keys.clear();
  log.info('the environment key is no longer used (Clear API Key)');
  void vscode.window.showInformationMessage(notificationText(vscode.l10n.t('Switchyard: no API key is in use now.')));
}
