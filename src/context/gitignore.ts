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
