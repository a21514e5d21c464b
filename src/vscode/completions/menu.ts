/**
 * The completions status item's menu (on/off globally or per language, snooze or resume — only what
 * the state allows, src/completions/menuChoices.ts — the completion model, today's figures and
 * latency) and the completion model picker.
 */
import * as vscode from 'vscode';
import { formatUsd } from '../../protocol/units';
import { defaultCompletionModel, typicalRequestUsd } from '../../completions/defaults';
import { COMPLETE_TIER, MAX_TOKENS } from '../../completions/route';
import { menuChoices, type MenuChoiceId } from '../../completions/menuChoices';
import { describeFigures, type DailyFigures } from '../../completions/stats';
import { formatPricePerMillion, type ModelInfo } from '../../openrouter/catalogue';
import { readRoutingSettings } from '../settings/settings';
import { languageOn, readCompletionSettings, writeCompletionSetting, type CompletionSettings } from './settings';
import { clock, downSentence, type CompletionStatus } from './statusItem';

/** What the menu reads and changes on the completions service. */
export interface CompletionsMenuHost {
  settings(): CompletionSettings;
  status(languageId: string | undefined, settings: CompletionSettings): CompletionStatus;
  model(): string | undefined;
  figures(): DailyFigures;
  latency(): { readonly label: string; readonly detail: string } | undefined;
  snoozed(): boolean;
  setEnabled(on: boolean): Promise<void>;
  snooze(): void;
  resume(): void;
  models(): readonly ModelInfo[];
  modelInfo(id: string): ModelInfo | undefined;
  /** A completion model was picked (written to the settings already). */
  modelPicked(): void;
  refresh(): void;
}

/** The status item's menu. */
export async function showCompletionsMenu(host: CompletionsMenuHost): Promise<void> {
  const settings = host.settings();
  const language = vscode.window.activeTextEditor?.document.languageId;
  const snoozed = host.snoozed();
  type Item = vscode.QuickPickItem & { run?: () => unknown };
  const status = host.status(language, settings);
  const items: Item[] = [];
  // Why completions are paused, readable in full (the placeholder is cut), with the fix.
  if (status.kind === 'down')
    items.push({
      label: `$(warning) ${status.down.reason}`,
      ...(status.down.until ? { description: `cooling down until ${clock(status.down.until)}` } : {}),
      detail: status.down.fix,
      run: () => pickCompletionModel(host),
    });
  const actions: Record<MenuChoiceId, () => unknown> = {
    turnOn: () => host.setEnabled(true),
    turnOff: () => host.setEnabled(false),
    languageOn: () => setLanguage(host, language!, true),
    languageOff: () => setLanguage(host, language!, false),
    snooze: () => host.snooze(),
    resume: () => host.resume(),
  };
  const state = {
    enabled: settings.enabled,
    language,
    languageOn: !language || languageOn(settings, language),
    snoozed,
  };
  for (const choice of menuChoices(state)) items.push({ label: choice.label, run: actions[choice.id] });
  items.push({
    label: '$(hubot) Pick Completion Model…',
    description: host.model() ?? `${COMPLETE_TIER} tier`,
    run: () => pickCompletionModel(host),
  });
  items.push({ label: 'Today', kind: vscode.QuickPickItemKind.Separator });
  items.push({
    label: `$(graph) ${describeFigures(host.figures())}`,
    description: `budget ${formatUsd(settings.dailyBudget)}/day`,
  });
  const latency = host.latency();
  if (latency) items.push({ label: `$(watch) ${latency.label}`, detail: latency.detail });
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Switchyard Inline Completions',
    placeHolder: statusPlaceholder(status),
  });
  await picked?.run?.();
}

/** Turns completions on or off for one language (`switchyard.completions.languages`). */
async function setLanguage(host: CompletionsMenuHost, language: string, on: boolean): Promise<void> {
  await writeCompletionSetting('languages', { ...readCompletionSettings().settings.languages, [language]: on });
  host.refresh();
}

/** The completion model: the tier (or the fast, cheap default), or any model, cheapest first. */
export async function pickCompletionModel(host: CompletionsMenuHost): Promise<void> {
  type Item = vscode.QuickPickItem & { id: string };
  const models = host
    .models()
    .filter((m) => !m.isRouter)
    .sort((a, b) => a.promptPrice - b.promptPrice || a.id.localeCompare(b.id));
  const tier = readRoutingSettings().policy.tiers[COMPLETE_TIER] ?? [];
  const items: Item[] = [
    {
      id: '',
      label: tier.length ? `$(list-ordered) The "${COMPLETE_TIER}" tier` : '$(zap) The fast, cheap default',
      description: tier.length ? tier.join(', ') : defaultCompletionModel((id) => host.modelInfo(id) !== undefined),
    },
    ...models.map((m) => ({
      id: m.id,
      label: m.name,
      description: m.id,
      detail: m.isFree
        ? 'Free'
        : `About ${formatUsd(typicalRequestUsd(m.promptPrice, m.completionPrice, MAX_TOKENS.singleLine))} per suggestion · in ${formatPricePerMillion(m.promptPrice)} · out ${formatPricePerMillion(m.completionPrice)} per M tokens`,
    })),
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Completion Model',
    placeHolder: 'Cheapest first. Fast, cheap models suit completions best.',
    matchOnDescription: true,
  });
  if (!picked) return;
  await writeCompletionSetting('model', picked.id);
  host.modelPicked();
}

/** The menu's placeholder: completions' state in a few words. */
function statusPlaceholder(status: CompletionStatus): string {
  switch (status.kind) {
    case 'on':
      return `On, with ${status.model}`;
    case 'off':
      return 'Off';
    case 'offLanguage':
      return `Off for ${status.language}`;
    case 'snoozed':
      return `Snoozed until ${new Date(status.until).toLocaleTimeString()}`;
    case 'budget':
      return `Paused: ${status.reason}`;
    case 'down':
      return `Paused: ${downSentence(status.down)}`;
  }
}
