/**
 * A {@link KeyRing} of the one key the {@link KeyStore} holds (SecretStorage, else the
 * `OPENROUTER_API_KEY` environment variable). Failures of that key are logged; there is no other
 * key to fail over to.
 */
import type { KeyOutcome, KeyRing } from '../chat/keyRing';
import type { KeyRef } from '../routing/types';
import type { KeyStore } from './keyStore';
import type { Logger } from './log';

const ID = 'default';

export class SingleKeyRing implements KeyRing {
  constructor(private readonly store: KeyStore, private readonly log: Logger) {}

  async refs(): Promise<readonly KeyRef[]> {
    const found = await this.store.get();
    if (!found) return [];
    return [{ id: ID, label: found.source === 'environment' ? 'OPENROUTER_API_KEY' : 'API key' }];
  }

  async secret(id: string): Promise<string | undefined> {
    return id === ID ? (await this.store.get())?.key : undefined;
  }

  report(_id: string, outcome: KeyOutcome): void {
    if (!outcome.ok && (outcome.failure.kind === 'auth' || outcome.failure.kind === 'credits')) this.log.warn(`the API key was refused: ${outcome.failure.title}`);
  }
}
