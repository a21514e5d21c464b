/**
 * A restored chat as the chat view posts it (src/chat/earlierMessages.ts, the real host code):
 * `init` with the newest messages, and the page of older messages the host answers to each
 * `loadEarlier`. {@link answerLoadEarlier} plays the host's side inside the page.
 */
import { EarlierMessages } from '../../src/chat/earlierMessages';
import type { HostToWebview } from '../../src/protocol/messages';
import type { WebviewPage } from './harness';

export interface PostedChat {
  readonly init: HostToWebview;
  /** The host's answer to `loadEarlier`, by its `before`. */
  readonly pages: Record<string, HostToWebview>;
}

/** `full` (an `init` with every message) as the host posts it, and every page it would answer. */
export function asPosted(full: HostToWebview): PostedChat {
  const host = new EarlierMessages();
  const init = host.outgoing(full);
  const pages: Record<string, HostToWebview> = {};
  let first = init.type === 'init' && init.earlier ? init.messages[0]?.id : undefined;
  while (first) {
    const page = host.page(first);
    if (!page || page.messages.length === 0) break;
    pages[first] = page;
    first = page.earlier > 0 ? page.messages[0]?.id : undefined;
  }
  return { init, pages };
}

/**
 * In the page (plain JavaScript, for `evaluate` and the bench): answers each `loadEarlier` the
 * webview posts with its page, as a later task (as a posted message arrives). With `held`, the
 * answers wait until `window.__releaseEarlier()` is called.
 */
export const ANSWER_LOAD_EARLIER = `(pages, held) => {
  const waiting = [];
  const answer = (m) => setTimeout(() => window.__deliver(pages[m.before]), 0);
  window.__releaseEarlier = () => { held = false; waiting.splice(0).forEach(answer); };
  const push = window.__posted.push.bind(window.__posted);
  window.__posted.push = (m) => {
    if (m.type === 'loadEarlier' && pages[m.before]) (held ? waiting.push(m) : answer(m));
    return push(m);
  };
}`;

/** Lets the page's "host" answer `loadEarlier` from `chat`'s pages (held until {@link releaseEarlier} with `held`). */
export async function answerLoadEarlier(w: WebviewPage, chat: PostedChat, held = false): Promise<void> {
  await w.page.evaluate(`(${ANSWER_LOAD_EARLIER})(${JSON.stringify(chat.pages)}, ${held})`);
}

/** Lets the held answers go. */
export async function releaseEarlier(w: WebviewPage): Promise<void> {
  await w.page.evaluate('window.__releaseEarlier()');
}
