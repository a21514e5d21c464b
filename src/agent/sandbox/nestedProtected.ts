/**
 * Protected names below a workspace folder's root, which bubblewrap cannot hold the way it holds
 * the root's (sandbox/protectedMounts.ts): a missing name needs a placeholder to mount on, and
 * every folder of the tree could gain one. Chosen: a nested `.git` (git runs a repository's hooks
 * and `core.fsmonitor`, and VS Code's git opens nested repositories it finds), a nested `.envrc`
 * (direnv reads every `.envrc` up the tree from where the user is), `*.code-workspace` at any
 * depth (its tasks and settings apply when it is opened) and, when a workspace folder holds the
 * home folder, the shell startup files and `.gitconfig` there. Not chosen: a nested `.vscode`,
 * `.devcontainer`, `.github` or `.husky` — VS Code, GitHub and husky (through the root's
 * read-only `.git/config`) read those only at a folder's root. Those that exist are bound
 * read-only for the command (a link: its target, nestedLinks.ts, and a link a command replaced or
 * removed is put back after it); those a command creates are found after it (a walk that reads again
 * only the folders whose ctime changed, `node_modules` left out) and removed, and the model and
 * the user are told; a folder its owner cannot list or enter (`chmod 111`) is opened for the walk
 * and closed after it, so a command cannot hide what it made there. Node only, no editor API.
 */
import { chmodSync, lstatSync, readdirSync, type Dirent } from 'node:fs';
import { rm } from 'node:fs/promises';
import * as path from 'node:path';
import { quoted } from '../../openrouter/untrustedText';
import { boundLinks, linkStates, undoLinkChanges, type LinkStates } from './nestedLinks';
import { SHELL_STARTUP_FILES } from './protectedPaths';

/** Home-folder files that run code when a shell or git starts (held when a workspace folder holds the home folder). */
export const HOME_STARTUP_FILES = [...SHELL_STARTUP_FILES, '.gitconfig'];

/** Folders never walked: installed packages (VS Code's git does not look for repositories there either). */
const PRUNED = new Set(['node_modules']);

/**
 * Folders looked at between two yields to the event loop: each look is a synchronous `lstat` (a
 * few µs; the thread pool's round trip costs ~20 times more), so the editor never waits long.
 */
const SLICE = 200;

/** A ctime this close to the walk may still change within the same clock tick: read that folder again next time. */
const RACY_MS = 50;

interface Folder {
  readonly ctimeMs: number;
  readonly ino: number;
  readonly trusted: boolean;
  /** Read as a workspace folder's root (whose own names are not hits). */
  readonly isRoot: boolean;
  readonly subfolders: readonly string[];
  readonly hits: readonly { readonly path: string; readonly link: boolean }[];
}

export interface NestedHold {
  /** Nested protected paths that exist (not links): bound read-only for the command. */
  readonly existing: readonly string[];
  /** After the command: removes the nested protected paths it created, puts back links it changed; resolves to them (absolute). */
  undoCreated(): Promise<string[]>;
}

export class NestedProtected {
  private readonly cache = new Map<string, Folder>();

  /** `home`: the user's home folder (its startup files count when a workspace folder holds it). */
  constructor(
    private readonly home: string,
    private readonly log: (message: string) => void = () => undefined,
  ) {}

  /** The nested protected paths of `folders` now, and how to undo what a command creates. */
  async hold(folders: readonly string[]): Promise<NestedHold> {
    const before = await this.scan(folders);
    const had = new Map([...before.keys()].map((p) => [identity(p), p]));
    // A link cannot be mounted over: its target is held, and a change to the link undone after the command.
    const links = linkStates([...before].filter(([, link]) => link).map(([p]) => p));
    return {
      // One in a folder closed to its owner (`chmod 000`) cannot be mounted (bwrap would fail): left out.
      existing: [...[...before].filter(([, link]) => !link).map(([p]) => p), ...boundLinks(links)].filter(reachable),
      undoCreated: async () => {
        const opened: Opened[] = [];
        try {
          return await this.undo(folders, before, had, links, opened);
        } finally {
          reclose(opened);
        }
      },
    };
  }

  /** Removes what a command created (found in folders opened for the walk, closed by the caller), puts back changed links. */
  private async undo(
    folders: readonly string[],
    before: ReadonlyMap<string, boolean>,
    had: ReadonlyMap<string, string>,
    links: LinkStates,
    opened: Opened[],
  ): Promise<string[]> {
    const after = await this.scan(folders, opened);
    // One the user had, only moved with its folder (its old name gone), is theirs: kept. A copy or hard link is not.
    const moved = (p: string): boolean => {
      const from = had.get(identity(p));
      return from !== undefined && identity(from) !== identity(p);
    };
    const created = [...after.keys()].filter((p) => !before.has(p) && !moved(p));
    for (const p of created) {
      try {
        await rm(p, { recursive: true, force: true });
      } catch (error) {
        this.log(`agent: could not remove ${p} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
      }
    }
    return [...created, ...(await undoLinkChanges(links, folders, this.log))];
  }

  /**
   * Every nested protected path below `folders` (path → whether it is a link), folders read again
   * only when changed. A folder its owner cannot list or enter (`chmod 111`, `000`: a command may
   * hide what it made so) is opened for the walk (owner read and search added) and closed again
   * after it — or, given `opened`, when the caller calls {@link reclose} (after removing what it found).
   */
  async scan(folders: readonly string[], opened?: Opened[]): Promise<Map<string, boolean>> {
    const found = new Map<string, boolean>();
    const stack = [...folders];
    const started = Date.now();
    const open = opened ?? [];
    try {
      for (let looked = 1; stack.length; looked++) {
        if (looked % SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
        const dir = stack.pop()!;
        // A workspace folder is a root wherever the walk meets it (one may hold another): its own names are held by placeholders.
        const folder = this.folder(dir, folders.includes(dir), started, open);
        if (!folder) continue;
        for (const hit of folder.hits) found.set(hit.path, hit.link);
        stack.push(...folder.subfolders);
      }
    } finally {
      if (!opened) reclose(open);
    }
    return found;
  }

  private folder(dir: string, isRoot: boolean, started: number, opened: Opened[]): Folder | undefined {
    let stat;
    try {
      stat = lstatSync(dir);
    } catch {
      return undefined;
    }
    if (!stat.isDirectory()) return undefined;
    if ((stat.mode & 0o500) !== 0o500 && process.getuid?.() === stat.uid) {
      try {
        chmodSync(dir, (stat.mode & 0o7777) | 0o500);
        opened.push({ path: dir, mode: stat.mode & 0o7777 });
      } catch (error) {
        this.log(`agent: could not look into ${dir} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
      }
    }
    const cached = this.cache.get(dir);
    if (cached?.trusted && cached.isRoot === isRoot && cached.ctimeMs === stat.ctimeMs && cached.ino === stat.ino)
      return cached;
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return undefined;
    }
    const hits = entries
      .filter((e) => this.isProtected(e.name, dir, isRoot))
      .map((e) => ({ path: path.join(dir, e.name), link: e.isSymbolicLink() }));
    const subfolders = entries
      .filter((e) => e.isDirectory() && !PRUNED.has(e.name) && !hits.some((h) => h.path === path.join(dir, e.name)))
      .map((e) => path.join(dir, e.name));
    const folder = {
      ctimeMs: stat.ctimeMs,
      ino: stat.ino,
      trusted: stat.ctimeMs < started - RACY_MS,
      isRoot,
      subfolders,
      hits,
    };
    this.cache.set(dir, folder);
    return folder;
  }

  /** Whether `name` in `dir` is a nested protected name (the root's `.git` and `.envrc` are held by placeholders). */
  private isProtected(name: string, dir: string, isRoot: boolean): boolean {
    if (name.toLowerCase().endsWith('.code-workspace')) return true;
    if (dir === this.home && HOME_STARTUP_FILES.includes(name)) return true;
    return !isRoot && (name === '.git' || name === '.envrc');
  }
}

/** A folder the walk opened, and the mode to give it back. */
interface Opened {
  readonly path: string;
  readonly mode: number;
}

/** Gives the folders the walk opened their modes back, innermost first. */
function reclose(opened: Opened[]): void {
  for (const { path: dir, mode } of opened.splice(0).reverse()) {
    try {
      chmodSync(dir, mode);
    } catch {
      // Gone since (removed or moved): nothing to give back.
    }
  }
}

function reachable(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

/** A path's file (device and inode; `''` when it is gone), to tell a moved one from a new one. */
function identity(p: string): string {
  try {
    const stat = lstatSync(p);
    return `${stat.dev}:${stat.ino}`;
  } catch {
    return '';
  }
}

/** What the model (and the user, on the card) reads when a command created nested protected paths, removed since. */
export function createdNote(created: readonly string[], folders: readonly string[]): string | undefined {
  if (!created.length) return undefined;
  const names = created.map((p) => {
    const folder = folders.find((f) => p.startsWith(`${f}/`));
    return quoted(folder ? path.relative(folder, p) : p, 160);
  });
  const one = names.length === 1;
  return (
    `[sandbox: this command created or changed ${names.join(', ')}, which ${one ? 'is a protected path' : 'are protected paths'} ` +
    `that may run commands (git runs a repository's hooks, direnv every .envrc up the tree, a .code-workspace ` +
    `file its tasks); ${one ? 'it was' : 'they were'} removed (a link put back as it was). Propose such a file with write_file instead ` +
    `(it asks the user), or ask the user to do it.]`
  );
}
