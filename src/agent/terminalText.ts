/**
 * A program's output as plain text, read as a stream: its bytes arrive in chunks that may cut a
 * UTF-8 character or an escape sequence (a colour, a cursor move, a window title, a link) in two,
 * so nothing is decided at a chunk's end — the unfinished character or sequence waits for the next
 * chunk, and the end of the stream settles what is left. Each stream (stdout, stderr) needs its
 * own reader. Pure.
 *
 * Removed: ECMA-48 escape sequences (CSI `ESC [ … final`, the strings OSC / DCS / SOS / PM / APC
 * up to BEL or ST, two- and three-byte escapes such as `ESC ( B` or `ESC 7`, their 8-bit C1 forms)
 * and carriage returns that do not start a CRLF (progress bars redraw their line with them).
 */

/** A sequence longer than this without its end is given up: dropped up to here, text again after. */
const MAX_SEQUENCE = 4096;

/** Where the escape sequence starting at `start` ends (exclusive), or `undefined` when `text` stops first. */
function sequenceEnd(text: string, start: number): number | undefined {
  const limit = start + MAX_SEQUENCE;
  const first = text.charCodeAt(start);
  let i = start + 1;
  let kind: 'csi' | 'string' | 'escape';
  if (first === 0x9b) kind = 'csi';
  else if (first === 0x9d || first === 0x90 || first === 0x98 || first === 0x9e || first === 0x9f) kind = 'string';
  else {
    if (i >= text.length) return undefined;
    const next = text[i]!;
    i++;
    if (next === '[') kind = 'csi';
    else if (next === ']' || next === 'P' || next === 'X' || next === '^' || next === '_') kind = 'string';
    else if (next >= ' ' && next <= '~') {
      // `ESC final` (ESC 7, ESC =, ESC M), or `ESC intermediates final` (ESC ( B, ESC # 8).
      if (next >= '0') return i;
      kind = 'escape';
    } else return i - 1; // ESC before a control or a non-ASCII character: the ESC alone goes.
  }
  for (; i < text.length && i < limit; i++) {
    const c = text.charCodeAt(i);
    if (kind === 'string') {
      if (c === 0x07 || c === 0x9c) return i + 1;
      if (c === 0x1b) {
        if (i + 1 >= text.length) return undefined;
        if (text[i + 1] === '\\') return i + 2;
      }
    } else if (kind === 'csi') {
      if (c >= 0x40 && c <= 0x7e) return i + 1;
      if (c < 0x20 || c > 0x3f) return i; // Not a CSI byte: the sequence was cut short; this character stays.
    } else {
      if (c >= 0x30 && c <= 0x7e) return i + 1;
      if (c < 0x20 || c > 0x2f) return i;
    }
  }
  return i >= limit ? limit : undefined;
}

function isIntroducer(code: number): boolean {
  return (
    code === 0x1b || code === 0x9b || code === 0x9d || code === 0x90 || code === 0x98 || code === 0x9e || code === 0x9f
  );
}

/** Text in, the same text without terminal control sequences out; chunk boundaries anywhere. */
export class PlainTextStream {
  private held = '';

  /** The plain text of everything up to what might still be the start of a sequence or a CRLF. */
  push(chunk: string): string {
    const text = this.held + chunk;
    this.held = '';
    let out = '';
    let from = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x0d) {
        if (i + 1 >= text.length) {
          out += text.slice(from, i);
          this.held = '\r';
          return out;
        }
        if (text[i + 1] !== '\n') {
          out += text.slice(from, i);
          from = i + 1;
        }
      } else if (isIntroducer(c)) {
        out += text.slice(from, i);
        const end = sequenceEnd(text, i);
        if (end === undefined) {
          this.held = text.slice(i);
          return out;
        }
        from = end;
        i = end - 1;
      }
    }
    return out + text.slice(from);
  }

  /** The end of the stream: an unfinished sequence or a last lone carriage return is dropped. */
  end(): string {
    this.held = '';
    return '';
  }
}

/** One output stream's bytes: decoded as UTF-8 across chunks, and that text without control sequences. */
export class TerminalTextStream {
  private readonly decoder = new TextDecoder('utf-8');
  private readonly plainText = new PlainTextStream();
  private ended = false;

  /** `text` as the terminal should get it (escapes kept), `plain` for the card and the model. */
  push(bytes: Uint8Array): { text: string; plain: string } {
    const text = this.decoder.decode(bytes, { stream: true });
    return { text, plain: this.plainText.push(text) };
  }

  /** What is left at the end of the stream (a cut character becomes �); nothing on a second call. */
  end(): { text: string; plain: string } {
    if (this.ended) return { text: '', plain: '' };
    this.ended = true;
    const text = this.decoder.decode();
    return { text, plain: this.plainText.push(text) + this.plainText.end() };
  }
}

/** Terminal output as text, all at once. */
export function stripTerminalControls(text: string): string {
  const stream = new PlainTextStream();
  return stream.push(text) + stream.end();
}

/** The last `max` UTF-16 units of `text`, never starting on the second half of a character (an emoji cut in two). */
export function keepEnd(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = text.slice(text.length - Math.max(0, max));
  const first = end.charCodeAt(0);
  return first >= 0xdc00 && first <= 0xdfff ? end.slice(1) : end;
}
