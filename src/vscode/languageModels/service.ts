/**
 * Switchyard's models in VS Code's own chat: the provider registered at activation (nothing is
 * built until VS Code asks), its change event (catalogue, settings, favourites toggled in the
 * model picker, routes added or removed at run time), the last request for Explain Route, and
 * what VS Code's chat spent today in a status item ("VS Code Chat: $0.42 today").
 */
import * as vscode from 'vscode';
import { LanguageModelSender, type LmEnvironment, type LmPlanned } from '../../languageModel/send';
import type { ModelListInput } from '../../languageModel/models';
import { followModelListChanges, type Subscribe } from '../../languageModel/changes';
import { estimateTokens } from '../../context/tokens';
import { formatUsd } from '../../protocol/units';
import { addSpend, calendarKeys, spendNow, type SpendLedger } from '../../routing/spend';
import { SwitchyardChatProvider } from './provider';

/** The vendor in `contributes.languageModelChatProviders`. */
export const VENDOR = 'switchyard';
/** Where VS Code's chat's spend is kept (today and this month), beside the router's own ledger. */
const LEDGER_KEY = 'switchyard.vscodeChatSpend';
/** The setting that turns the provider off. */
export const ENABLED_SETTING = 'switchyard.vscodeChat.enabled';

export interface LanguageModelsDeps {
  readonly env: LmEnvironment;
  readonly models: () => ModelListInput;
  /** What else changes the list beyond the catalogue and settings: favourites toggled, run-time routes. */
  readonly changes: readonly Subscribe[];
  readonly state: vscode.Memento;
  readonly log: LmEnvironment['log'];
}

export class LanguageModelsService implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private sender: LanguageModelSender | undefined;
  private item: vscode.StatusBarItem | undefined;
  /** The last request VS Code's chat sent through Switchyard, as planned, and when. */
  private lastPlanned: { readonly planned: LmPlanned; readonly at: number } | undefined;

  constructor(private readonly deps: LanguageModelsDeps) {
    this.disposables.push(followModelListChanges(deps.changes, () => this.refresh()));
  }

  /** Registers the provider when this VS Code has the API (1.104+); older ones keep everything else. */
  register(): void {
    const lm = vscode.lm as Partial<typeof vscode.lm>;
    if (typeof lm.registerLanguageModelChatProvider !== 'function') {
      this.deps.log.info(
        'this VS Code has no language model provider API: Switchyard models are not offered to its chat',
      );
      return;
    }
    const provider = new SwitchyardChatProvider({
      enabled: () => languageModelsEnabled(),
      models: this.deps.models,
      sender: () => (this.sender ??= new LanguageModelSender(this.deps.env, estimateTokens)),
      handlers: {
        planned: (planned) => (this.lastPlanned = { planned, at: Date.now() }),
        spent: (usd) => this.recordSpend(usd),
      },
      onDidChange: this.changed.event,
      log: this.deps.log,
    });
    this.disposables.push(lm.registerLanguageModelChatProvider(VENDOR, provider));
    this.showSpend();
  }

  /** Tells VS Code the list of models may have changed (catalogue, settings, routes, favourites). */
  refresh(): void {
    this.changed.fire();
  }

  /** The last request VS Code's chat sent through Switchyard (for Explain Route). */
  get last(): { readonly planned: LmPlanned; readonly at: number } | undefined {
    return this.lastPlanned;
  }

  private ledger(): SpendLedger | undefined {
    const raw = this.deps.state.get<SpendLedger>(LEDGER_KEY);
    return raw && typeof raw.dayUsd === 'number' && typeof raw.day === 'string' ? raw : undefined;
  }

  private recordSpend(usd: number): void {
    const next = addSpend(this.ledger(), usd, calendarKeys(new Date()));
    void this.deps.state.update(LEDGER_KEY, next);
    this.showSpend(next, true);
  }

  /** The status item, once VS Code's chat has spent something today through Switchyard (or just now, even $0). */
  private showSpend(ledger = this.ledger(), spentNow = false): void {
    const { todayUsd: today, monthUsd } = spendNow(ledger, calendarKeys(new Date()));
    if (today <= 0 && !spentNow) return;
    if (!this.item) {
      this.item = vscode.window.createStatusBarItem('switchyard.vscodeChatSpend', vscode.StatusBarAlignment.Right, 99);
      this.item.name = 'Switchyard: VS Code Chat spend';
      this.item.command = 'switchyard.explainRoute';
      this.disposables.push(this.item);
    }
    const text = vscode.l10n.t('VS Code Chat: {0} today', formatUsd(today));
    this.item.text = `$(comment-discussion) ${text}`;
    this.item.tooltip = vscode.l10n.t(
      'What VS Code\u2019s chat spent through Switchyard: {0} today, {1} this month (also counted in your Switchyard budgets). Click to explain the last route.',
      formatUsd(today),
      formatUsd(monthUsd),
    );
    this.item.accessibilityInformation = { label: text };
    this.item.show();
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}

/**
 * `switchyard.vscodeChat.enabled`: on unless turned off. A workspace may turn it off, never on
 * against the user's own setting.
 */
export function languageModelsEnabled(): boolean {
  const inspected = vscode.workspace.getConfiguration().inspect<boolean>(ENABLED_SETTING);
  const user = inspected?.globalValue ?? inspected?.defaultValue ?? true;
  const workspace = inspected?.workspaceFolderValue ?? inspected?.workspaceValue;
  return user !== false && workspace !== false;
}
