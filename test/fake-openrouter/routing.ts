/**
 * How the fake picks the endpoint that serves a model, and the failures OpenRouter itself raises
 * before any provider runs: unknown model, no tool support, provider preferences that leave
 * nothing, a prompt beyond the context window (routing.md §2).
 */
import { AUTO_TARGET, FIXTURE_MODELS, type Catalogue, type TokenPrice, type WireEndpoint } from './catalogue';
import { asRecord } from './http';

/** A failure before the first token, as an HTTP error. */
export interface RouteError {
  readonly status: number;
  readonly message: string;
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** The endpoint that serves a request. */
export interface Served {
  /** The model id the response reports (for `openrouter/auto`, the model it picked). */
  readonly model: string;
  readonly endpoint: WireEndpoint | undefined;
  readonly provider: string;
  readonly price: TokenPrice;
}

/** What routing reads from the request. */
export interface RouteRequest {
  readonly promptTokens: number;
  readonly maxTokens: number | undefined;
  readonly wantsTools: boolean;
  /** A message carries an `image_url` part: only models whose `input_modalities` include `image` serve it. */
  readonly wantsImages?: boolean;
  readonly provider: Readonly<Record<string, unknown>>;
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string').map((v) => v.toLowerCase()) : [];

/** `deepinfra` matches `deepinfra/turbo`; the provider's name matches too. */
function matches(endpoint: WireEndpoint, slug: string): boolean {
  const tag = endpoint.tag.toLowerCase();
  return tag === slug || tag.split('/')[0] === slug || endpoint.provider_name.toLowerCase() === slug;
}

/** Orders and filters endpoints by `provider.{only, ignore, order, allow_fallbacks, quantizations}`. */
export function applyProviderPreferences(
  endpoints: readonly WireEndpoint[],
  provider: Readonly<Record<string, unknown>>,
): WireEndpoint[] {
  const only = strings(provider.only);
  const ignore = strings(provider.ignore);
  const order = strings(provider.order);
  const quants = strings(provider.quantizations);
  let list = endpoints.filter(
    (e) => (only.length === 0 || only.some((s) => matches(e, s))) && !ignore.some((s) => matches(e, s)),
  );
  if (quants.length) list = list.filter((e) => quants.includes((e.quantization ?? 'unknown').toLowerCase()));
  if (order.length) {
    const rank = (e: WireEndpoint): number => {
      const i = order.findIndex((s) => matches(e, s));
      return i < 0 ? order.length : i;
    };
    list = [...list].sort((a, b) => rank(a) - rank(b));
    if (provider.allow_fallbacks === false) list = list.filter((e) => order.some((s) => matches(e, s)));
  }
  return list;
}

function priceOf(endpoint: WireEndpoint | undefined, fallback: TokenPrice): TokenPrice {
  if (!endpoint) return fallback;
  const prompt = Number(endpoint.pricing.prompt);
  const completion = Number(endpoint.pricing.completion);
  return Number.isFinite(prompt) && Number.isFinite(completion)
    ? { prompt: Math.max(0, prompt), completion: Math.max(0, completion) }
    : fallback;
}

/** Picks the endpoint that serves `requested`, or the error OpenRouter would answer. */
export function route(catalogue: Catalogue, requested: string, request: RouteRequest): Served | RouteError {
  const model = requested === FIXTURE_MODELS.auto ? AUTO_TARGET : requested;
  const all = catalogue.endpoints.get(model);
  if (!all || !catalogue.model(model))
    return {
      status: 400,
      message: `${requested} is not a valid model ID`,
      metadata: { error_type: 'invalid_request' },
    };
  let candidates = [...all];
  // As OpenRouter answers an image sent to a text-only model.
  const inputs = (catalogue.model(model)?.architecture as { input_modalities?: readonly string[] } | undefined)
    ?.input_modalities ?? ['text'];
  if (request.wantsImages && !inputs.includes('image'))
    return {
      status: 404,
      message: 'No endpoints found that support image input',
      metadata: { error_type: 'not_found' },
    };
  if (request.wantsTools) {
    candidates = candidates.filter((e) => e.supported_parameters.includes('tools'));
    if (candidates.length === 0)
      return {
        status: 404,
        message: 'No endpoints found that support tool use',
        metadata: { error_type: 'not_found' },
      };
  }
  candidates = applyProviderPreferences(candidates, request.provider);
  if (candidates.length === 0)
    return {
      status: 404,
      message: 'No allowed providers are available for the selected model.',
      metadata: { error_type: 'not_found' },
    };
  const endpoint = candidates[0]!;
  const wanted = request.promptTokens + (request.maxTokens ?? 0);
  if (wanted > endpoint.context_length) {
    const message = `This endpoint's maximum context length is ${endpoint.context_length} tokens. However, you requested about ${wanted} tokens (${request.promptTokens} of text input, ${request.maxTokens ?? 0} in the output). Please reduce the length of either one, or use the "middle-out" transform to compress your prompt automatically.`;
    return {
      status: 400,
      message,
      metadata: { error_type: 'context_length_exceeded', provider_name: endpoint.provider_name },
    };
  }
  return { model, endpoint, provider: endpoint.provider_name, price: priceOf(endpoint, catalogue.price(model)) };
}

/** True when `route` failed. */
export function isRouteError(value: Served | RouteError): value is RouteError {
  return 'status' in value;
}

/** The routing-relevant parts of a chat body. */
export function routeRequestOf(body: Readonly<Record<string, unknown>>, promptTokens: number): RouteRequest {
  const max =
    typeof body.max_completion_tokens === 'number'
      ? body.max_completion_tokens
      : typeof body.max_tokens === 'number'
        ? body.max_tokens
        : undefined;
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const wantsImages = messages.some((m: unknown) => {
    const content = asRecord(m).content;
    return Array.isArray(content) && content.some((part: unknown) => asRecord(part).type === 'image_url');
  });
  return {
    promptTokens,
    maxTokens: max,
    wantsTools: Array.isArray(body.tools) && body.tools.length > 0,
    wantsImages,
    provider: asRecord(body.provider),
  };
}
