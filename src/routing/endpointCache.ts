/**
 * The provider endpoints of the models in play, fetched lazily (`/models/{a}/{s}/endpoints`) and
 * kept for a while, so a plan can be checked against real providers without a fetch per message.
 * Pure: fetching and the clock are injected. A failed fetch is remembered briefly, so an offline
 * or unknown model does not cost a round trip on every message; the plan then goes on without it.
 */
import type { EndpointInfo, Knowledge, Plan } from './types';

export interface EndpointCacheOptions {
  readonly fetch: (model: string) => Promise<readonly EndpointInfo[]>;
  readonly now: () => number;
  /** How long a fetched list is trusted. Default 10 min. */
  readonly ttlMs?: number;
  /** How long a failed fetch is not retried. Default 60 s. */
  readonly failureTtlMs?: number;
}

export class EndpointCache {
  private readonly lists = new Map<string, { endpoints: readonly EndpointInfo[]; at: number }>();
  private readonly failed = new Map<string, number>();
  private readonly inFlight = new Map<string, Promise<boolean>>();
  /** Bumped by {@link clear}: a fetch started before it must not land afterwards. */
  private generation = 0;

  constructor(private readonly options: EndpointCacheOptions) {}

  /** Every fresh list, for {@link Knowledge.endpoints}. */
  known(): Map<string, readonly EndpointInfo[]> {
    const now = this.options.now();
    const ttl = this.options.ttlMs ?? 600_000;
    const out = new Map<string, readonly EndpointInfo[]>();
    for (const [model, entry] of this.lists) if (now - entry.at < ttl) out.set(model, entry.endpoints);
    return out;
  }

  /** Models whose list is neither fresh, nor being fetched, nor recently failed. */
  missing(models: Iterable<string>): string[] {
    const now = this.options.now();
    const ttl = this.options.ttlMs ?? 600_000;
    const failureTtl = this.options.failureTtlMs ?? 60_000;
    return [...new Set(models)].filter((m) => {
      const entry = this.lists.get(m);
      if (entry && now - entry.at < ttl) return false;
      // Already on its way (a slow fetch): do not make every message wait for it again.
      if (this.inFlight.has(m)) return false;
      const failedAt = this.failed.get(m);
      return failedAt === undefined || now - failedAt >= failureTtl;
    });
  }

  /**
   * Fetches the missing lists, in parallel, waiting at most `timeoutMs` (fetches still running go
   * on and land in the cache later). Resolves with the models that were added in time.
   */
  async ensure(models: Iterable<string>, timeoutMs: number): Promise<string[]> {
    const wanted = this.missing(models);
    if (wanted.length === 0) return [];
    const added: string[] = [];
    const all = Promise.all(wanted.map((m) => this.load(m).then((ok) => void (ok && added.push(m)))));
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([all, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    if (timer) clearTimeout(timer);
    return [...added];
  }

  /** Forgets everything (the base URL changed). */
  clear(): void {
    this.generation++;
    this.lists.clear();
    this.failed.clear();
    this.inFlight.clear();
  }

  /** Fetches one list; resolves true when it landed (never rejects). */
  private load(model: string): Promise<boolean> {
    const running = this.inFlight.get(model);
    if (running) return running;
    const generation = this.generation;
    const current = (): boolean => generation === this.generation;
    const promise = Promise.resolve()
      .then(() => this.options.fetch(model))
      .then((endpoints) => {
        if (!current()) return false;
        this.lists.set(model, { endpoints, at: this.options.now() });
        this.failed.delete(model);
        return true;
      })
      .catch(() => {
        if (current()) this.failed.set(model, this.options.now());
        return false;
      })
      .finally(() => {
        if (current()) this.inFlight.delete(model);
      });
    this.inFlight.set(model, promise);
    return promise;
  }
}

/**
 * Plans, then — when the plan involves models whose provider endpoints are not known yet —
 * fetches those (waiting at most `waitMs`) and plans again with them, so that a request no
 * provider can serve is refused before it is sent.
 */
export async function planWithEndpoints(args: {
  readonly plan: (knowledge: Knowledge) => Plan;
  readonly knowledge: () => Knowledge;
  readonly cache: EndpointCache;
  /** Router models (`openrouter/auto`) have no endpoints of their own. */
  readonly isRouter: (model: string) => boolean;
  readonly waitMs: number;
}): Promise<{ plan: Plan; fetched: string[]; inPlay: Set<string> }> {
  let plan = args.plan(args.knowledge());
  const sendable = new Set(plan.attempts.flatMap((a) => a.body.models ?? [a.body.model]));
  const inPlay = new Set([...sendable, ...plan.decisions.map((d) => d.model)]);
  // Only what may be sent needs its providers checked: a model already excluded (capability,
  // budget) would cost a request for nothing.
  const wanted = [...sendable].filter((m) => m.includes('/') && !args.isRouter(m));
  if (args.cache.missing(wanted).length === 0) return { plan, fetched: [], inPlay };
  const fetched = await args.cache.ensure(wanted, args.waitMs);
  if (fetched.length > 0) plan = args.plan(args.knowledge());
  return { plan, fetched, inPlay };
}
