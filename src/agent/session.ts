/**
 * An agent task: a conversation in which the model may call tools. Each model turn is a step,
 * shown as an assistant message whose tool calls are cards (waiting → running → done / rejected /
 * failed). Reads run without asking by default; edits and commands ask (policy.ts). An edit is
 * proposed as a diff and written only on approval, as one undoable edit, after the prior content
 * of the files it touches is kept as the step's checkpoint; Restore checkpoint writes them back
 * and tells the model on its next turn. Stop aborts the request, interrupts a running command
 * and writes nothing further. The task (messages, transcript, checkpoints) is kept in workspace
 * storage, so it survives a window reload. Pure: the editor side comes in as {@link AgentTools}.
 */
import type { ChatEnvironment } from '../chat/chatSession';
import { toFailureView } from '../chat/chatSession';
import type { KeyValueStore } from '../chat/conversation';
import { FailureError } from '../openrouter/failures';
import { redactSecrets } from '../openrouter/redact';
import type { AgentTaskView, ChatMessageView, HostToWebview, ToolCallView } from '../protocol/messages';
import { Checkpoints, type CheckpointData, type FileBefore } from './checkpoints';
import { unifiedDiff } from './diffText';
import { applyReplacements } from './editText';
import { DEFAULT_MAX_STEPS, runAgentLoop, type EndReason, type LoopEvent, type LoopResult, type ToolOutcome } from './loop';
import { approvalFor, type ApprovalSettings, type CallFacts } from './policy';
import { describeCall, TOOL_KIND, type ToolCall, type ToolName } from './tools';
import { capOutput, type AgentMessage } from './transcript';
import { runTurn, type TurnHandlers, type TurnOutcome } from './turn';

/** `switchyard.agent.*` settings. */
export interface AgentSettings {
  readonly approval: ApprovalSettings;
  readonly maxSteps: number;
  readonly commandTimeoutSeconds: number;
}

/** A file as an edit would leave it. `after: null` deletes it (only a restore does that). */
export interface FileChange {
  readonly path: string;
  readonly content: string | null;
}

/** What a tool produced, before capping and redaction. */
export interface ToolRun {
  readonly ok: boolean;
  readonly content: string;
  /** One line for the card ("exit code 0", "12 files"). */
  readonly summary?: string;
}

/** What a running call hears from the task: the card's timeout notice, and whether the user allowed this command the network. */
export interface RunEvents {
  onStillRunning(): void;
  readonly allowNetwork?: boolean;
}

/** The editor side of the tools (src/vscode/agentTools.ts). Every path is workspace-relative. */
export interface AgentTools {
  /** Runs a read or a command. Tool failures (a path outside the workspace, exit code 1) are results, not throws. */
  run(call: ToolCall, signal: AbortSignal, events: RunEvents): Promise<ToolRun>;
  /** What the approval policy needs to know of a call (a command's parse, the sandbox, an edit's resolved path). */
  inspect?(call: ToolCall): Promise<CallFacts>;
  /** A file's text for an edit: `null` when it does not exist; an error sentence when it may not be read (outside the workspace). */
  readForEdit(path: string): Promise<{ ok: true; text: string | null } | { ok: false; error: string }>;
  /** Shows a proposed change side by side (the editor's diff); resolves once shown. */
  showProposal(changes: readonly FileChange[]): Promise<void>;
  closeProposal(): Promise<void>;
  /** Writes the changes as one undoable edit; an error sentence when it could not. */
  write(changes: readonly FileChange[]): Promise<string | undefined>;
}

export interface AgentEnvironment extends ChatEnvironment {
  readonly tools: AgentTools;
  agentSettings(): AgentSettings;
  /** Tools the user chose "Always allow" for in this workspace. */
  alwaysAllowed(): ReadonlySet<string>;
  allowAlways(tool: ToolName): Promise<void>;
  /** Workspace storage for the task. */
  readonly store: KeyValueStore;
  /** Estimated tokens of a text. */
  tokens(text: string): number;
}

/** Characters of a tool result sent to the model (head + tail kept). */
export const MAX_RESULT_CHARS = 16_000;
const STORAGE_KEY = 'switchyard.agentTask.v1';

export const AGENT_SYSTEM_PROMPT = [
  'You are Switchyard, a coding agent working inside the user\'s VS Code workspace.',
  'Use the tools to read files, search, list, see problems, edit files and run commands. Paths are relative to the workspace root.',
  'Read a file before you edit it. edit_file replaces exact text that must occur exactly once; include enough surrounding lines.',
  'The user approves edits and commands; a rejection comes back as the tool result, often with their reason: follow it.',
  'When the task is done, answer with a short summary of what you changed and how you checked it, without calling a tool.',
].join('\n');

interface StoredTask {
  readonly messages: readonly ChatMessageView[];
  readonly transcript: readonly AgentMessage[];
  readonly checkpoints: CheckpointData;
  readonly spentUsd: number;
  readonly steps: number;
}

interface Pending {
  readonly stepId: string;
  decide(decision: Decision): void;
}

/** The user's answer on a call that asks; `allowNetwork`: "Approve with network" on a sandboxed command. */
type Decision = { approve: boolean; feedback?: string; always?: boolean; allowNetwork?: boolean };

/** A call that edits or writes a file. */
type EditCall = Extract<ToolCall, { name: 'edit_file' | 'write_file' }>;

/** An edit worked out before asking: what it writes, what it replaces, and how the card shows it. */
interface PreparedEdit {
  readonly changes: FileChange[];
  readonly befores: FileBefore[];
  readonly diff: string;
  readonly editPath: string;
  readonly editSummary: string;
}

export class AgentSession {
  private messages: ChatMessageView[] = [];
  private transcript: AgentMessage[] = [];
  private checkpoints: Checkpoints;
  private spentUsd = 0;
  private steps = 0;
  private notes: string[] = [];
  private current: { controller: AbortController; done: Promise<void> } | undefined;
  private readonly pending = new Map<string, Pending>();
  private readonly kills = new Map<string, AbortController>();
  /** Ends the wait before the next attempt (Send now on the countdown). */
  private skipWait: AbortController | undefined;

  constructor(private readonly env: AgentEnvironment) {
    const saved = env.store.get<StoredTask>(STORAGE_KEY);
    this.checkpoints = new Checkpoints(saved?.checkpoints);
    if (saved && Array.isArray(saved.messages) && Array.isArray(saved.transcript)) {
      // A reload mid-task: what ran stays; what was under way is over.
      this.messages = saved.messages.map((m) => (m.status === 'streaming' ? { ...m, status: 'stopped', tools: m.tools?.map(endCard) } : m));
      this.transcript = [...saved.transcript];
      this.spentUsd = saved.spentUsd ?? 0;
      this.steps = saved.steps ?? 0;
    }
  }

  get busy(): boolean {
    return this.current !== undefined;
  }

  task(): AgentTaskView {
    return { running: this.busy, steps: this.steps, spentUsd: this.spentUsd };
  }

  /** The task's messages, for the webview's `init`. */
  views(): readonly ChatMessageView[] {
    return this.messages;
  }

  /** Starts a task, or continues the current one with another user message. Resolves when it ends. */
  async send(text: string): Promise<void> {
    if (this.current) {
      this.env.post({ type: 'restoreDraft', text });
      return;
    }
    await this.run(text);
  }

  /**
   * Retry of a step that failed or was stopped: the task goes on from its transcript as it is
   * (the failed turn added nothing to it; tools that ran stay done and are not run again).
   */
  async retry(messageId: string): Promise<void> {
    const last = this.messages.at(-1);
    if (this.current || !last || last.id !== messageId || (last.status !== 'error' && last.status !== 'stopped') || this.transcript.length === 0) return;
    await this.run(undefined);
  }

  private async run(text: string | undefined): Promise<void> {
    const controller = new AbortController();
    let finished!: () => void;
    const done = new Promise<void>((resolve) => (finished = resolve));
    this.current = { controller, done };
    try {
      await this.runTask(text, controller);
    } finally {
      this.current = undefined;
      for (const p of this.pending.values()) p.decide({ approve: false });
      this.pending.clear();
      this.postTask();
      this.env.post({ type: 'busy', busy: false });
      await this.persist();
      finished();
    }
  }

  stop(): void {
    this.current?.controller.abort();
    for (const p of this.pending.values()) p.decide({ approve: false });
  }

  /** Approve / Reject from a card. */
  decide(callId: string, approve: boolean, feedback?: string, always?: boolean, allowNetwork?: boolean): void {
    this.pending.get(callId)?.decide({ approve, ...(feedback ? { feedback } : {}), ...(always ? { always } : {}), ...(allowNetwork ? { allowNetwork } : {}) });
  }

  /** Send now, on the countdown of a wait before the next attempt. */
  sendNow(): void {
    this.skipWait?.abort();
  }

  /** Kill from a command's card. */
  kill(callId: string): void {
    this.kills.get(callId)?.abort();
  }

  /** Drops the task and its checkpoints. */
  async newTask(): Promise<void> {
    const running = this.current?.done;
    this.stop();
    await running;
    this.messages = [];
    this.transcript = [];
    this.checkpoints = new Checkpoints();
    this.spentUsd = 0;
    this.steps = 0;
    this.notes = [];
    await this.env.store.update(STORAGE_KEY, undefined);
    this.env.post({ type: 'cleared' });
    this.postTask();
  }

  /** Returns the files written at `stepId` and later to their state before it (one undoable edit). */
  async restore(stepId: string): Promise<void> {
    const plan = this.checkpoints.restorePlan(stepId);
    if (!plan) {
      this.env.post({ type: 'composerNotice', level: 'error', text: `This step cannot be restored: ${this.checkpoints.whyNot(stepId)}.` });
      return;
    }
    const error = await this.env.tools.write(plan);
    if (error) {
      this.env.post({ type: 'composerNotice', level: 'error', text: `Restore failed: ${error}` });
      return;
    }
    const index = this.messages.findIndex((m) => m.id === stepId);
    this.checkpoints.forgetFrom(stepId);
    for (const m of this.messages.slice(index)) if (m.checkpoint === 'available') this.updateMessage({ ...m, checkpoint: 'restored' });
    const stepNumber = this.messages.slice(0, index + 1).filter((m) => m.role === 'assistant' && m.tools).length;
    this.notes.push(`The user restored the checkpoint from before step ${stepNumber}: ${plan.map((f) => f.path).join(', ')} ${plan.length === 1 ? 'is' : 'are'} back to ${plan.length === 1 ? 'its' : 'their'} earlier content (changes made at that step and after were undone). Read files again before editing them.`);
    this.env.log.info(`agent: restored the checkpoint before step ${stepNumber} (${plan.length} files)`);
    this.env.post({ type: 'composerNotice', level: 'info', text: `Restored ${plan.map((f) => f.path).join(', ')} to before step ${stepNumber}.` });
    await this.persist();
  }

  private async runTask(text: string | undefined, controller: AbortController): Promise<void> {
    const signal = controller.signal;
    this.openTask(text);
    const settings = this.env.agentSettings();
    const info = this.env.modelInfo(this.env.settings().model);
    const contextTokens = info ? Math.floor(info.contextLength * 0.75) : undefined;
    let step: ChatMessageView | undefined;
    try {
      const result = await runAgentLoop(
        this.transcript,
        {
          turn: (messages) => this.agentTurn(messages, signal, (s) => {
            step = s;
          }),
          execute: (call) => this.execute(call, step!.id, signal, settings),
          aborted: () => signal.aborted,
          takeNotes: () => this.notes.splice(0),
          onEvent: (event) => this.onLoopEvent(event, step),
        },
        { maxSteps: settings.maxSteps || DEFAULT_MAX_STEPS, tokens: this.env.tokens, ...(contextTokens ? { contextTokens } : {}) },
      );
      this.endTask(result, step);
    } catch (error) {
      this.failTask(error, step);
      // Keep what ran: the calls of the last full turn and their results pair up already (the loop
      // only appends both together); an aborted turn added nothing.
    }
  }

  /** Opens a run: posts the user's message (if any), marks busy and adds it (with pending notes) to the transcript. */
  private openTask(text: string | undefined): void {
    if (text !== undefined) {
      const user: ChatMessageView = { id: this.env.newId(), role: 'user', text, status: 'done', createdAt: this.env.now() };
      this.messages.push(user);
      this.env.post({ type: 'messageAdded', message: user });
    }
    this.env.post({ type: 'busy', busy: true });
    if (this.transcript.length === 0) this.transcript.push({ role: 'system', content: AGENT_SYSTEM_PROMPT });
    if (text !== undefined) {
      const notes = this.notes.splice(0);
      this.transcript.push({ role: 'user', content: notes.length ? `${notes.join('\n')}\n\n${text}` : text });
    }
  }

  /** One model turn: adds the step's message (reported through `onStep`), streams into it, then settles it. */
  private async agentTurn(messages: readonly AgentMessage[], signal: AbortSignal, onStep: (step: ChatMessageView) => void): Promise<TurnOutcome> {
    const step: ChatMessageView = { id: this.env.newId(), role: 'assistant', text: '', status: 'streaming', createdAt: this.env.now(), meta: { requestedModel: this.env.settings().model }, tools: [] };
    onStep(step);
    this.messages.push(step);
    this.env.post({ type: 'messageAdded', message: step });
    const id = step.id;
    const outcome = await runTurn(this.env, messages, signal, this.turnHandlers(id), this.env.tokens, this.spentUsd);
    this.settleStep(id, outcome);
    return outcome;
  }

  /** The handlers of a turn: they stream text, waits and route notices into step `id`'s message. */
  private turnHandlers(id: string): TurnHandlers {
    return {
      onAttempt: () => {
        const m = this.find(id);
        if (m && m.text) this.updateMessage({ ...m, text: '' });
      },
      onText: (piece) => {
        const m = this.find(id);
        if (!m) return;
        this.replace({ ...m, text: m.text + piece });
        this.env.post({ type: 'delta', id, text: piece });
      },
      onWaiting: (wait) => {
        const m = this.find(id);
        if (m) {
          const { waiting: _was, ...rest } = m;
          this.updateMessage(wait ? { ...rest, waiting: wait } : rest);
        }
        this.skipWait = wait ? new AbortController() : undefined;
        return this.skipWait?.signal;
      },
      onRouteEvent: (event) => {
        this.env.log.info(`agent route: ${event.text}`);
        const m = this.find(id);
        if (m) this.updateMessage({ ...m, notices: [...(m.notices ?? []), event.text] });
      },
    };
  }

  /** Counts a finished turn and its cost, and writes its text and meta into step `id`'s message. */
  private settleStep(id: string, outcome: TurnOutcome): void {
    this.steps++;
    this.spentUsd += outcome.costUsd ?? 0;
    const m = this.find(id)!;
    this.updateMessage({
      ...m,
      text: outcome.text,
      meta: {
        requestedModel: outcome.plan.attempts[0]?.body.model ?? this.env.settings().model,
        ...(outcome.model ? { model: outcome.model } : {}),
        ...(outcome.provider ? { provider: outcome.provider } : {}),
        ...(outcome.promptTokens !== undefined ? { promptTokens: outcome.promptTokens } : {}),
        ...(outcome.completionTokens !== undefined ? { completionTokens: outcome.completionTokens } : {}),
        ...(outcome.costUsd !== undefined ? { cost: outcome.costUsd } : {}),
      },
      status: 'done',
    });
    this.postTask();
  }

  /** Reacts to a loop event: a card for an unusable call, the transcript after a step, a log line on elision. */
  private onLoopEvent(event: LoopEvent, step: ChatMessageView | undefined): void {
    if (event.kind === 'invalidCall' && step) {
      this.addCard(step.id, { id: event.call.id, tool: event.call.name || 'unknown', title: `${event.call.name || 'A tool call'} with unusable arguments`, state: 'failed', summary: event.error, result: event.error });
    }
    if (event.kind === 'stepDone') this.transcript = [...event.messages];
    if (event.kind === 'elided') this.env.log.info(`agent: ${event.count} old tool results elided to fit the context window`);
  }

  /** Ends a run the loop finished: keeps its transcript, marks the last step (with why it ended) and logs. */
  private endTask(result: LoopResult, step: ChatMessageView | undefined): void {
    this.transcript = [...result.messages];
    const reason: EndReason = result.reason;
    const last = step ? this.find(step.id) : undefined;
    if (last) {
      const notice = reason === 'maxSteps' ? `Ended after ${result.steps} steps (switchyard.agent.maxSteps).` : reason === 'budget' ? `Ended: the task's spend reached its budget ($${this.spentUsd.toFixed(4)}).` : undefined;
      this.updateMessage({ ...last, status: reason === 'stopped' ? 'stopped' : 'done', ...(notice ? { notices: [...(last.notices ?? []), notice] } : {}) });
    }
    this.env.log.info(`agent task ended (${reason}) after ${result.steps} steps, $${this.spentUsd.toFixed(4)}`);
  }

  /** Ends a run that threw: a stop marks the last step stopped; any other error is shown on it (or on a new message). */
  private failTask(error: unknown, step: ChatMessageView | undefined): void {
    const failure = error instanceof FailureError ? error.failure : undefined;
    const last = step ? this.find(step.id) : undefined;
    if (failure?.kind === 'aborted') {
      if (last) this.updateMessage({ ...last, status: 'stopped', tools: last.tools?.map(endCard) });
    } else {
      const view = failure ? toFailureView(failure) : { kind: 'internal', title: 'Something went wrong', message: 'An unexpected error occurred; see the Switchyard log.', action: { label: 'Show Log', command: 'switchyard.showLog' as const } };
      this.env.log.error(`agent task failed: ${failure ? `${failure.kind} ${failure.message}` : String(error)}`);
      const target = last ?? { id: this.env.newId(), role: 'assistant' as const, text: '', status: 'error' as const, createdAt: this.env.now() };
      if (!last) {
        this.messages.push(target);
        this.env.post({ type: 'messageAdded', message: target });
      }
      this.updateMessage({ ...target, status: 'error', error: view, tools: target.tools?.map(endCard) });
    }
  }

  /** Asks (when needed) and runs one call of step `stepId`. */
  private async execute(call: ToolCall, stepId: string, signal: AbortSignal, settings: AgentSettings): Promise<ToolOutcome> {
    const title = describeCall(call);
    const edit = call.name === 'edit_file' || call.name === 'write_file' ? await this.prepareEdit(call, stepId, title) : undefined;
    if (edit && 'status' in edit) return edit;
    const changes = edit?.changes ?? [];
    const diff = edit?.diff;
    const facts = (await this.env.tools.inspect?.(call)) ?? { sandboxed: false };
    const verdict = approvalFor(call, settings.approval, this.env.alwaysAllowed(), facts);
    // Listen for the decision before the card can be seen.
    const decided = verdict.decision === 'ask'
      ? new Promise<Decision>((resolve) => {
          if (signal.aborted) return resolve({ approve: false });
          this.pending.set(call.id, { stepId, decide: resolve });
        })
      : undefined;
    const asks = verdict.decision === 'ask';
    this.addCard(stepId, { id: call.id, tool: call.name, title, state: asks ? 'waiting' : 'running', reason: verdict.reason, ...(asks && verdict.canAlwaysAllow ? { canAlwaysAllow: true } : {}), ...(diff ? { diff } : {}), ...commandCardFields(call, facts, asks) });
    let allowNetwork = false;
    if (decided) {
      const answer = await this.awaitDecision(call, stepId, signal, decided, changes);
      if ('status' in answer) return answer;
      allowNetwork = answer.allowNetwork === true;
      if (allowNetwork) this.updateCard(stepId, call.id, { sandbox: 'Sandboxed: workspace writable, rest read-only, network on for this command' });
    }
    if (edit && changes.length) return this.applyEdit(call, stepId, title, edit);
    return this.runTool(call, stepId, signal, settings, allowNetwork);
  }

  /** Reads the file an edit or write touches and works out its new content; a failed outcome when it cannot. */
  private async prepareEdit(call: EditCall, stepId: string, title: string): Promise<PreparedEdit | ToolOutcome> {
    const editPath = call.args.path;
    const editSummary = call.name === 'edit_file' ? `${call.args.edits.length} replacement${call.args.edits.length === 1 ? '' : 's'} applied` : writtenSummary(call.args.content);
    const current = await this.env.tools.readForEdit(call.args.path);
    if (!current.ok) return this.fail(stepId, call, title, current.error);
    let after: string;
    if (call.name === 'edit_file') {
      if (current.text === null) return this.fail(stepId, call, title, `${call.args.path} does not exist; use write_file to create it.`);
      const edited = applyReplacements(current.text, call.args.edits);
      if (!edited.ok) return this.fail(stepId, call, title, edited.error);
      after = edited.text;
    } else after = call.args.content;
    return {
      changes: [{ path: call.args.path, content: after }],
      befores: [{ path: call.args.path, content: current.text }],
      diff: unifiedDiff(call.args.path, current.text, after),
      editPath,
      editSummary,
    };
  }

  /** Waits for the user's decision on a call (showing an edit's diff meanwhile); the outcome when it is not to run, else the approval. */
  private async awaitDecision(call: ToolCall, stepId: string, signal: AbortSignal, decided: Promise<Decision>, changes: readonly FileChange[]): Promise<ToolOutcome | Decision> {
    const kind = TOOL_KIND[call.name];
    if (changes.length) await this.env.tools.showProposal(changes).catch((e: unknown) => this.env.log.warn(`agent: diff not shown: ${String(e)}`));
    const decision = await decided;
    this.pending.delete(call.id);
    if (changes.length) await this.env.tools.closeProposal().catch(() => undefined);
    if (signal.aborted) {
      this.updateCard(stepId, call.id, { state: 'rejected', summary: 'the task was stopped' });
      return { status: 'rejected', content: 'Not run: the user stopped the task.' };
    }
    if (!decision.approve) {
      const feedback = decision.feedback?.trim();
      this.updateCard(stepId, call.id, { state: 'rejected', summary: feedback ? `rejected: ${feedback}` : 'rejected', canAlwaysAllow: false });
      const what = kind === 'edit' ? 'edit' : kind === 'command' ? 'command' : 'call';
      return { status: 'rejected', content: `The user rejected this ${what}; it was not ${kind === 'command' ? 'run' : kind === 'edit' ? 'applied' : 'run'}.${feedback ? ` Their feedback: ${feedback}` : ''}` };
    }
    if (decision.always) await this.env.allowAlways(call.name);
    this.updateCard(stepId, call.id, { state: 'running', canAlwaysAllow: false, canAllowNetwork: false });
    return decision;
  }

  /** Keeps the step's checkpoint, then writes an approved edit as one undoable edit. */
  private async applyEdit(call: ToolCall, stepId: string, title: string, edit: PreparedEdit): Promise<ToolOutcome> {
    const { changes, befores, editPath, editSummary } = edit;
    // The checkpoint first: the file's content before this step, then the one undoable edit.
    const kept = this.checkpoints.record(stepId, befores);
    if (!kept) this.env.log.warn(`agent: the checkpoint of step ${stepId} is over the size cap; it cannot be restored`);
    const error = await this.env.tools.write(changes);
    if (error) return this.fail(stepId, call, title, error, true);
    const m = this.find(stepId);
    if (m && kept) this.updateMessage({ ...m, checkpoint: 'available' });
    this.updateCard(stepId, call.id, { state: 'done', summary: editSummary, result: `${editPath}: ${editSummary}.` });
    await this.persist();
    return { status: 'done', content: `${editPath}: ${editSummary}.` };
  }

  /** Runs a read or a command (killable from its card) and puts its capped, redacted output on the card. */
  private async runTool(call: ToolCall, stepId: string, signal: AbortSignal, settings: AgentSettings, allowNetwork: boolean): Promise<ToolOutcome> {
    const kill = new AbortController();
    this.kills.set(call.id, kill);
    try {
      const onStillRunning = (): void => this.updateCard(stepId, call.id, { killable: true, summary: `still running after ${settings.commandTimeoutSeconds} s` });
      const run = await this.env.tools.run(call, AbortSignal.any([signal, kill.signal]), { onStillRunning, ...(allowNetwork ? { allowNetwork } : {}) });
      const content = capOutput(redactSecrets(run.content), MAX_RESULT_CHARS);
      this.updateCard(stepId, call.id, { state: run.ok ? 'done' : 'failed', result: content, killable: false, ...(run.summary ? { summary: run.summary } : {}) });
      return { status: run.ok ? 'done' : 'failed', content };
    } finally {
      this.kills.delete(call.id);
    }
  }

  private fail(stepId: string, call: ToolCall, title: string, error: string, exists = false): ToolOutcome {
    const content = `Error: ${redactSecrets(error)}`;
    if (exists) this.updateCard(stepId, call.id, { state: 'failed', summary: error, result: content });
    else this.addCard(stepId, { id: call.id, tool: call.name, title, state: 'failed', summary: redactSecrets(error).split('\n')[0]!, result: content });
    return { status: 'failed', content };
  }

  private find(id: string): ChatMessageView | undefined {
    return this.messages.find((m) => m.id === id);
  }

  private replace(next: ChatMessageView): void {
    const i = this.messages.findIndex((m) => m.id === next.id);
    if (i >= 0) this.messages[i] = next;
  }

  private updateMessage(next: ChatMessageView): void {
    this.replace(next);
    this.env.post({ type: 'messageUpdated', message: next });
  }

  private addCard(stepId: string, card: ToolCallView): void {
    const m = this.find(stepId);
    if (m) this.updateMessage({ ...m, tools: [...(m.tools ?? []), card] });
  }

  private updateCard(stepId: string, callId: string, change: Partial<ToolCallView>): void {
    const m = this.find(stepId);
    if (m) this.updateMessage({ ...m, tools: (m.tools ?? []).map((c) => (c.id === callId ? { ...c, ...change } : c)) });
  }

  private postTask(): void {
    const message: HostToWebview = { type: 'agentTask', task: this.task() };
    this.env.post(message);
  }

  private async persist(): Promise<void> {
    try {
      const task: StoredTask = { messages: this.messages.slice(-500), transcript: this.transcript, checkpoints: this.checkpoints.data(), spentUsd: this.spentUsd, steps: this.steps };
      await this.env.store.update(STORAGE_KEY, task);
    } catch (error) {
      this.env.log.error(`could not save the agent task: ${String(error)}`);
    }
  }
}

/** A command's card says whether it runs sandboxed, and offers "Approve with network" when that is off. */
function commandCardFields(call: ToolCall, facts: CallFacts, asks: boolean): Partial<ToolCallView> {
  if (call.name !== 'run_command') return {};
  const sandbox = facts.sandboxed ? `Sandboxed: workspace writable, rest read-only, network ${facts.network ? 'on' : 'off'}` : 'Not sandboxed: the command runs with your permissions';
  return { sandbox, ...(asks && facts.sandboxed && !facts.network ? { canAllowNetwork: true } : {}) };
}

function writtenSummary(content: string): string {
  const n = content.split('\n').length;
  return `written (${n} line${n === 1 ? '' : 's'})`;
}

/** A card whose call can no longer go on (Stop, reload). */
function endCard(card: ToolCallView): ToolCallView {
  return card.state === 'waiting' || card.state === 'running' ? { ...card, state: 'rejected', summary: 'the task was stopped', killable: false, canAlwaysAllow: false } : card;
}
