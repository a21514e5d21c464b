/**
 * Why an approved command failed writing a protected path: the sandbox holds those paths
 * read-only whatever the approval (`echo hi > .vscode/tasks.json`, `cp x .envrc`, `git config
 * core.hooksPath …` locking `.git/config`), and the shell or program only says "Read-only file
 * system". The note names the path and says what to do instead, for the model and the card. Pure.
 */
import { protectedPathReason } from './protectedPaths';

/** A line of output that reports a write refused by a read-only mount. */
const READ_ONLY = /read-only file system|EROFS/i;

/** The protected paths the output's read-only errors name (quotes and `:` around them dropped). */
export function readOnlyProtected(output: string): string[] {
  const names = new Set<string>();
  for (const line of output.split('\n')) {
    if (!READ_ONLY.test(line)) continue;
    for (const piece of line.split(/[\s'"`‘’“”:,()]+/)) {
      const path = piece.replace(/^\.\//, '');
      if (path && protectedPathReason(path)) names.add(path);
    }
  }
  return [...names];
}

/** The note after a sandboxed command's output when it failed writing protected paths, or undefined. */
export function readOnlyNote(output: string): string | undefined {
  const names = readOnlyProtected(output);
  if (!names.length) return undefined;
  const one = names.length === 1;
  return (
    `[sandbox: ${names.join(', ')} ${one ? 'is a protected path' : 'are protected paths'} (${one ? 'it' : 'they'} may run ` +
    `commands), held read-only inside the sandbox even for an approved command, so this command could not write ` +
    `${one ? 'it' : 'them'}. Do not retry it: propose the change with write_file or edit_file (it asks the user), or ` +
    `ask the user to make it.]`
  );
}
