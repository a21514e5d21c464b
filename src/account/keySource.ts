/**
 * Which key pays, and whether the environment's `OPENROUTER_API_KEY` may: a key found in the
 * editor's environment (a shell profile, a dev container, a CI secret) is used only after the user
 * accepted that very key once (`switchyard.environmentKey` "ask", the default), always ("use") or
 * never ("ignore"). Acceptance is remembered as a fingerprint, never the key. Pure.
 */
import { createHash } from 'node:crypto';

export type EnvironmentKeyPolicy = 'ask' | 'use' | 'ignore';

/** A short one-way fingerprint of a key (SHA-256, 16 hex digits): recognises it, cannot be used as it. */
export function keyFingerprint(key: string): string {
  return createHash('sha256').update(key.trim(), 'utf8').digest('hex').slice(0, 16);
}

/** Whether the environment's key may pay, given the policy and the fingerprints the user accepted. */
export function environmentKeyUsable(
  key: string | undefined,
  policy: EnvironmentKeyPolicy,
  accepted: readonly string[],
): boolean {
  if (!key?.trim() || policy === 'ignore') return false;
  return policy === 'use' || accepted.includes(keyFingerprint(key));
}

/** The first key of the try order, as the chat and the status item name it. */
export interface PayingKey {
  readonly label: string;
  readonly source: 'secretStorage' | 'environment';
}

/**
 * One short line (it fits a narrow side bar) naming the key that pays the next request:
 * `Key: "API key" (stored)`, `Key: "Work" (pool, first of 3, failover)`,
 * `Key: OPENROUTER_API_KEY (environment)`, or that none does.
 */
export function paidByLine(
  first: PayingKey | undefined,
  poolSize: number,
  strategy: string,
  environmentWaiting = false,
): string {
  if (!first) return environmentWaiting ? 'No key in use (OPENROUTER_API_KEY not accepted yet)' : 'No key in use';
  if (first.source === 'environment') return 'Key: OPENROUTER_API_KEY (environment)';
  const label = JSON.stringify(first.label.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').slice(0, 60));
  return poolSize > 1 ? `Key: ${label} (pool, first of ${poolSize}, ${strategy})` : `Key: ${label} (stored)`;
}
