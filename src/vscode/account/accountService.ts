/**
 * Credits, limits and connectivity of the account: `GET /key` per key (after requests, debounced,
 * and on demand), rate limits seen per model, "Test Connection" (cached 30 s), and what the chat
 * header and the status-bar tooltip show about it.
 */
import * as vscode from 'vscode';
import { creditsSummary, keyCreditsLine, type KeyCredits } from '../../account/credits';
import { RateLimitBook, describeRateLimit } from '../../account/rateLimits';
import { OpenRouterClient } from '../../openrouter/client';
import { FailureError, type Failure } from '../../openrouter/failures';
import type { AccountView } from '../../protocol/messages';
import type { KeyStore } from './keyStore';
import type { Logger } from '../log';

/** After a request, wait this long for more before asking `GET /key` again. */
export const CREDITS_DEBOUNCE_MS = 2_000;
/** Test Connection answers from its cache for this long unless asked to test again. */
export const CONNECTION_CACHE_MS = 30_000;

export type ConnectionState = 'reachable' | 'unauthorized' | 'noKey' | 'offline' | 'error';

export interface ConnectionResult {
  readonly state: ConnectionState;
  /** What to tell the user, e.g. "OpenRouter is reachable (128 ms) and accepts the key "Work"." */
  readonly message: string;
  readonly at: number;
  /** True when this came from the 30 s cache. */
  readonly cached: boolean;
}

export interface AccountDeps {
  readonly keys: KeyStore;
  readonly baseUrl: () => string | undefined;
  readonly clientFor: (apiKey: string) => OpenRouterClient | Failure;
  readonly log: Logger;
  /** Publishes the account view (chat header, status-bar tooltip). */
  readonly publish: (view: AccountView, tooltipLines: readonly string[]) => void;
  readonly now?: () => number;
}

export class AccountService implements vscode.Disposable {
  readonly rateLimits = new RateLimitBook();
  private credits: KeyCredits[] = [];
  private debounce: ReturnType<typeof setTimeout> | undefined;
  private expiry: ReturnType<typeof setTimeout> | undefined;
  private connection: (Omit<ConnectionResult, 'cached'> & { readonly baseUrl: string }) | undefined;
  private refreshing: Promise<void> | undefined;
  /** Which key pays now (KeyStore.paidBy), shown in the chat header and the status item. */
  private paidBy = '';
  signingIn = false;

  constructor(private readonly deps: AccountDeps) {}

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  /** A chat request to `model` ended (with `failure`, or fine): track its rate limit. */
  recordOutcome(model: string, failure?: Failure): void {
    if (!failure) {
      if (this.rateLimits.active(this.now()).some((e) => e.model === model)) {
        this.rateLimits.clear(model);
        this.publish();
      }
      return;
    }
    const entry = this.rateLimits.record(model, failure, this.now());
    if (!entry) return;
    this.deps.log.info(
      `rate limit on ${model} until ${new Date(entry.until).toISOString()}${entry.limit !== undefined ? ` (${entry.remaining ?? 0}/${entry.limit} left)` : ''}`,
    );
    this.publish();
    // Take the line away when the limit ends.
    if (this.expiry) clearTimeout(this.expiry);
    const next = this.rateLimits.active(this.now())[0];
    if (next) this.expiry = setTimeout(() => this.publish(), Math.min(2 ** 31 - 1, next.until - this.now() + 50));
  }

  /** Asks `GET /key` again shortly (requests in a burst make one refresh). */
  scheduleRefresh(delayMs = CREDITS_DEBOUNCE_MS): void {
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = setTimeout(() => void this.refreshCredits(), delayMs);
  }

  /** `GET /key` for every key of the pool, in parallel; then publishes. */
  refreshCredits(): Promise<void> {
    this.refreshing ??= this.fetchCredits().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async fetchCredits(): Promise<void> {
    this.paidBy = await this.deps.keys.paidBy().catch(() => '');
    const listed = await this.deps.keys.list();
    this.credits = await Promise.all(
      listed.map(async (k): Promise<KeyCredits> => {
        const secret = await this.deps.keys.secret(k.id);
        if (!secret) return { label: k.label, error: 'the key is gone' };
        const client = this.deps.clientFor(secret);
        if (!(client instanceof OpenRouterClient)) return { label: k.label, error: client.message };
        try {
          return { label: k.label, info: await client.getKeyInfo() };
        } catch (error) {
          const failure = error instanceof FailureError ? error.failure : undefined;
          return { label: k.label, error: failure ? failure.title : 'could not be read' };
        }
      }),
    );
    this.deps.log.info(`credits: ${creditsSummary(this.credits) || 'none'}`);
    this.publish();
  }

  /** Forgets credits (keys changed); a refresh follows. */
  forgetCredits(): void {
    this.credits = [];
    this.connection = undefined;
    this.publish();
    void this.refreshPaidBy();
  }

  /** Reads again which key pays (the keys or the environment key's acceptance changed), then publishes. */
  async refreshPaidBy(): Promise<void> {
    this.paidBy = await this.deps.keys.paidBy().catch(() => '');
    this.publish();
  }

  view(): AccountView {
    const fmt = (ms: number): string => new Date(ms).toLocaleTimeString();
    return {
      credits: creditsSummary(this.credits),
      details: this.credits.map(keyCreditsLine),
      rateLimits: this.rateLimits.active(this.now()).map((e) => describeRateLimit(e, fmt)),
      signingIn: this.signingIn,
      ...(this.paidBy ? { paidBy: this.paidBy } : {}),
    };
  }

  publish(): void {
    const view = this.view();
    const lines = [
      ...(view.paidBy ? [view.paidBy] : []),
      ...view.details,
      ...view.rateLimits.map((r) => `Rate limit — ${r}`),
    ];
    this.deps.publish(view, lines);
  }

  /**
   * Is OpenRouter reachable, and does it take our keys? `GET /models` (cheap, needs no key) then
   * `GET /key` with every key of the pool (one verdict each). Answers from a 30 s cache unless `bypassCache`.
   */
  async testConnection(bypassCache = false): Promise<ConnectionResult> {
    const baseUrl = this.deps.baseUrl();
    const now = this.now();
    if (
      !bypassCache &&
      this.connection &&
      this.connection.baseUrl === baseUrl &&
      now - this.connection.at < CONNECTION_CACHE_MS
    ) {
      return { state: this.connection.state, message: this.connection.message, at: this.connection.at, cached: true };
    }
    const result = await this.probe(baseUrl);
    if (baseUrl) this.connection = { ...result, baseUrl };
    this.deps.log.info(`test connection: ${result.state} — ${result.message}`);
    return { ...result, cached: false };
  }

  private async probe(baseUrl: string | undefined): Promise<Omit<ConnectionResult, 'cached'>> {
    const at = this.now();
    if (!baseUrl) return { state: 'error', message: 'switchyard.baseUrl is not usable; fix it in the settings.', at };
    const first = await this.deps.keys.get();
    // Without a key the catalogue still answers (it needs none): use a placeholder that is never a secret.
    const client = this.deps.clientFor(first?.key ?? 'no-key');
    if (!(client instanceof OpenRouterClient)) return { state: 'error', message: client.message, at };
    const started = Date.now();
    try {
      await client.ping();
    } catch (error) {
      const f = error instanceof FailureError ? error.failure : undefined;
      if (!f || f.kind === 'network' || f.kind === 'timeout')
        return {
          state: 'offline',
          message: `Cannot reach OpenRouter at ${baseUrl}: ${f?.message ?? String(error)}`,
          at,
        };
      if (f.kind === 'auth')
        return {
          state: 'unauthorized',
          message: `OpenRouter at ${baseUrl} does not accept the key${first ? ` "${first.label}"` : ''}: ${f.message}`,
          at,
        };
      return {
        state: 'error',
        message: `OpenRouter at ${baseUrl} answered with an error: ${f.title} (${f.message})`,
        at,
      };
    }
    const ms = Date.now() - started;
    if (!first) return { state: 'noKey', message: `OpenRouter is reachable (${ms} ms), but no API key is set.`, at };
    const pool = await this.deps.keys.list();
    if (pool.length > 1) return this.probeEach(pool, ms, at);
    try {
      await client.getKeyInfo();
    } catch (error) {
      const f = error instanceof FailureError ? error.failure : undefined;
      if (f?.kind === 'auth')
        return {
          state: 'unauthorized',
          message: `OpenRouter is reachable (${ms} ms) but does not accept the key "${first.label}": ${f.message}`,
          at,
        };
      if (!f || f.kind === 'network' || f.kind === 'timeout')
        return { state: 'offline', message: `OpenRouter stopped answering: ${f?.message ?? String(error)}`, at };
      return {
        state: 'error',
        message: `OpenRouter is reachable (${ms} ms) but the key "${first.label}" could not be checked: ${f.title}`,
        at,
      };
    }
    return {
      state: 'reachable',
      message: `OpenRouter is reachable (${ms} ms) and accepts the key "${first.label}".`,
      at,
    };
  }

  /** Every key of a pool, in its try order: one verdict each, so a dead key behind a good one is seen. */
  private async probeEach(
    pool: readonly { id: string; label: string }[],
    ms: number,
    at: number,
  ): Promise<Omit<ConnectionResult, 'cached'>> {
    const verdicts = await Promise.all(
      pool.map(async (k): Promise<{ label: string; ok: boolean; text: string; offline?: boolean }> => {
        const secret = await this.deps.keys.secret(k.id);
        const client = secret ? this.deps.clientFor(secret) : undefined;
        if (!(client instanceof OpenRouterClient)) return { label: k.label, ok: false, text: 'not readable' };
        try {
          await client.getKeyInfo();
          return { label: k.label, ok: true, text: 'accepted' };
        } catch (error) {
          const f = error instanceof FailureError ? error.failure : undefined;
          if (f?.kind === 'auth') return { label: k.label, ok: false, text: `rejected (${f.message})` };
          if (!f || f.kind === 'network' || f.kind === 'timeout')
            return { label: k.label, ok: false, text: `no answer (${f?.message ?? String(error)})`, offline: true };
          return { label: k.label, ok: false, text: `could not be checked (${f.title})` };
        }
      }),
    );
    const message = `OpenRouter is reachable (${ms} ms). Keys: ${verdicts.map((v) => `"${v.label}" ${v.text}`).join('; ')}.`;
    if (verdicts.every((v) => v.ok)) return { state: 'reachable', message, at };
    if (verdicts.every((v) => v.offline)) return { state: 'offline', message, at };
    return { state: verdicts.some((v) => v.text.startsWith('rejected')) ? 'unauthorized' : 'error', message, at };
  }

  dispose(): void {
    if (this.debounce) clearTimeout(this.debounce);
    if (this.expiry) clearTimeout(this.expiry);
  }
}
