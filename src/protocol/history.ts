/**
 * Past Chats' entries: chats and agent tasks in one list, one schema. `mode` is the composer's
 * mode the conversation ran in (`ask`, `agent`, and any mode added later: just another value);
 * `kind` says which session reopens it. Tasks add their steps, spend and outcome.
 */

/** Which session reopens an entry: the chat (Ask) or the agent task. */
export type HistoryKind = 'chat' | 'task';

/** How a task ended (`running` while a step runs; a reload turns it into `stopped`). */
export const TASK_OUTCOMES = ['running', 'finished', 'stopped', 'failed', 'stepLimit', 'budget', 'openTodos'] as const;
export type TaskOutcome = (typeof TASK_OUTCOMES)[number];

/** One row of Past Chats (never a whole transcript: the list renders from these alone). */
export interface HistoryEntry {
  readonly id: string;
  readonly kind: HistoryKind;
  /** The composer's mode it ran in: `ask`, `agent`, … (a new mode is a new value). */
  readonly mode: string;
  /** The first line of its first message, at most 80 characters. */
  readonly title: string;
  /** Epoch milliseconds of its first and its latest message. */
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly messageCount: number;
  /** Tasks: model turns taken. */
  readonly steps?: number;
  /** Tasks: USD spent (every step's cost, looked-up ones included). */
  readonly spentUsd?: number;
  /** Tasks: how it ended. */
  readonly outcome?: TaskOutcome;
}

const OUTCOME_TEXT: Record<TaskOutcome, string> = {
  running: 'running',
  finished: 'finished',
  stopped: 'stopped',
  failed: 'failed',
  stepLimit: 'ended at the step limit',
  budget: 'ended at its budget',
  openTodos: 'ended with open to-dos',
};

/** "finished", "ended with open to-dos", … */
export function outcomeText(outcome: TaskOutcome): string {
  return OUTCOME_TEXT[outcome];
}

/** "Ask", "Agent", "Plan": the mode as the mode switch names it. */
export function modeText(mode: string): string {
  return mode ? `${mode[0]!.toUpperCase()}${mode.slice(1)}` : 'Ask';
}

export function isTaskOutcome(value: unknown): value is TaskOutcome {
  return typeof value === 'string' && (TASK_OUTCOMES as readonly string[]).includes(value);
}

/** Longest title (characters). */
const MAX_TITLE = 80;

/** The title of a chat or task: its first user message's first line (or an action's short line), shortened. */
export function entryTitle(
  messages: readonly { readonly role: string; readonly text: string; readonly summary?: string }[],
): string {
  const user = messages.find((m) => m.role === 'user');
  const first = (user?.summary ?? user?.text)?.trim().split('\n')[0]?.trim() ?? '';
  if (!first) return 'Untitled chat';
  return first.length > MAX_TITLE ? `${first.slice(0, MAX_TITLE - 1)}…` : first;
}
