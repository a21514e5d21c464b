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
import { open, readlink, realpath } from 'node:fs/promises';
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
  // Never blocks on a named pipe or a device (they open at once and fail the file test); never follows a link put there since.
  const handle = await open(resolved.realPath, OPEN_FLAGS).catch(() => undefined);
  if (!handle) return { ok: false, why: 'unreadable' };
  try {
    if (!(await openedInside(handle.fd, realRoot))) return { ok: false, why: 'outside' };
    const stat = await handle.stat();
    if (!stat.isFile()) return { ok: false, why: 'not a file' };
    if (stat.size > limits.maxBytes) return { ok: false, why: 'too big' };
    const bytes = await handle.readFile();
    if (bytes.length > limits.maxBytes) return { ok: false, why: 'too big' };
    if (bytes.subarray(0, BINARY_PROBE).includes(0)) return { ok: false, why: 'binary' };
    return { ok: true, text: new TextDecoder().decode(bytes), realRel };
  } catch {
    return { ok: false, why: 'unreadable' };
  } finally {
    await handle.close();
  }
}

/** Whether the file behind `fd` is inside `realRoot`: Linux names it in /proc; elsewhere the earlier check stands. */
async function openedInside(fd: number, realRoot: string): Promise<boolean> {
  if (process.platform !== 'linux') return true;
  const opened = await readlink(`/proc/self/fd/${fd}`).catch(() => undefined);
  return opened === undefined || isInside(opened, realRoot);
}
