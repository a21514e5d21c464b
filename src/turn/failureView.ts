/**
 * A turn's failure as the webview shows it (the error card of an answer or an agent step): one
 * function for chat and agent, so the same failure reads the same everywhere. Pure.
 */
import { FailureError, type Failure } from '../openrouter/failures';
import type { FailureView } from '../protocol/messages';

/** A failure as the webview shows it. */
export function toFailureView(failure: Failure): FailureView {
  return {
    kind: failure.kind,
    title: failure.title,
    message: failure.message,
    ...(failure.action ? { action: failure.action } : {}),
    ...(failure.moreActions?.length ? { moreActions: failure.moreActions } : {}),
  };
}

/** What went wrong, as a card: a classified failure, or "Something went wrong" with Show Log. */
export function failureViewOf(error: unknown): FailureView {
  if (error instanceof FailureError) return toFailureView(error.failure);
  return {
    kind: 'internal',
    title: 'Something went wrong',
    message: 'An unexpected error occurred; see the Switchyard log.',
    action: { label: 'Show Log', command: 'switchyard.showLog' },
  };
}

/** One log line for a failure (kind, status, message); the message is already redacted. */
export function failureLogText(error: unknown): string {
  if (error instanceof FailureError)
    return `${error.failure.kind}${error.failure.status ? ` ${error.failure.status}` : ''} ${error.failure.message}`;
  return String(error);
}
