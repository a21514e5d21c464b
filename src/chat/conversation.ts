/** A conversation as stored and replayed: what was shown, plus the context each user turn sent. */
import type { ApplyTarget } from '../context/applyRange';
import type { ChatMessageView, CodeUseView } from '../protocol/messages';
import { asImageRef, type ImageRef } from './images';
import type { ReasoningDetail, ReasoningEffort } from '../openrouter/reasoning';
import { redactStrings } from '../openrouter/secrets';

/** A message with the parts the webview does not need. */
export type StoredMessage = ChatMessageView & {
  /** For user messages: the rendered context blocks that were sent with the text. */
  readonly context?: readonly string[];
  /** For user messages sent by a command: the routing tier it asked for. */
  readonly tier?: string;
  /** For user messages sent by Fix / Refactor / Add Docs: the lines the answer's code replaces. */
  readonly target?: ApplyTarget;
  /** For user messages sent by Add Tests / Generate Commit Message: what the answer's code is for. */
  readonly use?: CodeUse;
  /** For user messages with images: references to their files in the image store (never the bytes). */
  readonly images?: readonly ImageRef[];
  /** For user messages sent by a command that asks for a reasoning effort (Explain: low). */
  readonly effort?: ReasoningEffort;
  /** For answers: `reasoning_details` exactly as streamed (merged), sent back with the turn. */
  readonly reasoningDetails?: readonly ReasoningDetail[];
};

/** What a command's answer code is for when it is not an edit (host side: with the file's URI). */
export type CodeUse =
  | { readonly kind: 'createFile'; readonly uri: string; readonly path: string }
  | { readonly kind: 'commitMessage'; readonly root?: string };

/** An answer of `messages` and the user's message it replies to (when the one before it is one). */
export function replyOf(
  messages: readonly StoredMessage[],
  assistantId: string,
): { readonly answer: StoredMessage; readonly question?: StoredMessage } | undefined {
  const index = messages.findIndex((m) => m.id === assistantId && m.role === 'assistant');
  if (index === -1) return undefined;
  const before = messages[index - 1];
  return { answer: messages[index]!, ...(before?.role === 'user' ? { question: before } : {}) };
}

/** The webview's part of a {@link CodeUse}. */
export function codeUseView(use: CodeUse): CodeUseView {
  return use.kind === 'createFile' ? { kind: 'createFile', path: use.path } : { kind: 'commitMessage' };
}

export interface Conversation {
  readonly id: string;
  readonly messages: readonly StoredMessage[];
}

/** The subset of VS Code's Memento that history needs (structural, so tests can pass a Map). */
export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

/** The current chat: `{ id }` (older versions kept the whole conversation here; still read). */
const CURRENT_KEY = 'switchyard.conversation.v1';
/** The past chats' summaries, newest first ({@link ChatSummary}[]). */
const INDEX_KEY = 'switchyard.chats.v1';
/** One chat's messages ({@link Conversation}). */
const chatKey = (id: string): string => `switchyard.chat.v1.${id}`;
/** Bound on stored messages so workspace state stays small. */
export const MAX_STORED_MESSAGES = 500;
/** Past chats kept per workspace; the oldest goes first. */
export const MAX_CHATS = 100;
/** Longest chat title (characters). */
const MAX_TITLE = 80;

/** A chat as the "Past Chats" list shows it. */
export interface ChatSummary {
  readonly id: string;
  /** The first line of its first question, at most 80 characters. */
  readonly title: string;
  /** Epoch milliseconds of its first and its latest message. */
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly messageCount: number;
}

/** Strips what the webview does not need. */
export function toView(message: StoredMessage): ChatMessageView {
  const {
    context: _context,
    tier: _tier,
    target: _target,
    use: _use,
    images: _images,
    effort: _effort,
    reasoningDetails: _details,
    ...view
  } = message;
  return view;
}

/** The title of a chat: its first question's first line, shortened. */
export function chatTitle(messages: readonly StoredMessage[]): string {
  const user = messages.find((m) => m.role === 'user');
  const first = (user?.summary ?? user?.text)?.trim().split('\n')[0]?.trim() ?? '';
  if (!first) return 'Untitled chat';
  return first.length > MAX_TITLE ? `${first.slice(0, MAX_TITLE - 1)}…` : first;
}

/**
 * The chats of a workspace in workspace state: the current one (reopened after a reload) and the
 * past ones, each saved as it changes, listed newest first, searchable and deletable. New Chat
 * keeps the previous chat in the list; at most {@link MAX_CHATS} are kept.
 */
export class HistoryStore {
  constructor(private readonly store: KeyValueStore) {}

  /** The current chat, if any. */
  load(): Conversation | undefined {
    const raw = this.store.get<unknown>(CURRENT_KEY);
    if (typeof raw !== 'object' || raw === null) return undefined;
    const candidate = raw as Partial<Conversation>;
    if (typeof candidate.id !== 'string') return undefined;
    // Older versions stored the whole conversation under the current key.
    if (Array.isArray(candidate.messages))
      return { id: candidate.id, messages: candidate.messages.filter(isStoredMessage).map(stopStreaming) };
    return this.open(candidate.id);
  }

  /** Saves a chat and makes it the current one. An empty chat is not listed. */
  async save(conversation: Conversation): Promise<void> {
    const messages = conversation.messages.slice(-MAX_STORED_MESSAGES);
    await this.store.update(CURRENT_KEY, { id: conversation.id });
    if (messages.length === 0) return;
    // Stored redacted: a key pasted into a chat or an attached file's token is not kept on disk.
    await this.store.update(chatKey(conversation.id), { id: conversation.id, messages: redactStrings(messages) });
    const existing = this.list().find((c) => c.id === conversation.id);
    const summary: ChatSummary = {
      id: conversation.id,
      title: chatTitle(messages),
      createdAt: existing?.createdAt ?? messages[0]?.createdAt ?? 0,
      updatedAt: Math.max(...messages.map((m) => m.createdAt)),
      messageCount: messages.length,
    };
    const list = [summary, ...this.list().filter((c) => c.id !== conversation.id)].sort(
      (a, b) => b.updatedAt - a.updatedAt,
    );
    for (const old of list.slice(MAX_CHATS)) await this.store.update(chatKey(old.id), undefined);
    await this.store.update(INDEX_KEY, list.slice(0, MAX_CHATS));
  }

  /** No current chat any more (New Chat); the chat stays in the list. */
  async clear(): Promise<void> {
    await this.store.update(CURRENT_KEY, undefined);
  }

  /** The listed chats, newest first. */
  list(): ChatSummary[] {
    const raw = this.store.get<unknown>(INDEX_KEY);
    return Array.isArray(raw) ? raw.filter(isSummary) : [];
  }

  /** A listed chat's messages (a reload mid-answer shows the partial answer as stopped). */
  open(id: string): Conversation | undefined {
    const raw = this.store.get<Partial<Conversation>>(chatKey(id));
    if (!raw || !Array.isArray(raw.messages)) return undefined;
    return { id, messages: raw.messages.filter(isStoredMessage).map(stopStreaming) };
  }

  /**
   * The chats whose title or messages contain every word of `query` (case-insensitive), newest
   * first; all of them for an empty query.
   */
  search(query: string): ChatSummary[] {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    const all = this.list();
    if (!words.length) return all;
    return all.filter((chat) => {
      const text = [chat.title, ...(this.open(chat.id)?.messages ?? []).map((m) => m.text)].join('\n').toLowerCase();
      return words.every((w) => text.includes(w));
    });
  }

  /** Deletes a chat for good; deleting the current one leaves no current chat. */
  async delete(id: string): Promise<void> {
    await this.store.update(chatKey(id), undefined);
    await this.store.update(
      INDEX_KEY,
      this.list().filter((c) => c.id !== id),
    );
    const current = this.store.get<{ id?: unknown }>(CURRENT_KEY);
    if (current?.id === id) await this.store.update(CURRENT_KEY, undefined);
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

function isSummary(value: unknown): value is ChatSummary {
  if (typeof value !== 'object' || value === null) return false;
  const c = value as Partial<ChatSummary>;
  return (
    typeof c.id === 'string' &&
    typeof c.title === 'string' &&
    typeof c.updatedAt === 'number' &&
    typeof c.createdAt === 'number' &&
    typeof c.messageCount === 'number'
  );
}

function isStoredMessage(value: unknown): value is StoredMessage {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Partial<StoredMessage>;
  return (
    typeof m.id === 'string' &&
    (m.role === 'user' || m.role === 'assistant') &&
    typeof m.text === 'string' &&
    typeof m.status === 'string'
  );
}
