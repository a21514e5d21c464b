/** The words of the failover notices the user sees while a plan runs ("gpt-4o rate-limited → trying claude"). */
import type { Failure } from '../openrouter/failures';

/** A model id without its author (`openai/gpt-4o` → `gpt-4o`). */
export const short = (model: string): string => model.slice(model.lastIndexOf('/') + 1);

/** What happened to a model, as the end of "gpt-4o …" (`rate-limited`, `broke off`). */
export function describe(failure: Failure): string {
  if (failure.kind === 'rateLimit' && !failure.retryable) return 'reached its limit';
  if (failure.midStream) return failure.kind === 'rateLimit' ? 'was rate-limited' : 'broke off';
  switch (failure.kind) {
    case 'rateLimit':
      return 'rate-limited';
    case 'timeout':
      return 'timed out';
    case 'server':
      return 'unavailable';
    case 'network':
      return 'unreachable';
    case 'streamBroken':
      return 'broke off';
    case 'contextLength':
      return 'too long for it';
    default:
      return failure.title.toLowerCase();
  }
}

/** `03:15:20` in local time. */
export function clock(ms: number): string {
  const d = new Date(ms);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}
