/** The routing engine's public surface (pure: no `vscode`, no network, no clock, seeded randomness). */
export * from './types';
export { seededRandom } from './random';
export { listCandidates, isFreeModel, findRoute, type Candidate, type CandidateList, type CandidateSource } from './candidates';
export { planRoute, worstCaseUsd, capabilityProblem, formatUsd, predictProviderOrder } from './plan';
export { compileProvider, checkEndpoints, endpointMatches, endpointSlugs, type CompiledProvider, type EndpointCheck, type EndpointVerdict } from './providers';
export { defaultProviderOrder, loadBalanceWeight, balancedFromEndpoints, type BalancedProvider } from './loadBalance';
export { CircuitBreaker, BreakerBoard, DEFAULT_BREAKER, targetKey, keyKey, waitForCoolingMs, type BreakerOptions, type BreakerState } from './breaker';
export { backoffCeilingMs, backoffDelayMs, nextBackoffMs, backoffSchedule, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
export { classifyFailure, remainingModels, type ClassifyOptions, type FailureVerdict, type NextStep } from './classify';
export { explainPlan } from './explain';
export { effectiveRoutes, listRoutes, validateRoute, addRoute, removeRoute, type ListedRoute } from './routes';
