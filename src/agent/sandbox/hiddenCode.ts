/**
 * Code a command runs that the line does not show as a command, so approvals cannot judge it: a
 * shell or an interpreter reading its program from standard input that the line feeds it (`echo … |
 * bash`, `bash <<'EOF'`, `sh -s < x`, `python3 -`, `node` after a pipe), from a process
 * substitution or a descriptor (`bash <(curl …)`, `source /dev/stdin`), and a shell's `-c` with
 * no string of its own (`xargs sh -c`: xargs supplies it). Such a line asks like a command string
 * computed when it runs (`eval "$X"`). A script file (`bash x.sh`) and `-c '…'` are in view and
 * judged as before. Pure.
 */
import { parallelCommand } from './commandStrings';
import { handsOnCommands } from './commandValues';
import { AWK, takesInlineCode } from './inlineCode';
import {
  CODE_RUNNERS,
  codeRunningArgument,
  hasCodeFlags,
  inlineScript,
  programName,
  SHELL_VALUE_OPTIONS,
  SHELLS,
  unwrap,
  WRAPPERS,
} from './programs';

/** Interpreters that read their program from standard input when given none (or `-`). */
const INTERPRETER =
  /^(python[\d.]*|pypy[\d.]*|node\d*|nodejs|deno|bun|tsx|ts-node|perl[\d.]*|ruby[\d.]*|irb|php[\d.]*|lua[\d.]*|luajit|Rscript|R|julia|tclsh[\d.]*|wish|guile|osascript|jshell|groovy|elixir|swift|dc|m4|gnuplot|expect)$/;

/** Programs that read commands from their input whatever their operands name (an editor's file, `at`'s time). */
const COMMANDS_FROM_INPUT = /^(ed|red|ex|at|batch)$/;

/** An operand that names a descriptor or a process substitution: code from wherever it leads. */
const DESCRIPTOR = /^(<\(|>\(|\/dev\/stdin$|\/dev\/fd\/|\/proc\/(self|\d+|thread-self)\/fd\/)/;

/** Interpreter options that take the next word as their value (python's `-W`, `-X`). */
const INTERPRETER_VALUE_OPTION = /^-[WX]$/;

/** The shell's first operand (its script), whether `-c`, `-s` or `-i` is among its options. */
function shellOperands(args: readonly string[]): { operand: string | undefined; c: boolean; stdin: boolean } {
  let c = false;
  let stdin = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--' || a === '-') return { operand: args[i + 1], c, stdin };
    if (!/^[-+]/.test(a) || /^-(Command|File|EncodedCommand)$/i.test(a)) return { operand: a, c, stdin };
    if (/^-[A-Za-z]*c[A-Za-z]*$/.test(a)) c = true;
    if (/^-[A-Za-z]*[si][A-Za-z]*$/.test(a)) stdin = true;
    if (SHELL_VALUE_OPTIONS.test(a)) i++;
  }
  return { operand: undefined, c, stdin };
}

function interpreterOperand(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-' || !a.startsWith('-')) return a;
    if (a === '--') return args[i + 1];
    if (INTERPRETER_VALUE_OPTION.test(a)) i++;
  }
  return undefined;
}

/**
 * Why `program args` runs code approvals do not see, or undefined. `input`: its standard input
 * comes from the line (a pipe, `<`, a here-doc or here-string).
 */
export function hiddenCode(program: string, args: readonly string[], input: boolean): string | undefined {
  const from = (what: string): string => `${program} runs code from ${what}, which approvals do not see`;
  if (program === 'source' || program === '.') {
    const [file] = args;
    if (file !== undefined && DESCRIPTOR.test(file)) return from(file);
    return undefined;
  }
  if (SHELLS.has(program)) {
    const { operand, c, stdin } = shellOperands(args);
    // `-c` with no string: whatever runs the shell (xargs, find) supplies it.
    if (c && operand === undefined) return from('a command string it is handed when it runs');
    if (c) return undefined;
    if (operand !== undefined && DESCRIPTOR.test(operand)) return from(operand);
    if (input && (stdin || operand === undefined || operand === '-')) return from('its input');
    return undefined;
  }
  if (program === 'parallel') return input && parallelCommand(args) === undefined ? from('its input') : undefined;
  if (input && commandsFromInput(program, args)) return from('its input');
  if (!INTERPRETER.test(program) || codeRunningArgument(program, args) >= 0) return undefined;
  const operand = interpreterOperand(args);
  if (operand !== undefined && DESCRIPTOR.test(operand)) return from(operand);
  if (input && (operand === undefined || operand === '-' || args.includes('-'))) return from('its input');
  return undefined;
}

/** Whether an editor, `at` or sqlite3 reads commands (`!cmd`, `.shell`) from its input, operands or not. */
function commandsFromInput(program: string, args: readonly string[]): boolean {
  if (COMMANDS_FROM_INPUT.test(program))
    return !(/^(at|batch)$/.test(program) && args.some((a) => /^-[a-z]*f/.test(a)));
  // vim's Ex mode (`-e`, `-es`, `-E`) reads its commands from the input.
  if (/^(vi|vim|nvim|view)$/.test(program)) return args.some((a) => /^-[A-Za-z]*[eE]/.test(a) && !a.startsWith('--'));
  // sqlite3 DB [SQL]: without SQL in the line, its input holds it (and dot-commands such as `.shell`).
  if (program === 'sqlite3') return args.filter((a) => !a.startsWith('-')).length < 2;
  return false;
}

/** xargs' replace string (`-I R`, `-IR`, `-i`, `-iR`, `--replace[=R]`), or undefined without one. */
function xargsReplace(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length && args[i]!.startsWith('-'); i++) {
    const a = args[i]!;
    if (a === '--') return undefined;
    const long = /^--replace(?:=(.*))?$/.exec(a);
    if (long) return long[1] || '{}';
    const short = /^-[0prtx]*([Ii])(.*)$/.exec(a);
    if (short) return short[1] === 'I' ? short[2] || args[i + 1] : short[2] || '{}';
  }
  return undefined;
}

/**
 * xargs puts its input into the code it runs: the program itself (`-I{} {}`), a shell's `-c`
 * string or an interpreter's inline code holding the replace string (`-I{} sh -c '{}'`).
 */
export function xargsCode(args: readonly string[]): string | undefined {
  const replace = xargsReplace(args);
  const run = unwrap('xargs', args);
  if (!replace || !run?.length) return undefined;
  const [first = '', ...rest] = run;
  const program = programName(first);
  const hidden = 'xargs puts its input into the code it runs, which approvals do not see';
  if (first.includes(replace)) return hidden;
  if (inlineScript(program, rest)?.includes(replace)) return hidden;
  const code = CODE_RUNNERS.has(program) || INTERPRETER.test(program) ? codeRunningArgument(program, rest) : -1;
  return code >= 0 && rest.slice(code - 1).some((a) => a.includes(replace)) ? hidden : undefined;
}

/** Programs that delete, recursively with the right argument: the deny list's (and those that wipe a file or a device). */
const DESTRUCTIVE = /^(rm|rmdir|unlink|chmod|chown|chgrp|shred|find|truncate|dd|Remove-Item|rd|del|erase)$/;

/** git's subcommands whose further arguments run nothing (`git ls-files -m | xargs git add`). */
const QUIET_GIT = new Set([
  'add',
  'rm',
  'mv',
  'restore',
  'status',
  'ls-files',
  'blame',
  'cat-file',
  'rev-parse',
  'log',
  'show',
]);

/**
 * Why the program xargs runs cannot be judged: xargs adds words from its input, which the line
 * does not show (`echo '-rf /' | xargs rm`, `echo 'sudo id' | xargs env`, `ls | xargs sed -i x`
 * with a file named `-e1e id`), so a program those words can make delete recursively or run code
 * asks — `xargs grep foo`, `xargs wc -l`, `xargs cat` are judged as before. GNU parallel adds
 * words to its command template the same way (`parallel rm ::: -rf /`, `ls | parallel rm`).
 */
export function xargsArguments(
  program: string,
  args: readonly string[],
  runner: 'xargs' | 'parallel' = 'xargs',
): string | undefined {
  const from = runner === 'xargs' ? 'its input' : 'its ::: lists or its input, one job each';
  const why = `${runner} gives ${program} arguments from ${from}, which approvals do not see`;
  if (DESTRUCTIVE.test(program)) return `${why}: they may make it delete outside the workspace`;
  return canRunCode(program, args) ? `${why}: they may make it run code` : undefined;
}

/**
 * Whether words added after `args` can make `program` run code: a shell, interpreter or awk that
 * has its script already takes them as the script's arguments (`xargs python3 tool.py`,
 * `xargs sh -c '…' _`, `xargs awk '{print $1}'`); without one, they can be the script.
 */
function canRunCode(program: string, args: readonly string[]): boolean {
  if (program === 'git') return !QUIET_GIT.has(args.find((a) => !a.startsWith('-')) ?? '');
  if (SHELLS.has(program)) return shellOperands(args).operand === undefined;
  if (INTERPRETER.test(program)) return interpreterOperand(args) === undefined;
  if (AWK.test(program)) return !args.some((a, i) => !a.startsWith('-') && !/^-[FvfEeil]$/.test(args[i - 1] ?? ''));
  return (
    CODE_RUNNERS.has(program) ||
    Object.hasOwn(WRAPPERS, program) ||
    COMMANDS_FROM_INPUT.test(program) ||
    hasCodeFlags(program) ||
    takesInlineCode(program) ||
    handsOnCommands(program)
  );
}

/** A subscript holding a command substitution: bash runs it wherever it evaluates the text as a name or a number. */
const SUBSCRIPT_CODE = /\[[^\]]*(\$\(|`)/;

/** Builtins that read their arguments as variable names (a subscript is evaluated) or as arithmetic. */
const NAME_BUILTINS =
  /^(declare|typeset|local|export|readonly|unset|read|printf|test|\[|mapfile|readarray|wait|getopts)$/;

/**
 * Why bash may run code that is plain text to the line (it evaluates it as arithmetic, where an
 * array subscript runs its `$(…)`), or undefined: `let` and an integer variable's assignments
 * (`declare -i`) are arithmetic, like `$((…))`; a name or value with `[$(…)]` quoted
 * (`printf -v 'a[$(id)]' x`, `x='a[$(id)]'` then `${b[x]}`) runs when bash reads it so.
 * `assignments`: the command's `NAME=value` words, as written.
 */
export function evaluatedCode(argv: readonly string[], assignments: readonly string[] = []): string | undefined {
  const [program = '', ...args] = argv;
  const why = (what: string): string => `${what}, which bash evaluates as arithmetic and approvals do not classify`;
  if (program === 'let') return why('let');
  if (/^(declare|typeset|local)$/.test(program) && args.some((a) => /^-[A-Za-z]*i/.test(a)))
    return why(`${program} -i`);
  const texts = [...assignments, ...(NAME_BUILTINS.test(program) ? args : [])];
  const text = texts.find((t) => SUBSCRIPT_CODE.test(t));
  return text === undefined ? undefined : why(`a subscript with a command in ${text}`);
}
