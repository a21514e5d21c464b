/** Parses `GET /key` tolerantly into {@link KeyInfo}. */
import { z } from 'zod';
import type { KeyInfo } from './wire';

const nullableNumber = z.number().nullable().optional();

const KeyResponseSchema = z.object({
  data: z.object({
    label: z.string().nullable().optional(),
    limit: nullableNumber,
    limit_remaining: nullableNumber,
    usage: z.number().optional(),
    usage_daily: nullableNumber,
    usage_weekly: nullableNumber,
    usage_monthly: nullableNumber,
    is_free_tier: z.boolean().optional(),
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
