/**
 * A typed wrapper around the `acquireVsCodeApi()` global that VS Code injects into webviews.
 * The API may be acquired only once per page, so the whole webview shares one {@link HostChannel}.
 * The host owns the conversation; the webview state keeps only the unsent draft and the scroll
 * position, so a hidden and re-shown view looks as it was left.
 */
import type { WebviewToHost } from '../protocol/messages';

/** What the webview keeps in `vscode.setState`. */
export interface PersistedState {
  /** The unsent text of the composer. */
  readonly draft: string;
  /** Scroll offset of the message list. */
  readonly scrollTop: number;
  /** True when the list was scrolled to the end (then it follows new content). */
  readonly atBottom: boolean;
}

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState<T>(state: T): T;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** Typed access to the host: messages out, and the webview's small persisted state. */
export interface HostChannel {
  post(message: WebviewToHost): void;
  /** The persisted state, or defaults when none (or a malformed one) was saved. */
  readState(): PersistedState;
  /** Merges a partial update into the persisted state. */
  writeState(update: Partial<PersistedState>): void;
}

const DEFAULT_STATE: PersistedState = { draft: '', scrollTop: 0, atBottom: true };

export function connectToHost(): HostChannel {
  const api = acquireVsCodeApi();
  let state = sanitizeState(api.getState());
  return {
    post: (message) => api.postMessage(message),
    readState: () => state,
    writeState: (update) => {
      state = { ...state, ...update };
      api.setState(state);
    },
  };
}

/** Keeps only well-typed fields of a stored state (it may come from an older version). */
export function sanitizeState(raw: unknown): PersistedState {
  if (typeof raw !== 'object' || raw === null) return DEFAULT_STATE;
  const record = raw as Record<string, unknown>;
  return {
    draft: typeof record.draft === 'string' ? record.draft : DEFAULT_STATE.draft,
    scrollTop:
      typeof record.scrollTop === 'number' && Number.isFinite(record.scrollTop)
        ? record.scrollTop
        : DEFAULT_STATE.scrollTop,
    atBottom: typeof record.atBottom === 'boolean' ? record.atBottom : DEFAULT_STATE.atBottom,
  };
}
