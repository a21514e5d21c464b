/**
 * The host side of a chat as the extension runs it — {@link ChatSession} with the routing engine,
 * the executor, the real OpenRouter client and a key ring — wired to a fake OpenRouter and to a
 * recording "webview" sink instead of VS Code. Used by the fault matrix and the benchmarks.
 */
import { ChatSession, type ChatSettings } from '../../src/chat/chatSession';
import { HistoryStore, type KeyValueStore } from '../../src/chat/conversation';
import type { KeyRing } from '../../src/chat/keyRing';
import { parseRoutingSettings, type RawRoutingSettings } from '../../src/config/routingSettings';
import type { ModelInfo } from '../../src/openrouter/catalogue';
import { OpenRouterClient } from '../../src/openrouter/client';
import type { HostToWebview } from '../../src/protocol/messages';
import { BreakerBoard } from '../../src/routing/breaker';
import { EndpointCache, planWithEndpoints } from '../../src/routing/endpointCache';
import { planRoute } from '../../src/routing/plan';
import { seededRandom } from '../../src/routing/random';

/** A Memento stand-in that copies on the way in and out, like VS Code's workspace state. */
export class MemoryStore implements KeyValueStore {
  readonly data = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return structuredClone(this.data.get(key)) as T | undefined;
  }
  async update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.data.delete(key);
    else this.data.set(key, structuredClone(value));
  }
}

export interface SessionOptions {
  readonly baseUrl: string;
  readonly models: readonly ModelInfo[];
  readonly apiKey: string;
  readonly settings: ChatSettings;
  readonly routing?: RawRoutingSettings;
  /** Client idle timeout (first byte, between chunks), seconds. */
  readonly timeoutSeconds: number;
  /** Longest total wait for retries and cooldowns per answer. */
  readonly maxWaitMs: number;
  /** Shared by concurrent sessions, like the extension's one board. */
  readonly breakers?: BreakerBoard;
  readonly store?: MemoryStore;
  readonly seed?: number;
  /** Sees every message as it is posted (to press Stop at the right moment). */
  readonly onPost?: (message: HostToWebview) => void;
}

export interface RecordedSession {
  readonly session: ChatSession;
  /** Every message the host posted to the webview, in order. */
  readonly posted: HostToWebview[];
  readonly logs: string[];
  readonly store: MemoryStore;
  readonly keyReports: string[];
}

export function recordedSession(options: SessionOptions): RecordedSession {
  const posted: HostToWebview[] = [];
  const logs: string[] = [];
  const keyReports: string[] = [];
  const store = options.store ?? new MemoryStore();
  const random = seededRandom(options.seed ?? 1);
  let id = 0;
  const client = (apiKey: string): OpenRouterClient => new OpenRouterClient({ baseUrl: options.baseUrl, apiKey, timeoutSeconds: options.timeoutSeconds });
  const ring: KeyRing = {
    refs: async () => [{ id: 'k1', label: 'key 1' }],
    secret: async () => options.apiKey,
    report: (keyId, outcome) => keyReports.push(`${keyId}:${outcome.ok ? 'ok' : outcome.failure.kind}`),
  };
  const endpoints = new EndpointCache({ now: () => Date.now(), fetch: (m) => client(options.apiKey).listEndpoints(m) });
  const byId = new Map(options.models.map((m) => [m.id, m]));
  const parsed = parseRoutingSettings(options.routing ?? {});
  const session = new ChatSession(
    {
      keys: ring,
      client,
      settings: () => options.settings,
      modelInfo: (m) => byId.get(m),
      route: async (request, keys) => {
        const policy = { ...parsed.policy, fallbackModels: options.settings.fallbackModels, routes: parsed.routes };
        const { plan } = await planWithEndpoints({
          plan: (knowledge) => planRoute(policy, request, knowledge, random),
          knowledge: () => ({ models: byId, endpoints: endpoints.known(), health: {}, spend: { todayUsd: 0, monthUsd: 0 }, keys }),
          cache: endpoints,
          isRouter: (m) => byId.get(m)?.isRouter === true,
          waitMs: 2000,
        });
        return plan;
      },
      confirm: async () => false,
      recordSpend: () => undefined,
      breakers: options.breakers ?? new BreakerBoard(),
      maxWaitMs: options.maxWaitMs,
      post: (m) => {
        posted.push(m);
        options.onPost?.(m);
      },
      log: { info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(m) },
      newId: () => `m${++id}`,
      now: () => Date.now(),
    },
    new HistoryStore(store),
  );
  return { session, posted, logs, store, keyReports };
}
