/**
 * What one turn cost, counted the same way for chat, agent steps and completions, and whether the
 * attempt succeeded, failed, broke off or was stopped:
 *
 * 1. `usage.cost` when the stream carried it (BYOK: fee + upstream, src/openrouter/client.ts);
 * 2. else `GET /generation?id=` of the attempt (retried while the record is not there yet);
 * 3. else the attempt's worst case (the plan's estimate), **marked as an estimate** — also for an
 *    answer whose stream carried neither a cost nor a generation id.
 *
 * An attempt that never got a response (an HTTP error, no connection) is not billed by OpenRouter
 * and counts nothing; one stopped or cut after the response began is billed for what was
 * generated, so it is looked up. Every figure goes to the spend ledger the budgets use. Pure.
 */

/** One attempt that went out, as far as billing goes. */
export interface BillEntry {
  readonly keyId: string;
  /** USD from the stream's usage, when it carried it. */
  readonly usd?: number;
  /** The generation to look up when `usd` is unknown. */
  readonly generationId?: string;
  /** The attempt's worst case (USD), counted when nothing better is known. */
  readonly worstCaseUsd: number;
  /** True when the request left but no response began (the generation is unknown). */
  readonly unanswered?: boolean;
}

/** What the attempts usage said nothing about cost, once settled. */
export interface Settled {
  /** USD counted (looked up + estimated). */
  readonly usd: number;
  /** The part that is a worst-case estimate (0 when every attempt's cost is known). */
  readonly estimatedUsd: number;
}

/** How costs are looked up and recorded. */
export interface SpendDeps {
  /** `GET /generation` cost of `id` with key `keyId`; undefined when not found. */
  lookup(keyId: string, generationId: string): Promise<number | undefined>;
  /** Adds USD to the spend ledger (budgets). */
  record(usd: number): void;
  log?(message: string): void;
}

/** The attempts of one turn and what each cost. */
export class TurnBill {
  private readonly entries: BillEntry[] = [];

  add(entry: BillEntry): void {
    this.entries.push(entry);
  }

  /** USD known now, from usage. */
  get knownUsd(): number {
    return this.entries.reduce((n, e) => n + (e.usd ?? 0), 0);
  }

  /**
   * Records every cost: what usage said at once (returned as `knownUsd`), then — in `rest` — each
   * other attempt's cost looked up, or its worst case marked as an estimate. Call once, after the
   * turn ended.
   */
  settle(deps: SpendDeps): { readonly knownUsd: number; readonly rest: Promise<Settled> } {
    const knownUsd = this.knownUsd;
    if (knownUsd > 0) deps.record(knownUsd);
    // Every attempt usage said nothing about: looked up by its generation, else its worst case (an
    // answer whose stream carried neither usage nor an id is not free).
    const open = this.entries.filter((e) => e.usd === undefined);
    return { knownUsd, rest: open.length ? settleRest(open, deps) : Promise.resolve({ usd: 0, estimatedUsd: 0 }) };
  }
}

/** Looks up (else estimates) and records the cost of each attempt usage said nothing about. */
async function settleRest(open: readonly BillEntry[], deps: SpendDeps): Promise<Settled> {
  let usd = 0;
  let estimatedUsd = 0;
  for (const entry of open) {
    const found = entry.generationId
      ? await deps.lookup(entry.keyId, entry.generationId).catch(() => undefined)
      : undefined;
    if (found !== undefined) {
      deps.record(found);
      deps.log?.(`spend of ${entry.generationId} read from /generation: $${found}`);
      usd += found;
      continue;
    }
    deps.record(entry.worstCaseUsd);
    deps.log?.(
      `spend of ${entry.generationId ?? (entry.unanswered ? 'an attempt stopped before its response' : 'an answer without usage or generation id')} unknown: counted its worst case $${entry.worstCaseUsd} (an estimate)`,
    );
    usd += entry.worstCaseUsd;
    estimatedUsd += entry.worstCaseUsd;
  }
  return { usd, estimatedUsd };
}
