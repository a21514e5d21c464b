/**
 * `POST /chat/completions` (contract §1–3): auth and credit checks, the `models` fallback walk
 * (pre-first-token failures move on, like OpenRouter), then the answer, streamed or not.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerText, cacheDiscount, pieces, promptTokens, usageOf, type ChatMessage, type WireUsage } from './answer';
import type { FakePromptCache } from './promptCache';
import { WEB_ANSWER_TAIL, WEB_RESULT_USD, webAnnotations, webPluginOf } from './webSearch';
import { FIXTURE_MODELS, type Catalogue } from './catalogue';
import { completeAnswer } from './complete';
import { completionAnswer, completionPromptOf, type CompletionScript } from './completions';
import { defaultMessageFor, errorTypeFor, sendError } from './errors';
import type { Fault, FaultBook } from './faults';
import { newGenerationId, type Generation, type GenerationStore } from './generations';
import { asRecord, sleep } from './http';
import type { KeyRegistry } from './keys';
import { isRouteError, route, routeRequestOf, type RouteError, type Served } from './routing';
import { streamAnswer } from './stream';
import { thinkingFor, type ReasoningSettings, type Thinking } from './reasoning';
import { checkReplay, chooseTurn, streamAgentTurn, type AgentLedger, type AgentScript, type AgentTurn } from './agent';
import { autoAgentTurn, offeredTools } from './autoAgent';
import { summaryAnswer } from './summarizer';

/** One model tried for a chat request, and the status it gave (200 = it served). */
export interface Attempt {
  readonly model: string;
  readonly status: number;
}

/** A request as the fake saw it. The chat-only fields fill in while it is handled. */
export interface RecordedRequest {
  readonly method: string;
  /** Path without the query, e.g. `/api/v1/chat/completions`. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** Header names lowercased. */
  readonly headers: Readonly<Record<string, string>>;
  /** Parsed JSON, form fields, the raw text when it is not JSON, or undefined when empty. */
  readonly body: unknown;
  /** `Date.now()` on arrival. */
  readonly time: number;
  /** The HTTP status sent (once sent). */
  status?: number;
  /** Chat: the models tried in order. */
  tried?: string[];
  /** Chat: each model tried and its status. */
  attempts?: Attempt[];
  /** Chat: the model and provider that served (if any). */
  servedModel?: string;
  servedProvider?: string;
  generationId?: string;
  /** Chat: the client closed the connection before the answer ended. */
  aborted?: boolean;
  /** The response is over: sent, cut, or abandoned by the client. */
  closed?: boolean;
  /** Chat: an inline-completion prompt, with the text before the cursor and the insertion answered. */
  completion?: { readonly before: string; readonly insertion: string };
}

/** Knobs of the answers, changeable while the server runs. */
export interface ChatSettings {
  /** Delay before each streamed content chunk (ms). */
  tokenDelayMs: number;
  /** Number of content chunks of every answer (default: about three words per chunk). */
  chunks: number | undefined;
  /** Usage chunk form: `empty` = `choices:[]` (docs), `choice` = one empty-delta choice (real captures). */
  usageChunk: 'empty' | 'choice' | 'none';
  /** A scripted answer text for every model instead of the echo (e.g. a fenced code block for Apply tests). */
  answer?: string | undefined;
  /** How inline-completion prompts are answered (scripted insertions, latency). */
  completions: CompletionScript;
  /** Shortest prompt prefix the fake's prompt cache keeps (tokens; default 1024). */
  cacheMinTokens?: number | undefined;
  /** A scripted tool-using model for requests that carry `tools` (agent.ts); without one, the built-in agent (autoAgent.ts) answers them. */
  agentScript?: AgentScript | undefined;
  /** How thinking models stream their thinking (reasoning.ts). */
  reasoning?: ReasoningSettings | undefined;
}

/** What the chat handler needs from the server. */
export interface ChatContext {
  readonly catalogue: Catalogue;
  readonly faults: FaultBook;
  readonly keys: KeyRegistry;
  readonly generations: GenerationStore;
  readonly settings: Readonly<ChatSettings>;
  /** Aborted when the server closes: ends hangs and waits. */
  readonly closing: AbortSignal;
  /** The tool call ids (and reasoning) the scripted model issued. */
  readonly agentLedger: () => AgentLedger;
  /** The prompt cache of each served model and provider (promptCache.ts). */
  readonly promptCache: FakePromptCache;
}

/** Everything needed to play one answer. */
export interface AnswerPlan {
  readonly served: Served;
  readonly generation: Generation;
  readonly messages: readonly ChatMessage[];
  readonly pieces: readonly string[];
  /** Thinking streamed before the content (a reasoning model asked to think), if any. */
  readonly thinking?: Thinking;
  readonly fault: Fault | undefined;
  readonly delayMs: number;
  readonly usageChunk: 'empty' | 'choice' | 'none';
  /** Milliseconds before the response starts (completion prompts). */
  readonly latencyMs: number;
  /** Ends when the client leaves or the server closes. */
  readonly stop: AbortSignal;
  /** The server destroys the socket itself (so it is not a client abort). */
  markCut(): void;
  /** Records usage and finish of what was actually sent (the first call counts). */
  finish(sentText: string, finishReason: string | null): void;
  /** Web plugin sources (`url_citation` annotations) sent before the finish chunk. */
  readonly annotations?: readonly unknown[];
}

function httpFaultError(
  fault: Extract<Fault, { kind: 'http' }>,
  model: string,
  provider: string,
): RouteError & { headers: Record<string, string> } {
  const metadata: Record<string, unknown> = {
    error_type: fault.errorType ?? (fault.status === 400 ? 'context_length_exceeded' : errorTypeFor(fault.status)),
  };
  let message = fault.message ?? defaultMessageFor(fault.status);
  if (fault.status === 400 && !fault.message)
    message =
      "This endpoint's maximum context length is 2048 tokens. However, you requested about 9000 tokens (8000 of text input, 1000 in the output). Please reduce the length of either one.";
  if (fault.status === 403 && !fault.message) {
    message = `${model} requires moderation on ${provider}. Your input was flagged for "misc". No credits were charged.`;
    Object.assign(metadata, {
      reasons: ['misc'],
      flagged_input: 'You are a helpful AI...order eba.',
      provider_name: provider,
      model_slug: model,
    });
  }
  if (fault.status === 502 || fault.status === 503) Object.assign(metadata, { provider_name: provider, raw: null });
  if (fault.rateLimitReset !== undefined)
    metadata.headers = {
      'X-RateLimit-Limit': '50',
      'X-RateLimit-Remaining': '0',
      'X-RateLimit-Reset': String(fault.rateLimitReset),
    };
  if (fault.status === 429 && !('provider_name' in metadata)) metadata.provider_name = null;
  Object.assign(metadata, fault.metadata);
  const headers: Record<string, string> = {};
  if (fault.retryAfter !== undefined) headers['Retry-After'] = String(fault.retryAfter);
  if (fault.retryAfterMs !== undefined) headers['retry-after-ms'] = String(fault.retryAfterMs);
  return {
    status: fault.status,
    message,
    metadata: fault.availability ? { ...metadata, availability: fault.availability } : metadata,
    headers,
  };
}

/** The models to try: `model` first, then `models` in order (duplicates dropped). */
export function candidatesOf(body: Readonly<Record<string, unknown>>): string[] {
  const list = Array.isArray(body.models) ? body.models.filter((m): m is string => typeof m === 'string') : [];
  const primary = typeof body.model === 'string' ? body.model : (list[0] ?? FIXTURE_MODELS.auto);
  return [...new Set([primary, ...list])];
}

function messagesOf(body: Readonly<Record<string, unknown>>): ChatMessage[] | undefined {
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0) return undefined;
  return messages.every((m: unknown) => typeof asRecord(m).role === 'string') ? (messages as ChatMessage[]) : undefined;
}

/** Handles `POST /api/v1/chat/completions`. */
export async function handleChat(
  req: IncomingMessage,
  res: ServerResponse,
  raw: unknown,
  record: RecordedRequest,
  ctx: ChatContext,
): Promise<void> {
  const auth = ctx.keys.check(req.headers.authorization);
  if (!auth.ok) return sendError(res, auth.status, auth.message);
  if (ctx.keys.outOfCredit(auth.key)) return sendError(res, 402, defaultMessageFor(402));
  const body = asRecord(raw);
  const messages = messagesOf(body);
  if (!messages) return sendError(res, 400, 'Input required: specify "prompt" or "messages"');

  const routeRequest = routeRequestOf(body, promptTokens(messages));
  const candidates = candidatesOf(body);
  const script = ctx.settings.agentScript;
  let turn: AgentTurn | undefined;
  if (script && routeRequest.wantsTools) {
    const wrong = checkReplay(messages, ctx.agentLedger());
    if (wrong) return sendError(res, 400, wrong, { error_type: 'invalid_request' });
    turn = chooseTurn(script, messages) ?? { text: 'The script has no turn for this conversation.' };
  } else if (routeRequest.wantsTools && ctx.settings.answer === undefined) {
    // No script: the built-in agent acts on what the tool results show (autoAgent.ts).
    turn = autoAgentTurn(messages, offeredTools(body.tools));
  }
  record.tried = [];
  record.attempts = [];
  let failure: (RouteError & { headers?: Record<string, string> }) | undefined;
  for (const requested of candidates) {
    record.tried.push(requested);
    const served = route(ctx.catalogue, requested, routeRequest);
    const fault = isRouteError(served) ? undefined : ctx.faults.take(requested);
    failure = isRouteError(served)
      ? served
      : fault?.kind === 'http'
        ? httpFaultError(fault, served.model, served.provider)
        : undefined;
    if (!failure && turn?.failFor?.models.includes(requested))
      failure = httpFaultError(
        { kind: 'http', status: turn.failFor.status },
        requested,
        isRouteError(served) ? '' : served.provider,
      );
    record.attempts.push({ model: requested, status: failure?.status ?? 200 });
    if (failure || isRouteError(served)) continue;
    record.servedModel = served.model;
    record.servedProvider = served.provider;
    if (turn) {
      const answer = plan(res, served, messages, undefined, true, body.user, record, ctx, { tools: body.tools });
      await streamAgentTurn(res, answer, turn, ctx.agentLedger());
      answer.finish('', record.aborted ? null : 'error');
      return;
    }
    return serve(
      res,
      plan(res, served, messages, fault, body.stream === true, body.user, record, ctx, body),
      body.stream === true,
      record,
    );
  }
  if (failure) sendError(res, failure.status, failure.message, failure.metadata, failure.headers);
}

function plan(
  res: ServerResponse,
  served: Served,
  messages: readonly ChatMessage[],
  fault: Fault | undefined,
  streamed: boolean,
  user: unknown,
  record: RecordedRequest,
  ctx: ChatContext,
  body: Readonly<Record<string, unknown>> = {},
): AnswerPlan {
  const web = webPluginOf(body);
  const started = Date.now();
  const generationId = newGenerationId();
  const thinking = streamed
    ? thinkingFor(ctx.catalogue, served.model, body, messages, ctx.settings.reasoning, `sig_${generationId}`)
    : undefined;
  const fim = completionPromptOf(messages);
  if (fim)
    record.completion = {
      before: fim.before,
      insertion: completionAnswer(ctx.settings.completions, fim.before, fim.after),
    };
  const base =
    record.completion?.insertion ??
    ctx.settings.answer ??
    summaryAnswer(messages) ??
    answerText(served.model, messages, fault?.kind === 'restart');
  const text = web ? base + WEB_ANSWER_TAIL : base;
  const cache = ctx.promptCache.use(
    ctx.catalogue,
    served.model,
    served.provider,
    served.price,
    messages,
    ctx.settings.cacheMinTokens,
    body.tools,
  );
  const extras = { cache, webUsd: web ? web.maxResults * WEB_RESULT_USD : 0 };
  const usageFor = (sent: string): WireUsage => {
    const usage = usageOf(messages, sent, served.price, { ...extras, reasoningTokens: thinking?.tokens });
    if (fault?.kind !== 'byok') return usage;
    return {
      ...usage,
      cost: fault.fee,
      is_byok: true,
      cost_details: { ...usage.cost_details, upstream_inference_cost: fault.upstreamCost },
    };
  };
  const chunks =
    (fault?.kind === 'slow' ? fault.chunks : undefined) ??
    ctx.settings.chunks ??
    (served.model === FIXTURE_MODELS.longWriter ? 400 : undefined);
  const generation: Generation = {
    id: generationId,
    model: served.model,
    provider_name: served.provider,
    streamed,
    created: Math.floor(started / 1000),
    usage: usageFor(text),
    finish_reason: null,
    cancelled: false,
    generation_time: null,
    http_referer: record.headers['http-referer'] ?? null,
    user_agent: record.headers['user-agent'] ?? null,
    external_user: typeof user === 'string' ? user : null,
    cache_discount: cache ? cacheDiscount(cache, served.price) : null,
  };
  record.generationId = generation.id;
  const left = new AbortController();
  let cutByServer = false;
  let finished = false;
  res.on('close', () => {
    if (res.writableFinished || cutByServer) return;
    record.aborted = true;
    generation.cancelled = true;
    left.abort();
  });
  return {
    served,
    generation,
    messages,
    pieces: pieces(text, chunks),
    ...(thinking ? { thinking } : {}),
    fault,
    delayMs: fault?.kind === 'slow' ? fault.delayMs : ctx.settings.tokenDelayMs,
    usageChunk: fault?.kind === 'usageInChoice' ? 'choice' : ctx.settings.usageChunk,
    latencyMs: fim ? ctx.settings.completions.latencyMs : 0,
    stop: AbortSignal.any([left.signal, ctx.closing]),
    ...(web ? { annotations: webAnnotations(text) } : {}),
    markCut: () => {
      cutByServer = true;
    },
    finish: (sentText, finishReason) => {
      if (finished) return;
      finished = true;
      generation.usage = usageFor(sentText);
      generation.finish_reason = finishReason;
      generation.generation_time = Date.now() - started;
      ctx.generations.add(generation);
    },
  };
}

async function serve(
  res: ServerResponse,
  answer: AnswerPlan,
  streamed: boolean,
  record: RecordedRequest,
): Promise<void> {
  if (answer.latencyMs > 0) {
    await sleep(answer.latencyMs, answer.stop);
    if (answer.stop.aborted) {
      // The client left while waiting for the first byte (an aborted completion).
      answer.finish('', null);
      res.destroy();
      return;
    }
  }
  await (streamed ? streamAnswer(res, answer) : completeAnswer(res, answer));
  answer.finish('', record.aborted ? null : 'error');
}
