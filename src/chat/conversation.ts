/** A conversation as stored and replayed: what was shown, plus the context each user turn sent. */
import type { ApplyTarget } from '../context/applyRange';
import type { ChatMessageView, CodeUseView } from '../protocol/messages';
import type { ImageRef } from './images';
import type { ReasoningDetail, ReasoningEffort } from '../openrouter/reasoning';

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
