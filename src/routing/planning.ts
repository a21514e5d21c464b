/** The state one planning (src/routing/plan.ts) carries through its phases, and the phases' result type. */
import type { Candidate } from './candidates';
import type { CompiledProvider } from './providers';
import type { Decision, Knowledge, RandomSource, Refusal, RouteRequest, RoutingPolicy, WireProvider } from './types';

/** Slack for comparing USD amounts computed from per-token prices. */
export const EPSILON = 1e-12;

export interface Scored {
  readonly candidate: Candidate;
  readonly provider?: WireProvider;
  readonly worst: number;
  readonly priceKnown: boolean;
  readonly free: boolean;
  readonly remainingProviders?: readonly string[];
  confirm?: string;
  placedRule: string;
}

/** One planning: its inputs, and what the phases have decided and noticed so far. */
export interface Planning {
  readonly policy: RoutingPolicy;
  readonly request: RouteRequest;
  readonly knowledge: Knowledge;
  readonly random: RandomSource;
  readonly compiled: CompiledProvider;
  readonly decisions: Decision[];
  readonly warnings: string[];
  /** Facts worth knowing that are not problems (how an unknown price was resolved…). */
  readonly notes: string[];
  /** Why candidates had no provider left (a refusal names them when nothing survives). */
  readonly providerProblems: string[];
}

/** Highest per-token prices (USD) a candidate may be billed at, and its providers' likely order when known. */
export interface Prices {
  readonly promptPrice: number;
  readonly completionPrice: number;
  readonly remainingProviders?: string[];
}

/** A phase either passes on the candidates still in the running or refuses the request. */
export type Phase = Scored[] | Refusal;
export const refused = (result: Phase): result is Refusal => !Array.isArray(result);
