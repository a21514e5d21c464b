/**
 * Builds the extension's one {@link Router} from VS Code: the policy from settings (plus the
 * run-time routes kept in global state), the catalogue, endpoint fetching, the spend ledger in
 * global state, the real clock; and renders the route documents ("Explain Route", "List Routes").
 */
import * as vscode from 'vscode';
import type { ModelInfo } from '../openrouter/catalogue';
import type { EndpointInfo } from '../openrouter/endpoints';
import { formatUsd } from '../protocol/units';
import { decidedBy, explainCaching, explainPlan } from '../routing/explain';
import type { CachingPlan } from '../chat/chatSession';
import { addRoute, effectiveRoutes, listRoutes, removeRoute, type ListedRoute } from '../routing/routes';
import { Router } from '../routing/router';
import { systemTime } from '../routing/systemTime';
import { parseStoredRoutes } from '../config/routingSettings';
import type { SpendLedger } from '../routing/spend';
import type { DynamicRoute, Plan, RouteRequest, RoutingPolicy } from '../routing/types';
import type { CatalogueService } from './catalogueService';
import type { Logger } from './log';
import { readRoutingSettings } from './settings';

const LEDGER_KEY = 'switchyard.spend.v1';
const ROUTES_KEY = 'switchyard.routes.v1';
const NO_MODELS: ReadonlyMap<string, ModelInfo> = new Map();

export interface RoutingDeps {
  readonly catalogue: CatalogueService;
  readonly state: vscode.Memento;
  readonly log: Logger;
  /** `GET /models/{author}/{slug}/endpoints` with a key of the pool. */
  readonly fetchEndpoints: (model: string) => Promise<readonly EndpointInfo[]>;
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
  /** The routing engine every chat request goes through. */
  readonly router: Router;

  constructor(private readonly deps: RoutingDeps) {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(ROUTE_SCHEME, this);
    this.router = new Router({
      policy: () => this.policy(),
      models: () => deps.catalogue.current()?.byId ?? NO_MODELS,
      fetchEndpoints: deps.fetchEndpoints,
      ledger: { get: () => deps.state.get<SpendLedger>(LEDGER_KEY), set: (next) => void deps.state.update(LEDGER_KEY, next) },
      time: systemTime,
      onPlan: ({ fetched }) => {
        if (fetched.length > 0) deps.log.info(`route: provider endpoints of ${fetched.join(', ')} fetched`);
      },
    });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.documents.get(uri.toString()) ?? '# Route plan\n\nThis document is no longer available: run the command again.';
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }

  policy(): RoutingPolicy {
    const { policy, routes, problems } = readRoutingSettings();
    this.deps.report(problems);
    return { ...policy, fallbackModels: this.deps.fallbackModels(), routes: effectiveRoutes(routes, this.runtimeRoutes()) };
  }

  /** The routes added at run time (persisted across restarts). */
  runtimeRoutes(): readonly DynamicRoute[] {
    return parseStoredRoutes(this.deps.state.get<unknown>(ROUTES_KEY));
  }

  /** Every route, config and run-time, for listing. */
  listedRoutes(): ListedRoute[] {
    const { routes } = readRoutingSettings();
    return listRoutes(routes, this.runtimeRoutes());
  }

  /** Adds or replaces a run-time route; returns an error message when it is invalid. */
  async addRoute(route: DynamicRoute): Promise<string | undefined> {
    const result = addRoute(this.runtimeRoutes(), route);
    if ('error' in result) return result.error;
    await this.deps.state.update(ROUTES_KEY, result.routes);
    this.deps.log.info(`route "${route.name}" added: ${route.endpoints.map((e) => (e.provider ? `${e.model}@${e.provider}` : e.model)).join(', ')} (${route.strategy})`);
    return undefined;
  }

  /** Removes a run-time route; config-defined routes cannot be removed. */
  async removeRoute(name: string): Promise<string | undefined> {
    const result = removeRoute(readRoutingSettings().routes, this.runtimeRoutes(), name);
    if ('error' in result) return result.error;
    await this.deps.state.update(ROUTES_KEY, result.routes);
    this.deps.log.info(`route "${name}" removed`);
    return undefined;
  }

  /** Opens the plan as a Markdown document beside the editor. */
  async explain(plan: Plan, request: RouteRequest, caching?: CachingPlan): Promise<void> {
    const spend = this.router.spend();
    const header = [
      `> Request: tier \`${request.tier}\`${request.fromCommand ? ' (a command)' : ''}, pick ${request.pickedModel ? `\`${request.pickedModel}\`` : '**Auto by task**'}, ~${request.promptTokens} prompt tokens + ${request.maxOutputTokens} output tokens.`,
      `> Decided by: \`${decidedBy(plan) ?? 'nothing (refused)'}\`.`,
      `> Spent so far: ${formatUsd(spend.todayUsd)} today, ${formatUsd(spend.monthUsd)} this month.`,
      ...(request.affinity ? [`> Sticky routing: the last turn was served by \`${request.affinity.provider}\` (${request.affinity.model}).`] : []),
      '',
    ].join('\n');
    const [title = '# Route plan', ...rest] = explainPlan(plan).split('\n');
    const cache = caching ? explainCaching(caching) : [];
    await this.show(`Route plan ${++this.count}.md`, [title, '', header, ...rest, ...cache].join('\n'));
  }

  /** Opens the list of routes as a Markdown document. */
  async showRoutes(): Promise<void> {
    const listed = this.listedRoutes();
    const lines = ['# Switchyard routes', ''];
    if (listed.length === 0) lines.push('No routes yet. Add one with **Switchyard: Add Route**, or in `switchyard.routing.routes`.');
    else {
      lines.push('Pick a route by its name like a model (status bar → model picker, or `switchyard.model`).', '', '| route | strategy | endpoints | from |', '|---|---|---|---|');
      for (const { route, origin, shadows } of listed) {
        const endpoints = route.endpoints.map((e) => `\`${e.model}\`${e.provider ? ` via \`${e.provider}\`` : ''}`).join(', ');
        const from = origin === 'config' ? 'settings (cannot be removed here)' : shadows ? 'added at run time (hides the settings route of this name)' : 'added at run time';
        lines.push(`| \`${route.name}\` | ${route.strategy} | ${endpoints} | ${from} |`);
      }
    }
    await this.show(`Routes ${++this.count}.md`, lines.join('\n'));
  }

  private async show(name: string, text: string): Promise<void> {
    const uri = vscode.Uri.from({ scheme: ROUTE_SCHEME, path: `/${name}` });
    // Keep only the latest few documents in memory.
    if (this.documents.size >= 5) this.documents.delete(this.documents.keys().next().value ?? '');
    this.documents.set(uri.toString(), text);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true });
  }
}
