/** A conversation as stored and replayed: what was shown, plus the context each user turn sent. */
import type { ApplyTarget } from '../context/applyRange';
import type { ChatMessageView } from '../protocol/messages';

/** A message with the parts the webview does not need. */
export type StoredMessage = ChatMessageView & {
  /** For user messages: the rendered context blocks that were sent with the text. */
  readonly context?: readonly string[];
  /** For user messages sent by a command: the routing tier it asked for. */
  readonly tier?: string;
  /** For user messages sent by Fix / Refactor / Add Docs: the lines the answer's code replaces. */
  readonly target?: ApplyTarget;
};

export interface Conversation {
  readonly id: string;
  readonly messages: readonly StoredMessage[];
}

/** The subset of VS Code's Memento that history needs (structural, so tests can pass a Map). */
export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

const STORAGE_KEY = 'switchyard.conversation.v1';
/** Bound on stored messages so workspace state stays small. */
export const MAX_STORED_MESSAGES = 500;

/** Strips what the webview does not need. */
export function toView(message: StoredMessage): ChatMessageView {
  const { context: _context, tier: _tier, target: _target, ...view } = message;
  return view;
}

/** Persists the current conversation in workspace state, surviving window reloads. */
export class HistoryStore {
  constructor(private readonly store: KeyValueStore) {}

  load(): Conversation | undefined {
    const raw = this.store.get<unknown>(STORAGE_KEY);
    if (typeof raw !== 'object' || raw === null) return undefined;
    const candidate = raw as Partial<Conversation>;
    if (typeof candidate.id !== 'string' || !Array.isArray(candidate.messages)) return undefined;
    const messages = candidate.messages.filter(isStoredMessage).map((m) =>
      // A reload mid-answer: the stream is gone; keep its text and say so.
      m.status === 'streaming' ? { ...m, status: 'stopped' as const } : m,
    );
    return { id: candidate.id, messages };
  }

  async save(conversation: Conversation): Promise<void> {
    const messages = conversation.messages.slice(-MAX_STORED_MESSAGES);
    await this.store.update(STORAGE_KEY, { id: conversation.id, messages });
  }

  async clear(): Promise<void> {
    await this.store.update(STORAGE_KEY, undefined);
  }
}

function isStoredMessage(value: unknown): value is StoredMessage {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Partial<StoredMessage>;
  return typeof m.id === 'string' && (m.role === 'user' || m.role === 'assistant') && typeof m.text === 'string' && typeof m.status === 'string';
}
