/**
 * What a compaction keeps word for word after its summary (./compaction.ts, `pinned`), so a long
 * task never loses its bearings to a summarizer: the plan the task carries out — the message that
 * Act on this plan sent (./planMode.ts), or the plan an earlier compaction pinned — and the to-do
 * list as it stands now (./todos.ts), whose `todo_write` calls may all be in the summarized part.
 * Pure.
 */
import type { TodoView } from '../protocol/messages';
import { ACT_ON_PLAN_LEAD } from './planMode';
import { todoListText, todoProgress } from './todos';
import type { AgentMessage } from './transcript';

/** Introduces the pinned plan; its text follows between {@link PLAN_OPEN} and {@link PLAN_CLOSE}. */
const PLAN_LABEL = 'The plan this task carries out (made in Plan mode, as the user left it), word for word:';
const PLAN_OPEN = '<plan>\n';
const PLAN_CLOSE = '\n</plan>';

/** The message that started acting on a plan, or the plan an earlier summary pinned, in `messages` (newest first). */
export function taskPlan(messages: readonly AgentMessage[]): string | undefined {
  for (const m of [...messages].reverse()) {
    if (m.role !== 'user') continue;
    if (m.content.startsWith(ACT_ON_PLAN_LEAD)) return m.content;
    const label = m.content.lastIndexOf(`${PLAN_LABEL}\n${PLAN_OPEN}`);
    const end = m.content.lastIndexOf(PLAN_CLOSE);
    const from = label + PLAN_LABEL.length + 1 + PLAN_OPEN.length;
    if (label >= 0 && end >= from) return m.content.slice(from, end);
  }
  return undefined;
}

/** The parts a compaction of `head` keeps after its summary: the task's current to-do list, then its plan. */
export function pinnedParts(head: readonly AgentMessage[], todos: readonly TodoView[]): string[] {
  const plan = taskPlan(head);
  // The plan goes last: only "Continue the task" follows its close, so a later compaction finds all of it.
  return [
    ...(todos.length
      ? [
          `Your to-do list as it stands (${todoProgress(todos)}); keep it up to date with todo_write:\n${todoListText(todos)}`,
        ]
      : []),
    ...(plan ? [`${PLAN_LABEL}\n${PLAN_OPEN}${plan}${PLAN_CLOSE}`] : []),
  ];
}
