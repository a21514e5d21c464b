/**
 * The host side of a chat as the extension runs it — {@link ChatSession} with the routing engine,
 * the executor, the real OpenRouter client and a key ring — wired to a fake OpenRouter and to a
 * recording "webview" sink instead of VS Code. Used by the fault matrix and the benchmarks.
 */
import { ChatSession, type ChatSettings } from '../../src/chat/chatSession';
import { HistoryStore } from '../../src/chat/history';
import type { KeyValueStore } from '../../src/turn/env';
import type { ImageStore } from '../../src/chat/images';
import type { KeyRing } from '../../src/turn/keyRing';
import { parseRoutingSettings, type RawRoutingSettings } from '../../src/config/routingSettings';
import type { ModelInfo } from '../../src/openrouter/catalogue';
import { OpenRouterClient } from '../../src/openrouter/client';
import type { HostToWebview } from '../../src/protocol/messages';
import type { ReasoningChoice } from '../../src/openrouter/reasoning';
import type { BreakerBoard } from '../../src/routing/breaker';
import { seededRandom } from '../../src/routing/random';
import { Router, type LedgerStore, type PlanEvent, type RouterTime } from '../../src/routing/router';
import type { SpendLedger } from '../../src/routing/spend';
import { systemTime } from '../../src/routing/systemTime';
import type { RandomSource } from '../../src/routing/types';

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

/** A spend ledger kept in memory (the extension keeps it in global state). */
export class MemoryLedger implements LedgerStore {
  ledger: SpendLedger | undefined;
  get(): SpendLedger | undefined {
    return this.ledger;
  }
  set(next: SpendLedger): void {
    this.ledger = next;
  }
}

/**
 * Time for tests that must not wait: a clock that starts at the wall clock's time of its creation and
 * then moves ONLY by the sleeps the engine asks for; a sleep adds its duration and resolves at once, and
 * is recorded, so a test asserts the waits the engine decided on (`slept`) instead of measuring
 * wall-clock time. It never reads the wall clock again: on a loaded machine seconds of real time pass
 * between a test setting a cooldown and the engine planning (endpoint fetches, the fake's answers), and
 * a clock that moved with them let cooldowns expire behind the test's back. Randomness is seeded.
 */
export class VirtualTime implements RouterTime {
  private at: number;
  /** Every sleep, in ms, in order. */
  readonly slept: number[] = [];
  readonly random: RandomSource;
  constructor(seed = 1, start = Date.now()) {
    this.random = seededRandom(seed);
    this.at = start;
  }
  now = (): number => this.at;
  sleep = async (ms: number, signal: AbortSignal): Promise<void> => {
    if (signal.aborted) return;
    this.slept.push(ms);
    this.at += ms;
    await Promise.resolve();
  };
  /** Total time slept, ms. */
  sleptMs(): number {
    return this.slept.reduce((a, b) => a + b, 0);
  }
}

export interface RouterSetup {
  readonly baseUrl: string;
  readonly models: readonly ModelInfo[];
  /** The key that fetches endpoint lists. */
  readonly apiKey: string;
  readonly routing?: RawRoutingSettings;
  readonly fallbackModels: () => readonly string[];
  readonly time: RouterTime;
  readonly maxWaitMs: number;
  readonly timeoutSeconds: number;
  readonly breakers?: BreakerBoard;
  readonly ledger?: LedgerStore;
  readonly onPlan?: (event: PlanEvent) => void;
}

/** The routing engine as the extension builds it (src/vscode/models/routingService.ts), from test settings and the fake's catalogue. */
export function testRouter(setup: RouterSetup): Router {
  const byId = new Map(setup.models.map((m) => [m.id, m]));
  const parsed = parseRoutingSettings(setup.routing ?? {});
  return new Router({
    policy: () => ({ ...parsed.policy, fallbackModels: setup.fallbackModels(), routes: parsed.routes }),
    models: () => byId,
    fetchEndpoints: (m) =>
      new OpenRouterClient({
        baseUrl: setup.baseUrl,
        apiKey: setup.apiKey,
        timeoutSeconds: setup.timeoutSeconds,
      }).listEndpoints(m),
    ledger: setup.ledger ?? new MemoryLedger(),
    time: setup.time,
    ...(setup.breakers ? { breakers: setup.breakers } : {}),
    endpointWaitMs: 2000,
    maxWaitMs: setup.maxWaitMs,
    ...(setup.onPlan ? { onPlan: setup.onPlan } : {}),
  });
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
  /** The reasoning effort remembered per model (the extension keeps it in ModelPrefs); changed by the session. */
  readonly efforts?: Map<string, ReasoningChoice>;
  /** The client's fetch (to watch a response arrive: test/faults/observedFetch.ts). */
  readonly fetch?: typeof fetch;
  /** Where attached images are kept (default: none, images refused). */
  readonly images?: ImageStore;
  /** The instructions Ask mode sends after the system prompt (the extension's instruction files). */
  readonly instructions?: () => string;
}

export interface RecordedSession {
  readonly session: ChatSession;
  /** Every message the host posted to the webview, in order. */
  readonly posted: HostToWebview[];
  readonly logs: string[];
  readonly store: MemoryStore;
  readonly keyReports: string[];
  readonly router: Router;
}

export function recordedSession(options: SessionOptions): RecordedSession {
  const posted: HostToWebview[] = [];
  const logs: string[] = [];
  const keyReports: string[] = [];
  const store = options.store ?? new MemoryStore();
  const time: RouterTime = { ...systemTime, random: seededRandom(options.seed ?? 1) };
  let id = 0;
  const client = (apiKey: string): OpenRouterClient =>
    new OpenRouterClient({
      baseUrl: options.baseUrl,
      apiKey,
      timeoutSeconds: options.timeoutSeconds,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  const ring: KeyRing = {
    refs: async () => [{ id: 'k1', label: 'key 1' }],
    secret: async () => options.apiKey,
    report: (keyId, outcome) => keyReports.push(`${keyId}:${outcome.ok ? 'ok' : outcome.failure.kind}`),
  };
  const byId = new Map(options.models.map((m) => [m.id, m]));
  const router = testRouter({ ...options, fallbackModels: () => options.settings.fallbackModels, time });
  const session = new ChatSession(
    {
      keys: ring,
      client,
      settings: () => options.settings,
      modelInfo: (m) => byId.get(m),
      reasoningChoice: (m) => options.efforts?.get(m),
      rememberReasoningChoice: async (m, choice) => void options.efforts?.set(m, choice),
      router,
      confirm: async () => false,
      post: (m) => {
        posted.push(m);
        options.onPost?.(m);
      },
      log: { info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(m) },
      newId: () => `m${++id}`,
      now: () => time.now(),
      ...(options.images ? { images: options.images } : {}),
      ...(options.instructions ? { instructions: options.instructions } : {}),
    },
    new HistoryStore(store),
  );
  return { session, posted, logs, store, keyReports, router };
}
