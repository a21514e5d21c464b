/**
 * The agent's to-do list, pinned above the task (`#todo-list`): one row per item, its status as a
 * mark and as text for screen readers, the item in progress highlighted; updated from each
 * `agentTask`, shown again by `init` after the view was hidden. Hidden in Ask and when the task
 * keeps no list.
 */
import type { AgentTaskView, TodoView } from '../../protocol/messages';
import { el } from '../dom';

const STATUS: Readonly<Record<TodoView['status'], { mark: string; label: string }>> = {
  pending: { mark: '○', label: 'pending' },
  in_progress: { mark: '◐', label: 'in progress' },
  done: { mark: '✓', label: 'done' },
};

/** "2/3 to-dos" while running; "1 to-do open" once the task has ended with open items. */
export function todoHeaderText(task: AgentTaskView): string | undefined {
  const todos = task.todos ?? [];
  if (todos.length === 0) return undefined;
  const open = todos.filter((t) => t.status !== 'done').length;
  if (!task.running && open > 0) return `${open} to-do${open === 1 ? '' : 's'} open`;
  return `${todos.length - open}/${todos.length} to-dos`;
}

export class TodoList {
  readonly element = el('section', {
    id: 'todo-list',
    className: 'todo-list',
    attrs: { 'aria-label': 'To-do list', 'aria-live': 'polite' },
  });

  constructor() {
    this.element.hidden = true;
  }

  /** Shows the task's list (`show` false: Ask mode, or no task). */
  update(task: AgentTaskView | undefined, show: boolean): void {
    const todos = show ? (task?.todos ?? []) : [];
    this.element.hidden = todos.length === 0;
    if (todos.length === 0) return this.element.replaceChildren();
    const done = todos.filter((t) => t.status === 'done').length;
    this.element.replaceChildren(
      el('div', { className: 'todo-title', text: `To-dos · ${done} of ${todos.length} done` }),
      el(
        'ul',
        { className: 'todo-items' },
        todos.map((t) =>
          el('li', { className: `todo-item ${t.status}`, attrs: { 'data-status': t.status, 'data-id': t.id } }, [
            el('span', { className: 'todo-mark', text: STATUS[t.status].mark, attrs: { 'aria-hidden': 'true' } }),
            el('span', { className: 'todo-content', text: t.content }),
            el('span', { className: 'visually-hidden', text: ` (${STATUS[t.status].label})` }),
          ]),
        ),
      ),
    );
  }
}
