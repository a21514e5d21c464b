/**
 * The `reasoning_details` of earlier answers as an attempt sends them: verbatim to a model of the
 * vendor that made them (providers require them back unchanged, in order, with the tool calls),
 * left out for another vendor's model after a fallback (src/openrouter/reasoning.ts `detailsFor`).
 * Pure.
 */
import { detailsFor, type ReasoningDetail } from '../openrouter/reasoning';

type WithDetails = { readonly role?: unknown; readonly reasoning_details?: readonly ReasoningDetail[] };

/** `messages` with each assistant turn's details fitted to `model`; a turn left with none carries no `reasoning_details`. */
export function replayReasoning<M>(messages: readonly M[], model: string): M[] {
  return messages.map((message) => {
    const m = message as WithDetails;
    if (m.role !== 'assistant' || !Array.isArray(m.reasoning_details)) return message;
    const kept = detailsFor(model, m.reasoning_details);
    if (kept.length === m.reasoning_details.length) return message;
    const { reasoning_details: _dropped, ...rest } = m;
    return (kept.length ? { ...rest, reasoning_details: kept } : rest) as M;
  });
}
