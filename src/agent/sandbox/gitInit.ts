/**
 * `git init` at a workspace folder's root: the sandbox holds `.git` read-only there whether it
 * exists or not (an empty placeholder stands for a missing one), so git cannot create the
 * repository the user asked for. A line that is exactly `git init` — plainly spelled, nothing
 * chained, no variables set, no redirection, no option that points git at other files (`-c`,
 * `-C`, `--template` with a repository's hooks, `--separate-git-dir`, `--git-dir`; `--bare`, whose
 * files land in the folder itself) — and whose
 * only effect on a protected path is therefore creating `.git` always asks, and, approved, runs
 * with `.git` writable for that one command (a missing `.git` only; an existing one stays
 * read-only). The granted command runs with a PATH that leads nowhere in the workspace
 * (`gitInitPath`), so the `git` it runs is never one a command planted there. Pure.
 */
import { posix } from 'node:path';
import { isWithin } from './bwrap';
import type { ParsedCommandLine, ShellWord } from './shellSyntax';

/** Options of `git init` that change nothing but the new repository's own settings. */
const PLAIN_OPTION = /^(?:-q|--quiet|--initial-branch=[\w./-]+|--object-format=(?:sha1|sha256))$/;

/** Whether `line` is a plain `git init` of its working folder (`git init`, `git init .`, `git init -b main`). */
export function isPlainGitInit(line: ParsedCommandLine): boolean {
  if (line.unclassified.length || line.redirects.length || line.commands.length !== 1) return false;
  const [command] = line.commands;
  if (!command || command.assignments.length) return false;
  const words = command.words.map(fixed);
  if (words.some((w) => w === undefined)) return false;
  const [git, sub, ...rest] = words as string[];
  if (git !== 'git' || sub !== 'init') return false;
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i]!;
    if (word === '-b') {
      if (!/^[\w./-]+$/.test(rest[++i] ?? '') || rest[i]!.startsWith('-')) return false;
    } else if (!PLAIN_OPTION.test(word) && !(i === rest.length - 1 && /^\.\/?$/.test(word))) return false;
  }
  return true;
}

/** A word's text when it is fixed and spelled plainly (no quotes to look through). */
function fixed(word: ShellWord): string | undefined {
  return word.expands === 'none' && word.value !== undefined && word.value === word.raw ? word.value : undefined;
}

/** The PATH bash would use when none is set (some builds add `.`): written out instead. */
const DEFAULT_PATH = '/usr/local/bin:/usr/bin:/bin';

/**
 * The PATH a granted `git init` runs with: the given one without the entries a workspace could
 * hold a program in — relative ones (`.`, ``, `bin`, `node_modules/.bin`: resolved against the
 * command's folder) and those that lead into a workspace folder, links resolved (`real`) — so the
 * `git` that runs while `.git` is writable is never a planted one. Nothing left: a PATH that finds
 * no program (an empty one would mean the current folder), so nothing runs with `.git` writable.
 */
export function gitInitPath(
  value: string | undefined,
  folders: readonly string[],
  real: (p: string) => string,
): string {
  const kept = (value ?? DEFAULT_PATH)
    .split(':')
    .filter(
      (entry) => posix.isAbsolute(entry) && !isWithin(real(posix.normalize(entry)).replace(/(.)\/+$/, '$1'), folders),
    );
  return kept.length ? kept.join(':') : '/dev/null';
}

/**
 * Variables that would point a granted `git init` at other files or settings: another repository
 * or work tree, and configuration handed in through the environment (`GIT_CONFIG_PARAMETERS`,
 * `GIT_CONFIG_COUNT`/`KEY_n`/`VALUE_n`) — which could set `init.templateDir` or `core.hooksPath`.
 */
const GIT_LOCATION =
  /^GIT_(DIR|WORK_TREE|COMMON_DIR|INDEX_FILE|OBJECT_DIRECTORY|CONFIG_PARAMETERS|CONFIG_COUNT|CONFIG_KEY_\d+|CONFIG_VALUE_\d+|CEILING_DIRECTORIES)$/;

/**
 * The environment of a granted `git init`: no template at all (`GIT_TEMPLATE_DIR` empty — git
 * then copies none, whatever `init.templateDir` the user's or system config names: a template's
 * `hooks/` and `config` would be planted in the new `.git`), and none of the variables that point
 * git elsewhere; PATH as {@link gitInitPath} gives it.
 */
export function gitInitEnvironment(
  env: Readonly<Record<string, string>>,
  folders: readonly string[],
  real: (p: string) => string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (!GIT_LOCATION.test(name)) out[name] = value;
  return { ...out, GIT_TEMPLATE_DIR: '', PATH: gitInitPath(env.PATH, folders, real) };
}
