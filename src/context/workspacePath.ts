/**
 * The workspace boundary for context and tools: a path is resolved with `realpath` (every symbolic
 * link followed, `..` removed) and refused when it lands outside every workspace folder; which files
 * usually hold secrets is the secret policy's (openrouter/secrets.ts). Pure: `node:fs/promises` and `node:path` only.
 *
 * Source of the rule: issue 15, "Context never leaves the workspace" — a cloned repository can
 * ship `config/example.ini -> ../../../.aws/credentials`.
 */
import { lstat, realpath } from 'node:fs/promises';
import * as path from 'node:path';
import { quoted } from '../openrouter/untrustedText';

export type WorkspacePathResult =
  { readonly ok: true; readonly realPath: string } | { readonly ok: false; readonly reason: string };

/**
 * Resolves `candidate` (absolute, or relative to the first workspace folder) to its real path and
 * checks that it lies inside one of `workspaceFolders` (absolute paths; themselves resolved with
 * `realpath`, so a workspace opened through a link still works).
 *
 * A path that does not exist yet (a file a tool is about to create) is resolved through its nearest
 * existing parent folder. Never throws; `reason` is a sentence naming the path (quoted, inert).
 */
export async function resolveInWorkspace(
  candidate: string,
  workspaceFolders: readonly string[],
): Promise<WorkspacePathResult> {
  const shown = quoted(candidate, 160);
  const problem = problemBelowFolders(candidate, workspaceFolders);
  if (problem) return { ok: false, reason: `${shown} ${problem}.` };
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

/** Windows device names, refused as any path component (`nul`, `con.txt`, `COM1`…). */
const DEVICE_NAME = /^(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(?:\..*)?$/i;

/**
 * Why `candidate` is refused before any file-system call, or undefined: empty or NUL; UNC and
 * device namespaces (`\\server\share`, `\\?\`, `\\.\`, `//server`); POSIX device and kernel trees
 * (`/dev`, `/proc`, `/sys`); drive-relative (`C:file`, resolved against a per-drive current folder
 * nobody sees); Windows device names; on Windows, alternate data streams (`file:stream`).
 */
export function lexicalPathProblem(
  candidate: string,
  platform: NodeJS.Platform = process.platform,
): string | undefined {
  if (typeof candidate !== 'string' || !candidate.trim() || candidate.includes('\0')) return 'is not a valid path';
  const slashed = candidate.replace(/\\/g, '/');
  if (/^\/\//.test(slashed)) return 'is a network (UNC) or device path; only files of the open folders can be used';
  if (/^\/(?:dev|proc|sys)(?:\/|$)/.test(slashed))
    return 'is a device or kernel path; only files of the open folders can be used';
  if (/^[A-Za-z]:(?!\/)/.test(slashed))
    return "is relative to a drive's current folder; give a path relative to the workspace root";
  const parts = slashed.split('/');
  if (parts.some((part) => DEVICE_NAME.test(part.replace(/[ .]+$/, ''))))
    return 'names a device; only files of the open folders can be used';
  if (platform === 'win32' && parts.some((part, i) => part.includes(':') && !(i === 0 && /^[A-Za-z]:$/.test(part))))
    return 'names an alternate data stream';
  return undefined;
}

/**
 * {@link lexicalPathProblem} of the part below a workspace folder when `candidate` is written
 * under one (a workspace on a network share stays usable), else of the whole path.
 */
function problemBelowFolders(candidate: string, workspaceFolders: readonly string[]): string | undefined {
  if (typeof candidate === 'string' && candidate && path.isAbsolute(candidate) && !candidate.includes('\0')) {
    const folder = workspaceFolders.find((f) => isInside(path.resolve(candidate), f));
    if (folder !== undefined)
      return path.relative(folder, path.resolve(candidate))
        ? lexicalPathProblem(path.relative(folder, path.resolve(candidate)))
        : undefined;
  }
  return lexicalPathProblem(candidate);
}

/**
 * Where a tool may write `candidate`: its absolute path, lexically inside a workspace folder, with
 * no symbolic link anywhere from the folder down to the file — not the file itself (a dangling link
 * included), not a parent folder. A write never follows a link, whatever it points at. Never throws.
 */
export async function resolveForWrite(
  candidate: string,
  workspaceFolders: readonly string[],
): Promise<WorkspacePathResult> {
  const shown = quoted(candidate, 160);
  const problem = problemBelowFolders(candidate, workspaceFolders);
  if (problem) return { ok: false, reason: `${shown} ${problem}.` };
  const [first] = workspaceFolders;
  if (first === undefined) return { ok: false, reason: `${shown} cannot be written: no workspace folder is open.` };
  const absolute = path.resolve(first, candidate);
  const roots = [
    ...workspaceFolders,
    ...(await Promise.all(workspaceFolders.map(realOrUndefined))).filter((r): r is string => r !== undefined),
  ];
  const root = roots.filter((r) => isInside(absolute, r)).sort((a, b) => b.length - a.length)[0];
  if (root === undefined)
    return { ok: false, reason: `${shown} is outside the workspace; only files of the open folders can be written.` };
  let current = root;
  for (const part of path.relative(root, absolute).split(path.sep).filter(Boolean)) {
    current = path.join(current, part);
    try {
      if ((await lstat(current)).isSymbolicLink()) {
        const which =
          current === absolute
            ? 'is a symbolic link'
            : `is below ${quoted(path.relative(root, current), 160)}, a symbolic link`;
        return {
          ok: false,
          reason: `${shown} ${which}; the agent never writes through a link (it could lead outside the workspace).`,
        };
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') break;
      return { ok: false, reason: `${shown} cannot be written (${code ?? 'unreadable'}).` };
    }
  }
  return { ok: true, realPath: absolute };
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

async function isLink(p: string): Promise<boolean> {
  try {
    return (await lstat(p)).isSymbolicLink();
  } catch {
    return false;
  }
}

/** realpath of the longest existing prefix, with the missing rest appended (it holds no links yet); undefined through a dangling link. */
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
      // A dangling link is not a missing file: what it points at could appear outside at any time.
      if (await isLink(current)) return undefined;
      const parent = path.dirname(current);
      if (parent === current) return undefined;
      missing.push(path.basename(current));
      current = parent;
    }
  }
}
