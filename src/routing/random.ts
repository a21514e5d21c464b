/** A small seeded pseudo-random source, so every routing decision is reproducible. */
import type { RandomSource } from './types';

/**
 * mulberry32: a fast 32-bit PRNG. The same seed always yields the same sequence of numbers in
 * [0, 1). Not for cryptography.
 */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
