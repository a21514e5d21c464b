/**
 * The figures of a `usage` object (stream or non-stream) and of a `GET /generation` record: tokens,
 * prompt-cache tokens and cost. Every amount is read with one rule, {@link usageAmount}: a finite,
 * non-negative number (or a number written as text); anything else — null, missing, negative,
 * NaN, words — is unknown, never 0 (the cache discount alone may be negative: {@link signedAmount}). An unknown cost is not free: the turn looks the generation up,
 * else counts the attempt's worst case as an estimate (src/turn/spend.ts).
 *
 * BYOK (`is_byok: true`): `usage.cost` is only OpenRouter's fee; the provider's charge is
 * `cost_details.upstream_inference_cost`, or the sum of `upstream_inference_prompt_cost` and
 * `upstream_inference_completions_cost` when only those are given. When neither is known the
 * answer's cost is unknown (not the fee alone). Pure.
 */
import type { WireUsage } from './wire';

/** A finite number, or a decimal number written as text (a sign allowed); else undefined. */
export function signedAmount(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\s*-?\d+(\.\d+)?([eE][-+]?\d+)?\s*$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

/** A finite, non-negative amount (USD or tokens), or a decimal number written as text; else undefined. */
export function usageAmount(value: unknown): number | undefined {
  const n = signedAmount(value);
  return n !== undefined && n >= 0 ? n : undefined;
}

/** The provider's charge of a BYOK answer: `upstream_inference_cost`, else its prompt + completions parts. */
function upstreamCost(details: unknown): number | undefined {
  if (typeof details !== 'object' || details === null) return undefined;
  const d = details as Record<string, unknown>;
  const whole = usageAmount(d.upstream_inference_cost);
  if (whole !== undefined) return whole;
  const prompt = usageAmount(d.upstream_inference_prompt_cost);
  const completions = usageAmount(d.upstream_inference_completions_cost);
  return prompt !== undefined && completions !== undefined ? prompt + completions : undefined;
}

/**
 * What the user paid for one answer (issue 11 §5): `usage.cost`; for BYOK, OpenRouter's fee plus
 * the provider's charge, both kept. Nothing (unknown) when the cost, or a BYOK answer's provider
 * charge, is not known.
 */
export function paidCost(usage: WireUsage | null | undefined): {
  cost?: number;
  costSplit?: { fee: number; upstream: number };
} {
  const fee = usageAmount(usage?.cost);
  if (fee === undefined) return {};
  if (usage?.is_byok !== true) return { cost: fee };
  const upstream = upstreamCost(usage.cost_details);
  return upstream === undefined ? {} : { cost: fee + upstream, costSplit: { fee, upstream } };
}

/** The cost in a `GET /generation` body: `data.total_cost`, plus `data.upstream_inference_cost` when `data.is_byok` (unknown without it). */
export function generationCostOf(body: unknown): number | undefined {
  const data = typeof body === 'object' && body !== null ? (body as { data?: unknown }).data : undefined;
  if (typeof data !== 'object' || data === null) return undefined;
  const d = data as Record<string, unknown>;
  const total = usageAmount(d.total_cost);
  if (total === undefined || d.is_byok !== true) return total;
  const upstream = usageAmount(d.upstream_inference_cost);
  return upstream === undefined ? undefined : total + upstream;
}

/** Token counts of a usage object, each only when known. */
export function usageTokens(usage: WireUsage | null | undefined): {
  promptTokens?: number;
  completionTokens?: number;
  reasoningTokens?: number;
} {
  const prompt = usageAmount(usage?.prompt_tokens);
  const completion = usageAmount(usage?.completion_tokens);
  const reasoning = usageAmount(usage?.completion_tokens_details?.reasoning_tokens);
  return {
    ...(prompt !== undefined ? { promptTokens: prompt } : {}),
    ...(completion !== undefined ? { completionTokens: completion } : {}),
    ...(reasoning ? { reasoningTokens: reasoning } : {}),
  };
}

/** Prompt-cache figures of a usage object: only the ones reported as known amounts. */
export function cacheUsage(usage: WireUsage | null | undefined): {
  cachedTokens?: number;
  cacheWriteTokens?: number;
  cacheDiscount?: number;
} {
  const read = usageAmount(usage?.prompt_tokens_details?.cached_tokens);
  const write = usageAmount(usage?.prompt_tokens_details?.cache_write_tokens);
  // A discount may be negative (writes cost more than reads saved), and text like any amount.
  const discount = signedAmount(usage?.cache_discount);
  return {
    ...(read !== undefined ? { cachedTokens: read } : {}),
    ...(write !== undefined ? { cacheWriteTokens: write } : {}),
    ...(discount !== undefined ? { cacheDiscount: discount } : {}),
  };
}
