/**
 * The real clock, `Math.random` and Node's abortable timer as a {@link RouterTime}: what the
 * extension hands the router (tests hand it a virtual or seeded one).
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { RouterTime } from './router';

export const systemTime: RouterTime = {
  now: () => Date.now(),
  random: Math.random,
  // An abort (already happened, or during the wait) ends the wait early; it is not an error here.
  sleep: (ms, signal) => delay(ms, undefined, { signal }).catch(() => undefined),
};
