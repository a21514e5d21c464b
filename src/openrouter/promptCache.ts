/**
 * Prompt caching: which models need explicit cache breakpoints, where Switchyard sets them, and
 * what caching saved.
 *
 * Source of the rule: OpenRouter, "Prompt Caching" (openrouter.ai/docs/guides/best-practices/
 * prompt-caching). Most providers cache automatically (OpenAI, DeepSeek, Grok, Gemini 2.5 implicit
 * caching) and need nothing in the request. Anthropic Claude requires `cache_control` breakpoints
 * on content parts, at most four per request; Google Gemini through OpenRouter takes the same
 * breakpoints (explicit caching, written at a price and read at a discount). Both list
 * `input_cache_read` *and* `input_cache_write` in their catalogue pricing; automatic caches list a
 * read price only. So a model gets breakpoints when
 *
 * 1. its catalogue pricing lists both `input_cache_read` and `input_cache_write` (> 0), and
 * 2. its id's vendor is one OpenRouter documents as explicit: `anthropic/`, `google/` (a
 *    `~anthropic/…-latest` alias too: ./vendor.ts).
 *
 * Everything else is sent unchanged (plain string contents). Sticky routing (`session_id`, and the
 * last turn's provider first in `provider.order`, src/routing/affinity.ts) keeps the cache warm.
 */
import type { ModelInfo } from './catalogue';
import { modelVendor } from './vendor';
import type { ChatRole, WireMessage, WirePartsMessage, WireTextPart } from './wire';

/** How a model caches prompts: breakpoints needed, automatic, or not at all (no cache price listed). */
export type CachingMode = 'explicit' | 'automatic' | 'none';

/** Vendors whose models take explicit `cache_control` breakpoints (OpenRouter's docs, above). */
export const EXPLICIT_CACHE_VENDORS: readonly string[] = ['anthropic', 'google'];

/** Anthropic's limit of breakpoints per request. */
export const MAX_BREAKPOINTS = 4;

/**
 * Attached context of at least this many characters gets its own breakpoint: about 1024 tokens at
 * ~4 characters a token, Anthropic's minimum cacheable prompt (a smaller prefix is never cached).
 */
export const LARGE_CONTEXT_CHARS = 4096;

/** The model id without a variant suffix (`:thinking`, `:online`…). */
function baseId(model: string): string {
  return model.replace(/:[a-z-]+$/, '');
}

/**
 * The caching mode of `model` from its catalogue entry (`lookup` gives entries by id; a variant
 * falls back to its base model's entry). Unknown models: `none`.
 */
export function cachingMode(model: string, lookup: (id: string) => ModelInfo | undefined): CachingMode {
  const info = lookup(model) ?? lookup(baseId(model));
  if (!info?.cacheReadPrice) return 'none';
  const vendor = EXPLICIT_CACHE_VENDORS.includes(modelVendor(model));
  return vendor && info.cacheWritePrice ? 'explicit' : 'automatic';
}

/** Where one breakpoint goes: the message index and what it caches. */
export interface Breakpoint {
  readonly index: number;
  /**
   * `system`: the system prompt (tool definitions come before it on the wire, so it caches them
   * too); `context`: a user turn's attached context; `userTurn`: the end of a user turn;
   * `toolResult`: the end of a tool result (agent steps).
   */
  readonly kind: 'system' | 'context' | 'userTurn' | 'toolResult';
}

/**
 * For each message (by index), how many leading characters of its content are attached context
 * (0 or absent: none). The content is `context + "\n\n" + question` (src/chat/prompt.ts `userContent`).
 */
export type ContextLengths = readonly (number | undefined)[];

/**
 * The breakpoints of a request, in message order — at most {@link MAX_BREAKPOINTS}:
 *
 * 1. the system prompt (the same on every turn);
 * 2. the attached context of the latest user turn whose context is large ({@link LARGE_CONTEXT_CHARS});
 * 3. the last two user turns or tool results (an agent step ends with its results): the last one
 *    writes the conversation so far, the one before reads what the previous request wrote
 *    (Anthropic's pattern for multi-turn conversations).
 */
export function placeBreakpoints(
  messages: readonly { readonly role: ChatRole | 'tool'; readonly content?: unknown }[],
  contextLengths: ContextLengths = [],
): Breakpoint[] {
  const out: Breakpoint[] = [];
  const system = messages.findIndex(
    (m) => m.role === 'system' && typeof m.content === 'string' && m.content.length > 0,
  );
  if (system >= 0) out.push({ index: system, kind: 'system' });
  const turns = messages.flatMap((m, i) =>
    (m.role === 'user' || m.role === 'tool') && typeof m.content === 'string' && m.content.length > 0 ? [i] : [],
  );
  const withContext = turns
    .filter((i) => messages[i]!.role === 'user' && (contextLengths[i] ?? 0) >= LARGE_CONTEXT_CHARS)
    .at(-1);
  if (withContext !== undefined) out.push({ index: withContext, kind: 'context' });
  for (const index of turns.slice(-2))
    out.push({ index, kind: messages[index]!.role === 'tool' ? 'toolResult' : 'userTurn' });
  return out.slice(0, MAX_BREAKPOINTS).sort((a, b) => a.index - b.index || (a.kind === 'context' ? -1 : 1));
}

const EPHEMERAL = { type: 'ephemeral' } as const;

/**
 * The messages with their breakpoints set: a message with one becomes text parts, the marked part
 * carrying `cache_control: {type: "ephemeral"}` (a context breakpoint splits the user turn into
 * its context part and its question part). Other messages are unchanged.
 */
export function withBreakpoints<M extends { readonly role: ChatRole | 'tool' }>(
  messages: readonly M[],
  breakpoints: readonly Breakpoint[],
  contextLengths: ContextLengths = [],
): (M | WirePartsMessage)[] {
  return messages.map((message, index) => {
    const marks = breakpoints.filter((b) => b.index === index);
    const content = (message as { content?: unknown }).content;
    if (!marks.length || typeof content !== 'string') return message;
    const split = marks.some((b) => b.kind === 'context') ? (contextLengths[index] ?? 0) : 0;
    const parts: WireTextPart[] = [];
    if (split > 0) {
      parts.push({ type: 'text', text: content.slice(0, split), cache_control: EPHEMERAL });
      const rest = content.slice(split).replace(/^\n\n/, '');
      if (rest)
        parts.push({
          type: 'text',
          text: rest,
          ...(marks.some((b) => b.kind !== 'context') ? { cache_control: EPHEMERAL } : {}),
        });
    } else {
      parts.push({ type: 'text', text: content, cache_control: EPHEMERAL });
    }
    // Other fields (a tool result's `tool_call_id`) stay.
    return { ...message, content: parts } as unknown as M | WirePartsMessage;
  });
}

/** A chat request's messages with breakpoints where `model` needs them (unchanged otherwise), and where they went. */
export function cacheMessages<M extends { readonly role: ChatRole | 'tool' } = WireMessage>(
  model: string,
  lookup: (id: string) => ModelInfo | undefined,
  messages: readonly M[],
  contextLengths: ContextLengths = [],
): { messages: (M | WirePartsMessage)[]; mode: CachingMode; breakpoints: Breakpoint[] } {
  const mode = cachingMode(model, lookup);
  if (mode !== 'explicit') return { messages: [...messages], mode, breakpoints: [] };
  const breakpoints = placeBreakpoints(messages, contextLengths);
  return { messages: withBreakpoints(messages, breakpoints, contextLengths), mode, breakpoints };
}

/**
 * One Markdown sentence for Explain Route: whether and where breakpoints will be set. `model` is
 * the model as the caller writes it (already escaped: a code span).
 */
export function describeCaching(
  model: string,
  mode: CachingMode,
  breakpoints: readonly Breakpoint[],
  messageCount: number,
): string {
  if (mode === 'none') return `${model} lists no prompt-cache prices: nothing is cached.`;
  if (mode === 'automatic')
    return `${model} caches prompts automatically: no breakpoints are set; sticky routing keeps its cache warm.`;
  const names = breakpoints.map((b) =>
    b.kind === 'system'
      ? 'the system prompt'
      : b.kind === 'context'
        ? `the attached context of message ${b.index + 1}`
        : b.kind === 'toolResult'
          ? `the tool result at message ${b.index + 1}`
          : b.index === messageCount - 1
            ? 'the new user turn'
            : `the user turn at message ${b.index + 1}`,
  );
  return `${model} needs explicit breakpoints: ${breakpoints.length} of at most ${MAX_BREAKPOINTS} \`cache_control\` breakpoints — on ${names.join(', ')}.`;
}

/** Prompt-cache use of one answer, from `usage.prompt_tokens_details` (tokens) and `cache_discount` (USD). */
export interface CacheUse {
  readonly readTokens: number;
  readonly writeTokens: number;
  /** USD saved by caching (negative: writing cost more than reading saved); absent when unknown. */
  readonly savedUsd?: number;
}

/**
 * What caching saved (USD): OpenRouter's `cache_discount` when present, else from the model's
 * prices — reads at `prompt − input_cache_read` each, writes at `prompt − input_cache_write` (a
 * negative saving). Undefined when neither is known.
 */
export function cacheSavings(
  readTokens: number,
  writeTokens: number,
  discount: number | undefined,
  info: ModelInfo | undefined,
): number | undefined {
  if (discount !== undefined) return discount;
  if (!info) return undefined;
  if (readTokens > 0 && info.cacheReadPrice === undefined) return undefined;
  if (writeTokens > 0 && info.cacheWritePrice === undefined) return undefined;
  const read = readTokens * (info.promptPrice - (info.cacheReadPrice ?? info.promptPrice));
  const write = writeTokens * (info.promptPrice - (info.cacheWritePrice ?? info.promptPrice));
  return read + write;
}
