/**
 * The routing engine assembled, once, the same way for the extension and for every test harness:
 * a policy and the catalogue (what the user asked for, what exists), the provider endpoints of
 * the models in play (fetched lazily), the breakers' health, what was spent, the planner
 * ({@link planWithEndpoints} around {@link planRoute}) and the executor ({@link executePlan}).
 * Pure: settings, the catalogue, endpoint fetching, the spend ledger's storage, the clock,
 * randomness and timers are all injected ({@link RouterOptions}).
 */
import type { ModelInfo } from '../openrouter/catalogue';
import type { EndpointInfo } from '../openrouter/endpoints';
import { BreakerBoard, healthFromBreakers } from './breaker';
import { EndpointCache, planWithEndpoints } from './endpointCache';
import { type BackoffOptions, INTERACTIVE_RETRY } from './backoff';
import { executePlan, type Execution, type ExecutorDeps, type WaitReason } from './executor';
import { planRoute } from './plan';
import { addSpend, calendarKeys, spendNow, type SpendLedger } from './spend';
import type { HealthSnapshot, KeyRef, Knowledge, Plan, RandomSource, RouteRequest, RoutingPolicy } from './types';

/** Time and chance as the engine sees them: the real ones in the extension, virtual or seeded in tests. */
export interface RouterTime {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Numbers in [0, 1) (backoff jitter, load balancing). */
  readonly random: RandomSource;
  /** Resolves after `ms` milliseconds, or as soon as `signal` aborts; never rejects. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

/** Where the spend ledger ({@link SpendLedger}) is kept between requests (and restarts). */
export interface LedgerStore {
  get(): SpendLedger | undefined;
  set(next: SpendLedger): void;
}

export interface RouterOptions {
  /** The routing policy now: settings, `fallbackModels` and the effective routes (read per request). */
  readonly policy: () => RoutingPolicy;
  /** The catalogue now, by model id (empty when not loaded yet). */
  readonly models: () => ReadonlyMap<string, ModelInfo>;
  /** `GET /models/{author}/{slug}/endpoints` for one model; rejects when it cannot be fetched. */
  readonly fetchEndpoints: (model: string) => Promise<readonly EndpointInfo[]>;
  readonly ledger: LedgerStore;
  readonly time: RouterTime;
  /** Health shared with other routers (concurrent chats of one window); default: a board of its own. */
  readonly breakers?: BreakerBoard;
  /** How long a plan waits for endpoint lists it does not have yet, ms. Default 2500. */
  readonly endpointWaitMs?: number;
  /** Longest total wait (Retry-After, backoff, cooling) per answer, ms. Default {@link INTERACTIVE_RETRY}'s 10 s. */
  readonly maxWaitMs?: number;
  /** Backoff of same-model retries. Default {@link INTERACTIVE_RETRY}'s (2 retries). */
  readonly backoff?: BackoffOptions;
  /** Sees every plan made (with the endpoint lists fetched for it): logging, explanations, tests. */
  readonly onPlan?: (event: PlanEvent) => void;
}

/** One plan as it was made. */
export interface PlanEvent {
  readonly request: RouteRequest;
  readonly plan: Plan;
  /** Models whose endpoint lists were fetched (in time) for this plan. */
  readonly fetched: readonly string[];
}

/** A wait before the next attempt, as the user sees it: until when (epoch ms), for which model, why. */
export interface VisibleWait {
  readonly untilMs: number;
  readonly model: string;
  readonly reason: string;
}

/** What the caller of {@link Router.execute} supplies: sending, confirming, reporting. The router supplies time, health and the catalogue. */
export type AttemptHooks<R extends { readonly text: string; readonly provider?: string }> = Omit<
  ExecutorDeps<R>,
  'sleep' | 'aborted' | 'now' | 'random' | 'breakers' | 'models'
> & {
  /**
   * A wait begins (shown as a countdown) or, with `undefined`, ends. May return a signal that
   * ends the wait early (the user's **Send now**); the `execute` signal (Stop) always does.
   */
  readonly waiting?: (wait: VisibleWait | undefined) => AbortSignal | undefined;
};

const DEFAULT_ENDPOINT_WAIT_MS = 2500;
const DEFAULT_MAX_WAIT_MS = INTERACTIVE_RETRY.totalWaitMs;

export class Router {
  /** Health of models, providers and keys, learned by the executor. */
  readonly breakers: BreakerBoard;
  /** Provider endpoints of the models in play (cleared when the base URL changes). */
  readonly endpoints: EndpointCache;
  /** Round-robin position per load-balanced route name. */
  private readonly cursor: Record<string, number> = {};

  constructor(private readonly options: RouterOptions) {
    this.breakers = options.breakers ?? new BreakerBoard();
    this.endpoints = new EndpointCache({ now: () => options.time.now(), fetch: options.fetchEndpoints });
  }

  /** The routing policy now (agent tiers read `mode` and `onBudget` from it). */
  policy(): RoutingPolicy {
    return this.options.policy();
  }

  /** What the breakers say now: cooling models, unstable providers, cooling keys. */
  health(): HealthSnapshot {
    return healthFromBreakers(this.breakers.cooling(this.options.time.now()));
  }

  /** USD spent today and this month (local calendar). */
  spend(): { todayUsd: number; monthUsd: number } {
    return spendNow(this.options.ledger.get(), calendarKeys(new Date(this.options.time.now())));
  }

  /** Everything known now, for planning with these keys. */
  knowledge(keys: readonly KeyRef[]): Knowledge {
    return {
      models: this.options.models(),
      endpoints: this.endpoints.known(),
      health: this.health(),
      spend: this.spend(),
      keys,
      routeCursor: { ...this.cursor },
    };
  }

  /**
   * Plans a request. The first plan shows which models are in play; their endpoint lists are
   * fetched (awaited at most `endpointWaitMs`) and the plan is made again with them, so a request
   * no provider can serve is refused before it is sent. `advance` (default true: a plan that will
   * be sent) moves the round-robin of the load-balanced routes in play; an explanation does not.
   * `adjust` changes the policy for this one request (inline completions: latency-first), and
   * `waitMs` overrides `endpointWaitMs` (completions: 0 — lists are fetched for the next request).
   */
  async plan(
    request: RouteRequest,
    keys: readonly KeyRef[],
    options: {
      readonly advance?: boolean;
      readonly adjust?: (policy: RoutingPolicy) => RoutingPolicy;
      readonly waitMs?: number;
    } = {},
  ): Promise<Plan> {
    const policy = options.adjust ? options.adjust(this.options.policy()) : this.options.policy();
    const { plan, fetched, inPlay } = await planWithEndpoints({
      plan: (knowledge) => planRoute(policy, request, knowledge, this.options.time.random),
      knowledge: () => this.knowledge(keys),
      cache: this.endpoints,
      isRouter: (m) => this.options.models().get(m)?.isRouter === true,
      waitMs: options.waitMs ?? this.options.endpointWaitMs ?? DEFAULT_ENDPOINT_WAIT_MS,
    });
    if (options.advance !== false) {
      for (const route of policy.routes)
        if (route.strategy === 'loadBalance' && (request.pickedModel === route.name || inPlay.has(route.name)))
          this.cursor[route.name] = (this.cursor[route.name] ?? 0) + 1;
    }
    this.options.onPlan?.({ request, plan, fetched });
    return plan;
  }

  /**
   * Runs a plan with the executor: time, randomness, breakers and the catalogue come from the
   * router; sending, confirming and reporting from `hooks`. Waits end early when `signal` aborts
   * (the user's Stop). Rejects with a `FailureError` when no attempt succeeds.
   */
  execute<R extends { readonly text: string; readonly provider?: string }>(
    plan: Plan,
    hooks: AttemptHooks<R>,
    signal: AbortSignal,
  ): Promise<Execution<R>> {
    const { time } = this.options;
    const catalogue = this.options.models();
    const models = new Map(
      plan.attempts
        .flatMap((a) => a.body.models ?? [a.body.model])
        .flatMap((m) => {
          const info = catalogue.get(m);
          return info ? [[m, info] as const] : [];
        }),
    );
    const { waiting, ...rest } = hooks;
    const sleep = async (ms: number, why?: WaitReason): Promise<void> => {
      const skip = waiting?.({
        untilMs: time.now() + ms,
        model: why?.model ?? '',
        reason: why?.reason ?? 'before the next attempt',
      });
      try {
        await time.sleep(ms, skip ? AbortSignal.any([signal, skip]) : signal);
      } finally {
        waiting?.(undefined);
      }
    };
    return executePlan(
      plan,
      {
        ...rest,
        sleep,
        aborted: () => signal.aborted,
        now: () => time.now(),
        random: time.random,
        breakers: this.breakers,
        models,
      },
      {
        maxWaitMs: this.options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS,
        backoff: this.options.backoff ?? INTERACTIVE_RETRY.backoff,
        ...(plan.perRequestBudgetUsd !== undefined ? { perRequestBudgetUsd: plan.perRequestBudgetUsd } : {}),
      },
    );
  }

  /** Adds what an answer cost (USD, from `usage.cost`) to today's and this month's spend. */
  recordSpend(usd: number): void {
    this.options.ledger.set(addSpend(this.options.ledger.get(), usd, calendarKeys(new Date(this.options.time.now()))));
  }
}
