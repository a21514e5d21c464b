/**
 * The three invariants every answer must keep, whatever the network or the model did:
 * 1. no text the user saw is lost: everything streamed to the webview is still in the final
 *    message and in the persisted history;
 * 2. the UI never stays "generating": `send` settles, the last `busy` posted is false, the
 *    session is idle and the answer has a final status;
 * 3. no unhandled rejection or uncaught exception in the host process.
 */
import { HistoryStore } from '../../src/chat/history';
import type { ChatMessageView, HostToWebview } from '../../src/protocol/messages';
import type { RecordedSession } from './session';

/** Counts process-level failures while installed (the extension host would log or crash on them). */
export class ProcessWatch {
  readonly unhandled: string[] = [];
  private readonly onRejection = (reason: unknown): void =>
    void this.unhandled.push(`unhandledRejection: ${String(reason)}`);
  private readonly onException = (error: unknown): void =>
    void this.unhandled.push(`uncaughtException: ${String(error)}`);
  install(): this {
    process.on('unhandledRejection', this.onRejection);
    process.on('uncaughtException', this.onException);
    return this;
  }
  uninstall(): void {
    process.off('unhandledRejection', this.onRejection);
    process.off('uncaughtException', this.onException);
  }
}

/** What one answer looked like from the user's side, and whether the invariants held. */
export interface AnswerCheck {
  readonly status: ChatMessageView['status'] | 'hung';
  readonly text: string;
  /** Everything streamed to the webview for this answer. */
  readonly seen: string;
  readonly served?: string;
  /** USD, from the answer's usage. */
  readonly cost?: number;
  /** Why a finished answer is incomplete, as its meta line says (`length`, `content_filter`). */
  readonly cutOff?: string;
  readonly failureKind?: string;
  /** The error card's message (error only). */
  readonly errorMessage?: string;
  readonly notices: readonly string[];
  readonly textKept: boolean;
  readonly notStuck: boolean;
  readonly problems: readonly string[];
}

const FINAL = new Set(['done', 'error', 'stopped']);

/** Inspects the answer posted after index `from` of `recorded.posted`. */
export function checkAnswer(recorded: RecordedSession, from: number, settled: boolean): AnswerCheck {
  const posted = recorded.posted.slice(from);
  const added = posted.find(
    (m): m is Extract<HostToWebview, { type: 'messageAdded' }> =>
      m.type === 'messageAdded' && m.message.role === 'assistant',
  );
  const problems: string[] = [];
  if (!added)
    return {
      status: settled ? 'error' : 'hung',
      text: '',
      seen: '',
      notices: [],
      textKept: true,
      notStuck: settled,
      problems: ['no answer was started'],
    };
  const id = added.message.id;
  const seen = posted.map((m) => (m.type === 'delta' && m.id === id ? m.text : '')).join('');
  const final = posted
    .filter(
      (m): m is Extract<HostToWebview, { type: 'messageUpdated' }> =>
        m.type === 'messageUpdated' && m.message.id === id,
    )
    .at(-1)?.message;
  const lastBusy = posted.filter((m): m is Extract<HostToWebview, { type: 'busy' }> => m.type === 'busy').at(-1);
  const stored = new HistoryStore(recorded.store).load()?.messages.find((m) => m.id === id);

  const notStuck =
    settled &&
    lastBusy?.busy === false &&
    !recorded.session.busy &&
    final !== undefined &&
    FINAL.has(final.status) &&
    stored !== undefined &&
    FINAL.has(stored.status);
  if (!settled) problems.push('send() never settled');
  if (lastBusy?.busy !== false) problems.push('the last busy posted was not false');
  if (recorded.session.busy) problems.push('the session is still busy');
  if (!final || !FINAL.has(final.status)) problems.push(`final status ${final?.status ?? 'missing'}`);
  if (!stored) problems.push('the answer is not in the persisted history');
  else if (!FINAL.has(stored.status)) problems.push(`persisted status ${stored.status}`);

  const text = final?.text ?? '';
  let textKept = text.startsWith(seen);
  if (!textKept)
    problems.push(`final text does not start with what was streamed (${seen.length} chars seen, ${text.length} final)`);
  if (stored && stored.text !== text) {
    textKept = false;
    problems.push('persisted text differs from the final message');
  }
  return {
    status: settled ? (final?.status ?? 'error') : 'hung',
    text,
    seen,
    ...(final?.meta?.model ? { served: final.meta.model } : {}),
    ...(final?.meta?.cost !== undefined ? { cost: final.meta.cost } : {}),
    ...(final?.meta?.cutOff ? { cutOff: final.meta.cutOff } : {}),
    ...(final?.error ? { failureKind: final.error.kind, errorMessage: final.error.message } : {}),
    notices: final?.notices ?? [],
    textKept,
    notStuck,
    problems,
  };
}

/** Races a promise against a deadline; false when it did not settle in time (a hang). */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([
      promise.then(
        () => true,
        () => true,
      ),
      deadline,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
