/** The palette commands: keys, models, chat. */
import { showPastChats } from '../chatView/pastChats';
import { exportOnScreen, historyDeps, newAgentTask } from '../agent/taskHistory';
import * as vscode from 'vscode';
import { notificationText } from '../../openrouter/untrustedText';
import type { CatalogueIndex } from '../../openrouter/catalogue';
import { OpenRouterClient } from '../../openrouter/client';
import { FailureError, type Failure } from '../../openrouter/failures';
import { maskKey } from '../../openrouter/secrets';
import { formatUsd } from '../../protocol/units';
import { registerAccountCommands, removeAllKeys } from '../account/accountCommands';
import { offerEnvironmentKey } from '../account/environmentKey';
import { DEFAULT_LABEL } from '../account/keyStore';
import { pickModel, type PickerFilter } from '../models/modelPicker';
import { registerImageCommands, VISION_FILTER } from '../chatView/imageCommands';
import { showMcpServers } from '../mcp/serversPick';
import { showInstructionFiles } from '../agent/instructionFilesPick';
import { registerRouteCommands } from './routeCommands';
import { registerSettingsForms } from './settingsForms';
import { changeTaskBudget } from '../agent/taskBudgetCommand';
import { explainRouteCommand } from '../languageModels/explain';
import { useInVsCodeChat } from '../languageModels/command';
import type { Logger } from '../log';
import type { AccountCommandDeps } from '../account/accountCommands';
import type { ImageCommandDeps } from '../chatView/imageCommands';
import type { ChatViewProvider } from '../chatView/chatViewProvider';
import type { ChatSession } from '../../chat/chatSession';
import type { AgentEcosystem } from '../agent/agentExtras';
import type { AgentMode } from '../agent/agentMode';
import type { AgentInstructions } from '../agent/agentInstructions';
import type { LanguageModelsService } from '../languageModels/service';
import type { ModelPrefs } from '../models/modelPrefs';
import type { RouteCommandDeps } from './routeCommands';
import type { SettingsFormDeps } from './settingsForms';
import { writeModel } from '../settings/settings';

const CREDITS_URL = 'https://openrouter.ai/settings/credits';
/** publisher.name of package.json: the Settings editor's `@ext:` filter shows only our settings. */
const EXTENSION_ID = 'switchyard.switchyard';

/** What the palette commands use: each command module declares its own part (the composition root hands this). */
export interface CommandDeps extends AccountCommandDeps, RouteCommandDeps, SettingsFormDeps, ImageCommandDeps {
  readonly chatView: ChatViewProvider;
  readonly session: ChatSession;
  readonly agent: AgentMode;
  readonly ecosystem: AgentEcosystem;
  /** The agent if it was built, and the instruction files (host bundle): neither loads the agent's chunk. */
  readonly agentFeature: { readonly loaded: AgentMode | undefined; readonly instructions: AgentInstructions };
  readonly prefs: ModelPrefs;
  readonly languageModels: LanguageModelsService;
  client(keyOverride?: string): Promise<OpenRouterClient | Failure>;
  refreshModelViews(): void;
}

export function registerCommands(services: CommandDeps): vscode.Disposable[] {
  const { log } = services;
  const register = guardedRegister(log);
  return [
    register('switchyard.setApiKey', () => setApiKey(services)),
    register('switchyard.clearApiKey', () => removeAllKeys(services, 'clear')),
    register('switchyard.useEnvironmentKey', () => offerEnvironmentKey(services.keys, true)),
    register('switchyard.refreshModels', () => refreshModels(services)),
    register('switchyard.pickModel', () => pickAndSetModel(services)),
    register('switchyard.pickVisionModel', () => pickAndSetModel(services, VISION_FILTER)),
    ...registerChatCommands(services, register),
    register('switchyard.showLog', () => log.show()),
    register('switchyard.explainRoute', () =>
      explainRouteCommand(services.languageModels.last, services.routing, () =>
        services.viewMode.mode() === 'agent' ? services.agent.session.planNext() : services.session.planNext(),
      ),
    ),
    register('switchyard.agent.setTaskBudget', () => changeTaskBudget(services.agent.session)),
    register('switchyard.useInVsCodeChat', () => useInVsCodeChat(log)),
    register('switchyard.openCredits', () => vscode.env.openExternal(vscode.Uri.parse(CREDITS_URL))),
    register('switchyard.openSettings', () =>
      vscode.commands.executeCommand('workbench.action.openSettings', `@ext:${EXTENSION_ID}`),
    ),
    ...registerRouteCommands(services, register),
    register('switchyard.mcpServers', () => showMcpServers(services.ecosystem)),
    register('switchyard.instructionFiles', () => showInstructionFiles(services.agentFeature.instructions)),
    ...registerSettingsForms(services, register),
    ...registerImageCommands(services, register),
    ...registerAccountCommands(services, register),
  ];
}

/** Registers a command whose failure is logged and shown as an error message (never thrown at VS Code). */
function guardedRegister(log: Logger): (id: string, run: () => unknown) => vscode.Disposable {
  return (id, run) =>
    vscode.commands.registerCommand(id, async () => {
      try {
        await run();
      } catch (error) {
        const message = error instanceof FailureError ? error.failure.message : String(error);
        log.error(`${id} failed: ${message}`);
        void vscode.window.showErrorMessage(notificationText(`Switchyard: ${message}`));
      }
    });
}

/** New Chat, New Agent Task, Past Chats and focusing the chat view. */
function registerChatCommands(
  services: CommandDeps,
  register: (id: string, run: () => unknown) => vscode.Disposable,
): vscode.Disposable[] {
  return [
    register('switchyard.newChat', async () => {
      // In Agent mode the task on screen is kept in Past Chats (./taskHistory.ts).
      await services.chatView.switchConversation(() =>
        services.viewMode.mode() === 'ask' ? services.session.newChat() : newAgentTask(services.agent),
      );
      await vscode.commands.executeCommand('switchyard.chat.focus');
    }),
    register('switchyard.newAgentTask', async () => {
      await services.chatView.switchConversation(async () => {
        await newAgentTask(services.agent);
        await services.agent.setMode('agent');
        await services.chatView.postInit();
      });
      await vscode.commands.executeCommand('switchyard.chat.focus');
    }),
    register('switchyard.pastChats', () =>
      showPastChats(historyDeps(services), () => vscode.commands.executeCommand('switchyard.chat.focus')),
    ),
    register('switchyard.exportChat', () => exportOnScreen(historyDeps(services))),
    register('switchyard.focusChat', () => vscode.commands.executeCommand('switchyard.chat.focus')),
  ];
}

/** Fetches the model catalogue now and says how many models there are. */
async function refreshModels(services: CommandDeps): Promise<void> {
  const client = await requireClient(services);
  const index = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Switchyard: refreshing models…') },
    () => services.catalogue.refresh(client),
  );
  void vscode.window.showInformationMessage(
    notificationText(vscode.l10n.t('Switchyard: {0} models available.', index.size)),
  );
}

/** A client, or (when `required`) an error the user can act on. */
async function requireClient(services: CommandDeps): Promise<OpenRouterClient>;
async function requireClient(services: CommandDeps, required: false): Promise<OpenRouterClient | undefined>;
async function requireClient(services: CommandDeps, required = true): Promise<OpenRouterClient | undefined> {
  const client = await services.client();
  if (client instanceof OpenRouterClient) return client;
  if (!required) return undefined;
  await offerFix(client);
  throw new FailureError(client);
}

async function offerFix(failure: Failure): Promise<void> {
  if (!failure.action) return;
  const choice = await vscode.window.showErrorMessage(
    notificationText(`Switchyard: ${failure.message}`),
    failure.action.label,
  );
  if (choice) await vscode.commands.executeCommand(failure.action.command);
}

/** What an OpenRouter key looks like, for the input box's hint (other gateways' keys are allowed). */
const KEY_SHAPE = /^sk-or-(v\d+-)?[A-Za-z0-9_-]{16,}$/;

/**
 * Asks for a key (password box), checks it against `GET /key` while the box stays open (a
 * rejected key stays in the box with the reason as its validation message), asks "replace or
 * add" when the pool already has an "API key", and stores it in SecretStorage.
 */
async function setApiKey(services: CommandDeps): Promise<void> {
  const result = await askForKey(services);
  if (!result) return;
  await storeKey(services, result);
}

/** A key the user entered: whether `GET /key` accepted it, and its limit when it did. */
type EnteredKey = { key: string; checked: boolean; limit?: string };

/** Shows the password box and resolves with the key once checked (or saved anyway), or undefined when cancelled. */
async function askForKey(services: CommandDeps): Promise<EnteredKey | undefined> {
  const box = vscode.window.createInputBox();
  box.title = vscode.l10n.t('Switchyard: Set API Key');
  box.prompt = vscode.l10n.t(
    'Your OpenRouter API key, from openrouter.ai/settings/keys (kept in VS Code secret storage, never in settings)',
  );
  box.placeholder = 'sk-or-v1-…';
  box.password = true;
  box.ignoreFocusOut = true;
  const hint = (value: string): void => {
    const v = value.trim();
    box.validationMessage =
      !v || KEY_SHAPE.test(v)
        ? undefined
        : {
            message: vscode.l10n.t('OpenRouter keys look like sk-or-v1- followed by 64 letters and digits.'),
            severity: vscode.InputBoxValidationSeverity.Warning,
          };
  };
  box.onDidChangeValue(hint);
  const accepted = new Promise<EnteredKey | undefined>((resolve) => {
    box.onDidHide(() => resolve(undefined));
    box.onDidAccept(() => acceptKey(services, box, resolve));
  });
  box.show();
  const result = await accepted;
  box.dispose();
  return result;
}

/** On Enter: checks the key against `GET /key`; a rejected key stays in the box, an unchecked one may be saved anyway. */
async function acceptKey(
  services: CommandDeps,
  box: vscode.InputBox,
  resolve: (entered: EnteredKey | undefined) => void,
): Promise<void> {
  const key = box.value.trim();
  if (!key) {
    box.validationMessage = vscode.l10n.t('The key cannot be empty.');
    return;
  }
  const client = await services.client(key);
  if (!(client instanceof OpenRouterClient)) {
    box.validationMessage = client.message;
    return;
  }
  box.busy = true;
  box.enabled = false;
  try {
    const info = await client.getKeyInfo();
    const limit =
      info.limit === null
        ? vscode.l10n.t('no limit')
        : `${formatUsd(info.limitRemaining ?? 0)} of ${formatUsd(info.limit)} left`;
    services.log.info(`API key checked (${maskKey(key)}); ${limit}`);
    resolve({ key, checked: true, limit });
    box.hide();
  } catch (error) {
    const failure = error instanceof FailureError ? error.failure : undefined;
    box.busy = false;
    box.enabled = true;
    if (failure?.kind === 'auth') {
      // Stay open: the user can fix a typo or paste another key.
      box.validationMessage = {
        message: vscode.l10n.t(
          'OpenRouter rejected this key ({0}). Check it (sk-or-v1-…) or paste another; Esc cancels.',
          failure.message,
        ),
        severity: vscode.InputBoxValidationSeverity.Error,
      };
      return;
    }
    const storeAnyway = vscode.l10n.t('Save Anyway');
    box.hide();
    const choice = await vscode.window.showWarningMessage(
      notificationText(
        vscode.l10n.t(
          'Switchyard: the key could not be checked ({0}). Save it anyway?',
          failure?.message ?? String(error),
        ),
      ),
      storeAnyway,
    );
    resolve(choice === storeAnyway ? { key, checked: false } : undefined);
  }
}

/** Stores an entered key, asking "replace or add" when the pool already has an "API key", and says so. */
async function storeKey(services: CommandDeps, result: EnteredKey): Promise<void> {
  const { key, checked, limit } = result;
  // A pool that already has an "API key": replacing it silently would lose a working key.
  const existing = (await services.keys.list()).find((k) => k.label === DEFAULT_LABEL && k.source === 'secretStorage');
  let mode: 'replace' | 'add' = 'replace';
  if (existing && existing.masked !== maskKey(key)) {
    const replace = {
      label: vscode.l10n.t('Replace "{0}" ({1})', existing.label, existing.masked),
      mode: 'replace' as const,
    };
    const add = {
      label: vscode.l10n.t('Add as another key'),
      description: vscode.l10n.t('the pool fails over between its keys'),
      mode: 'add' as const,
    };
    const picked = await vscode.window.showQuickPick([replace, add], {
      title: vscode.l10n.t('Switchyard: the pool already has an API key'),
      placeHolder: vscode.l10n.t('Replace it with the new key, or keep both?'),
      ignoreFocusOut: true,
    });
    if (!picked) {
      void vscode.window.showInformationMessage(
        notificationText(vscode.l10n.t('Switchyard: the new key was not saved; your keys are unchanged.')),
      );
      return;
    }
    mode = picked.mode;
  }
  const stored =
    mode === 'add'
      ? (await services.keys.add(key, DEFAULT_LABEL)).label
      : (await services.keys.set(key), DEFAULT_LABEL);
  services.log.info(
    `API key ${mode === 'add' ? 'added' : 'stored'}${checked ? '' : ' unchecked'} (${maskKey(key)}) as "${stored}"`,
  );
  void vscode.window.showInformationMessage(
    notificationText(
      vscode.l10n.t('Switchyard: API key saved ({0}, "{1}"{2}).', maskKey(key), stored, limit ? `; ${limit}` : ''),
    ),
  );
}

/** The catalogue for the picker: fresh when a key allows, else the cached one (a stale list beats none). */
async function catalogueForPicker(
  services: CommandDeps,
  client: OpenRouterClient | undefined,
): Promise<CatalogueIndex | undefined> {
  const settings = services.settings();
  let index = services.catalogue.current();
  if (index && index.isFresh(Date.now())) return index;
  if (!client)
    return index ?? (settings.baseUrl.ok ? await services.catalogue.cached(settings.baseUrl.url) : undefined);
  const stale = index;
  try {
    index = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Loading models…') },
      () => services.catalogue.ensureFresh(client),
    );
  } catch (error) {
    if (!stale) throw error;
    // Offline or refused: the older list is better than none.
    const message = error instanceof FailureError ? error.failure.message : String(error);
    services.log.warn(`model list refresh failed, showing the cached list: ${message}`);
    void vscode.window.showWarningMessage(
      notificationText(vscode.l10n.t('Switchyard: showing the cached model list; refreshing failed: {0}', message)),
    );
  }
  return index;
}

/** Pick Model: the catalogue and the routes in a quick pick (or, with `filter`, some models only); the choice goes to `switchyard.model`. */
export async function pickAndSetModel(services: CommandDeps, filter?: PickerFilter): Promise<void> {
  const client = await requireClient(services, false);
  const index = await catalogueForPicker(services, client);
  if (!index || index.size === 0) {
    void vscode.window.showWarningMessage(
      notificationText(
        vscode.l10n.t('Switchyard: the model list is not available yet. Set an API key or run "Refresh Models".'),
      ),
    );
    return;
  }
  const refresh = client ? async () => (await services.catalogue.refresh(client)).models : undefined;
  const routes = services.routing.listedRoutes().map(({ route }) => ({
    name: route.name,
    detail: `${route.strategy}: ${route.endpoints.map((e) => (e.provider ? `${e.model} via ${e.provider}` : e.model)).join(', ')}`,
  }));
  const chosen = await pickModel(index.models, services.prefs, services.settings().model, refresh, routes, filter);
  // An effort picked in the list shows in the chat header at once.
  services.refreshModelViews();
  if (!chosen) return;
  await writeModel(chosen);
  await services.prefs.recordUse(chosen);
  services.log.info(`model set to ${chosen}`);
  // Picked from a "cannot see images" answer: its message goes again at once.
  if (filter === VISION_FILTER) await services.session.retryAfterVisionPick();
}
