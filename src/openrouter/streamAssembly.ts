/**
 * A chat stream's chunks assembled into one result: text, thinking, `reasoning_details`, tool-call
 * deltas, the served model and provider, usage, cost (`usage.cost`, BYOK's split, else
 * `GET /generation`'s record) and prompt-cache figures. Used by ./client.ts.
 */
import type { SourceLink } from '../protocol/messages';
import { collectSources } from './citations';
import { finishReasonOf } from './finishReason';
import { reasoningTextOf } from './reasoning';
import { FINISH_GRACE_MS, type StreamGuard } from './streamGuard';
import { cacheUsage, paidCost, usageTokens } from './usageCost';
import type { WireChunk, WireToolCallDelta } from './wire';

/** What a completed (or partly completed) chat request produced. */
export interface ChatResult {
  readonly text: string;
  readonly model?: string;
  readonly provider?: string;
  readonly generationId?: string;
  readonly finishReason?: string;
  readonly promptTokens?: number;
  readonly completionTokens?: number;
  /** `usage.completion_tokens_details.reasoning_tokens`: the completion tokens spent thinking. */
  readonly reasoningTokens?: number;
  /** The thinking text shown (see {@link reasoningTextOf}); empty when there was none. */
  readonly reasoning?: string;
  /** USD paid: `usage.cost`, plus the provider's charge when `is_byok` (./usageCost.ts); unknown when either is. */
  readonly cost?: number;
  /** BYOK: OpenRouter's fee and the provider's charge, which add up to `cost`. */
  readonly costSplit?: { readonly fee: number; readonly upstream: number };
  readonly ttftMs?: number;
  /** Prompt tokens read from / written to the provider's prompt cache, when the usage says. */
  readonly cachedTokens?: number;
  readonly cacheWriteTokens?: number;
  /** `usage.cache_discount` (USD saved by caching), when present. */
  readonly cacheDiscount?: number;
  /** Web search sources (`url_citation` annotations), safe http(s) links only. */
  readonly sources?: readonly SourceLink[];
}

export interface StreamHandlers {
  /** Called for each piece of answer text, in order. */
  onDelta(text: string): void;
  /** Called once the served model/provider are known (first chunk). */
  onServedBy?(model: string | undefined, provider: string | undefined): void;
  /** Tool-call deltas of a chunk, in order (agent mode assembles them by `index`). */
  onToolCalls?(deltas: readonly WireToolCallDelta[]): void;
  /** `reasoning_details` pieces of a chunk, as received (replayed verbatim on the next request). */
  onReasoningDetails?(details: readonly unknown[]): void;
  /** Thinking text of a chunk, for display (`delta.reasoning`, else the text/summary details). */
  onReasoning?(text: string): void;
}

/** What a chat stream has produced so far. */
export interface StreamState {
  text: string;
  /** Thinking text shown so far. */
  reasoning: string;
  model: string | undefined;
  provider: string | undefined;
  generationId: string | undefined;
  finishReason: string | undefined;
  usage: WireChunk['usage'];
  ttftMs: number | undefined;
  /** Web search sources seen so far (annotations may come in any chunk). */
  sources: SourceLink[];
}

/** Takes one parsed chunk of a chat stream into `state` and tells the handlers; true when the stream is done. */
export function takeChunk(
  chunk: WireChunk,
  state: StreamState,
  handlers: StreamHandlers,
  guard: StreamGuard,
  started: number,
): boolean {
  if (chunk.model && !state.model) {
    state.model = chunk.model;
    state.provider = chunk.provider;
    handlers.onServedBy?.(state.model, state.provider);
  }
  state.generationId ??= chunk.id;
  if (chunk.usage) state.usage = chunk.usage;
  for (const choice of chunk.choices ?? []) {
    const piece = choice.delta?.content;
    if (piece) {
      state.ttftMs ??= Date.now() - started;
      state.text += piece;
      handlers.onDelta(piece);
    }
    if (choice.delta?.tool_calls?.length) handlers.onToolCalls?.(choice.delta.tool_calls);
    // Every parsed chunk (encrypted reasoning too) already reset the idle timer in the loop.
    if (choice.delta?.reasoning_details?.length) handlers.onReasoningDetails?.(choice.delta.reasoning_details);
    const thought = reasoningTextOf(choice.delta);
    if (thought) {
      state.reasoning += thought;
      handlers.onReasoning?.(thought);
    }
    if (Array.isArray(choice.delta?.annotations)) collectSources(choice.delta.annotations, state.sources);
    if (Array.isArray(choice.message?.annotations)) collectSources(choice.message.annotations, state.sources);
    const finish = finishReasonOf(choice);
    if (finish) state.finishReason = finish;
  }
  if (state.finishReason && state.finishReason !== 'error') {
    // Finished: the usage chunk ends it (leaving the loop closes the request, [DONE] or
    // not); without usage yet, a short grace for it, then done anyway.
    if (state.usage) return true;
    guard.finishing(FINISH_GRACE_MS);
  }
  return false;
}

/** The result of a finished chat stream. */
export function chatResultOf(state: StreamState): ChatResult {
  const { text, reasoning, model, provider, generationId, finishReason, usage, ttftMs } = state;
  return {
    text,
    ...(reasoning ? { reasoning } : {}),
    model,
    provider,
    generationId,
    finishReason,
    ttftMs,
    ...usageTokens(usage),
    ...paidCost(usage),
    ...cacheUsage(usage),
    ...(state.sources.length ? { sources: state.sources } : {}),
  };
}
