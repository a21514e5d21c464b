/**
 * A turn-layer environment for tests and benchmarks that send through one client: every key id
 * resolves to the same key, key reports and spend records are kept for assertions.
 */
import type { OpenRouterClient } from '../../src/openrouter/client';
import type { KeyOutcome } from '../../src/openrouter/failures';
import type { TurnEnv } from '../../src/turn/env';

export interface RecordingTurnEnv extends TurnEnv {
  /** Every USD amount recorded in the spend ledger, in order. */
  readonly spent: number[];
  readonly reports: { readonly keyId: string; readonly outcome: KeyOutcome }[];
}

/** A {@link TurnEnv} whose key ring has one key and whose client is `client`. */
export function turnEnvWith(client: Pick<OpenRouterClient, 'streamChat' | 'generationCost'>): RecordingTurnEnv {
  const spent: number[] = [];
  const reports: { keyId: string; outcome: KeyOutcome }[] = [];
  const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
  return {
    spent,
    reports,
    keys: {
      refs: async () => [{ id: 'k', label: 'k' }],
      secret: async () => 'sk-or-v1-test',
      report: (keyId, outcome) => reports.push({ keyId, outcome }),
    },
    client: () => client as OpenRouterClient,
    router: { recordSpend: (usd) => spent.push(usd) },
    modelInfo: () => undefined,
    confirm: async () => false,
    log: quiet,
  };
}
