/**
 * web-tree-sitter's runtime, a bundle of its own (dist/treeSitter.js, see esbuild.mjs) so the host
 * bundle does not carry it: shellSyntax.ts imports it on the agent's first command.
 */
export { Language, Parser } from 'web-tree-sitter';
