/**
 * One streamed tool call's `function.arguments`. The wire's rule is that each delta carries the
 * next piece, to append; some providers (DeepSeek, Baidu Qianfan behind OpenAI-compatible APIs)
 * instead re-send everything so far in every chunk, from the first chunk or switching to it
 * mid-stream, and appending gives `{"a{"ab…` and a call never run. Which was meant cannot always
 * be told from one chunk (`{"a":` then `{"a":1}` could begin `{"a":{"a":1}}`), so the arguments
 * are read both ways and the end decides: the pieces appended when that makes one whole object —
 * a normal stream is never altered, whatever its strings hold — else the reading where a piece
 * that repeats everything so far replaces it, when that does. Pure.
 */
import { JsonPrefix } from './jsonPrefix';

/** Leading whitespace of the arguments so far that a re-sent piece may leave out. */
const LEADING_SLACK = 64;

export class StreamedArguments {
  /** The pieces appended, as the wire's rule says. */
  private plain = '';
  private readonly plainScan = new JsonPrefix();
  /** The reading where a piece that starts with everything so far replaces it; undefined while that never happened. */
  private restarted: string | undefined;
  private restartedScan: JsonPrefix | undefined;

  /** Reads the next `arguments` piece of the call. */
  take(piece: string): void {
    const sofar = this.restarted ?? this.plain;
    if (restartsArguments(sofar, piece)) {
      // Read on from where the arguments so far ended when the piece repeats them exactly.
      if (piece.startsWith(sofar)) {
        this.restartedScan = (this.restartedScan ?? this.plainScan).clone();
        this.restartedScan.feed(piece.slice(sofar.length));
      } else this.restartedScan = JsonPrefix.of(piece);
      this.restarted = piece;
    } else if (this.restarted !== undefined) {
      this.restarted += piece;
      this.restartedScan!.feed(piece);
    }
    if (repeatsWhole(this.plain, piece)) return;
    this.plain += piece;
    this.plainScan.feed(piece);
  }

  /** The arguments: the reading that makes one whole object (the appended one first), else the pieces appended. */
  get text(): string {
    if (this.restarted === undefined || this.plainScan.wholeObject) return this.plain;
    return this.restartedScan!.wholeObject ? this.restarted : this.plain;
  }
}

/**
 * True when `piece` is everything streamed so far again, and maybe more (leading whitespace
 * aside). Only a piece about as long as the arguments so far is compared, so a big call streamed
 * in thousands of small pieces is not re-read per piece.
 */
function restartsArguments(args: string, piece: string): boolean {
  // Lengths first: reading the arguments so far would copy them (they are built piece by piece).
  if (!args || piece.length + LEADING_SLACK < args.length) return false;
  const start = args.trimStart();
  return start.length > 0 && piece.length >= start.length && piece.trimStart().startsWith(start);
}

/**
 * True when `piece` is the call's whole arguments again: providers that stream the arguments and
 * then re-send them in a closing chunk would otherwise make `{…}{…}` (and a call never run).
 */
export function repeatsWhole(args: string, piece: string): boolean {
  // Lengths first: a big call streamed in thousands of small pieces must not copy its arguments per piece.
  if (Math.abs(piece.length - args.length) > 64) return false;
  return piece.trim() === args.trim() && isWholeObject(args);
}

export function isWholeObject(text: string): boolean {
  if (!text.trimEnd().endsWith('}')) return false;
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
  } catch {
    return false;
  }
}
