/**
 * Whether an open file may be sent at all (completions, their recent-edit snippets): the secret
 * policy's name rules (openrouter/secrets.ts) over every spelling of its path — and, for a file on
 * disk, over its real path with every symbolic link followed, so `notes.txt -> ~/.aws/credentials`
 * or `config.txt -> .env` is the secret file it shows. `node:fs` only.
 */
import { realpathSync } from 'node:fs';
import { isSecretPath } from '../openrouter/secrets';

/** The file's path with every link followed, or undefined when it cannot be read (not saved yet, gone). */
function realPath(fsPath: string): string | undefined {
  try {
    return realpathSync.native(fsPath);
  } catch {
    return undefined;
  }
}

/**
 * True when any of `spellings` (workspace-relative path, full path, untitled name) or the real
 * path of `fsPath` (undefined for a document not on disk), as is and as `relative` spells it for the
 * workspace's globs, is secret-looking or matches `exclude`.
 */
export function isSecretFile(
  spellings: readonly string[],
  fsPath: string | undefined,
  exclude: readonly string[],
  relative: (absolute: string) => string = (p) => p,
): boolean {
  if (spellings.some((p) => isSecretPath(p, exclude))) return true;
  const real = fsPath === undefined ? undefined : realPath(fsPath);
  if (real === undefined || real === fsPath) return false;
  return isSecretPath(real, exclude) || isSecretPath(relative(real), exclude);
}
