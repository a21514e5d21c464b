/**
 * Dynamic routes (seed 002): named virtual models added, removed and listed at run time. Run-time
 * routes shadow config-defined ones of the same name; config-defined routes cannot be removed.
 * Pure value operations: the caller persists the run-time list.
 */
import { quoted } from '../openrouter/untrustedText';
import type { DynamicRoute } from './types';

/** A route as listed, with where it comes from and whether a config route hides behind it. */
export interface ListedRoute {
  readonly route: DynamicRoute;
  readonly origin: 'config' | 'runtime';
  /** A run-time route that hides a config route of the same name. */
  readonly shadows: boolean;
}

/** The routes the planner sees (`RoutingPolicy.routes`): run-time first, so they shadow config ones. */
export function effectiveRoutes(config: readonly DynamicRoute[], runtime: readonly DynamicRoute[]): DynamicRoute[] {
  const names = new Set(runtime.map((r) => r.name));
  return [...runtime, ...config.filter((r) => !names.has(r.name))];
}

/** Every route by name, run-time ones marked, for the "list routes" command. */
export function listRoutes(config: readonly DynamicRoute[], runtime: readonly DynamicRoute[]): ListedRoute[] {
  const configNames = new Set(config.map((r) => r.name));
  const runtimeNames = new Set(runtime.map((r) => r.name));
  return [
    ...runtime.map((route) => ({ route, origin: 'runtime' as const, shadows: configNames.has(route.name) })),
    ...config
      .filter((r) => !runtimeNames.has(r.name))
      .map((route) => ({ route, origin: 'config' as const, shadows: false })),
  ].sort((a, b) => (a.route.name < b.route.name ? -1 : a.route.name > b.route.name ? 1 : 0));
}

/** Why a route cannot be added, or undefined when it is valid. */
export function validateRoute(route: DynamicRoute): string | undefined {
  // Names and models may come from a cloned repository's settings: always quoted (inert, capped).
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(route.name))
    return `Route name ${quoted(route.name, 60)} must be letters, digits, ".", "_" or "-" (no "/": it would look like a model id).`;
  if (route.endpoints.length === 0) return `Route ${quoted(route.name, 60)} needs at least one endpoint.`;
  const bad = route.endpoints.find((e) => !e.model.includes('/'));
  if (bad) return `Route ${quoted(route.name, 60)}: ${quoted(bad.model, 80)} is not a model id (author/slug).`;
  return undefined;
}

/** Adds (or replaces) a run-time route; returns the new run-time list or an error. */
export function addRoute(
  runtime: readonly DynamicRoute[],
  route: DynamicRoute,
): { readonly routes: readonly DynamicRoute[] } | { readonly error: string } {
  const error = validateRoute(route);
  if (error) return { error };
  return { routes: [...runtime.filter((r) => r.name !== route.name), route] };
}

/** Removes a run-time route. A config-defined route cannot be removed (only shadowed). */
export function removeRoute(
  config: readonly DynamicRoute[],
  runtime: readonly DynamicRoute[],
  name: string,
): { readonly routes: readonly DynamicRoute[] } | { readonly error: string } {
  if (!runtime.some((r) => r.name === name)) {
    return {
      error: config.some((r) => r.name === name)
        ? `Route ${quoted(name, 60)} is defined in settings and cannot be removed at run time.`
        : `No route named ${quoted(name, 60)}.`,
    };
  }
  return { routes: runtime.filter((r) => r.name !== name) };
}
