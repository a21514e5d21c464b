/**
 * What a simple command will run, seen through the ways of spelling it: a path to the program
 * (`/bin/rm`, `./node_modules/.bin/x`), a `.exe`, and wrapper programs that run another program
 * (`env`, `command`, `nice`, `timeout`, `xargs`, `sudo`, `find -exec` …); and which arguments make
 * an allowed program run code the user never saw (interpreters' inline-code and import flags,
 * `git -c`, `tar --to-command` …). Tables, pure.
 */
import { flockCommand, parallelCommand, scriptCommand } from './commandStrings';
import { gitRunsCode } from './gitArguments';
import { AWK, awkCodeArgument } from './inlineCode';
import { isLongOption } from './longOption';
import { sedCodeArgument } from './sedScript';

/** `/usr/bin/rm`, `C:\\bin\\rm.exe`, `rm` → `rm`. */
export function programName(word: string): string {
  const base = word.split(/[\\/]/).pop() ?? word;
  return base.replace(/\.(exe|cmd|bat|com)$/i, '');
}

/** A wrapper: how many option words it takes before the program it runs (per option), and fixed positional words. */
interface Wrapper {
  /** Options that take a value as the next word. */
  readonly withValue?: readonly string[];
  /** Positional words before the program (`timeout DURATION prog`). */
  readonly positional?: number;
  /** `NAME=value` words are skipped (env). */
  readonly assignments?: boolean;
  /** Short options whose value, if any, is attached (`xargs -i{}`, `-l5`): they end a bundle and never take the next word. */
  readonly attached?: readonly string[];
}

/** Programs that run the program named in their arguments. */
export const WRAPPERS: Readonly<Record<string, Wrapper>> = {
  env: { withValue: ['-u', '--unset', '-C', '--chdir', '-S', '--split-string'], assignments: true },
  command: {},
  builtin: {},
  exec: { withValue: ['-a'] },
  nice: { withValue: ['-n', '--adjustment'] },
  nohup: {},
  time: { withValue: ['-f', '--format', '-o', '--output'] },
  timeout: { withValue: ['-s', '--signal', '-k', '--kill-after'], positional: 1 },
  stdbuf: { withValue: ['-i', '-o', '-e', '--input', '--output', '--error'] },
  ionice: { withValue: ['-c', '-n', '-p', '-P', '-u', '--class', '--classdata'] },
  chrt: { positional: 1 },
  taskset: { positional: 1 },
  setsid: {},
  unbuffer: {},
  xargs: {
    withValue: [
      '-a',
      '-d',
      '-E',
      '-I',
      '-L',
      '-n',
      '-P',
      '-s',
      '--arg-file',
      '--delimiter',
      '--max-args',
      '--max-procs',
      '--max-chars',
      '--process-slot-var',
    ],
    attached: ['-i', '-l', '-e'],
  },
  flock: { withValue: ['-w', '--timeout', '-E', '--conflict-exit-code'], positional: 1 },
  setpriv: {},
  'dbus-run-session': { withValue: ['--config-file', '--dbus-daemon'] },
  'xvfb-run': { withValue: ['-n', '--server-num', '-s', '--server-args', '-e', '--error-file', '-f', '--auth-file'] },
  'systemd-run': {
    withValue: ['-u', '--unit', '-p', '--property', '-E', '--setenv', '--uid', '--gid', '-M', '--machine', '-H'],
  },
  sudo: { withValue: ['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-U', '--user', '--group'] },
  doas: { withValue: ['-u', '-C'] },
  pkexec: { withValue: ['--user'] },
  run0: { withValue: ['-u', '--user'] },
  busybox: {},
  watch: { withValue: ['-n', '--interval', '-d'] },
  strace: { withValue: ['-e', '-o', '-p', '-s', '-u', '-a', '-b', '-E', '-I', '-O', '-P', '-S', '-X'] },
  ltrace: { withValue: ['-e', '-o', '-p', '-u'] },
  chroot: { positional: 1 },
  unshare: {},
  nsenter: { withValue: ['-t', '--target'] },
  firejail: {},
  proot: {},
  script: { withValue: ['-c', '--command'] },
  coproc: {},
  // Run a package's program (or any program on PATH): `npx prettier --write .`, `npx -p pkg cmd`.
  npx: { withValue: ['-p', '--package', '-c', '--call'] },
  bunx: { withValue: ['-p', '--package'] },
  pnpx: { withValue: ['-p', '--package'] },
};

/** `npm exec …`, `npm x …`, `pnpm exec|dlx …`, `yarn exec|dlx …`, `bun x …`: the program they run, like `npx …`. */
export function packageExec(program: string, args: readonly string[]): readonly string[] | undefined {
  if (!/^(npm|pnpm|yarn|bun)$/.test(program)) return undefined;
  const at = args.findIndex((a) => !a.startsWith('-'));
  if (at < 0 || !['exec', 'x', 'dlx'].includes(args[at]!)) return undefined;
  return unwrap('npx', args.slice(at + 1));
}

/** Programs that run a shell command given as a string (the string is parsed like the line). */
export const SHELLS = new Set([
  'sh',
  'bash',
  'zsh',
  'dash',
  'ksh',
  'mksh',
  'ash',
  'fish',
  'csh',
  'tcsh',
  'pwsh',
  'powershell',
  'cmd',
]);

/** Programs that run the file or string they are given as code: allowing them allows whatever it holds. */
export const CODE_RUNNERS = new Set(['eval', 'source', '.', 'parallel', 'npx', 'bunx', 'pnpx']);

/**
 * Arguments that make a program run code beyond what its name says, per program. A string is an
 * exact word or an `--opt=` prefix (`--eval` also catches `--eval=…`); a short flag also catches
 * bundles (`-pe` for perl's `-e`).
 */
const CODE_FLAGS: Readonly<Record<string, readonly string[]>> = {
  node: [
    '-e',
    '--eval',
    '-p',
    '--print',
    '-r',
    '--require',
    '--import',
    '--loader',
    '--experimental-loader',
    '-i',
    '--interactive',
    '--env-file',
  ],
  deno: ['eval', '--eval'],
  bun: ['-e', '--eval', '-p', '--print', '-r', '--preload', 'x', 'exec'],
  tsx: ['-e', '--eval', '-p', '--print', '--import', '--require'],
  'ts-node': ['-e', '--eval', '-p', '--print', '-r', '--require'],
  python: ['-c', '-m'],
  ruby: ['-e', '-r', '-I', '--require'],
  perl: ['-e', '-E', '-M', '-m', '-I', '-x'],
  php: ['-r', '-a', '-B', '-R', '-E', '-F', '-d'],
  lua: ['-e', '-l'],
  Rscript: ['-e', '--expr'],
  find: ['-exec', '-execdir', '-ok', '-okdir', '-fprint', '-fprint0', '-fprintf', '-fls'],
  tar: [
    '--to-command',
    '--use-compress-program',
    '-I',
    '--checkpoint-action',
    '--info-script',
    '-F',
    '--new-volume-script',
    '--rsh-command',
  ],
  rsync: ['-e', '--rsh', '--rsync-path'],
  ssh: ['-o', '-F'],
  scp: ['-S', '-o', '-F'],
  zip: ['-T', '-TT', '--unzip-command'],
  sed: ['-f', '--file'],
  rg: ['--pre'],
  make: ['--eval', '-E', 'SHELL', '-f', '--file', '--makefile'],
  npm: ['exec', 'x', 'explore', '--node-options', '--script-shell', '-c', '--call', 'config', 'set'],
  pnpm: ['exec', 'dlx', 'create', '--node-options', 'config'],
  yarn: ['exec', 'dlx', 'node', 'config'],
  go: ['-exec', '-toolexec', 'generate', 'tool'],
  cargo: ['--config', '-Z'],
  vim: ['-c', '+', '--cmd', '-S'],
  vi: ['-c', '+', '--cmd', '-S'],
  nvim: ['-c', '+', '--cmd', '-S', '-l'],
  less: ['+'],
  man: ['-P', '--pager', '-H', '--html'],
  docker: ['run', 'exec', 'compose', 'build', '-H', '--host'],
};

/** Whether some argument can make `program` run code it was not named for (`sed -e '1e id'`, `tar --to-command`). */
export function hasCodeFlags(program: string): boolean {
  return codeFlagsOf(program) !== undefined;
}

/** Versioned names share a table entry: `python3.12` → `python`, `nodejs` → `node`. */
function codeFlagsOf(program: string): readonly string[] | undefined {
  const name = /^python[\d.]*$/.test(program)
    ? 'python'
    : /^(nodejs|node\d*)$/.test(program)
      ? 'node'
      : /^(ruby|perl|php|lua)[\d.]*$/.test(program)
        ? program.replace(/[\d.]+$/, '')
        : program;
  return Object.hasOwn(CODE_FLAGS, name) ? CODE_FLAGS[name] : undefined;
}

/** The index of the first argument (from 1) that makes `program` run code it was not named for, or -1. */
export function codeRunningArgument(program: string, args: readonly string[]): number {
  if (SHELLS.has(program) || CODE_RUNNERS.has(program) || program in WRAPPERS) return args.length > 0 ? 1 : -1;
  if (program === 'git') return gitRunsCode(args);
  // `make VAR=value` overrides any variable a recipe runs (`SHELL`, `CC`…).
  if (program === 'make' || program === 'gmake') {
    const i = args.findIndex((a) => /^[A-Za-z_][A-Za-z0-9_]*\+?=/.test(a));
    if (i >= 0) return i + 1;
  }
  if (program === 'sed') {
    const i = sedCodeArgument(args);
    if (i >= 0) return i + 1;
  }
  // An awk program that only reads and prints is in view; one that runs commands, or a program file, is not.
  if (AWK.test(program)) return awkCodeArgument(args, true);
  const flags = codeFlagsOf(program);
  if (!flags) return -1;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    for (const f of flags) {
      if (isLongOption(a, f)) return i + 1;
      if (f === '+' && a.startsWith('+')) return i + 1;
      // Short flags bundle (`-pe`, `-ne`) or take their value attached (`-cimport os`).
      if (/^-[A-Za-z]$/.test(f) && /^-[A-Za-z]+/.test(a) && !a.startsWith('--') && a.slice(1).includes(f[1]!))
        return i + 1;
    }
  }
  return -1;
}

/** The program a wrapper runs: its argv without the wrapper and its options, or undefined when it names none. */
export function unwrap(program: string, args: readonly string[]): readonly string[] | undefined {
  // `coproc cmd …`, `coproc NAME { cmd …; }` (the grammar reads the braces as words).
  if (program === 'coproc') {
    const rest = args[0] === '{' ? args.slice(1) : args[1] === '{' ? args.slice(2) : args;
    return rest.length ? rest : undefined;
  }
  const wrapper = Object.hasOwn(WRAPPERS, program) ? WRAPPERS[program] : undefined;
  if (!wrapper) return undefined;
  let i = 0;
  let positional = wrapper.positional ?? 0;
  while (i < args.length) {
    const a = args[i]!;
    if (a === '--') {
      i++;
      break;
    }
    if (wrapper.assignments && /^[A-Za-z_][A-Za-z0-9_]*=/.test(a)) {
      i++;
      continue;
    }
    if (a.startsWith('-') && a !== '-') {
      i += optionWords(wrapper, a);
      continue;
    }
    if (positional > 0) {
      positional--;
      i++;
      continue;
    }
    break;
  }
  return i < args.length ? args.slice(i) : undefined;
}

/**
 * How many words a wrapper's option takes, as getopt reads it: a long one (abbreviated too) its
 * value's word unless `=value` is attached; a bundle of short ones (`-vs KILL`, `-la name`) the
 * next word when its last letter takes a value, none when a value is attached (`-n5`, `-oL`).
 */
function optionWords(wrapper: Wrapper, a: string): number {
  const withValue = wrapper.withValue ?? [];
  if (a.startsWith('--'))
    return !a.includes('=') && withValue.some((f) => f.startsWith('--') && isLongOption(a, f)) ? 2 : 1;
  for (let j = 1; j < a.length; j++) {
    const flag = `-${a[j]}`;
    if (wrapper.attached?.includes(flag)) return 1;
    if (withValue.includes(flag)) return j === a.length - 1 ? 2 : 1;
  }
  return 1;
}

/** The argv `find … -exec prog args ;` / `-execdir` / `-ok` runs, each. */
export function findExecs(args: readonly string[]): string[][] {
  const runs: string[][] = [];
  for (let i = 0; i < args.length; i++) {
    if (!['-exec', '-execdir', '-ok', '-okdir'].includes(args[i]!)) continue;
    const end = args.findIndex((a, j) => j > i && (a === ';' || a === '+'));
    runs.push(args.slice(i + 1, end === -1 ? undefined : end));
  }
  return runs;
}

/** The string a shell runs with `-c` (`bash -lc 'x'`, `sh -c -- x`, `bash -c -x x`), or `env -S 'x'`; undefined when none. */
export function inlineScript(program: string, args: readonly string[]): string | undefined {
  if (SHELLS.has(program)) return shellScript(args);
  if (program === 'eval') return args.join(' ');
  if (program === 'env') return envSplitString(args);
  if (program === 'script') return scriptCommand(args);
  if (program === 'flock') return flockCommand(args);
  if (program === 'parallel') return parallelCommand(args);
  if (program === 'watch') return unwrap('watch', args)?.join(' ');
  return undefined;
}

/** Shell options that take the next word as their value (`-o errexit`, `--rcfile f`). */
export const SHELL_VALUE_OPTIONS = /^([-+][A-Za-z]*[oO]|--rcfile|--init-file)$/;

/**
 * A shell's `-c` string: with `-c` among its options (alone or bundled: `-ec`, `-lc`), bash takes
 * the first word after all its options — `bash -c -- x`, `bash -c -x x`, `bash -c -o errexit x`
 * run `x`. PowerShell's `-Command` and cmd's `/c` take the rest.
 */
function shellScript(args: readonly string[]): string | undefined {
  const command = args.findIndex((a) => /^-(Command|EncodedCommand)$/i.test(a) || a === '/c' || a === '/C');
  if (command >= 0) return args.slice(command + 1).join(' ') || undefined;
  let hasC = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--' || a === '-') return hasC ? args[i + 1] : undefined;
    if (!/^[-+]/.test(a)) return hasC ? a : undefined;
    if (/^-[A-Za-z]*c[A-Za-z]*$/.test(a)) hasC = true;
    if (SHELL_VALUE_OPTIONS.test(a)) i++;
  }
  return undefined;
}

/** `env -S 'x'`, `env -S'x'`, `env -iS 'x'`, `env --split-string=x` (and its abbreviations): `x`. */
function envSplitString(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--' || !a.startsWith('-') || a === '-') return undefined;
    const long = /^--([\w-]+)(=([\s\S]*))?$/.exec(a);
    if (long) {
      if ('split-string'.startsWith(long[1]!)) return long[2] ? long[3] : args[i + 1];
      if (!long[2] && ['unset', 'chdir', 'argv0'].some((o) => o.startsWith(long[1]!))) i++;
      continue;
    }
    // A bundle of short options: `-S` takes the rest of the word or the next one; `-u`, `-C` and `-a` take theirs.
    for (let j = 1; j < a.length; j++) {
      if (a[j] === 'S') return a.length > j + 1 ? a.slice(j + 1) : args[i + 1];
      if ('uCa'.includes(a[j]!)) {
        if (j === a.length - 1) i++;
        break;
      }
    }
  }
  return undefined;
}
