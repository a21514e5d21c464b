/** Nested `.gitignore` files, read the way Git reads them. Pure (the `ignore` package does the matching). */
import type { Ignore } from 'ignore';

/**
 * Whether a `.gitignore` between the workspace folder and the file ignores it: each one is asked
 * about the path relative to its own folder (Git's rule for nested ignore files).
 */
export function ignoredByAny(filePath: string, folderPath: string, rules: ReadonlyMap<string, Ignore>): boolean {
  let dir = filePath.slice(0, filePath.lastIndexOf('/'));
  while (dir.length >= folderPath.length) {
    const rule = rules.get(dir);
    if (rule && rule.ignores(filePath.slice(dir.length + 1))) return true;
    if (dir === folderPath) break;
    dir = dir.slice(0, dir.lastIndexOf('/'));
  }
  return false;
}

/** One ignore file: the workspace-relative folder it governs ('' for the root) and its rules. */
export interface GitignoreLayer {
  readonly dir: string;
  readonly rules: Ignore;
}

/** `a\b/c.txt` → `a/b/c.txt`: the forward-slash relative form Git and the `ignore` package read. */
export function gitPath(relativePath: string): string {
  return relativePath
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .replace(/^\/+/, '');
}

/**
 * The folders whose `.gitignore` applies to a workspace-relative file, nearest first
 * (`a/b/c.txt` → `a/b`, `a`, ''): Git reads the one in every folder on the way down.
 */
export function gitignoreFolders(relativePath: string): string[] {
  const parts = gitPath(relativePath).split('/').slice(0, -1);
  const out: string[] = [];
  for (let n = parts.length; n >= 0; n--) out.push(parts.slice(0, n).join('/'));
  return out;
}

/**
 * Whether Git ignores a workspace-relative path, given its ignore files in Git's precedence
 * (nearest `.gitignore` first, then `.git/info/exclude`): a path inside an ignored folder is
 * ignored whatever a deeper file says (Git never reads it); otherwise the first file with a
 * verdict — a pattern that ignores the path, or a `!pattern` that takes it back — decides. Paths
 * outside the workspace (`..`) and empty paths are never ignored.
 */
export function gitIgnores(relativePath: string, layers: readonly GitignoreLayer[]): boolean {
  const normal = gitPath(relativePath);
  if (!normal || normal.split('/').includes('..')) return false;
  const parts = normal.split('/');
  for (let n = 1; n < parts.length; n++) if (verdict(`${parts.slice(0, n).join('/')}/`, layers) === true) return true;
  return verdict(normal, layers) === true;
}

/** The first layer's verdict on a path (a folder ends in `/`): true ignored, false taken back, undefined none. */
function verdict(normal: string, layers: readonly GitignoreLayer[]): boolean | undefined {
  for (const layer of layers) {
    const dir = gitPath(layer.dir).replace(/\/+$/, '');
    if (dir && !normal.toLowerCase().startsWith(`${dir.toLowerCase()}/`)) continue;
    const below = dir ? normal.slice(dir.length + 1) : normal;
    if (!below) continue;
    try {
      const result = layer.rules.test(below);
      if (result.ignored) return true;
      if (result.unignored) return false;
    } catch {
      // `ignore` refuses paths it cannot place: no verdict from this file.
    }
  }
  return undefined;
}
