/** Reordering and reshaping the attempts still queued in a running plan (src/routing/executor.ts). */
import type { Attempt } from './types';

/**
 * When the head of the queue is cooling, brings forward the first usable attempt that is not, or
 * else the one whose cooldown ends first: when everything is cooling, wait for the earliest expiry.
 */
export function preferReady(
  queue: Attempt[],
  usable: (a: Attempt) => boolean,
  cooling: (a: Attempt) => number | undefined,
): void {
  const head = queue[0];
  if (!head || cooling(head) === undefined) return;
  let best = -1;
  let bestUntil = Number.POSITIVE_INFINITY;
  queue.forEach((a, i) => {
    if (!usable(a)) return;
    const until = cooling(a) ?? Number.NEGATIVE_INFINITY;
    if (until < bestUntil) {
      best = i;
      bestUntil = until;
    }
  });
  if (best > 0) queue.unshift(...queue.splice(best, 1));
}

/** A retry of a grouped attempt goes to its primary model alone. */
export function stripGroup(attempt: Attempt): Attempt {
  if (!attempt.body.models) return attempt;
  const { models: _models, ...body } = attempt.body;
  return { ...attempt, body };
}
