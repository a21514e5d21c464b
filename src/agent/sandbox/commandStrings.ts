/**
 * The command strings programs other than shells hand to a shell (`script -c`, `flock … -c`,
 * `parallel`), read as getopt reads their options: bundled (`script -qc 'x'`), attached
 * (`--command=x`) or abbreviated (`--comm x`). programs.ts parses them like the line. Pure.
 */
import { isLongOption } from './longOption';

/**
 * The value of the option `short` / `long` in `args` (options end at the first operand or `--`):
 * `-c x`, `-qc x`, `-cx`, `--command x`, `--command=x`, `--comm=x`. `valued`: the program's other
 * short options that take a value (a bundle ends at one of them).
 */
export function optionValue(
  args: readonly string[],
  short: string,
  long: string,
  valued: string,
  operands = false,
): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') return undefined;
    if (!a.startsWith('-') || a === '-') {
      if (operands) continue;
      return undefined;
    }
    if (a.startsWith('--')) {
      if (isLongOption(a.split('=')[0]!, long)) return a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[i + 1];
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      if (a[j] === short) return j < a.length - 1 ? a.slice(j + 1) : args[i + 1];
      if (valued.includes(a[j]!)) {
        if (j === a.length - 1) i++;
        break;
      }
    }
  }
  return undefined;
}

/** util-linux `script [options] [file]`: `-c`/`--command`, anywhere among its arguments. */
export function scriptCommand(args: readonly string[]): string | undefined {
  return optionValue(args, 'c', '--command', 'EIOTm', true);
}

/** util-linux `flock [options] file -c command` (also `--command`). */
export function flockCommand(args: readonly string[]): string | undefined {
  return optionValue(args, 'c', '--command', 'wE', true);
}

/** GNU parallel's options that take the next word as their value. */
const PARALLEL_VALUED = new Set(['-j', '-P', '-n', '-N', '-S', '-a', '-d', '-C', '-E', '-I', '--jobs', '--sshlogin']);
const PARALLEL_VALUED_LONG = ['--jobs', '--sshlogin', '--arg-file', '--delimiter', '--colsep', '--eof', '--max-args'];

/** Where GNU parallel's command starts and its argument sources (`:::`, `::::`, `:::+`) begin (-1: none). */
function parallelParts(args: readonly string[]): { start: number; end: number } {
  let i = 0;
  while (i < args.length && args[i]!.startsWith('-') && args[i] !== '--') {
    const a = args[i]!;
    const long = !a.includes('=') && PARALLEL_VALUED_LONG.some((f) => isLongOption(a, f));
    i += PARALLEL_VALUED.has(a) || long ? 2 : 1;
  }
  if (args[i] === '--') i++;
  return { start: i, end: args.findIndex((a, j) => j >= i && /^:::[:+]?$/.test(a)) };
}

/** GNU parallel's command template (its words before `:::`), to which it adds arguments of its own; undefined without one. */
export function parallelTemplate(args: readonly string[]): string | undefined {
  const { start, end } = parallelParts(args);
  const words = args.slice(start, end === -1 ? undefined : end);
  return words.length ? words.join(' ') : undefined;
}

/**
 * GNU parallel's command (its words before `:::`, `::::`, `:::+`), which it runs through a shell;
 * with none, the arguments after `:::` are the commands; undefined when the line names none (they
 * come from its input).
 */
export function parallelCommand(args: readonly string[]): string | undefined {
  const template = parallelTemplate(args);
  if (template !== undefined) return template;
  // No command: each argument after `:::` is one (`parallel ::: 'make a' 'make b'`).
  const { end } = parallelParts(args);
  const commands = end === -1 ? [] : args.slice(end + 1).filter((a) => !/^:::[:+]?$/.test(a));
  return commands.length ? commands.join('\n') : undefined;
}
