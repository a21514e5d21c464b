/**
 * The workspace boundary for context and tools: a path is resolved with `realpath` (every symbolic
 * link followed, `..` removed) and refused when it lands outside every workspace folder; which files
 * usually hold secrets is the secret policy's (openrouter/secrets.ts). Pure: `node:fs/promises` and `node:path` only.
 *
 * Source of the rule: issue 15, "Context never leaves the workspace" — a cloned repository can
 * ship `config/example.ini -> ../../../.aws/credentials`.
 */
import { realpath } from 'node:fs/promises';
import * as path from 'node:path';
import { quoted } from '../openrouter/untrustedText';

export type WorkspacePathResult = { readonly ok: true; readonly realPath: string } | { readonly ok: false; readonly reason: string };

/**
 * Resolves `candidate` (absolute, or relative to the first workspace folder) to its real path and
 * checks that it lies inside one of `workspaceFolders` (absolute paths; themselves resolved with
 * `realpath`, so a workspace opened through a link still works).
 *
 * A path that does not exist yet (a file a tool is about to create) is resolved through its nearest
 * existing parent folder. Never throws; `reason` is a sentence naming the path (quoted, inert).
 */
export async function resolveInWorkspace(candidate: string, workspaceFolders: readonly string[]): Promise<WorkspacePathResult> {
  const shown = quoted(candidate, 160);
  if (!candidate || candidate.includes('\0')) return { ok: false, reason: `${shown} is not a valid path.` };
  const roots = (await Promise.all(workspaceFolders.map(realOrUndefined))).filter((r): r is string => r !== undefined);
  if (!roots.length) return { ok: false, reason: `${shown} cannot be attached: no workspace folder is open.` };
  const absolute = path.resolve(roots[0] as string, candidate);
  const real = await realOfExistingPrefix(absolute);
  if (real === undefined) return { ok: false, reason: `${shown} cannot be read.` };
  if (roots.some((root) => isInside(real, root))) return { ok: true, realPath: real };
  const viaLink = real !== absolute && roots.some((root) => isInside(absolute, root));
  return {
    ok: false,
    reason: viaLink
      ? `${shown} is a link to a file outside the workspace; only files of the open folders can be attached.`
      : `${shown} is outside the workspace; only files of the open folders can be attached.`,
  };
}

/** True when `child` is `root` or below it (both absolute and normalised). */
export function isInside(child: string, root: string): boolean {
  const relative = path.relative(root, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

async function realOrUndefined(p: string): Promise<string | undefined> {
  try {
    return await realpath(p);
  } catch {
    return undefined;
  }
}

/** realpath of the longest existing prefix, with the missing rest appended (it holds no links yet). */
async function realOfExistingPrefix(absolute: string): Promise<string | undefined> {
  const missing: string[] = [];
  let current = absolute;
  for (;;) {
    try {
      const real = await realpath(current);
      return missing.length ? path.join(real, ...missing.reverse()) : real;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') return undefined;
      const parent = path.dirname(current);
      if (parent === current) return undefined;
      missing.push(path.basename(current));
      current = parent;
    }
  }
}
