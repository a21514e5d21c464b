/**
 * A thinking model (issue 13): for a model whose catalogue entry accepts `reasoning`, a chat
 * request that asks for it (`reasoning.effort` other than `none`, or `reasoning.max_tokens`) — or
 * any request when the model's reasoning is `mandatory` — is answered with thinking first, in the
 * shapes providers stream it:
 *
 * - `both` (default): each piece in `delta.reasoning` and in a `reasoning.text` detail (index 0,
 *   `format`), then a closing detail with the `signature`, like Anthropic through OpenRouter;
 * - `details`: only `reasoning_details` of type `reasoning.text` (`delta.reasoning` null);
 * - `summary`: only `reasoning.summary` details (OpenAI o-series style).
 *
 * Then `encryptedPieces` (default 1) `reasoning.encrypted` details (index 1, `data` in pieces)
 * that carry no text, `encryptedDelayMs` apart — a long silent think. `usage` reports the thinking
 * as `completion_tokens_details.reasoning_tokens` (included in `completion_tokens`).
 */
import type { ChatMessage } from './answer';
import { estimateTokens, lastUserText } from './answer';
import type { Catalogue } from './catalogue';

/** How the fake streams thinking (`setOptions({ reasoning })`). */
export interface ReasoningSettings {
  readonly shape?: 'both' | 'details' | 'summary';
  readonly encryptedPieces?: number;
  readonly encryptedDelayMs?: number;
}

/** One chunk's `delta` fields of thinking, and the delay before it (ms; undefined = the token delay). */
export interface ThinkingChunk {
  readonly delta: Readonly<Record<string, unknown>>;
  readonly delayMs?: number;
}

/** What a thinking answer streams before its content, and its reasoning tokens. */
export interface Thinking {
  readonly chunks: readonly ThinkingChunk[];
  readonly text: string;
  readonly tokens: number;
}

/** The effort (or budget) a request asks for, or undefined when it asks for none. */
function requested(body: Readonly<Record<string, unknown>>): string | undefined {
  const r = body.reasoning;
  if (typeof r !== 'object' || r === null) return undefined;
  const { effort, max_tokens: budget } = r as { effort?: unknown; max_tokens?: unknown };
  if (effort === 'none') return 'none';
  if (typeof effort === 'string') return effort;
  if (typeof budget === 'number') return `a ${budget}-token budget`;
  return undefined;
}

/** The thinking of an answer, or undefined when the model does not think for this request. */
export function thinkingFor(
  catalogue: Catalogue,
  model: string,
  body: Readonly<Record<string, unknown>>,
  messages: readonly ChatMessage[],
  settings: ReasoningSettings | undefined,
  signature: string,
): Thinking | undefined {
  const entry = catalogue.model(model) as
    { supported_parameters?: unknown; reasoning?: { mandatory?: unknown } } | undefined;
  const accepts = Array.isArray(entry?.supported_parameters) && entry.supported_parameters.includes('reasoning');
  if (!accepts) return undefined;
  const effort = requested(body);
  const mandatory = entry?.reasoning?.mandatory === true;
  if (effort === 'none' ? !mandatory : !effort && !mandatory) return undefined;
  const question = lastUserText(messages).slice(0, 80);
  const text = `Thinking about "${question}" with ${effort && effort !== 'none' ? `${effort} effort` : 'the default effort'}.\n\nFirst, what is asked; then **the answer**.`;
  const pieces = text.match(/\s*\S+\s*/g) ?? [text];
  const shape = settings?.shape ?? 'both';
  const chunks: ThinkingChunk[] = pieces.map((piece, i) => {
    if (shape === 'summary')
      return {
        delta: {
          content: null,
          reasoning: null,
          reasoning_details: [{ type: 'reasoning.summary', summary: piece, format: 'openai-responses-v1', index: 0 }],
        },
      };
    const detail = {
      type: 'reasoning.text',
      text: piece,
      index: 0,
      ...(i === 0 ? { format: 'anthropic-claude-v1' } : {}),
    };
    return { delta: { content: '', reasoning: shape === 'both' ? piece : null, reasoning_details: [detail] } };
  });
  if (shape !== 'summary')
    chunks.push({
      delta: { content: '', reasoning_details: [{ type: 'reasoning.text', text: '', signature, index: 0 }] },
    });
  const encrypted = settings?.encryptedPieces ?? 1;
  for (let i = 0; i < encrypted; i++) {
    const data = `${Buffer.from(`${signature}:${i}`).toString('base64')}`;
    const detail = {
      type: 'reasoning.encrypted',
      data,
      index: 1,
      ...(i === 0 ? { id: `rs_${signature}`, format: 'anthropic-claude-v1' } : {}),
    };
    chunks.push({
      delta: { content: '', reasoning_details: [detail] },
      ...(settings?.encryptedDelayMs !== undefined ? { delayMs: settings.encryptedDelayMs } : {}),
    });
  }
  return { chunks, text, tokens: estimateTokens(text) };
}
