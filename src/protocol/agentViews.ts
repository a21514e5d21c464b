/** Host → webview, agent mode: a task's to-dos, tool-call cards, subagent steps and figures. Part of ./messages.ts. */

/** One item of the agent's to-do list (the `todo_write` tool, src/agent/todos.ts). */
export interface TodoView {
  readonly id: string;
  readonly content: string;
  readonly status: 'pending' | 'in_progress' | 'done';
}

/** A tool call's state on its card. */
export type ToolCallState = 'waiting' | 'running' | 'done' | 'rejected' | 'failed';

/** One tool call of an agent step, as its card shows it. */
export interface ToolCallView {
  readonly id: string;
  /** `read_file`, `run_command`, … */
  readonly tool: string;
  /** The call in human form: "Read src/calc.ts lines 1–40". */
  readonly title: string;
  readonly state: ToolCallState;
  /** Why it asks (or ran without asking). */
  readonly reason?: string;
  /** The card may offer "Always allow <tool> in this workspace". */
  readonly canAlwaysAllow?: boolean;
  /** An MCP tool's card: the server it belongs to (the card may offer "Always allow this server"). */
  readonly server?: string;
  /** The proposed change of an edit, as a unified diff. */
  readonly diff?: string;
  /** The result as the model got it (shown collapsed), key-free. */
  readonly result?: string;
  /** One line under the title: "exit code 1", "3 matches", "rejected: use const". */
  readonly summary?: string;
  /** A command still running past its timeout: the card offers Kill. */
  readonly killable?: boolean;
  /** Commands: how the command is contained ("Sandboxed: …, network off" / "Not sandboxed: …"). */
  readonly sandbox?: string;
  /** A waiting sandboxed command may be approved with the network on, for this command only. */
  readonly canAllowNetwork?: boolean;
  /** Images the call returned (an MCP tool's), checked and stored: shown as thumbnails. */
  readonly images?: readonly ToolImageView[];
  /** A `run_subagent` card: the subagent's steps (model per step) and what it cost, counted in the task. */
  readonly subagent?: { readonly steps: readonly SubagentStepView[]; readonly spentUsd: number };
}

/** An image a tool returned, on its card. */
export interface ToolImageView {
  /** "image 1 from shop__chart" */
  readonly name: string;
  /** The stored file (`<sha256>.<ext>`): the host makes `src` from it again when the view is shown anew. */
  readonly file: string;
  /** Where the webview loads it from (a webview resource URI; '' while there is none). */
  readonly src: string;
  readonly mime: string;
  readonly bytes: number;
}

/** One step of a subagent, on its card. */
export interface SubagentStepView {
  /** The model that served it. */
  readonly model: string;
  /** Why that model (the step's route line). */
  readonly route: string;
  /** The tools it called. */
  readonly tools: readonly string[];
  readonly costUsd?: number;
}

/** An agent task's running figures, for the header. */
export interface AgentTaskView {
  readonly running: boolean;
  readonly steps: number;
  /** USD spent by the task so far (`usage.cost` of each step). */
  readonly spentUsd: number;
  /** Said once per task: the picked model has no tools, so steps go to another ("x has no tools → y"). */
  readonly substitution?: string;
  /** The task's to-do list (pinned above the task), when the model keeps one. */
  readonly todos?: readonly TodoView[];
  /** A past task reopened from Past Chats: shown read-only, with Continue. */
  readonly past?: boolean;
  /** The task's budget in USD (its own, or the settings'), when it has one. */
  readonly budgetUsd?: number;
  /** The cost at the task's current rate: "~$0.0040/step · budget lasts ~7 more steps". */
  readonly forecast?: string;
  /** The model the remaining steps moved to when the budget ran short (onBudget: downgrade). */
  readonly movedTo?: string;
}
