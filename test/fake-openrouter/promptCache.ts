/**
 * The fake's prompt cache, per served model and provider, priced like OpenRouter's price list
 * (the model's `input_cache_read` / `input_cache_write`, scaled to the serving endpoint's price):
 *
 * - explicit caching (the model lists a cache *write* price: Anthropic, Gemini): only prefixes
 *   ending at a `cache_control` breakpoint are cached. A request reads the longest breakpoint
 *   prefix already cached and writes the rest up to its last breakpoint;
 * - automatic caching (a read price only: OpenAI): the longest run of leading messages sent
 *   before is read; nothing is billed for writing;
 * - no cache price: nothing is cached.
 *
 * A prefix shorter than `cacheMinTokens` (default 1024, Anthropic's and OpenAI's minimum) is never cached.
 * The request's tool definitions come first in every prefix, as on Anthropic (tools → system → messages).
 */
import { createHash } from 'node:crypto';
import { estimateTokens, textOf, type ChatMessage } from './answer';
import type { Catalogue, TokenPrice } from './catalogue';

/** What one request read from and wrote to the cache, and the per-token prices that apply. */
export interface CacheCharge {
  readonly readTokens: number;
  readonly writeTokens: number;
  /** USD per token. */
  readonly readPrice: number;
  readonly writePrice: number;
  /** Explicit caching reports `cache_write_tokens`; automatic caching does not. */
  readonly explicit: boolean;
}

/** The model's cache prices (USD per token) scaled to the serving endpoint's prompt price. */
export function cachePrices(
  catalogue: Catalogue,
  model: string,
  served: TokenPrice,
): { read?: number; write?: number } {
  const pricing = catalogue.model(model)?.pricing as Readonly<Record<string, unknown>> | undefined;
  const base = catalogue.price(model).prompt;
  const scale = base > 0 ? served.prompt / base : 1;
  const listed = (v: unknown): number | undefined => {
    const n = Number(v);
    return Number.isFinite(n) && n > 0 ? n * scale : undefined;
  };
  const read = listed(pricing?.input_cache_read);
  const write = listed(pricing?.input_cache_write);
  return { ...(read !== undefined ? { read } : {}), ...(write !== undefined ? { write } : {}) };
}

/** The shortest prefix a provider caches (tokens): Anthropic's and OpenAI's minimum. */
export const DEFAULT_CACHE_MIN_TOKENS = 1024;

const hash = (text: string): string => createHash('sha256').update(text).digest('hex');

function partsOf(content: unknown): { text: string; breakpoint: boolean }[] {
  if (typeof content === 'string') return [{ text: content, breakpoint: false }];
  if (!Array.isArray(content)) return [];
  return content.map((part: unknown) => {
    const p = (typeof part === 'object' && part !== null ? part : {}) as { text?: unknown; cache_control?: unknown };
    return {
      text: typeof p.text === 'string' ? p.text : '',
      breakpoint: typeof p.cache_control === 'object' && p.cache_control !== null,
    };
  });
}

export class FakePromptCache {
  private readonly stored = new Map<string, Map<string, number>>();

  clear(): void {
    this.stored.clear();
  }

  /** Uses the cache of `model` at `provider` for one request: what it read and wrote (none when the model has no cache price). */
  use(
    catalogue: Catalogue,
    model: string,
    provider: string,
    served: TokenPrice,
    messages: readonly ChatMessage[],
    minTokens = DEFAULT_CACHE_MIN_TOKENS,
    tools?: unknown,
  ): CacheCharge | undefined {
    const prices = cachePrices(catalogue, model, served);
    if (prices.read === undefined) return undefined;
    const key = `${model}|${provider}`;
    const store = this.stored.get(key) ?? new Map<string, number>();
    this.stored.set(key, store);
    const explicit = prices.write !== undefined;
    // Tool definitions come first in the prompt (Anthropic: tools → system → messages), so every prefix holds them.
    const head = Array.isArray(tools) && tools.length ? `tools:${JSON.stringify(tools)}\n` : '';
    const prefixes = explicit ? breakpointPrefixes(messages, head) : messagePrefixes(messages, head);
    const cacheable = prefixes.filter((p) => p.tokens >= minTokens);
    const readTokens = Math.max(0, ...cacheable.filter((p) => store.has(p.hash)).map((p) => p.tokens));
    const last = cacheable.at(-1);
    const writeTokens = explicit && last && !store.has(last.hash) ? Math.max(0, last.tokens - readTokens) : 0;
    for (const p of cacheable) store.set(p.hash, p.tokens);
    return { readTokens, writeTokens, readPrice: prices.read, writePrice: prices.write ?? served.prompt, explicit };
  }
}

/** The prompt up to each `cache_control` breakpoint: its hash and tokens. */
function breakpointPrefixes(messages: readonly ChatMessage[], head: string): { hash: string; tokens: number }[] {
  const out: { hash: string; tokens: number }[] = [];
  let text = head;
  for (const m of messages) {
    for (const part of partsOf(m.content)) {
      text += `${m.role}:${part.text}\n`;
      if (part.breakpoint) out.push({ hash: hash(text), tokens: estimateTokens(text) });
    }
  }
  return out;
}

/** The prompt up to the end of each message (automatic caching matches whole leading messages). */
function messagePrefixes(messages: readonly ChatMessage[], head: string): { hash: string; tokens: number }[] {
  let text = head;
  return messages.map((m) => {
    text += `${m.role}:${textOf(m.content)}\n`;
    return { hash: hash(text), tokens: estimateTokens(text) };
  });
}
