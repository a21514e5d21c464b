/**
 * What the turn layer needs from its host, and the small conversation core chat and agent share:
 * keys, a client per key, the router, the catalogue, the remembered reasoning effort, a log, and
 * (for a conversation) posting to the webview, ids and the clock. Pure: the extension passes
 * VS Code-backed implementations, tests pass fakes.
 */
import type { ModelInfo } from '../openrouter/catalogue';
import type { OpenRouterClient } from '../openrouter/client';
import type { Failure } from '../openrouter/failures';
import type { ReasoningChoice } from '../openrouter/reasoning';
import type { HostToWebview } from '../protocol/messages';
import type { Router } from '../routing/router';
import type { KeyRing } from './keyRing';

export interface TurnLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** What one turn (a chat answer, an agent step, a completion) is sent with. */
export interface TurnEnv {
  /** The API keys a request may use (the executor fails over between them on 401/402). */
  readonly keys: KeyRing;
  /** A client for one key and the configured base URL, or the failure that prevents one. */
  client(apiKey: string): OpenRouterClient | Failure;
  /** The routing engine: keeps the spend ledger (and, for {@link RoutedTurnEnv}, runs plans). */
  readonly router: Pick<Router, 'recordSpend'>;
  modelInfo(id: string): ModelInfo | undefined;
  /** The reasoning effort remembered for a model (undefined = the model's default). */
  reasoningChoice?(model: string): ReasoningChoice | undefined;
  /** Asks the user before a request that needs confirmation (a pricier model, a budget); true = go. */
  confirm(question: string): Promise<boolean>;
  readonly log: TurnLogger;
}

/** A turn sent through the router's executor (failover, breakers, waits): chat answers and agent steps. */
export interface RoutedTurnEnv extends TurnEnv {
  readonly router: Pick<Router, 'execute' | 'recordSpend'>;
}

/** The subset of VS Code's Memento a conversation keeps itself in (structural, so tests can pass a Map). */
export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

/** `switchyard.*` settings every conversation reads. */
export interface ConversationSettings {
  readonly model: string;
  readonly fallbackModels: readonly string[];
  readonly maxOutputTokens: number;
  /** `switchyard.webSearch.default`: "Search the web" starts on for each message. */
  readonly webSearchDefault?: boolean;
}

/** A conversation (the chat, an agent task) on top of the turn layer: the view, ids, the clock. */
export interface ConversationEnv extends RoutedTurnEnv {
  /** The full routing engine (conversations plan their own requests). */
  readonly router: Router;
  settings(): ConversationSettings;
  /** Ask mode: the project's and the user's instructions, sent after the system prompt ('' for none). */
  instructions?(): string;
  post(message: HostToWebview): void;
  newId(): string;
  now(): number;
}
