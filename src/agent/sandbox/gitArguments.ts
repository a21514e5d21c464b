/**
 * git's arguments that run a program the user never named: `-c`/`--config-env`/`--exec-path`
 * before the subcommand, an alias (it may be `!any command`), and a subcommand's transport
 * helpers, external diffs, rebase steps and pagers (long options abbreviated too). Pure.
 */
import { isLongOption } from './longOption';

/** git's subcommands that are not aliases (an alias may be `!any command`). */
const GIT_SUBCOMMANDS = new Set([
  'add',
  'am',
  'apply',
  'blame',
  'branch',
  'checkout',
  'cherry-pick',
  'clean',
  'clone',
  'commit',
  'describe',
  'diff',
  'fetch',
  'format-patch',
  'grep',
  'init',
  'log',
  'ls-files',
  'ls-remote',
  'ls-tree',
  'merge',
  'merge-base',
  'mv',
  'notes',
  'pull',
  'push',
  'rebase',
  'reflog',
  'remote',
  'reset',
  'restore',
  'revert',
  'rev-list',
  'rev-parse',
  'rm',
  'shortlog',
  'show',
  'show-ref',
  'stash',
  'status',
  'switch',
  'tag',
  'worktree',
  'cat-file',
  'version',
  'help',
  'archive',
  'bundle',
  'gc',
  'fsck',
  'count-objects',
  'whatchanged',
  'range-diff',
  'cherry',
  'check-ignore',
  'check-attr',
  'name-rev',
  'symbolic-ref',
  'update-index',
  'hash-object',
  'for-each-ref',
  'var',
]);
/** git arguments that run a program: a transport helper, an external diff, a rebase step, a pager. */
const GIT_CODE_ARGS = [
  '--upload-pack',
  '--receive-pack',
  '--exec',
  '-x',
  '--ext-diff',
  '--extcmd',
  '--tool',
  '--open-files-in-pager',
  '-O',
  '--template',
  '--config',
  '--separate-git-dir',
];

/** `git -c k=v x`, `git --exec-path=…`, an alias or a code-running subcommand or argument: its index (from 1), or -1. */
export function gitRunsCode(args: readonly string[]): number {
  let i = 0;
  while (i < args.length && args[i]!.startsWith('-')) {
    const a = args[i]!;
    if (a === '-c' || a.startsWith('--config-env') || a.startsWith('--exec-path') || a.startsWith('-c')) return i + 1;
    i += a === '-C' || a === '--git-dir' || a === '--work-tree' || a === '--namespace' ? 2 : 1;
  }
  const sub = args[i];
  if (sub === undefined) return -1;
  if (!GIT_SUBCOMMANDS.has(sub)) return i + 1;
  for (let j = i + 1; j < args.length; j++) {
    const a = args[j]!;
    if (GIT_CODE_ARGS.some((f) => isLongOption(a, f))) return j + 1;
    if (
      (sub === 'fetch' || sub === 'pull' || sub === 'clone' || sub === 'ls-remote') &&
      (a === '-u' || (/^-[A-Za-z]*u/.test(a) && !a.startsWith('--')))
    )
      return j + 1;
  }
  return -1;
}

/**
 * git config keys whose value git runs as a shell command: a pager, an editor, an ssh or askpass
 * program, a credential helper, a diff, merge or filter driver, a text conversion. (`alias.*` runs
 * one only when its value starts with `!`.)
 */
const COMMAND_KEY =
  /^(core\.(pager|editor|sshcommand|askpass|fsmonitor)|sequence\.editor|diff\.external|gpg(\.[^.]+)?\.program|credential(\..+)?\.helper|pager\..+|(diff|difftool|mergetool|merge|filter)\..+\.(textconv|cmd|driver|clean|smudge|process)|uploadpack\.packobjectshook)$/i;
/** Keys that make git run programs from a folder or file the line only names. */
const PROGRAM_FOLDER_KEY = /^(core\.hookspath|init\.templatedir)$/i;

/**
 * The shell commands a `git -c key=value` (before the subcommand) makes git run — an alias's `!…`,
 * a pager, an editor, a credential helper, a driver — to be looked through like `bash -c '…'`;
 * and why the line cannot show what runs (`--config-env` reads a command-running key's value from
 * the environment; `core.hooksPath` runs whatever that folder holds), or undefined.
 */
export function gitConfigCommands(args: readonly string[]): { commands: string[]; hidden?: string } {
  const commands: string[] = [];
  let hidden: string | undefined;
  for (let i = 0; i < args.length && args[i]!.startsWith('-'); i++) {
    const a = args[i]!;
    const fromEnv = a.startsWith('--config-env');
    const pair =
      a === '-c' || a === '--config-env'
        ? args[++i]
        : a.startsWith('-c')
          ? a.slice(2)
          : fromEnv
            ? a.slice(13)
            : undefined;
    if (a === '-C' || a === '--git-dir' || a === '--work-tree' || a === '--namespace') i++;
    if (pair === undefined) continue;
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    const value = eq < 0 ? '' : pair.slice(eq + 1);
    const runs = COMMAND_KEY.test(key) || (/^alias\./i.test(key) && (fromEnv || value.startsWith('!')));
    if (PROGRAM_FOLDER_KEY.test(key)) hidden ??= `git -c ${key} runs programs from a place the line only names`;
    else if (runs && fromEnv) hidden ??= `git --config-env ${key} runs a command read from the environment`;
    else if (runs) commands.push(value.replace(/^!/, ''));
  }
  return hidden === undefined ? { commands } : { commands, hidden };
}
