/** Request and response shapes on the OpenRouter wire that the `openai` SDK types do not cover. */

export type ChatRole = 'system' | 'user' | 'assistant';

export interface WireMessage {
  readonly role: ChatRole;
  readonly content: string;
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
  readonly sort?: 'price' | 'throughput' | 'latency' | { readonly by: 'price' | 'throughput' | 'latency'; readonly partition?: 'model' | 'none' };
  readonly max_price?: { readonly prompt?: number; readonly completion?: number; readonly request?: number; readonly image?: number };
}

/** The body of `POST /chat/completions` as Switchyard sends it. */
export interface ChatRequestBody {
  readonly model: string;
  /** Ordered fallback models, the primary first. Omitted when there are no fallbacks. */
  readonly models?: readonly string[];
  readonly messages: readonly WireMessage[];
  readonly stream: boolean;
  readonly max_tokens?: number;
  readonly temperature?: number;
  readonly provider?: ProviderPreferences;
  readonly session_id?: string;
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
  /** `upstream_inference_cost`: what the provider charged (USD; the BYOK part of the price), or null. */
  readonly cost_details?: { readonly upstream_inference_cost?: number | null } | null;
}

/** One streamed chunk, with OpenRouter's extra `provider` field. */
export interface WireChunk {
  readonly id?: string;
  readonly model?: string;
  readonly provider?: string;
  readonly choices?: readonly {
    readonly index?: number;
    readonly delta?: { readonly content?: string | null; readonly reasoning?: string | null };
    readonly finish_reason?: string | null;
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
