/**
 * The fake's key registry (contract §0, §6): which keys authenticate, which can pay, which are
 * management keys, and what `GET /key` / `GET /credits` say about them.
 *
 * Defaults: any `sk-or-v1-…` key is accepted, except keys containing `invalid` (401 "User not
 * found.") or `nocredit` (402 on chat); keys containing `mgmt` are management keys (`/credits`).
 */

/** `GET /key` `data`. */
export interface KeyInfo {
  readonly label: string;
  readonly limit: number | null;
  readonly limit_remaining: number | null;
  readonly limit_reset: string | null;
  readonly include_byok_in_limit: boolean;
  readonly usage: number;
  readonly usage_daily: number;
  readonly usage_weekly: number;
  readonly usage_monthly: number;
  readonly byok_usage: number;
  readonly is_free_tier: boolean;
  readonly expires_at: string | null;
  readonly rate_limit: { readonly requests: number; readonly interval: string };
}

/** `ok`: authenticates; `invalid`: 401 everywhere; `nocredit`: authenticates, 402 on chat. */
export type KeyStatus = 'ok' | 'invalid' | 'nocredit';

/** How one key behaves. */
export interface KeyConfig {
  readonly status?: KeyStatus;
  /** May read `/credits`. */
  readonly management?: boolean;
  /** Overrides of the `/key` data. */
  readonly info?: Partial<KeyInfo>;
}

/** `GET /credits` `data`. */
export interface CreditsInfo {
  readonly total_credits: number;
  readonly total_usage: number;
}

/** The outcome of checking an `Authorization` header. */
export type KeyVerdict =
  { readonly ok: true; readonly key: string } | { readonly ok: false; readonly status: 401; readonly message: string };

/** Masks a key the way OpenRouter labels it: `sk-or-v1-abc...xyz`. */
export function keyLabel(key: string): string {
  return `${key.slice(0, 12)}...${key.slice(-3)}`;
}

const DEFAULT_INFO: Omit<KeyInfo, 'label'> = {
  limit: 100,
  limit_remaining: 74.5,
  limit_reset: 'monthly',
  include_byok_in_limit: false,
  usage: 25.5,
  usage_daily: 25.5,
  usage_weekly: 25.5,
  usage_monthly: 25.5,
  byok_usage: 17.38,
  is_free_tier: false,
  expires_at: null,
  rate_limit: { requests: -1, interval: '10s' },
};

/** Which keys work and what the account says about them. */
export class KeyRegistry {
  private readonly configs = new Map<string, KeyConfig>();
  private only = false;
  private credits: CreditsInfo = { total_credits: 100.5, total_usage: 25.75 };
  /** Every key that reached the server (for leak checks). */
  readonly seen = new Set<string>();

  /**
   * Configures keys (merged over earlier ones). With `only`, keys not listed are refused
   * (401) instead of following the defaults.
   */
  setKeys(keys: Readonly<Record<string, KeyConfig>>, options: { readonly only?: boolean } = {}): void {
    for (const [key, config] of Object.entries(keys))
      this.configs.set(key, {
        ...this.configs.get(key),
        ...config,
        info: { ...this.configs.get(key)?.info, ...config.info },
      });
    if (options.only !== undefined) this.only = options.only;
  }

  /** Sets what `/credits` answers. */
  setCredits(credits: CreditsInfo): void {
    this.credits = credits;
  }

  /** Checks an `Authorization` header. */
  check(authorization: string | undefined): KeyVerdict {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match) return { ok: false, status: 401, message: 'No auth credentials found' };
    const key = match[1]!;
    this.seen.add(key);
    return this.statusOf(key) === 'invalid'
      ? { ok: false, status: 401, message: 'User not found.' }
      : { ok: true, key };
  }

  /** The key's status, from its configuration or the defaults. */
  statusOf(key: string): KeyStatus {
    const configured = this.configs.get(key)?.status;
    if (configured) return configured;
    if (this.configs.has(key)) return 'ok';
    if (this.only || !key.startsWith('sk-or-v1-') || key.includes('invalid')) return 'invalid';
    return key.includes('nocredit') ? 'nocredit' : 'ok';
  }

  /** True when chat requests with this key must fail with 402. */
  outOfCredit(key: string): boolean {
    return this.statusOf(key) === 'nocredit';
  }

  /** True when the key may read `/credits`. */
  isManagement(key: string): boolean {
    return this.configs.get(key)?.management ?? key.includes('mgmt');
  }

  /** Shorthand: the key answers 401 from now on. */
  revoke(key: string): void {
    this.setKeys({ [key]: { status: 'invalid' } });
  }

  /** Shorthand: the key works again. */
  restore(key: string): void {
    this.setKeys({ [key]: { status: 'ok' } });
  }

  /** Shorthand: chat with this key answers 402. */
  setOutOfCredit(key: string): void {
    this.setKeys({ [key]: { status: 'nocredit' } });
  }

  /** Shorthand: overrides of the key's `/key` data. */
  setInfo(key: string, info: Partial<KeyInfo>): void {
    this.setKeys({ [key]: { info } });
  }

  /** `GET /key` data for a key. */
  keyInfo(key: string): KeyInfo {
    return {
      label: keyLabel(key),
      ...DEFAULT_INFO,
      ...(this.outOfCredit(key) ? { limit_remaining: 0, usage: 100 } : {}),
      ...this.configs.get(key)?.info,
    };
  }

  /** `GET /credits` data. */
  creditsInfo(): CreditsInfo {
    return this.credits;
  }

  /** Back to the defaults. */
  reset(): void {
    this.configs.clear();
    this.only = false;
    this.credits = { total_credits: 100.5, total_usage: 25.75 };
  }
}
