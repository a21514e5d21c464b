import * as vscode from 'vscode';
import { notificationText } from '../../openrouter/untrustedText';
import type { Logger } from '../log';

/**
 * Says at once when `switchyard.model` names neither a model of the loaded catalogue nor a route
 * (a typo would otherwise make every send fail), with Pick Model; `known` decides.
 */
export function warnIfUnknownModel(model: string, known: (model: string) => boolean, log: Logger): void {
  if (known(model)) return;
  log.warn(`switchyard.model "${model}" is not in the model catalogue`);
  const pick = vscode.l10n.t('Pick Model');
  void vscode.window
    .showWarningMessage(
      notificationText(
        vscode.l10n.t(
          'Switchyard: "{0}" is not a model in the OpenRouter catalogue (nor a route), so messages to it will fail. Pick one from the list?',
          model,
        ),
      ),
      pick,
    )
    .then((choice) => {
      if (choice === pick) void vscode.commands.executeCommand('switchyard.pickModel');
    });
}
