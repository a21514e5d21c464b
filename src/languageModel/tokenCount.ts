/**
 * `provideTokenCount` for one of VS Code's messages: the tokens of the message **as it goes to
 * OpenRouter** (toWire.ts), so VS Code trims its history by what is sent — a JSON or text data
 * part in a tool result by its text (not as an image), an image by {@link IMAGE_TOKENS}, a cache
 * hint or thinking text (never sent back) by nothing, a tool call by its name and JSON arguments,
 * an earlier answer's `reasoning_details` by their JSON. Pure.
 */
import { IMAGE_TOKENS } from '../chat/images';
import { estimateTokens } from '../context/tokens';
import { toWireMessages, type LmWireMessage } from './toWire';
import type { LmMessage } from './types';

/** What each wire message adds besides its content (role and separators). */
const MESSAGE_OVERHEAD = 4;

/** Tokens of a VS Code message as sent. */
export function messageTokens(message: LmMessage): number {
  return toWireMessages([message]).reduce((n, m) => n + MESSAGE_OVERHEAD + wireTokens(m), 0);
}

function wireTokens(m: LmWireMessage): number {
  let total = 0;
  if (typeof m.content === 'string') total += estimateTokens(m.content);
  else if (m.content)
    for (const part of m.content) total += part.type === 'image_url' ? IMAGE_TOKENS : estimateTokens(part.text);
  if ('tool_calls' in m)
    for (const call of m.tool_calls ?? []) total += estimateTokens(`${call.function.name} ${call.function.arguments}`);
  if ('reasoning_details' in m && m.reasoning_details?.length)
    total += estimateTokens(JSON.stringify(m.reasoning_details));
  return total;
}
