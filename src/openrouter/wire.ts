/** Request and response shapes on the OpenRouter wire that the `openai` SDK types do not cover. */
import type { WireReasoning } from './reasoning';

export type ChatRole = 'system' | 'user' | 'assistant';

/**
 * One part of a multi-part message `content` (OpenRouter's `ChatContentItems`: `ChatContentText`, `ChatContentImage`): text, or an
 * image as a URL (Switchyard sends `data:<mime>;base64,…` URLs; see src/chat/images.ts).
 */
export type WireContentPart =
  WireTextPart | { readonly type: 'image_url'; readonly image_url: { readonly url: string } };

export interface WireMessage {
  readonly role: ChatRole;
  /** Text, or parts (text and images) for a user turn that carries images. */
  readonly content: string | readonly WireContentPart[];
  /** Assistant turns: the answer's `reasoning_details`, replayed verbatim (never as `content`). */
  readonly reasoning_details?: readonly Readonly<Record<string, unknown>>[];
}

/** A message whose content is text only (completion prompts). */
export interface TextMessage extends WireMessage {
  readonly content: string;
}

/** OpenRouter's cache breakpoint on a content part (openapi: `ChatContentCacheControl`). */
export interface WireCacheControl {
  readonly type: 'ephemeral';
}

/** A text content part (openapi: `ChatContentText`), with a cache breakpoint where one is set. */
export interface WireTextPart {
  readonly type: 'text';
  readonly text: string;
  readonly cache_control?: WireCacheControl;
}

/** A message whose content is split into text parts (to carry cache breakpoints). */
export interface WirePartsMessage {
  readonly role: ChatRole;
  readonly content: readonly WireTextPart[];
}

/**
 * OpenRouter's web search plugin (openapi: `WebSearchPlugin`): `max_results` defaults to 5; the
 * results cost $4 per 1000 (see `ONLINE_SEARCH_USD` in src/routing/unknownPrice.ts).
 */
export interface WireWebPlugin {
  readonly id: 'web';
  readonly max_results?: number;
}

/** A `url_citation` annotation as OpenRouter streams it: nested (OpenAI's shape) or flat (openapi `URLCitation`). Untrusted. */
export interface WireAnnotation {
  readonly type?: unknown;
  readonly url_citation?: { readonly url?: unknown; readonly title?: unknown } | null;
  readonly url?: unknown;
  readonly title?: unknown;
}

/** OpenRouter's `provider` object (wire names). Filled in by the routing engine. */
export interface ProviderPreferences {
  readonly order?: readonly string[];
  readonly allow_fallbacks?: boolean;
  readonly require_parameters?: boolean;
  readonly data_collection?: 'allow' | 'deny';
  readonly zdr?: boolean;
  readonly only?: readonly string[];
  readonly ignore?: readonly string[];
  readonly quantizations?: readonly string[];
  readonly sort?:
    | 'price'
    | 'throughput'
    | 'latency'
    | { readonly by: 'price' | 'throughput' | 'latency'; readonly partition?: 'model' | 'none' };
  readonly max_price?: {
    readonly prompt?: number;
    readonly completion?: number;
    readonly request?: number;
    readonly image?: number;
  };
}

/** One tool call of an assistant message, as sent back on the next request (id unchanged). */
export interface WireToolCall {
  readonly id: string;
  readonly type: 'function';
  readonly function: { readonly name: string; readonly arguments: string };
}

/** Messages of a tool-using conversation (agent mode): assistant turns with tool calls, tool results. */
export type WireToolTurnMessage =
  | {
      readonly role: 'assistant';
      readonly content: string | null;
      readonly tool_calls?: readonly WireToolCall[];
      /** Replayed verbatim (Gemini and Anthropic reject tool turns whose signatures were dropped). */
      readonly reasoning_details?: readonly Readonly<Record<string, unknown>>[];
    }
  | { readonly role: 'tool'; readonly tool_call_id: string; readonly content: string };

/** A tool result split into text parts on the wire (to carry a cache breakpoint). */
export interface WireToolPartsMessage {
  readonly role: 'tool';
  readonly tool_call_id: string;
  readonly content: readonly WireTextPart[];
}

/** One entry of a streamed `delta.tool_calls` (id and name may come only in a call's first delta). */
export interface WireToolCallDelta {
  readonly index?: number;
  readonly id?: string | null;
  readonly type?: string | null;
  readonly function?: { readonly name?: string | null; readonly arguments?: string | null } | null;
}

/** The body of `POST /chat/completions` as Switchyard sends it (`M`: the message shapes it may carry). */
export interface ChatRequestBody<M = WireMessage> {
  readonly model: string;
  /** Ordered fallback models, the primary first. Omitted when there are no fallbacks. */
  readonly models?: readonly string[];
  readonly messages: readonly M[];
  /** Function definitions (agent mode, VS Code's tools), with `tool_choice` (`required` when VS Code's chat asks for a call). */
  readonly tools?: readonly unknown[];
  readonly tool_choice?: 'auto' | 'none' | 'required';
  readonly stream: boolean;
  readonly max_tokens?: number;
  readonly temperature?: number;
  readonly provider?: ProviderPreferences;
  readonly session_id?: string;
  /** OpenRouter plugins: the web search plugin when the message asked to search the web. */
  readonly plugins?: readonly WireWebPlugin[];
  /** Reasoning effort or budget (src/openrouter/reasoning.ts); omitted = the model's default. */
  readonly reasoning?: WireReasoning;
}

/** `usage` as OpenRouter reports it (cost in USD). */
export interface WireUsage {
  readonly prompt_tokens?: number;
  readonly completion_tokens?: number;
  readonly total_tokens?: number;
  /** USD; for BYOK requests only OpenRouter's fee. */
  readonly cost?: number;
  /** True when the request used the user's own provider key (BYOK). */
  readonly is_byok?: boolean;
  /**
   * `upstream_inference_cost`: what the provider charged (USD; the BYOK part of the price), or null;
   * its prompt and completions parts. Read by ./usageCost.ts.
   */
  readonly cost_details?: {
    readonly upstream_inference_cost?: number | null;
    readonly upstream_inference_prompt_cost?: number | null;
    readonly upstream_inference_completions_cost?: number | null;
  } | null;
  /** Prompt-cache use: tokens read from the cache (`cached_tokens`) and written to it (`cache_write_tokens`). */
  readonly prompt_tokens_details?: {
    readonly cached_tokens?: number | null;
    readonly cache_write_tokens?: number | null;
  } | null;
  /** USD that caching saved (negative when writes cost more than reads saved), when OpenRouter reports it. */
  readonly cache_discount?: number | null;
  /** `reasoning_tokens`: the part of `completion_tokens` spent thinking. */
  readonly completion_tokens_details?: { readonly reasoning_tokens?: number | null } | null;
}

/** One streamed chunk, with OpenRouter's extra `provider` field. */
export interface WireChunk {
  readonly id?: string;
  readonly model?: string;
  readonly provider?: string;
  readonly choices?: readonly {
    readonly index?: number;
    readonly delta?: {
      readonly content?: string | null;
      readonly reasoning?: string | null;
      readonly tool_calls?: readonly WireToolCallDelta[] | null;
      readonly reasoning_details?: readonly unknown[] | null;
      /** Web search sources (`url_citation`), usually in one of the last chunks. */
      readonly annotations?: readonly WireAnnotation[] | null;
    };
    /** Non-streamed shape (and some providers' final chunk): the whole message's annotations. */
    readonly message?: { readonly annotations?: readonly WireAnnotation[] | null } | null;
    readonly finish_reason?: string | null;
    /** The provider's own reason (`"MAX_TOKENS"`, `"end_turn"`…); some answers carry only this one. */
    readonly native_finish_reason?: string | null;
  }[];
  readonly usage?: WireUsage | null;
}

/** `GET /key` data. Money in USD; limits nullable. */
export interface KeyInfo {
  readonly label?: string;
  readonly limit: number | null;
  readonly limitRemaining: number | null;
  readonly usage: number;
  readonly usageDaily?: number;
  readonly usageWeekly?: number;
  readonly usageMonthly?: number;
  readonly isFreeTier: boolean;
}
