/** Waiting on a positive signal (never a fixed sleep followed by a check). */
import { setTimeout as delay } from 'node:timers/promises';

/**
 * Default timeout for one UI step: VS Code's own UI on a 2-core machine at load 20 can take tens
 * of seconds to answer, so a minute (bounded; a passing step never waits it out).
 */
export const STEP_TIMEOUT_MS = 60_000;

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

/**
 * Awaits `wait` (a wait that may rightly run out: a picker that stays open, a toast that may be
 * gone already); true when it happened. When it ran out, says so on stderr with the time it
 * cost, so waits that always run out show in a run's output and can be replaced by a signal.
 */
export async function settled(wait: Promise<unknown>, what: string): Promise<boolean> {
  const started = Date.now();
  try {
    await wait;
    return true;
  } catch {
    console.error(`[e2e] waited ${Date.now() - started} ms for ${what}, which did not happen`);
    return false;
  }
}
