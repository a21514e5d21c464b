/**
 * The seam through which the agent gets more than its built-in tools: the user's MCP servers, the
 * project's instructions (AGENTS.md …) and skills. The session asks it once per run (`begin`,
 * which may start servers: they start lazily, on the first agent task), puts its instruction text
 * right after the system prompt (the cache-stable prefix), offers its functions on each request,
 * hands it the calls it owns, and tells it which paths the built-in tools touched (a nested
 * AGENTS.md then applies). Pure: src/vscode/agent/agentExtras.ts implements it.
 */
import type { ToolCallView } from '../protocol/messages';
import type { AssembledCall } from '../turn/deltas';
import type { ToolOutcome } from './loop';
import type { ToolCall } from './tools';

/** A function as OpenRouter takes it in `tools`. */
export interface ExtraFunction {
  readonly type: 'function';
  readonly function: {
    readonly name: string;
    readonly description: string;
    readonly parameters: Readonly<Record<string, unknown>>;
  };
}

/** The user's answer on a card that asks. `alwaysServer`: "Always allow this server". */
export interface ExtraDecision {
  readonly approve: boolean;
  readonly feedback?: string;
  readonly always?: boolean;
  readonly alwaysServer?: boolean;
}

/** What an extra tool may do to its card while it runs. */
export interface ExtraCallContext {
  readonly signal: AbortSignal;
  /** Shows the call's card (state `waiting` asks; resolves with the user's decision, else at once with approve). */
  show(card: Omit<ToolCallView, 'id'>): Promise<ExtraDecision>;
  update(change: Partial<ToolCallView>): void;
}

export interface AgentExtras {
  /** Called before each run of a task (starts MCP servers on the first). Never throws: problems are logged and shown. */
  begin(signal: AbortSignal): Promise<void>;
  /** Text put right after the system prompt when a task starts ('' when none). */
  instructions(): string;
  /** The extra functions for the next request, given the model's context window. */
  functions(contextTokens: number): readonly ExtraFunction[];
  handles(name: string): boolean;
  /** Whether a function it handles only reads (MCP: `readOnlyHint: true`): Plan mode offers and runs only these. */
  readOnly?(name: string): boolean;
  /** Runs one call it handles (checking its arguments, asking, and showing its card). */
  run(call: AssembledCall, context: ExtraCallContext): Promise<ToolOutcome>;
  /** Notes for the model after a built-in call touched paths (a nested AGENTS.md that applies). */
  touched?(call: ToolCall): Promise<readonly string[]>;
  /** The task ended or was dropped: per-task state (found tools, restarts, nested files read) is reset. */
  reset(): void;
}
