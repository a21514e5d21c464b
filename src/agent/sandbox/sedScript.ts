/**
 * Whether a `sed` command line runs a program or writes a file the user never named: its scripts
 * (`-e`/`--expression` and their abbreviations and bundles, else the first operand) are read
 * command by command — any address (`1`, `$`, `1~2`, `/re/I`, `\%re%`, ranges, `!`) and any
 * delimiter (`s|a|b|e`) — for the `e` command and `s///e` (run a command), and `w`/`W` and
 * `s///w` (write a file). What this reader cannot follow counts as running code. Pure.
 */

/**
 * The index in `args` of the first word holding a script that runs code or writes a file (only
 * code when `writes` is false: a write is judged like a redirection), or -1.
 */
export function sedCodeArgument(args: readonly string[], writes = true): number {
  const scripts: { at: number; text: string }[] = [];
  let operand = -1;
  // A script file (`-f x.sed`, `--file=x.sed`): no operand is a script then.
  let file = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      if (operand < 0 && i + 1 < args.length) operand = i + 1;
      break;
    }
    const long = /^--([\w-]+)(?:=([\s\S]*))?$/.exec(a);
    if (long) {
      const name = long[1]!;
      if ('expression'.startsWith(name)) scripts.push({ at: i, text: long[2] ?? args[++i] ?? '' });
      else if (('line-length'.startsWith(name) || 'file'.startsWith(name)) && long[2] === undefined) i++;
      if ('file'.startsWith(name)) file = true;
      continue;
    }
    if (/^-[A-Za-z]/.test(a)) {
      const taken = shortOptions(a, args[i + 1]);
      if (taken.script !== undefined) scripts.push({ at: i, text: taken.script });
      file ||= taken.file === true;
      if (taken.next) i++;
      continue;
    }
    if (operand < 0) operand = i;
  }
  if (!scripts.length && !file && operand >= 0) scripts.push({ at: operand, text: args[operand]! });
  return scripts.find((s) => sedRunsCode(s.text, writes))?.at ?? -1;
}

/** A bundle of short options (`-ne`, `-ne'1e id'`, `-i.bak`, `-l 80`): the script it holds, and whether it takes the next word. */
function shortOptions(word: string, next: string | undefined): { script?: string; file?: boolean; next: boolean } {
  for (let j = 1; j < word.length; j++) {
    const c = word[j]!;
    if (c === 'e')
      return word.length > j + 1 ? { script: word.slice(j + 1), next: false } : { script: next ?? '', next: true };
    if (c === 'l') return { next: word.length === j + 1 };
    if (c === 'f') return { file: true, next: word.length === j + 1 };
    // `-i` takes the rest of the word as its suffix.
    if (c === 'i') return { next: false };
  }
  return { next: false };
}

/** Commands that take no argument, or only a number (`q5`, `l 80`). */
const PLAIN = new Set('=dDgGhHlLnNpPxzFqQ'.split(''));

/**
 * Whether a sed script has an `e` command or an `s` command with the `e` flag — or, with `writes`,
 * a `w` or `W` command or an `s` with the `w` flag — or cannot be read.
 */
export function sedRunsCode(script: string, writes = true): boolean {
  const run = writes ? 'ewW' : 'e';
  const r = new Reader(script);
  for (;;) {
    r.skip(/[\s;{}]/);
    if (r.done()) return false;
    if (!r.address()) return true;
    r.skip(/[ \t!]/);
    const c = r.take();
    if (c === undefined || run.includes(c)) return true;
    if (c === 's' || c === 'y') {
      const d = r.take();
      if (d === undefined || d === '\\' || d === '\n' || !r.part(d) || !r.part(d)) return true;
      if (c === 's') {
        const flags = r.word(/[A-Za-z0-9]/);
        if ([...flags].some((f) => run.includes(f))) return true;
        // `s///w file`: the rest of the line is the file's name, not commands.
        if (/[wW]/.test(flags)) r.line();
      }
    } else if ('aicrRwW#'.includes(c)) r.line();
    else if ('btT:'.includes(c)) r.skipUntil(/[;\n]/);
    else if (PLAIN.has(c)) r.skip(/[ \t0-9]/);
    else return true;
  }
}

class Reader {
  private i = 0;
  constructor(private readonly s: string) {}

  done(): boolean {
    return this.i >= this.s.length;
  }

  take(): string | undefined {
    return this.s[this.i++];
  }

  skip(re: RegExp): void {
    while (!this.done() && re.test(this.s[this.i]!)) this.i++;
  }

  word(re: RegExp): string {
    const from = this.i;
    this.skip(re);
    return this.s.slice(from, this.i);
  }

  skipUntil(re: RegExp): void {
    while (!this.done() && !re.test(this.s[this.i]!)) this.i++;
  }

  /** To the end of the line, `\`-newline continuing it (`a text`, `r file`, a comment). */
  line(): void {
    while (!this.done() && this.s[this.i] !== '\n') this.i += this.s[this.i] === '\\' ? 2 : 1;
  }

  /** Past the next unescaped `delim`; false when there is none. */
  part(delim: string): boolean {
    while (!this.done() && this.s[this.i] !== delim) this.i += this.s[this.i] === '\\' ? 2 : 1;
    return this.take() === delim;
  }

  /** Past an address or a range of two (`1`, `$`, `1~2`, `/re/I`, `\%re%M`, `0,/x/`, `3,+2`); false when it cannot be read. */
  address(): boolean {
    for (let k = 0; k < 2; k++) {
      const c = this.s[this.i];
      if (c !== undefined && /[0-9]/.test(c)) {
        this.skip(/[0-9]/);
        if (this.s[this.i] === '~') this.word(/[~0-9]/);
      } else if (c === '$') this.i++;
      else if (c === '/' || c === '\\') {
        this.i += c === '\\' ? 2 : 1;
        if (!this.part(c === '\\' ? (this.s[this.i - 1] ?? '') : '/')) return false;
        this.skip(/[IM]/);
      } else if (k === 1 && (c === '+' || c === '~')) this.word(/[+~0-9]/);
      else return k === 0;
      this.skip(/[ \t]/);
      if (k === 1 || this.s[this.i] !== ',') return true;
      this.i++;
      this.skip(/[ \t]/);
    }
    return true;
  }
}
