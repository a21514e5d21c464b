/**
 * OpenRouter clients on the configured base URL: one for a given key, one for the current key, and
 * the endpoints lookup with the first key of the ring. A bad base URL or no key is a `Failure`
 * the caller shows, never a throw.
 */
import { OpenRouterClient } from '../../openrouter/client';
import type { EndpointInfo } from '../../openrouter/endpoints';
import { configFailure, noKeyFailure, type Failure } from '../../openrouter/failures';
import type { KeyRing } from '../../turn/keyRing';
import type { SwitchyardSettings } from '../settings/settings';

/** The key ring, and the current key (KeyStore). */
export type ClientKeys = KeyRing & { get(): Promise<{ readonly key: string } | undefined> };

export class Clients {
  /** `recordOutcome`: each answer's outcome, for the key's and model's health (AccountService). */
  constructor(
    private readonly settings: () => SwitchyardSettings,
    private readonly keys: ClientKeys,
    private readonly recordOutcome: (model: string, failure?: Failure) => void,
  ) {}

  /** A client for the current key (or `keyOverride`), or why there cannot be one. */
  async current(keyOverride?: string): Promise<OpenRouterClient | Failure> {
    const settings = this.settings();
    if (!settings.baseUrl.ok) return configFailure(settings.baseUrl.message);
    const key = keyOverride ?? (await this.keys.get())?.key;
    if (!key) return noKeyFailure();
    return this.forKey(key);
  }

  /** A client for one key and the configured base URL, or why there cannot be one. */
  forKey(apiKey: string): OpenRouterClient | Failure {
    const settings = this.settings();
    if (!settings.baseUrl.ok) return configFailure(settings.baseUrl.message);
    return new OpenRouterClient({
      baseUrl: settings.baseUrl.url,
      apiKey,
      timeoutSeconds: settings.timeoutSeconds,
      onOutcome: (model, failure) => this.recordOutcome(model, failure),
    });
  }

  /** `GET /models/{author}/{slug}/endpoints` with the first key of the ring. */
  async endpoints(model: string): Promise<readonly EndpointInfo[]> {
    const [first] = await this.keys.refs();
    const secret = first ? await this.keys.secret(first.id) : undefined;
    if (!secret) throw new Error('no key');
    const client = this.forKey(secret);
    if (!(client instanceof OpenRouterClient)) throw new Error(client.message);
    return client.listEndpoints(model);
  }
}
