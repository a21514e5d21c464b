/**
 * A restored chat reaches the webview in pages: `init` carries only its newest messages (what the
 * first screen needs), and the webview asks for the older ones (`loadEarlier`) once that screen is
 * painted, a page at a time, newest first. The pages come from the conversation as it was when
 * the `init` was posted; later changes reach the webview as `messageUpdated` (which it holds for
 * a message it has not received yet). Pure.
 */
import type { ChatMessageView, HostToWebview } from '../protocol/messages';

/** At most this many messages go with `init`… */
export const INIT_MESSAGES = 16;
/** …and no more than about this many characters of them (at least the newest 2 messages). */
export const INIT_CHARS = 48_000;
/** One page of older messages: at most this many messages… */
export const PAGE_MESSAGES = 100;
/** …of about this many characters (at least one message). */
export const PAGE_CHARS = 300_000;

/** The newest messages within the limits: how many of `messages`, counted from the end. */
function newestWithin(messages: readonly ChatMessageView[], count: number, chars: number, atLeast: number): number {
  let size = 0;
  let taken = 0;
  while (taken < messages.length && taken < count) {
    const message = messages[messages.length - 1 - taken];
    size += message ? approximateSize(message) : 0;
    if (taken >= atLeast && size > chars) break;
    taken++;
  }
  return taken;
}

/** About the characters of a message once serialized (its texts dominate; tool cards counted through JSON). */
function approximateSize(message: ChatMessageView): number {
  const tools = message.tools?.length ? JSON.stringify(message.tools).length : 0;
  return 200 + message.text.length + (message.reasoning?.text.length ?? 0) + tools;
}

/** The conversation of the last `init` posted, to answer the webview's `loadEarlier` from. */
export class EarlierMessages {
  private messages: readonly ChatMessageView[] = [];

  /** What to post instead of `message`: an `init` cut to its newest messages (the rest kept for `loadEarlier`). */
  outgoing(message: HostToWebview): HostToWebview {
    if (message.type !== 'init') return message;
    this.messages = message.messages;
    const keep = newestWithin(message.messages, INIT_MESSAGES, INIT_CHARS, 2);
    const earlier = message.messages.length - keep;
    if (earlier === 0) return message;
    return { ...message, messages: message.messages.slice(earlier), earlier };
  }

  /** The page just before message `before`; `undefined` when that message is not in the conversation. */
  page(before: string): Extract<HostToWebview, { type: 'earlierMessages' }> | undefined {
    const end = this.messages.findIndex((m) => m.id === before);
    if (end < 0) return undefined;
    const older = this.messages.slice(0, end);
    const count = newestWithin(older, PAGE_MESSAGES, PAGE_CHARS, 1);
    return { type: 'earlierMessages', before, messages: older.slice(end - count), earlier: end - count };
  }
}
