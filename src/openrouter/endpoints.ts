/**
 * `GET /models/{author}/{slug}/endpoints` → the providers that serve one model, as the routing
 * engine needs them. Tolerant like the catalogue: an odd endpoint is skipped, never the list.
 */

/**
 * One provider endpoint of a model (`GET /models/{author}/{slug}/endpoints`), prices in USD per
 * token. Unknown policy fields (`dataCollection`, `zdr`) pass every filter.
 */
export interface EndpointInfo {
  /** e.g. `deepinfra/fp8`; its base (`deepinfra`) is the provider slug. */
  readonly tag: string;
  readonly providerName: string;
  readonly supportedParameters: readonly string[];
  readonly quantization?: string;
  readonly promptPrice: number;
  readonly completionPrice: number;
  readonly requestPrice?: number;
  readonly imagePrice?: number;
  readonly contextLength: number;
  readonly maxCompletionTokens?: number;
  /** Whether the provider may store / train on prompts; undefined = unknown. */
  readonly dataCollection?: 'allow' | 'deny';
  /** Zero data retention; undefined = unknown. */
  readonly zdr?: boolean;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function price(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

function positiveInt(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.floor(v) : undefined;
}

/** One endpoint, or undefined when it lacks what routing needs (a slug, prices, a context length). */
export function parseEndpoint(raw: unknown): EndpointInfo | undefined {
  if (!isRecord(raw) || typeof raw.tag !== 'string' || !raw.tag) return undefined;
  const pricing = isRecord(raw.pricing) ? raw.pricing : {};
  const promptPrice = price(pricing.prompt);
  const completionPrice = price(pricing.completion);
  const contextLength = positiveInt(raw.context_length);
  if (promptPrice === undefined || completionPrice === undefined || contextLength === undefined) return undefined;
  const requestPrice = price(pricing.request);
  const imagePrice = price(pricing.image);
  const maxCompletionTokens = positiveInt(raw.max_completion_tokens);
  const params = Array.isArray(raw.supported_parameters)
    ? raw.supported_parameters.filter((p): p is string => typeof p === 'string')
    : [];
  return {
    tag: raw.tag,
    providerName: typeof raw.provider_name === 'string' ? raw.provider_name : raw.tag,
    supportedParameters: params,
    ...(typeof raw.quantization === 'string' && raw.quantization ? { quantization: raw.quantization } : {}),
    promptPrice,
    completionPrice,
    ...(requestPrice ? { requestPrice } : {}),
    ...(imagePrice ? { imagePrice } : {}),
    contextLength,
    ...(maxCompletionTokens ? { maxCompletionTokens } : {}),
  };
}

/** The endpoints of a `/endpoints` response; throws only when the envelope itself is wrong. */
export function parseEndpoints(body: unknown): { endpoints: EndpointInfo[]; skipped: number } {
  const data = isRecord(body) ? body.data : undefined;
  const list = isRecord(data) ? data.endpoints : undefined;
  if (!Array.isArray(list)) throw new Error('expected {"data":{"endpoints":[…]}}');
  const endpoints: EndpointInfo[] = [];
  let skipped = 0;
  for (const raw of list) {
    const e = parseEndpoint(raw);
    if (e) endpoints.push(e);
    else skipped++;
  }
  return { endpoints, skipped };
}

/**
 * One part of a model id (`author`, `slug[:variant]`) as OpenRouter spells them: starts with a
 * letter or digit (so never `.` or `..`), then letters, digits and `._~:+-` only — no `/`, `%`,
 * `?`, `#`, `\\`, spaces, controls or look-alike letters that could steer a URL elsewhere.
 */
const MODEL_ID_PART = /^[A-Za-z0-9][A-Za-z0-9._~:+-]{0,127}$/;

/** `author/slug` split into its two parts when both have the shape of a model id, else undefined. */
export function modelIdParts(model: string): readonly [string, string] | undefined {
  if (typeof model !== 'string') return undefined;
  const parts = model.split('/');
  if (parts.length !== 2) return undefined;
  const [author, slug] = parts as [string, string];
  return MODEL_ID_PART.test(author) && MODEL_ID_PART.test(slug) ? [author, slug] : undefined;
}

/**
 * The URL path of a model's endpoint list (`openai/gpt-4o` → `/models/openai/gpt-4o/endpoints`),
 * or undefined when `model` (from settings or the catalogue, so untrusted) is not shaped like a
 * model id. Each part is also percent-encoded: an id never becomes a path of its own choosing.
 */
export function endpointsPath(model: string): string | undefined {
  const parts = modelIdParts(model);
  return parts ? `/models/${encodeURIComponent(parts[0])}/${encodeURIComponent(parts[1])}/endpoints` : undefined;
}

/** The provider slug of an endpoint tag or a provider-preference entry: `deepinfra/fp8` → `deepinfra`. */
export function providerOfTag(tag: string): string {
  const slash = tag.indexOf('/');
  return slash < 0 ? tag : tag.slice(0, slash);
}
