/**
 * "Send with a Smaller Context", a budget block's way forward: the refused message goes again
 * without its attached context (files, selections, problems …; images stay — they are the
 * message) and without the earlier messages of the chat, for that one request. The message
 * says what was left out, so the answer is read knowing it. Pure.
 */
import type { StoredMessage } from './conversation';

/** The user's message as it is sent with a smaller context, and whether anything was left out at all. */
export function withSmallerContext(
  user: StoredMessage,
  earlierMessages: number,
): { readonly message: StoredMessage; readonly dropped: boolean } {
  const sent = (user.attachments ?? []).filter((a) => !a.dropped && a.kind !== 'image');
  const leftOut: string[] = [];
  if (sent.length) leftOut.push(`${sent.map((a) => `${a.label} (~${a.tokens} tokens)`).join(', ')}`);
  if (earlierMessages > 0)
    leftOut.push(`the ${earlierMessages} earlier message${earlierMessages === 1 ? '' : 's'} of this chat`);
  if (!leftOut.length) return { message: user, dropped: false };
  const notice = `Sent with a smaller context to fit the budget: left out ${leftOut.join(' and ')}.`;
  return {
    dropped: true,
    message: {
      ...user,
      context: [],
      attachments: (user.attachments ?? []).map((a) => (a.kind === 'image' ? a : { ...a, dropped: true })),
      notices: [...(user.notices ?? []), notice],
    },
  };
}
