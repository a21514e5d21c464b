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
import type { AgentTaskView, ChatMessageView } from '../protocol/messages';
import type { TurnSpend } from '../turn/send';
import type { AgentEnvironment } from './agentEnv';
import { Checkpoints } from './checkpoints';
import { Compactor, isCompactCommand } from './compactor';
import { planNextStep, type NextStepRoute } from './nextStep';
import { pinnedParts } from './pinned';
import type { TaskKind } from './planMode';
import { restoreCheckpoint } from './restoreCheckpoint';
import { addCost, type StepCard } from './stepCard';
import { withSubagent, type SubagentDeps } from './subagent';
import { CONTINUE_NOTE, CONTINUED_NOTICE, PAST_TASK_NOTICE, type TaskRecord } from './taskHistory';
import { TaskRoutingState } from './taskRouting';
import { RunSteps } from './runSteps';
import { runTask, type RunHost } from './taskRun';
import { TaskState } from './taskState';
import { TaskStore, type TaskSnapshot } from './taskStore';
import { TaskView } from './taskView';
import { withImageSources } from './toolImages';
import { sharedMessageTokens, type MessageTokens } from './tokenCount';
import { ToolRunner } from './toolRunner';

export { MAX_RESULT_CHARS, type AgentSettings, type AgentTools, type FileChange, type ToolRun } from './toolRunner';
export { AGENT_SYSTEM_PROMPT, type AgentEnvironment } from './agentEnv';

/** A plan (read-only tools, ends with a plan document) or a task that acts (default), each kept under its own key. */
const kindOf = (env: AgentEnvironment): TaskKind => env.kind ?? 'act';

export class AgentSession {
  private readonly view: TaskView;
  private readonly runner: ToolRunner;
  /** The task on screen: transcript, spend, steps, to-dos, checkpoints (./taskState.ts). */
  private readonly state: TaskState;
  private readonly saved: TaskStore;
  private current: { controller: AbortController; done: Promise<void> } | undefined;
  /** Ends the wait before the next attempt (Send now on the countdown). */
  private skipWait: AbortController | undefined;
  /** Cost look-ups still running after their step ended. */
  private readonly background = new Set<Promise<void>>();
  /** The task's tier, budget and downgrade (./taskRouting.ts). */
  readonly routing: TaskRoutingState;
  /** Summarizes the older steps for the model when the prompt grows too long, and on `/compact`. */
  private readonly compactor: Compactor;
  /** The transcript's token count, shared by the compactor, the elision and each step's route: a message is tokenized once. */
  private readonly count: MessageTokens;

  private readonly env: AgentEnvironment;
  /** The steps of the run under way, its subagents' included (./runSteps.ts). */
  private readonly steps = new RunSteps();

  constructor(env: AgentEnvironment) {
    // run_subagent rides with the task's extras (MCP tools, skills): offered, handed its calls, reset with them.
    this.env = { ...env, extras: withSubagent(env.extras, this.subagentDeps(env)) };
    this.view = new TaskView((m) => env.post(m));
    this.count = sharedMessageTokens(env.tokens);
    this.saved = new TaskStore(env.store, env.archive, env.log, env.storageKey, () => env.tools.knownSecrets?.() ?? []);
    // A reload mid-task: what ran stays; what was under way is over.
    const saved = this.saved.restore(env.newId());
    this.state = new TaskState(saved?.id ?? env.newId());
    this.routing = TaskRoutingState.of(env, () => this.state.spentUsd, saved?.routing);
    if (saved) this.load(saved, saved.readOnly);
    this.state.checkpoints = new Checkpoints(saved?.checkpoints);
    this.runner = new ToolRunner(
      {
        tools: env.tools,
        log: env.log,
        alwaysAllowed: () => env.alwaysAllowed(),
        allowAlways: (tool) => env.allowAlways(tool),
        checkpoints: () => this.state.checkpoints,
        persist: () => this.persist(),
        ...(env.extras ? { touched: (call) => env.extras!.touched?.(call) ?? Promise.resolve([]) } : {}),
      },
      this.view,
    );
    this.compactor = new Compactor({
      env,
      view: this.view,
      count: this.count,
      spentUsd: () => this.state.spentUsd,
      charge: (spend, id) => {
        this.state.spentUsd += spend.knownUsd;
        this.countLater(spend, { addCost: (usd, estimated) => addCost(this.view, id, usd, estimated) });
        this.postTask();
      },
      pinned: (head) => pinnedParts(head, this.state.todos.items),
    });
  }

  get busy(): boolean {
    return this.current !== undefined;
  }

  task(): AgentTaskView {
    const todos = this.state.todos.items;
    return {
      running: this.busy,
      steps: this.state.steps,
      spentUsd: this.state.spentUsd,
      ...this.routing.view(this.state.steps),
      ...(todos.length ? { todos } : {}),
      ...(this.state.readOnly ? { past: true } : {}),
      ...this.state.toolNotice.taskFields(),
    };
  }

  /** The id of the task on screen. */
  get id(): string {
    return this.state.id;
  }

  /** The task's messages, for the webview's `init`. */
  views(): readonly ChatMessageView[] {
    const store = this.env.images;
    return store ? withImageSources(this.view.messages, (file) => store.src(file)) : this.view.messages;
  }

  /**
   * Starts a task, or continues the current one with another user message; `context` is the
   * attached context (the composer's chips, rendered), sent before the text. Resolves when it ends.
   */
  async send(text: string, context: readonly string[] = []): Promise<void> {
    if (this.current || this.state.readOnly) {
      this.env.post({ type: 'restoreDraft', text });
      if (this.state.readOnly) this.env.post({ type: 'composerNotice', level: 'info', text: PAST_TASK_NOTICE });
      return;
    }
    if (isCompactCommand(text)) return this.run((signal) => this.compactNow(text, signal));
    await this.run((signal) => runTask(this.runHost(), { text, context }, signal));
  }

  /**
   * Retry of a step that failed or was stopped: the task goes on from its transcript as it is
   * (the failed turn added nothing to it; tools that ran stay done and are not run again).
   */
  async retry(messageId: string): Promise<void> {
    const last = this.view.messages.at(-1);
    if (
      this.current ||
      this.state.readOnly ||
      !last ||
      last.id !== messageId ||
      (last.status !== 'error' && last.status !== 'stopped') ||
      this.state.transcript.length === 0
    )
      return;
    await this.run((signal) => runTask(this.runHost(), undefined, signal));
  }

  private async run(work: (signal: AbortSignal) => Promise<void>): Promise<void> {
    const controller = new AbortController();
    let finished!: () => void;
    const done = new Promise<void>((resolve) => (finished = resolve));
    this.current = { controller, done };
    this.state.outcome = 'running';
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
      this.state.spentUsd += usd;
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
      steps: this.steps,
      taskId: () => this.state.id,
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
    const { tokens, extras, images } = this.env;
    const next = {
      routing: this.routing,
      messages: this.state.transcript,
      tokens,
      sticky: this.state.sticky,
      sessionId: this.state.id,
    };
    return planNextStep(this.env, { ...next, ...(extras ? { extras } : {}), ...(images ? { images } : {}) });
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
    if (id === this.state.id) return true;
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
    if (!this.state.readOnly || this.current) return;
    this.state.readOnly = false;
    this.state.notes.push(CONTINUE_NOTE);
    this.postTask();
    this.env.post({ type: 'composerNotice', level: 'info', text: CONTINUED_NOTICE });
    await this.persist();
  }

  /** Makes `record` the task on screen (shown by the next `init`); checkpoints start empty. */
  private load(record: TaskRecord & { readonly todos?: AgentTaskView['todos'] }, readOnly = false): void {
    this.state.load(record, this.view, readOnly);
    this.env.extras?.reset();
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
      checkpoints: this.state.checkpoints,
      view: this.view,
      write: (files) => this.env.tools.write(files),
      post: (m) => this.env.post(m),
      log: this.env.log,
    });
    if (!note) return;
    this.state.notes.push(note);
    await this.persist();
  }

  /** What a run of the task needs (./taskRun.ts). */
  private runHost(): RunHost {
    return {
      env: this.env,
      kind: kindOf(this.env),
      state: this.state,
      view: this.view,
      runner: this.runner,
      routing: this.routing,
      compactor: this.compactor,
      count: this.count,
      steps: this.steps,
      countLater: (spend, card) => this.countLater(spend, card),
      postTask: () => this.postTask(),
      setSkip: (skip) => (this.skipWait = skip),
    };
  }

  /** Adds what the turn layer finds out later (looked up, or estimated) to the task's spend and the step's meta. */
  private countLater(spend: TurnSpend, card: Pick<StepCard, 'addCost'>): void {
    const task = spend.rest.then(async ({ usd, estimatedUsd }) => {
      if (usd <= 0) return;
      this.state.spentUsd += usd;
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
    const next = await this.compactor.command(text, this.state.transcript, signal);
    if (next) this.state.transcript = next;
  }

  /** Resolves when background work (cost look-ups) has finished. */
  async idle(): Promise<void> {
    while (this.background.size) await Promise.all([...this.background]);
  }

  private postTask(): void {
    this.env.post({ type: 'agentTask', task: this.task() });
  }

  private snapshot(): TaskSnapshot {
    return this.state.snapshot(this.mode(), this.view, this.routing.data());
  }

  /** Saves the task on screen and its row in Past Chats (./taskStore.ts). */
  private persist(): Promise<void> {
    return this.saved.save(this.snapshot());
  }
}
