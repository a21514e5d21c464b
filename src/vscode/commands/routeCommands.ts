/**
 * Dynamic routes at run time: "Add Route", "Remove Route", "List Routes". Run-time routes are
 * kept in global state and shadow the ones in `switchyard.routing.routes`, which cannot be removed
 * here. A route's name can then be picked like a model.
 */
import type { ModelInfo } from '../../openrouter/catalogue';
import { notificationText, pickText } from '../../openrouter/untrustedText';
import * as vscode from 'vscode';
import { validateRoute } from '../../routing/routes';
import type { DynamicRoute, RouteEndpoint } from '../../routing/types';
import type { CatalogueService } from '../models/catalogueService';
import type { RoutingService } from '../models/routingService';
import type { SwitchyardSettings } from '../settings/settings';
import { writeModel } from '../settings/settings';

interface ModelItem extends vscode.QuickPickItem {
  readonly id: string;
}

/** What the route commands use. */
export interface RouteCommandDeps {
  readonly routing: RoutingService;
  readonly catalogue: CatalogueService;
  settings(): SwitchyardSettings;
}

export function registerRouteCommands(
  services: RouteCommandDeps,
  register: (id: string, run: () => unknown) => vscode.Disposable,
): vscode.Disposable[] {
  return [
    register('switchyard.addRoute', () => addRoute(services)),
    register('switchyard.removeRoute', () => removeRoute(services)),
    register('switchyard.listRoutes', () => services.routing.showRoutes()),
  ];
}

async function addRoute(services: RouteCommandDeps): Promise<void> {
  const name = await vscode.window.showInputBox({
    title: vscode.l10n.t('Switchyard: Add Route (1/3): name'),
    prompt: vscode.l10n.t('A virtual model name, e.g. "fast" or "research"; pick it later like a model'),
    ignoreFocusOut: true,
    validateInput: (value) =>
      validateRoute({ name: value.trim(), endpoints: [{ model: 'x/y' }], strategy: 'priority' }),
  });
  if (name === undefined) return;
  const models = services.catalogue.current()?.models ?? [];
  const endpoints = models.length > 0 ? await pickEndpoints(services, models) : await typeEndpoints();
  if (!endpoints) return;
  const strategy = await vscode.window.showQuickPick(
    [
      {
        label: 'priority',
        description: vscode.l10n.t('in the order given; the next only when one fails'),
        value: 'priority' as const,
      },
      {
        label: 'loadBalance',
        description: vscode.l10n.t('rotate between them, request by request'),
        value: 'loadBalance' as const,
      },
    ],
    { title: vscode.l10n.t('Switchyard: Add Route (3/3): strategy'), ignoreFocusOut: true },
  );
  if (!strategy) return;
  const route: DynamicRoute = { name: name.trim(), endpoints, strategy: strategy.value };
  const error = await services.routing.addRoute(route);
  if (error) {
    void vscode.window.showErrorMessage(notificationText(`Switchyard: ${error}`));
    return;
  }
  const use = vscode.l10n.t('Use It Now');
  const choice = await vscode.window.showInformationMessage(
    notificationText(
      vscode.l10n.t('Switchyard: route "{0}" added ({1} models, {2}).', route.name, endpoints.length, route.strategy),
    ),
    use,
  );
  if (choice === use) await writeModel(route.name);
}

/** Step 2 of Add Route with a catalogue: models picked one by one (each with its provider step); undefined when cancelled. */
async function pickEndpoints(
  services: RouteCommandDeps,
  models: readonly ModelInfo[],
): Promise<RouteEndpoint[] | undefined> {
  // One model per step, so the order is the order picked; "Done" once there is at least one.
  const endpoints: RouteEndpoint[] = [];
  const done = vscode.l10n.t('$(check) Done');
  for (;;) {
    const chosen = new Set(endpoints.map((e) => e.model));
    const items: ModelItem[] = [
      ...(endpoints.length > 0
        ? [
            { label: done, description: endpoints.map((e) => e.model).join(' → '), id: '' },
            { label: '', kind: vscode.QuickPickItemKind.Separator, id: '' },
          ]
        : []),
      ...models
        .filter((m) => !m.isRouter && !chosen.has(m.id))
        .map((m) => ({ label: pickText(m.name, 120), description: pickText(m.id, 200), id: m.id })),
    ];
    const picked = await vscode.window.showQuickPick<ModelItem>(items, {
      title: vscode.l10n.t('Switchyard: Add Route (2/3): model {0}', endpoints.length + 1),
      placeHolder: endpoints.length
        ? vscode.l10n.t('Add another model (tried after {0}), or pick Done', endpoints.at(-1)!.model)
        : vscode.l10n.t('The first model this route asks'),
      matchOnDescription: true,
      ignoreFocusOut: true,
    });
    if (!picked) return undefined;
    if (!picked.id) break;
    const provider = await pickProvider(services, picked.id);
    if (provider === undefined) return undefined;
    endpoints.push(provider ? { model: picked.id, provider } : { model: picked.id });
  }
  return endpoints;
}

/** Step 2 of Add Route without a catalogue: model ids typed in order ("model@provider" pins one); undefined when cancelled. */
async function typeEndpoints(): Promise<RouteEndpoint[] | undefined> {
  // No catalogue yet: type the ids.
  const typed = await vscode.window.showInputBox({
    title: vscode.l10n.t('Switchyard: Add Route (2/3): models, in order'),
    prompt: vscode.l10n.t('Model ids separated by commas; "model@provider" pins a provider'),
    placeHolder: 'anthropic/claude-sonnet-4, google/gemini-2.5-flash@google-ai-studio',
    ignoreFocusOut: true,
  });
  if (!typed?.trim()) return undefined;
  return typed
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const [model = '', provider] = s.split('@');
      return provider ? { model, provider } : { model };
    });
}

/**
 * The optional provider step of Add Route: "Any provider" (OpenRouter chooses), one of the
 * model's providers (its endpoints, fetched now; none listed when they cannot be), or a typed
 * slug. `''` = any; `undefined` = the user cancelled.
 */
async function pickProvider(services: RouteCommandDeps, model: string): Promise<string | undefined> {
  const router = services.routing.router;
  await router.endpoints.ensure([model], 5_000).catch(() => []);
  const known = router.endpoints.known().get(model) ?? [];
  type Item = vscode.QuickPickItem & { readonly slug?: string; readonly typed?: boolean };
  const items: Item[] = [
    { label: vscode.l10n.t('Any provider'), description: vscode.l10n.t('OpenRouter picks (recommended)'), slug: '' },
    ...known.map((e) => ({ label: pickText(e.tag, 80), description: pickText(e.providerName, 80), slug: e.tag })),
    { label: vscode.l10n.t('$(edit) Type a provider slug…'), typed: true },
  ];
  const picked = await vscode.window.showQuickPick<Item>(items, {
    title: vscode.l10n.t('Switchyard: Add Route: provider for {0} (optional)', model),
    placeHolder: vscode.l10n.t('Pin this model to one provider, or let OpenRouter choose'),
    ignoreFocusOut: true,
  });
  if (!picked) return undefined;
  if (!picked.typed) return picked.slug ?? '';
  const typed = await vscode.window.showInputBox({
    title: vscode.l10n.t('Switchyard: Add Route: provider slug for {0}', model),
    placeHolder: 'e.g. deepinfra, together, google-ai-studio',
    ignoreFocusOut: true,
  });
  return typed === undefined ? undefined : typed.trim();
}

async function removeRoute(services: RouteCommandDeps): Promise<void> {
  const listed = services.routing.listedRoutes();
  if (listed.length === 0) {
    void vscode.window.showInformationMessage(notificationText(vscode.l10n.t('Switchyard: there are no routes.')));
    return;
  }
  const items = listed.map(({ route, origin }) => ({
    label: pickText(route.name, 80),
    description:
      origin === 'config'
        ? vscode.l10n.t('defined in settings: cannot be removed here')
        : pickText(route.endpoints.map((e) => e.model).join(', '), 300),
    name: route.name,
  }));
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Switchyard: Remove Route') });
  if (!picked) return;
  const removed = listed.find((l) => l.route.name === picked.name)?.route;
  const error = await services.routing.removeRoute(picked.name);
  if (error) {
    void vscode.window.showErrorMessage(notificationText(`Switchyard: ${error}`));
    return;
  }
  // A removed route that was in use would be sent as a model id: use its first model instead,
  // unless a settings route of the same name takes over again.
  const stillRouted = services.routing.listedRoutes().some((l) => l.route.name === picked.name);
  const first = removed?.endpoints[0]?.model;
  if (services.settings().model === picked.name && !stillRouted && first) {
    await writeModel(first);
    void vscode.window.showInformationMessage(
      notificationText(vscode.l10n.t('Switchyard: route "{0}" removed; the chat now uses {1}.', picked.name, first)),
    );
    return;
  }
  void vscode.window.showInformationMessage(
    notificationText(vscode.l10n.t('Switchyard: route "{0}" removed.', picked.name)),
  );
}
