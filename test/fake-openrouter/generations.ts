/** Generations the fake served, for `GET /generation?id=` (contract §8). */
import { randomBytes } from 'node:crypto';
import type { WireUsage } from './answer';

/** One served completion. `finish_reason` and `cancelled` change while it streams. */
export interface Generation {
  readonly id: string;
  readonly model: string;
  readonly provider_name: string;
  readonly streamed: boolean;
  readonly created: number;
  usage: WireUsage;
  finish_reason: string | null;
  cancelled: boolean;
  /** Wall time from request to the end of the answer (ms), once known. */
  generation_time: number | null;
  /** From the request: `HTTP-Referer`, `User-Agent`, body `user`. */
  readonly http_referer: string | null;
  readonly user_agent: string | null;
  readonly external_user: string | null;
  /** USD caching saved (negative when cache writes cost more than reads saved); null when nothing was cached. */
  readonly cache_discount?: number | null;
}

/** `gen-<unix seconds>-<20 chars>`, like OpenRouter. */
export function newGenerationId(): string {
  return `gen-${Math.floor(Date.now() / 1000)}-${randomBytes(15).toString('base64url').slice(0, 20)}`;
}

/** Generations by id; each becomes visible `lagMs` after it was recorded (real ones 404 briefly). */
export class GenerationStore {
  private readonly byId = new Map<string, { readonly gen: Generation; readonly visibleAt: number }>();

  /** How long a new record stays invisible (ms); tests may change it while the server runs. */
  constructor(public lagMs = 0) {}

  /** Records a generation. */
  add(gen: Generation): void {
    this.byId.set(gen.id, { gen, visibleAt: Date.now() + this.lagMs });
  }

  /** A generation, unless unknown or not visible yet. */
  get(id: string): Generation | undefined {
    const entry = this.byId.get(id);
    return entry && Date.now() >= entry.visibleAt ? entry.gen : undefined;
  }

  /** All generations, oldest first. */
  all(): Generation[] {
    return [...this.byId.values()].map((e) => e.gen);
  }

  /** Forgets everything. */
  clear(): void {
    this.byId.clear();
  }
}

/** `GET /generation` `data`. */
export function generationWire(gen: Generation): Record<string, unknown> {
  const latency = 250;
  return {
    id: gen.id,
    upstream_id: `chatcmpl-${gen.id.slice(-12)}`,
    total_cost: gen.usage.cost,
    cache_discount: gen.cache_discount ?? null,
    upstream_inference_cost: gen.usage.cost_details.upstream_inference_cost,
    created_at: new Date(gen.created * 1000).toISOString(),
    model: gen.model,
    app_id: null,
    streamed: gen.streamed,
    cancelled: gen.cancelled,
    provider_name: gen.provider_name,
    latency,
    moderation_latency: null,
    generation_time: gen.generation_time ?? 0,
    finish_reason: gen.finish_reason,
    service_tier: null,
    tokens_prompt: gen.usage.prompt_tokens,
    tokens_completion: gen.usage.completion_tokens,
    native_tokens_prompt: gen.usage.prompt_tokens,
    native_tokens_completion: gen.usage.completion_tokens,
    native_tokens_completion_images: null,
    native_tokens_reasoning: 0,
    native_tokens_cached: gen.usage.prompt_tokens_details.cached_tokens,
    num_media_prompt: null,
    num_input_audio_prompt: null,
    num_media_completion: null,
    num_search_results: null,
    num_fetches: null,
    web_search_engine: null,
    origin: gen.http_referer ?? '',
    usage: gen.usage.cost,
    is_byok: gen.usage.is_byok,
    native_finish_reason: gen.finish_reason,
    external_user: gen.external_user,
    api_type: 'completions',
    preset_id: null,
    router: null,
    provider_responses: [
      { provider_name: gen.provider_name, status: gen.finish_reason === 'error' ? 502 : 200, latency },
    ],
    user_agent: gen.user_agent,
    http_referer: gen.http_referer,
    data_region: 'global',
    workspace_id: null,
  };
}
