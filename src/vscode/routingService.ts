/**
 * Feeds the routing engine from VS Code: the policy from settings, the catalogue, what was spent
 * (kept in global state), and renders "Switchyard: Explain Route".
 */
import * as vscode from 'vscode';
import { explainPlan } from '../routing/explain';
import { planRoute } from '../routing/plan';
import { addSpend, calendarKeys, spendNow, type SpendLedger } from '../routing/spend';
import type { Knowledge, Plan, RouteRequest, RoutingPolicy } from '../routing/types';
import type { CatalogueService } from './catalogueService';
import type { Logger } from './log';
import { readRoutingSettings } from './settings';

const LEDGER_KEY = 'switchyard.spend.v1';

export interface RoutingDeps {
  readonly catalogue: CatalogueService;
  readonly state: vscode.Memento;
  readonly log: Logger;
  /** The fallback list (switchyard.fallbackModels), read with the other settings. */
  readonly fallbackModels: () => readonly string[];
  /** Reports malformed settings once each. */
  readonly report: (problems: readonly string[]) => void;
}

/** Read-only documents holding route explanations (never attached as chat context). */
export const ROUTE_SCHEME = 'switchyard-route';

export class RoutingService implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly documents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration: vscode.Disposable;
  private count = 0;

  constructor(private readonly deps: RoutingDeps) {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(ROUTE_SCHEME, this);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.documents.get(uri.toString()) ?? '# Route plan\n\nThis explanation is no longer available: run "Switchyard: Explain Route" again.';
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }

  policy(): RoutingPolicy {
    const { policy, problems } = readRoutingSettings();
    this.deps.report(problems);
    return { ...policy, fallbackModels: this.deps.fallbackModels(), routes: [] };
  }

  knowledge(): Knowledge {
    const models = this.deps.catalogue.current()?.models ?? [];
    return {
      models: new Map(models.map((m) => [m.id, m])),
      endpoints: new Map(),
      health: {},
      spend: spendNow(this.deps.state.get<SpendLedger>(LEDGER_KEY), calendarKeys(new Date())),
      keys: [{ id: 'default', label: 'API key' }],
    };
  }

  plan(request: RouteRequest): Plan {
    return planRoute(this.policy(), request, this.knowledge(), Math.random);
  }

  recordSpend(usd: number): void {
    const next = addSpend(this.deps.state.get<SpendLedger>(LEDGER_KEY), usd, calendarKeys(new Date()));
    void this.deps.state.update(LEDGER_KEY, next);
  }

  /** Opens the plan as a Markdown document beside the editor. */
  async explain(plan: Plan, request: RouteRequest): Promise<void> {
    const spend = this.knowledge().spend;
    const header = [
      `> Request: tier \`${request.tier}\`, model \`${request.pickedModel ?? '(tier)'}\`, ~${request.promptTokens} prompt tokens + ${request.maxOutputTokens} output tokens.`,
      `> Spent so far: $${spend.todayUsd.toFixed(4)} today, $${spend.monthUsd.toFixed(4)} this month.`,
      '',
    ].join('\n');
    const [title = '# Route plan', ...rest] = explainPlan(plan).split('\n');
    const uri = vscode.Uri.from({ scheme: ROUTE_SCHEME, path: `/Route plan ${++this.count}.md` });
    // Keep only the latest few explanations in memory.
    if (this.documents.size >= 5) this.documents.delete(this.documents.keys().next().value ?? '');
    this.documents.set(uri.toString(), [title, '', header, ...rest].join('\n'));
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true });
  }
}
