/**
 * An agent task in Past Chats: its record (what the view showed, the transcript the model saw,
 * steps, spend, outcome — never checkpoints, which hold whole files and live only with the current
 * task), its list entry, reading a record back, bounding a big one, and what the model is told
 * when a past task is continued. The store is the chats' (src/chat/history.ts), reached through
 * {@link TaskArchive}. Pure.
 */
import { entryTitle, isTaskOutcome, type HistoryEntry, type TaskOutcome } from '../protocol/history';
import type { ChatMessageView } from '../protocol/messages';
import { storedView } from '../protocol/storedView';
import type { EndReason } from './loop';
import { endCard } from './taskView';
import { storedTranscript } from './storedTranscript';
import type { AgentMessage } from './transcript';

/** Where tasks are listed and kept (src/chat/history.ts `HistoryStore`). */
export interface TaskArchive {
  saveEntry(entry: HistoryEntry): Promise<void>;
  saveTask(entry: HistoryEntry, record: unknown): Promise<void>;
  openTask(id: string): unknown;
}

export interface TaskRecord {
  readonly id: string;
  /** The mode the task ran in (`agent`, `plan`, …). */
  readonly mode: string;
  readonly messages: readonly ChatMessageView[];
  readonly transcript: readonly AgentMessage[];
  readonly spentUsd: number;
  readonly steps: number;
  readonly outcome: TaskOutcome;
}

/** Messages kept per task (the oldest go first). */
export const MAX_TASK_MESSAGES = 500;
/** Characters of a stored record (JSON) before old tool output is dropped from it. */
export const MAX_TASK_CHARS = 2_000_000;
/** What replaces a tool result dropped to bound a stored task. */
export const DROPPED_OUTPUT = '(output not kept: the task was too long to store whole)';

/** Told to the model with the first message after Continue. */
export const CONTINUE_NOTE =
  'This task was reopened from Past Chats and continues in a new run. Its checkpoints are gone: files may have changed since, and earlier steps can no longer be restored. Read files again before editing them.';

/** What a step's card says when its checkpoint was not kept. */
export const CHECKPOINT_GONE = 'Checkpoint gone: past tasks do not keep them.';

/** How a run that the loop ended is listed. */
export function outcomeOf(reason: EndReason): TaskOutcome {
  switch (reason) {
    case 'done':
      return 'finished';
    case 'maxSteps':
      return 'stepLimit';
    case 'budget':
      return 'budget';
    case 'stopped':
      return 'stopped';
  }
}

/** The task's row in Past Chats. */
export function taskEntry(record: TaskRecord): HistoryEntry {
  const times = record.messages.map((m) => m.createdAt);
  return {
    id: record.id,
    kind: 'task',
    mode: record.mode,
    title: entryTitle(record.messages),
    createdAt: times.length ? Math.min(...times) : 0,
    updatedAt: times.length ? Math.max(...times) : 0,
    messageCount: record.messages.length,
    steps: record.steps,
    spentUsd: record.spentUsd,
    outcome: record.outcome,
  };
}

/**
 * A record small enough to keep: the last {@link MAX_TASK_MESSAGES} messages, then, while its JSON
 * is over `maxChars`, the oldest tool results (in the transcript and on the cards) are dropped.
 * Calls and their results stay paired, so the transcript can still be sent.
 */
export function boundRecord(record: TaskRecord, maxChars = MAX_TASK_CHARS): TaskRecord {
  let messages = record.messages.slice(-MAX_TASK_MESSAGES);
  let transcript = [...record.transcript];
  let size = JSON.stringify({ ...record, messages, transcript }).length;
  for (let i = 0; i < transcript.length && size > maxChars; i++) {
    const m = transcript[i]!;
    if (m.role !== 'tool' || m.content === DROPPED_OUTPUT) continue;
    size -= JSON.stringify(m.content).length - JSON.stringify(DROPPED_OUTPUT).length;
    transcript[i] = { ...m, content: DROPPED_OUTPUT };
  }
  for (let i = 0; i < messages.length && size > maxChars; i++) {
    const m = messages[i]!;
    if (!m.tools?.some((c) => c.result || c.diff)) continue;
    const before = JSON.stringify(m).length;
    const tools = m.tools.map((c) => ({ ...c, ...(c.result ? { result: DROPPED_OUTPUT } : {}) }));
    messages = messages.map((x, j) => (j === i ? { ...m, tools } : x));
    size -= before - JSON.stringify(messages[i]).length;
  }
  if (size > maxChars) transcript = transcript.filter((m) => m.role === 'system').slice(0, 1);
  return { ...record, messages, transcript };
}

/**
 * A stored record as read back (from Past Chats or the current task's slot): well-formed parts
 * only, the transcript one a provider accepts (./storedTranscript.ts); what was under way is over (a streaming step is stopped, waiting cards end, `running` is
 * `stopped`).
 */
export function readTaskRecord(raw: unknown, id: string): TaskRecord | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Partial<Record<keyof TaskRecord, unknown>>;
  if (!Array.isArray(r.messages) || !Array.isArray(r.transcript)) return undefined;
  // Each message made sound: a damaged record opens, lists and exports (../protocol/storedView.ts).
  const messages = r.messages.flatMap((m) => storedView<ChatMessageView>(m) ?? []);
  const outcome = isTaskOutcome(r.outcome) && r.outcome !== 'running' ? r.outcome : guessOutcome(messages);
  const figure = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);
  return {
    id: typeof r.id === 'string' ? r.id : id,
    mode: typeof r.mode === 'string' && r.mode ? r.mode : 'agent',
    messages: messages.map((m) =>
      m.status === 'streaming' ? { ...m, status: 'stopped', tools: m.tools?.map(endCard) } : m,
    ),
    transcript: storedTranscript(r.transcript),
    spentUsd: figure(r.spentUsd),
    steps: figure(r.steps),
    outcome,
  };
}

/** A past task's steps: their checkpoints were not kept, and their cards say so instead of offering Restore. */
export function withoutCheckpoints(messages: readonly ChatMessageView[]): ChatMessageView[] {
  return messages.map((m) => {
    if (m.checkpoint !== 'available') return m;
    const { checkpoint: _gone, ...rest } = m;
    return { ...rest, notices: [...(m.notices ?? []), CHECKPOINT_GONE] };
  });
}

/** A record saved before outcomes were kept (or mid-step): the last step's state tells. */
function guessOutcome(messages: readonly ChatMessageView[]): TaskOutcome {
  const status = messages.at(-1)?.status;
  return status === 'done' ? 'finished' : status === 'error' ? 'failed' : 'stopped';
}

/** Under the composer when a past task is on screen and the user sends. */
export const PAST_TASK_NOTICE =
  'This past task is shown read-only. Press Continue to go on with it, or start a New Chat.';
/** Under the composer after Continue. */
export const CONTINUED_NOTICE =
  'Continuing this task: your next message goes to the model with its transcript. Its checkpoints are gone.';
