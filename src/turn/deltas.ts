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

/** The longest tool-call id kept as the model sent it. */
export const MAX_CALL_ID = 64;
/** The longest tool name kept. */
export const MAX_CALL_NAME = 128;
const USABLE_ID = new RegExp(`^[\\x21-\\x7e]{1,${MAX_CALL_ID}}$`);

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

  /**
   * The calls in `index` order, each with an id of its own: a call the stream never named, or whose
   * id is over {@link MAX_CALL_ID} characters, holds spaces or invisible characters, or repeats an
   * earlier call's of this response, gets a generated one (`call_<index>`) — the user approves a
   * card by its id, so two calls must never share one. A name is cut at {@link MAX_CALL_NAME}
   * characters (no tool has a longer one; the call is refused as unknown).
   */
  finish(): AssembledCall[] {
    const taken = new Set<string>();
    return [...this.calls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, c]) => {
        let id = USABLE_ID.test(c.id) && !taken.has(c.id) ? c.id : `call_${index}`;
        for (let n = 1; taken.has(id); n++) id = `call_${index}_${n}`;
        taken.add(id);
        return { index, id, name: c.name.slice(0, MAX_CALL_NAME), arguments: c.arguments };
      });
  }
}

/** Reasoning details are merged by the pure reasoning module (shared with chat answers). */
export { ReasoningAssembler, type ReasoningDetail } from '../openrouter/reasoning';
