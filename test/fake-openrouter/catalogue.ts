/**
 * The fake's model catalogue: stable hand-written models that tests rely on, real-world quirks a
 * tolerant parser must survive, and a deterministic generator for large catalogues (benchmarks).
 */

/** A `/models` entry as OpenRouter sends it (loosely typed: quirks are the point). */
export type WireModel = Record<string, unknown> & { readonly id: string };

/** One provider endpoint of a model, as `/models/{author}/{slug}/endpoints` lists it. */
export interface WireEndpoint {
  readonly name: string;
  readonly model_id: string;
  readonly model_name: string;
  readonly provider_name: string;
  readonly tag: string;
  readonly context_length: number;
  readonly max_completion_tokens: number | null;
  readonly max_prompt_tokens: number | null;
  readonly quantization: string | null;
  readonly pricing: { readonly prompt: string; readonly completion: string; readonly request: string; readonly image: string };
  readonly supported_parameters: readonly string[];
  readonly status: number;
  readonly uptime_last_30m: number | null;
  readonly uptime_last_5m: number | null;
  readonly uptime_last_1d: number | null;
  readonly supports_implicit_caching: boolean;
  readonly latency_last_30m: { readonly p50: number; readonly p75: number; readonly p90: number; readonly p99: number } | null;
  readonly throughput_last_30m: { readonly p50: number; readonly p75: number; readonly p90: number; readonly p99: number } | null;
}

interface ModelSpec {
  readonly id: string;
  readonly name: string;
  readonly context: number;
  /** USD per million tokens. */
  readonly prompt: number;
  readonly completion: number;
  readonly params?: readonly string[];
  readonly inputs?: readonly string[];
  readonly providers: readonly string[];
}

const BASE_PARAMS = ['max_tokens', 'temperature', 'top_p', 'stop', 'seed'];
const TOOLS = ['tools', 'tool_choice'];

/** Models tests can rely on. */
export const STABLE_MODELS: readonly ModelSpec[] = [
  { id: 'openai/gpt-4o-mini', name: 'OpenAI: GPT-4o-mini', context: 128000, prompt: 0.15, completion: 0.6, params: TOOLS, inputs: ['text', 'image'], providers: ['OpenAI', 'Azure'] },
  { id: 'anthropic/claude-sonnet-4', name: 'Anthropic: Claude Sonnet 4', context: 200000, prompt: 3, completion: 15, params: [...TOOLS, 'reasoning'], inputs: ['text', 'image'], providers: ['Anthropic', 'Google', 'Amazon Bedrock'] },
  { id: 'meta-llama/llama-3.3-70b-instruct:free', name: 'Meta: Llama 3.3 70B Instruct (free)', context: 65536, prompt: 0, completion: 0, providers: ['Chutes'] },
  { id: 'meta-llama/llama-3.3-70b-instruct', name: 'Meta: Llama 3.3 70B Instruct', context: 131072, prompt: 0.13, completion: 0.4, params: TOOLS, providers: ['DeepInfra', 'DeepInfra Turbo', 'Together', 'Groq', 'Fireworks', 'Lambda'] },
  { id: 'google/gemini-2.5-flash', name: 'Google: Gemini 2.5 Flash', context: 1048576, prompt: 0.3, completion: 2.5, params: [...TOOLS, 'reasoning'], inputs: ['text', 'image', 'file'], providers: ['Google', 'Google AI Studio'] },
  { id: 'deepseek/deepseek-r1', name: 'DeepSeek: R1', context: 163840, prompt: 0.55, completion: 2.19, params: ['reasoning', 'include_reasoning'], providers: ['DeepSeek', 'DeepInfra', 'Together'] },
  { id: 'mistralai/mistral-small:free', name: 'Mistral: Mistral Small (free)', context: 32768, prompt: 0, completion: 0, params: TOOLS, providers: ['Mistral'] },
  { id: 'fake/tiny-context', name: 'Fake: Tiny Context', context: 2048, prompt: 1, completion: 2, providers: ['FakeProvider'] },
  { id: 'fake/long-writer', name: 'Fake: Long Writer', context: 32768, prompt: 0.5, completion: 1, providers: ['FakeProvider'] },
];

function slug(provider: string): string {
  if (provider === 'DeepInfra Turbo') return 'deepinfra/turbo';
  return provider.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

function perToken(perMillion: number): string {
  return perMillion === 0 ? '0' : String(perMillion / 1_000_000);
}

function toWire(spec: ModelSpec): WireModel {
  return {
    id: spec.id,
    canonical_slug: spec.id,
    hugging_face_id: null,
    name: spec.name,
    created: 1_730_000_000,
    description: `${spec.name}, served by the fake OpenRouter.`,
    context_length: spec.context,
    architecture: { modality: `${(spec.inputs ?? ['text']).join('+')}->text`, input_modalities: spec.inputs ?? ['text'], output_modalities: ['text'], tokenizer: 'Other', instruct_type: null },
    pricing: { prompt: perToken(spec.prompt), completion: perToken(spec.completion), request: '0', image: '0', web_search: '0', internal_reasoning: '0', input_cache_read: '0', input_cache_write: '0' },
    top_provider: { context_length: spec.context, max_completion_tokens: Math.min(16384, spec.context / 2), is_moderated: spec.id.startsWith('openai/') },
    per_request_limits: null,
    supported_parameters: [...BASE_PARAMS, ...(spec.params ?? [])],
    default_parameters: null,
    supported_voices: null,
    knowledge_cutoff: null,
    expiration_date: null,
    links: { details: `/api/v1/models/${spec.id}/endpoints` },
  };
}

function endpointsFor(spec: ModelSpec, index: number): WireEndpoint[] {
  return spec.providers.map((provider, i) => {
    const factor = 1 + i * 0.25;
    return {
      name: `${provider}: ${spec.name}`,
      model_id: spec.id,
      model_name: spec.name,
      provider_name: provider,
      tag: slug(provider),
      context_length: spec.context,
      max_completion_tokens: Math.min(16384, spec.context / 2),
      max_prompt_tokens: spec.context,
      quantization: ['fp16', 'fp8', 'bf16', 'int8', null][(index + i) % 5] ?? null,
      pricing: { prompt: perToken(spec.prompt * factor), completion: perToken(spec.completion * factor), request: '0', image: '0' },
      supported_parameters: [...BASE_PARAMS, ...(i % 2 === 0 ? (spec.params ?? []) : [])],
      status: 0,
      uptime_last_30m: 99.5 - i,
      uptime_last_5m: i === 2 ? 80 : 100,
      uptime_last_1d: 99.8,
      supports_implicit_caching: i === 0,
      latency_last_30m: { p50: 0.25 + i * 0.1, p75: 0.35 + i * 0.1, p90: 0.48 + i * 0.1, p99: 0.85 + i * 0.2 },
      throughput_last_30m: { p50: 45 - i * 5, p75: 38 - i * 5, p90: 28 - i * 4, p99: 15 - i * 2 },
    };
  });
}

/** Entries with real-world quirks: each must be skipped (or survive) without losing the list. */
const QUIRKS: readonly Record<string, unknown>[] = [
  { id: 'quirk/no-pricing', name: 'Quirk: no pricing', context_length: 4096 },
  { id: 'quirk/string-context', name: 'Quirk: string context', context_length: '8192', pricing: { prompt: '0.000001', completion: '0.000002' } },
  { name: 'Quirk: no id', context_length: 4096, pricing: { prompt: '0', completion: '0' } },
  { id: 'openrouter/auto', name: 'Auto Router', context_length: 2000000, pricing: { prompt: '-1', completion: '-1' }, architecture: null, top_provider: null, supported_parameters: null, brand_new_field: { anything: true } },
];

export interface Catalogue {
  readonly models: readonly WireModel[];
  readonly endpoints: ReadonlyMap<string, readonly WireEndpoint[]>;
  /** Price per token of a model id (first endpoint), for usage.cost. */
  price(id: string): { prompt: number; completion: number };
}

function build(specs: readonly ModelSpec[], quirks: readonly Record<string, unknown>[]): Catalogue {
  const endpoints = new Map<string, WireEndpoint[]>();
  specs.forEach((s, i) => endpoints.set(s.id, endpointsFor(s, i)));
  const prices = new Map(specs.map((s) => [s.id, { prompt: s.prompt / 1_000_000, completion: s.completion / 1_000_000 }]));
  return {
    models: [...specs.map(toWire), ...(quirks as WireModel[])],
    endpoints,
    price: (id) => prices.get(id) ?? { prompt: 0, completion: 0 },
  };
}

/** The default catalogue: stable models plus quirks. */
export function defaultCatalogue(): Catalogue {
  return build(STABLE_MODELS, QUIRKS);
}

/**
 * A deterministic catalogue of `n` models with `endpointsPerModel` providers each, plus the
 * stable models (benchmarks: ≥400 models × ≥5 endpoints, ~1.5 MB of JSON).
 */
export function generateCatalogue(n: number, endpointsPerModel: number): Catalogue {
  const authors = ['openai', 'anthropic', 'google', 'meta-llama', 'mistralai', 'qwen', 'deepseek', 'cohere', 'x-ai', 'nvidia'];
  const providerPool = ['DeepInfra', 'Together', 'Fireworks', 'Groq', 'Lambda', 'Novita', 'Parasail', 'Nebius', 'Chutes', 'Hyperbolic', 'Cerebras', 'SambaNova'];
  let seed = 42;
  const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const specs: ModelSpec[] = [...STABLE_MODELS];
  for (let i = specs.length; i < n; i++) {
    const author = authors[i % authors.length]!;
    const free = i % 9 === 0;
    const prompt = free ? 0 : Math.round(rand() * 1500) / 100;
    const providers = Array.from({ length: endpointsPerModel }, (_, j) => providerPool[(i + j * 5) % providerPool.length]!);
    specs.push({
      id: `${author}/model-${i}${free ? ':free' : ''}`,
      name: `${author}: Model ${i}${free ? ' (free)' : ''}`,
      context: [8192, 32768, 65536, 131072, 200000, 1048576][i % 6]!,
      prompt,
      completion: free ? 0 : Math.round(prompt * 4 * 100) / 100,
      params: i % 3 === 0 ? [] : TOOLS,
      inputs: i % 4 === 0 ? ['text', 'image'] : ['text'],
      providers: [...new Set(providers)],
    });
  }
  return build(specs, QUIRKS);
}
