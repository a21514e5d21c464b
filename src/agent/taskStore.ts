/**
 * Where the agent task is kept: the current task's slot in workspace state (its record and its
 * checkpoints, rewritten as it goes, so a reload loses at most the running step) and Past Chats
 * (its row updated as it goes; its record kept when another task takes the screen). Stored
 * redacted (token shapes, and the user's keys in every form the redactor knows); checkpoints stay exact (a restore must bring back the real file). Pure.
 */
import { redactStrings } from '../openrouter/secrets';
import type { KeyValueStore, TurnLogger } from '../turn/env';
import type { CheckpointData } from './checkpoints';
import type { AgentTaskView } from '../protocol/messages';
import type { TaskRoutingData } from './taskRouting';
import {
  boundRecord,
  readTaskRecord,
  taskEntry,
  withoutCheckpoints,
  type TaskArchive,
  type TaskRecord,
} from './taskHistory';

const STORAGE_KEY = 'switchyard.agentTask.v1';

/** The task on screen as it is saved. */
export interface TaskSnapshot extends TaskRecord {
  readonly checkpoints?: CheckpointData;
  /** A past task reopened from Past Chats, shown read-only until Continue. */
  readonly readOnly: boolean;
  /** The task's to-do list (src/agent/todos.ts). */
  readonly todos?: AgentTaskView['todos'];
  /** The task's budget override and downgrade (src/agent/taskRouting.ts). */
  readonly routing?: TaskRoutingData;
}

export class TaskStore {
  constructor(
    private readonly store: KeyValueStore,
    private readonly archive: TaskArchive | undefined,
    private readonly log: TurnLogger,
    /** Each kind of task (a plan, a task that acts) has its own slot. */
    private readonly key = STORAGE_KEY,
    /** The user's keys now: redacted in every form the redactor knows, not only by shape. */
    private readonly knownSecrets: () => readonly string[] = () => [],
  ) {}

  /** The task that was on screen before a reload, if any (a task saved by an older version is listed now). */
  restore(newId: string): TaskSnapshot | undefined {
    const saved = this.store.get<Partial<TaskSnapshot>>(this.key);
    const record = readTaskRecord(saved, newId);
    if (!record) return undefined;
    if (record.messages.length && saved?.outcome === undefined) void this.list(record);
    return {
      ...record,
      ...(saved?.checkpoints ? { checkpoints: saved.checkpoints } : {}),
      readOnly: saved?.readOnly === true,
      ...(Array.isArray(saved?.todos) ? { todos: saved.todos } : {}),
      ...(saved?.routing && typeof saved.routing === 'object' ? { routing: saved.routing } : {}),
    };
  }

  /** Saves the task on screen (and its row in Past Chats, unless it is a past task shown read-only). */
  async save(task: TaskSnapshot): Promise<void> {
    const { checkpoints, readOnly, ...record } = task;
    const bounded = this.redacted(boundRecord(record));
    try {
      await this.store.update(this.key, { ...bounded, checkpoints, ...(readOnly ? { readOnly } : {}) });
    } catch (error) {
      this.log.error(`could not save the agent task: ${String(error)}`);
    }
    if (!readOnly) await this.list(bounded);
  }

  /** Keeps the task on screen in Past Chats before another takes its place (a past task is there already). */
  async keep(task: TaskSnapshot): Promise<void> {
    if (!task.messages.length || task.readOnly) return;
    const { checkpoints: _exact, readOnly: _no, ...record } = task;
    const bounded = this.redacted(boundRecord(record));
    try {
      await this.archive?.saveTask(taskEntry(bounded), bounded);
    } catch (error) {
      this.log.error(`could not save the agent task to Past Chats: ${String(error)}`);
    }
  }

  /** A past task as Past Chats kept it, its checkpoints said to be gone. */
  open(id: string): TaskRecord | undefined {
    const record = readTaskRecord(this.archive?.openTask(id), id);
    return record && { ...record, messages: withoutCheckpoints(record.messages) };
  }

  /** No task on screen (New Chat). */
  async clear(): Promise<void> {
    await this.store.update(this.key, undefined);
  }

  /** A record on its way to storage or Past Chats: token shapes and the user's keys (in any known form) redacted. */
  private redacted(record: TaskRecord): TaskRecord {
    return redactStrings(record, this.knownSecrets());
  }

  private async list(record: TaskRecord): Promise<void> {
    if (!record.messages.length) return;
    try {
      await this.archive?.saveEntry(taskEntry(record));
    } catch (error) {
      this.log.error(`could not list the agent task in Past Chats: ${String(error)}`);
    }
  }
}
