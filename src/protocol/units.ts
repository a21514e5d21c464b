/**
 * How amounts and durations are written for people, the same in the host (route plans, budgets,
 * credits, key health) and in the webview (an answer's meta line). Pure functions of numbers:
 * the webview may import them without pulling in zod.
 */

/**
 * USD: `<$0.000001` below a millionth of a dollar, six decimals below a cent (`$0.000123`), four
 * below a dollar (`$0.0123`), then cents (`$1.25`); trailing zeros trimmed down to two decimals
 * (`$0.50`, `$0.00` for zero). Empty for a negative or non-finite value.
 */
export function formatUsd(usd: number): string {
  if (!Number.isFinite(usd) || usd < 0) return '';
  if (usd === 0) return '$0.00';
  if (usd < 0.000001) return '<$0.000001';
  const decimals = usd < 0.01 ? 6 : usd < 1 ? 4 : 2;
  return `$${trimZeros(usd.toFixed(decimals))}`;
}

function trimZeros(fixed: string): string {
  const [whole, fraction = ''] = fixed.split('.');
  let kept = fraction.replace(/0+$/, '');
  if (kept.length < 2) kept = kept.padEnd(2, '0');
  return `${whole}.${kept}`;
}

/**
 * A duration in milliseconds, as precise as it is useful: `420 ms`, `1.2 s`, `14 s`, `4 min`,
 * `3 h` (minutes up to two hours). Empty for a negative or non-finite value.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(Math.round(ms / 100) / 10).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 120) return `${minutes} min`;
  return `${Math.round(minutes / 60)} h`;
}

/** A size in binary units, like the caps it is compared with: `512 B`, `340 KiB`, `1.2 MiB`. */
export function formatBytes(bytes: number): string {
  const trim = (n: number): string => n.toFixed(1).replace(/\.0$/, '');
  if (bytes >= 1024 * 1024) return `${trim(bytes / (1024 * 1024))} MiB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KiB`;
  return `${bytes} B`;
}

/** A compact count: `950`, `1.2k`, `12k`, `128k`, `1M`, `1.5M`. */
export function formatCompact(n: number): string {
  const value = Math.max(0, Math.round(n));
  if (value < 1000) return String(value);
  if (value < 1_000_000) return `${compactDigits(value / 1000)}k`;
  return `${compactDigits(value / 1_000_000)}M`;
}

function compactDigits(x: number): string {
  const rounded = x < 10 ? Math.round(x * 10) / 10 : Math.round(x);
  return String(rounded);
}
