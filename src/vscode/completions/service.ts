/**
 * Inline completions in VS Code: the provider, the status-bar item and its menu (on/off globally
 * or per language, snooze 10 minutes, completion model, today's figures), the daily budget's
 * notice, and the one-time offer when a key is first stored. The logic is in src/completions/.
 */
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { formatUsd } from '../../protocol/units';
import { notificationText } from '../../openrouter/untrustedText';
import type { KeyRing } from '../../turn/keyRing';
import { COMPLETION_DEFAULTS, defaultCompletionModel, typicalRequestUsd } from '../../completions/defaults';
import { CompletionEngine, type EngineSettings } from '../../completions/engine';
import {
  COMPLETE_TIER,
  CompletionSender,
  isSendResult,
  MAX_TOKENS,
  type SendMiss,
  type SendResult,
} from '../../completions/route';
import { CompletionHealth } from '../../completions/health';
import { describeLatency, LatencyLog } from '../../completions/latency';
import { figuresFor, type DailyFigures } from '../../completions/stats';
import type { ModelInfo } from '../../openrouter/catalogue';
import type { OpenRouterClient } from '../../openrouter/client';
import type { Failure } from '../../openrouter/failures';
import { BreakerBoard, targetKey } from '../../routing/breaker';
import { calendarKeys } from '../../routing/spend';
import type { KeyRef, Plan, RouteRequest, RoutingPolicy } from '../../routing/types';
import type { Logger } from '../log';
import { readRoutingSettings } from '../settings/settings';
import { ACCEPTED_COMMAND, InlineProvider } from './provider';
import {
  languageOn,
  readCompletionExclude,
  readCompletionSettings,
  writeCompletionSetting,
  type CompletionSettings,
} from './settings';
import { pickCompletionModel, showCompletionsMenu, type CompletionsMenuHost } from './menu';
import { RecentEdits } from './snippets';
import { CompletionStatusItem, MENU_COMMAND, type CompletionStatus } from './statusItem';

const FIGURES_KEY = 'switchyard.completions.today.v1';
const OFFERED_KEY = 'switchyard.completions.offered.v1';
const SNOOZE_MS = 10 * 60 * 1000;

export interface CompletionsDeps {
  readonly state: vscode.Memento;
  readonly log: Logger;
  readonly keys: KeyRing;
  client(apiKey: string): OpenRouterClient | Failure;
  plan(request: RouteRequest, keys: readonly KeyRef[], adjust: (policy: RoutingPolicy) => RoutingPolicy): Promise<Plan>;
  recordSpend(usd: number): void;
  modelInfo(id: string): ModelInfo | undefined;
  models(): readonly ModelInfo[];
  report(problems: readonly string[]): void;
  /** `switchyard.context.exclude`. */
  exclude(): readonly string[];
}

export class CompletionsService implements vscode.Disposable {
  readonly breakers = new BreakerBoard();
  readonly sender: CompletionSender;
  readonly engine: CompletionEngine;
  private readonly item = new CompletionStatusItem();
  private readonly recent = new RecentEdits();
  private readonly disposables: vscode.Disposable[] = [];
  private snoozedUntil = 0;
  private snoozeTimer: ReturnType<typeof setTimeout> | undefined;
  private budgetNoticeDay = '';
  /** Whether the completion model is failing (shown by the status item). */
  private readonly health = new CompletionHealth();
  private healthTimer: ReturnType<typeof setTimeout> | undefined;
  /** Keystroke → ghost text of the last suggestions. */
  private readonly latency = new LatencyLog();

  constructor(private readonly deps: CompletionsDeps) {
    this.sender = new CompletionSender({
      plan: async (request, adjust) => deps.plan(request, await deps.keys.refs(), adjust),
      turn: {
        keys: deps.keys,
        client: (apiKey) => deps.client(apiKey),
        router: { recordSpend: (usd) => deps.recordSpend(usd) },
        modelInfo: (id) => deps.modelInfo(id),
        confirm: async () => false,
        log: deps.log,
      },
      breakers: this.breakers,
      now: () => Date.now(),
    });
    this.engine = new CompletionEngine(
      {
        now: () => performance.now(),
        sleep: (ms, signal) => abortableSleep(ms, signal),
        send: async (request) => {
          const outcome = await this.sender.send({ ...request, ...(request.model ? {} : { model: this.model() }) });
          this.noteOutcome(outcome);
          return outcome;
        },
        figures: () => this.figures(),
        saveFigures: (figures) => {
          void deps.state.update(FIGURES_KEY, figures);
          this.refresh();
        },
        newId: () => randomUUID(),
        log: (message) => deps.log.info(message),
        onBudgetPause: () => this.refresh(),
      },
      // The setting's value arrives with the first request (provide): activation reads no settings.
      COMPLETION_DEFAULTS.debounceMs,
    );
  }

  /** Registers the provider, commands and listeners; the status item shows on the first refresh() (after activation). */
  start(): void {
    this.disposables.push(
      this.item,
      this.recent,
      vscode.languages.registerInlineCompletionItemProvider(
        [{ scheme: 'file' }, { scheme: 'untitled' }],
        new InlineProvider({
          engine: this.engine,
          recent: this.recent,
          settingsFor: (language) => this.settingsFor(language),
          exclude: () => [...this.deps.exclude(), ...readCompletionExclude()],
          log: (message) => this.deps.log.info(message),
          onLatency: (sample) => {
            this.latency.add(sample);
            this.deps.log.info(`completion shown ${describeLatency(sample)}`);
          },
        }),
      ),
      vscode.commands.registerCommand(ACCEPTED_COMMAND, (id: unknown) => this.engine.accepted(String(id))),
      vscode.commands.registerCommand(MENU_COMMAND, () => showCompletionsMenu(this.menuHost())),
      vscode.commands.registerCommand('switchyard.completions.toggle', () => this.setEnabled(!this.settings().enabled)),
      vscode.commands.registerCommand('switchyard.completions.snooze', () => this.snooze()),
      vscode.commands.registerCommand('switchyard.completions.pickModel', () => pickCompletionModel(this.menuHost())),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('switchyard.completions') || e.affectsConfiguration('switchyard.routing')) {
          if (!this.settings().enabled) this.engine.reset();
          this.refresh();
        }
      }),
      vscode.window.onDidChangeActiveTextEditor(() => this.refresh()),
    );
  }

  /** The settings, with malformed values reported once. */
  settings(): CompletionSettings {
    const { settings, problems } = readCompletionSettings();
    this.deps.report(problems);
    return settings;
  }

  /** `switchyard.completions.model`, else undefined when the `complete` tier lists models, else the fast cheap default. */
  model(): string | undefined {
    const model = this.settings().model;
    if (model) return model;
    if (readRoutingSettings().policy.tiers[COMPLETE_TIER]?.length) return undefined;
    return defaultCompletionModel((id) => this.deps.modelInfo(id) !== undefined);
  }

  figures(): DailyFigures {
    return figuresFor(this.deps.state.get<unknown>(FIGURES_KEY), calendarKeys(new Date()).day);
  }

  status(languageId: string | undefined, settings = this.settings()): CompletionStatus {
    if (!settings.enabled) return { kind: 'off' };
    if (languageId && !languageOn(settings, languageId)) return { kind: 'offLanguage', language: languageId };
    if (Date.now() < this.snoozedUntil) return { kind: 'snoozed', until: this.snoozedUntil };
    const paused = this.engine.budgetPaused(settings.dailyBudget);
    if (paused) return { kind: 'budget', reason: paused };
    const down = this.health.down(Date.now(), (model) => this.openUntil(model));
    if (down) return { kind: 'down', down };
    return { kind: 'on', model: this.model() ?? `${COMPLETE_TIER} tier` };
  }

  /** Until when the completions' breaker of a model is open, if it is. */
  private openUntil(model: string): number | undefined {
    const breaker = this.breakers.get(targetKey(model));
    return breaker.state(Date.now()) === 'open' ? breaker.openUntil() : undefined;
  }

  /** What the provider uses for a language, or undefined when completions are not on for it. */
  private settingsFor(languageId: string): EngineSettings | undefined {
    const settings = this.settings();
    const status = this.status(languageId, settings);
    if (status.kind === 'budget') this.noticeBudget(status.reason);
    // A failing model still gets asked (the sender skips it while it cools down).
    if (status.kind !== 'on' && status.kind !== 'down') return undefined;
    return {
      debounceMs: settings.debounceMs,
      maxLines: settings.maxLines,
      dailyBudgetUsd: settings.dailyBudget,
      ...(settings.model ? { model: settings.model } : {}),
    };
  }

  /** Says once a day that completions paused at the budget. */
  private noticeBudget(reason: string): void {
    const day = calendarKeys(new Date()).day;
    if (this.budgetNoticeDay === day) return;
    this.budgetNoticeDay = day;
    this.deps.log.info(`completions paused: ${reason}`);
    void vscode.window
      .showInformationMessage(
        notificationText(
          `Switchyard: inline completions paused — ${reason}. Raise switchyard.completions.dailyBudget to continue today.`,
        ),
        'Open Settings',
      )
      .then((choice) => {
        if (choice)
          void vscode.commands.executeCommand('workbench.action.openSettings', 'switchyard.completions.dailyBudget');
      });
  }

  refresh(): void {
    const settings = this.settings();
    const status = this.status(vscode.window.activeTextEditor?.document.languageId, settings);
    if (status.kind === 'budget') this.noticeBudget(status.reason);
    const latency = this.latency.describe();
    this.item.update(status, this.figures(), settings.dailyBudget, latency && `${latency.label}: ${latency.detail}`);
    // The status changes by itself when a cooldown ends: look again then.
    if (this.healthTimer) clearTimeout(this.healthTimer);
    const next = this.health.nextChange(Date.now(), (model) => this.openUntil(model));
    this.healthTimer = next === undefined ? undefined : setTimeout(() => this.refresh(), next - Date.now() + 50);
  }

  async setEnabled(on: boolean): Promise<void> {
    await writeCompletionSetting('enabled', on);
    if (on) this.snoozedUntil = 0;
    this.refresh();
  }

  snooze(): void {
    this.snoozedUntil = Date.now() + SNOOZE_MS;
    this.engine.reset();
    if (this.snoozeTimer) clearTimeout(this.snoozeTimer);
    this.snoozeTimer = setTimeout(() => this.refresh(), SNOOZE_MS + 50);
    this.refresh();
  }

  /** What the status item's menu and the model picker read and change (./menu.ts). */
  private menuHost(): CompletionsMenuHost {
    return {
      settings: () => this.settings(),
      status: (language, settings) => this.status(language, settings),
      model: () => this.model(),
      figures: () => this.figures(),
      latency: () => this.latency.describe(),
      snoozed: () => Date.now() < this.snoozedUntil,
      setEnabled: (on) => this.setEnabled(on),
      snooze: () => this.snooze(),
      resume: () => ((this.snoozedUntil = 0), this.refresh()),
      models: () => this.deps.models(),
      modelInfo: (id) => this.deps.modelInfo(id),
      modelPicked: () => {
        this.engine.reset();
        this.health.succeeded();
        this.refresh();
      },
      refresh: () => this.refresh(),
    };
  }

  /**
   * Once, when a key is first stored and completions are off: explains the cost and offers to
   * turn them on with the fast, cheap default.
   */
  async offerOnce(): Promise<void> {
    if (this.deps.state.get<boolean>(OFFERED_KEY) || this.settings().enabled) return;
    await this.deps.state.update(OFFERED_KEY, true);
    const model = this.model() ?? defaultCompletionModel((id) => this.deps.modelInfo(id) !== undefined);
    const info = this.deps.modelInfo(model);
    const each = info
      ? `about ${formatUsd(typicalRequestUsd(info.promptPrice, info.completionPrice, MAX_TOKENS.singleLine))} each with ${info.name}`
      : `priced by ${model}`;
    const turnOn = `Turn On (${info?.name ?? model})`;
    const choice = await vscode.window.showInformationMessage(
      notificationText(
        `Switchyard can suggest code as you type (ghost text). Each suggestion is a small paid request to OpenRouter, ${each}; spending stops at a daily budget of ${formatUsd(this.settings().dailyBudget)}.`,
      ),
      turnOn,
      'Not Now',
    );
    if (choice === turnOn) await this.setEnabled(true);
  }

  /** The model's health after a request: a failure is shown by the status item until an answer comes. */
  private noteOutcome(outcome: SendResult | SendMiss): void {
    if (isSendResult(outcome)) return this.healthy();
    if (outcome.miss !== 'failed' || !outcome.failure) return;
    const { kind, title, status } = outcome.failure;
    this.health.failed({
      model: outcome.model ?? this.model() ?? COMPLETE_TIER,
      kind,
      title,
      ...(status ? { status } : {}),
      at: Date.now(),
    });
    this.refresh();
  }

  /** A request got through: the model is not failing (any more). */
  private healthy(): void {
    const wasDown = this.health.down(Date.now(), (model) => this.openUntil(model)) !== undefined;
    this.health.succeeded();
    if (wasDown) this.refresh();
  }

  dispose(): void {
    if (this.snoozeTimer) clearTimeout(this.snoozeTimer);
    if (this.healthTimer) clearTimeout(this.healthTimer);
    this.engine.reset();
    this.disposables.forEach((d) => d.dispose());
  }
}

/** Waits `ms`; false when `signal` aborted first. */
function abortableSleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
