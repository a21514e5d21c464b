/**
 * The tool calls of agent steps: each is checked against the approval policy (policy.ts), asked
 * about on its card when it must be (an edit shows its diff meanwhile), then run — a read or a
 * command (killable from its card; output capped and redacted), or an edit written as one
 * undoable edit after the step's checkpoint is kept. Rejections and failures are results for the
 * model, never throws. Pure: the editor side comes in as {@link AgentTools}.
 */
import { networkOffNote } from './sandbox/networkHint';
import type { TierModels } from './tiers';
import type { ExtraCallContext, ExtraDecision } from './extras';
import { redactSecrets } from '../openrouter/secrets';
import { shownToModel } from '../protocol/invisibleText';
import type { Checkpoints, FileBefore } from './checkpoints';
import { unifiedDiff } from './diffText';
import type { ToolOutcome } from './loop';
import type { ToolCallView } from '../protocol/messages';
import { approvalFor, type ApprovalSettings, type CallFacts } from './policy';
import type { TaskView } from './taskView';
import type { EditTool } from './tools/define';
import {
  describeCall,
  editToolOf,
  runBuiltIn,
  TOOL_KIND,
  type RunEvents,
  type ToolCall,
  type ToolHost,
  type ToolName,
} from './tools';

export type { RunEvents, ToolRun } from './tools';
import { capOutput } from './transcript';
import type { TurnLogger } from '../turn/env';

/** Characters of a tool result sent to the model (head + tail kept). */
export const MAX_RESULT_CHARS = 16_000;

/** `switchyard.agent.*` settings. */
export interface AgentSettings {
  readonly approval: ApprovalSettings;
  readonly maxSteps: number;
  readonly commandTimeoutSeconds: number;
  /** `switchyard.agent.models` (./tiers.ts); absent = every tier `auto`. */
  readonly tiers?: TierModels;
  /** `switchyard.agent.taskBudgetUsd`; absent = no task budget. */
  readonly taskBudgetUsd?: number;
  /** `switchyard.agent.subagent.maxSteps`. */
  readonly subagentMaxSteps?: number;
  /** `switchyard.agent.compaction.threshold`: share of the context past which a step compacts first (default 0.85). */
  readonly compactThreshold?: number;
}

/** A file as an edit would leave it. `after: null` deletes it (only a restore does that). */
export interface FileChange {
  readonly path: string;
  readonly content: string | null;
}

/** The editor side of the tools (src/vscode/agent/agentTools.ts): the host the reads and commands run on, and the writes of edits. Every path is workspace-relative. */
export interface AgentTools extends ToolHost {
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

/** What the runner needs from the task. */
export interface ToolRunnerDeps {
  readonly tools: AgentTools;
  readonly log: TurnLogger;
  /** Tools the user chose "Always allow" for in this workspace. */
  alwaysAllowed(): ReadonlySet<string>;
  allowAlways(tool: ToolName): Promise<void>;
  /** The task's checkpoints now (a new task replaces them). */
  checkpoints(): Checkpoints;
  persist(): Promise<void>;
  /** Notes that go with a built-in call's result (a nested AGENTS.md that now applies: src/agent/extras.ts). */
  touched?(call: ToolCall): Promise<readonly string[]>;
}

/** The user's answer on a call that asks ("Always allow this server" on an MCP tool's card; `allowNetwork`: "Approve with network" on a sandboxed command). */
type Decision = ExtraDecision & { readonly allowNetwork?: boolean };

/** An edit worked out before asking: what it writes, what it replaces, and how the card shows it. */
interface PreparedEdit {
  readonly changes: FileChange[];
  readonly befores: FileBefore[];
  readonly diff: string;
  readonly editPath: string;
  readonly editSummary: string;
}

export class ToolRunner {
  private readonly pending = new Map<string, (decision: Decision) => void>();
  private readonly kills = new Map<string, AbortController>();

  constructor(
    private readonly deps: ToolRunnerDeps,
    private readonly view: TaskView,
  ) {}

  /**
   * Text bound for a card, the model and the stored task, with the user's keys in every form the
   * redactor knows (pieces, base64, escapes: openrouter/knownSecrets.ts) and every token shape
   * removed — an edit's diff and its error (which quotes the file's closest text) as well as a
   * tool's result.
   */
  private redact(text: string): string {
    return redactSecrets(text, this.deps.tools.knownSecrets?.() ?? []);
  }

  /** Approve / Reject from a card. */
  decide(callId: string, decision: Decision): void {
    this.pending.get(callId)?.(decision);
  }

  /** Kill from a command's card. */
  kill(callId: string): void {
    this.kills.get(callId)?.abort();
  }

  /** Every card still waiting is rejected (Stop, the end of a run). */
  rejectWaiting(): void {
    for (const decide of this.pending.values()) decide({ approve: false });
    this.pending.clear();
  }

  /** Asks (when needed) and runs one call of step `stepId`. */
  async execute(call: ToolCall, stepId: string, signal: AbortSignal, settings: AgentSettings): Promise<ToolOutcome> {
    const title = describeCall(call);
    const editTool = editToolOf(call);
    const edit = editTool ? await this.prepareEdit(call, editTool, stepId, title) : undefined;
    if (edit && 'status' in edit) return edit;
    const changes = edit?.changes ?? [];
    const diff = edit?.diff;
    const facts = (await this.deps.tools.inspect?.(call)) ?? { sandboxed: false };
    const verdict = approvalFor(call, settings.approval, this.deps.alwaysAllowed(), facts);
    // Listen for the decision before the card can be seen.
    const decided =
      verdict.decision === 'ask'
        ? new Promise<Decision>((resolve) => {
            if (signal.aborted) return resolve({ approve: false });
            this.pending.set(call.id, resolve);
          })
        : undefined;
    const asks = verdict.decision === 'ask';
    this.view.addCard(stepId, {
      id: call.id,
      tool: call.name,
      title,
      state: asks ? 'waiting' : 'running',
      reason: verdict.reason,
      ...(asks && verdict.canAlwaysAllow ? { canAlwaysAllow: true } : {}),
      ...(diff ? { diff } : {}),
      ...commandCardFields(call, facts, asks),
    });
    let allowNetwork = false;
    let creates: readonly string[] | undefined;
    if (decided) {
      const answer = await this.awaitDecision(call, stepId, signal, decided, changes);
      if ('status' in answer) return answer;
      allowNetwork = answer.allowNetwork === true;
      // Only a user's yes lets a command create a protected path (the card said so).
      creates = facts.creates;
      if (allowNetwork)
        this.view.updateCard(stepId, call.id, {
          sandbox: 'Sandboxed: workspace writable, rest read-only, network on for this command',
        });
    }
    const outcome =
      edit && changes.length
        ? await this.applyEdit(call, stepId, title, edit)
        : await this.runTool(call, stepId, signal, settings, {
            ...(allowNetwork ? { allowNetwork } : {}),
            ...(creates?.length ? { creates } : {}),
          });
    const networkOff = call.name === 'run_command' && facts.sandboxed && !facts.network && !allowNetwork;
    const offline = networkOffNote(outcome.content, outcome.status === 'failed', networkOff);
    if (offline) {
      this.view.updateCard(stepId, call.id, { result: `${outcome.content}\n\n${offline}` });
      return { ...outcome, content: `${outcome.content}\n\n${offline}` };
    }
    // A nested AGENTS.md that now applies goes with the result of the call that touched its folder.
    const notes = outcome.status === 'done' ? ((await this.deps.touched?.(call)) ?? []) : [];
    return notes.length ? { ...outcome, content: `${outcome.content}\n\n${notes.join('\n\n')}` } : outcome;
  }

  /** What an extra tool (MCP, skill, search_tools) does to its card: show it (asking when `waiting`) and update it. */
  extraContext(stepId: string, callId: string, signal: AbortSignal): ExtraCallContext {
    return {
      signal,
      show: (card) => {
        const decided =
          card.state === 'waiting'
            ? new Promise<Decision>((resolve) => {
                if (signal.aborted) return resolve({ approve: false });
                this.pending.set(callId, resolve);
              })
            : Promise.resolve<Decision>({ approve: true });
        this.view.addCard(stepId, { ...card, id: callId });
        return decided.finally(() => this.pending.delete(callId));
      },
      update: (change) => this.view.updateCard(stepId, callId, change),
    };
  }

  /** Reads the file an edit or write touches and works out its new content; a failed outcome when it cannot. */
  private async prepareEdit(
    call: ToolCall,
    tool: EditTool,
    stepId: string,
    title: string,
  ): Promise<PreparedEdit | ToolOutcome> {
    const editPath = tool.path(call.args);
    const current = await this.deps.tools.readForEdit(editPath);
    if (!current.ok) return this.fail(stepId, call, title, current.error);
    const proposed = tool.propose(call.args, current.text);
    if (!proposed.ok) return this.fail(stepId, call, title, proposed.error);
    return {
      changes: [{ path: editPath, content: proposed.content }],
      befores: [{ path: editPath, content: current.text }],
      // The card shows (and the task stores) the diff: a `.env`'s key never in full.
      diff: this.redact(unifiedDiff(editPath, current.text, proposed.content)),
      editPath,
      editSummary: proposed.summary,
    };
  }

  /** Waits for the user's decision on a call (showing an edit's diff meanwhile); the outcome when it is not to run, else the approval. */
  private async awaitDecision(
    call: ToolCall,
    stepId: string,
    signal: AbortSignal,
    decided: Promise<Decision>,
    changes: readonly FileChange[],
  ): Promise<ToolOutcome | Decision> {
    const kind = TOOL_KIND[call.name];
    if (changes.length)
      await this.deps.tools
        .showProposal(changes)
        .catch((e: unknown) => this.deps.log.warn(`agent: diff not shown: ${String(e)}`));
    const decision = await decided;
    this.pending.delete(call.id);
    if (changes.length) await this.deps.tools.closeProposal().catch(() => undefined);
    if (signal.aborted) {
      this.view.updateCard(stepId, call.id, { state: 'rejected', summary: 'the task was stopped' });
      return { status: 'rejected', content: 'Not run: the user stopped the task.' };
    }
    if (!decision.approve) {
      const feedback = decision.feedback?.trim();
      this.view.updateCard(stepId, call.id, {
        state: 'rejected',
        summary: feedback ? `rejected: ${feedback}` : 'rejected',
        canAlwaysAllow: false,
      });
      const what = kind === 'edit' ? 'edit' : kind === 'command' ? 'command' : 'call';
      return {
        status: 'rejected',
        content: `The user rejected this ${what}; it was not ${kind === 'command' ? 'run' : kind === 'edit' ? 'applied' : 'run'}.${feedback ? ` Their feedback: ${feedback}` : ''}`,
      };
    }
    if (decision.always) await this.deps.allowAlways(call.name);
    this.view.updateCard(stepId, call.id, { state: 'running', canAlwaysAllow: false, canAllowNetwork: false });
    return decision;
  }

  /** Keeps the step's checkpoint, then writes an approved edit as one undoable edit. */
  private async applyEdit(call: ToolCall, stepId: string, title: string, edit: PreparedEdit): Promise<ToolOutcome> {
    const { changes, befores, editPath, editSummary } = edit;
    // The checkpoint first: the file's content before this step, then the one undoable edit.
    const kept = this.deps.checkpoints().record(stepId, befores);
    if (!kept)
      this.deps.log.warn(`agent: the checkpoint of step ${stepId} is over the size cap; it cannot be restored`);
    const error = await this.deps.tools.write(changes);
    if (error) return this.fail(stepId, call, title, error, true);
    if (kept) this.view.change(stepId, { checkpoint: 'available' });
    this.view.updateCard(stepId, call.id, {
      state: 'done',
      summary: editSummary,
      result: `${editPath}: ${editSummary}.`,
    });
    await this.deps.persist();
    return { status: 'done', content: `${editPath}: ${editSummary}.` };
  }

  /** Runs a read or a command (killable from its card) and puts its capped, redacted output on the card. */
  private async runTool(
    call: ToolCall,
    stepId: string,
    signal: AbortSignal,
    settings: AgentSettings,
    granted: Pick<RunEvents, 'allowNetwork' | 'creates'>,
  ): Promise<ToolOutcome> {
    const kill = new AbortController();
    this.kills.set(call.id, kill);
    try {
      const onStillRunning = (): void =>
        this.view.updateCard(stepId, call.id, {
          killable: true,
          summary: `still running after ${settings.commandTimeoutSeconds} s`,
        });
      const run = await runBuiltIn(call, this.deps.tools, {
        signal: AbortSignal.any([signal, kill.signal]),
        events: { onStillRunning, ...granted },
      });
      const content = capOutput(this.redact(run.content), MAX_RESULT_CHARS);
      this.view.updateCard(stepId, call.id, {
        state: run.ok ? 'done' : 'failed',
        result: content,
        killable: false,
        ...(run.summary ? { summary: run.summary } : {}),
      });
      return { status: run.ok ? 'done' : 'failed', content };
    } finally {
      this.kills.delete(call.id);
    }
  }

  private fail(stepId: string, call: ToolCall, title: string, error: string, exists = false): ToolOutcome {
    // An edit's error quotes the file's closest text: written out like every read.
    const redacted = shownToModel(this.redact(error));
    const content = `Error: ${redacted}`;
    const summary = redacted.split('\n')[0]!;
    if (exists) this.view.updateCard(stepId, call.id, { state: 'failed', summary, result: content });
    else
      this.view.addCard(stepId, {
        id: call.id,
        tool: call.name,
        title,
        state: 'failed',
        summary,
        result: content,
      });
    return { status: 'failed', content };
  }
}

/** A command's card says whether it runs sandboxed, and offers "Approve with network" when that is off. */
function commandCardFields(call: ToolCall, facts: CallFacts, asks: boolean): Partial<ToolCallView> {
  if (call.name !== 'run_command') return {};
  const sandbox = facts.sandboxed
    ? `Sandboxed: workspace writable, rest read-only, network ${facts.network ? 'on' : 'off'}`
    : 'Not sandboxed: the command runs with your permissions';
  return { sandbox, ...(asks && facts.sandboxed && !facts.network ? { canAllowNetwork: true } : {}) };
}
