/**
 * The `ignore` package (Git's .gitignore matching), bundled apart as dist/ignore.js (esbuild.mjs)
 * and required on the first match, so activation never parses it. Callers use {@link newIgnore}.
 */
import type { Ignore, Options } from 'ignore';

export type { Ignore };

/** A new, empty matcher (`ignore(options)`), loading the package on first use. */
export function newIgnore(options?: Options): Ignore {
  // A plain require so esbuild keeps the package out of the host bundle (see esbuild.mjs).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { default: ignore } = require('./ignoreBundle') as typeof import('./ignoreBundle');
  return ignore(options);
}
