/**
 * "Use Switchyard models in VS Code Chat": explains what it does and, on the user's click, opens
 * VS Code's Manage Language Models (the one-time step that lets VS Code's chat use an
 * extension's models). While `chat.disableAIFeatures` is on it does nothing and says why, with
 * "Open Setting" to show it: that setting is the user's, and Switchyard never changes it nor runs
 * VS Code's internal unlock command.
 */
import * as vscode from 'vscode';
import { ENABLED_SETTING, languageModelsEnabled } from './service';

/** VS Code's own command behind "Chat: Manage Language Models". */
const MANAGE_MODELS = 'workbench.action.chat.manage';

export async function useInVsCodeChat(log: { info(message: string): void }): Promise<void> {
  if (vscode.workspace.getConfiguration('chat').get<boolean>('disableAIFeatures') === true) {
    log.info('Use in VS Code Chat: chat.disableAIFeatures is on; nothing done');
    await offerSetting(
      vscode.l10n.t(
        'Switchyard: VS Code\u2019s chat is turned off in your settings (chat.disableAIFeatures is ticked). Switchyard leaves that setting to you: untick it, then run this command again to use Switchyard\u2019s models there.',
      ),
      'chat.disableAIFeatures',
    );
    return;
  }
  if (!languageModelsEnabled()) {
    await offerSetting(
      vscode.l10n.t(
        'Switchyard: offering models to VS Code\u2019s chat is turned off ({0}). Tick it, then run this command again.',
        ENABLED_SETTING,
      ),
      ENABLED_SETTING,
    );
    return;
  }
  const open = vscode.l10n.t('Open Manage Language Models');
  const choice = await vscode.window.showInformationMessage(
    vscode.l10n.t('Use Switchyard models in VS Code Chat'),
    {
      modal: true,
      detail: vscode.l10n.t(
        'VS Code\u2019s chat and agent can use Switchyard Auto, your picked model, your routes and favourites. Every request goes through Switchyard\u2019s router (fallbacks, provider preferences, budgets) and is paid from your OpenRouter key. VS Code asks once: in Manage Language Models, make sure the Switchyard models are shown, then pick one in the chat\u2019s model picker.',
      ),
    },
    open,
  );
  if (choice !== open) return;
  log.info('Use in VS Code Chat: opening Manage Language Models');
  await vscode.commands.executeCommand(MANAGE_MODELS);
}

/** Says why nothing was done; "Open Setting" shows that setting in VS Code's Settings editor, for the user to change. */
async function offerSetting(message: string, setting: string): Promise<void> {
  const openSetting = vscode.l10n.t('Open Setting');
  if ((await vscode.window.showInformationMessage(message, openSetting)) === openSetting) {
    await vscode.commands.executeCommand('workbench.action.openSettings', setting);
  }
}
