/** Refreshing the model catalogue from OpenRouter: failures only log (the chat works without a catalogue). */
import { OpenRouterClient } from '../../openrouter/client';
import type { Failure } from '../../openrouter/failures';
import type { CatalogueService } from './catalogueService';
import type { Logger } from '../log';

export interface CatalogueRefreshDeps {
  readonly catalogue: CatalogueService;
  /** A client for the current key, or why there is none (then nothing is fetched). */
  readonly client: () => Promise<OpenRouterClient | Failure>;
  readonly log: Logger;
}

/** `now`: fetch whatever the cache says (after a sign-in); `ifStale`: only when missing or older than 24 h. */
export async function refreshCatalogue(
  deps: CatalogueRefreshDeps,
  when: 'now' | 'ifStale',
  why?: string,
): Promise<void> {
  const client = await deps.client();
  if (!(client instanceof OpenRouterClient)) return;
  await (when === 'now' ? deps.catalogue.refresh(client) : deps.catalogue.ensureFresh(client)).catch((error: unknown) =>
    deps.log.warn(
      `catalogue refresh${why ? ` ${why}` : ''} failed: ${error instanceof Error ? error.message : String(error)}`,
    ),
  );
}
