/**
 * The account's palette commands: Sign in with OpenRouter (and cancel it), Sign Out, Manage API
 * Keys (a list of masked keys with their health: add, remove, strategy), Test Connection and
 * Refresh Credits.
 */
import { notificationText, pickText } from '../../openrouter/untrustedText';
import * as vscode from 'vscode';
import { formatUsd } from '../../protocol/units';
import { KEY_STRATEGIES, describeHealth, type KeyStrategy } from '../../account/keyPool';
import { OpenRouterClient } from '../../openrouter/client';
import { FailureError, type Failure } from '../../openrouter/failures';
import type { ConnectionResult } from './accountService';
import { environmentKeyAfterClear, stopEnvironmentKey } from './environmentKey';
import type { AccountService } from './accountService';
import type { KeyStore } from './keyStore';
import type { SignIn } from './signIn';
import type { Logger } from '../log';
import type { SwitchyardSettings } from '../settings/settings';

type Register = (id: string, run: () => unknown) => vscode.Disposable;

export const POOL_NOTE = 'Extra OpenRouter keys split your credit limits between them; they do not raise rate limits.';

/** What the account commands use (no more: the composition root hands them this). */
export interface AccountCommandDeps {
  readonly keys: KeyStore;
  readonly account: AccountService;
  readonly signIn: SignIn;
  readonly log: Logger;
  settings(): SwitchyardSettings;
  clientFor(apiKey: string): OpenRouterClient | Failure;
  keyStrategy(): KeyStrategy;
}

export function registerAccountCommands(services: AccountCommandDeps, register: Register): vscode.Disposable[] {
  return [
    register('switchyard.signIn', () => services.signIn.run()),
    register('switchyard.cancelSignIn', () => {
      if (!services.signIn.cancel())
        void vscode.window.showInformationMessage(
          notificationText(vscode.l10n.t('Switchyard: no sign-in is in progress.')),
        );
    }),
    register('switchyard.signOut', () => removeAllKeys(services, 'signOut')),
    register('switchyard.manageKeys', () => manageKeys(services)),
    register('switchyard.testConnection', () => testConnection(services, false)),
    register('switchyard.refreshCredits', async () => {
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Switchyard: reading credits…') },
        () => services.account.refreshCredits(),
      );
      const view = services.account.view();
      void vscode.window.showInformationMessage(
        notificationText(`Switchyard: ${view.credits || vscode.l10n.t('no key to read credits for.')}`),
      );
    }),
  ];
}

/** "Clear API Key" and "Sign Out": removes every stored key after a confirmation naming them masked. */
export async function removeAllKeys(services: AccountCommandDeps, mode: 'clear' | 'signOut'): Promise<void> {
  const listed = await services.keys.list();
  const stored = listed.filter((k) => k.source === 'secretStorage');
  const environment = listed.find((k) => k.source === 'environment');
  if (stored.length === 0 && environment)
    return stopEnvironmentKey(services.keys, services.settings().environmentKey, services.log, environment.masked);
  if (stored.length === 0) {
    void vscode.window.showInformationMessage(notificationText(vscode.l10n.t('Switchyard: no API key is stored.')));
    return;
  }
  const names = stored.map((k) => (stored.length === 1 ? k.masked : `${k.label} (${k.masked})`)).join(', ');
  const yes = mode === 'clear' ? vscode.l10n.t('Clear Key') : vscode.l10n.t('Sign Out');
  const question =
    stored.length === 1
      ? vscode.l10n.t('Remove the stored OpenRouter API key ({0})?', names)
      : vscode.l10n.t('Remove all {0} stored OpenRouter API keys: {1}?', stored.length, names);
  const choice = await vscode.window.showWarningMessage(notificationText(question), { modal: true }, yes);
  if (choice !== yes) return;
  await services.keys.clear();
  services.log.info(`${stored.length} stored key(s) removed (${mode})`);
  const done =
    mode === 'clear'
      ? vscode.l10n.t('Switchyard: API key cleared.')
      : vscode.l10n.t('Switchyard: signed out; {0} stored key(s) removed.', stored.length);
  void vscode.window.showInformationMessage(
    notificationText(`${done}${await environmentKeyAfterClear(services.keys)}`),
  );
}

interface KeyItem extends vscode.QuickPickItem {
  readonly run: () => Promise<boolean | void>;
  /** The row's trash button (key rows only). */
  readonly remove?: () => Promise<boolean | void>;
}

/** What a key row offers when picked: test it, reset its cooldown, rename, move, remove. */
async function keyActions(
  services: AccountCommandDeps,
  id: string,
  label: string,
  masked: string,
  stored: boolean,
): Promise<boolean> {
  const cooling = services.keys.pool.isCooling(id, Date.now());
  const actions: KeyAction[] = [
    {
      label: `$(pulse) ${vscode.l10n.t('Test this key')}`,
      description: 'GET /key',
      act: async () => testKey(services, id, label),
    },
    ...(cooling
      ? [
          {
            label: `$(debug-restart) ${vscode.l10n.t('Reset its cooldown')}`,
            description: vscode.l10n.t('try it again from the next request'),
            act: async () => {
              services.keys.pool.resetHealth(id);
              services.log.info(`key "${label}" cooldown reset`);
            },
          },
        ]
      : []),
    ...(stored ? storedKeyActions(services, id, label, masked) : []),
  ];
  const picked = await vscode.window.showQuickPick(actions, {
    title: vscode.l10n.t('Switchyard: key "{0}" ({1})', label, masked),
  });
  if (picked) await picked.act();
  return true;
}

/** A key row's action: the quick pick item and what it does. */
type KeyAction = vscode.QuickPickItem & { readonly act: () => Promise<void> };

/** What only a stored key offers (not the environment's): rename, move up or down, remove. */
function storedKeyActions(services: AccountCommandDeps, id: string, label: string, masked: string): KeyAction[] {
  return [
    {
      label: `$(edit) ${vscode.l10n.t('Rename…')}`,
      act: async () => {
        const next = await vscode.window.showInputBox({
          title: vscode.l10n.t('Switchyard: rename key "{0}"', label),
          value: label,
          ignoreFocusOut: true,
          validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('The label cannot be empty.')),
        });
        if (next?.trim()) await services.keys.rename(id, next);
      },
    },
    {
      label: `$(arrow-up) ${vscode.l10n.t('Move up')}`,
      description: vscode.l10n.t('tried earlier'),
      act: async () => void (await services.keys.move(id, -1)),
    },
    {
      label: `$(arrow-down) ${vscode.l10n.t('Move down')}`,
      description: vscode.l10n.t('tried later'),
      act: async () => void (await services.keys.move(id, 1)),
    },
    {
      label: `$(trash) ${vscode.l10n.t('Remove…')}`,
      act: async () => void (await removeKey(services, id, label, masked)),
    },
  ];
}

/** One key's check: accepted (with its credits) or why not. */
async function testKey(services: AccountCommandDeps, id: string, label: string): Promise<void> {
  const secret = await services.keys.secret(id);
  const client = secret ? services.clientFor(secret) : undefined;
  if (!(client instanceof OpenRouterClient)) {
    void vscode.window.showErrorMessage(
      notificationText(
        vscode.l10n.t('Switchyard: the key "{0}" cannot be used: {1}', label, client?.message ?? 'not readable'),
      ),
    );
    return;
  }
  try {
    const info = await client.getKeyInfo();
    const left =
      info.limit === null
        ? vscode.l10n.t('no limit')
        : `${formatUsd(info.limitRemaining ?? 0)} of ${formatUsd(info.limit)} left`;
    void vscode.window.showInformationMessage(
      notificationText(vscode.l10n.t('Switchyard: OpenRouter accepts the key "{0}" ({1}).', label, left)),
    );
  } catch (error) {
    const f = error instanceof FailureError ? error.failure : undefined;
    void vscode.window.showErrorMessage(
      notificationText(
        vscode.l10n.t('Switchyard: the key "{0}" failed: {1}', label, f ? `${f.title}. ${f.message}` : String(error)),
      ),
    );
  }
}

/** The key list: each key masked with its health; add, remove, pick the strategy. */
async function manageKeys(services: AccountCommandDeps): Promise<void> {
  for (;;) {
    const listed = await services.keys.list();
    const now = Date.now();
    const strategy = services.keyStrategy();
    const remove = { iconPath: new vscode.ThemeIcon('trash'), tooltip: vscode.l10n.t('Remove this key') };
    const items: (KeyItem | vscode.QuickPickItem)[] = [
      // The pool puts cooling keys after healthy ones: say so, so a re-sorted list is not a surprise.
      {
        label: vscode.l10n.t(
          'Keys as the next request tries them ({0}; cooling keys go last) — pick one for its actions',
          strategy === 'roundRobin' ? 'round-robin' : 'failover',
        ),
        kind: vscode.QuickPickItemKind.Separator,
      },
      ...(await services.keys.refs()).map((ref): KeyItem => {
        const k = listed.find((l) => l.id === ref.id);
        const h = services.keys.pool.health(ref.id);
        return {
          label: `$(key) ${pickText(ref.label, 80)}`,
          description: `${k?.masked ?? ''}${k?.source === 'environment' ? ' · from OPENROUTER_API_KEY' : ''}`,
          detail: pickText(`${describeHealth(h, now)}${h.lastError ? ` · last error: ${h.lastError}` : ''}`, 300),
          ...(k?.source === 'secretStorage' ? { buttons: [remove] } : {}),
          run: async () => keyActions(services, ref.id, ref.label, k?.masked ?? '', k?.source === 'secretStorage'),
          remove: async () => removeKey(services, ref.id, ref.label, k?.masked ?? ''),
        };
      }),
      { label: '', kind: vscode.QuickPickItemKind.Separator },
      { label: `$(add) ${vscode.l10n.t('Add API Key…')}`, detail: POOL_NOTE, run: () => addKey(services) },
      {
        label: `$(github-action) ${vscode.l10n.t('Sign in with OpenRouter…')}`,
        description: vscode.l10n.t('creates a new key in your browser'),
        run: async () => void vscode.commands.executeCommand('switchyard.signIn').then(() => undefined),
      },
      {
        label: `$(arrow-swap) ${vscode.l10n.t('Strategy: {0}', strategy === 'roundRobin' ? 'round-robin' : 'failover')}`,
        description: vscode.l10n.t('switch to {0}', strategy === 'roundRobin' ? 'failover' : 'round-robin'),
        detail:
          strategy === 'roundRobin'
            ? vscode.l10n.t('Each request starts with the next key.')
            : vscode.l10n.t('The first healthy key serves; the next only when it fails.'),
        run: async () => {
          const next: KeyStrategy = KEY_STRATEGIES.find((s) => s !== strategy) ?? 'failover';
          await vscode.workspace
            .getConfiguration('switchyard')
            .update('keys.strategy', next, vscode.ConfigurationTarget.Global);
          return true;
        },
      },
    ];
    const chosen = await showKeyPick(items);
    if (!chosen || chosen === 'again') return;
    const again = await chosen.run();
    if (again !== true) return;
  }
}

/** Shows the key list; resolves with the item picked (its remove action when its trash button was pressed), or undefined. */
function showKeyPick(items: (KeyItem | vscode.QuickPickItem)[]): Promise<KeyItem | 'again' | undefined> {
  return new Promise<KeyItem | 'again' | undefined>((resolve) => {
    const pick = vscode.window.createQuickPick<KeyItem | vscode.QuickPickItem>();
    pick.title = vscode.l10n.t('Switchyard: API Keys');
    pick.placeholder = POOL_NOTE;
    pick.items = items;
    pick.matchOnDescription = true;
    let result: KeyItem | 'again' | undefined;
    pick.onDidAccept(() => {
      const item = pick.selectedItems[0];
      if (item && 'run' in item) result = item;
      pick.hide();
    });
    pick.onDidTriggerItemButton(async (e) => {
      if ('remove' in e.item && e.item.remove) {
        result = { ...e.item, run: e.item.remove };
        pick.hide();
      }
    });
    pick.onDidHide(() => {
      pick.dispose();
      resolve(result);
    });
    pick.show();
  });
}

async function removeKey(services: AccountCommandDeps, id: string, label: string, masked: string): Promise<boolean> {
  if ((await services.keys.list()).find((k) => k.id === id)?.source !== 'secretStorage') {
    void vscode.window.showInformationMessage(
      notificationText(
        vscode.l10n.t(
          'Switchyard: this key comes from the OPENROUTER_API_KEY environment variable; run Clear API Key to stop using it.',
        ),
      ),
    );
    return true;
  }
  const yes = vscode.l10n.t('Remove Key');
  const choice = await vscode.window.showWarningMessage(
    notificationText(vscode.l10n.t('Remove the key "{0}" ({1})?', label, masked)),
    { modal: true },
    yes,
  );
  if (choice !== yes) return true;
  await services.keys.remove(id);
  services.log.info(`key "${label}" (${masked}) removed`);
  return true;
}

/** Asks for a key and a label; checks the key with `GET /key` before adding it. */
async function addKey(services: AccountCommandDeps): Promise<boolean> {
  const key = await vscode.window.showInputBox({
    title: vscode.l10n.t('Switchyard: Add API Key (1/2)'),
    prompt: vscode.l10n.t('An OpenRouter API key (kept in VS Code secret storage). {0}', POOL_NOTE),
    placeHolder: 'sk-or-v1-…',
    password: true,
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() ? undefined : vscode.l10n.t('The key cannot be empty.')),
  });
  if (!key?.trim()) return true;
  const label = await vscode.window.showInputBox({
    title: vscode.l10n.t('Switchyard: Add API Key (2/2)'),
    prompt: vscode.l10n.t('A label for this key (e.g. Work, Personal)'),
    value: 'Key',
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() ? undefined : vscode.l10n.t('The label cannot be empty.')),
  });
  if (!label?.trim()) return true;
  const client = services.clientFor(key.trim());
  if (!(client instanceof OpenRouterClient)) {
    void vscode.window.showErrorMessage(notificationText(`Switchyard: ${client.message}`));
    return true;
  }
  try {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Switchyard: checking the key…') },
      () => client.getKeyInfo(),
    );
  } catch (error) {
    const failure = error instanceof FailureError ? error.failure : undefined;
    if (failure?.kind === 'auth') {
      void vscode.window.showErrorMessage(
        notificationText(
          vscode.l10n.t('Switchyard: OpenRouter rejected this key ({0}). It was not added.', failure.message),
        ),
      );
      return true;
    }
    const yes = vscode.l10n.t('Add Anyway');
    const choice = await vscode.window.showWarningMessage(
      notificationText(
        vscode.l10n.t(
          'Switchyard: the key could not be checked ({0}). Add it anyway?',
          failure?.message ?? String(error),
        ),
      ),
      yes,
    );
    if (choice !== yes) return true;
  }
  const added = await services.keys.add(key, label);
  services.log.info(`key "${added.label}" (${added.masked}) added`);
  void vscode.window.showInformationMessage(
    notificationText(vscode.l10n.t('Switchyard: key "{0}" ({1}) added. {2}', added.label, added.masked, POOL_NOTE)),
  );
  return true;
}

/** Test Connection: reachable / unauthorized / offline, each said plainly; "Test Again" skips the cache. */
async function testConnection(services: AccountCommandDeps, bypassCache: boolean): Promise<void> {
  const result: ConnectionResult = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Switchyard: testing the connection…') },
    () => services.account.testConnection(bypassCache),
  );
  const again = vscode.l10n.t('Test Again');
  const age = result.cached
    ? ` ${vscode.l10n.t('(checked {0} s ago)', Math.round((Date.now() - result.at) / 1000))}`
    : '';
  const text = `Switchyard: ${result.message}${age}`;
  const show =
    result.state === 'reachable'
      ? vscode.window.showInformationMessage
      : result.state === 'noKey'
        ? vscode.window.showWarningMessage
        : vscode.window.showErrorMessage;
  const fix = result.state === 'unauthorized' || result.state === 'noKey' ? vscode.l10n.t('Sign In') : undefined;
  const choice = await show(text, ...(fix ? [again, fix] : [again]));
  if (choice === again) await testConnection(services, true);
  else if (choice && choice === fix) await vscode.commands.executeCommand('switchyard.signIn');
}
