/**
 * Reading a repository's file as text the model will see without asking anyone (instruction
 * files, skills): only when it stays inside the workspace by its real path, does not usually hold
 * secrets by the name given or the name behind a link, is a regular file, small and not binary.
 * The file is opened once, without following a last link and without waiting on a named pipe, and
 * checked again through the open handle (on Linux, the path the kernel opened), so a link swapped
 * in between the check and the read is not followed out.
 * Pure: `node:fs/promises` and `node:path` only.
 */
import { constants } from 'node:fs';
import { open, readlink, realpath, type FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import { isSecretPath } from '../openrouter/secrets';
import { isInside, resolveInWorkspace } from './workspacePath';

/** Why a file was not read: outside the workspace (a link or a path), a secret's name, not a file, too big, binary, absent. */
export type ConfinedReadWhy = 'outside' | 'secret' | 'not a file' | 'too big' | 'binary' | 'unreadable';

export type ConfinedRead =
  | { readonly ok: true; readonly text: string; readonly realRel: string }
  | { readonly ok: false; readonly why: ConfinedReadWhy };

export interface ConfinedReadLimits {
  readonly maxBytes: number;
  /** `switchyard.context.exclude`, on top of the built-in secret names. */
  readonly secretGlobs?: readonly string[];
}

const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0);
/** The first bytes looked at for a NUL (Git's own test for a binary file). */
const BINARY_PROBE = 8000;

/** `rel` (relative to `root`, `/` or `\` separators) read under the rules above. Never throws. */
export async function readConfinedText(root: string, rel: string, limits: ConfinedReadLimits): Promise<ConfinedRead> {
  const globs = limits.secretGlobs ?? [];
  if (isSecretPath(rel.replace(/\\/g, '/'), globs)) return { ok: false, why: 'secret' };
  const resolved = await resolveInWorkspace(path.join(root, rel), [root]);
  if (!resolved.ok) return { ok: false, why: 'outside' };
  const realRoot = await realpath(root).catch(() => root);
  const realRel = path.relative(realRoot, resolved.realPath).split(path.sep).join('/');
  if (isSecretPath(realRel, globs)) return { ok: false, why: 'secret' };
  const read = await readOpenedInside(resolved.realPath, [realRoot], limits.maxBytes);
  if (read.ok) return { ok: true, text: new TextDecoder().decode(read.bytes), realRel };
  return { ok: false, why: read.why === 'folder' ? 'not a file' : read.why === 'absent' ? 'unreadable' : read.why };
}

/** Why {@link readOpenedInside} read nothing. */
export type OpenedReadWhy = 'outside' | 'folder' | 'not a file' | 'too big' | 'binary' | 'absent' | 'unreadable';

export type OpenedRead =
  { readonly ok: true; readonly bytes: Uint8Array } | { readonly ok: false; readonly why: OpenedReadWhy };

/**
 * The bytes of `realPath` (a path already resolved inside one of `realRoots`), opened once without
 * following a last link and without waiting on a named pipe, then checked through the open handle:
 * still inside a root (a link swapped in since the check is not followed out), a regular file, at
 * most `maxBytes`, not binary. Never throws.
 */
export async function readOpenedInside(
  realPath: string,
  realRoots: readonly string[],
  maxBytes: number,
): Promise<OpenedRead> {
  let handle: FileHandle;
  try {
    handle = await open(realPath, OPEN_FLAGS);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, why: code === 'ENOENT' ? 'absent' : code === 'ELOOP' ? 'outside' : 'unreadable' };
  }
  try {
    if (!(await openedInside(handle.fd, realRoots))) return { ok: false, why: 'outside' };
    const stat = await handle.stat();
    if (stat.isDirectory()) return { ok: false, why: 'folder' };
    if (!stat.isFile()) return { ok: false, why: 'not a file' };
    if (stat.size > maxBytes) return { ok: false, why: 'too big' };
    const bytes = await handle.readFile();
    if (bytes.length > maxBytes) return { ok: false, why: 'too big' };
    if (bytes.subarray(0, BINARY_PROBE).includes(0)) return { ok: false, why: 'binary' };
    return { ok: true, bytes };
  } catch {
    return { ok: false, why: 'unreadable' };
  } finally {
    await handle.close();
  }
}

/** Whether the file behind `fd` is inside one of `realRoots`: Linux names it in /proc; elsewhere the earlier check stands. */
async function openedInside(fd: number, realRoots: readonly string[]): Promise<boolean> {
  if (process.platform !== 'linux') return true;
  const opened = await readlink(`/proc/self/fd/${fd}`).catch(() => undefined);
  return opened === undefined || realRoots.some((root) => isInside(opened, root));
}
