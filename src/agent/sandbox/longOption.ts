/** Long options as GNU getopt, git and npm read them: exact, with `=value`, or abbreviated. Pure. */

/** Long options in their own right whose name starts another's (`tar --checkpoint`, `--checkpoint-action`). */
const WHOLE_OPTIONS = new Set(['--checkpoint']);

/**
 * Whether `arg` is the short flag `flag` exactly, or the long option `flag` — with `=value`, or
 * abbreviated (`--use-compress-prog=sh`, `--to-comm`, `--exp=…`): GNU getopt, git and npm take any
 * unambiguous prefix of a long option's name (an ambiguous one is refused, so treating it as the
 * option only asks more).
 */
export function isLongOption(arg: string, flag: string): boolean {
  if (arg === flag) return true;
  if (!flag.startsWith('--')) return false;
  const name = /^--([^=]{2,})(=|$)/.exec(arg)?.[1];
  return name !== undefined && flag.slice(2).startsWith(name) && !WHOLE_OPTIONS.has(`--${name}`);
}
