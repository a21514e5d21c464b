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
