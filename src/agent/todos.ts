/**
 * The agent's to-do list: the `todo_write` tool (the whole list on each call — items with an id,
 * the content and a status `pending` / `in_progress` / `done`), checked with zod (a bad list is an
 * error result that says what to fix; the list kept is unchanged), the list as the view shows it,
 * the reminder of open items every {@link TODO_REMINDER_STEPS} steps (a user message appended
 * before the next request: earlier messages, the cached prefix, never change), and the line a
 * task that ends with open items shows. Pure.
 */
import * as z from 'zod/mini';
import type { TodoView } from '../protocol/messages';
import type { ExtraFunction } from './extras';
import { parseArguments } from './tools/arguments';
import { functionDefinition } from './tools/define';

export const TODO_WRITE = 'todo_write';

/** Steps without a `todo_write` after which the model is reminded of its open items. */
export const TODO_REMINDER_STEPS = 3;

/** How a reminder of open items starts (a compaction tells it from the user's own messages). */
export const TODO_REMINDER_LEAD = 'Reminder: your to-do list has';

const MAX_TODOS = 50;

const TodoSchema = z.strictObject({
  id: z.string().check(z.minLength(1), z.maxLength(100), z.describe('A short stable id, e.g. "1".')),
  content: z.string().check(z.minLength(1), z.maxLength(500), z.describe('What to do, in a few words.')),
  status: z.enum(['pending', 'in_progress', 'done']),
});
const TodoArgsSchema = z.strictObject({ todos: z.array(TodoSchema).check(z.maxLength(MAX_TODOS)) });

/** The function the model is offered, its JSON Schema generated from the schema its arguments are checked with. */
export const TODO_WRITE_DEFINITION: ExtraFunction = functionDefinition(
  TODO_WRITE,
  'Keep a to-do list for a task of several steps: send the WHOLE list each time (it replaces the previous one). Mark an item in_progress when you start it and done as soon as it is finished; the user sees the list live.',
  TodoArgsSchema,
);

/** Parses a `todo_write` call's arguments; errors are sentences for the model. */
export function parseTodos(argumentsJson: string): { ok: true; todos: TodoView[] } | { ok: false; error: string } {
  const parsed = parseArguments(TODO_WRITE, TodoArgsSchema, argumentsJson);
  if (!parsed.ok)
    return {
      ok: false,
      error: `${parsed.error}. Send {"todos": [{"id": "1", "content": "…", "status": "pending" | "in_progress" | "done"}, …]}.`,
    };
  const seen = new Set<string>();
  for (const t of parsed.args.todos) {
    if (seen.has(t.id))
      return {
        ok: false,
        error: `arguments of ${TODO_WRITE} are invalid: the id "${t.id}" is used twice; ids must be unique.`,
      };
    seen.add(t.id);
  }
  return {
    ok: true,
    todos: parsed.args.todos.map((t) => ({ id: t.id, content: t.content.trim() || t.content, status: t.status })),
  };
}

/** Items not done yet. */
export function openTodos(todos: readonly TodoView[]): readonly TodoView[] {
  return todos.filter((t) => t.status !== 'done');
}

/** "2 of 5 done". */
export function todoProgress(todos: readonly TodoView[]): string {
  return `${todos.length - openTodos(todos).length} of ${todos.length} done`;
}

const MARK: Readonly<Record<TodoView['status'], string>> = { pending: '[ ]', in_progress: '[~]', done: '[x]' };

/** The list as text, one item a line ("[x] 1. Read the tests"). */
export function todoListText(todos: readonly TodoView[]): string {
  return todos.map((t) => `${MARK[t.status]} ${t.id}. ${t.content}`).join('\n');
}

/** What the model gets back from a `todo_write` call that was kept. */
export function todoResultText(todos: readonly TodoView[]): string {
  if (todos.length === 0) return 'To-do list cleared.';
  return `To-do list updated (${todoProgress(todos)}):\n${todoListText(todos)}`;
}

/** The notice of a task that ended with open items, or undefined when none are open. */
export function openTodosNotice(todos: readonly TodoView[]): string | undefined {
  const open = openTodos(todos);
  if (open.length === 0) return undefined;
  const names = open.map((t) => t.content);
  const shown = names.slice(0, 3).join('; ') + (names.length > 3 ? `; and ${names.length - 3} more` : '');
  return `Ended with ${open.length} of ${todos.length} to-do${todos.length === 1 ? '' : 's'} open: ${shown}.`;
}

/**
 * The task's list and when it last changed. `reminder(step)` is the note for the request of
 * `step` (1-based) — given when items are open and neither a `todo_write` nor a reminder came in
 * the last {@link TODO_REMINDER_STEPS} steps.
 */
export class TaskTodos {
  private last = 0;

  constructor(
    public items: readonly TodoView[] = [],
    private readonly every = TODO_REMINDER_STEPS,
  ) {}

  /** Keeps a new list, written at `step`. */
  write(items: readonly TodoView[], step: number): void {
    this.items = items;
    this.last = step;
  }

  /** A new task (or a continued one): counting starts again at `step`. */
  restart(step: number): void {
    this.last = step;
  }

  reminder(step: number): string | undefined {
    const open = openTodos(this.items);
    if (open.length === 0 || step - this.last <= this.every) return undefined;
    this.last = step - 1;
    return `${TODO_REMINDER_LEAD} ${open.length} open item${open.length === 1 ? '' : 's'} (${todoProgress(this.items)}):\n${todoListText(this.items)}\nKeep working through them, and call ${TODO_WRITE} with the whole list when an item's status changes.`;
  }
}
