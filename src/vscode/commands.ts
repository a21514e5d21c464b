/** The palette commands: keys, models, chat. */
import { showPastChats } from './pastChats';
import * as vscode from 'vscode';
import { OpenRouterClient } from '../openrouter/client';
import { FailureError, type Failure } from '../openrouter/failures';
import { maskKey } from '../openrouter/redact';
import { registerAccountCommands, removeAllKeys } from './accountCommands';
import { pickModel } from './modelPicker';
import { registerRouteCommands } from './routeCommands';
import type { Services } from './services';
import { writeModel } from './settings';

const CREDITS_URL = 'https://openrouter.ai/settings/credits';

export function registerCommands(services: Services): vscode.Disposable[] {
  const { log } = services;
  const register = (id: string, run: () => unknown): vscode.Disposable =>
    vscode.commands.registerCommand(id, async () => {
      try {
        await run();
      } catch (error) {
        const message = error instanceof FailureError ? error.failure.message : String(error);
        log.error(`${id} failed: ${message}`);
        void vscode.window.showErrorMessage(`Switchyard: ${message}`);
      }
    });

  return [
    register('switchyard.setApiKey', () => setApiKey(services)),
    register('switchyard.clearApiKey', () => removeAllKeys(services, 'clear')),
    register('switchyard.refreshModels', async () => {
      const client = await requireClient(services);
      const index = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Switchyard: refreshing models…') }, () => services.catalogue.refresh(client));
      void vscode.window.showInformationMessage(vscode.l10n.t('Switchyard: {0} models available.', index.size));
    }),
    register('switchyard.pickModel', async () => {
      const client = await requireClient(services, false);
      const settings = services.settings();
      let index = services.catalogue.current();
      if (!index || !index.isFresh(Date.now())) {
        if (!client) {
          index ??= settings.baseUrl.ok ? await services.catalogue.cached(settings.baseUrl.url) : undefined;
        } else {
          const stale = index;
          try {
            index = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Loading models…') }, () => services.catalogue.ensureFresh(client));
          } catch (error) {
            if (!stale) throw error;
            // Offline or refused: the older list is better than none.
            const message = error instanceof FailureError ? error.failure.message : String(error);
            log.warn(`model list refresh failed, showing the cached list: ${message}`);
            void vscode.window.showWarningMessage(vscode.l10n.t('Switchyard: showing the cached model list; refreshing failed: {0}', message));
          }
        }
      }
      if (!index || index.size === 0) {
        void vscode.window.showWarningMessage(vscode.l10n.t('Switchyard: the model list is not available yet. Set an API key or run "Refresh Models".'));
        return;
      }
      const refresh = client ? async () => (await services.catalogue.refresh(client)).models : undefined;
      const routes = services.routing.listedRoutes().map(({ route }) => ({ name: route.name, detail: `${route.strategy}: ${route.endpoints.map((e) => (e.provider ? `${e.model} via ${e.provider}` : e.model)).join(', ')}` }));
      const chosen = await pickModel(index.models, services.prefs, settings.model, refresh, routes);
      if (!chosen) return;
      await writeModel(chosen);
      await services.prefs.recordUse(chosen);
      log.info(`model set to ${chosen}`);
    }),
    register('switchyard.newChat', async () => {
      await services.session.newChat();
      await vscode.commands.executeCommand('switchyard.chat.focus');
    }),
    register('switchyard.pastChats', () => showPastChats(() => services.session, () => vscode.commands.executeCommand('switchyard.chat.focus'))),
    register('switchyard.focusChat', () => vscode.commands.executeCommand('switchyard.chat.focus')),
    register('switchyard.showLog', () => log.show()),
    register('switchyard.explainRoute', async () => {
      const { plan, request } = await services.session.planNext();
      await services.routing.explain(plan, request);
    }),
    register('switchyard.openCredits', () => vscode.env.openExternal(vscode.Uri.parse(CREDITS_URL))),
    ...registerRouteCommands(services, register),
    ...registerAccountCommands(services, register),
  ];
}

/** A client, or (when `required`) an error the user can act on. */
async function requireClient(services: Services): Promise<OpenRouterClient>;
async function requireClient(services: Services, required: false): Promise<OpenRouterClient | undefined>;
async function requireClient(services: Services, required = true): Promise<OpenRouterClient | undefined> {
  const client = await services.client();
  if (client instanceof OpenRouterClient) return client;
  if (!required) return undefined;
  await offerFix(client);
  throw new FailureError(client);
}

async function offerFix(failure: Failure): Promise<void> {
  if (!failure.action) return;
  const choice = await vscode.window.showErrorMessage(`Switchyard: ${failure.message}`, failure.action.label);
  if (choice) await vscode.commands.executeCommand(failure.action.command);
}

/** Asks for a key (password box), checks it against `GET /key`, stores it in SecretStorage. */
async function setApiKey(services: Services): Promise<void> {
  const key = await vscode.window.showInputBox({
    title: vscode.l10n.t('Switchyard: Set API Key'),
    prompt: vscode.l10n.t('Your OpenRouter API key (kept in VS Code secret storage, never in settings)'),
    placeHolder: 'sk-or-v1-…',
    password: true,
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() ? undefined : vscode.l10n.t('The key cannot be empty.')),
  });
  if (key === undefined) return;
  const trimmed = key.trim();
  if (!trimmed) return;
  const client = await services.client(trimmed);
  if (!(client instanceof OpenRouterClient)) {
    void vscode.window.showErrorMessage(`Switchyard: ${client.message}`);
    return;
  }
  try {
    const info = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Switchyard: checking the key…') }, () => client.getKeyInfo());
    await services.keys.set(trimmed);
    const limit = info.limit === null ? vscode.l10n.t('no limit') : `$${(info.limitRemaining ?? 0).toFixed(2)} of $${info.limit.toFixed(2)} left`;
    services.log.info(`API key stored (${maskKey(trimmed)}); ${limit}`);
    void vscode.window.showInformationMessage(vscode.l10n.t('Switchyard: API key saved ({0}; {1}).', maskKey(trimmed), limit));
  } catch (error) {
    const failure = error instanceof FailureError ? error.failure : undefined;
    if (failure?.kind === 'auth') {
      void vscode.window.showErrorMessage(vscode.l10n.t('Switchyard: OpenRouter rejected this key ({0}). It was not saved.', failure.message));
      return;
    }
    const storeAnyway = vscode.l10n.t('Save Anyway');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('Switchyard: the key could not be checked ({0}). Save it anyway?', failure?.message ?? String(error)),
      storeAnyway,
    );
    if (choice !== storeAnyway) return;
    await services.keys.set(trimmed);
    services.log.info(`API key stored unchecked (${maskKey(trimmed)})`);
  }
}
