/** The fake's key registry: which keys authenticate, their `/key` data, and revocation. */

export interface KeyData {
  readonly label: string;
  readonly limit: number | null;
  readonly limit_remaining: number | null;
  readonly usage: number;
  readonly is_free_tier: boolean;
}

export type KeyVerdict = { readonly ok: true; readonly key: string } | { readonly ok: false; readonly status: 401 | 402; readonly message: string };

export class KeyRegistry {
  private readonly revoked = new Set<string>();
  private readonly noCredit = new Set<string>();
  private readonly info = new Map<string, Partial<KeyData>>();
  /** Keys that reached the server, for leak checks. */
  readonly seen = new Set<string>();

  /** Checks an `Authorization` header. Any `sk-or-v1-…` key works unless revoked or "invalid". */
  check(authorization: string | undefined): KeyVerdict {
    const match = /^Bearer\s+(.+)$/i.exec(authorization ?? '');
    if (!match) return { ok: false, status: 401, message: 'No auth credentials found' };
    const key = match[1]!.trim();
    this.seen.add(key);
    if (!key.startsWith('sk-or-') || key.includes('invalid') || this.revoked.has(key)) return { ok: false, status: 401, message: 'User not found.' };
    return { ok: true, key };
  }

  /** True when chat requests with this key must fail with 402. */
  outOfCredit(key: string): boolean {
    return key.includes('nocredit') || this.noCredit.has(key);
  }

  revoke(key: string): void {
    this.revoked.add(key);
  }

  restore(key: string): void {
    this.revoked.delete(key);
    this.noCredit.delete(key);
  }

  setOutOfCredit(key: string): void {
    this.noCredit.add(key);
  }

  setInfo(key: string, data: Partial<KeyData>): void {
    this.info.set(key, data);
  }

  /** `GET /key` data for a key. */
  keyData(key: string): KeyData & Record<string, unknown> {
    const masked = `${key.slice(0, 12)}...${key.slice(-3)}`;
    const base = { label: masked, limit: 100, limit_remaining: 74.5, usage: 25.5, is_free_tier: false, ...this.info.get(key) };
    return { ...base, limit_reset: 'monthly', include_byok_in_limit: false, usage_daily: base.usage, usage_weekly: base.usage, usage_monthly: base.usage, byok_usage: 0, expires_at: null, rate_limit: { requests: -1, interval: '10s' } };
  }

  reset(): void {
    this.revoked.clear();
    this.noCredit.clear();
    this.info.clear();
  }
}
