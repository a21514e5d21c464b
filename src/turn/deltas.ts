/**
 * Assembles streamed tool calls (OpenAI / OpenRouter `choices[].delta.tool_calls`) by `index`:
 * the `id` and `function.name` may come only in a call's first delta, `function.arguments` in
 * many pieces, several calls interleaved, or a whole call in one chunk; a chunk with
 * `choices: []` (usage) carries none. Providers that break the rule are followed too: parallel
 * calls all streamed at `index` 0 (Gemini) are kept apart, and deltas without an `index` are
 * matched by their id, and arguments re-sent whole in every chunk are not doubled (./callArguments.ts). Also merges streamed `reasoning_details` so they can be
 * replayed verbatim. Pure.
 */

import type { WireToolCallDelta } from '../openrouter/wire';
import { isWholeObject, StreamedArguments } from './callArguments';

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

/** A call being assembled. */
interface Slot {
  key: number;
  id: string;
  name: string;
  readonly arguments: StreamedArguments;
}

export class ToolCallAssembler {
  /** The calls in the order they began; `key` orders them (the stream's `index`, else their place). */
  private readonly calls: Slot[] = [];
  /** The call each stream `index` now feeds. */
  private readonly byIndex = new Map<number, number>();
  /** For deltas without an `index` (some providers): the last call seen. */
  private last = -1;

  push(deltas: readonly ToolCallDelta[] | null | undefined): void {
    for (const delta of deltas ?? []) {
      const at = this.slotOf(delta);
      this.last = at;
      const call = this.calls[at]!;
      if (delta.id) call.id = delta.id;
      if (delta.function?.name) call.name += call.name && call.name === delta.function.name ? '' : delta.function.name;
      if (delta.function?.arguments) call.arguments.take(delta.function.arguments);
    }
  }

  /**
   * Which call a delta feeds. By its `index`, unless it plainly starts another call there (Gemini
   * streams parallel calls all at `index` 0; see {@link startsAnother}). Without an `index`: the
   * call of the same id, a new call for a new id, else the last call (unless it starts another).
   */
  private slotOf(delta: ToolCallDelta): number {
    if (typeof delta.index === 'number') {
      const at = this.byIndex.get(delta.index);
      if (at !== undefined && !startsAnother(this.calls[at]!, delta)) return at;
      const added = this.add(delta.index);
      this.byIndex.set(delta.index, added);
      return added;
    }
    if (delta.id) {
      const same = this.calls.findIndex((c) => c.id === delta.id);
      return same >= 0 ? same : this.add(this.calls.length);
    }
    if (this.last >= 0 && !startsAnother(this.calls[this.last]!, delta)) return this.last;
    return this.add(this.calls.length);
  }

  private add(key: number): number {
    this.calls.push({ key, id: '', name: '', arguments: new StreamedArguments() });
    return this.calls.length - 1;
  }

  get size(): number {
    return this.calls.length;
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
    return this.calls
      .map((c, order) => ({ c, order }))
      .sort((a, b) => a.c.key - b.c.key || a.order - b.order)
      .map(({ c }, index) => {
        let id = USABLE_ID.test(c.id) && !taken.has(c.id) ? c.id : `call_${index}`;
        for (let n = 1; taken.has(id); n++) id = `call_${index}_${n}`;
        taken.add(id);
        return { index, id, name: c.name.slice(0, MAX_CALL_NAME), arguments: c.arguments.text };
      });
  }
}

/**
 * True when `delta` cannot continue `call`, whose arguments already make a whole object: it brings
 * another id, or (without an id) another tool's name with arguments, or the same name with
 * arguments that open a new object other than the call's own. A call still being streamed is never split, whatever ids its pieces carry, nor by a
 * delta of its own id (a provider that re-sends the finished call: see `StreamedArguments.repeatedBy`).
 */
function startsAnother(call: Slot, delta: ToolCallDelta): boolean {
  const args = delta.function?.arguments;
  const otherId = !!delta.id && !!call.id && delta.id !== call.id;
  const reopens = !delta.id && !!delta.function?.name && args?.trimStart().startsWith('{') === true;
  if (!otherId && !reopens) return false;
  // Another tool's name is another call, even with the same arguments (`list_files {}`, then `get_diagnostics {}`).
  const otherName = reopens && delta.function!.name !== call.name;
  return isWholeObject(call.arguments.text) && (otherId || otherName || !call.arguments.repeatedBy(args!));
}

/** Reasoning details are merged by the pure reasoning module (shared with chat answers). */
export { ReasoningAssembler, type ReasoningDetail } from '../openrouter/reasoning';
