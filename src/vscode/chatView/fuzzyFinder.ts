/**
 * The `fzf` package (fuzzy file search for `@` mentions), bundled apart as dist/fzf.js (esbuild.mjs)
 * and required by `fileIndex.ts` on the first search, so activation never parses it.
 */
export { Fzf } from 'fzf';
