/** The fake's deterministic answers: text derived from the request, split into stream pieces, and usage. */
import type { TokenPrice } from './catalogue';
import type { CacheCharge } from './promptCache';

/** A chat message as the fake reads it. */
export interface ChatMessage {
  readonly role: string;
  readonly content?: unknown;
}

/** The text of a message `content` (a string, or the `text` of its parts). */
export function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: unknown) =>
      typeof part === 'object' && part !== null && 'text' in part && typeof part.text === 'string' ? part.text : '',
    )
    .filter(Boolean)
    .join(' ');
}

/** The texts of a request body's tool results, in order (a result is a string, or text parts when it carries a cache breakpoint). */
export function toolResultTexts(body: unknown): string[] {
  const messages = (body as { messages?: readonly ChatMessage[] } | undefined)?.messages ?? [];
  return messages.filter((m) => m.role === 'tool').map((m) => textOf(m.content));
}

/** How many `image_url` parts a message content has (the echo says `[saw N images]`). */
export function imagesOf(content: unknown): number {
  return Array.isArray(content)
    ? content.filter(
        (part: unknown) =>
          typeof part === 'object' && part !== null && (part as { type?: unknown }).type === 'image_url',
      ).length
    : 0;
}

/** The last user message's text, whitespace collapsed. */
export function lastUserText(messages: readonly ChatMessage[]): string {
  return textOf([...messages].reverse().find((m) => m.role === 'user')?.content)
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The partial answer to continue, if the request is a continuation: a trailing assistant message
 * (a prefill), or an assistant message followed by a user turn that asks to continue it
 * (Switchyard's form for models that do not honour a prefill: it starts with "Continue").
 */
export function prefillOf(messages: readonly ChatMessage[]): string | undefined {
  const last = messages.at(-1);
  if (last?.role === 'assistant') return textOf(last.content);
  const before = messages.at(-2);
  if (
    last?.role === 'user' &&
    before?.role === 'assistant' &&
    /^\s*(Your previous answer was cut off|Continue)/i.test(textOf(last.content))
  )
    return textOf(before.content);
  return undefined;
}

/** The messages without a continuation's partial answer (and its "continue" turn): the original question. */
export function withoutContinuation(messages: readonly ChatMessage[]): readonly ChatMessage[] {
  if (prefillOf(messages) === undefined) return messages;
  return messages.at(-1)?.role === 'assistant' ? messages.slice(0, -1) : messages.slice(0, -2);
}

/**
 * The answer of `model`: `Echo from <model>: <the question>` — the last paragraph of the last user
 * message (after any attached context), at most 200 characters, and ` [saw N images]` when it
 * carries `image_url` parts — then a
 * markdown section with one fenced ```ts block. A continuation (an assistant prefill, or a
 * partial answer and a "continue" turn) is answered with ` (continued by <model>)` and the rest,
 * never repeating the echo. With `restart` (a model that ignores continuations) it answers the
 * original question again from the beginning.
 */
export function answerText(model: string, messages: readonly ChatMessage[], restart = false): string {
  const question = withoutContinuation(messages);
  const images = imagesOf([...question].reverse().find((m) => m.role === 'user')?.content);
  const seen = images ? ` [saw ${images} image${images === 1 ? '' : 's'}]` : '';
  const echo = `Echo from ${model}: ${lastParagraph(lastUserText(question)).slice(0, 200)}${seen}`;
  const rest = `## Example\n\nHere is some code:\n\n\`\`\`ts\nexport function answer(): number {\n  return 42;\n}\n\`\`\`\n\nThat is all.`;
  if (restart || prefillOf(messages) === undefined) return `${echo}\n\n${rest}`;
  return ` (continued by ${model})\n\n${rest}`;
}

/**
 * Splits text into stream pieces of about three words (whitespace kept, so joining them gives
 * the text back). With `chunks`, exactly that many pieces: words are regrouped, and filler
 * words (`lorem1 lorem2 …`) are appended when the text is too short.
 */
export function pieces(text: string, chunks?: number): string[] {
  let words: string[] = text.match(/\s*\S+\s*/g) ?? [text];
  if (chunks === undefined) return group(words, 3);
  const target = Math.max(1, Math.floor(chunks));
  if (words.length < target)
    words = [...words, '\n\n', ...Array.from({ length: target - words.length }, (_, i) => `lorem${i + 1} `)];
  const size = Math.ceil(words.length / target);
  const out = group(words, size);
  // A ceil-sized grouping can leave fewer groups than asked for: split the longest ones.
  while (out.length < target) {
    const i = out.reduce((best, p, j) => (p.length > out[best]!.length ? j : best), 0);
    const p = out[i]!;
    const cut = Math.max(1, Math.floor(p.length / 2));
    out.splice(i, 1, p.slice(0, cut), p.slice(cut));
  }
  return out;
}

function group(words: readonly string[], size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i += size) out.push(words.slice(i, i + size).join(''));
  return out;
}

/** About four characters per token. */
export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

/** Prompt tokens of a request's messages. */
export function promptTokens(messages: readonly ChatMessage[]): number {
  return estimateTokens(messages.map((m) => textOf(m.content)).join('\n'));
}

/** `usage` as OpenRouter sends it, `cost` from the serving endpoint's price. */
export interface WireUsage {
  readonly prompt_tokens: number;
  readonly completion_tokens: number;
  readonly total_tokens: number;
  readonly cost: number;
  readonly is_byok: boolean;
  readonly prompt_tokens_details: { readonly cached_tokens: number; readonly cache_write_tokens?: number };
  readonly completion_tokens_details: { readonly reasoning_tokens: number };
  readonly cost_details: {
    readonly upstream_inference_cost: number | null;
    readonly upstream_inference_prompt_cost: number;
    readonly upstream_inference_completions_cost: number;
  };
  /** Web plugin requests (openapi usage `server_tool_use`). */
  readonly server_tool_use?: { readonly web_search_requests: number };
}

/** Extras of a request's price: its prompt-cache use and web plugin results. */
export interface UsageExtras {
  readonly cache?: CacheCharge | undefined;
  /** USD of the web plugin's results. */
  readonly webUsd?: number | undefined;
  /** Tokens the model spent thinking (counted as completion tokens). */
  readonly reasoningTokens?: number | undefined;
}

/** USD that caching saved on a request (OpenRouter's `cache_discount`: negative when writes cost more). */
export function cacheDiscount(cache: CacheCharge | undefined, price: TokenPrice): number {
  if (!cache) return 0;
  return round(
    cache.readTokens * (price.prompt - cache.readPrice) + cache.writeTokens * (price.prompt - cache.writePrice),
  );
}

/** Usage of an answer: tokens estimated, cost = tokens × price; thinking counts as completion tokens. */
export function usageOf(
  messages: readonly ChatMessage[],
  text: string,
  price: TokenPrice,
  extras: UsageExtras = {},
): WireUsage {
  const prompt = promptTokens(messages);
  const completion = estimateTokens(text) + (extras.reasoningTokens ?? 0);
  const cache = extras.cache;
  const read = Math.min(prompt, cache?.readTokens ?? 0);
  const write = Math.min(prompt - read, cache?.writeTokens ?? 0);
  // Cached tokens at the cache read price, written ones at the write price, the rest at the prompt price.
  const promptCost =
    (prompt - read - write) * price.prompt + read * (cache?.readPrice ?? 0) + write * (cache?.writePrice ?? 0);
  const completionCost = completion * price.completion;
  const webUsd = extras.webUsd ?? 0;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    cost: round(promptCost + completionCost + webUsd),
    is_byok: false,
    prompt_tokens_details: { cached_tokens: read, ...(cache?.explicit ? { cache_write_tokens: write } : {}) },
    ...(webUsd > 0 ? { server_tool_use: { web_search_requests: 1 } } : {}),
    completion_tokens_details: { reasoning_tokens: extras.reasoningTokens ?? 0 },
    cost_details: {
      upstream_inference_cost: null,
      upstream_inference_prompt_cost: round(promptCost),
      upstream_inference_completions_cost: round(completionCost),
    },
  };
}

function round(usd: number): number {
  return Number(usd.toPrecision(6));
}

/** The question a user turn ends with: its last paragraph (context blocks come before it). */
function lastParagraph(text: string): string {
  const parts = text.trim().split(/\n\s*\n/);
  return (parts.at(-1) ?? '').replace(/\s+/g, ' ').trim();
}
