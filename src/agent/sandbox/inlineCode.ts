/**
 * Code written in a command's own arguments in a language approvals do not read: an interpreter's
 * inline program (`perl -e`, `python3 -c`, `node -e`, `ruby -e`, `php -r`, …), an awk program
 * that runs commands (`system()`, `print | "sh"`, `"cmd" | getline`, gawk's `@load` and indirect
 * calls), sed's `e` command and `s///e`, an editor's or debugger's commands (`vim -c '!…'`,
 * `gdb -ex`, `emacs --eval`), `make --eval`. Such code can do whatever the deny list exists for,
 * so the line asks like code fed through a pipe (hiddenCode.ts), whatever the settings say. What
 * is in view and judged as before: a script file (`perl x.pl`, `awk -f x.awk`), a shell's `-c`
 * string (parsed like the line), and awk and sed programs that only read, print and write files
 * (`awk '{print $1}' f`, `sed -n 1p f`). Pure.
 */
import { isLongOption } from './longOption';
import { sedCodeArgument } from './sedScript';

/** The awk family: the first operand is the program, unless `-f` / `-E` names a file. */
export const AWK = /^(awk|gawk|mawk|nawk|goawk|original-awk|bwk-awk)$/;

/**
 * sqlite3's dot-commands (abbreviated too) that run a program, load a library or read a command's
 * output (`.shell`, `.system`, `.load`, `.once '|cmd'`, `.output`, `.read`, `.import`, `.excel`),
 * and its SQL functions that do (`load_extension()`, `edit()`).
 */
const SQLITE_CODE = /(^|[\n;])\s*\.(sh|sy|lo|on|ou|rea|im|exc|ed)|load_extension|\bedit\s*\(/i;

/** Per program: options whose value is code, and options that take the next word (so it is not an operand). */
interface Inline {
  readonly code: readonly string[];
  readonly valued?: readonly string[];
  /** Short options that, in a bundle, take the rest of the word (`-Mfoo`, `-pi.bak`); by default those of `valued`. */
  readonly rest?: string;
  /** Options after which the rest are the script's arguments (`python -m mod -c x`). */
  readonly stop?: readonly string[];
  /** Options are read anywhere, after operands too (`make all --eval=…`, `vim f -c …`, `gdb ./a.out -ex …`). */
  readonly permute?: boolean;
}

const NODE: Inline = {
  code: ['-e', '--eval', '-p', '--print'],
  valued: ['-r', '--require', '--import', '--loader', '--experimental-loader', '-C', '--conditions', '--title'],
};

const INLINE: Readonly<Record<string, Inline>> = {
  node: NODE,
  tsx: NODE,
  'ts-node': NODE,
  bun: { code: ['-e', '--eval', '-p', '--print'], valued: ['-r', '--preload'] },
  deno: { code: ['eval'] },
  python: { code: ['-c'], valued: ['-W', '-X'], stop: ['-m'] },
  ruby: { code: ['-e'], valued: ['-r', '-I', '-C', '-E', '-F'], rest: 'rICEFx' },
  perl: { code: ['-e', '-E'], valued: ['-I'], rest: 'MmICFixd' },
  php: { code: ['-r', '-B', '-R', '-E'], valued: ['-c', '-d', '-f', '-z'] },
  lua: { code: ['-e'], valued: ['-l'] },
  Rscript: { code: ['-e', '--expr'] },
  R: { code: ['-e'] },
  julia: { code: ['-e', '-E', '--eval', '--print'] },
  guile: { code: ['-c'] },
  osascript: { code: ['-e'] },
  elixir: { code: ['-e', '--eval'] },
  groovy: { code: ['-e'] },
  expect: { code: ['-c'] },
  dc: { code: ['-e', '--expression'], permute: true },
  gnuplot: { code: ['-e'], permute: true },
  octave: { code: ['--eval'], permute: true },
  emacs: { code: ['--eval', '--execute', '-eval', '-execute'], permute: true },
  gdb: {
    code: ['-ex', '--ex', '-iex', '--iex', '-eval-command', '--eval-command', '-init-eval-command'],
    permute: true,
  },
  lldb: { code: ['-o', '--one-line', '-O', '--one-line-before-file', '-k', '--one-line-on-crash'], permute: true },
  vim: { code: ['-c', '--cmd'], permute: true },
  make: { code: ['--eval', '-E'], permute: true },
};

/** Versioned and alternative names share an entry: `python3.12` → `python`, `nodejs` → `node`, `nvim` → `vim`. */
export function familyName(program: string): string {
  if (/^python[\d.]*$/.test(program)) return 'python';
  if (/^(nodejs|node\d*)$/.test(program)) return 'node';
  if (/^(ruby|perl|php|lua)[\d.]*$/.test(program)) return program.replace(/[\d.]+$/, '');
  if (/^(vi|vim|nvim|gvim|view|vimdiff|rvim|ex|evim)$/.test(program)) return 'vim';
  if (program === 'gmake') return 'make';
  return program;
}

/** Whether some argument can hold code for `program` (an interpreter's `-e`, an awk program, sqlite3's `.shell`). */
export function takesInlineCode(program: string): boolean {
  return AWK.test(program) || program === 'sed' || program === 'sqlite3' || Object.hasOwn(INLINE, familyName(program));
}

/** Why `program args` runs code written in its arguments that approvals do not read, or undefined. */
export function inlineCode(program: string, args: readonly string[]): string | undefined {
  const written = (what: string): string =>
    `${program} runs code written in its arguments (${what}), which approvals do not read`;
  if (AWK.test(program)) return awkCodeArgument(args) >= 0 ? written('an awk program that runs commands') : undefined;
  if (program === 'sed') return sedCodeArgument(args, false) >= 0 ? written("sed's e command") : undefined;
  if (program === 'sqlite3' && args.some((a) => SQLITE_CODE.test(a))) return written('a command that runs a program');
  const family = familyName(program);
  if (family === 'vim' && args.some((a) => /^\+./.test(a) && !/^\+(\d+|\/.*)$/.test(a)))
    return written('an editor command');
  // `node --import=data:text/javascript,…`: a module written in the line.
  if (family === 'node' && args.some((a) => /^(--[\w-]+=)?data:/.test(a))) return written('a data: module');
  const inline = Object.hasOwn(INLINE, family) ? INLINE[family] : undefined;
  if (!inline) return undefined;
  const at = codeOption(args, inline);
  return at === undefined ? undefined : written(at);
}

/** The first option among the program's own (before its script operand) whose value is code. */
function codeOption(args: readonly string[], inline: Inline): string | undefined {
  const valued = inline.valued ?? [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') return undefined;
    const name = a.split('=')[0]!;
    if (inline.code.includes(name) || (name.startsWith('--') && inline.code.some((c) => isLongOption(name, c))))
      return name;
    if (inline.stop?.includes(a)) return undefined;
    if (valued.includes(a)) {
      i++;
      continue;
    }
    if (!a.startsWith('-') || a === '-') {
      if (inline.permute) continue;
      return undefined;
    }
    if (a.startsWith('--') || !/^-[A-Za-z0-9]/.test(a)) continue;
    // A bundle of short options (`-pe`, `-ne`, `-Bc`): it ends at one that takes a value (`-Mfoo`, `-Werror`).
    for (let j = 1; j < a.length; j++) {
      const flag = `-${a[j]}`;
      if (inline.code.includes(flag)) return flag;
      if (inline.rest !== undefined ? inline.rest.includes(a[j]!) : valued.includes(flag)) break;
    }
  }
  return undefined;
}

/**
 * The index (from 1) of the first word of an awk command line that can run a command, or -1: any
 * word but a field separator (`-F'|'`) holding code that can (the program may be its first
 * operand, an `-e`/`--source` text — attached too, `-e'…'` — or bundled; reading every word is
 * simpler than getopt's rules, and a file name rarely holds `system`, `|` or `@`), or a library
 * loaded (`-l`, `--load`). `files`: a program file (`-f`, `-E`, `--file`, `--exec`) counts too.
 */
export function awkCodeArgument(args: readonly string[], files = false): number {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-F' || (/^--fie/.test(a) && !a.includes('='))) {
      i++;
      continue;
    }
    if (/^-F/.test(a) || /^--fie[\w-]*=/.test(a)) continue;
    if (/^-l/.test(a) || /^--lo/.test(a) || awkRunsCommands(a)) return i + 1;
    if (files && (/^-[fE]/.test(a) || /^--(fil|exe)/.test(a))) return i + 1;
  }
  return -1;
}

/**
 * Whether an awk program can run a command: `system`, a pipe to or from one (`|`, `|&`; not
 * `||`), or gawk's `@` (`@load` of a library, an indirect call `@f(…)` that may be `system`).
 * Strings and regular expressions are not skipped: telling `/` from a regular expression needs a
 * full awk parser, and a pipe read wrongly as inside one would be missed; a `|` in a pattern
 * (`/a|b/`) asks.
 */
export function awkRunsCommands(program: string): boolean {
  return /\bsystem\b|@/.test(program) || /(^|[^|])\|(?!\|)/.test(program);
}
