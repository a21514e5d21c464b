/** What the chat session (and agent mode, and VS Code's chat) get from VS Code: keys, clients, settings, the catalogue, the router, the view. */
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { ChatEnvironment } from '../../chat/chatSession';
import type { ModelInfo } from '../../openrouter/catalogue';
import { notificationText } from '../../openrouter/untrustedText';
import type { KeyRing } from '../../turn/keyRing';
import type { Logger } from '../log';
import type { ModelPrefs } from '../models/modelPrefs';
import type { SwitchyardSettings } from '../settings/settings';

export interface ChatEnvironmentDeps {
  readonly keys: KeyRing;
  readonly client: ChatEnvironment['client'];
  settings(): SwitchyardSettings;
  modelInfo(id: string): ModelInfo | undefined;
  readonly prefs: ModelPrefs;
  readonly router: ChatEnvironment['router'];
  readonly post: ChatEnvironment['post'];
  readonly log: Logger;
}

export function chatEnvironment(deps: ChatEnvironmentDeps): ChatEnvironment {
  return {
    keys: deps.keys,
    client: deps.client,
    settings: () => {
      const s = deps.settings();
      return {
        model: s.model,
        fallbackModels: s.fallbackModels,
        maxOutputTokens: s.maxOutputTokens,
        webSearchDefault: s.webSearchDefault,
      };
    },
    modelInfo: (id) => deps.modelInfo(id),
    reasoningChoice: (model) => deps.prefs.reasoningChoice(model),
    rememberReasoningChoice: (model, choice) => deps.prefs.setReasoningChoice(model, choice),
    router: deps.router,
    confirm: confirmSend,
    post: deps.post,
    log: deps.log,
    newId: () => randomUUID(),
    now: () => Date.now(),
  };
}

/** A modal question before a send (a costly request): true only on an explicit Send. */
async function confirmSend(question: string): Promise<boolean> {
  const go = vscode.l10n.t('Send');
  return (
    (await vscode.window.showWarningMessage(notificationText(`Switchyard: ${question}`), { modal: true }, go)) === go
  );
}
