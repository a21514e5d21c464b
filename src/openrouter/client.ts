/**
 * The OpenRouter client: the `openai` SDK pointed at OpenRouter for chat (streaming), plain fetch
 * for the catalogue and key info. The SDK's own retries are off (`maxRetries: 0`): retrying is the
 * router's job, so there is exactly one retry loop. Every failure leaves here as a
 * {@link FailureError} with a classified {@link Failure}.
 */
import type { OpenAI } from 'openai/client';
import type { ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import { parseCatalogue, type ParsedCatalogue } from './catalogue';
import type { EndpointInfo } from './endpoints';
import { endpointsPath, parseEndpoints } from './endpoints';
import {
  abortedFailure,
  brokenStreamFailure,
  configFailure,
  FailureError,
  networkFailure,
  timeoutFailure,
  type Failure,
} from './failures';
import { errorEnvelope, statusOfErrorBody } from './errorBody';
import { failureFromHttp } from './httpFailures';
import { attributionHeaders } from './headers';
import { StreamGuard } from './streamGuard';
import { chatResultOf, takeChunk, type ChatResult, type StreamHandlers, type StreamState } from './streamAssembly';

export { FINISH_GRACE_MS, KEEP_ALIVE_STRETCH } from './streamGuard';
import { parseKeyInfo } from './keyInfo';
import { generationCostOf } from './usageCost';
import { redactSecrets } from './secrets';
import type {
  ChatRequestBody,
  KeyInfo,
  WireChunk,
  WireMessage,
  WirePartsMessage,
  WireToolPartsMessage,
  WireToolTurnMessage,
} from './wire';

export interface ClientOptions {
  readonly baseUrl: string;
  readonly apiKey: string;
  /** Seconds to wait for the first byte, and between two chunks of a stream. */
  readonly timeoutSeconds?: number;
  readonly fetch?: typeof fetch;
  /** Told how each chat request to a model ended (a failure, or none): rate-limit tracking. */
  readonly onOutcome?: (model: string, failure?: Failure) => void;
}

const DEFAULT_TIMEOUT_SECONDS = 90;

/** The SDK, required on the first chat request: esbuild keeps it out of the host bundle (see esbuild.mjs). */
function openaiSdk(): typeof import('./openaiSdk') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./openaiSdk') as typeof import('./openaiSdk');
}

export class OpenRouterClient {
  private readonly timeoutSeconds: number;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: ClientOptions) {
    this.timeoutSeconds = options.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
    this.fetchImpl = options.fetch ?? fetch;
  }

  /**
   * An SDK instance for one request. Its fetch keeps the request's idle timer alive on every byte
   * (OpenRouter's `: OPENROUTER PROCESSING` keep-alives included, which the SDK itself swallows),
   * sends exactly our key (whatever `OPENAI_CUSTOM_HEADERS` says) and drops the SDK's platform
   * headers; organisation/project headers from `OPENAI_*` variables are never sent.
   */
  private sdkFor(guard: StreamGuard): OpenAI {
    const apiKey = this.options.apiKey;
    const fetchImpl = this.fetchImpl;
    const guardedFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      const headers = new Headers(init?.headers);
      for (const name of [...headers.keys()]) if (name.startsWith('x-stainless')) headers.delete(name);
      headers.set('authorization', `Bearer ${apiKey}`);
      const response = await fetchImpl(input, { ...init, headers });
      guard.touch(true);
      // The SDK keeps only `error` of an error body: the whole document is read here (errors read whole, once).
      if (!response.ok)
        guard.errorBody = await response
          .clone()
          .text()
          .catch(() => undefined);
      if (!response.body) return response;
      const touched = response.body.pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, controller) {
            // Any byte counts (keep-alives included), within the keep-alive stretch.
            guard.touch(true);
            controller.enqueue(chunk);
          },
        }),
      );
      return new Response(touched, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    };
    const { OpenAI } = openaiSdk();
    return new OpenAI({
      apiKey,
      baseURL: this.options.baseUrl,
      organization: null,
      project: null,
      maxRetries: 0,
      timeout: this.timeoutSeconds * 1000,
      defaultHeaders: attributionHeaders(),
      fetch: guardedFetch,
    });
  }

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  /** `GET /models`: the whole catalogue, tolerant of odd entries. */
  async listModels(signal?: AbortSignal): Promise<ParsedCatalogue> {
    const body = await this.getJson('/models', signal);
    try {
      return parseCatalogue(body);
    } catch (error) {
      throw new FailureError(
        brokenStreamFailure(`The model list could not be read: ${(error as Error).message}`, false),
      );
    }
  }

  /** `GET /models/{author}/{slug}/endpoints`: the providers serving one model. */
  async listEndpoints(model: string, signal?: AbortSignal): Promise<EndpointInfo[]> {
    const path = endpointsPath(model);
    if (!path) throw new FailureError(configFailure(`"${model}" is not an author/slug model id`));
    const body = await this.getJson(path, signal);
    try {
      return parseEndpoints(body).endpoints;
    } catch (error) {
      throw new FailureError(
        brokenStreamFailure(`The endpoints of ${model} could not be read: ${(error as Error).message}`, false),
      );
    }
  }

  /**
   * `GET /generation?id=`: what a generation cost (USD) — `total_cost`, plus
   * `upstream_inference_cost` when `is_byok` — or undefined when it cannot be found. The record
   * appears a moment after a stream ends (404 until then), so a 404 is retried after each of
   * `delaysMs` (default 0.5, 1, 2, 4 s: at most 7.5 s in all); other failures are not.
   */
  async generationCost(
    id: string,
    delaysMs: readonly number[] = GENERATION_RETRY_MS,
    signal?: AbortSignal,
  ): Promise<number | undefined> {
    for (let attempt = 0; ; attempt++) {
      try {
        return generationCostOf(await this.getJson(`/generation?id=${encodeURIComponent(id)}`, signal));
      } catch (error) {
        const notYet = error instanceof FailureError && error.failure.status === 404;
        const delay = delaysMs[attempt];
        if (!notYet || delay === undefined || signal?.aborted) return undefined;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  /** A cheap reachability check: `GET /models`, body read and dropped. */
  async ping(signal?: AbortSignal): Promise<void> {
    await this.getJson('/models', signal);
  }

  /** `GET /key`: limits and usage of the key in use. */
  async getKeyInfo(signal?: AbortSignal): Promise<KeyInfo> {
    const body = await this.getJson('/key', signal);
    const info = parseKeyInfo(body);
    if (!info) throw new FailureError(brokenStreamFailure('The key information could not be read', false));
    return info;
  }

  /**
   * Streams a chat completion. Resolves with the whole answer; on failure rejects with a
   * {@link FailureError} whose failure says whether text had already arrived (`midStream`).
   */
  async streamChat(
    body: ChatRequestBody<WireMessage | WirePartsMessage | WireToolTurnMessage | WireToolPartsMessage>,
    handlers: StreamHandlers,
    signal?: AbortSignal,
  ): Promise<ChatResult> {
    const started = Date.now();
    const guard = new StreamGuard(this.timeoutSeconds * 1000, signal);
    const state: StreamState = {
      text: '',
      reasoning: '',
      model: undefined,
      provider: undefined,
      generationId: undefined,
      finishReason: undefined,
      usage: undefined,
      ttftMs: undefined,
      sources: [],
    };
    try {
      const request = this.sdkFor(guard).chat.completions.create(
        { ...body, stream: true } as unknown as ChatCompletionCreateParamsStreaming,
        { signal: guard.signal },
      );
      const { data: stream, response } = await request.withResponse();
      state.generationId = response.headers.get('x-generation-id') ?? undefined;
      guard.touch();
      try {
        for await (const raw of stream) {
          // Chunks already parsed when the user pressed Stop are not shown.
          if (guard.userAborted) break;
          guard.touch();
          if (takeChunk(raw as unknown as WireChunk, state, handlers, guard, started)) break;
        }
      } catch (error) {
        // After a finish the answer is complete: whatever ends the request then — our own timer
        // (the grace, the idle timeout), or the connection dropped or garbled before `[DONE]` —
        // only loses the usage (the cost is then looked up by the generation id). Stop still stops.
        if (guard.userAborted || !state.finishReason || state.finishReason === 'error') throw error;
      }
      this.checkStreamEnd(guard, state);
    } catch (error) {
      const failure = this.classify(error, guard, state.text.length > 0);
      this.options.onOutcome?.(body.model, failure);
      throw new FailureError({
        ...failure,
        message: redactSecrets(failure.message, [this.options.apiKey]),
        ...(state.generationId ? { generationId: state.generationId } : {}),
      });
    } finally {
      guard.dispose();
    }
    this.options.onOutcome?.(state.model ?? body.model);
    return chatResultOf(state);
  }

  /** Throws the failure of a stream that ended unfinished: stopped, timed out, cut off, or an error finish. */
  private checkStreamEnd(guard: StreamGuard, state: StreamState): void {
    const { text, finishReason } = state;
    // The SDK ends iteration quietly when its signal aborts: say why the stream stopped.
    if (guard.userAborted) throw new FailureError(abortedFailure(text.length > 0));
    if (guard.timedOut && !finishReason)
      throw new FailureError({ ...timeoutFailure(this.timeoutSeconds), midStream: text.length > 0 });
    if (!finishReason)
      throw new FailureError(brokenStreamFailure('The stream ended before the answer was finished', text.length > 0));
    if (finishReason === 'error')
      throw new FailureError(brokenStreamFailure('The provider reported an error while answering', text.length > 0));
  }

  private classify(error: unknown, guard: StreamGuard, midStream: boolean): Failure {
    const { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } = openaiSdk();
    if (error instanceof FailureError) return { ...error.failure, midStream: error.failure.midStream || midStream };
    if (guard.userAborted) return abortedFailure(midStream);
    if (guard.timedOut || error instanceof APIConnectionTimeoutError)
      return { ...timeoutFailure(this.timeoutSeconds), midStream };
    if (error instanceof APIUserAbortError) return abortedFailure(midStream);
    if (error instanceof APIConnectionError)
      return { ...networkFailure(describeCause(error), this.options.baseUrl), midStream };
    if (error instanceof APIError) {
      // The whole error document when the response had one; a stream's error chunk otherwise.
      const body = parseJson(guard.errorBody) ?? error.error;
      const status = error.status ?? statusOfErrorBody(errorEnvelope(body));
      return failureFromHttp(status, body, error.headers, midStream);
    }
    if (error instanceof SyntaxError) return brokenStreamFailure('The stream carried data that is not JSON', midStream);
    if (error instanceof Error && error.name === 'AbortError') return abortedFailure(midStream);
    return { ...networkFailure(describeCause(error), this.options.baseUrl), midStream };
  }

  private async getJson(path: string, signal?: AbortSignal): Promise<unknown> {
    const guard = new StreamGuard(this.timeoutSeconds * 1000, signal);
    try {
      const response = await this.fetchImpl(`${this.options.baseUrl}${path}`, {
        headers: {
          ...attributionHeaders(),
          Authorization: `Bearer ${this.options.apiKey}`,
          Accept: 'application/json',
        },
        signal: guard.signal,
      });
      const text = await response.text();
      let json: unknown;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      if (!response.ok)
        throw new FailureError(
          failureFromHttp(
            response.status,
            json ?? (text.trim() ? { message: text.slice(0, 500) } : undefined),
            response.headers,
          ),
        );
      if (json === undefined)
        throw new FailureError(brokenStreamFailure(`${path} answered with something that is not JSON`, false));
      return json;
    } catch (error) {
      if (error instanceof FailureError)
        throw new FailureError({
          ...error.failure,
          message: redactSecrets(error.failure.message, [this.options.apiKey]),
        });
      if (guard.userAborted) throw new FailureError(abortedFailure(false));
      if (guard.timedOut) throw new FailureError(timeoutFailure(this.timeoutSeconds));
      throw new FailureError(networkFailure(describeCause(error), this.options.baseUrl));
    } finally {
      guard.dispose();
    }
  }
}

/** Waits between `GET /generation` tries while the record is not there yet (ms). */
export const GENERATION_RETRY_MS: readonly number[] = [500, 1000, 2000, 4000];

function parseJson(text: string | undefined): unknown {
  if (!text?.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return { message: text.slice(0, 500) };
  }
}

function describeCause(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code =
    typeof cause === 'object' && cause !== null && 'code' in cause ? String((cause as { code: unknown }).code) : '';
  const message = cause instanceof Error ? cause.message : String(cause);
  return redactSecrets(code && !message.includes(code) ? `${message} (${code})` : message);
}
