/**
 * What the sandbox mounts read-only so that no program in it can write OR create a protected
 * path (`SANDBOX_READ_ONLY` at each workspace folder's root). A bind mount needs something to
 * mount on, and the workspace is the user's real folder bound writable, so a protected path that
 * does not exist yet gets an empty placeholder (a folder for `.vscode`, a file for `.envrc`)
 * created just before the command and removed just after it (sandbox/placeholders.ts); mounted
 * read-only, it cannot be written into, removed, renamed or replaced from inside. A name that is
 * a symbolic link is followed: an existing target is held read-only (bwrap follows the link), and
 * a missing one inside a workspace folder gets its placeholder at the first missing component of
 * the target; but the link itself cannot be mounted over, so a command could replace it, and
 * commands ask while one is there (agent/policy.ts). Pure: the caller says what each path is.
 */
import { posix } from 'node:path';
import { isWithin } from './bwrap';
import { SANDBOX_READ_ONLY_FILES, SANDBOX_READ_ONLY_FOLDERS } from './protectedPaths';

/** What is at a path, without following a link there (`link`: its text, as `readlink` gives it). */
export type PathKind = 'file' | 'folder' | 'missing' | { readonly link: string };

export interface Placeholder {
  readonly path: string;
  readonly kind: 'file' | 'folder';
}

export interface ProtectedMounts {
  /** Protected paths that exist (or are links to what exists): bound read-only onto themselves. */
  readonly existing: readonly string[];
  /** Missing paths to create empty, then bind read-only onto themselves. */
  readonly placeholders: readonly Placeholder[];
  /** Protected names that are symbolic links: a mount cannot hold a link, so a command could replace it. */
  readonly links: readonly string[];
}

/** Links followed before giving up (a loop cannot be created through, so it needs no placeholder). */
const MAX_LINKS = 16;

type Walk = { readonly exists: true } | { readonly exists: false; readonly missing: string; readonly last: boolean };

/**
 * The protected paths of every workspace folder, existing or to be created as placeholders, but
 * for the missing ones of `creatable` (absolute: a `.git` the user let `git init` create).
 */
export function protectedMounts(
  folders: readonly string[],
  kindOf: (path: string) => PathKind,
  creatable: readonly string[] = [],
): ProtectedMounts {
  const existing: string[] = [];
  const links: string[] = [];
  const placeholders = new Map<string, Placeholder>();
  const names = [
    ...SANDBOX_READ_ONLY_FOLDERS.map((name) => ({ name, kind: 'folder' as const })),
    ...SANDBOX_READ_ONLY_FILES.map((name) => ({ name, kind: 'file' as const })),
  ];
  for (const folder of folders)
    for (const { name, kind } of names) {
      const at = posix.join(folder, name);
      if (creatable.includes(at) && kindOf(at) === 'missing') continue;
      if (typeof kindOf(at) === 'object') links.push(at);
      const walk = walkFrom(folder, [name], kindOf, MAX_LINKS);
      if (!walk) continue;
      if (walk.exists) existing.push(posix.join(folder, name));
      // Outside the workspace folders everything is read-only already: nothing to hold.
      else if (isWithin(walk.missing, folders) && !placeholders.has(walk.missing))
        placeholders.set(walk.missing, { path: walk.missing, kind: walk.last ? kind : 'folder' });
    }
  return { existing, placeholders: [...placeholders.values()], links };
}

/**
 * Resolves `rest` below `base` as the kernel would, following links: whether it all exists, or
 * the first missing component (and whether it is the last one); undefined when nothing can be
 * created there (a file where a folder should be, or a loop of links).
 */
function walkFrom(
  base: string,
  rest: readonly string[],
  kindOf: (path: string) => PathKind,
  links: number,
): Walk | undefined {
  let at = base;
  for (let i = 0; i < rest.length; i++) {
    const next = posix.join(at, rest[i]!);
    const kind = kindOf(next);
    if (kind === 'missing') return { exists: false, missing: next, last: i === rest.length - 1 };
    if (typeof kind === 'object') {
      if (links === 0) return undefined;
      const target = posix.resolve(at, kind.link);
      return walkFrom('/', [...target.split('/').filter(Boolean), ...rest.slice(i + 1)], kindOf, links - 1);
    }
    if (kind === 'file' && i < rest.length - 1) return undefined;
    at = next;
  }
  return { exists: true };
}

/**
 * What the model is told when a command's output names a placeholder (`?? .envrc` from
 * `git status`, `EROFS … '.vscode/tasks.json'`): it stood in for a protected path that does not
 * exist, is gone now, and no command can create it. Undefined when the output names none.
 */
export function placeholderNote(
  output: string,
  placeholders: readonly string[],
  folders: readonly string[],
): string | undefined {
  const names = new Set<string>();
  for (const p of placeholders) {
    const folder = folders.find((f) => isWithin(p, [f]));
    const name = folder ? posix.relative(folder, p) : p;
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (new RegExp(`(?<![\\w.-])${escaped}(?![\\w.-])`).test(output)) names.add(name);
  }
  if (!names.size) return undefined;
  const list = [...names].join(', ');
  return (
    `[sandbox: ${list} ${names.size === 1 ? 'is a protected path that does' : 'are protected paths that do'} not exist ` +
    `(${names.size === 1 ? 'it' : 'they'} may run commands); an empty read-only placeholder stood in during this ` +
    `command and is gone now. No command can create or write ${names.size === 1 ? 'it' : 'them'}: propose a file ` +
    `with write_file instead (it asks the user), or ask the user to do it.` +
    (names.has('.git') ? ' A repository: run a command that is only `git init` (it asks the user).]' : ']')
  );
}
