/**
 * One run of an agent task (from a user message, or a retry, to the loop's end): the user's
 * message and the system prompt go into the transcript, the loop (./loop.ts) asks the model step
 * by step — each step a card streamed by the turn layer (./turn.ts), routed on the task's tier
 * and sized with the task's one token count — runs the tools (./toolRunner.ts, ./taskTools.ts),
 * compacts when the prompt grows too long (./compactor.ts), and the run ends with the task's
 * outcome on its last card. Every step's cost counts in the task's spend, a failed or stopped
 * step's too. Pure: the session (./session.ts) hands in what it holds as a {@link RunHost}.
 */
import { FailureError } from '../openrouter/failures';
import { formatUsd } from '../protocol/units';
import type { AssembledCall } from '../turn/deltas';
import { failureLogText } from '../turn/failureView';
import { TurnFailure, type TurnSpend } from '../turn/send';
import type { AgentEnvironment } from './agentEnv';
import type { Compactor } from './compactor';
import { DEFAULT_MAX_STEPS, runAgentLoop, type LoopEvent, type LoopResult } from './loop';
import { systemPromptFor, type TaskKind } from './planMode';
import { StepCard } from './stepCard';
import type { RunSteps } from './runSteps';
import { outcomeOf } from './taskHistory';
import type { TaskRoutingState } from './taskRouting';
import type { TaskState } from './taskState';
import { taskExtraTools, taskGate } from './taskTools';
import { showLoopEvent, showTaskEnd, showTaskFailure, type TaskView } from './taskView';
import { openTodosNotice } from './todos';
import type { MessageTokens } from './tokenCount';
import type { ToolRunner } from './toolRunner';
import type { AgentMessage } from './transcript';
import { runAgentTurn, type TurnOutcome } from './turn';

/** What a run needs from the session that holds the task. */
export interface RunHost {
  readonly env: AgentEnvironment;
  readonly kind: TaskKind;
  readonly state: TaskState;
  readonly view: TaskView;
  readonly runner: ToolRunner;
  readonly routing: TaskRoutingState;
  readonly compactor: Compactor;
  /** The task's one token count (./tokenCount.ts). */
  readonly count: MessageTokens;
  /** The run's steps, its subagents' included, against its limit (./runSteps.ts). */
  readonly steps: RunSteps;
  /** Adds what the turn layer finds out later to the task's spend and the card's meta. */
  countLater(spend: TurnSpend, card: Pick<StepCard, 'addCost'>): void;
  /** Posts the task's header (steps, spend, to-dos). */
  postTask(): void;
  /** Keeps the wait before the next attempt, for Send now. */
  setSkip(skip: AbortController | undefined): void;
}

/** The user's message of a run (none for a retry) and its attached context, rendered. */
export interface RunInput {
  readonly text: string;
  readonly context: readonly string[];
}

/** Runs the task from its transcript (plus `input`) until the loop ends, fails or is stopped. */
export async function runTask(host: RunHost, input: RunInput | undefined, signal: AbortSignal): Promise<void> {
  const { env, state } = host;
  await openTask(host, input, signal);
  const settings = env.agentSettings();
  const contextTokens = host.compactor.elisionBudget();
  const maxSteps = settings.maxSteps || DEFAULT_MAX_STEPS;
  host.steps.begin(maxSteps);
  let card: StepCard | undefined;
  try {
    const result = await runAgentLoop(
      state.transcript,
      {
        turn: (messages, n) => {
          host.steps.ownStep(n);
          card = newCard(host);
          return step(host, card, messages, signal);
        },
        execute: (call) => host.runner.execute(call, card!.id, signal, settings),
        extra: taskExtraTools({
          todos: state.todos,
          ...(env.extras ? { extras: env.extras } : {}),
          context: (call: AssembledCall) => host.runner.extraContext(card!.id, call.id, signal),
          todosChanged: () => host.postTask(),
        }),
        refuse: taskGate(host.kind, env.extras),
        aborted: () => signal.aborted,
        stepsElsewhere: () => host.steps.taken,
        takeNotes: (n) => [...state.notes.splice(0), ...[state.todos.reminder(n) ?? []].flat()],
        compact: async (messages) => (await host.compactor.beforeStep(messages, signal))?.messages,
        onEvent: (event) => onLoopEvent(host, event, card),
      },
      {
        maxSteps,
        tokens: env.tokens,
        count: host.count,
        ...(contextTokens ? { contextTokens } : {}),
      },
    );
    endTask(host, result, card);
  } catch (error) {
    failTask(host, error, card);
    // Keep what ran: the calls of the last full turn and their results pair up already (the loop
    // only appends both together); an aborted turn added nothing.
  }
}

/** Opens a run: posts the user's message (if any), marks busy and adds it (with pending notes and its context) to the transcript. */
async function openTask(host: RunHost, input: RunInput | undefined, signal: AbortSignal): Promise<void> {
  const { env, state } = host;
  if (input) host.view.add({ id: env.newId(), role: 'user', text: input.text, status: 'done', createdAt: env.now() });
  env.post({ type: 'busy', busy: true });
  await env.extras?.begin(signal);
  // Instructions right after the system prompt: both stay the same for the whole task (cache-stable).
  const instructions = env.extras?.instructions() ?? '';
  if (state.transcript.length === 0)
    state.transcript.push({ role: 'system', content: systemPromptFor(host.kind, instructions) });
  state.todos.restart(0);
  if (input) {
    const notes = state.notes.splice(0);
    const parts = [...(notes.length ? [notes.join('\n')] : []), ...input.context, input.text];
    state.transcript.push({ role: 'user', content: parts.join('\n\n') });
  }
}

function newCard(host: RunHost): StepCard {
  const { env } = host;
  const deps = {
    view: host.view,
    post: (m: Parameters<AgentEnvironment['post']>[0]) => env.post(m),
    now: () => env.now(),
    log: env.log,
    setSkip: (skip: AbortController | undefined) => host.setSkip(skip),
  };
  return new StepCard(deps, env.newId(), env.settings().model);
}

/** One model turn streamed into its card; its cost counted (a failed or stopped turn's too). */
async function step(
  host: RunHost,
  card: StepCard,
  messages: readonly AgentMessage[],
  signal: AbortSignal,
): Promise<TurnOutcome> {
  const { env, state } = host;
  try {
    host.routing.tier = host.kind === 'plan' ? 'plan' : 'act';
    const outcome = await runAgentTurn(env, messages, signal, card.handlers(), {
      tokens: env.tokens,
      count: host.count,
      routing: host.routing,
      onPlanned: (planned) => card.notice(planned.notices),
      sticky: state.sticky,
      sessionId: state.id,
      kind: host.kind,
      ...(env.extras ? { extras: env.extras } : {}),
      ...(env.images ? { images: env.images } : {}),
    });
    state.steps++;
    state.spentUsd += outcome.costUsd ?? 0;
    card.settle(outcome, env.settings().model, state.toolNotice);
    host.countLater(outcome.spend, card);
    host.postTask();
    return outcome;
  } catch (error) {
    if (error instanceof TurnFailure) host.countLater(error.spend, card);
    throw error;
  }
}

/** Reacts to a loop event (./taskView.ts shows it). */
function onLoopEvent(host: RunHost, event: LoopEvent, card: StepCard | undefined): void {
  const log = host.env.log;
  if (event.kind === 'stepDone' || event.kind === 'compacted') host.state.transcript = [...event.messages];
  if (event.kind === 'elided') log.info(`agent: ${event.count} old tool results elided to fit the context window`);
  if (event.kind === 'nudge') log.warn(`agent: ${event.notice}`);
  showLoopEvent(host.view, event, card?.id);
}

/** Ends a run the loop finished: keeps its transcript, marks the last step (with why it ended) and logs. */
function endTask(host: RunHost, result: LoopResult, card: StepCard | undefined): void {
  const { env, state } = host;
  state.transcript = [...result.messages];
  const end = { openTodos: openTodosNotice(state.todos.items), plan: host.kind === 'plan' };
  state.outcome = result.reason === 'done' && end.openTodos ? 'openTodos' : outcomeOf(result.reason);
  if (showTaskEnd(host.view, result, card?.id, state.spentUsd, end)) env.onPlan?.(result.finalText, card!.id);
  env.log.info(`agent task ended (${result.reason}) after ${result.steps} steps, ${formatUsd(state.spentUsd)}`);
}

/** Ends a run that threw: a stop marks the last step stopped; any other error is shown on it (or on a new message). */
function failTask(host: RunHost, error: unknown, card: StepCard | undefined): void {
  const { env, state } = host;
  const failure = error instanceof FailureError ? error.failure : undefined;
  state.outcome = failure?.kind === 'aborted' ? 'stopped' : 'failed';
  if (failure?.kind !== 'aborted') env.log.error(`agent task failed: ${failureLogText(error)}`);
  showTaskFailure(host.view, error, card?.id, () => ({ id: env.newId(), createdAt: env.now() }));
}
