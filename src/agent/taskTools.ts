/**
 * The tools of one task beyond the built-in ones, as the loop takes them: `todo_write` (kept by
 * the task, shown as a card and as the pinned checklist) and the extras (MCP, skill, search_tools),
 * and the gate of the task's kind (Plan mode refuses what is not read-only). Pure.
 */
import type { AssembledCall } from '../turn/deltas';
import type { AgentExtras, ExtraCallContext } from './extras';
import type { LoopDeps, ToolOutcome } from './loop';
import { planGate, type TaskKind } from './planMode';
import { parseTodos, TODO_WRITE, todoProgress, todoResultText, type TaskTodos } from './todos';

export interface TaskToolsDeps {
  readonly todos: TaskTodos;
  readonly extras?: AgentExtras;
  /** The card context of a call of the current step. */
  context(call: AssembledCall): ExtraCallContext;
  /** The list changed (post it, persist it). */
  todosChanged(): void;
}

/** The loop's `extra`: `todo_write`, then the extras. */
export function taskExtraTools(deps: TaskToolsDeps): NonNullable<LoopDeps['extra']> {
  return {
    handles: (name) => name === TODO_WRITE || (deps.extras?.handles(name) ?? false),
    run: (call, step) =>
      call.name === TODO_WRITE ? writeTodos(call, step, deps) : deps.extras!.run(call, deps.context(call)),
  };
}

/** The loop's `refuse` for a task of this kind (undefined: nothing is refused). */
export function taskGate(kind: TaskKind, extras: AgentExtras | undefined): LoopDeps['refuse'] {
  return planGate(
    kind,
    extras ? { handles: (n) => extras.handles(n), readOnly: (n) => extras.readOnly?.(n) ?? false } : undefined,
  );
}

async function writeTodos(call: AssembledCall, step: number, deps: TaskToolsDeps): Promise<ToolOutcome> {
  const context = deps.context(call);
  const parsed = parseTodos(call.arguments);
  if (!parsed.ok) {
    await context.show({
      tool: TODO_WRITE,
      title: 'Update the to-do list',
      state: 'failed',
      summary: parsed.error,
      result: `Error: ${parsed.error}`,
    });
    return { status: 'failed', content: `Error: ${parsed.error} The to-do list was not changed.` };
  }
  deps.todos.write(parsed.todos, step);
  deps.todosChanged();
  const content = todoResultText(parsed.todos);
  await context.show({
    tool: TODO_WRITE,
    title: parsed.todos.length ? `Update the to-do list (${todoProgress(parsed.todos)})` : 'Clear the to-do list',
    state: 'done',
    result: content,
  });
  return { status: 'done', content };
}
