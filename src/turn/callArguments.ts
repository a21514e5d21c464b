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
    if (this.repeatedBy(piece)) return;
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
    this.plain += piece;
    this.plainScan.feed(piece);
  }

  /**
   * True when `piece` is the call's whole arguments again, however its tokens are spaced or its
   * keys ordered: providers that stream the arguments and then re-send them in a closing chunk
   * (some re-serialised, `{"a": 1}` then `{"a":1}`) would otherwise make `{…}{…}` (a call never
   * run), or a second call of the same arguments (./deltas.ts). Only a piece that could be a whole
   * object, after arguments that already are one, is parsed.
   */
  repeatedBy(piece: string): boolean {
    const whole = this.plainScan.wholeObject || this.restartedScan?.wholeObject === true;
    if (!whole || !looksWhole(piece)) return false;
    return sameValue(this.text, piece);
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

/** Cheap test before parsing: the piece starts with `{` and ends with `}` (whitespace aside). */
function looksWhole(piece: string): boolean {
  return /^\s*\{/.test(piece) && /\}\s*$/.test(piece);
}

/** True when both texts parse to the same JSON value (spacing and key order aside). */
function sameValue(a: string, b: string): boolean {
  try {
    return canonical(JSON.parse(a)) === canonical(JSON.parse(b));
  } catch {
    return false;
  }
}

/** A JSON value as text with every object's keys sorted. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
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
