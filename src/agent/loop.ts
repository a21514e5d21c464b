/**
 * The agent loop: ask the model (one routed request per step), run the tool calls it made in
 * order, replay them with their results, repeat. It ends when the model answers without tool
 * calls (`done`), at `maxSteps` (default 25; its subagents' steps count too), when the task's spend reaches its budget, or on
 * Stop. Each call is parsed here: arguments that are not valid JSON or do not fit the tool's
 * schema become an error result for the model, never a crash. A call id the transcript already
 * holds (a model that restarts its ids each turn) gets a new one. A turn with no text and no call
 * (`finish_reason: "tool_calls"` without calls) is not replayed: the model is asked once to go on.
 * Tool calls written as text are run like calls, their results sent back with a reminder to use
 * the tools. A turn cut off at the output limit (`finish_reason: "length"`) is never taken for
 * the end of the task: a call whose arguments were cut short is not run (the model is told to
 * make it in smaller parts), and cut-off text is followed, once per task, by a request to go on.
 * Pure: the model request and the tools are injected.
 */
import type { AssembledCall, ReasoningDetail } from '../turn/deltas';
import { textualToolCalls } from '../turn/textualCalls';
import { cutOffOf } from '../turn/answerMeta';
import { replayArguments, uniqueCallIds } from '../turn/toolCalls';
import { parseToolCall, TOOL_KIND, type ToolCall } from './tools';
import { toolImagesMessage, type ToolImageRef } from './toolImages';
import { assistantMessage, toolMessage, trimTranscript, type AgentMessage } from './transcript';

export const DEFAULT_MAX_STEPS = 25;

/** What one model turn produced. */
export interface TurnResult {
  readonly text: string;
  readonly calls: readonly AssembledCall[];
  readonly reasoningDetails: readonly ReasoningDetail[];
  /** USD from `usage.cost`, when reported. */
  readonly costUsd?: number;
  /** The stream's `finish_reason` (`length`: cut off at the output limit). */
  readonly finishReason?: string;
}

/** The result of one call: the text the model gets, and how it ended (for the card). */
export interface ToolOutcome {
  readonly status: 'done' | 'rejected' | 'failed';
  readonly content: string;
  /** Images the call returned (an MCP tool's), stored: they follow the step's results (./toolImages.ts). */
  readonly images?: readonly ToolImageRef[];
}

/** What one call gives the transcript. */
interface CallResult {
  readonly id: string;
  readonly name: string;
  readonly content: string;
  readonly images?: readonly ToolImageRef[];
}

/** The message after the results that carries their images, when they returned any. */
function imagesAfter(results: readonly CallResult[]): AgentMessage[] {
  const message = toolImagesMessage(results.flatMap((r) => r.images ?? []));
  return message ? [message] : [];
}

export type EndReason = 'done' | 'maxSteps' | 'budget' | 'stopped';

export type LoopEvent =
  | { readonly kind: 'step'; readonly step: number }
  | { readonly kind: 'turn'; readonly step: number; readonly result: TurnResult }
  | { readonly kind: 'invalidCall'; readonly step: number; readonly call: AssembledCall; readonly error: string }
  /** A call the task's mode does not allow (a write in Plan mode): not run, `reason` is its result. */
  | { readonly kind: 'refused'; readonly step: number; readonly call: AssembledCall; readonly reason: string }
  | { readonly kind: 'elided'; readonly count: number }
  /** The transcript was compacted (or, when that failed, elided) before a step: what the model is sent from now on. */
  | { readonly kind: 'compacted'; readonly messages: readonly AgentMessage[] }
  /** The model wasted a turn (nothing in it, or calls written as text) and was told how to go on. */
  | { readonly kind: 'nudge'; readonly step: number; readonly notice: string }
  /** A step's calls and results are in the transcript (kept by the caller: a later failure loses nothing). */
  | { readonly kind: 'stepDone'; readonly step: number; readonly messages: readonly AgentMessage[] };

export interface LoopDeps {
  /** One routed model request with this transcript; rejects (FailureError) when every attempt failed. */
  turn(messages: readonly AgentMessage[], step: number): Promise<TurnResult>;
  /** Asks (when needed) and runs one checked call. Tool failures are outcomes, not throws. */
  execute(call: ToolCall, step: number): Promise<ToolOutcome>;
  aborted(): boolean;
  onEvent?(event: LoopEvent): void;
  /** Notes for the model before the request of `step` (a restored checkpoint, open to-dos), appended as user text. */
  takeNotes?(step: number): readonly string[];
  /** The mode's gate (src/agent/planMode.ts): a text refuses the call by name (it is the call's result). */
  refuse?(name: string): string | undefined;
  /** Before each step: the transcript to go on with when it had to be compacted (./compactor.ts), else undefined. */
  compact?(messages: readonly AgentMessage[], step: number): Promise<readonly AgentMessage[] | undefined>;
  /** Steps taken outside this loop during the run (its subagents': ./runSteps.ts), counted against `maxSteps`. */
  stepsElsewhere?(): number;
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
  /** Sizes a message for the elision; the task's shared count (./tokenCount.ts). */
  readonly count?: (message: AgentMessage) => number;
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

/** The tools' names, for calls written as text. */
const TOOL_NAMES: ReadonlySet<string> = new Set(Object.keys(TOOL_KIND));

/** What the model is told after a turn with nothing in it. */
export const EMPTY_TURN_NOTE =
  'Your last response had no text and no tool call. Continue the task: call a tool, or answer with a short summary if it is done.';

/** What the model is told after a response without calls that reached the output limit. */
export const CUT_OFF_NOTE =
  'Your last response reached the output limit and was cut off. Continue exactly where it stopped, without repeating it; if it was meant to be a tool call, make the call (in smaller parts if it is large).';

/** The result of a call whose arguments the output limit cut short. */
export const CUT_CALL_RESULT =
  'Not run: your response reached the output limit (max_tokens) while the arguments of this call were being written, so they are cut short. Make the call again in smaller parts (e.g. write a long file in several edits).';

/** What the model is told after writing tool calls as text. */
export const TEXT_CALLS_NOTE =
  'You wrote tool calls as text instead of calling the tools; they were run for you this once. Call tools through the tools (function calling) from now on. Results:';

/** Ids already in the transcript. */
function usedIds(messages: readonly AgentMessage[]): Set<string> {
  return new Set(messages.flatMap((m) => (m.role === 'assistant' ? (m.tool_calls ?? []).map((c) => c.id) : [])));
}

/** Runs the loop from `messages` (system + history + the new user message). */
export async function runAgentLoop(
  start: readonly AgentMessage[],
  deps: LoopDeps,
  options: LoopOptions = {},
): Promise<LoopResult> {
  const maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
  const tokens = options.tokens ?? roughTokens;
  let messages = [...start];
  let spentUsd = 0;
  let finalText = '';
  const nudged = new Set<Nudge>();
  const end = (reason: EndReason, steps: number): LoopResult => ({ reason, steps, spentUsd, messages, finalText });

  for (let step = 1; step <= maxSteps; step++) {
    if (deps.aborted()) return end('stopped', step - 1);
    if (step + (deps.stepsElsewhere?.() ?? 0) > maxSteps) return end('maxSteps', step - 1);
    if (options.budgetUsd !== undefined && spentUsd >= options.budgetUsd) return end('budget', step - 1);
    messages = await prepareStep(messages, step, deps, options, tokens);
    deps.onEvent?.({ kind: 'step', step });
    const turn = await deps.turn(messages, step);
    const result = { ...turn, calls: uniqueCallIds(turn.calls, usedIds(messages)) };
    spentUsd += result.costUsd ?? 0;
    finalText = result.text;
    deps.onEvent?.({ kind: 'turn', step, result });
    if (result.calls.length === 0) {
      if ((await turnWithoutCalls(result, step, deps, messages, nudged)) === 'done') return end('done', step);
      continue;
    }
    messages.push(assistantMessage(result.text, result.calls, result.reasoningDetails));
    const results = await runCalls(result.calls, step, deps, cutOffOf(result.finishReason) === 'length');
    for (const r of results) messages.push(toolMessage(r.id, r.content));
    messages.push(...imagesAfter(results));
    deps.onEvent?.({ kind: 'stepDone', step, messages: [...messages] });
    if (deps.aborted()) return end('stopped', step);
  }
  return end('maxSteps', maxSteps);
}

/** The requests to go on a task makes at most once: after an empty turn, after a turn cut off at the output limit. */
type Nudge = 'empty' | 'cutOff';

/**
 * A turn without calls (appended to `messages`): tool calls written as text are run, or an empty
 * or cut-off turn is answered — each once per task (`nudged`) — with a request to go on, and the
 * loop goes on; else the task is done, its final text (or thinking) kept.
 */
async function turnWithoutCalls(
  result: TurnResult,
  step: number,
  deps: LoopDeps,
  messages: AgentMessage[],
  nudged: Set<Nudge>,
): Promise<'textual' | 'nudged' | 'done'> {
  if (await runTextualCalls(result, step, deps, messages)) return 'textual';
  const kept = result.text.trim() || result.reasoningDetails.length;
  const nudge: Nudge | undefined =
    cutOffOf(result.finishReason) === 'length' ? 'cutOff' : !result.text.trim() ? 'empty' : undefined;
  const fresh = nudge !== undefined && !nudged.has(nudge);
  // What came is kept — except an empty turn the model is asked to go on from (some providers reject an empty assistant turn).
  if (kept && !(fresh && nudge === 'empty')) messages.push(assistantMessage(result.text, [], result.reasoningDetails));
  if (!fresh) return 'done';
  nudged.add(nudge);
  messages.push({ role: 'user', content: NUDGES[nudge].note });
  deps.onEvent?.({ kind: 'nudge', step, notice: NUDGES[nudge].notice });
  return 'nudged';
}

/** What the model is told, and what the card says, for each request to go on. */
const NUDGES: Readonly<Record<Nudge, { note: string; notice: string }>> = {
  empty: {
    note: EMPTY_TURN_NOTE,
    notice: 'The model answered with no text and no tool call; it was asked to continue.',
  },
  cutOff: {
    note: CUT_OFF_NOTE,
    notice: 'The model reached its output limit before it finished; it was asked to continue.',
  },
};

/** The transcript of the next request: pending notes added, compacted when it must be, the oldest results elided past the budget. */
async function prepareStep(
  start: AgentMessage[],
  step: number,
  deps: LoopDeps,
  options: LoopOptions,
  tokens: (text: string) => number,
): Promise<AgentMessage[]> {
  let messages = start;
  for (const note of deps.takeNotes?.(step) ?? []) messages.push({ role: 'user', content: note });
  const compacted = await deps.compact?.(messages, step);
  if (compacted) {
    messages = [...compacted];
    deps.onEvent?.({ kind: 'compacted', messages: [...messages] });
  }
  if (options.contextTokens !== undefined) {
    const trimmed = trimTranscript(messages, options.contextTokens, tokens, options.count);
    if (trimmed.elided > 0) deps.onEvent?.({ kind: 'elided', count: trimmed.elided });
    messages = trimmed.messages;
  }
  return messages;
}

/**
 * Tool calls written as text in a turn without calls: run like calls, their results sent back
 * (appended to `messages`) with a reminder to use the tools. False when the text holds none.
 */
async function runTextualCalls(
  result: TurnResult,
  step: number,
  deps: LoopDeps,
  messages: AgentMessage[],
): Promise<boolean> {
  const textual = textualToolCalls(result.text, TOOL_NAMES);
  if (!textual.length) return false;
  messages.push(assistantMessage(result.text, [], result.reasoningDetails));
  deps.onEvent?.({
    kind: 'nudge',
    step,
    notice: `The model wrote ${textual.length} tool call${textual.length === 1 ? '' : 's'} as text; ${textual.length === 1 ? 'it was' : 'they were'} run and the model was told to use the tools.`,
  });
  const results = await runCalls(
    textual.map((c, i) => ({ index: i, id: `text_call_${step}_${i}`, name: c.name, arguments: c.arguments })),
    step,
    deps,
  );
  messages.push({
    role: 'user',
    content: [TEXT_CALLS_NOTE, ...results.map((r) => `${r.name}: ${r.content}`)].join('\n\n'),
  });
  messages.push(...imagesAfter(results));
  deps.onEvent?.({ kind: 'stepDone', step, messages: [...messages] });
  return true;
}

/**
 * Parses and runs a turn's calls in order; what each returns for the model. In a turn `cutOff` at
 * the output limit, a call whose arguments are not a whole JSON object was cut short: not run.
 */
async function runCalls(
  calls: readonly AssembledCall[],
  step: number,
  deps: LoopDeps,
  cutOff = false,
): Promise<CallResult[]> {
  const out: CallResult[] = [];
  for (const assembled of calls) {
    const base = { id: assembled.id, name: assembled.name };
    if (deps.aborted()) {
      out.push({ ...base, content: 'Not run: the user stopped the task.' });
      continue;
    }
    if (cutOff && replayArguments(assembled.arguments) !== assembled.arguments) {
      deps.onEvent?.({ kind: 'invalidCall', step, call: assembled, error: 'cut short at the output limit' });
      out.push({ ...base, content: CUT_CALL_RESULT });
      continue;
    }
    const refusal = deps.refuse?.(assembled.name);
    if (refusal !== undefined) {
      deps.onEvent?.({ kind: 'refused', step, call: assembled, reason: refusal });
      out.push({ ...base, content: refusal });
      continue;
    }
    if (deps.extra?.handles(assembled.name)) {
      const { content, images } = await deps.extra.run(assembled, step);
      out.push({ ...base, content, ...(images?.length ? { images } : {}) });
      continue;
    }
    const parsed = parseToolCall(assembled.id, assembled.name, assembled.arguments);
    if (!parsed.ok) {
      deps.onEvent?.({ kind: 'invalidCall', step, call: assembled, error: parsed.error });
      out.push({ ...base, content: `Error: ${parsed.error}` });
      continue;
    }
    const outcome = await deps.execute(parsed.call, step);
    out.push({ ...base, content: outcome.content });
  }
  return out;
}
