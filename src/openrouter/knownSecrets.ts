/**
 * Where a known secret (the user's stored keys, the environment's key) shows in a text, in the
 * forms a command or a model can print it without trying hard: whole or in pieces of at least
 * {@link MIN_FRAGMENT} characters (`cut -c30-`, a key split over two lines or two outputs), with
 * whitespace, invisible characters or ANSI escapes between its characters, upper-cased,
 * percent-encoded (`%73%6b…`) or JSON/C-escaped (`\u0073k…`, `\x73k…`), reversed, hex-encoded,
 * or base64 / base64url-encoded at any alignment (so `base64 <<< "KEY=$KEY"` is found too).
 *
 * A piece of 16 characters of a generated key is never in other text by chance. Shorter pieces, and
 * encodings beyond these (rot13, XOR, one character per line of a loop), are not found: they are
 * kept from commands by the environment's scrub and the sandbox (src/agent/sandbox/), not here.
 * Pure and linear in the text's length.
 */
import { INVISIBLE_CHARS } from '../protocol/invisibleText';

/** The shortest piece of a known secret that is found on its own. */
export const MIN_FRAGMENT = 16;

/** The text as compared: one UTF-16 code per kept character, lower-cased, with where it came from in the text. */
interface Skeleton {
  readonly length: number;
  readonly codes: Uint16Array;
  readonly from: Int32Array;
  readonly to: Int32Array;
}

/** CSI (`ESC [ … m`), OSC (`ESC ] … BEL`) and two-character escapes. */
const ANSI = /\x1b\[[0-?]{0,32}[ -/]{0,8}[@-~]|\x1b\][^\x07\x1b]{0,2000}(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/y;
const ESCAPED = /%([0-9a-f]{2})|\\u([0-9a-f]{4})|\\x([0-9a-f]{2})/iy;
const SKIPPED = new RegExp(`^(?:\\s|${INVISIBLE_CHARS.source})$`, 'u');
const PERCENT = 0x25;
const BACKSLASH = 0x5c;
const ESC = 0x1b;

const lower = (code: number): number => (code >= 0x41 && code <= 0x5a ? code + 32 : code);

/** The text as compared: escapes decoded, ANSI, whitespace and invisible characters left out, ASCII lower-cased. */
function skeleton(text: string): Skeleton {
  const codes = new Uint16Array(text.length);
  const from = new Int32Array(text.length);
  const to = new Int32Array(text.length);
  let n = 0;
  const keep = (code: number, start: number, end: number): void => {
    codes[n] = lower(code);
    from[n] = start;
    to[n++] = end;
  };
  for (let i = 0; i < text.length;) {
    const code = text.charCodeAt(i);
    if (code > 0x20 && code < 0x7f && code !== PERCENT && code !== BACKSLASH) {
      keep(code, i, ++i);
      continue;
    }
    const sticky = code === ESC ? ANSI : code === PERCENT || code === BACKSLASH ? ESCAPED : undefined;
    if (sticky) {
      sticky.lastIndex = i;
      const m = sticky.exec(text);
      if (m && sticky === ESCAPED) keep(parseInt((m[1] ?? m[2] ?? m[3]) as string, 16), i, i + m[0].length);
      if (m || code === ESC) {
        i += m ? m[0].length : 1;
        continue;
      }
    }
    const point = String.fromCodePoint(text.codePointAt(i) as number);
    if (!SKIPPED.test(point)) keep(point.length === 1 ? code : 0xfffd, i, i + point.length);
    i += point.length;
  }
  return { length: n, codes, from, to };
}

/** Three codes as one number (a cheap first test before a piece is compared). */
const triple = (a: number, b: number, c: number): number => (a * 65536 + b) * 65536 + c;

const base64 = (bytes: Buffer): string => bytes.toString('base64');

/** A secret's forms, lower-cased: itself, reversed, hex, and base64 / base64url at each of the three alignments. */
function forms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const out = [secret, [...secret].reverse().join(''), bytes.toString('hex')];
  for (let k = 0; k < 3; k++) {
    const whole = Math.floor((bytes.length - k) / 3) * 3;
    const encoded = base64(bytes.subarray(k, k + whole));
    out.push(encoded, encoded.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return out.map((f) => f.toLowerCase());
}

/** Every piece of {@link MIN_FRAGMENT} characters of every form of every secret. */
function pieces(secrets: readonly string[]): Set<string> {
  const set = new Set<string>();
  for (const secret of secrets) {
    if (typeof secret !== 'string' || secret.trim().length < MIN_FRAGMENT) continue;
    for (const form of forms(secret.trim()))
      for (let i = 0; i + MIN_FRAGMENT <= form.length; i++) set.add(form.slice(i, i + MIN_FRAGMENT));
  }
  return set;
}

/**
 * The spans (`[start, end)` of `text`, in order, not overlapping) that hold a known secret or a
 * piece of one, in any of the forms above. Secrets shorter than {@link MIN_FRAGMENT} are the exact
 * matcher's (secrets.ts).
 */
export function knownSecretSpans(text: string, secrets: readonly string[]): [number, number][] {
  const wanted = pieces(secrets);
  if (wanted.size === 0 || text.length < MIN_FRAGMENT) return [];
  const starts = new Set([...wanted].map((p) => triple(p.charCodeAt(0), p.charCodeAt(1), p.charCodeAt(2))));
  const sk = skeleton(text);
  const spans: [number, number][] = [];
  for (let i = 0; i + MIN_FRAGMENT <= sk.length; i++) {
    if (!starts.has(triple(sk.codes[i] as number, sk.codes[i + 1] as number, sk.codes[i + 2] as number))) continue;
    if (!wanted.has(String.fromCharCode(...sk.codes.subarray(i, i + MIN_FRAGMENT)))) continue;
    const start = sk.from[i] as number;
    const end = sk.to[i + MIN_FRAGMENT - 1] as number;
    const last = spans.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else spans.push([start, end]);
  }
  return spans;
}

/** `text` with each span replaced by `mark`. */
export function replaceSpans(text: string, spans: readonly (readonly [number, number])[], mark: string): string {
  let out = '';
  let at = 0;
  for (const [start, end] of spans) {
    out += text.slice(at, start) + mark;
    at = end;
  }
  return out + text.slice(at);
}
