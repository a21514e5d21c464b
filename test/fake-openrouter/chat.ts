/** `POST /chat/completions`: fallback over `models`, scripted faults, SSE streaming per the contract. */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Catalogue } from './catalogue';
import type { Fault, FaultBook } from './faults';
import { errorBody, sendError, sendJson, sleep } from './http';
import type { KeyRegistry } from './keys';

/** A request as the fake saw it. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
  readonly time: number;
  /** Chat only: the models tried in order, and the one that served (if any). */
  tried?: string[];
  servedModel?: string;
  /** Chat only: the client closed the connection before the answer ended. */
  aborted?: boolean;
}

export interface Generation {
  readonly id: string;
  readonly model: string;
  readonly provider_name: string;
  readonly total_cost: number;
  readonly tokens_prompt: number;
  readonly tokens_completion: number;
  readonly streamed: boolean;
  cancelled: boolean;
  finish_reason: string;
}

export interface ChatContext {
  readonly catalogue: Catalogue;
  readonly faults: FaultBook;
  readonly keys: KeyRegistry;
  readonly generations: Map<string, Generation>;
  /** Delay between content chunks (ms). */
  readonly tokenDelayMs: number;
  /** Aborted when the server closes: ends hangs and delays. */
  readonly closing: AbortSignal;
}

interface ChatBody {
  model?: unknown;
  models?: unknown;
  messages?: unknown;
  stream?: unknown;
}

interface Message {
  role: string;
  content: unknown;
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((p) => (typeof p === 'object' && p !== null && typeof (p as { text?: unknown }).text === 'string' ? (p as { text: string }).text : '')).join(' ');
  return '';
}

/** The deterministic answer: echoes the question, with a markdown section and a code block. */
export function answerText(model: string, messages: readonly Message[], chunks?: number): string {
  const last = messages.at(-1);
  const prefill = last?.role === 'assistant' ? textOf(last.content) : '';
  const question = textOf([...messages].reverse().find((m) => m.role === 'user')?.content).trim();
  const shortQuestion = question.slice(-200).replace(/\s+/g, ' ');
  if (chunks) {
    const words = Array.from({ length: chunks }, (_, i) => `word${i}`);
    return `${prefill ? '' : `Long answer from ${model}: `}${words.join(' ')}.`;
  }
  const body = `Echo from ${model}: ${shortQuestion}\n\n## Example\n\nHere is some code:\n\n\`\`\`ts\nexport function answer(): number {\n  return 42;\n}\n\`\`\`\n\nThat is all.`;
  return prefill ? ` (continuing) ${body}` : body;
}

/** Splits text into stream pieces of about three words, keeping whitespace. */
export function pieces(text: string): string[] {
  const parts = text.match(/\S+\s*/g) ?? [text];
  const out: string[] = [];
  for (let i = 0; i < parts.length; i += 3) out.push(parts.slice(i, i + 3).join(''));
  return out;
}

const estimate = (s: string): number => Math.max(1, Math.ceil(s.length / 4));

function providerOf(ctx: ChatContext, model: string): string {
  return ctx.catalogue.endpoints.get(model)?.[0]?.provider_name ?? 'FakeProvider';
}

function httpFault(res: ServerResponse, fault: Extract<Fault, { kind: 'http' }>): void {
  const defaults: Record<number, [string, string]> = {
    400: ['This endpoint\'s maximum context length is 2048 tokens. However, you requested about 9000 tokens.', 'context_length_exceeded'],
    401: ['User not found.', 'authentication'],
    402: ['This request requires more credits, or fewer max_tokens. You requested up to 16384 tokens, but can only afford 1056.', 'payment_required'],
    403: ['Your input was flagged for "misc". No credits were charged.', 'permission_denied'],
    404: ['No endpoints found that support tool use', 'not_found'],
    408: ['Request timed out', 'timeout'],
    429: ['Rate limit exceeded', 'rate_limit_exceeded'],
    500: ['Internal Server Error', 'server'],
    502: ['Provider returned error', 'provider_unavailable'],
    503: ['No provider available', 'provider_overloaded'],
  };
  const [message, type] = defaults[fault.status] ?? [`Error ${fault.status}`, 'unmapped'];
  const metadata: Record<string, unknown> = { error_type: fault.errorType ?? type };
  if (fault.status === 403 && !fault.message) Object.assign(metadata, { reasons: ['misc'], flagged_input: 'You are a helpful…' });
  if (fault.status === 502) metadata.provider_name = 'FakeProvider';
  if (fault.rateLimitReset !== undefined) metadata.headers = { 'X-RateLimit-Limit': '50', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(fault.rateLimitReset) };
  const headers: Record<string, string> = {};
  if (fault.retryAfter !== undefined) headers['Retry-After'] = String(fault.retryAfter);
  if (fault.retryAfterMs !== undefined) headers['retry-after-ms'] = String(fault.retryAfterMs);
  sendError(res, fault.status, fault.message ?? message, metadata, headers);
}

export async function handleChat(req: IncomingMessage, res: ServerResponse, raw: unknown, record: RecordedRequest, ctx: ChatContext): Promise<void> {
  const auth = ctx.keys.check(req.headers.authorization);
  if (!auth.ok) return sendError(res, auth.status, auth.message, { error_type: 'authentication' });
  const body = (typeof raw === 'object' && raw !== null ? raw : {}) as ChatBody;
  if (!Array.isArray(body.messages) || body.messages.length === 0) return sendError(res, 400, 'messages: Required', { error_type: 'invalid_request' });
  const messages = body.messages as Message[];
  if (ctx.keys.outOfCredit(auth.key)) return sendError(res, 402, 'This request requires more credits, or fewer max_tokens.', { error_type: 'payment_required' });

  const primary = typeof body.model === 'string' ? body.model : 'openrouter/auto';
  const list = Array.isArray(body.models) ? body.models.filter((m): m is string => typeof m === 'string') : [];
  const candidates = list.length ? (list.includes(primary) ? list : [primary, ...list]) : [primary];
  record.tried = [];

  for (let i = 0; i < candidates.length; i++) {
    const requested = candidates[i]!;
    record.tried.push(requested);
    const known = requested === 'openrouter/auto' || ctx.catalogue.endpoints.has(requested);
    const isLast = i === candidates.length - 1;
    if (!known) {
      if (isLast) return sendError(res, 400, `${requested} is not a valid model ID`, { error_type: 'invalid_request' });
      continue;
    }
    const fault = ctx.faults.take(requested);
    if (fault?.kind === 'http') {
      if (isLast) return httpFault(res, fault);
      continue;
    }
    const model = requested === 'openrouter/auto' ? 'openai/gpt-4o-mini' : requested;
    record.servedModel = model;
    return body.stream === true ? stream(req, res, model, messages, fault, record, ctx) : complete(res, model, messages, fault, ctx);
  }
}

function usageFor(ctx: ChatContext, model: string, messages: readonly Message[], text: string): { prompt_tokens: number; completion_tokens: number; total_tokens: number; cost: number } {
  const prompt = estimate(messages.map((m) => textOf(m.content)).join('\n'));
  const completion = estimate(text);
  const price = ctx.catalogue.price(model);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion, cost: Number((prompt * price.prompt + completion * price.completion).toPrecision(6)) };
}

function newGeneration(ctx: ChatContext, model: string, usage: ReturnType<typeof usageFor>, streamed: boolean): Generation {
  const id = `gen-${Math.floor(Date.now() / 1000)}-${randomBytes(10).toString('hex')}`;
  const gen: Generation = { id, model, provider_name: providerOf(ctx, model), total_cost: usage.cost, tokens_prompt: usage.prompt_tokens, tokens_completion: usage.completion_tokens, streamed, cancelled: false, finish_reason: 'stop' };
  ctx.generations.set(id, gen);
  return gen;
}

function complete(res: ServerResponse, model: string, messages: readonly Message[], fault: Fault | undefined, ctx: ChatContext): void {
  const chunkCount = fault?.kind === 'slow' ? fault.chunks : model === 'fake/long-writer' ? 400 : undefined;
  const full = answerText(model, messages, chunkCount);
  const midError = fault?.kind === 'midStreamError' ? fault : undefined;
  const text = midError ? pieces(full).slice(0, midError.afterChunks).join('') : full;
  const usage = usageFor(ctx, model, messages, text);
  const gen = newGeneration(ctx, model, usage, false);
  const choice: Record<string, unknown> = {
    index: 0,
    finish_reason: midError ? 'error' : 'stop',
    native_finish_reason: midError ? 'error' : 'stop',
    logprobs: null,
    message: { role: 'assistant', content: text, refusal: null, reasoning: null },
  };
  if (midError) choice.error = { code: midError.code ?? 502, message: midError.message ?? 'Provider disconnected', metadata: null };
  sendJson(res, 200, {
    id: gen.id,
    provider: gen.provider_name,
    model,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    system_fingerprint: null,
    choices: [choice],
    usage: { ...usage, is_byok: false, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 }, cost_details: { upstream_inference_cost: null } },
  }, { 'X-Generation-Id': gen.id });
}

async function stream(req: IncomingMessage, res: ServerResponse, model: string, messages: readonly Message[], fault: Fault | undefined, record: RecordedRequest, ctx: ChatContext): Promise<void> {
  const closed = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) {
      record.aborted = true;
      closed.abort();
    }
  });
  const stop = AbortSignal.any([closed.signal, ctx.closing]);
  if (fault?.kind === 'hang') {
    await sleep(10 * 60 * 1000, stop);
    if (!res.writableEnded) res.destroy();
    return;
  }
  const chunkCount = fault?.kind === 'slow' ? fault.chunks : model === 'fake/long-writer' ? 400 : undefined;
  const text = answerText(model, messages, chunkCount);
  const usage = usageFor(ctx, model, messages, text);
  const gen = newGeneration(ctx, model, usage, true);
  const created = Math.floor(Date.now() / 1000);
  const base = { id: gen.id, provider: gen.provider_name, model, object: 'chat.completion.chunk', created, system_fingerprint: 'fp_fake' };
  const send = (data: unknown): void => {
    if (!stop.aborted) res.write(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
  };
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive', 'X-Generation-Id': gen.id });
  res.write(': OPENROUTER PROCESSING\n\n: OPENROUTER PROCESSING\n\n');
  const delay = fault?.kind === 'slow' ? fault.delayMs : ctx.tokenDelayMs;
  const parts = pieces(text);
  for (let i = 0; i < parts.length; i++) {
    if (fault && 'afterChunks' in fault && i === fault.afterChunks) {
      if (fault.kind === 'cut') {
        res.destroy();
        return;
      }
      if (fault.kind === 'malformed') {
        send('{"id": "gen-broken", "choices": [{"delta": {"content": "oops"');
        res.end();
        return;
      }
      if (fault.kind === 'midStreamError') {
        const err = errorBody(fault.code ?? 502, fault.message ?? 'Provider disconnected', { error_type: 'provider_unavailable' }) as { error: unknown };
        send({ ...base, error: err.error, choices: [{ index: 0, delta: { content: '' }, finish_reason: 'error' }] });
        gen.finish_reason = 'error';
        if (fault.done) send('[DONE]');
        res.end();
        return;
      }
    }
    if (delay > 0) await sleep(delay, stop);
    if (stop.aborted) {
      gen.cancelled = true;
      return;
    }
    if (i > 0 && i % 50 === 0) res.write(': OPENROUTER PROCESSING\n\n');
    const choices = fault?.kind === 'emptyChoices' ? [] : [{ index: 0, delta: { role: 'assistant', content: parts[i] }, finish_reason: null, native_finish_reason: null, logprobs: null }];
    send({ ...base, choices });
  }
  if (fault?.kind === 'emptyChoices') {
    send({ ...base, choices: [], usage: { ...usage, is_byok: false } });
    send('[DONE]');
    res.end();
    return;
  }
  send({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: 'stop', native_finish_reason: 'stop', logprobs: null }] });
  const usageChunk = { ...usage, is_byok: false, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 }, cost_details: { upstream_inference_cost: null } };
  const usageChoices = fault?.kind === 'usageInChoice' ? [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] : [];
  send({ ...base, choices: usageChoices, usage: usageChunk });
  send('[DONE]');
  res.end();
}
