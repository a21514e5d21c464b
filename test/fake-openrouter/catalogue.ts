/**
 * The fake's model catalogue (contract §4–5): stable hand-written models that tests rely on,
 * real-world quirks a tolerant parser must survive, and a deterministic generator for large
 * catalogues (benchmarks).
 */

/** A `/models` entry as OpenRouter sends it (loosely typed: quirks are the point). */
export type WireModel = Readonly<Record<string, unknown>> & { readonly id?: unknown };

/** `{p50,p75,p90,p99}` of an endpoint's recent latency or throughput. */
export interface Percentiles {
  readonly p50: number;
  readonly p75: number;
  readonly p90: number;
  readonly p99: number;
}

/** One provider endpoint of a model, as `/models/{author}/{slug}/endpoints` lists it. */
export interface WireEndpoint {
  readonly name: string;
  readonly model_id: string;
  readonly model_name: string;
  readonly provider_name: string;
  /** Provider slug for `provider.order/only/ignore`, e.g. `deepinfra/turbo`. */
  readonly tag: string;
  readonly context_length: number;
  readonly max_completion_tokens: number | null;
  readonly max_prompt_tokens: number | null;
  readonly quantization: string | null;
  readonly pricing: {
    readonly prompt: string;
    readonly completion: string;
    readonly request: string;
    readonly image: string;
  };
  readonly supported_parameters: readonly string[];
  readonly status: number;
  readonly uptime_last_30m: number | null;
  readonly uptime_last_5m: number | null;
  readonly uptime_last_1d: number | null;
  readonly supports_implicit_caching: boolean;
  readonly latency_last_30m: Percentiles | null;
  readonly throughput_last_30m: Percentiles | null;
}

/** USD per token of a model or endpoint. */
export interface TokenPrice {
  readonly prompt: number;
  readonly completion: number;
}

/** A catalogue the server serves. */
export interface Catalogue {
  /** `/models` `data`, quirky entries included. */
  readonly models: readonly WireModel[];
  /** Endpoints per model id (only well-formed models have some). */
  readonly endpoints: ReadonlyMap<string, readonly WireEndpoint[]>;
  /** The well-formed entry for a model id, if any. */
  model(id: string): WireModel | undefined;
  /** Model-level price per token (`{0,0}` for unknown or router models). */
  price(id: string): TokenPrice;
}

/** Model ids of the stable fixture that tests can rely on. */
export const FIXTURE_MODELS = {
  /** Paid, 128k context, tools, text only. */
  gpt4oMini: 'openai/gpt-4o-mini',
  /** Paid, 200k context, vision + tools + reasoning. */
  claudeSonnet4: 'anthropic/claude-sonnet-4',
  /** Free (`"0"` pricing), 65k context, one provider. */
  llamaFree: 'meta-llama/llama-3.3-70b-instruct:free',
  /** Paid, 131k, tools, six providers including the `deepinfra/turbo` tag. */
  llama: 'meta-llama/llama-3.3-70b-instruct',
  /** Paid, 1M context, vision (image + file) + tools + reasoning. */
  gemini25Flash: 'google/gemini-2.5-flash',
  /** Paid, reasoning (mandatory), no tools. */
  deepseekR1: 'deepseek/deepseek-r1',
  /** Free, 32k, tools. */
  mistralFree: 'mistralai/mistral-small:free',
  /** Context length 2048: anything long exceeds it. */
  tinyContext: 'fake/tiny-context',
  /** Streams 400 content chunks by default. */
  longWriter: 'fake/long-writer',
  /** Paid, 32k context, tools: long agent tasks compact on it (longTask.ts). */
  agent32k: 'fake/agent-32k',
  /** Router model, pricing `"-1"`, served by `openai/gpt-4o-mini`. */
  auto: 'openrouter/auto',
} as const;

/** Ids of the quirky `/models` entries: the first three are malformed and must be skipped. */
export const QUIRK_IDS = {
  noPricing: 'quirk/no-pricing',
  stringContext: 'quirk/string-context',
  /** The third malformed entry has no `id` at all. */
  nulls: 'quirk/nulls-everywhere',
  extraKeys: 'quirk/extra-keys',
} as const;

/** The model `openrouter/auto` routes to. */
export const AUTO_TARGET = FIXTURE_MODELS.gpt4oMini;

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
  readonly reasoning?: Readonly<Record<string, unknown>>;
  /** Prompt-cache prices, USD per million tokens (absent: "0", not listed). */
  readonly cacheRead?: number;
  readonly cacheWrite?: number;
  readonly description?: string;
  readonly extra?: Readonly<Record<string, unknown>>;
}

const BASE_PARAMS: readonly string[] = [
  'max_tokens',
  'temperature',
  'top_p',
  'stop',
  'seed',
  'frequency_penalty',
  'presence_penalty',
  'response_format',
];
const TOOLS: readonly string[] = ['tools', 'tool_choice'];
const REASONING: readonly string[] = ['reasoning', 'include_reasoning'];
const QUANTIZATIONS: readonly (string | null)[] = ['fp16', 'fp8', 'bf16', 'int8', null, 'fp4'];

/** The hand-written models (see FIXTURE_MODELS). */
export const STABLE_MODELS: readonly ModelSpec[] = [
  {
    id: FIXTURE_MODELS.gpt4oMini,
    name: 'OpenAI: GPT-4o-mini',
    context: 128000,
    prompt: 0.15,
    completion: 0.6,
    cacheRead: 0.075,
    params: TOOLS,
    providers: ['OpenAI', 'Azure'],
  },
  {
    id: FIXTURE_MODELS.claudeSonnet4,
    name: 'Anthropic: Claude Sonnet 4',
    context: 200000,
    prompt: 3,
    completion: 15,
    cacheRead: 0.3,
    cacheWrite: 3.75,
    params: [...TOOLS, ...REASONING],
    inputs: ['text', 'image'],
    providers: ['Anthropic', 'Google', 'Amazon Bedrock'],
    reasoning: { mandatory: false, default_effort: 'medium', supported_efforts: ['high', 'medium', 'low'] },
  },
  {
    id: FIXTURE_MODELS.llamaFree,
    name: 'Meta: Llama 3.3 70B Instruct (free)',
    context: 65536,
    prompt: 0,
    completion: 0,
    providers: ['Chutes'],
  },
  {
    id: FIXTURE_MODELS.llama,
    name: 'Meta: Llama 3.3 70B Instruct',
    context: 131072,
    prompt: 0.13,
    completion: 0.4,
    params: TOOLS,
    providers: ['DeepInfra', 'DeepInfra/turbo', 'Together', 'Groq', 'Fireworks', 'Nebius'],
  },
  {
    id: FIXTURE_MODELS.gemini25Flash,
    name: 'Google: Gemini 2.5 Flash',
    context: 1048576,
    prompt: 0.3,
    completion: 2.5,
    cacheRead: 0.075,
    cacheWrite: 0.3833,
    params: [...TOOLS, ...REASONING],
    inputs: ['text', 'image', 'file'],
    providers: ['Google', 'Google AI Studio'],
  },
  {
    id: FIXTURE_MODELS.deepseekR1,
    name: 'DeepSeek: R1',
    context: 163840,
    prompt: 0.55,
    completion: 2.19,
    params: REASONING,
    providers: ['DeepSeek', 'DeepInfra', 'Together'],
    reasoning: { mandatory: true, default_effort: 'medium', supported_efforts: ['high', 'medium', 'low'] },
  },
  {
    id: FIXTURE_MODELS.mistralFree,
    name: 'Mistral: Mistral Small (free)',
    context: 32768,
    prompt: 0,
    completion: 0,
    params: TOOLS,
    providers: ['Mistral'],
  },
  {
    id: FIXTURE_MODELS.tinyContext,
    name: 'Fake: Tiny Context',
    context: 2048,
    prompt: 1,
    completion: 2,
    providers: ['FakeProvider'],
    extra: { future_field: { nested: [1, 2, 3] } },
  },
  {
    id: FIXTURE_MODELS.agent32k,
    name: 'Fake: Agent 32K',
    context: 32768,
    prompt: 1,
    completion: 4,
    params: TOOLS,
    providers: ['FakeProvider'],
  },
  {
    id: FIXTURE_MODELS.longWriter,
    name: 'Fake: Long Writer',
    context: 32768,
    prompt: 0.5,
    completion: 1,
    providers: ['FakeProvider'],
  },
];

/** `openrouter/auto`: well formed, pricing "-1", no endpoints of its own. */
const AUTO_ENTRY: WireModel = {
  id: FIXTURE_MODELS.auto,
  canonical_slug: FIXTURE_MODELS.auto,
  hugging_face_id: null,
  name: 'Auto Router',
  created: 1_699_401_600,
  description: 'Your prompt will be processed by a meta-model and routed to one of dozens of models.',
  context_length: 2_000_000,
  architecture: {
    modality: 'text+image->text',
    input_modalities: ['text', 'image'],
    output_modalities: ['text'],
    tokenizer: 'Router',
    instruct_type: null,
  },
  pricing: { prompt: '-1', completion: '-1' },
  top_provider: { context_length: null, max_completion_tokens: null, is_moderated: false },
  per_request_limits: null,
  supported_parameters: [...BASE_PARAMS, ...TOOLS],
  default_parameters: null,
  supported_voices: null,
  knowledge_cutoff: null,
  expiration_date: null,
  links: { details: `/api/v1/models/${FIXTURE_MODELS.auto}/endpoints` },
};

/** Provider name → slug, as OpenRouter writes tags (`Amazon Bedrock` → `amazon-bedrock`). */
export function providerSlug(provider: string): string {
  return provider.toLowerCase().replace(/[^a-z0-9/]+/g, '-');
}

/** A provider entry of a spec is `Name` or `Name/variant` (tag `name/variant`, e.g. `deepinfra/turbo`). */
function providerName(entry: string): string {
  return entry.split('/')[0]!;
}

function perToken(perMillion: number): string {
  return perMillion === 0 ? '0' : String(Number((perMillion / 1_000_000).toPrecision(6)));
}

function inputsOf(spec: ModelSpec): readonly string[] {
  return spec.inputs ?? ['text'];
}

function toWire(spec: ModelSpec): WireModel {
  const maxOut = Math.min(16384, Math.floor(spec.context / 2));
  return {
    id: spec.id,
    canonical_slug: spec.id,
    hugging_face_id: null,
    name: spec.name,
    created: 1_730_000_000,
    description: spec.description ?? `${spec.name}, served by the fake OpenRouter.`,
    context_length: spec.context,
    architecture: {
      modality: `${inputsOf(spec).join('+')}->text`,
      input_modalities: inputsOf(spec),
      output_modalities: ['text'],
      tokenizer: 'Other',
      instruct_type: null,
    },
    pricing: {
      prompt: perToken(spec.prompt),
      completion: perToken(spec.completion),
      request: '0',
      image: '0',
      web_search: '0',
      internal_reasoning: '0',
      input_cache_read: perToken(spec.cacheRead ?? 0),
      input_cache_write: perToken(spec.cacheWrite ?? 0),
    },
    top_provider: {
      context_length: spec.context,
      max_completion_tokens: maxOut,
      is_moderated: spec.id.startsWith('openai/'),
    },
    per_request_limits: null,
    supported_parameters: [...BASE_PARAMS, ...(spec.params ?? [])],
    default_parameters: null,
    supported_voices: null,
    knowledge_cutoff: null,
    expiration_date: null,
    links: { details: `/api/v1/models/${spec.id}/endpoints` },
    ...(spec.reasoning ? { reasoning: spec.reasoning } : {}),
    ...spec.extra,
  };
}

/** Entries with real-world quirks: three malformed (skip them), two odd but valid (keep them). */
const QUIRKS: readonly WireModel[] = [
  {
    id: QUIRK_IDS.noPricing,
    name: 'Quirk: no pricing',
    context_length: 4096,
    architecture: { input_modalities: ['text'], output_modalities: ['text'] },
  },
  {
    id: QUIRK_IDS.stringContext,
    name: 'Quirk: string context',
    context_length: '8192',
    pricing: { prompt: '0.000001', completion: '0.000002' },
  },
  { name: 'Quirk: no id', context_length: 4096, pricing: { prompt: '0', completion: '0' } },
  {
    ...toWire({
      id: QUIRK_IDS.nulls,
      name: 'Quirk: nulls in optional fields',
      context: 16384,
      prompt: 2,
      completion: 4,
      providers: [],
    }),
    canonical_slug: QUIRK_IDS.nulls,
    hugging_face_id: null,
    knowledge_cutoff: null,
    expiration_date: null,
    supported_voices: null,
    default_parameters: null,
    per_request_limits: null,
    architecture: { modality: null, input_modalities: ['text'], output_modalities: ['text'], instruct_type: null },
    pricing: { prompt: '0.000002', completion: '0.000004' },
    top_provider: { context_length: null, max_completion_tokens: null, is_moderated: false },
  },
  {
    ...toWire({
      id: QUIRK_IDS.extraKeys,
      name: 'Quirk: extra unknown keys',
      context: 8192,
      prompt: 0.5,
      completion: 1.5,
      providers: [],
    }),
    pricing: {
      prompt: '0.0000005',
      completion: '0.0000015',
      request: '0',
      image: '0',
      audio: '0.00001',
      discount: 0.25,
    },
    brand_new_field: { anything: true },
    tags: ['experimental'],
    rank: 3,
  },
];

function endpointsFor(spec: ModelSpec, index: number): WireEndpoint[] {
  return spec.providers.map((provider, i) => {
    const factor = 1 + i * 0.25;
    const flaky = (index + i) % 7 === 3;
    return {
      name: `${providerName(provider)}: ${spec.name}`,
      model_id: spec.id,
      model_name: spec.name,
      provider_name: providerName(provider),
      tag: providerSlug(provider),
      context_length: spec.context,
      max_completion_tokens: (index + i) % 6 === 5 ? null : Math.min(16384, Math.floor(spec.context / 2)),
      max_prompt_tokens: (index + i) % 6 === 5 ? null : spec.context,
      quantization: QUANTIZATIONS[(index + i) % QUANTIZATIONS.length] ?? null,
      pricing: {
        prompt: perToken(spec.prompt * factor),
        completion: perToken(spec.completion * factor),
        request: '0',
        image: '0',
      },
      // Every other endpoint supports only the base parameters (no tools, no reasoning).
      supported_parameters: [...BASE_PARAMS, ...(i % 2 === 0 ? (spec.params ?? []) : [])],
      status: flaky ? -1 : 0,
      uptime_last_30m: flaky ? 82.5 : 99.5 - i * 0.5,
      uptime_last_5m: flaky ? null : 100,
      uptime_last_1d: 99.8 - i * 0.1,
      supports_implicit_caching: i === 0,
      latency_last_30m: { p50: 0.25 + i * 0.1, p75: 0.35 + i * 0.1, p90: 0.48 + i * 0.1, p99: 0.85 + i * 0.2 },
      throughput_last_30m: { p50: 45 + i * 5, p75: 38 + i * 4, p90: 28 + i * 3, p99: 15 + i * 2 },
    };
  });
}

function build(specs: readonly ModelSpec[]): Catalogue {
  const endpoints = new Map<string, readonly WireEndpoint[]>();
  specs.forEach((s, i) => endpoints.set(s.id, endpointsFor(s, i)));
  const wire = specs.map(toWire);
  const byId = new Map<string, WireModel>([...wire, AUTO_ENTRY].map((m) => [String(m.id), m]));
  const prices = new Map(
    specs.map((s) => [s.id, { prompt: s.prompt / 1_000_000, completion: s.completion / 1_000_000 }]),
  );
  return {
    models: [AUTO_ENTRY, ...wire, ...QUIRKS],
    endpoints,
    model: (id) => byId.get(id),
    price: (id) => prices.get(id) ?? { prompt: 0, completion: 0 },
  };
}

/** The default catalogue: `openrouter/auto`, the stable models, then the quirks. */
export function defaultCatalogue(): Catalogue {
  return build(STABLE_MODELS);
}

/** A small deterministic PRNG (mulberry32): same seed, same catalogue. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SENTENCES: readonly string[] = [
  'It is tuned for instruction following, multi-turn chat and tool use across a wide range of domains.',
  'The model was trained on a mixture of public web data, licensed corpora and synthetic reasoning traces.',
  'It supports long-context retrieval, structured JSON output and function calling with parallel tool calls.',
  'Benchmarks show strong results on coding (HumanEval, SWE-bench), mathematics (GSM8K, MATH) and multilingual QA.',
  'Quantized variants trade a small amount of quality for substantially higher throughput and lower cost.',
  "Usage of this model is subject to the provider's acceptable use policy and data retention terms.",
  'Reasoning tokens, when enabled, are billed as output tokens and may be hidden or summarised.',
  'It is a good default for agents that need reliable formatting under tight latency budgets.',
];

/** A realistic, deterministic description (real ones are a few hundred to 1,500 characters). */
function describeModel(name: string, rand: () => number): string {
  const count = 8 + Math.floor(rand() * 10);
  return [
    `${name} is a general-purpose language model.`,
    ...Array.from({ length: count }, () => SENTENCES[Math.floor(rand() * SENTENCES.length)]!),
  ].join(' ');
}

const AUTHORS: readonly string[] = [
  'openai',
  'anthropic',
  'google',
  'meta-llama',
  'mistralai',
  'qwen',
  'deepseek',
  'cohere',
  'x-ai',
  'nvidia',
  'microsoft',
  'amazon',
];
/** Names from the spec's `ProviderName` enum. */
const PROVIDER_POOL: readonly string[] = [
  'DeepInfra',
  'Together',
  'Fireworks',
  'Groq',
  'Novita',
  'Parasail',
  'Nebius',
  'Chutes',
  'Cerebras',
  'SambaNova',
  'BaseTen',
  'Crusoe',
  'Friendli',
  'NextBit',
  'Cloudflare',
  'AtlasCloud',
  'SiliconFlow',
  'Featherless',
  'Infermatic',
  'DeepInfra/turbo',
];

function pickProviders(start: number, count: number, keep: readonly string[] = []): string[] {
  const out = [...keep];
  for (let j = 0; out.length < count && j < PROVIDER_POOL.length; j++) {
    const p = PROVIDER_POOL[(start + j * 7) % PROVIDER_POOL.length]!;
    if (!out.includes(p)) out.push(p);
  }
  return out;
}

/**
 * A deterministic catalogue of `n` well-formed models (the stable ones first, their provider
 * lists topped up) with at least `endpointsPerModel` endpoints each (up to 20), plus
 * `openrouter/auto` and the quirks. `generateCatalogue(400, 5)` is ~1 MB of `/models` JSON.
 */
export function generateCatalogue(n: number, endpointsPerModel: number, seed = 42): Catalogue {
  const rand = seeded(seed);
  const specs: ModelSpec[] = STABLE_MODELS.slice(0, n).map((s, i) => ({
    ...s,
    providers: pickProviders(i, endpointsPerModel, s.providers),
  }));
  for (let i = specs.length; i < n; i++) {
    const author = AUTHORS[i % AUTHORS.length]!;
    const free = i % 9 === 0;
    const name = `${author}: Model ${i}${free ? ' (free)' : ''}`;
    const prompt = free ? 0 : Math.round(rand() * 1500) / 100;
    const params = [i % 3 === 0 ? [] : TOOLS, i % 5 === 0 ? REASONING : []].flat();
    specs.push({
      id: `${author}/model-${i}${free ? ':free' : ''}`,
      name,
      description: describeModel(name, rand),
      context: [8192, 32768, 65536, 131072, 200000, 1048576][i % 6]!,
      prompt,
      completion: free ? 0 : Math.round(prompt * (2 + rand() * 4) * 100) / 100,
      params,
      inputs: i % 4 === 0 ? ['text', 'image'] : ['text'],
      providers: pickProviders(i, endpointsPerModel),
      ...(i % 10 === 7 ? { extra: { unknown_flag: true } } : {}),
    });
  }
  return build(specs);
}
