/**
 * The agent's writes, creates and deletes, done so that the final write cannot follow a link put
 * there after the path was checked (by a command the agent ran earlier, a watcher, a build) —
 * the counterpart of `readOpenedInside` (confinedRead.ts). On Linux the folder is reached from the
 * workspace root one component at a time, each opened without following a link, and every later
 * step names the file through that open folder (`/proc/self/fd/N/name`), so a folder on the way
 * swapped for a link after the check is not followed either. The new content goes to a temporary
 * file created (never followed) in that folder and is renamed over the file: a rename replaces a
 * name and never writes through a link, so a link swapped in at the last moment is replaced, not
 * written through; one seen just before the rename is refused ("… is a link now"). A delete
 * unlinks through the open folder (an unlink removes a link, never what it points at). Elsewhere
 * (no /proc) the same steps go by path, each component checked for a link just before.
 * Pure: `node:fs` and `node:path` only.
 */
import { constants } from 'node:fs';
import { lstat, mkdir, open, readlink, realpath, rename, unlink, type FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import { isInside } from './workspacePath';

/** Why {@link writeInside} wrote nothing: a link (now) on the way, outside the roots, a folder there, or an error code. */
export type ConfinedWriteWhy = 'link' | 'outside' | 'folder' | 'failed';

export type ConfinedWrite =
  { readonly ok: true } | { readonly ok: false; readonly why: ConfinedWriteWhy; readonly code?: string };

/** The moment between the checks and the write (tests swap a link in there; nothing else uses it). */
export interface WriteHooks {
  /** After the folder is held and the new content is in its temporary file, before the last look at the name. */
  beforeCommit?(): Promise<void>;
  /** After that last look, just before the rename or unlink. */
  beforeRename?(): Promise<void>;
}

const PINNED = process.platform === 'linux';
const DIR_FLAGS = constants.O_RDONLY | (constants.O_DIRECTORY ?? 0) | (constants.O_NOFOLLOW ?? 0);
/** Kept at the start of a file that had it (the editor keeps a file's encoding too; the agent's text never carries it). */
const UTF8_BOM = new Uint8Array([0xef, 0xbb, 0xbf]);
const TEMP_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);

/** A folder held open, and how to name what is inside it. */
interface Folder {
  readonly handle: FileHandle | undefined;
  readonly path: string;
  at(name: string): string;
}

class Refused extends Error {
  constructor(
    readonly why: ConfinedWriteWhy,
    readonly code?: string,
  ) {
    super(why);
  }
}

/**
 * Writes `bytes` to `absolute` (lexically inside one of `roots`), creating missing folders, or
 * deletes it when `bytes` is null (nothing to delete is fine); never through a link. A replaced file keeps its mode and its UTF-8 BOM. Never throws.
 */
export async function writeInside(
  absolute: string,
  roots: readonly string[],
  bytes: Uint8Array | null,
  hooks: WriteHooks = {},
): Promise<ConfinedWrite> {
  // The folders as given and as resolved: a path may be written under either (a workspace opened through a link).
  const realRoots = [...roots, ...(await Promise.all(roots.map((r) => realpath(r).catch(() => r))))];
  const root = realRoots.filter((r) => isInside(absolute, r)).sort((a, b) => b.length - a.length)[0];
  const parts = root === undefined ? [] : path.relative(root, absolute).split(path.sep).filter(Boolean);
  const name = parts.pop();
  if (root === undefined || name === undefined) return { ok: false, why: 'outside' };
  let folder: Folder | undefined;
  try {
    folder = await holdFolder(root, parts, bytes !== null);
    if (!folder) return { ok: true }; // a delete below a folder that is not there
    const inside = (): Promise<boolean> => stillInside(folder!, realRoots);
    if (bytes === null) await deleteIn(folder, name, inside, hooks);
    else await replaceIn(folder, name, bytes, inside, hooks);
    return { ok: true };
  } catch (error) {
    if (error instanceof Refused) return { ok: false, why: error.why, ...(error.code ? { code: error.code } : {}) };
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, why: code === 'EISDIR' ? 'folder' : 'failed', ...(code ? { code } : {}) };
  } finally {
    await folder?.handle?.close().catch(() => undefined);
  }
}

/** The folder `parts` below `root`, each component opened without following a link (made when `create`). */
async function holdFolder(root: string, parts: readonly string[], create: boolean): Promise<Folder | undefined> {
  let current = await openFolder(root, root, true);
  for (const part of parts) {
    const next = current.at(part);
    if (create)
      await mkdir(next).catch((e: NodeJS.ErrnoException) => (e.code === 'EEXIST' ? undefined : Promise.reject(e)));
    else if (!(await exists(next))) {
      await current.handle?.close();
      return undefined;
    }
    const held = await openFolder(next, path.join(current.path, part), false).finally(() => current.handle?.close());
    current = held;
  }
  return current;
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

/** The new content in a temporary file of `folder`, renamed over `name` unless a link is there now. */
async function replaceIn(
  folder: Folder,
  name: string,
  bytes: Uint8Array,
  inside: () => Promise<boolean>,
  hooks: WriteHooks,
): Promise<void> {
  const before = await kind(folder.at(name));
  if (before.link) throw new Refused('link');
  if (before.folder) throw new Refused('folder');
  // The name shortened: a name as long as the file system allows leaves no room for the temporary one's suffix.
  const temp = `.${[...name].slice(0, 40).join('')}.switchyard-${process.pid}-${Math.random().toString(36).slice(2, 10)}.tmp`;
  const bom = before.mode !== undefined && !hasBom(bytes) && (await fileHasBom(folder.at(name)));
  const file = await open(folder.at(temp), TEMP_FLAGS, before.mode ?? 0o666);
  let renamed = false;
  try {
    if (bom) await file.write(UTF8_BOM);
    await file.writeFile(bytes);
    if (before.mode !== undefined) await file.chmod(before.mode);
    await file.datasync();
    await file.close();
    await hooks.beforeCommit?.();
    await lastLook(folder, name, inside);
    await hooks.beforeRename?.();
    await rename(folder.at(temp), folder.at(name));
    renamed = true;
  } finally {
    await file.close().catch(() => undefined);
    if (!renamed) await unlink(folder.at(temp)).catch(() => undefined);
  }
}

/** Unlinks `name` in `folder` (a link there now is refused; one swapped in at the very end is removed, its target kept). */
async function deleteIn(
  folder: Folder,
  name: string,
  inside: () => Promise<boolean>,
  hooks: WriteHooks,
): Promise<void> {
  await hooks.beforeCommit?.();
  if ((await lastLook(folder, name, inside)).missing) return;
  await hooks.beforeRename?.();
  await unlink(folder.at(name)).catch((e: NodeJS.ErrnoException) =>
    e.code === 'ENOENT' ? undefined : Promise.reject(e),
  );
}

/** The name just before the rename or unlink: no link or folder there now, and its folder not moved out. */
async function lastLook(folder: Folder, name: string, inside: () => Promise<boolean>): Promise<{ missing?: true }> {
  if (!(await inside())) throw new Refused('outside');
  const now = await kind(folder.at(name));
  if (now.link) throw new Refused('link');
  if (now.folder) throw new Refused('folder');
  return now.missing ? { missing: true } : {};
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

/** Whether `bytes` begin with a UTF-8 BOM. */
function hasBom(bytes: Uint8Array): boolean {
  return UTF8_BOM.every((b, i) => bytes[i] === b);
}

/** Whether the file at `p` begins with a UTF-8 BOM (read without following a link or waiting on a pipe). */
async function fileHasBom(p: string): Promise<boolean> {
  const head = new Uint8Array(3);
  try {
    const handle = await open(p, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
    const { bytesRead } = await handle.read(head, 0, 3, 0).finally(() => handle.close());
    return bytesRead === 3 && hasBom(head);
  } catch {
    return false;
  }
}

async function exists(p: string): Promise<boolean> {
  return lstat(p).then(
    () => true,
    () => false,
  );
}

/** What the model and the card read when {@link writeInside} wrote nothing (`rel`: the path as the workspace names it). */
export function confinedWriteError(
  rel: string,
  result: Exclude<ConfinedWrite, { ok: true }>,
  deleting: boolean,
): string {
  const not = deleting ? 'not deleted' : 'not written';
  switch (result.why) {
    case 'link':
      return `${rel} is a link now (or is below one); ${not}: the agent never writes through a link`;
    case 'outside':
      return `${rel} is outside the workspace now (its folder was moved); ${not}`;
    case 'folder':
      return `${rel} is a folder; ${not}`;
    default:
      return `${rel} could not be ${deleting ? 'deleted' : 'written'} (${result.code ?? 'error'})`;
  }
}
