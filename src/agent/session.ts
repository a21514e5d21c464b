/**
 * An agent task: a conversation in which the model may call tools. Each model turn is a step —
 * one call of the turn layer (./turn.ts → src/turn/send.ts), shown as an assistant message whose
 * thinking streams like an Ask answer's and whose tool calls are cards (./toolRunner.ts: waiting →
 * running → done / rejected / failed). Reads run without asking by default; edits and commands ask
 * (policy.ts). An edit is proposed as a diff and written only on approval, as one undoable edit,
 * after the prior content of the files it touches is kept as the step's checkpoint; Restore
 * checkpoint writes them back and tells the model on its next turn. Stop aborts the request,
 * interrupts a running command and writes nothing further; what the stopped step cost is still
 * counted. The task (messages, transcript, checkpoints, spend) is kept in workspace storage, so it
 * survives a window reload. Pure: the editor side comes in as {@link AgentTools}.
 */
import { formatUsd } from '../protocol/units';
import type { AgentTaskView, ChatMessageView } from '../protocol/messages';
import { failureLogText } from '../turn/failureView';
import { FailureError } from '../openrouter/failures';
import { TurnFailure, type TurnSpend } from '../turn/send';
import { StickyProvider } from '../turn/sticky';
import type { AssembledCall } from '../turn/deltas';
import { Checkpoints } from './checkpoints';
import { DEFAULT_MAX_STEPS, runAgentLoop, type LoopEvent, type LoopResult } from './loop';
import { Compactor, isCompactCommand } from './compactor';
import { addCost, StepCard } from './stepCard';
import { showLoopEvent, showTaskEnd, showTaskFailure, TaskView } from './taskView';
import { planNextStep, type NextStepRoute } from './nextStep';
import { withSubagent, type SubagentDeps } from './subagent';
import { TaskRoutingState } from './taskRouting';
import { ToolSubstitutionNotice } from './toolNotice';
import { ToolRunner } from './toolRunner';
import type { AgentMessage } from './transcript';
import { runAgentTurn, type TurnOutcome } from './turn';
import type { AgentEnvironment } from './agentEnv';
import { systemPromptFor, type TaskKind } from './planMode';
import { restoreCheckpoint } from './restoreCheckpoint';
import { taskExtraTools, taskGate } from './taskTools';
import { openTodosNotice, TaskTodos } from './todos';
import { pinnedParts } from './pinned';
import type { TaskOutcome } from '../protocol/history';
import { CONTINUE_NOTE, CONTINUED_NOTICE, outcomeOf, PAST_TASK_NOTICE, type TaskRecord } from './taskHistory';
import { TaskStore, type TaskSnapshot } from './taskStore';
import { sharedMessageTokens, type MessageTokens } from './tokenCount';

export { MAX_RESULT_CHARS, type AgentSettings, type AgentTools, type FileChange, type ToolRun } from './toolRunner';
export { AGENT_SYSTEM_PROMPT, type AgentEnvironment } from './agentEnv';

/** A plan (read-only tools, ends with a plan document) or a task that acts (default), each kept under its own key. */
const kindOf = (env: AgentEnvironment): TaskKind => env.kind ?? 'act';

export class AgentSession {
  private readonly view: TaskView;
  private readonly runner: ToolRunner;
  private taskId: string;
  private transcript: AgentMessage[] = [];
  private checkpoints: Checkpoints;
  private spentUsd = 0;
  private steps = 0;
  private readonly toolNotice = new ToolSubstitutionNotice();
  private notes: string[] = [];
  private outcome: TaskOutcome = 'finished';
  /** A past task reopened from Past Chats: shown, not run, until Continue. */
  private readOnly = false;
  private readonly saved: TaskStore;
  private current: { controller: AbortController; done: Promise<void> } | undefined;
  /** Ends the wait before the next attempt (Send now on the countdown). */
  private skipWait: AbortController | undefined;
  /** The provider that served the task's last step (sticky routing, for the prompt cache). */
  private readonly sticky = new StickyProvider();
  /** Cost look-ups still running after their step ended. */
  private readonly background = new Set<Promise<void>>();
  private readonly todos = new TaskTodos();
  /** The task's tier, budget and downgrade (./taskRouting.ts). */
  readonly routing: TaskRoutingState;
  /** Summarizes the older steps for the model when the prompt grows too long, and on `/compact`. */
  private readonly compactor: Compactor;
  /** The transcript's token count, shared by the compactor, the elision and each step's route: a message is tokenized once. */
  private readonly count: MessageTokens;

  private readonly env: AgentEnvironment;

  constructor(env: AgentEnvironment) {
    // run_subagent rides with the task's extras (MCP tools, skills): offered, handed its calls, reset with them.
    this.env = { ...env, extras: withSubagent(env.extras, this.subagentDeps(env)) };
    this.view = new TaskView((m) => env.post(m));
    this.count = sharedMessageTokens(env.tokens);
    this.saved = new TaskStore(env.store, env.archive, env.log, env.storageKey);
    // A reload mid-task: what ran stays; what was under way is over.
    const saved = this.saved.restore(env.newId());
    this.taskId = saved?.id ?? env.newId();
    this.routing = TaskRoutingState.of(env, () => this.spentUsd, saved?.routing);
    if (saved) this.load(saved, saved.readOnly);
    this.checkpoints = new Checkpoints(saved?.checkpoints);
    this.runner = new ToolRunner(
      {
        tools: env.tools,
        log: env.log,
        alwaysAllowed: () => env.alwaysAllowed(),
        allowAlways: (tool) => env.allowAlways(tool),
        checkpoints: () => this.checkpoints,
        persist: () => this.persist(),
        ...(env.extras ? { touched: (call) => env.extras!.touched?.(call) ?? Promise.resolve([]) } : {}),
      },
      this.view,
    );
    this.compactor = new Compactor({
      env,
      view: this.view,
      count: this.count,
      spentUsd: () => this.spentUsd,
      charge: (spend, id) => {
        this.spentUsd += spend.knownUsd;
        this.countLater(spend, { addCost: (usd, estimated) => addCost(this.view, id, usd, estimated) });
        this.postTask();
      },
      pinned: (head) => pinnedParts(head, this.todos.items),
    });
  }

  get busy(): boolean {
    return this.current !== undefined;
  }

  task(): AgentTaskView {
    const todos = this.todos.items;
    return {
      running: this.busy,
      steps: this.steps,
      spentUsd: this.spentUsd,
      ...this.routing.view(this.steps),
      ...(todos.length ? { todos } : {}),
      ...(this.readOnly ? { past: true } : {}),
      ...this.toolNotice.taskFields(),
    };
  }

  /** The id of the task on screen. */
  get id(): string {
    return this.taskId;
  }

  /** The task's messages, for the webview's `init`. */
  views(): readonly ChatMessageView[] {
    return this.view.messages;
  }

  /**
   * Starts a task, or continues the current one with another user message; `context` is the
   * attached context (the composer's chips, rendered), sent before the text. Resolves when it ends.
   */
  async send(text: string, context: readonly string[] = []): Promise<void> {
    if (this.current || this.readOnly) {
      this.env.post({ type: 'restoreDraft', text });
      if (this.readOnly) this.env.post({ type: 'composerNotice', level: 'info', text: PAST_TASK_NOTICE });
      return;
    }
    if (isCompactCommand(text)) return this.run((signal) => this.compactNow(text, signal));
    await this.run((signal) => this.runTask({ text, context }, signal));
  }

  /**
   * Retry of a step that failed or was stopped: the task goes on from its transcript as it is
   * (the failed turn added nothing to it; tools that ran stay done and are not run again).
   */
  async retry(messageId: string): Promise<void> {
    const last = this.view.messages.at(-1);
    if (
      this.current ||
      this.readOnly ||
      !last ||
      last.id !== messageId ||
      (last.status !== 'error' && last.status !== 'stopped') ||
      this.transcript.length === 0
    )
      return;
    await this.run((signal) => this.runTask(undefined, signal));
  }

  private async run(work: (signal: AbortSignal) => Promise<void>): Promise<void> {
    const controller = new AbortController();
    let finished!: () => void;
    const done = new Promise<void>((resolve) => (finished = resolve));
    this.current = { controller, done };
    this.outcome = 'running';
    try {
      await work(controller.signal);
    } finally {
      this.current = undefined;
      this.runner.rejectWaiting();
      this.postTask();
      this.env.post({ type: 'busy', busy: false });
      await this.persist();
      finished();
    }
  }

  stop(): void {
    this.current?.controller.abort();
    this.runner.rejectWaiting();
  }

  /** Approve / Reject from a card. */
  decide(
    callId: string,
    approve: boolean,
    feedback?: string,
    always?: boolean,
    alwaysServer?: boolean,
    allowNetwork?: boolean,
  ): void {
    this.runner.decide(callId, {
      approve,
      ...(feedback ? { feedback } : {}),
      ...(always ? { always } : {}),
      ...(alwaysServer ? { alwaysServer } : {}),
      ...(allowNetwork ? { allowNetwork } : {}),
    });
  }

  /** Send now, on the countdown of a wait before the next attempt. */
  sendNow(): void {
    this.skipWait?.abort();
  }

  /** Kill from a command's card. */
  kill(callId: string): void {
    this.runner.kill(callId);
  }

  /** What a subagent of this task needs (./subagent.ts): its spend goes into this task's. */
  private subagentDeps(env: AgentEnvironment): SubagentDeps {
    const { tools, tokens } = env;
    const addSpend = (usd: number): void => {
      this.spentUsd += usd;
      this.postTask();
    };
    return {
      env,
      tools,
      tokens,
      addSpend,
      settings: () => env.agentSettings(),
      alwaysAllowed: () => env.alwaysAllowed(),
      parent: () => this.routing,
      taskId: () => this.taskId,
    };
  }

  /** Change Task Budget: this task's own budget (`null`: none), or its remaining steps on a cheaper model. */
  async setTaskBudget(change: Parameters<TaskRoutingState['setBudget']>[0]): Promise<void> {
    this.routing.setBudget(change);
    this.postTask();
    await this.persist();
  }

  /** Explain Route in agent mode: the next step's route (./nextStep.ts). */
  planNext(): Promise<NextStepRoute> {
    const { tokens, extras } = this.env;
    const next = {
      routing: this.routing,
      messages: this.transcript,
      tokens,
      sticky: this.sticky,
      sessionId: this.taskId,
    };
    return planNextStep(this.env, { ...next, ...(extras ? { extras } : {}) });
  }

  /** Starts a new task: the one on screen (stopped first if running) is kept in Past Chats; its checkpoints go. */
  async newTask(): Promise<void> {
    const running = this.current?.done;
    this.stop();
    await running;
    await this.saved.keep(this.snapshot());
    this.load({
      id: this.env.newId(),
      mode: this.mode(),
      messages: [],
      transcript: [],
      spentUsd: 0,
      steps: 0,
      outcome: 'finished',
    });
    this.routing.reset();
    await this.saved.clear();
    this.env.post({ type: 'cleared' });
    this.postTask();
  }

  /**
   * Puts a past task from Past Chats on screen, read-only (the one on screen is stopped if it runs
   * — the host asks first — and kept there). False when it no longer exists.
   */
  async openPast(id: string): Promise<boolean> {
    if (id === this.taskId) return true;
    const record = this.saved.open(id);
    if (!record) return false;
    const running = this.current?.done;
    this.stop();
    await running;
    await this.saved.keep(this.snapshot());
    this.load(record, true);
    this.routing.reset();
    await this.persist();
    return true;
  }

  /** Continue on a past task: its next run starts from its transcript, the model told its checkpoints are gone. */
  async continueTask(): Promise<void> {
    if (!this.readOnly || this.current) return;
    this.readOnly = false;
    this.notes.push(CONTINUE_NOTE);
    this.postTask();
    this.env.post({ type: 'composerNotice', level: 'info', text: CONTINUED_NOTICE });
    await this.persist();
  }

  /** Makes `record` the task on screen (shown by the next `init`); checkpoints start empty. */
  private load(record: TaskRecord & { readonly todos?: AgentTaskView['todos'] }, readOnly = false): void {
    this.taskId = record.id;
    this.view.messages = [...record.messages];
    this.transcript = [...record.transcript];
    this.spentUsd = record.spentUsd;
    this.steps = record.steps;
    this.outcome = record.outcome;
    this.readOnly = readOnly;
    this.checkpoints = new Checkpoints();
    this.notes = [];
    this.toolNotice.reset();
    this.todos.write(Array.isArray(record.todos) ? record.todos : [], 0);
    this.env.extras?.reset();
    this.sticky.reset();
  }

  /** How Past Chats names the task's mode. */
  private mode(): string {
    return kindOf(this.env) === 'plan' ? 'plan' : 'agent';
  }

  /** Plan mode: the text of the plan answer `messageId` (undefined if it is not one); `acted` marks it acted on. */
  plan(messageId: string, acted = false): string | undefined {
    const m = this.view.find(messageId);
    if (acted && m?.plan) this.view.change(messageId, { plan: 'acted' });
    return m?.plan ? m.text : undefined;
  }

  /** Returns the files written at `stepId` and later to their state before it (one undoable edit). */
  async restore(stepId: string): Promise<void> {
    const note = await restoreCheckpoint(stepId, {
      checkpoints: this.checkpoints,
      view: this.view,
      write: (files) => this.env.tools.write(files),
      post: (m) => this.env.post(m),
      log: this.env.log,
    });
    if (!note) return;
    this.notes.push(note);
    await this.persist();
  }

  private async runTask(
    input: { text: string; context: readonly string[] } | undefined,
    signal: AbortSignal,
  ): Promise<void> {
    await this.openTask(input, signal);
    const settings = this.env.agentSettings();
    const contextTokens = this.compactor.elisionBudget();
    let card: StepCard | undefined;
    try {
      const result = await runAgentLoop(
        this.transcript,
        {
          turn: (messages) => {
            card = this.newCard();
            return this.step(card, messages, signal);
          },
          execute: (call) => this.runner.execute(call, card!.id, signal, settings),
          extra: taskExtraTools({
            todos: this.todos,
            ...(this.env.extras ? { extras: this.env.extras } : {}),
            context: (call: AssembledCall) => this.runner.extraContext(card!.id, call.id, signal),
            todosChanged: () => this.postTask(),
          }),
          refuse: taskGate(kindOf(this.env), this.env.extras),
          aborted: () => signal.aborted,
          takeNotes: (step) => [...this.notes.splice(0), ...[this.todos.reminder(step) ?? []].flat()],
          compact: async (messages) => (await this.compactor.beforeStep(messages, signal))?.messages,
          onEvent: (event) => this.onLoopEvent(event, card),
        },
        {
          maxSteps: settings.maxSteps || DEFAULT_MAX_STEPS,
          tokens: this.env.tokens,
          count: this.count,
          ...(contextTokens ? { contextTokens } : {}),
        },
      );
      this.endTask(result, card);
    } catch (error) {
      this.failTask(error, card);
      // Keep what ran: the calls of the last full turn and their results pair up already (the loop
      // only appends both together); an aborted turn added nothing.
    }
  }

  /** Opens a run: posts the user's message (if any), marks busy and adds it (with pending notes and its context) to the transcript. */
  private async openTask(
    input: { text: string; context: readonly string[] } | undefined,
    signal: AbortSignal,
  ): Promise<void> {
    if (input)
      this.view.add({
        id: this.env.newId(),
        role: 'user',
        text: input.text,
        status: 'done',
        createdAt: this.env.now(),
      });
    this.env.post({ type: 'busy', busy: true });
    await this.env.extras?.begin(signal);
    // Instructions right after the system prompt: both stay the same for the whole task (cache-stable).
    const instructions = this.env.extras?.instructions() ?? '';
    if (this.transcript.length === 0)
      this.transcript.push({ role: 'system', content: systemPromptFor(kindOf(this.env), instructions) });
    this.todos.restart(0);
    if (input) {
      const notes = this.notes.splice(0);
      const parts = [...(notes.length ? [notes.join('\n')] : []), ...input.context, input.text];
      this.transcript.push({ role: 'user', content: parts.join('\n\n') });
    }
  }

  private newCard(): StepCard {
    const deps = {
      view: this.view,
      post: (m: Parameters<AgentEnvironment['post']>[0]) => this.env.post(m),
      now: () => this.env.now(),
      log: this.env.log,
      setSkip: (skip: AbortController | undefined) => (this.skipWait = skip),
    };
    return new StepCard(deps, this.env.newId(), this.env.settings().model);
  }

  /** One model turn streamed into its card; its cost counted (a failed or stopped turn's too). */
  private async step(card: StepCard, messages: readonly AgentMessage[], signal: AbortSignal): Promise<TurnOutcome> {
    try {
      this.routing.tier = kindOf(this.env) === 'plan' ? 'plan' : 'act';
      const outcome = await runAgentTurn(this.env, messages, signal, card.handlers(), {
        tokens: this.env.tokens,
        count: this.count,
        routing: this.routing,
        onPlanned: (planned) => card.notice(planned.notices),
        sticky: this.sticky,
        sessionId: this.taskId,
        kind: kindOf(this.env),
        ...(this.env.extras ? { extras: this.env.extras } : {}),
      });
      this.steps++;
      this.spentUsd += outcome.costUsd ?? 0;
      card.settle(outcome, this.env.settings().model, this.toolNotice);
      this.countLater(outcome.spend, card);
      this.postTask();
      return outcome;
    } catch (error) {
      if (error instanceof TurnFailure) this.countLater(error.spend, card);
      throw error;
    }
  }

  /** Adds what the turn layer finds out later (looked up, or estimated) to the task's spend and the step's meta. */
  private countLater(spend: TurnSpend, card: Pick<StepCard, 'addCost'>): void {
    const task = spend.rest.then(async ({ usd, estimatedUsd }) => {
      if (usd <= 0) return;
      this.spentUsd += usd;
      card.addCost(usd, estimatedUsd);
      this.postTask();
      await this.persist();
    });
    const tracked = task.catch((error: unknown) => this.env.log.warn(`agent: cost look-up failed: ${String(error)}`));
    this.background.add(tracked);
    void tracked.finally(() => this.background.delete(tracked));
  }

  /** `/compact`: compacts now; the transcript the model is sent shrinks, the view keeps every step. */
  private async compactNow(text: string, signal: AbortSignal): Promise<void> {
    const next = await this.compactor.command(text, this.transcript, signal);
    if (next) this.transcript = next;
  }

  /** Resolves when background work (cost look-ups) has finished. */
  async idle(): Promise<void> {
    while (this.background.size) await Promise.all([...this.background]);
  }

  /** Reacts to a loop event (./taskView.ts shows it). */
  private onLoopEvent(event: LoopEvent, card: StepCard | undefined): void {
    if (event.kind === 'stepDone' || event.kind === 'compacted') this.transcript = [...event.messages];
    if (event.kind === 'elided')
      this.env.log.info(`agent: ${event.count} old tool results elided to fit the context window`);
    if (event.kind === 'nudge') this.env.log.warn(`agent: ${event.notice}`);
    showLoopEvent(this.view, event, card?.id);
  }

  /** Ends a run the loop finished: keeps its transcript, marks the last step (with why it ended) and logs. */
  private endTask(result: LoopResult, card: StepCard | undefined): void {
    this.transcript = [...result.messages];
    const end = { openTodos: openTodosNotice(this.todos.items), plan: kindOf(this.env) === 'plan' };
    this.outcome = result.reason === 'done' && end.openTodos ? 'openTodos' : outcomeOf(result.reason);
    if (showTaskEnd(this.view, result, card?.id, this.spentUsd, end)) this.env.onPlan?.(result.finalText, card!.id);
    this.env.log.info(`agent task ended (${result.reason}) after ${result.steps} steps, ${formatUsd(this.spentUsd)}`);
  }

  /** Ends a run that threw: a stop marks the last step stopped; any other error is shown on it (or on a new message). */
  private failTask(error: unknown, card: StepCard | undefined): void {
    const failure = error instanceof FailureError ? error.failure : undefined;
    this.outcome = failure?.kind === 'aborted' ? 'stopped' : 'failed';
    if (failure?.kind !== 'aborted') this.env.log.error(`agent task failed: ${failureLogText(error)}`);
    showTaskFailure(this.view, error, card?.id, () => ({ id: this.env.newId(), createdAt: this.env.now() }));
  }

  private postTask(): void {
    this.env.post({ type: 'agentTask', task: this.task() });
  }

  private snapshot(): TaskSnapshot {
    return {
      id: this.taskId,
      mode: this.mode(),
      messages: this.view.messages,
      transcript: this.transcript,
      spentUsd: this.spentUsd,
      steps: this.steps,
      outcome: this.outcome,
      checkpoints: this.checkpoints.data(),
      readOnly: this.readOnly,
      ...(this.todos.items.length ? { todos: this.todos.items } : {}),
      routing: this.routing.data(),
    };
  }

  /** Saves the task on screen and its row in Past Chats (./taskStore.ts). */
  private persist(): Promise<void> {
    return this.saved.save(this.snapshot());
  }
}
