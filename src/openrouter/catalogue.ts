/**
 * The model catalogue from `GET /models`, parsed tolerantly: an entry that does not fit is skipped
 * (and counted), never the whole list. Prices arrive as strings in USD per token; the UI shows them
 * per million tokens.
 */
import * as z from 'zod/mini';
import { REASONING_EFFORTS, type ModelReasoningInfo, type ReasoningEffort } from './reasoning';

/** Prices arrive as strings (USD per token); numbers are tolerated. */
const price = z.pipe(
  z.union([z.string(), z.number()]),
  z.transform((v) => Number(v)),
);
const opt = <T extends z.ZodMiniType>(schema: T) => z.optional(z.nullable(schema));

const ModelEntrySchema = z.object({
  id: z.string().check(z.minLength(1)),
  name: opt(z.string()),
  description: opt(z.string()),
  created: opt(z.number()),
  context_length: opt(z.number().check(z.int(), z.positive())),
  architecture: opt(
    z.object({
      input_modalities: opt(z.array(z.string())),
      output_modalities: opt(z.array(z.string())),
      modality: opt(z.string()),
    }),
  ),
  pricing: z.object({
    prompt: price,
    completion: price,
    request: opt(price),
    image: opt(price),
    input_cache_read: opt(price),
    input_cache_write: opt(price),
  }),
  top_provider: opt(
    z.object({
      context_length: opt(z.number()),
      max_completion_tokens: opt(z.number()),
      is_moderated: opt(z.boolean()),
    }),
  ),
  supported_parameters: opt(z.array(z.string())),
  /** `ModelReasoning`; read leniently (an odd block loses only itself, see {@link reasoningInfo}). */
  reasoning: opt(z.unknown()),
  expiration_date: opt(z.string()),
});

/** One model as Switchyard uses it. Prices in USD per token (NaN never survives parsing). */
export interface ModelInfo {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly contextLength: number;
  readonly maxCompletionTokens?: number;
  readonly promptPrice: number;
  readonly completionPrice: number;
  /** `:free` variant or zero-priced. */
  readonly isFree: boolean;
  /** Router pseudo-models such as `openrouter/auto` (pricing -1: decided per request). */
  readonly isRouter: boolean;
  readonly supportsTools: boolean;
  readonly supportsVision: boolean;
  readonly supportsReasoning: boolean;
  /** The catalogue's `reasoning` block (efforts, mandatory, budget), when it has one. */
  readonly reasoning?: ModelReasoningInfo;
  readonly supportedParameters: readonly string[];
  readonly created: number;
  /** `pricing.input_cache_read`: USD per prompt token read from the prompt cache; absent when not listed (or 0). */
  readonly cacheReadPrice?: number;
  /** `pricing.input_cache_write`: USD per prompt token written to the prompt cache; absent when not listed (or 0). */
  readonly cacheWritePrice?: number;
}

export interface ParsedCatalogue {
  readonly models: readonly ModelInfo[];
  /** Entries that were skipped, with why (for the log). */
  readonly skipped: readonly { readonly index: number; readonly id?: string; readonly reason: string }[];
}

/** A fallback context length when the catalogue does not say (conservative). */
export const DEFAULT_CONTEXT_LENGTH = 8192;

function toModelInfo(entry: z.infer<typeof ModelEntrySchema>): ModelInfo | string {
  const prompt = entry.pricing.prompt;
  const completion = entry.pricing.completion;
  if (!Number.isFinite(prompt) || !Number.isFinite(completion)) return 'pricing is not a number';
  const isRouter = prompt < 0 || completion < 0;
  const params = entry.supported_parameters ?? [];
  const inputs = entry.architecture?.input_modalities ?? [];
  const modality = entry.architecture?.modality ?? '';
  const contextLength = entry.context_length ?? entry.top_provider?.context_length ?? DEFAULT_CONTEXT_LENGTH;
  const maxCompletion = entry.top_provider?.max_completion_tokens ?? undefined;
  const cacheRead = listedPrice(entry.pricing.input_cache_read);
  const cacheWrite = listedPrice(entry.pricing.input_cache_write);
  return {
    id: entry.id,
    name: entry.name?.trim() || entry.id,
    description: entry.description ?? '',
    contextLength,
    ...(maxCompletion ? { maxCompletionTokens: maxCompletion } : {}),
    promptPrice: isRouter ? 0 : prompt,
    completionPrice: isRouter ? 0 : completion,
    isFree: entry.id.endsWith(':free') || (!isRouter && prompt === 0 && completion === 0),
    isRouter,
    supportsTools: params.includes('tools'),
    supportsVision: inputs.includes('image') || /image/.test(modality.split('->')[0] ?? ''),
    supportsReasoning: params.includes('reasoning') || params.includes('include_reasoning'),
    ...reasoningField(entry.reasoning),
    supportedParameters: params,
    created: entry.created ?? 0,
    ...(cacheRead !== undefined && !isRouter ? { cacheReadPrice: cacheRead } : {}),
    ...(cacheWrite !== undefined && !isRouter ? { cacheWritePrice: cacheWrite } : {}),
  };
}

/** A listed, positive, finite price; a missing, zero or odd one is not listed. */
function listedPrice(value: number | null | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

function isEffort(value: unknown): value is ReasoningEffort {
  return typeof value === 'string' && (REASONING_EFFORTS as readonly string[]).includes(value);
}

/**
 * A model's `reasoning` block (`ModelReasoning`: `mandatory`, `supported_efforts` highest first,
 * `default_effort`, `supports_max_tokens`), or undefined when absent or not an object. Effort values
 * Switchyard does not know (and `none`, which is "off") are left out of the levels.
 */
export function reasoningInfo(raw: unknown): ModelReasoningInfo | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const r = raw as {
    mandatory?: unknown;
    supported_efforts?: unknown;
    default_effort?: unknown;
    supports_max_tokens?: unknown;
  };
  const efforts = Array.isArray(r.supported_efforts) ? r.supported_efforts.filter(isEffort) : undefined;
  return {
    mandatory: r.mandatory === true,
    ...(efforts?.length ? { supportedEfforts: efforts } : {}),
    ...(isEffort(r.default_effort) ? { defaultEffort: r.default_effort } : {}),
    ...(r.supports_max_tokens === true ? { supportsMaxTokens: true } : {}),
  };
}

function reasoningField(raw: unknown): { reasoning?: ModelReasoningInfo } {
  const info = reasoningInfo(raw);
  return info ? { reasoning: info } : {};
}

/** Parses a `/models` response body (already JSON-decoded). Never throws on odd entries. */
export function parseCatalogue(body: unknown): ParsedCatalogue {
  const data =
    typeof body === 'object' && body !== null && Array.isArray((body as { data?: unknown }).data)
      ? (body as { data: unknown[] }).data
      : undefined;
  if (!data) throw new Error('The /models response has no "data" list.');
  const models: ModelInfo[] = [];
  const skipped: { index: number; id?: string; reason: string }[] = [];
  const seen = new Set<string>();
  data.forEach((raw, index) => {
    const id =
      typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'string'
        ? (raw as { id: string }).id
        : undefined;
    const result = ModelEntrySchema.safeParse(raw);
    if (!result.success) {
      const issue = result.error.issues[0];
      skipped.push({
        index,
        ...(id ? { id } : {}),
        reason: issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid entry',
      });
      return;
    }
    const info = toModelInfo(result.data);
    if (typeof info === 'string') {
      skipped.push({ index, ...(id ? { id } : {}), reason: info });
      return;
    }
    if (seen.has(info.id)) {
      skipped.push({ index, id: info.id, reason: 'duplicate id' });
      return;
    }
    seen.add(info.id);
    models.push(info);
  });
  return { models, skipped };
}

/** True for `:free` variants and zero-priced models, also when the catalogue does not know the model (yet). */
export function isFreeModel(id: string, info: ModelInfo | undefined): boolean {
  return id.endsWith(':free') || info?.isFree === true;
}

/** USD per token → "$3.00" per million tokens ("free" at zero). */
export function formatPricePerMillion(perToken: number): string {
  if (perToken === 0) return 'free';
  const perMillion = perToken * 1_000_000;
  if (perMillion >= 100) return `$${perMillion.toFixed(0)}`;
  if (perMillion >= 0.01) return `$${perMillion.toFixed(2)}`;
  return `$${perMillion.toPrecision(2)}`;
}

/** 128000 → "128K", 1048576 → "1M". */
export function formatContextLength(tokens: number): string {
  if (tokens >= 1_000_000) return `${Number((tokens / 1_000_000).toFixed(1))}M`;
  if (tokens >= 1000) return `${Math.round(tokens / 1000)}K`;
  return String(tokens);
}

/** "anthropic/claude-sonnet-4" → "claude-sonnet-4"; keeps a `:free` suffix readable. */
export function shortModelName(id: string): string {
  const slash = id.lastIndexOf('/');
  return slash >= 0 ? id.slice(slash + 1) : id;
}

/** A catalogue with lookups by id. */
export class CatalogueIndex {
  /** The models by id. */
  readonly byId: ReadonlyMap<string, ModelInfo>;

  constructor(
    readonly models: readonly ModelInfo[],
    readonly fetchedAt: number,
  ) {
    this.byId = new Map(models.map((m) => [m.id, m]));
  }

  get(id: string): ModelInfo | undefined {
    return this.byId.get(id);
  }

  get size(): number {
    return this.models.length;
  }

  /** True while younger than `ttlMs` (24 h by default). */
  isFresh(now: number, ttlMs: number = CATALOGUE_TTL_MS): boolean {
    return now - this.fetchedAt < ttlMs && now >= this.fetchedAt;
  }
}

export const CATALOGUE_TTL_MS = 24 * 60 * 60 * 1000;

/** What is stored on disk between sessions. */
export interface CatalogueCacheFile {
  readonly version: 1;
  readonly fetchedAt: number;
  readonly baseUrl: string;
  readonly models: readonly ModelInfo[];
}

/** Reads a cache file written by an earlier session; `undefined` if it is not usable. */
export function readCatalogueCache(raw: unknown, baseUrl: string): CatalogueIndex | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const file = raw as Partial<CatalogueCacheFile>;
  if (
    file.version !== 1 ||
    file.baseUrl !== baseUrl ||
    typeof file.fetchedAt !== 'number' ||
    !Array.isArray(file.models)
  )
    return undefined;
  const models = file.models.filter(
    (m): m is ModelInfo =>
      typeof m === 'object' &&
      m !== null &&
      typeof (m as ModelInfo).id === 'string' &&
      typeof (m as ModelInfo).contextLength === 'number',
  );
  return new CatalogueIndex(models, file.fetchedAt);
}
