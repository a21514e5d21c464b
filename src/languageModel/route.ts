/**
 * The route request of a VS Code chat request, and the conversation it belongs to (for sticky
 * routing). Pure.
 */
import { AUTO_BY_TASK_DEFAULT } from '../config/defaults';
import { IMAGE_TOKENS } from '../chat/images';
import { AGENT_TIER } from '../agent/tiers';
import type { RouteRequest } from '../routing/types';
import type { LmTarget } from './models';
import type { LmWireMessage, WireFunctionTool } from './toWire';
import type { LmMessage } from './types';

/** Estimated prompt tokens: every message's text (tool calls and results included), images, and the tool definitions. */
export function promptTokens(
  messages: readonly LmWireMessage[],
  tools: readonly WireFunctionTool[],
  tokens: (text: string) => number,
): number {
  let total = tools.length ? tokens(JSON.stringify(tools)) : 0;
  for (const m of messages) {
    total += 4;
    if (typeof m.content === 'string') total += tokens(m.content);
    else if (m.content) for (const part of m.content) total += part.type === 'text' ? tokens(part.text) : IMAGE_TOKENS;
    if (m.role === 'assistant' && 'tool_calls' in m && m.tool_calls) total += tokens(JSON.stringify(m.tool_calls));
  }
  return total;
}

/**
 * What the router plans: Auto goes by tier (`agent` when VS Code offers tools, else `chat`; no
 * tier set: OpenRouter's router); a model or a route is the pick. Tools need tool-capable models
 * and providers that take the parameters (`require_parameters`).
 */
export function lmRouteRequest(
  target: LmTarget,
  input: {
    readonly promptTokens: number;
    readonly maxOutputTokens: number;
    readonly needsTools: boolean;
    readonly needsVision: boolean;
    readonly affinity?: RouteRequest['affinity'];
  },
): RouteRequest {
  const pick =
    target.kind === 'auto'
      ? { byTaskDefault: AUTO_BY_TASK_DEFAULT }
      : { pickedModel: target.kind === 'model' ? target.model : target.name };
  return {
    tier: input.needsTools ? AGENT_TIER : 'chat',
    ...pick,
    promptTokens: input.promptTokens,
    maxOutputTokens: input.maxOutputTokens,
    needsVision: input.needsVision,
    needsTools: input.needsTools,
    ...(input.needsTools ? { parameters: ['tools', 'tool_choice'] } : {}),
    ...(input.affinity ? { affinity: input.affinity } : {}),
  };
}

/**
 * A key for the conversation a request belongs to: VS Code sends the whole history each time, so
 * its first user turn (with the model asked) names it. Hashed: no text is kept.
 */
export function conversationKey(target: LmTarget, messages: readonly LmMessage[]): string {
  const first = messages.find((m) => m.role === 'user');
  const text = first ? first.content.map((p) => (p.kind === 'text' ? p.text : p.kind)).join('') : '';
  return `vscode-${fnv1a(`${JSON.stringify(target)}\u0000${text}`)}`;
}

/** FNV-1a, 64 bits as hex (not for security: a stable, short name). */
function fnv1a(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) {
    hash ^= BigInt(text.charCodeAt(i));
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}
