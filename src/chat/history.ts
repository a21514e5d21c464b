/**
 * Past Chats' store, in workspace state: one index of chats and agent tasks (a versioned list of
 * {@link HistoryEntry}, newest first — the list renders from it alone) and one record per entry,
 * loaded only when it is opened or searched. Chats are kept here whole; a task's record is written
 * by the agent (src/agent/taskHistory.ts) through {@link HistoryStore.saveTask}. Everything is
 * stored redacted: token shapes, and the user's own keys in every form the redactor knows (base64,
 * pieces, escapes: src/openrouter/knownSecrets.ts). Older versions' index (chats only) is read and rewritten as version 2.
 */
import type { HistoryEntry } from '../protocol/history';
import { entryTitle, isTaskOutcome } from '../protocol/history';
import { redactStrings } from '../openrouter/secrets';
import type { KeyValueStore } from '../turn/env';
import type { Conversation, StoredMessage } from './conversation';
import { asImageRef } from './images';
import { storedView } from '../protocol/storedView';

/** The current chat: `{ id }` (older versions kept the whole conversation here; still read). */
const CURRENT_KEY = 'switchyard.conversation.v1';
/** Version 1's index: chats only, without kind or mode. Read once, then replaced by {@link INDEX_KEY}. */
const INDEX_V1_KEY = 'switchyard.chats.v1';
/** The index: `{ version: 2, entries: HistoryEntry[] }`, newest first. */
const INDEX_KEY = 'switchyard.history.v2';
const INDEX_VERSION = 2;
/** One chat's messages ({@link Conversation}). */
const chatKey = (id: string): string => `switchyard.chat.v1.${id}`;
/** One agent task's record (its shape belongs to src/agent/taskHistory.ts). */
const taskKey = (id: string): string => `switchyard.task.v1.${id}`;
/** Bound on stored messages so workspace state stays small. */
export const MAX_STORED_MESSAGES = 500;
/** Past chats and tasks kept per workspace; the oldest goes first. */
export const MAX_CHATS = 100;

/** A chat as the "Past Chats" list shows it. */
export type ChatSummary = HistoryEntry;

/** The title of a chat: its first question's first line, shortened. */
export const chatTitle = entryTitle;

/**
 * The chats and tasks of a workspace: the current chat (reopened after a reload) and the past
 * ones, each saved as it changes, listed newest first, searchable and deletable. New Chat keeps
 * the previous chat in the list; at most {@link MAX_CHATS} entries are kept.
 */
export class HistoryStore {
  private pruned: ((gone: readonly unknown[]) => Promise<void>) | undefined;

  constructor(
    private readonly store: KeyValueStore,
    /** The user's keys now (stored pool keys, the environment's): redacted in every form the redactor knows, not only by shape. */
    private readonly knownSecrets: () => readonly string[] = () => [],
  ) {}

  /** A value on its way to storage: every string redacted, the user's own keys in any known form too. */
  private redacted<T>(value: T): T {
    return redactStrings(value, this.knownSecrets());
  }

  /** Hears the records of entries dropped past {@link MAX_CHATS} (their image files: src/context/imageReferences.ts). */
  onPrune(listener: (gone: readonly unknown[]) => Promise<void>): void {
    this.pruned = listener;
  }

  /** The current chat, if any. */
  load(): Conversation | undefined {
    const raw = this.store.get<unknown>(CURRENT_KEY);
    if (typeof raw !== 'object' || raw === null) return undefined;
    const candidate = raw as Partial<Conversation>;
    if (typeof candidate.id !== 'string') return undefined;
    // Older versions stored the whole conversation under the current key.
    if (Array.isArray(candidate.messages)) return { id: candidate.id, messages: soundMessages(candidate.messages) };
    return this.open(candidate.id);
  }

  /** Saves a chat and makes it the current one. An empty chat is not listed. */
  async save(conversation: Conversation): Promise<void> {
    const messages = conversation.messages.slice(-MAX_STORED_MESSAGES);
    await this.store.update(CURRENT_KEY, { id: conversation.id });
    if (messages.length === 0) return;
    // Stored redacted: a key pasted into a chat or an attached file's token is not kept on disk.
    await this.store.update(chatKey(conversation.id), { id: conversation.id, messages: this.redacted(messages) });
    const existing = this.list().find((c) => c.id === conversation.id);
    await this.saveEntry({
      id: conversation.id,
      kind: 'chat',
      mode: 'ask',
      title: chatTitle(messages),
      createdAt: existing?.createdAt ?? messages[0]?.createdAt ?? 0,
      updatedAt: Math.max(...messages.map((m) => m.createdAt)),
      messageCount: messages.length,
    });
  }

  /** Lists (or updates) an entry; its record is written by its owner. The oldest entries beyond the bound go. */
  async saveEntry(entry: HistoryEntry): Promise<void> {
    const existing = this.list().find((c) => c.id === entry.id);
    const kept = existing ? { ...entry, createdAt: Math.min(existing.createdAt, entry.createdAt) } : entry;
    const list = [this.redacted(kept), ...this.list().filter((c) => c.id !== entry.id)].sort(
      (a, b) => b.updatedAt - a.updatedAt,
    );
    const dropped = list.slice(MAX_CHATS);
    const gone = dropped.flatMap((old) => this.recordsOf(old.id));
    for (const old of dropped) await this.forget(old.id);
    await this.writeIndex(list.slice(0, MAX_CHATS));
    if (gone.length) await this.pruned?.(gone);
  }

  /** Saves an agent task's record (redacted) and lists it. */
  async saveTask(entry: HistoryEntry, record: unknown): Promise<void> {
    await this.store.update(taskKey(entry.id), this.redacted(record));
    await this.saveEntry(entry);
  }

  /** An agent task's record as stored (the agent checks its shape), if it was saved. */
  openTask(id: string): unknown {
    return this.store.get<unknown>(taskKey(id));
  }

  /** No current chat any more (New Chat); the chat stays in the list. */
  async clear(): Promise<void> {
    await this.store.update(CURRENT_KEY, undefined);
  }

  /** The listed chats and tasks, newest first (version 1's chat list is read as Ask chats). */
  list(): HistoryEntry[] {
    const raw = this.store.get<unknown>(INDEX_KEY);
    if (typeof raw === 'object' && raw !== null && Array.isArray((raw as { entries?: unknown }).entries))
      return (raw as { entries: unknown[] }).entries.flatMap((e) => asEntry(e) ?? []);
    const old = this.store.get<unknown>(INDEX_V1_KEY);
    return Array.isArray(old) ? old.flatMap((e) => asEntry({ kind: 'chat', mode: 'ask', ...e }) ?? []) : [];
  }

  /** A listed chat's messages (a reload mid-answer shows the partial answer as stopped). */
  open(id: string): Conversation | undefined {
    const raw = this.store.get<Partial<Conversation>>(chatKey(id));
    if (!raw || !Array.isArray(raw.messages)) return undefined;
    return { id, messages: soundMessages(raw.messages) };
  }

  /**
   * The entries whose title or messages contain every word of `query` (case-insensitive), newest
   * first; all of them for an empty query.
   */
  search(query: string): HistoryEntry[] {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    const all = this.list();
    if (!words.length) return all;
    return all.filter((entry) => {
      const text = [entry.title, ...this.texts(entry)].join('\n').toLowerCase();
      return words.every((w) => text.includes(w));
    });
  }

  /**
   * Deletes a chat or task for good; deleting the current chat leaves no current chat. Resolves
   * with what was stored for it (its image files are the caller's: src/context/imageReferences.ts).
   */
  async delete(id: string): Promise<unknown[]> {
    const gone = this.recordsOf(id);
    await this.forget(id);
    await this.writeIndex(this.list().filter((c) => c.id !== id));
    const current = this.store.get<{ id?: unknown }>(CURRENT_KEY);
    if (current?.id === id) await this.store.update(CURRENT_KEY, undefined);
    return gone;
  }

  /** Everything stored for the listed chats and tasks (and an older version's current chat), as stored. */
  records(): unknown[] {
    return [this.store.get<unknown>(CURRENT_KEY), ...this.list().flatMap((e) => this.recordsOf(e.id))];
  }

  private recordsOf(id: string): unknown[] {
    return [this.store.get<unknown>(chatKey(id)), this.store.get<unknown>(taskKey(id))].filter((r) => r !== undefined);
  }

  private texts(entry: HistoryEntry): string[] {
    if (entry.kind === 'chat') return (this.open(entry.id)?.messages ?? []).map((m) => m.text);
    const record = this.openTask(entry.id) as { messages?: unknown } | undefined;
    const messages = Array.isArray(record?.messages) ? record.messages : [];
    return messages.flatMap((m: unknown) => (isStoredMessage(m) ? [m.text] : []));
  }

  private async forget(id: string): Promise<void> {
    await this.store.update(chatKey(id), undefined);
    await this.store.update(taskKey(id), undefined);
  }

  private async writeIndex(entries: readonly HistoryEntry[]): Promise<void> {
    await this.store.update(INDEX_KEY, { version: INDEX_VERSION, entries });
    if (this.store.get<unknown>(INDEX_V1_KEY) !== undefined) await this.store.update(INDEX_V1_KEY, undefined);
  }
}

function stopStreaming(m: StoredMessage): StoredMessage {
  // A reload mid-answer: the stream is gone; keep its text and say so.
  const stopped = m.status === 'streaming' ? { ...m, status: 'stopped' as const } : m;
  return withImageRefs(stopped);
}

/** Image references as read back from storage: only well-formed ones are kept. */
function withImageRefs(m: StoredMessage): StoredMessage {
  if (m.images === undefined) return m;
  const { images, ...rest } = m;
  const refs = Array.isArray(images) ? images.flatMap((r: unknown) => asImageRef(r) ?? []) : [];
  return refs.length ? { ...rest, images: refs } : rest;
}

/** An index entry as read back: well-formed ones only; optional task figures only when they make sense. */
function asEntry(value: unknown): HistoryEntry | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const c = value as Partial<Record<keyof HistoryEntry, unknown>>;
  if (
    typeof c.id !== 'string' ||
    typeof c.title !== 'string' ||
    typeof c.updatedAt !== 'number' ||
    typeof c.createdAt !== 'number' ||
    typeof c.messageCount !== 'number' ||
    (c.kind !== 'chat' && c.kind !== 'task')
  )
    return undefined;
  const figure = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
  return {
    id: c.id,
    kind: c.kind,
    mode: typeof c.mode === 'string' && c.mode ? c.mode : c.kind === 'task' ? 'agent' : 'ask',
    title: c.title,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    messageCount: c.messageCount,
    ...(figure(c.steps) ? { steps: c.steps } : {}),
    ...(figure(c.spentUsd) ? { spentUsd: c.spentUsd } : {}),
    ...(isTaskOutcome(c.outcome) ? { outcome: c.outcome } : {}),
  };
}

/** Stored messages as read back: each made sound (../protocol/storedView.ts), a reload mid-answer's partial answer stopped. */
function soundMessages(raw: readonly unknown[]): StoredMessage[] {
  return raw.flatMap((m) => storedView<StoredMessage>(m) ?? []).map(stopStreaming);
}

export function isStoredMessage(value: unknown): value is StoredMessage {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Partial<StoredMessage>;
  return (
    typeof m.id === 'string' &&
    (m.role === 'user' || m.role === 'assistant') &&
    typeof m.text === 'string' &&
    typeof m.status === 'string'
  );
}
