/**
 * Builds the extension's one {@link Router} from VS Code: the policy from settings (plus the
 * run-time routes kept in global state), the catalogue, endpoint fetching, the spend ledger in
 * global state, the real clock; and shows the route documents ("Explain Route", "List Routes")
 * rendered in VS Code's Markdown preview.
 */
import * as vscode from 'vscode';
import type { ModelInfo } from '../../openrouter/catalogue';
import type { EndpointInfo } from '../../openrouter/endpoints';
import {
  explainPlan,
  planningDocument,
  planningFailedDocument,
  type ExplainCaching,
  type ExplainContext,
} from '../../routing/explain';
import { redactSecrets } from '../../openrouter/secrets';
import { routesDocument } from '../../routing/routesDocument';
import { addRoute, effectiveRoutes, listRoutes, removeRoute, type ListedRoute } from '../../routing/routes';
import { Router } from '../../routing/router';
import { systemTime } from '../../routing/systemTime';
import { parseStoredRoutes } from '../../config/routingSettings';
import type { SpendLedger } from '../../routing/spend';
import type { DynamicRoute, KeyRef, Plan, RouteRequest, RoutingPolicy } from '../../routing/types';
import type { CatalogueService } from './catalogueService';
import type { Logger } from '../log';
import { readRoutingSettings } from '../settings/settings';

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
/** The one "Explain Route" document and the one "List Routes" document (re-running updates them). */
const PLAN_URI = vscode.Uri.from({ scheme: ROUTE_SCHEME, path: '/Route plan.md' });
const ROUTES_URI = vscode.Uri.from({ scheme: ROUTE_SCHEME, path: '/Routes.md' });

/** What Explain Route renders: a plan and what it was made for. */
export interface ExplainInput {
  readonly plan: Plan;
  readonly request: RouteRequest;
  readonly bodyFor: ExplainContext['bodyFor'];
  readonly keys: readonly KeyRef[];
  readonly caching?: ExplainCaching;
}

export class RoutingService implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly documents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly routesChanged = new vscode.EventEmitter<void>();
  /** Fires after a run-time route is added or removed (settings routes change through the configuration). */
  readonly onDidChangeRoutes = this.routesChanged.event;
  private readonly registration: vscode.Disposable;
  /** The routing engine every chat request goes through. */
  readonly router: Router;

  constructor(private readonly deps: RoutingDeps) {
    this.registration = vscode.Disposable.from(
      vscode.workspace.registerTextDocumentContentProvider(ROUTE_SCHEME, this),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('switchyard.routing.routes')) void this.refreshRoutes();
      }),
    );
    this.router = new Router({
      policy: () => this.policy(),
      models: () => deps.catalogue.current()?.byId ?? NO_MODELS,
      fetchEndpoints: deps.fetchEndpoints,
      ledger: {
        get: () => deps.state.get<SpendLedger>(LEDGER_KEY),
        set: (next) => void deps.state.update(LEDGER_KEY, next),
      },
      time: systemTime,
      onPlan: ({ fetched }) => {
        if (fetched.length > 0) deps.log.info(`route: provider endpoints of ${fetched.join(', ')} fetched`);
      },
    });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return (
      this.documents.get(uri.toString()) ??
      '# Switchyard\n\nThis document is no longer available: run the command again.'
    );
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
    this.routesChanged.dispose();
  }

  policy(): RoutingPolicy {
    const { policy, routes, problems } = readRoutingSettings();
    this.deps.report(problems);
    return {
      ...policy,
      fallbackModels: this.deps.fallbackModels(),
      routes: effectiveRoutes(routes, this.runtimeRoutes()),
    };
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
    this.routesChanged.fire();
    await this.refreshRoutes();
    this.deps.log.info(
      `route "${route.name}" added: ${route.endpoints.map((e) => (e.provider ? `${e.model}@${e.provider}` : e.model)).join(', ')} (${route.strategy})`,
    );
    return undefined;
  }

  /** Removes a run-time route; config-defined routes cannot be removed. */
  async removeRoute(name: string): Promise<string | undefined> {
    const result = removeRoute(readRoutingSettings().routes, this.runtimeRoutes(), name);
    if ('error' in result) return result.error;
    await this.deps.state.update(ROUTES_KEY, result.routes);
    this.routesChanged.fire();
    await this.refreshRoutes();
    this.deps.log.info(`route "${name}" removed`);
    return undefined;
  }

  /**
   * Shows the plan of the next message rendered (Markdown preview) beside the editor: the request,
   * candidates, exclusions, each attempt's key by label and its body as it would be sent
   * (messages elided), budgets and what the spend figures count. Re-running updates the same view.
   */
  async explain(next: ExplainInput): Promise<void> {
    await this.show(PLAN_URI, this.explainText(next));
  }

  /**
   * Explain Route while the plan is still being made: the preview opens at once with what is known
   * (the title and the spend figures) and fills in when the plan arrives — or says why it could not.
   */
  async explainPlanning(next: Promise<ExplainInput>): Promise<void> {
    const shown = this.show(PLAN_URI, planningDocument({ spend: this.router.spend() }));
    let text: string;
    try {
      text = this.explainText(await next);
    } catch (error) {
      this.deps.log.warn(`Explain Route: could not plan the route: ${String(error)}`);
      text = planningFailedDocument(redactSecrets(error instanceof Error ? error.message : String(error)));
    }
    await shown;
    await this.update(PLAN_URI, text);
  }

  private explainText(next: ExplainInput): string {
    return explainPlan(next.plan, {
      request: next.request,
      bodyFor: next.bodyFor,
      keys: next.keys,
      spend: this.router.spend(),
      ...(next.caching ? { caching: next.caching } : {}),
    });
  }

  /** Shows the list of routes rendered; an open list follows Add Route and Remove Route. */
  async showRoutes(): Promise<void> {
    await this.show(ROUTES_URI, routesDocument(this.listedRoutes()));
  }

  /** Re-renders the routes document when it has been shown (the preview follows the document). */
  private async refreshRoutes(): Promise<void> {
    if (this.documents.has(ROUTES_URI.toString())) await this.update(ROUTES_URI, routesDocument(this.listedRoutes()));
  }

  /** Replaces a shown document's text; its preview re-renders. */
  private async update(uri: vscode.Uri, text: string): Promise<void> {
    this.documents.set(uri.toString(), text);
    // Loaded again first: VS Code may have unloaded a document no editor shows, and only a loaded one is re-read.
    await vscode.workspace.openTextDocument(uri);
    this.changed.fire(uri);
  }

  /**
   * Opens `uri` (holding `text`) in VS Code's Markdown preview beside the editor, the way a
   * rendered README opens; falls back to the Markdown source when the built-in Markdown
   * extension is disabled. The preview's strict security applies (no scripts); names in the text
   * are escaped by src/routing/markdown.ts.
   */
  private async show(uri: vscode.Uri, text: string): Promise<void> {
    const key = uri.toString();
    const shown = this.documents.has(key);
    this.documents.set(key, text);
    if (shown) this.changed.fire(uri);
    try {
      await vscode.commands.executeCommand('markdown.showPreviewToSide', uri);
    } catch (error) {
      this.deps.log.warn(`Markdown preview unavailable (${String(error)}); showing the source`);
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
      await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true });
    }
  }
}
