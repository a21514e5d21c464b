/**
 * The key pool in SecretStorage: every key with its label, in one namespaced secret
 * (`switchyard.keys.v1`, a JSON list, so adding or removing a key is one atomic write). Keys are
 * trimmed, never empty, never logged (each is registered for redaction as soon as it is read).
 * A key stored by earlier versions (`switchyard.openrouter.apiKey`) moves into the pool as the
 * first key, labelled "API key". When the pool is empty, `OPENROUTER_API_KEY` is used — only once
 * the user accepted that key (`switchyard.environmentKey`, account/keySource.ts; the acceptance is
 * a fingerprint in global state), and "Clear API Key" withdraws that acceptance, so clearing never
 * hands over to the environment's key silently.
 *
 * It is also the {@link KeyRing} the executor uses: order from the pure {@link KeyPool}
 * (`switchyard.keys.strategy`, cooling keys last), secrets on demand, outcomes into its health.
 */
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { KeyPool, uniqueLabel, type KeyStrategy, type PoolKey } from '../../account/keyPool';
import { environmentKeyUsable, keyFingerprint, paidByLine, type EnvironmentKeyPolicy } from '../../account/keySource';
import type { KeyOutcome, KeyRing } from '../../turn/keyRing';
import { maskKey } from '../../openrouter/secrets';
import type { KeyRef } from '../../routing/types';
import { registerSecretForRedaction, type Logger } from '../log';

export const POOL_SECRET_ID = 'switchyard.keys.v1';
export const LEGACY_SECRET_ID = 'switchyard.openrouter.apiKey';
/** The label of the key "Set API Key" stores and replaces. */
export const DEFAULT_LABEL = 'API key';
/** The id of the `OPENROUTER_API_KEY` stand-in (only when nothing is stored). */
export const ENV_KEY_ID = 'env';
/** Global state: fingerprints of the environment keys the user accepted. */
export const ACCEPTED_ENV_KEYS = 'switchyard.acceptedEnvironmentKeys.v1';

export type KeySource = 'secretStorage' | 'environment';

interface StoredKey {
  readonly id: string;
  readonly label: string;
  readonly key: string;
  readonly addedAt: number;
}

/** A key as lists show it: never the secret, only its mask. */
export interface KeyListing {
  readonly id: string;
  readonly label: string;
  readonly masked: string;
  readonly source: KeySource;
}

function parsePool(raw: string | undefined): StoredKey[] | undefined {
  if (raw === undefined) return undefined;
  try {
    const data = JSON.parse(raw) as { keys?: unknown };
    if (!Array.isArray(data.keys)) return [];
    return data.keys.flatMap((k: unknown) => {
      const r = k as Partial<StoredKey>;
      const key = typeof r.key === 'string' ? r.key.trim() : '';
      if (!key || typeof r.id !== 'string' || !r.id) return [];
      return [
        {
          id: r.id,
          label: typeof r.label === 'string' && r.label.trim() ? r.label.trim() : DEFAULT_LABEL,
          key,
          addedAt: typeof r.addedAt === 'number' ? r.addedAt : 0,
        },
      ];
    });
  } catch {
    return [];
  }
}

export class KeyStore implements KeyRing, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly reported = new vscode.EventEmitter<{ readonly id: string; readonly outcome: KeyOutcome }>();
  /** After every outcome the executor reports (for a debounced credits refresh). */
  readonly onDidReport = this.reported.event;
  readonly pool: KeyPool;
  private readonly subscription: vscode.Disposable;
  private cache: Promise<StoredKey[]> | undefined;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly log: Logger,
    private readonly strategy: () => KeyStrategy = () => 'failover',
    private readonly now: () => number = () => Date.now(),
    /** Where acceptances of the environment's key are kept (global state), and the user's policy. */
    private readonly environment:
      { readonly state: vscode.Memento; readonly policy: () => EnvironmentKeyPolicy } | undefined = undefined,
  ) {
    // The strategy is read when keys are ordered (refs), not here: activation reads no settings.
    this.pool = new KeyPool();
    this.subscription = secrets.onDidChange((e) => {
      if (e.key === POOL_SECRET_ID || e.key === LEGACY_SECRET_ID) {
        // Another window changed the pool: read it again.
        this.cache = undefined;
        this.changed.fire();
      }
    });
    registerSecretForRedaction(process.env.OPENROUTER_API_KEY?.trim());
  }

  // ---- the stored list ------------------------------------------------------------------

  private stored(): Promise<StoredKey[]> {
    this.cache ??= this.load().catch((error: unknown) => {
      this.cache = undefined;
      throw error;
    });
    return this.cache;
  }

  private async load(): Promise<StoredKey[]> {
    let keys = parsePool(await this.secrets.get(POOL_SECRET_ID));
    if (keys === undefined) {
      keys = [];
      const legacy = (await this.secrets.get(LEGACY_SECRET_ID))?.trim();
      if (legacy) {
        keys = [{ id: randomUUID(), label: DEFAULT_LABEL, key: legacy, addedAt: this.now() }];
        await this.secrets.store(POOL_SECRET_ID, JSON.stringify({ keys }));
        await this.secrets.delete(LEGACY_SECRET_ID);
        this.log.info(`moved the stored API key (${maskKey(legacy)}) into the key pool as "${DEFAULT_LABEL}"`);
      }
    }
    for (const k of keys) registerSecretForRedaction(k.key);
    this.pool.setKeys(keys.map(({ id, label }) => ({ id, label })));
    return keys;
  }

  private async save(keys: readonly StoredKey[]): Promise<void> {
    for (const k of keys) registerSecretForRedaction(k.key);
    await this.secrets.store(POOL_SECRET_ID, JSON.stringify({ keys }));
    this.cache = Promise.resolve([...keys]);
    this.pool.setKeys(keys.map(({ id, label }) => ({ id, label })));
    this.changed.fire();
  }

  /** The environment's key when the user accepted it (see {@link environmentKeyWaiting}). */
  private envKey(): string | undefined {
    const key = process.env.OPENROUTER_API_KEY?.trim() || undefined;
    if (!this.environment) return undefined;
    return environmentKeyUsable(key, this.environment.policy(), this.accepted()) ? key : undefined;
  }

  private accepted(): string[] {
    const list = this.environment?.state.get<unknown>(ACCEPTED_ENV_KEYS);
    return Array.isArray(list) ? list.filter((f): f is string => typeof f === 'string') : [];
  }

  /** The masked environment key when it is set, nothing is stored, and it waits for the user's yes ("ask"). */
  async environmentKeyWaiting(): Promise<string | undefined> {
    const key = process.env.OPENROUTER_API_KEY?.trim();
    if (
      !key ||
      !this.environment ||
      this.environment.policy() !== 'ask' ||
      this.envKey() ||
      (await this.stored()).length
    )
      return undefined;
    return maskKey(key);
  }

  /** The user accepted the environment's current key: it pays from now on (while nothing is stored). */
  async acceptEnvironmentKey(): Promise<void> {
    const key = process.env.OPENROUTER_API_KEY?.trim();
    if (!key || !this.environment) return;
    await this.environment.state.update(ACCEPTED_ENV_KEYS, [...new Set([...this.accepted(), keyFingerprint(key)])]);
    this.log.info(`the environment's OPENROUTER_API_KEY (${maskKey(key)}) was accepted`);
    this.changed.fire();
  }

  /** One line naming the key that pays the next request (chat header, status item). */
  async paidBy(): Promise<string> {
    const [first] = await this.refs();
    const keys = await this.stored();
    const source = first?.id === ENV_KEY_ID ? 'environment' : 'secretStorage';
    return paidByLine(
      first ? { label: first.label, source } : undefined,
      keys.length,
      this.strategy(),
      (await this.environmentKeyWaiting()) !== undefined,
    );
  }

  /** Every usable key (the environment's only when nothing is stored), masked. */
  async list(): Promise<KeyListing[]> {
    const keys = await this.stored();
    if (keys.length)
      return keys.map((k) => ({ id: k.id, label: k.label, masked: maskKey(k.key), source: 'secretStorage' as const }));
    const env = this.envKey();
    return env ? [{ id: ENV_KEY_ID, label: 'OPENROUTER_API_KEY', masked: maskKey(env), source: 'environment' }] : [];
  }

  /** The first key to use and where it came from, or `undefined`. */
  async get(): Promise<{ key: string; source: KeySource; id: string; label: string } | undefined> {
    const [first] = await this.refs();
    if (!first) return undefined;
    const key = await this.secret(first.id);
    return key
      ? { key, source: first.id === ENV_KEY_ID ? 'environment' : 'secretStorage', id: first.id, label: first.label }
      : undefined;
  }

  /** "Set API Key": stores `key` as the key labelled "API key" (replacing it), first in the pool. */
  async set(key: string): Promise<void> {
    const trimmed = key.trim();
    if (!trimmed) throw new Error('An empty key cannot be stored.');
    const keys = await this.stored();
    const existing = keys.find((k) => k.label === DEFAULT_LABEL);
    const entry: StoredKey = {
      id: existing?.id ?? randomUUID(),
      label: DEFAULT_LABEL,
      key: trimmed,
      addedAt: this.now(),
    };
    if (existing) this.pool.resetHealth(existing.id);
    await this.save([entry, ...keys.filter((k) => k !== existing && k.key !== trimmed)]);
  }

  /** Adds a key with a label (made unique); an identical key already stored is relabelled instead. */
  async add(key: string, label: string): Promise<KeyListing> {
    const trimmed = key.trim();
    if (!trimmed) throw new Error('An empty key cannot be stored.');
    const keys = await this.stored();
    const same = keys.find((k) => k.key === trimmed);
    const others = keys.filter((k) => k !== same);
    const entry: StoredKey = {
      id: same?.id ?? randomUUID(),
      label: uniqueLabel(
        label,
        others.map((k) => k.label),
      ),
      key: trimmed,
      addedAt: same?.addedAt ?? this.now(),
    };
    await this.save(same ? keys.map((k) => (k === same ? entry : k)) : [...keys, entry]);
    return { id: entry.id, label: entry.label, masked: maskKey(trimmed), source: 'secretStorage' };
  }

  /** Removes one stored key; true when it was there. */
  /** Renames a stored key (made unique among the others); false when it is not stored. */
  async rename(id: string, label: string): Promise<boolean> {
    const keys = await this.stored();
    const key = keys.find((k) => k.id === id);
    if (!key || !label.trim()) return false;
    const next = uniqueLabel(
      label.trim(),
      keys.filter((k) => k !== key).map((k) => k.label),
    );
    await this.save(keys.map((k) => (k === key ? { ...k, label: next } : k)));
    return true;
  }

  /** Moves a stored key one place earlier (-1) or later (+1) in the try order; false at an end. */
  async move(id: string, by: -1 | 1): Promise<boolean> {
    const keys = [...(await this.stored())];
    const from = keys.findIndex((k) => k.id === id);
    const to = from + by;
    if (from < 0 || to < 0 || to >= keys.length) return false;
    [keys[from], keys[to]] = [keys[to]!, keys[from]!];
    await this.save(keys);
    return true;
  }

  async remove(id: string): Promise<boolean> {
    const keys = await this.stored();
    const rest = keys.filter((k) => k.id !== id);
    if (rest.length === keys.length) return false;
    // Removing the last stored key does not hand over to the environment's key silently either.
    if (rest.length === 0) await this.environment?.state.update(ACCEPTED_ENV_KEYS, undefined);
    await this.save(rest);
    return true;
  }

  /**
   * Removes every stored key and withdraws the acceptance of the environment's key: after "Clear
   * API Key" no key pays until the user sets one or accepts the environment's again.
   */
  async clear(): Promise<void> {
    await this.secrets.delete(LEGACY_SECRET_ID);
    await this.environment?.state.update(ACCEPTED_ENV_KEYS, undefined);
    await this.save([]);
  }

  // ---- KeyRing ---------------------------------------------------------------------------

  async refs(): Promise<readonly KeyRef[]> {
    const keys = await this.stored();
    if (keys.length === 0) return this.envKey() ? [{ id: ENV_KEY_ID, label: 'OPENROUTER_API_KEY' }] : [];
    this.pool.strategy = this.strategy();
    return this.pool.order(this.now());
  }

  async secret(id: string): Promise<string | undefined> {
    const keys = await this.stored();
    if (id === ENV_KEY_ID) return keys.length === 0 ? this.envKey() : undefined;
    return keys.find((k) => k.id === id)?.key;
  }

  report(id: string, outcome: KeyOutcome): void {
    const wasCooling = this.pool.isCooling(id, this.now());
    this.pool.report(id, outcome, this.now());
    if (!outcome.ok && !wasCooling && this.pool.isCooling(id, this.now())) {
      const label = this.pool.list().find((k: PoolKey) => k.id === id)?.label ?? id;
      this.log.warn(
        `key "${label}" cools down after ${outcome.failure.kind} (${outcome.failure.title}); other keys go first`,
      );
    }
    this.reported.fire({ id, outcome });
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
    this.reported.dispose();
  }
}
