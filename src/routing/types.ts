/**
 * The routing engine's vocabulary: what the user asked for (a {@link RoutingPolicy} and a
 * {@link RouteRequest}), what is known ({@link Knowledge}) and what the engine decides (a
 * {@link Plan}). Pure data: no `vscode`, no clocks, no randomness.
 */
import type { ModelInfo } from '../openrouter/catalogue';
import type { EndpointInfo } from '../openrouter/endpoints';
import type { ProviderPreferences } from '../openrouter/wire';

/** A routing tier a command asks for (`chat`, `edit`, `fast`, `reasoning`, `vision`, …). */
export type Tier = string;

/** `auto`: tiers, free-first and fallbacks. `manual`: exactly the picked / pinned model, never a fallback. */
export type RoutingMode = 'auto' | 'manual';

/**
 * What happens when a budget would be crossed. `downgrade`: a cheaper candidate that fits (for an
 * agent task, the remaining steps move to a cheaper tool-capable model: src/agent/taskBudget.ts).
 */
export type OnBudget = 'block' | 'warn' | 'downgradeToFree' | 'ask' | 'downgrade';

/** Capacity strategy (seed 000), compiled into provider fields, never sent verbatim. */
export type CapacityStrategy = 'shared' | 'byokFirst' | 'byokOnly';

/** A throughput (tokens/s) or latency (s) preference: one number or percentile cut-offs. */
export type PercentilePreference =
  number | { readonly p50?: number; readonly p75?: number; readonly p90?: number; readonly p99?: number };

/**
 * The `provider` object as it goes on the wire: OpenRouter's {@link ProviderPreferences} plus the
 * reorder-only performance preferences. `max_price` is in USD per **million** tokens.
 */
export interface WireProvider extends ProviderPreferences {
  readonly preferred_min_throughput?: PercentilePreference;
  readonly preferred_max_latency?: PercentilePreference;
}

/**
 * The user's provider settings: every wire field, plus the `:nitro` / `:floor` shortcuts.
 * `variant` compiles to `sort` (`nitro` → `throughput`, `floor` → `price`) — never to a model
 * suffix — and an explicit `sort` wins over it.
 */
export interface ProviderSettings extends WireProvider {
  readonly variant?: 'nitro' | 'floor';
}

/** One endpoint of a dynamic route: a model, optionally pinned to one provider slug. */
export interface RouteEndpoint {
  readonly model: string;
  readonly provider?: string;
}

/** A named virtual model (`research`, `fast`) → endpoints, tried in order or load-balanced. */
export interface DynamicRoute {
  readonly name: string;
  readonly endpoints: readonly RouteEndpoint[];
  /** `priority`: declared order. `loadBalance`: rotated (round-robin via {@link Knowledge.routeCursor}). */
  readonly strategy: 'priority' | 'loadBalance';
}

/** Fallback rules: a fallback never silently costs more than the user allowed. */
export interface FallbackPolicy {
  /** Drop fallbacks whose worst-case cost exceeds the primary's. */
  readonly onlyCheaper: boolean;
  /** Keep pricier fallbacks, but only as attempts that need the user's confirmation. */
  readonly askBeforeUpgrade: boolean;
}

/** Spending limits in USD. Absent = no limit. */
export interface Budgets {
  readonly perRequestUsd?: number;
  readonly perDayUsd?: number;
  readonly perMonthUsd?: number;
}

/** Everything the user configured that shapes a route. */
export interface RoutingPolicy {
  readonly mode: RoutingMode;
  /** Pins every tier to one model (used exactly in manual mode). */
  readonly preferredModel?: string;
  /** Pins every tier to one provider slug; never overrides a capability constraint. */
  readonly preferredProvider?: string;
  readonly tiers: Readonly<Record<Tier, readonly string[]>>;
  readonly freeFirst: boolean;
  readonly fallbackModels: readonly string[];
  readonly fallback: FallbackPolicy;
  readonly provider: ProviderSettings;
  readonly capacity: { readonly strategy: CapacityStrategy; readonly byokProviders: readonly string[] };
  readonly budgets: Budgets;
  readonly onBudget: OnBudget;
  /** Run-time routes first (they shadow config-defined ones with the same name). */
  readonly routes: readonly DynamicRoute[];
}

/** One request to route. */
export interface RouteRequest {
  readonly tier: Tier;
  /**
   * The status-bar pick; absent under **Auto by task**. A chat message uses it before anything
   * else; a command uses it only when `preferredModel` and its tier's models are not set.
   */
  readonly pickedModel?: string;
  /** True when a command sent it (its `tier` is the command's own); false/absent for a chat message. */
  readonly fromCommand?: boolean;
  /** The model to use when Auto by task is picked and no tier (nor `chat`) is configured. */
  readonly byTaskDefault?: string;
  readonly promptTokens: number;
  readonly maxOutputTokens: number;
  readonly needsVision: boolean;
  readonly needsTools: boolean;
  /** OpenRouter's web plugin goes with the request: its fee ({@link ONLINE_SEARCH_USD}) is added to every attempt's worst case. */
  readonly webSearch?: boolean;
  /** Request parameters that will be sent (checked against `require_parameters`); `tools` is implied by `needsTools`. */
  readonly parameters?: readonly string[];
  /** The provider (as the response named it) that served this conversation's last turn (sticky routing), until an upstream error. */
  readonly affinity?: { readonly model: string; readonly provider: string };
}

export type { EndpointInfo };

/** What the executor has learned recently. All lists are of ids / slugs. */
export interface HealthSnapshot {
  /** Models whose breaker is open: placed last, not dropped. */
  readonly coolingModels?: readonly string[];
  /** Provider slugs with significant outages in the last 30 s. */
  readonly unstableProviders?: readonly string[];
}

/** One API key of the pool, by id (the secret never enters the engine). */
export interface KeyRef {
  readonly id: string;
  readonly label: string;
}

/** Everything known when planning. */
export interface Knowledge {
  readonly models: ReadonlyMap<string, ModelInfo>;
  /** Endpoints per model id, when fetched (lazily); absent = not known yet. */
  readonly endpoints: ReadonlyMap<string, readonly EndpointInfo[]>;
  readonly health: HealthSnapshot;
  readonly spend: { readonly todayUsd: number; readonly monthUsd: number };
  readonly keys: readonly KeyRef[];
  /** Round-robin cursor per load-balanced route name (the caller advances it). */
  readonly routeCursor?: Readonly<Record<string, number>>;
}

/** The routing part of a request body; the executor adds messages, stream, max_tokens… */
export interface AttemptBody {
  readonly model: string;
  /** Ordered models, the primary first; present only when there is more than one. */
  readonly models?: readonly string[];
  readonly provider?: WireProvider;
}

/** One complete request the executor may send. */
export interface Attempt {
  readonly keyId: string;
  readonly body: AttemptBody;
  /** Highest worst-case cost among the models this attempt may be billed for. */
  readonly worstCaseUsd: number;
  /** Set when the user must confirm first (a pricier fallback, or `onBudget: 'ask'`). */
  readonly needsConfirmation?: string;
}

/** Why a candidate (or one of its providers) was placed or dropped. */
export interface Decision {
  readonly model: string;
  readonly provider?: string;
  readonly verdict: 'placed' | 'excluded';
  /** A stable rule name, e.g. `capability.vision`, `fallback.onlyCheaper`. */
  readonly rule: string;
  readonly detail: string;
}

/** A refusal before sending. */
export interface Refusal {
  readonly rule: string;
  readonly reason: string;
}

/**
 * The route: attempts in order (the first sends OpenRouter's `models` list; the rest are one per
 * candidate for client-side failover), the reason behind every choice, and the worst case.
 */
export interface Plan {
  readonly attempts: readonly Attempt[];
  readonly decisions: readonly Decision[];
  readonly refusal?: Refusal;
  readonly warnings: readonly string[];
  /** What the compiler changed and why (e.g. ":nitro compiled to sort"). */
  readonly notes: readonly string[];
  /** Worst-case cost of the first attempt in USD. */
  readonly worstCaseUsd: number;
  /** The per-request budget the executor must respect across attempts (absent with `warn` or none). */
  readonly perRequestBudgetUsd?: number;
}

/** A source of numbers in [0, 1). */
export type RandomSource = () => number;
