/**
 * Assembles streamed tool calls (OpenAI / OpenRouter `choices[].delta.tool_calls`) by `index`:
 * the `id` and `function.name` may come only in a call's first delta, `function.arguments` in
 * many pieces, several calls interleaved, or a whole call in one chunk; a chunk with
 * `choices: []` (usage) carries none. Also merges streamed `reasoning_details` so they can be
 * replayed verbatim. Pure.
 */

import type { WireToolCallDelta } from '../openrouter/wire';

/** One entry of `delta.tool_calls` as streamed. */
export type ToolCallDelta = WireToolCallDelta;

/** A finished call, before its arguments are parsed. */
export interface AssembledCall {
  readonly index: number;
  readonly id: string;
  readonly name: string;
  /** The JSON text exactly as streamed (may be invalid JSON; the caller turns that into an error result). */
  readonly arguments: string;
}

export class ToolCallAssembler {
  private readonly calls = new Map<number, { id: string; name: string; arguments: string }>();
  /** For deltas without an `index` (some providers): the last call seen. */
  private last = -1;

  push(deltas: readonly ToolCallDelta[] | null | undefined): void {
    for (const delta of deltas ?? []) {
      const index = typeof delta.index === 'number' ? delta.index : delta.id ? this.calls.size : Math.max(this.last, 0);
      this.last = index;
      let call = this.calls.get(index);
      if (!call) {
        call = { id: '', name: '', arguments: '' };
        this.calls.set(index, call);
      }
      if (delta.id) call.id = delta.id;
      if (delta.function?.name) call.name += call.name && call.name === delta.function.name ? '' : delta.function.name;
      if (delta.function?.arguments) call.arguments += delta.function.arguments;
    }
  }

  get size(): number {
    return this.calls.size;
  }

  /** The calls in `index` order. A call the stream never named gets a generated id (`call_<index>`). */
  finish(): AssembledCall[] {
    return [...this.calls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, c]) => ({ index, id: c.id || `call_${index}`, name: c.name, arguments: c.arguments }));
  }
}

/** Reasoning details are merged by the pure reasoning module (shared with chat answers). */
export { ReasoningAssembler, type ReasoningDetail } from '../openrouter/reasoning';
