/**
 * The last screen of a restored chat, rendered before the list is laid out: every layout forced
 * while the first screen is built delays its paint. The newest answers' markdown renders first,
 * as many as their text would fill the window with (an estimate that errs towards rendering one
 * more); the list is then laid out once, and what still shows its plain text in the view renders
 * too (./hydration.ts, rarely needed).
 */
import type { ChatMessageView } from '../../protocol/messages';

/** Messages rendered when the window has no size yet (hidden): more than a screen of the side bar. */
const FIRST_SCREEN_MESSAGES = 6;
/** Lower than a line of the chat's text (px): the estimate stays low, so one message more renders rather than one fewer. */
const LINE_PX = 17;
/** Lower than what a message adds to its lines (px): its margin, meta line, code toolbars. */
const MESSAGE_PX = 30;
/** Narrower than a character of the chat's fonts (px): more characters per line, fewer lines. */
const CHAR_PX = 6;

/** A low estimate of the height of `text` shown `width` px wide. */
export function estimateHeight(text: string, width: number): number {
  const columns = Math.max(20, Math.floor(width / CHAR_PX));
  let lines = 0;
  let start = 0;
  while (start <= text.length) {
    const end = text.indexOf('\n', start);
    const length = (end === -1 ? text.length : end) - start;
    lines += Math.max(1, Math.ceil(length / columns));
    if (end === -1) break;
    start = end + 1;
  }
  return MESSAGE_PX + lines * LINE_PX;
}

/**
 * How many of the newest `messages` fill a `width` × `height` view (by {@link estimateHeight});
 * {@link FIRST_SCREEN_MESSAGES} when the view has no size.
 */
export function firstScreenCount(
  messages: readonly Pick<ChatMessageView, 'text'>[],
  width: number,
  height: number,
): number {
  if (width <= 0 || height <= 0) return Math.min(messages.length, FIRST_SCREEN_MESSAGES);
  let filled = 0;
  for (let count = 1; count <= messages.length; count++) {
    filled += estimateHeight(messages[messages.length - count]?.text ?? '', width);
    if (filled >= height) return count;
  }
  return messages.length;
}
