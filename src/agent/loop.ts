/**
 * The agent loop: ask the model (one routed request per step), run the tool calls it made in
 * order, replay them with their results, repeat. It ends when the model answers without tool
 * calls (`done`), at `maxSteps` (default 25), when the task's spend reaches its budget, or on
 * Stop. Each call is parsed here: arguments that are not valid JSON or do not fit the tool's
 * schema become an error result for the model, never a crash. Pure: the model request and the
 * tools are injected.
 */
import type { AssembledCall, ReasoningDetail } from './deltas';
import { parseToolCall, type ToolCall } from './tools';
import { assistantMessage, toolMessage, trimTranscript, type AgentMessage } from './transcript';

export const DEFAULT_MAX_STEPS = 25;

/** What one model turn produced. */
export interface TurnResult {
  readonly text: string;
  readonly calls: readonly AssembledCall[];
  readonly reasoningDetails: readonly ReasoningDetail[];
  /** USD from `usage.cost`, when reported. */
  readonly costUsd?: number;
}

/** The result of one call: the text the model gets, and how it ended (for the card). */
export interface ToolOutcome {
  readonly status: 'done' | 'rejected' | 'failed';
  readonly content: string;
}

export type EndReason = 'done' | 'maxSteps' | 'budget' | 'stopped';

export type LoopEvent =
  | { readonly kind: 'step'; readonly step: number }
  | { readonly kind: 'turn'; readonly step: number; readonly result: TurnResult }
  | { readonly kind: 'invalidCall'; readonly step: number; readonly call: AssembledCall; readonly error: string }
  | { readonly kind: 'elided'; readonly count: number }
  /** A step's calls and results are in the transcript (kept by the caller: a later failure loses nothing). */
  | { readonly kind: 'stepDone'; readonly step: number; readonly messages: readonly AgentMessage[] };

export interface LoopDeps {
  /** One routed model request with this transcript; rejects (FailureError) when every attempt failed. */
  turn(messages: readonly AgentMessage[], step: number): Promise<TurnResult>;
  /** Asks (when needed) and runs one checked call. Tool failures are outcomes, not throws. */
  execute(call: ToolCall, step: number): Promise<ToolOutcome>;
  aborted(): boolean;
  onEvent?(event: LoopEvent): void;
  /** Notes for the model before the next request (a restored checkpoint), as user text. */
  takeNotes?(): readonly string[];
  /** Tools beyond the built-in ones (MCP, search_tools, skill: src/agent/extras.ts): their calls go here unparsed. */
  extra?: { handles(name: string): boolean; run(call: AssembledCall, step: number): Promise<ToolOutcome> };
}

export interface LoopOptions {
  readonly maxSteps?: number;
  /** The task's budget in USD (absent = none): the loop ends once its spend reaches it. */
  readonly budgetUsd?: number;
  /** The transcript's token budget (context window minus output): oldest tool results are elided past it. */
  readonly contextTokens?: number;
  readonly tokens?: (text: string) => number;
}

export interface LoopResult {
  readonly reason: EndReason;
  readonly steps: number;
  readonly spentUsd: number;
  /** The whole transcript, ready to continue the task with another user message. */
  readonly messages: readonly AgentMessage[];
  /** The model's last text (the summary when `done`). */
  readonly finalText: string;
}

const roughTokens = (text: string): number => Math.ceil(text.length / 4);

/** Runs the loop from `messages` (system + history + the new user message). */
export async function runAgentLoop(start: readonly AgentMessage[], deps: LoopDeps, options: LoopOptions = {}): Promise<LoopResult> {
  const maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
  const tokens = options.tokens ?? roughTokens;
  let messages = [...start];
  let spentUsd = 0;
  let finalText = '';
  const end = (reason: EndReason, steps: number): LoopResult => ({ reason, steps, spentUsd, messages, finalText });

  for (let step = 1; step <= maxSteps; step++) {
    if (deps.aborted()) return end('stopped', step - 1);
    if (options.budgetUsd !== undefined && spentUsd >= options.budgetUsd) return end('budget', step - 1);
    for (const note of deps.takeNotes?.() ?? []) messages.push({ role: 'user', content: note });
    if (options.contextTokens !== undefined) {
      const trimmed = trimTranscript(messages, options.contextTokens, tokens);
      if (trimmed.elided > 0) deps.onEvent?.({ kind: 'elided', count: trimmed.elided });
      messages = trimmed.messages;
    }
    deps.onEvent?.({ kind: 'step', step });
    const result = await deps.turn(messages, step);
    spentUsd += result.costUsd ?? 0;
    finalText = result.text;
    deps.onEvent?.({ kind: 'turn', step, result });
    messages.push(assistantMessage(result.text, result.calls, result.reasoningDetails));
    if (result.calls.length === 0) return end('done', step);
    for (const assembled of result.calls) {
      if (deps.aborted()) {
        messages.push(toolMessage(assembled.id, 'Not run: the user stopped the task.'));
        continue;
      }
      if (deps.extra?.handles(assembled.name)) {
        messages.push(toolMessage(assembled.id, (await deps.extra.run(assembled, step)).content));
        continue;
      }
      const parsed = parseToolCall(assembled.id, assembled.name, assembled.arguments);
      if (!parsed.ok) {
        deps.onEvent?.({ kind: 'invalidCall', step, call: assembled, error: parsed.error });
        messages.push(toolMessage(assembled.id, `Error: ${parsed.error}`));
        continue;
      }
      const outcome = await deps.execute(parsed.call, step);
      messages.push(toolMessage(assembled.id, outcome.content));
    }
    deps.onEvent?.({ kind: 'stepDone', step, messages: [...messages] });
    if (deps.aborted()) return end('stopped', step);
  }
  return end('maxSteps', maxSteps);
}
