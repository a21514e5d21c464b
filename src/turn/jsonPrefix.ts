/**
 * Whether a text can still become one JSON value, and whether it is one whole object, read a
 * piece at a time: what the tool-call assembler (./callArguments.ts) asks to tell which reading of
 * a call's streamed arguments was meant. Lenient where models are (control characters inside strings pass); strict
 * about structure (brackets, keys, colons, commas, literals, numbers). Pure.
 */

type Expect = 'value' | 'firstValue' | 'key' | 'firstKey' | 'colon' | 'after' | 'done';

/** Number states; the ones in {@link NUMBER_ENDS} may end the number. */
const NUMBER_STEPS: Readonly<Record<string, (c: string) => string | undefined>> = {
  '-': (c) => (c === '0' ? '0' : isDigit(c) ? 'int' : undefined),
  '0': (c) => (c === '.' ? 'dot' : c === 'e' || c === 'E' ? 'e' : undefined),
  int: (c) => (isDigit(c) ? 'int' : c === '.' ? 'dot' : c === 'e' || c === 'E' ? 'e' : undefined),
  dot: (c) => (isDigit(c) ? 'frac' : undefined),
  frac: (c) => (isDigit(c) ? 'frac' : c === 'e' || c === 'E' ? 'e' : undefined),
  e: (c) => (c === '+' || c === '-' ? 'sign' : isDigit(c) ? 'exp' : undefined),
  sign: (c) => (isDigit(c) ? 'exp' : undefined),
  exp: (c) => (isDigit(c) ? 'exp' : undefined),
};
const NUMBER_ENDS = new Set(['0', 'int', 'frac', 'exp']);
const LITERALS: Readonly<Record<string, string>> = { t: 'rue', f: 'alse', n: 'ull' };

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

function isSpace(c: string): boolean {
  return c === ' ' || c === '\n' || c === '\r' || c === '\t';
}

/** A JSON value read so far; {@link feed} says whether it can still be completed. */
export class JsonPrefix {
  private ok = true;
  private expect: Expect = 'value';
  /** The open `{` and `[`, innermost last. */
  private stack = '';
  private string: 'no' | 'key' | 'value' = 'no';
  private backslash = false;
  private hex = 0;
  private literal = '';
  private number = '';
  /** The first character of the value: `{` for an object. */
  private root = '';

  /** The reader of `text` from the start. */
  static of(text: string): JsonPrefix {
    const scan = new JsonPrefix();
    scan.feed(text);
    return scan;
  }

  /** True while everything fed can still be completed into one JSON value. */
  get valid(): boolean {
    return this.ok;
  }

  /** Reads `text` on; false (for good) once it can no longer become JSON. */
  feed(text: string): boolean {
    for (let i = 0; this.ok && i < text.length; i++) this.ok = this.step(text[i]!);
    return this.ok;
  }

  clone(): JsonPrefix {
    return Object.assign(new JsonPrefix(), this);
  }

  /** True when what was fed is one whole JSON object (whitespace after it allowed). */
  get wholeObject(): boolean {
    return this.ok && this.expect === 'done' && this.root === '{';
  }

  private step(c: string): boolean {
    if (this.string !== 'no') return this.stringChar(c);
    if (this.literal) return this.literalChar(c);
    if (this.number) {
      const next = NUMBER_STEPS[this.number]!(c);
      if (next) return ((this.number = next), true);
      if (!NUMBER_ENDS.has(this.number)) return false;
      this.number = '';
      this.valueDone();
    }
    if (isSpace(c)) return true;
    switch (this.expect) {
      case 'firstValue':
        return c === ']' ? this.close('[') : this.startValue(c);
      case 'value':
        return this.startValue(c);
      case 'firstKey':
        return c === '}' ? this.close('{') : c === '"' && this.open('key');
      case 'key':
        return c === '"' && this.open('key');
      case 'colon':
        return c === ':' && ((this.expect = 'value'), true);
      case 'after':
        if (c === ',') return ((this.expect = this.stack.endsWith('{') ? 'key' : 'value'), true);
        return c === '}' ? this.close('{') : c === ']' && this.close('[');
      default:
        return false;
    }
  }

  private startValue(c: string): boolean {
    if (!this.stack) this.root = c;
    if (c === '{' || c === '[') {
      this.stack += c;
      this.expect = c === '{' ? 'firstKey' : 'firstValue';
      return true;
    }
    if (c === '"') return this.open('value');
    if (LITERALS[c]) return ((this.literal = LITERALS[c]), true);
    if (c === '-' || isDigit(c)) return ((this.number = c === '-' ? '-' : c === '0' ? '0' : 'int'), true);
    return false;
  }

  private open(kind: 'key' | 'value'): boolean {
    this.string = kind;
    return true;
  }

  private stringChar(c: string): boolean {
    if (this.hex > 0) return (this.hex--, /[0-9a-fA-F]/.test(c));
    if (this.backslash) {
      this.backslash = false;
      if (c === 'u') this.hex = 4;
      return '"\\/bfnrtu'.includes(c);
    }
    if (c === '\\') this.backslash = true;
    else if (c === '"') {
      if (this.string === 'key') this.expect = 'colon';
      else this.valueDone();
      this.string = 'no';
    }
    return true;
  }

  private literalChar(c: string): boolean {
    if (c !== this.literal[0]) return false;
    this.literal = this.literal.slice(1);
    if (!this.literal) this.valueDone();
    return true;
  }

  private close(open: '{' | '['): boolean {
    if (!this.stack.endsWith(open)) return false;
    this.stack = this.stack.slice(0, -1);
    this.valueDone();
    return true;
  }

  private valueDone(): void {
    this.expect = this.stack ? 'after' : 'done';
  }
}
