/**
 * The folder an agent write lands in, reached from the workspace root one component at a time,
 * each opened without following a link and held open (Linux), so every later step names the file
 * through that open folder (`/proc/self/fd/N/name`) and a folder on the way swapped for a link
 * after the check is not followed. Elsewhere (no /proc) the same steps go by path, each component
 * checked for a link just before. Used by confinedWrite.ts. Pure: `node:fs` and `node:path` only.
 */
import { constants } from 'node:fs';
import { lstat, mkdir, open, readlink, type FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import { isInside } from './workspacePath';

/** Why a confined write wrote nothing: a link (now) on the way, outside the roots, a folder there, or an error code. */
export type ConfinedWriteWhy = 'link' | 'outside' | 'folder' | 'failed';

const PINNED = process.platform === 'linux';
const DIR_FLAGS = constants.O_RDONLY | (constants.O_DIRECTORY ?? 0) | (constants.O_NOFOLLOW ?? 0);

/** A folder held open, and how to name what is inside it. */
export interface Folder {
  readonly handle: FileHandle | undefined;
  readonly path: string;
  at(name: string): string;
}

/** A folder made on the way to a new file: `name` in the held folder `in` (removed again when the apply is undone). */
export interface MadeFolder {
  readonly in: Folder;
  readonly name: string;
}

export class Refused extends Error {
  constructor(
    readonly why: ConfinedWriteWhy,
    readonly code?: string,
  ) {
    super(why);
  }
}

/**
 * The folder `parts` below `root`, each component opened without following a link; missing ones
 * are made when `made` is given (each pushed there, its parent kept open), else the answer is
 * undefined. A folder held here is closed by {@link release}.
 */
export async function holdFolder(
  root: string,
  parts: readonly string[],
  made: MadeFolder[] | undefined,
): Promise<Folder | undefined> {
  let current = await openFolder(root, root, true);
  for (const part of parts) {
    const parent = current;
    try {
      if (!(await reach(parent, part, made))) return undefined;
      current = await openFolder(parent.at(part), path.join(parent.path, part), false);
    } finally {
      if (!made?.some((m) => m.in === parent)) await parent.handle?.close().catch(() => undefined);
    }
  }
  return current;
}

/** Whether `name` is there in `folder` (made when `made` is given, and pushed there if it was not). */
async function reach(folder: Folder, name: string, made: MadeFolder[] | undefined): Promise<boolean> {
  if (!made) return exists(folder.at(name));
  const fresh = await mkdir(folder.at(name)).then(
    () => true,
    (e: NodeJS.ErrnoException) => (e.code === 'EEXIST' ? false : Promise.reject(e)),
  );
  if (fresh) made.push({ in: folder, name });
  return true;
}

/** Closes a held folder and the parents of the folders made on the way to it. */
export async function release(folder: Folder | undefined, made: readonly MadeFolder[]): Promise<void> {
  for (const f of [folder, ...made.map((m) => m.in)]) await f?.handle?.close().catch(() => undefined);
}

async function openFolder(at: string, shown: string, follow: boolean): Promise<Folder> {
  if (!PINNED) {
    if (!follow && (await lstat(at)).isSymbolicLink()) throw new Refused('link');
    return { handle: undefined, path: shown, at: (name) => path.join(shown, name) };
  }
  // The root may itself be reached through a link (a workspace opened that way); nothing below it may.
  const handle = await open(at, follow ? DIR_FLAGS & ~(constants.O_NOFOLLOW ?? 0) : DIR_FLAGS).catch(
    async (error: NodeJS.ErrnoException) => {
      throw (await kind(at).catch(() => ({}) as { link?: true })).link ? new Refused('link') : error;
    },
  );
  return { handle, path: shown, at: (name) => `/proc/self/fd/${handle.fd}/${name}` };
}

/** The name just before the rename or unlink: no link or folder there now, and its folder not moved out. */
export async function lastLook(folder: Folder, name: string, roots: readonly string[]): Promise<{ missing?: true }> {
  if (!(await stillInside(folder, roots))) throw new Refused('outside');
  return checkedKind(folder.at(name));
}

/** What is at `p`, refused when it is a link or a folder. */
export async function checkedKind(p: string): Promise<{ missing?: true; mode?: number }> {
  const now = await kind(p);
  if (now.link) throw new Refused('link');
  if (now.folder) throw new Refused('folder');
  return now;
}

/** Whether the held folder is still inside a root (it could have been moved out meanwhile); by path where nothing is held. */
async function stillInside(folder: Folder, roots: readonly string[]): Promise<boolean> {
  if (!folder.handle) return true;
  const now = await readlink(`/proc/self/fd/${folder.handle.fd}`).catch(() => undefined);
  return now === undefined || roots.some((root) => isInside(now, root));
}

async function kind(p: string): Promise<{ link?: true; folder?: true; missing?: true; mode?: number }> {
  try {
    const stat = await lstat(p);
    if (stat.isSymbolicLink()) return { link: true };
    if (stat.isDirectory()) return { folder: true };
    return { mode: stat.mode & 0o7777 };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { missing: true };
    throw error;
  }
}

async function exists(p: string): Promise<boolean> {
  return lstat(p).then(
    () => true,
    () => false,
  );
}
