/**
 * OpenRouter's stream → the parts VS Code's chat receives: text and thinking as they arrive, tool
 * calls once the attempt has finished (their arguments stream in pieces and are parsed whole), each
 * with the id the model gave it, so the tool result VS Code sends back carries the same
 * `tool_call_id`. A continuation of a broken answer is spliced on without repeating what was
 * already reported. Pure.
 */
import { ContinuationSplicer } from '../chat/continuation';
import type { AssembledCall } from '../turn/deltas';
import type { LmResponsePart } from './types';

/** Tool calls as response parts; a call whose arguments are not a JSON object is said as text, never run. */
export function toolCallParts(calls: readonly AssembledCall[]): LmResponsePart[] {
  return calls.map((call): LmResponsePart => {
    const input = parseArguments(call.arguments);
    if (!call.name) return { kind: 'text', text: `\n\n(The model sent a tool call without a name; it was not run.)` };
    if (!input)
      return {
        kind: 'text',
        text: `\n\n(The model called ${call.name} with arguments that are not a JSON object; it was not run.)`,
      };
    return { kind: 'toolCall', callId: call.id, name: call.name, input };
  });
}

/** A call's arguments as an object; empty text is `{}` (a tool without parameters); anything else that is not an object: undefined. */
function parseArguments(text: string): object | undefined {
  if (!text.trim()) return {};
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The answer's stream: text and thinking go to `report` at once; the tool calls the turn layer
 * assembled go by {@link finish} once the turn succeeded (a failed attempt's calls are never
 * reported, so a tool never runs twice).
 */
export class ResponseStream {
  /** Answer text reported during the current attempt (for recovery of a broken stream). */
  private attemptText = '';
  /** Splices a continuation onto the text VS Code already has (src/chat/continuation.ts), as the chat does. */
  private splicer: ContinuationSplicer | undefined;

  constructor(private readonly report: (part: LmResponsePart) => void) {}

  /** A new attempt starts; `partial` is the answer VS Code has so far when it continues a broken one. */
  beginAttempt(partial = ''): void {
    this.attemptText = '';
    this.splicer = partial ? new ContinuationSplicer(partial) : undefined;
  }

  /** A streamed piece: reported unless a continuation is only repeating what VS Code already shows. */
  text(piece: string): void {
    this.show(this.splicer ? this.splicer.push(piece) : piece);
  }

  /** The attempt finished: reports what a continuation held back and was new; returns the attempt's text. */
  endAttempt(): string {
    this.show(this.splicer?.end() ?? '');
    return this.attemptText;
  }

  private show(piece: string): void {
    if (!piece) return;
    this.attemptText += piece;
    this.report({ kind: 'text', text: piece });
  }

  thinking(piece: string): void {
    if (piece) this.report({ kind: 'thinking', text: piece });
  }

  /** Text of the current attempt so far. */
  get streamedText(): string {
    return this.attemptText;
  }

  /**
   * Reports the served attempt's `reasoning_details` (as an empty thinking part that carries them,
   * so VS Code sends them back with the history) and its tool calls; returns how many calls.
   */
  finish(calls: readonly AssembledCall[], details: readonly Readonly<Record<string, unknown>>[] = []): number {
    if (details.length) this.report({ kind: 'thinking', text: '', details });
    const parts = toolCallParts(calls);
    for (const part of parts) this.report(part);
    return parts.filter((p) => p.kind === 'toolCall').length;
  }
}
