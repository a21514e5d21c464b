/**
 * Credits and limits of the pool's keys (`GET /key` of each) in words: one line for the chat
 * header, one line per key for tooltips. Money is USD, two decimals.
 */
import type { KeyInfo } from '../openrouter/wire';
import { formatUsd as usd } from '../protocol/units';

/** What `GET /key` said for one key, or why it could not say. */
export interface KeyCredits {
  readonly label: string;
  readonly info?: KeyInfo;
  readonly error?: string;
}

/** `$74.50 of $100.00 left` / `$25.50 used, no limit` (+ free tier). */
export function limitText(info: KeyInfo): string {
  const main =
    info.limit === null
      ? `${usd(info.usage)} used, no limit`
      : `${usd(info.limitRemaining ?? Math.max(0, info.limit - info.usage))} of ${usd(info.limit)} left`;
  return info.isFreeTier ? `${main} (free tier)` : main;
}

/** `today $1.20 · week $3.40 · month $25.50` (only the periods OpenRouter reported). */
export function usageText(info: KeyInfo): string {
  const parts: string[] = [];
  if (info.usageDaily !== undefined) parts.push(`today ${usd(info.usageDaily)}`);
  if (info.usageWeekly !== undefined) parts.push(`week ${usd(info.usageWeekly)}`);
  if (info.usageMonthly !== undefined) parts.push(`month ${usd(info.usageMonthly)}`);
  return parts.join(' · ');
}

/** One line per key: `Work: $74.50 of $100.00 left · today $25.50 · week $25.50 · month $25.50`. */
export function keyCreditsLine(k: KeyCredits): string {
  if (!k.info) return `${k.label}: credits unknown${k.error ? ` (${k.error})` : ''}`;
  const usage = usageText(k.info);
  return `${k.label}: ${limitText(k.info)}${usage ? ` · ${usage}` : ''}`;
}

/**
 * The header line. One key: its limit and today's usage. Several: how many keys and the money
 * left on those with a limit. Empty when nothing is known yet.
 */
export function creditsSummary(keys: readonly KeyCredits[]): string {
  const known = keys.filter((k): k is KeyCredits & { info: KeyInfo } => k.info !== undefined);
  if (keys.length === 0) return '';
  if (keys.length === 1) {
    const [only] = keys;
    if (!only!.info) return only!.error ? `Credits unknown: ${only!.error}` : '';
    const today = only!.info.usageDaily !== undefined ? ` · today ${usd(only!.info.usageDaily)}` : '';
    return `${limitText(only!.info)}${today}`;
  }
  const limited = known.filter((k) => k.info.limit !== null);
  const left = limited.reduce((sum, k) => sum + (k.info.limitRemaining ?? 0), 0);
  const total = limited.reduce((sum, k) => sum + (k.info.limit ?? 0), 0);
  const unlimited = known.length - limited.length;
  const parts = [`${keys.length} keys`];
  if (limited.length) parts.push(`${usd(left)} of ${usd(total)} left`);
  if (unlimited) parts.push(`${unlimited} without limit`);
  const today = known.reduce((sum, k) => sum + (k.info.usageDaily ?? 0), 0);
  if (known.some((k) => k.info.usageDaily !== undefined)) parts.push(`today ${usd(today)}`);
  if (known.length < keys.length) parts.push(`${keys.length - known.length} unknown`);
  return parts.join(' · ');
}
