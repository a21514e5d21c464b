/**
 * Path confinement for anything that reads or writes on the model's or a mention's behalf: a
 * candidate path (relative to the first workspace folder, or absolute) is resolved to its real
 * path (symlinks followed) and accepted only inside a workspace folder. A path that climbs out
 * (`..`), an absolute path elsewhere, and a symlink (the file or any folder on the way) that
 * leads outside are refused with a reason the model or the user can read. A path that does not
 * exist yet (a file to create) is checked through its nearest existing parent. Pure: node:fs and
 * node:path only.
 */
import { realpath } from 'node:fs/promises';
import * as path from 'node:path';

export type WorkspacePathResult = { ok: true; realPath: string } | { ok: false; reason: string };

function inside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The real path of `p`, or of its nearest existing ancestor joined with the rest. */
async function realPathOf(p: string): Promise<string> {
  const rest: string[] = [];
  let current = p;
  for (;;) {
    try {
      const real = await realpath(current);
      return rest.length ? path.join(real, ...rest.reverse()) : real;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
      const parent = path.dirname(current);
      if (parent === current) return p;
      rest.push(path.basename(current));
      current = parent;
    }
  }
}

/**
 * Resolves `candidate` against the workspace folders (absolute file-system paths; a relative
 * candidate is taken from the first). `{ok: false, reason}` when there is no folder, the path is
 * empty or has a NUL, or it (after symlinks) lies outside every folder.
 */
export async function resolveInWorkspace(candidate: string, workspaceFolders: readonly string[]): Promise<WorkspacePathResult> {
  if (workspaceFolders.length === 0) return { ok: false, reason: 'no folder is open in the workspace' };
  const trimmed = candidate.trim();
  if (!trimmed) return { ok: false, reason: 'the path is empty' };
  if (trimmed.includes('\0')) return { ok: false, reason: 'the path contains a NUL character' };
  const lexical = path.resolve(workspaceFolders[0]!, trimmed);
  const folders = await Promise.all(workspaceFolders.map((f) => realPathOf(path.resolve(f))));
  if (!workspaceFolders.some((f) => inside(lexical, path.resolve(f))) && !folders.some((f) => inside(lexical, f))) {
    return { ok: false, reason: `${candidate} is outside the workspace` };
  }
  let real: string;
  try {
    real = await realPathOf(lexical);
  } catch (error) {
    return { ok: false, reason: `${candidate} cannot be resolved: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
  }
  if (!folders.some((f) => inside(real, f))) return { ok: false, reason: `${candidate} leads outside the workspace (through a symbolic link)` };
  return { ok: true, realPath: real };
}
