/**
 * The paths bwrap mounts on, resolved: bwrap makes each mount point's parents inside the new root
 * and cannot go through a link, so a workspace, a home secret, a user-data folder or a dotfile
 * reached through one (a symlinked home or tool folder, GNU Stow's dotfiles) made every command
 * fail ("Can't mkdir parents for …"). Each path is given with its links resolved; duplicates (two
 * names for one place) go. Node only, no editor API.
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import { isWithin } from './bwrap';

export interface MountPoints {
  /** The workspace folders, resolved. */
  readonly writable: readonly string[];
  /** The existing folders to hide, resolved, except any that holds a workspace folder. */
  readonly hiddenFolders: readonly string[];
  /** The existing files to hide, resolved. */
  readonly hiddenFiles: readonly string[];
}

/** What to mount for `folders`, hiding those of `hideFolders` and `hideFiles` that exist. */
export function mountPoints(
  folders: readonly string[],
  hideFolders: readonly string[],
  hideFiles: readonly string[],
): MountPoints {
  const writable = folders.map(resolved);
  // A hidden folder that holds a workspace folder would hide the workspace: left visible (read-only).
  const keep = (p: string): boolean => !writable.some((f) => isWithin(f, [p]));
  return {
    writable,
    hiddenFolders: unique(hideFolders.filter(isDirectory).map(resolved)).filter(keep),
    hiddenFiles: unique(hideFiles.filter((p) => existsSync(p) && !isDirectory(p)).map(resolved)),
  };
}

/** `p` with every link on the way resolved (as it is when it cannot be). */
export function resolved(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

const unique = (paths: readonly string[]): string[] => [...new Set(paths)];

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
