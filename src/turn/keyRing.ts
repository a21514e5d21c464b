/**
 * The API keys a chat may use, as the routing executor sees them: ids and labels in the order to
 * try them, the secret of one on demand, and a report of what happened with it. The secrets never
 * enter the routing engine; health and selection strategy belong to whoever implements the ring.
 */
import type { KeyOutcome } from '../openrouter/failures';
import type { KeyRef } from '../routing/types';

export type { KeyOutcome };

export interface KeyRing {
  /** The keys this request may use, in the order to try them (strategy applied, cooling keys last). */
  refs(): Promise<readonly KeyRef[]>;
  /** The secret of one key, or undefined when it is gone. */
  secret(id: string): Promise<string | undefined>;
  /** What happened on a request sent with this key (fed by the executor). */
  report(id: string, outcome: KeyOutcome): void;
}
