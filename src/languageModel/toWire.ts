/**
 * VS Code's request → OpenRouter's wire: messages (system, user, assistant, tool calls and tool
 * results with their ids, images as `image_url` parts) and `options.tools` → `tools`. Pure.
 *
 * - A user message's tool results become `tool` messages (one per result, `tool_call_id` = the
 *   call's id) placed first, right after the assistant turn that called them; its text and images
 *   follow as one user turn.
 * - Images (`LanguageModelDataPart` with an image type, sniffed from the bytes) become data URLs;
 *   images a tool returned follow the tool messages as a user turn (a `tool` message is text only).
 * - Text-like data (`text/*`, JSON) is decoded as text; other data (VS Code's cache hints) is left out.
 * - Thinking text of earlier answers is not sent back; its `reasoning_details` are, verbatim, on
 *   the assistant turn (Anthropic and Gemini refuse a tool turn whose signatures were dropped).
 */
import { imageDataUrl, sniffImageMime } from '../chat/images';
import { fittedByText } from '../openrouter/schemaFit';
import type { WireContentPart, WireMessage, WireToolCall, WireToolTurnMessage } from '../openrouter/wire';
import type { LmInputPart, LmMessage, LmTool, LmToolMode, LmToolResultContent } from './types';

/** A message of a request built from VS Code's: plain turns and tool turns. */
export type LmWireMessage = WireMessage | WireToolTurnMessage;

/** One function as OpenRouter's `tools` lists it. */
export interface WireFunctionTool {
  readonly type: 'function';
  readonly function: { readonly name: string; readonly description: string; readonly parameters: object };
}

const decoder = new TextDecoder('utf-8', { fatal: false });

/** VS Code's messages as OpenRouter messages, in order. */
export function toWireMessages(messages: readonly LmMessage[]): LmWireMessage[] {
  return messages.flatMap((m): LmWireMessage[] => {
    if (m.role === 'system') return [{ role: 'system', content: textOf(m.content) }];
    if (m.role === 'assistant') return [assistantTurn(m.content)];
    return userTurns(m.content);
  });
}

/** The text of a message's text and text-like data parts, joined. */
function textOf(parts: readonly LmInputPart[]): string {
  return parts
    .flatMap((p) =>
      p.kind === 'text' ? [p.text] : p.kind === 'data' && isTextData(p.mimeType) ? [decoder.decode(p.data)] : [],
    )
    .join('');
}

function isTextData(mimeType: string): boolean {
  const mime = mimeType.toLowerCase();
  return mime.startsWith('text/') || mime === 'application/json' || mime.endsWith('+json');
}

/** The data URL of an image part, when the bytes are an image Switchyard sends (PNG, JPEG, WebP, GIF). */
export function imageUrlOf(mimeType: string, data: Uint8Array): string | undefined {
  if (!mimeType.toLowerCase().startsWith('image/')) return undefined;
  // The bytes decide (a part's declared type is the caller's word): an unknown format is left out.
  const sniffed = sniffImageMime(data);
  return sniffed ? imageDataUrl(sniffed, data) : undefined;
}

function assistantTurn(parts: readonly LmInputPart[]): LmWireMessage {
  const text = textOf(parts);
  const calls = parts.flatMap((p): WireToolCall[] =>
    p.kind === 'toolCall'
      ? [{ id: p.callId, type: 'function', function: { name: p.name, arguments: argumentsText(p.input) } }]
      : [],
  );
  const details = parts.flatMap((p) => (p.kind === 'thinking' ? (p.details ?? []) : []));
  const replay = details.length ? { reasoning_details: details } : {};
  if (!calls.length) return { role: 'assistant', content: text, ...replay };
  return { role: 'assistant', content: text || null, tool_calls: calls, ...replay };
}

/** A call's input as the JSON text OpenRouter expects in `function.arguments`. */
function argumentsText(input: unknown): string {
  if (input === undefined || input === null) return '{}';
  try {
    return JSON.stringify(input);
  } catch {
    return '{}';
  }
}

function userTurns(parts: readonly LmInputPart[]): LmWireMessage[] {
  const out: LmWireMessage[] = [];
  const toolImages: string[] = [];
  for (const part of parts) {
    if (part.kind !== 'toolResult') continue;
    out.push({ role: 'tool', tool_call_id: part.callId, content: toolResultText(part.content, part.isError) });
    toolImages.push(...part.content.flatMap((c) => (c.kind === 'data' ? (imageUrlOf(c.mimeType, c.data) ?? []) : [])));
  }
  if (toolImages.length)
    out.push({
      role: 'user',
      content: [{ type: 'text', text: 'Images returned by the tools above:' }, ...toolImages.map(imagePart)],
    });
  const text = textOf(parts);
  const images = parts.flatMap((p) => (p.kind === 'data' ? (imageUrlOf(p.mimeType, p.data) ?? []) : []));
  if (images.length)
    out.push({ role: 'user', content: [...(text ? [{ type: 'text' as const, text }] : []), ...images.map(imagePart)] });
  else if (text || !out.length) out.push({ role: 'user', content: text });
  return out;
}

function imagePart(url: string): WireContentPart {
  return { type: 'image_url', image_url: { url } };
}

/** A tool result's text (its images go separately); an empty result says so, an error is marked. */
function toolResultText(content: readonly LmToolResultContent[], isError?: boolean): string {
  const text = content
    .flatMap((c) =>
      c.kind === 'text' ? [c.text] : c.kind === 'data' && isTextData(c.mimeType) ? [decoder.decode(c.data)] : [],
    )
    .join('\n');
  const body =
    text || (content.some((c) => c.kind === 'data') ? '(the tool returned an image; it follows)' : '(no output)');
  return isError ? `Error: ${body}` : body;
}

/**
 * `options.tools` as OpenRouter's `tools` (a tool without a schema takes an empty object), each
 * schema fitted to what every provider accepts (../openrouter/schemaFit.ts): VS Code hands over
 * other extensions' and MCP servers' tools as they declared them, again with every request, so
 * each distinct schema is fitted once.
 */
export function toWireTools(tools: readonly LmTool[]): WireFunctionTool[] {
  return tools.map((t) => ({
    type: 'function',
    function: {
      name: t.name,
      description: t.description,
      parameters: t.inputSchema ? fittedByText(t.inputSchema as Record<string, unknown>) : EMPTY_PARAMETERS,
    },
  }));
}

const EMPTY_PARAMETERS = { type: 'object', properties: {} } as const;

/** `tool_choice`: `required` when VS Code asks for a tool call, else `auto` (omitted without tools). */
export function toWireToolChoice(tools: readonly LmTool[], mode: LmToolMode): 'auto' | 'required' | undefined {
  if (!tools.length) return undefined;
  return mode === 'required' ? 'required' : 'auto';
}

/** True when any message carries an image (the request then needs a model that takes images). */
export function needsVision(messages: readonly LmWireMessage[]): boolean {
  return messages.some(
    (m) => typeof m.content !== 'string' && m.content !== null && m.content.some((p) => p.type === 'image_url'),
  );
}
