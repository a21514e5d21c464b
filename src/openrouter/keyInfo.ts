/** Parses `GET /key` tolerantly into {@link KeyInfo}. */
import * as z from 'zod/mini';
import type { KeyInfo } from './wire';

const nullableNumber = z.optional(z.nullable(z.number()));

const KeyResponseSchema = z.object({
  data: z.object({
    label: z.optional(z.nullable(z.string())),
    limit: nullableNumber,
    limit_remaining: nullableNumber,
    usage: z.optional(z.number()),
    usage_daily: nullableNumber,
    usage_weekly: nullableNumber,
    usage_monthly: nullableNumber,
    is_free_tier: z.optional(z.boolean()),
  }),
});

export function parseKeyInfo(body: unknown): KeyInfo | undefined {
  const result = KeyResponseSchema.safeParse(body);
  if (!result.success) return undefined;
  const d = result.data.data;
  return {
    ...(d.label ? { label: d.label } : {}),
    limit: d.limit ?? null,
    limitRemaining: d.limit_remaining ?? null,
    usage: d.usage ?? 0,
    ...(typeof d.usage_daily === 'number' ? { usageDaily: d.usage_daily } : {}),
    ...(typeof d.usage_weekly === 'number' ? { usageWeekly: d.usage_weekly } : {}),
    ...(typeof d.usage_monthly === 'number' ? { usageMonthly: d.usage_monthly } : {}),
    isFreeTier: d.is_free_tier ?? false,
  };
}
