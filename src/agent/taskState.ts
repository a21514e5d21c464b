/**
 * The agent task on screen, as data: its id, the model-facing transcript, checkpoints, spend,
 * steps, pending notes for the model, outcome, to-do list, the notice of substituted tools and the
 * provider pin of its prompt cache; read-only while it is a past task reopened from Past Chats.
 * The session (./session.ts) runs it (./taskRun.ts) and saves it (./taskStore.ts). Pure.
 */
import type { AgentTaskView } from '../protocol/messages';
import type { TaskOutcome } from '../protocol/history';
import { StickyProvider } from '../turn/sticky';
import { Checkpoints, type CheckpointData } from './checkpoints';
import type { TaskRecord } from './taskHistory';
import type { TaskRoutingData } from './taskRouting';
import type { TaskSnapshot } from './taskStore';
import type { TaskView } from './taskView';
import { TaskTodos } from './todos';
import { ToolSubstitutionNotice } from './toolNotice';
import type { AgentMessage } from './transcript';

export class TaskState {
  transcript: AgentMessage[] = [];
  checkpoints: Checkpoints;
  spentUsd = 0;
  steps = 0;
  /** Told to the model with the next request (a restored checkpoint, Continue on a past task). */
  notes: string[] = [];
  outcome: TaskOutcome = 'finished';
  /** A past task reopened from Past Chats: shown, not run, until Continue. */
  readOnly = false;
  readonly todos = new TaskTodos();
  readonly toolNotice = new ToolSubstitutionNotice();
  /** The provider that served the task's last step (sticky routing, for the prompt cache). */
  readonly sticky = new StickyProvider();

  constructor(
    public id: string,
    checkpoints?: CheckpointData,
  ) {
    this.checkpoints = new Checkpoints(checkpoints);
  }

  /** Makes `record` the task (its messages shown in `view`); checkpoints start empty; notes, notices, to-dos and the pin start over. */
  load(record: TaskRecord & { readonly todos?: AgentTaskView['todos'] }, view: TaskView, readOnly = false): void {
    this.id = record.id;
    view.messages = [...record.messages];
    this.transcript = [...record.transcript];
    this.spentUsd = record.spentUsd;
    this.steps = record.steps;
    this.outcome = record.outcome;
    this.readOnly = readOnly;
    this.checkpoints = new Checkpoints();
    this.notes = [];
    this.toolNotice.reset();
    this.todos.write(Array.isArray(record.todos) ? record.todos : [], 0);
    this.sticky.reset();
  }

  /** The task as it is saved: `mode` as Past Chats names it, the messages shown, the routing state. */
  snapshot(mode: string, view: TaskView, routing: TaskRoutingData): TaskSnapshot {
    return {
      id: this.id,
      mode,
      messages: view.messages,
      transcript: this.transcript,
      spentUsd: this.spentUsd,
      steps: this.steps,
      outcome: this.outcome,
      checkpoints: this.checkpoints.data(),
      readOnly: this.readOnly,
      ...(this.todos.items.length ? { todos: this.todos.items } : {}),
      routing,
    };
  }
}
