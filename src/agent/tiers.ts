/**
 * Routing tiers of agent work: `plan` (plan mode), `act` (steps that edit and run), `explore`
 * (subagents: read-only search) and `compact` (summarising an old transcript). Each tier is set in
 * `switchyard.agent.models` to `"auto"`, `"picked"` or a model id:
 * - `"picked"`: the status-bar pick (what a chat message would use);
 * - `"auto"`: `plan` and `act` use the pick; `explore` and `compact` use the cheapest tool-capable
 *   models of the catalogue with enough context (64K for `explore`; 128K for `compact`), never one
 *   whose price is above the pick's — so "auto" never makes a step dearer than the pick;
 * - a model id: that model.
 *
 * The pick always overrides: with `routing.mode: "manual"` every tier uses exactly the pick (or
 * `routing.preferredModel`), and a model named for a tier that the catalogue knows as not
 * tool-capable falls back to the pick (said in the reason).
 *
 * This module only says which model(s) a tier asks for and why; the routing engine (src/routing/)
 * plans the request like any other — providers, fallbacks, capabilities, budgets — through
 * {@link tierRoute}. Pure.
 */
import type { ModelInfo } from '../openrouter/catalogue';
import type { RouteRequest, RoutingPolicy } from '../routing/types';

/** The routing tier of agent requests (a `switchyard.routing.tiers.agent` list applies when set). */
export const AGENT_TIER = 'agent';

export const AGENT_TIERS = ['plan', 'act', 'explore', 'compact'] as const;
export type AgentTier = (typeof AGENT_TIERS)[number];

/** `switchyard.agent.models`: per tier, `"auto"`, `"picked"` or a model id. */
export type TierModels = Readonly<Record<AgentTier, string>>;

export const DEFAULT_TIER_MODELS: TierModels = { plan: 'auto', act: 'auto', explore: 'auto', compact: 'auto' };

/** The routing tier name a tier's requests carry (`agent.explore`…), so Explain and the log can tell them apart. */
export const routingTierName = (tier: AgentTier): string => `agent.${tier}`;

/** Least context (tokens) of an automatic choice per tier. */
export const TIER_MIN_CONTEXT: Readonly<Record<AgentTier, number>> = {
  plan: 0,
  act: 0,
  explore: 64_000,
  compact: 128_000,
};

/** How many catalogue models an automatic choice hands the router (the first is tried first; the rest are its fallbacks). */
const AUTO_CANDIDATES = 3;

/** A typical step's size, to compare prices of prompt-heavy agent steps. */
const TYPICAL_PROMPT_TOKENS = 8000;
const TYPICAL_OUTPUT_TOKENS = 800;

/** Which models a tier asks for and why. */
export interface TierChoice {
  readonly tier: AgentTier;
  /** The models, in order, that the router is asked to route between (the first is the tier's choice). */
  readonly models: readonly string[];
  /** Where the choice came from. */
  readonly source: 'picked' | 'setting' | 'catalogue';
  /** One line for the step card and Explain: "explore tier: cheapest tool-capable model with ≥ 64K context". */
  readonly reason: string;
}

export interface TierInput {
  readonly tier: AgentTier;
  /** The tier's `switchyard.agent.models` value. */
  readonly setting: string;
  /** The status-bar pick (`switchyard.model`). */
  readonly pickedModel: string;
  readonly catalogue: ReadonlyMap<string, ModelInfo>;
  /** `routing.mode` is `manual`: exactly the pick, every tier. */
  readonly manual?: boolean;
}

/** What a typical step on this model costs (USD), or undefined when its price is not known (routers, missing). */
export function typicalStepUsd(info: ModelInfo | undefined): number | undefined {
  if (!info || info.isRouter || info.promptPrice < 0 || info.completionPrice < 0) return undefined;
  return info.promptPrice * TYPICAL_PROMPT_TOKENS + info.completionPrice * TYPICAL_OUTPUT_TOKENS;
}

const contextLabel = (tokens: number): string => `${Math.round(tokens / 1000)}K`;

/**
 * Tool-capable, paid models (free ones are rate-limited per day and often weak at tool calls) with
 * at least `minContext` tokens, cheapest typical step first; only those no dearer than `ceilingUsd`.
 */
export function cheapToolModels(
  catalogue: ReadonlyMap<string, ModelInfo>,
  minContext: number,
  ceilingUsd?: number,
  exclude: ReadonlySet<string> = new Set(),
): ModelInfo[] {
  const priced = [...catalogue.values()].flatMap((info) => {
    const usd = typicalStepUsd(info);
    if (usd === undefined || info.isFree || !info.supportsTools || info.contextLength < minContext) return [];
    if (exclude.has(info.id) || (ceilingUsd !== undefined && usd > ceilingUsd)) return [];
    return [{ info, usd }];
  });
  priced.sort((a, b) => a.usd - b.usd || a.info.id.localeCompare(b.info.id));
  return priced.map((p) => p.info);
}

const picked = (input: TierInput, why: string): TierChoice => ({
  tier: input.tier,
  models: [input.pickedModel],
  source: 'picked',
  reason: `${input.tier} tier: ${why}`,
});

/** Which model(s) a tier asks for, and why (see the module comment for the rules). */
export function resolveTier(input: TierInput): TierChoice {
  const { tier, catalogue, pickedModel } = input;
  const setting = input.setting.trim() || 'auto';
  if (input.manual) return picked(input, 'manual routing uses exactly the picked model');
  if (setting === 'picked') return picked(input, 'the picked model (switchyard.agent.models)');
  if (setting !== 'auto') {
    const info = catalogue.get(setting);
    if (info && !info.supportsTools)
      return picked(input, `${setting} (switchyard.agent.models) cannot call tools, so the picked model`);
    return { tier, models: [setting], source: 'setting', reason: `${tier} tier: ${setting} (switchyard.agent.models)` };
  }
  if (tier === 'plan' || tier === 'act') return picked(input, 'the picked model');
  const minContext = TIER_MIN_CONTEXT[tier];
  const pickInfo = catalogue.get(pickedModel);
  const ceiling = typicalStepUsd(pickInfo);
  const cheap = cheapToolModels(catalogue, minContext, ceiling).slice(0, AUTO_CANDIDATES);
  if (cheap.length === 0 || cheap[0]?.id === pickedModel)
    return picked(
      input,
      `the picked model (no cheaper tool-capable model with ≥ ${contextLabel(minContext)} context in the catalogue)`,
    );
  return {
    tier,
    models: cheap.map((m) => m.id),
    source: 'catalogue',
    reason: `${tier} tier: cheapest tool-capable model with ≥ ${contextLabel(minContext)} context`,
  };
}

/**
 * The route request and policy change of a tier's step: a pick goes as the pick (sticky routing,
 * fallbacks and budgets as for chat); any other choice goes as the tier's own model list
 * (`agent.explore` …), which the router treats like a command's tier — its capabilities,
 * providers, budgets and `fallbackModels` still apply, and `routing.preferredModel` still pins it.
 */
export function tierRoute(
  choice: TierChoice,
  base: Omit<RouteRequest, 'tier' | 'pickedModel' | 'fromCommand'>,
): { request: RouteRequest; adjust?: (policy: RoutingPolicy) => RoutingPolicy } {
  if (choice.source === 'picked')
    return { request: { ...base, tier: 'agent', ...(choice.models[0] ? { pickedModel: choice.models[0] } : {}) } };
  const tier = routingTierName(choice.tier);
  return {
    request: { ...base, tier, fromCommand: true },
    adjust: (policy) => ({ ...policy, tiers: { ...policy.tiers, [tier]: choice.models } }),
  };
}
