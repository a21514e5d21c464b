/**
 * The searchable model picker behind the status-bar item: prices per million tokens, context
 * length, a free-only toggle, favourites (star button on each row) and recents on top.
 */
import { notificationText, pickText } from '../../openrouter/untrustedText';
import * as vscode from 'vscode';
import type { ModelInfo } from '../../openrouter/catalogue';
import { AUTO_BY_TASK } from '../../config/defaults';
import { FailureError } from '../../openrouter/failures';
import { pickerEntries, type PickerEntry } from '../../openrouter/pickerEntries';
import type { ModelPrefs } from './modelPrefs';
import { reasoningChoiceLabel } from '../../protocol/reasoning';
import type { ReasoningChoice } from '../../openrouter/reasoning';

interface ModelItem extends vscode.QuickPickItem {
  readonly model?: ModelInfo;
  readonly reasoningChoices?: readonly ReasoningChoice[];
  /** A dynamic route's name (picked like a model), or {@link AUTO_BY_TASK}. */
  readonly route?: string;
}

/** A dynamic route as the picker lists it. */
export interface PickerRoute {
  readonly name: string;
  readonly detail: string;
}

const starButton = (on: boolean): vscode.QuickInputButton => ({
  iconPath: new vscode.ThemeIcon(on ? 'star-full' : 'star-empty'),
  tooltip: on ? vscode.l10n.t('Remove from favourites') : vscode.l10n.t('Add to favourites'),
});

/** A narrower picker: only the models `only` keeps (no routes, no Auto by task), under its own title. */
export interface PickerFilter {
  readonly title: string;
  /** What the placeholder calls the models ("vision models"). */
  readonly noun: string;
  readonly only: (model: ModelInfo) => boolean;
}

const effortButton: vscode.QuickInputButton = {
  iconPath: new vscode.ThemeIcon('lightbulb'),
  tooltip: vscode.l10n.t('Reasoning effort…'),
};
const refreshButton: vscode.QuickInputButton = {
  iconPath: new vscode.ThemeIcon('refresh'),
  tooltip: vscode.l10n.t('Refresh the model list'),
};

/** What the picker shows: the models, the head items (routes, Auto) unless filtered, the buttons. */
interface PickerView {
  readonly prefs: ModelPrefs;
  readonly current: string;
  readonly routes: readonly PickerRoute[];
  readonly freeOnly: boolean;
  readonly filter?: PickerFilter;
  /** Whether the list can be refreshed (shows the refresh button). */
  readonly refresh: boolean;
}

/** Fills the quick pick from `list`; the placeholder counts what it shows (the free filter included), not the whole catalogue. */
function renderPicker(quickPick: vscode.QuickPick<ModelItem>, list: readonly ModelInfo[], view: PickerView): void {
  const { prefs, current, routes, freeOnly, filter } = view;
  const entries = pickerEntries(list, {
    favourites: prefs.favourites(),
    recents: prefs.recents(),
    freeOnly,
    current,
    effort: (id) => prefs.reasoningChoice(id),
  });
  quickPick.items = [...(filter ? [] : headItems(routes, current, freeOnly)), ...entries.map(toItem)];
  const shown = new Set(entries.flatMap((e) => (e.kind === 'separator' ? [] : [e.model.id]))).size;
  quickPick.placeholder = filter
    ? vscode.l10n.t('Search {0} {1} by name or id (prices per million tokens)', shown, filter.noun)
    : freeOnly
      ? vscode.l10n.t('Search {0} free models by name or id', shown)
      : vscode.l10n.t('Search {0} models by name or id (prices per million tokens)', shown);
  quickPick.buttons = view.refresh ? [freeButton(freeOnly), refreshButton] : [freeButton(freeOnly)];
  const active = quickPick.items.find((i) => i.model?.id === current || i.route === current);
  if (active) quickPick.activeItems = [active];
}

/** Shows the picker; resolves with the chosen model id, or `undefined` if dismissed. */
export async function pickModel(
  models: readonly ModelInfo[],
  prefs: ModelPrefs,
  current: string,
  onRefresh?: () => Promise<readonly ModelInfo[]>,
  routes: readonly PickerRoute[] = [],
  filter?: PickerFilter,
): Promise<string | undefined> {
  const keep = (all: readonly ModelInfo[]): readonly ModelInfo[] => (filter ? all.filter(filter.only) : all);
  const quickPick = createPicker(keep(models).length);
  if (filter) quickPick.title = filter.title;
  let freeOnly = false;
  let list = keep(models);

  const render = (): void =>
    renderPicker(quickPick, list, {
      prefs,
      current,
      routes,
      freeOnly,
      ...(filter ? { filter } : {}),
      refresh: onRefresh !== undefined,
    });
  render();

  return new Promise<string | undefined>((resolve) => {
    const disposables: vscode.Disposable[] = [];
    /** The effort choice is open: the model list is hidden for it, not dismissed. */
    let choosingEffort = false;
    const finish = (value: string | undefined): void => {
      resolve(value);
      disposables.forEach((d) => d.dispose());
      quickPick.dispose();
    };
    disposables.push(
      quickPick.onDidTriggerButton(async (button) => {
        if (button === refreshButton && onRefresh) {
          list = (await refreshedList(quickPick, onRefresh, keep)) ?? list;
        } else {
          freeOnly = !freeOnly;
        }
        render();
      }),
      quickPick.onDidTriggerItemButton(async (e) => {
        if (!e.item.model) return;
        choosingEffort = e.button === effortButton;
        await itemButtonPressed(quickPick, e, prefs, render);
        choosingEffort = false;
      }),
      quickPick.onDidAccept(() => finish(quickPick.selectedItems[0]?.model?.id ?? quickPick.selectedItems[0]?.route)),
      quickPick.onDidHide(() => {
        if (!choosingEffort) finish(undefined);
      }),
    );
    quickPick.show();
  });
}

/** A row's button: choose the model's reasoning effort (the picker comes back after), or toggle it as a favourite. */
async function itemButtonPressed(
  quickPick: vscode.QuickPick<ModelItem>,
  e: vscode.QuickPickItemButtonEvent<ModelItem>,
  prefs: ModelPrefs,
  render: () => void,
): Promise<void> {
  if (!e.item.model) return;
  if (e.button === effortButton) {
    await pickEffort(e.item.model, e.item.reasoningChoices ?? [], prefs);
    render();
    quickPick.show();
    return;
  }
  await prefs.toggleFavourite(e.item.model.id);
  const value = quickPick.value;
  render();
  quickPick.value = value;
}

/** The catalogue fetched again while the picker shows busy; undefined (and a warning saying why) when it failed. */
async function refreshedList(
  quickPick: vscode.QuickPick<ModelItem>,
  onRefresh: () => Promise<readonly ModelInfo[]>,
  keep: (all: readonly ModelInfo[]) => readonly ModelInfo[],
): Promise<readonly ModelInfo[] | undefined> {
  quickPick.busy = true;
  try {
    return keep(await onRefresh());
  } catch (error) {
    // Keep the list we have; say why it could not be refreshed.
    const message = error instanceof FailureError ? error.failure.message : String(error);
    void vscode.window.showWarningMessage(
      notificationText(vscode.l10n.t('Switchyard: the model list could not be refreshed: {0}', message)),
    );
    return undefined;
  } finally {
    quickPick.busy = false;
  }
}

/** The picker's quick pick, titled and searching names, ids and details. */
function createPicker(count: number): vscode.QuickPick<ModelItem> {
  const quickPick = vscode.window.createQuickPick<ModelItem>();
  quickPick.title = vscode.l10n.t('Switchyard: Pick Model');
  quickPick.placeholder = vscode.l10n.t('Search {0} models by name or id (prices per million tokens)', count);
  quickPick.matchOnDescription = true;
  quickPick.matchOnDetail = true;
  return quickPick;
}

/** The free-only filter's button, as it looks with the filter on or off. */
function freeButton(freeOnly: boolean): vscode.QuickInputButton {
  return {
    iconPath: new vscode.ThemeIcon(freeOnly ? 'filter-filled' : 'filter'),
    tooltip: freeOnly
      ? vscode.l10n.t('Showing free models only — click to show all')
      : vscode.l10n.t('Show free models only'),
  };
}

/** The items above the models: "Auto by task" and the routes (neither when showing free models only). */
function headItems(routes: readonly PickerRoute[], current: string, freeOnly: boolean): ModelItem[] {
  const routeItems: ModelItem[] =
    freeOnly || routes.length === 0
      ? []
      : [
          { label: vscode.l10n.t('Routes'), kind: vscode.QuickPickItemKind.Separator },
          ...routes.map((r) => ({
            label: `${r.name === current ? '$(check) ' : ''}$(git-merge) ${pickText(r.name, 80)}`,
            description: vscode.l10n.t('route'),
            detail: pickText(r.detail, 300),
            route: r.name,
          })),
        ];
  // Auto by task: no model picked, each request goes by its tier (README: "Which model answers").
  const byTask: ModelItem = {
    label: `$(symbol-event) ${vscode.l10n.t('Auto by task')}`,
    description: AUTO_BY_TASK,
    detail: vscode.l10n.t(
      'Commands use their tier (edit, fast…), chat messages the chat tier (switchyard.routing.tiers); preferredModel pins every tier',
    ),
    route: AUTO_BY_TASK,
  };
  return [...(freeOnly ? [] : [byTask]), ...routeItems];
}

function toItem(entry: PickerEntry): ModelItem {
  if (entry.kind === 'separator') return { label: entry.label, kind: vscode.QuickPickItemKind.Separator };
  const effort = entry.reasoningChoices.length ? [effortButton] : [];
  return {
    label: entry.label,
    description: entry.description,
    detail: entry.detail,
    model: entry.model,
    reasoningChoices: entry.reasoningChoices,
    buttons: [...effort, starButton(entry.favourite)],
  };
}

/** The reasoning effort of one model (its own choices, the remembered one checked); remembered when picked. */
async function pickEffort(model: ModelInfo, choices: readonly ReasoningChoice[], prefs: ModelPrefs): Promise<void> {
  const current = prefs.reasoningChoice(model.id) ?? 'default';
  const items = choices.map((choice) => ({
    label: `${choice === current ? '$(check) ' : ''}${reasoningChoiceLabel(choice)}`,
    description: effortDescription(choice),
    choice,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Reasoning effort: {0}', pickText(model.name, 120)),
    placeHolder: vscode.l10n.t(
      'How hard {0} thinks before answering (remembered for this model)',
      pickText(model.id, 200),
    ),
  });
  if (picked) await prefs.setReasoningChoice(model.id, picked.choice);
}

function effortDescription(choice: ReasoningChoice): string {
  if (choice === 'default') return vscode.l10n.t("the model's own default (nothing sent)");
  if (choice === 'off') return vscode.l10n.t('no thinking (effort "none")');
  return vscode.l10n.t('reasoning effort "{0}"', choice);
}
