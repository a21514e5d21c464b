/**
 * The models Switchyard offers VS Code's chat (`provideLanguageModelChatInformation`): Switchyard
 * Auto (the router's plan for each request, by tier), the model picked in Switchyard with its
 * fallbacks, each named route and each favourite — with the context length, output limit and
 * tool / image capability the catalogue gives. Pure: settings and the catalogue are passed in.
 */
import { AUTO_BY_TASK, AUTO_BY_TASK_DEFAULT } from '../config/defaults';
import { DEFAULT_CONTEXT_LENGTH, type ModelInfo } from '../openrouter/catalogue';
import { pickText } from '../openrouter/untrustedText';
import type { DynamicRoute, Tier } from '../routing/types';

/** The id of Switchyard Auto in VS Code's model list. */
export const AUTO_MODEL_ID = 'auto';
const ROUTE_PREFIX = 'route:';
const MODEL_PREFIX = 'model:';

/** What a VS Code model id stands for: the router's own choice, one OpenRouter model, or a named route. */
export type LmTarget =
  | { readonly kind: 'auto' }
  | { readonly kind: 'model'; readonly model: string }
  | { readonly kind: 'route'; readonly name: string };

/** `LanguageModelChatInformation` as plain data. */
export interface LmModelEntry {
  readonly id: string;
  readonly name: string;
  readonly family: string;
  readonly version: string;
  readonly detail?: string;
  readonly tooltip: string;
  readonly maxInputTokens: number;
  readonly maxOutputTokens: number;
  readonly capabilities: { readonly imageInput: boolean; readonly toolCalling: boolean };
}

export interface ModelListInput {
  readonly lookup: (id: string) => ModelInfo | undefined;
  /** `switchyard.model` (a model id, a route name, or Auto by task). */
  readonly picked: string;
  readonly fallbackModels: readonly string[];
  readonly routes: readonly DynamicRoute[];
  readonly favourites: readonly string[];
  readonly tiers: Readonly<Record<Tier, readonly string[]>>;
  /** `switchyard.maxOutputTokens`: the most one answer may write. */
  readonly maxOutputTokens: number;
}

/** The target of a VS Code model id (undefined: not one of ours). */
export function targetOf(id: string): LmTarget | undefined {
  if (id === AUTO_MODEL_ID) return { kind: 'auto' };
  if (id.startsWith(ROUTE_PREFIX) && id.length > ROUTE_PREFIX.length)
    return { kind: 'route', name: id.slice(ROUTE_PREFIX.length) };
  if (id.startsWith(MODEL_PREFIX) && id.length > MODEL_PREFIX.length)
    return { kind: 'model', model: id.slice(MODEL_PREFIX.length) };
  return undefined;
}

/** The models offered, in order: Auto, the pick, routes, favourites (each once). */
export function languageModelEntries(input: ModelListInput): LmModelEntry[] {
  const routeNames = new Set(input.routes.map((r) => r.name));
  const out: LmModelEntry[] = [autoEntry(input)];
  const seen = new Set<string>([AUTO_MODEL_ID]);
  const add = (entry: LmModelEntry): void => {
    if (seen.has(entry.id)) return;
    seen.add(entry.id);
    out.push(entry);
  };
  if (input.picked && input.picked !== AUTO_BY_TASK) {
    const route = input.routes.find((r) => r.name === input.picked);
    add(
      route
        ? routeEntry(route, input, 'your pick in Switchyard')
        : modelEntry(input.picked, input, pickedDetail(input)),
    );
  }
  for (const route of input.routes) add(routeEntry(route, input));
  for (const id of input.favourites) if (!routeNames.has(id)) add(modelEntry(id, input, 'favourite'));
  return out;
}

function pickedDetail(input: ModelListInput): string {
  const fallbacks = input.fallbackModels.filter((m) => m !== input.picked);
  return fallbacks.length
    ? `your pick · then ${fallbacks.map((m) => pickText(m, 60)).join(', ')}`
    : 'your pick in Switchyard';
}

/** Output limit and input room of one catalogue model, as a request to it would use them. */
function limits(
  info: ModelInfo | undefined,
  maxOutputTokens: number,
): { maxInputTokens: number; maxOutputTokens: number } {
  const context = info?.contextLength ?? DEFAULT_CONTEXT_LENGTH;
  const out = Math.max(
    1,
    Math.min(maxOutputTokens, info?.maxCompletionTokens ?? Number.POSITIVE_INFINITY, Math.floor(context / 2)),
  );
  return { maxInputTokens: Math.max(1, context - out), maxOutputTokens: out };
}

/** Capabilities of a set of models: what at least one of them offers (the router picks a capable one per request); routers offer both. */
function capabilities(infos: readonly (ModelInfo | undefined)[]): LmModelEntry['capabilities'] {
  const known = infos.filter((i): i is ModelInfo => i !== undefined);
  return {
    imageInput: known.some((i) => i.isRouter || i.supportsVision),
    toolCalling: known.some((i) => i.isRouter || i.supportsTools),
  };
}

/** The smallest limits among models (a request may go to any of them). */
function smallestLimits(infos: readonly (ModelInfo | undefined)[], maxOutputTokens: number): ReturnType<typeof limits> {
  const all = (infos.length ? infos : [undefined]).map((i) => limits(i, maxOutputTokens));
  return {
    maxInputTokens: Math.min(...all.map((l) => l.maxInputTokens)),
    maxOutputTokens: Math.min(...all.map((l) => l.maxOutputTokens)),
  };
}

function autoEntry(input: ModelListInput): LmModelEntry {
  // Chat and agent requests go by their tier; without one, OpenRouter's own router.
  const models = [...new Set([...(input.tiers.chat ?? []), ...(input.tiers.agent ?? [])])];
  const inPlay = (models.length ? models : [AUTO_BY_TASK_DEFAULT]).map(input.lookup);
  const names = models.length ? models.map((m) => pickText(m, 60)).join(', ') : 'OpenRouter Auto Router';
  return {
    id: AUTO_MODEL_ID,
    name: 'Switchyard Auto',
    family: 'switchyard',
    version: '1',
    detail: 'routed by task',
    tooltip: `Switchyard's router picks the model for each request by its tier (chat, or agent when tools are offered): ${names}. Fallbacks, provider preferences and budgets apply.`,
    ...smallestLimits(inPlay, input.maxOutputTokens),
    capabilities: { imageInput: true, toolCalling: true, ...(models.length ? capabilities(inPlay) : {}) },
  };
}

function modelEntry(id: string, input: ModelListInput, detail: string): LmModelEntry {
  const info = input.lookup(id);
  const chain = [id, ...input.fallbackModels.filter((m) => m !== id)];
  return {
    id: `${MODEL_PREFIX}${id}`,
    name: pickText(info?.name ?? id, 80),
    family: id,
    version: id,
    detail,
    tooltip: `${pickText(id, 120)} through Switchyard: ${
      chain.length > 1
        ? `falls back to ${chain
            .slice(1)
            .map((m) => pickText(m, 60))
            .join(', ')}`
        : 'no fallbacks set'
    }; provider preferences and budgets apply.`,
    ...limits(info, input.maxOutputTokens),
    capabilities: info ? capabilities([info]) : { imageInput: false, toolCalling: true },
  };
}

function routeEntry(route: DynamicRoute, input: ModelListInput, detail?: string): LmModelEntry {
  const infos = route.endpoints.map((e) => input.lookup(e.model));
  const endpoints = route.endpoints.map((e) => pickText(e.provider ? `${e.model}@${e.provider}` : e.model, 80));
  return {
    id: `${ROUTE_PREFIX}${route.name}`,
    name: `Route ${pickText(route.name, 60)}`,
    family: 'switchyard-route',
    version: route.name,
    detail: detail ?? `${route.strategy === 'loadBalance' ? 'load-balanced' : 'in order'}: ${endpoints.join(', ')}`,
    tooltip: `Switchyard route "${pickText(route.name, 60)}": ${endpoints.join(' → ')}.`,
    ...smallestLimits(infos, input.maxOutputTokens),
    capabilities: infos.some((i) => i) ? capabilities(infos) : { imageInput: false, toolCalling: true },
  };
}
