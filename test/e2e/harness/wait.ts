/** Waiting on a positive signal (never a fixed sleep followed by a check). */
import { setTimeout as delay } from 'node:timers/promises';

/**
 * Polls `condition` every `everyMs` (100) until it holds; throws `what` (saying what did not
 * happen) after `timeoutMs`. The condition is checked once more at the deadline.
 */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
  everyMs = 100,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until: ${what}`);
    await delay(everyMs);
  }
}
