/**
 * Forms for the settings VS Code's Settings editor can only show as "Edit in settings.json"
 * (objects holding lists or free-form objects): `switchyard.routing.tiers` (Set Tier Models…),
 * `switchyard.provider` (Set Provider Preferences…) and `switchyard.routing.capacity` (Set BYOK
 * Capacity…); `switchyard.routing.routes` has Add Route / Remove Route. Each writes the user
 * settings (these are user settings: a workspace's value is ignored or may only be stricter) and
 * keeps every field it does not edit.
 */
import * as vscode from 'vscode';
import { notificationText, pickText } from '../../openrouter/untrustedText';
import { editBudgets } from './budgetForm';
import type { ChatSession } from '../../chat/chatSession';
import type { CatalogueService } from '../models/catalogueService';

type Register = (id: string, run: () => unknown) => vscode.Disposable;

const TIERS = ['chat', 'edit', 'fast', 'complete'] as const;

const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('switchyard');
const userValue = <T>(key: string): T | undefined => config().inspect<T>(key)?.globalValue;

async function writeUser(key: string, value: unknown): Promise<void> {
  await config().update(key, value, vscode.ConfigurationTarget.Global);
  void vscode.window.showInformationMessage(
    notificationText(vscode.l10n.t('Switchyard: saved {0} in your user settings.', `switchyard.${key}`)),
  );
}

/** A comma-separated list typed by the user: trimmed, empty entries dropped, duplicates once. */
export function parseList(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[,\s]+/)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
}

/** What the settings forms use. */
export interface SettingsFormDeps {
  readonly session: ChatSession;
  readonly catalogue: CatalogueService;
}

export function registerSettingsForms(services: SettingsFormDeps, register: Register): vscode.Disposable[] {
  return [
    register('switchyard.editTiers', () => editTiers(services)),
    register('switchyard.editProviderPreferences', () => editProvider()),
    register('switchyard.editCapacity', () => editCapacity()),
    register('switchyard.editBudgets', () => editBudgets()),
    register('switchyard.sendOverBudgetOnce', () => services.session.retryOverBudgetOnce()),
    register('switchyard.sendSmallerContext', () => services.session.retryWithSmallerContext()),
  ];
}

/** Set Tier Models…: a tier, then its models (ticked in the catalogue, or typed when there is none). */
async function editTiers(services: SettingsFormDeps): Promise<void> {
  const tiers = { ...(userValue<Record<string, string[]>>('routing.tiers') ?? {}) };
  const names = [...new Set([...TIERS, ...Object.keys(tiers)])];
  const picked = await vscode.window.showQuickPick(
    names.map((name) => ({ label: name, description: pickText(tiers[name]?.join(', ') || vscode.l10n.t('not set')) })),
    {
      title: vscode.l10n.t('Switchyard: which tier?'),
      placeHolder: vscode.l10n.t(
        'chat: chat messages under Auto by task · edit: Fix, Refactor, Add Tests, Add Docs · fast: commit messages · complete: inline completions',
      ),
    },
  );
  if (!picked) return;
  const tier = picked.label;
  const current = tiers[tier] ?? [];
  const models = services.catalogue.current()?.models ?? [];
  let chosen: string[] | undefined;
  if (models.length) {
    const items = models.map((m) => ({ label: m.id, description: pickText(m.name), picked: current.includes(m.id) }));
    items.sort((a, b) => Number(b.picked) - Number(a.picked));
    const ticked = await vscode.window.showQuickPick(items, {
      canPickMany: true,
      matchOnDescription: true,
      title: vscode.l10n.t(
        'Switchyard: models of the "{0}" tier, tried in this order (none: the tier is removed)',
        tier,
      ),
    });
    if (!ticked) return;
    // Models already in the tier keep their order; new ones follow.
    const ids = ticked.map((t) => t.label);
    chosen = [...current.filter((m) => ids.includes(m)), ...ids.filter((m) => !current.includes(m))];
  } else {
    const typed = await vscode.window.showInputBox({
      title: vscode.l10n.t('Switchyard: models of the "{0}" tier, in order', tier),
      prompt: vscode.l10n.t('OpenRouter model ids separated by commas (empty: the tier is removed)'),
      value: current.join(', '),
    });
    if (typed === undefined) return;
    chosen = parseList(typed);
  }
  if (chosen.length) tiers[tier] = chosen;
  else delete tiers[tier];
  await writeUser('routing.tiers', Object.keys(tiers).length ? tiers : undefined);
}

type ProviderPrefs = Record<string, unknown>;

interface ProviderField {
  readonly key: string;
  readonly label: string;
  readonly detail: string;
  edit(current: unknown): Promise<unknown | null>;
}

/** `null` = cancelled; `undefined` = remove the field. */
const choose = async (
  options: readonly { label: string; value: unknown }[],
  title: string,
): Promise<unknown | null> => {
  const picked = await vscode.window.showQuickPick(
    options.map((o) => ({ label: o.label, value: o.value })),
    { title },
  );
  return picked ? picked.value : null;
};

const list = async (current: unknown, title: string, prompt: string): Promise<unknown | null> => {
  const typed = await vscode.window.showInputBox({
    title,
    prompt,
    value: Array.isArray(current) ? current.join(', ') : '',
  });
  if (typed === undefined) return null;
  const items = parseList(typed);
  return items.length ? items : undefined;
};

const NOT_SET = vscode.l10n.t('Not set (OpenRouter’s default)');
const onOff = (title: string): Promise<unknown | null> =>
  choose(
    [
      { label: 'true', value: true },
      { label: 'false', value: false },
      { label: NOT_SET, value: undefined },
    ],
    title,
  );

const PROVIDER_FIELDS: readonly ProviderField[] = [
  {
    key: 'sort',
    label: 'sort',
    detail: 'Order providers by price, throughput or latency',
    edit: () =>
      choose(
        [
          { label: 'price', value: 'price' },
          { label: 'throughput', value: 'throughput' },
          { label: 'latency', value: 'latency' },
          { label: NOT_SET, value: undefined },
        ],
        'provider.sort',
      ),
  },
  {
    key: 'order',
    label: 'order',
    detail: 'Providers to try first, in order (slugs, e.g. anthropic, deepinfra)',
    edit: (c) => list(c, 'provider.order', 'Provider slugs separated by commas (empty: not set)'),
  },
  {
    key: 'only',
    label: 'only',
    detail: 'Use only these providers',
    edit: (c) => list(c, 'provider.only', 'Provider slugs separated by commas (empty: not set)'),
  },
  {
    key: 'ignore',
    label: 'ignore',
    detail: 'Never use these providers',
    edit: (c) => list(c, 'provider.ignore', 'Provider slugs separated by commas (empty: not set)'),
  },
  {
    key: 'data_collection',
    label: 'data_collection',
    detail: 'deny: only providers that do not store or train on your data',
    edit: () =>
      choose(
        [
          { label: 'deny', value: 'deny' },
          { label: 'allow', value: 'allow' },
          { label: NOT_SET, value: undefined },
        ],
        'provider.data_collection',
      ),
  },
  { key: 'zdr', label: 'zdr', detail: 'Only zero-data-retention endpoints', edit: () => onOff('provider.zdr') },
  {
    key: 'allow_fallbacks',
    label: 'allow_fallbacks',
    detail: 'Let OpenRouter try other providers when the preferred ones fail',
    edit: () => onOff('provider.allow_fallbacks'),
  },
  {
    key: 'require_parameters',
    label: 'require_parameters',
    detail: 'Only providers that support every parameter of the request',
    edit: () => onOff('provider.require_parameters'),
  },
];

/** Set Provider Preferences…: one field at a time, the others kept. */
async function editProvider(): Promise<void> {
  const prefs: ProviderPrefs = { ...(userValue<ProviderPrefs>('provider') ?? {}) };
  const field = await vscode.window.showQuickPick(
    PROVIDER_FIELDS.map((f) => ({
      label: f.label,
      description: pickText(prefs[f.key] === undefined ? NOT_SET : JSON.stringify(prefs[f.key])),
      detail: f.detail,
      field: f,
    })),
    { title: vscode.l10n.t('Switchyard: which provider preference? (OpenRouter’s provider routing)') },
  );
  if (!field) return;
  const value = await field.field.edit(prefs[field.field.key]);
  if (value === null) return;
  if (value === undefined) delete prefs[field.field.key];
  else prefs[field.field.key] = value;
  await writeUser('provider', Object.keys(prefs).length ? prefs : undefined);
}

/** Set BYOK Capacity…: the strategy, then the providers where you registered your own key. */
async function editCapacity(): Promise<void> {
  const current = userValue<{ strategy?: string; byokProviders?: string[] }>('routing.capacity') ?? {};
  const strategy = await choose(
    [
      { label: 'shared', value: 'shared' },
      { label: 'byokFirst', value: 'byokFirst' },
      { label: 'byokOnly', value: 'byokOnly' },
    ],
    vscode.l10n.t('Switchyard: BYOK strategy (now: {0})', current.strategy ?? 'shared'),
  );
  if (strategy === null) return;
  const providers = await list(
    current.byokProviders,
    vscode.l10n.t('Switchyard: providers where you registered your own key'),
    vscode.l10n.t('Provider slugs separated by commas, e.g. openai, anthropic'),
  );
  if (providers === null) return;
  await writeUser('routing.capacity', { strategy, byokProviders: providers ?? [] });
}
