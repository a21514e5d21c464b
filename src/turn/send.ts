/**
 * One turn: a routed request sent, streamed, assembled, counted and reported one way, whether it
 * is a chat answer, an agent step or an inline completion. Given a plan (the caller routed it),
 * the turn owns the client per key, each attempt's body (./attemptBody.ts, the same function
 * Explain Route renders), streaming with the client's timeouts, assembling text, thinking,
 * `reasoning_details` and tool calls, key health reports, and the cost of every attempt that went
 * out (./spend.ts) — on success, failure, a broken stream and Stop alike. Pure.
 */
import type { OpenRouterClient } from '../openrouter/client';
import type { ChatResult } from '../openrouter/streamAssembly';
import { FailureError, noKeyFailure } from '../openrouter/failures';
import type { ReasoningDetail } from '../openrouter/reasoning';
import type { ExecutionEvent, Execution } from '../routing/executor';
import type { VisibleWait } from '../routing/router';
import type { Attempt, KeyRef, Plan } from '../routing/types';
import { attemptBody, type TurnDraft, type TurnMessage } from './attemptBody';
import { ReasoningAssembler, ToolCallAssembler, type AssembledCall } from './deltas';
import type { RoutedTurnEnv, TurnEnv } from './env';
import { shapedPlan } from './sharedPlan';
import { TurnBill, type Settled } from './spend';

/** What a caller sees of a turn as it happens. Every handler is optional. */
export interface TurnHandlers {
  /** An attempt starts; `partial` is the text kept from a cut-off earlier one (chat continues it). */
  onAttempt?(partial: string): void;
  onText?(piece: string): void;
  /** Thinking text, for display. */
  onReasoning?(piece: string): void;
  /** A routing event (switch, wait, retry) to show. */
  onRouteEvent?(event: ExecutionEvent): void;
  /** A wait begins (countdown with Send now) or ends (`undefined`); may return the signal that ends it early. */
  waiting?(wait: VisibleWait | undefined): AbortSignal | undefined;
  /** The text of the running attempt the user saw (for mid-stream recovery); default: nothing is kept. */
  streamedText?(): string;
  /** The answer text of a finished attempt (chat splices a continuation); default: the streamed text. */
  attemptText?(result: ChatResult): string;
}

/** A routed request. */
export interface TurnRequest<M extends TurnMessage = TurnMessage> {
  /** `chat`, `agent`, `completion`: for log lines. */
  readonly caller: string;
  readonly plan: Plan;
  readonly draft: TurnDraft<M>;
  /** The key pool in try order (failover on 401/402). */
  readonly keys: readonly KeyRef[];
}

/** What a turn produced. */
export interface TurnOutcome {
  readonly execution: Execution<ChatResult>;
  /** The served attempt's result, its `text` as the caller keeps it. */
  readonly result: ChatResult;
  readonly calls: readonly AssembledCall[];
  readonly reasoningDetails: readonly ReasoningDetail[];
  /** The thinking text shown. */
  readonly reasoning: string;
  readonly spend: TurnSpend;
}

/** The turn's cost: what usage said (recorded at once) and the rest (looked up or estimated, recorded later). */
export interface TurnSpend {
  readonly knownUsd: number;
  readonly rest: Promise<Settled>;
}

/** A failed or stopped turn: the failure, and its cost (every attempt that went out still counts). */
export class TurnFailure extends FailureError {
  constructor(
    error: FailureError,
    readonly spend: TurnSpend,
  ) {
    super(error.failure);
  }
}

/** Clients per key id, made on first use and reused for the turn's later attempts. */
export function clientPool(env: Pick<TurnEnv, 'keys' | 'client'>): (keyId: string) => Promise<OpenRouterClient> {
  const clients = new Map<string, OpenRouterClient>();
  return async (keyId) => {
    const known = clients.get(keyId);
    if (known) return known;
    const secret = await env.keys.secret(keyId);
    if (!secret) throw new FailureError(noKeyFailure());
    const client = env.client(secret);
    if (!('streamChat' in client)) throw new FailureError(client);
    clients.set(keyId, client);
    return client;
  };
}

/** Streams attempts of one turn, keeping what they assembled and cost. */
class AttemptSender<M extends TurnMessage> {
  readonly bill = new TurnBill();
  calls = new ToolCallAssembler();
  details = new ReasoningAssembler();
  reasoning = '';
  private readonly clientFor: (keyId: string) => Promise<OpenRouterClient>;

  constructor(
    private readonly env: TurnEnv,
    private readonly request: TurnRequest<M>,
    private readonly handlers: TurnHandlers,
    private readonly signal: AbortSignal,
  ) {
    this.clientFor = clientPool(env);
  }

  async send(attempt: Attempt, partial: string): Promise<ChatResult> {
    const client = await this.clientFor(attempt.keyId);
    this.calls = new ToolCallAssembler();
    this.details = new ReasoningAssembler();
    this.reasoning = '';
    this.handlers.onAttempt?.(partial);
    const built = attemptBody(this.request.draft, attempt.body, this.env, partial);
    this.log(built.body, built.caching.breakpoints.length, partial);
    try {
      const result = await client.streamChat(
        built.body,
        {
          onDelta: (piece) => this.handlers.onText?.(piece),
          onToolCalls: (d) => this.calls.push(d),
          onReasoningDetails: (d) => this.details.push(d),
          onReasoning: (piece) => {
            this.reasoning += piece;
            this.handlers.onReasoning?.(piece);
          },
        },
        this.signal,
      );
      this.bill.add({
        keyId: attempt.keyId,
        worstCaseUsd: attempt.worstCaseUsd,
        ...(result.cost !== undefined ? { usd: result.cost } : {}),
        ...(result.generationId ? { generationId: result.generationId } : {}),
      });
      return { ...result, text: this.handlers.attemptText?.(result) ?? result.text };
    } catch (error) {
      const failure = error instanceof FailureError ? error.failure : undefined;
      // A response that began is billed for what it generated; a Stop before it is unknown.
      if (failure?.generationId)
        this.bill.add({ keyId: attempt.keyId, worstCaseUsd: attempt.worstCaseUsd, generationId: failure.generationId });
      else if (failure?.kind === 'aborted')
        this.bill.add({ keyId: attempt.keyId, worstCaseUsd: attempt.worstCaseUsd, unanswered: true });
      throw error;
    }
  }

  private log(
    body: {
      model: string;
      models?: readonly string[];
      messages: readonly unknown[];
      plugins?: readonly unknown[];
      reasoning?: unknown;
    },
    breakpoints: number,
    partial: string,
  ): void {
    const extras = [
      `${body.messages.length} messages`,
      breakpoints ? `${breakpoints} cache breakpoints` : '',
      body.plugins ? 'web search' : '',
      body.reasoning ? `reasoning ${JSON.stringify(body.reasoning)}` : '',
      partial ? `continuing a cut-off answer (${partial.length} characters)` : '',
    ];
    this.env.log.info(
      `${this.request.caller} → ${body.model}${body.models ? ` (fallbacks: ${body.models.slice(1).join(', ')})` : ''}, ${extras.filter(Boolean).join(', ')}`,
    );
  }

  /** Counts the turn's cost: usage now, the rest looked up later. */
  spend(): TurnSpend {
    return this.bill.settle({
      lookup: async (keyId, id) => (await this.clientFor(keyId)).generationCost(id),
      record: (usd) => this.env.router.recordSpend(usd),
      log: (m) => this.env.log.info(m),
    });
  }
}

/**
 * Runs a routed request through the router's executor (failover, breakers, waits, key failover).
 * Resolves with the outcome; rejects with a {@link TurnFailure} that carries the turn's cost.
 */
export async function runTurn<M extends TurnMessage>(
  env: RoutedTurnEnv,
  request: TurnRequest<M>,
  handlers: TurnHandlers,
  signal: AbortSignal,
): Promise<TurnOutcome> {
  const sender = new AttemptSender(env, request, handlers, signal);
  let execution: Execution<ChatResult>;
  try {
    execution = await env.router.execute(
      // A `models` list holds only models that take the same body (./sharedPlan.ts).
      shapedPlan(request.plan, request.draft, env),
      {
        send: (attempt, partial) => sender.send(attempt, partial),
        confirm: (question) => env.confirm(question),
        streamedText: () => handlers.streamedText?.() ?? '',
        keys: request.keys,
        reportKey: (id, outcome) => env.keys.report(id, outcome),
        notify: (event) => handlers.onRouteEvent?.(event),
        ...(handlers.waiting ? { waiting: handlers.waiting } : {}),
      },
      signal,
    );
  } catch (error) {
    const spend = sender.spend();
    throw error instanceof FailureError ? new TurnFailure(error, spend) : error;
  }
  return {
    execution,
    result: execution.result,
    calls: sender.calls.finish(),
    reasoningDetails: sender.details.finish(),
    reasoning: sender.reasoning,
    spend: sender.spend(),
  };
}

/**
 * Sends one attempt without the executor (inline completions: no waits, no retries, no
 * failover), reporting the key's health. Resolves with the result and its cost; rejects with a
 * {@link TurnFailure} that carries the cost of what went out.
 */
export async function sendAttempt<M extends TurnMessage>(
  env: TurnEnv,
  request: TurnRequest<M> & { readonly attempt: Attempt },
  handlers: TurnHandlers,
  signal: AbortSignal,
): Promise<{ result: ChatResult; spend: TurnSpend }> {
  const sender = new AttemptSender(env, request, handlers, signal);
  try {
    const result = await sender.send(request.attempt, '');
    env.keys.report(request.attempt.keyId, { ok: true });
    return { result, spend: sender.spend() };
  } catch (error) {
    if (!(error instanceof FailureError)) throw error;
    if (error.failure.kind !== 'aborted') env.keys.report(request.attempt.keyId, { ok: false, failure: error.failure });
    throw new TurnFailure(error, sender.spend());
  }
}
