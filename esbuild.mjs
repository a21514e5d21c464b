// Builds the two bundles: the extension host (node, cjs, `vscode` external) and the chat
// webview (browser, iife). Types are checked separately by `tsc --noEmit` (npm run typecheck).
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  logLevel: 'info',
  legalComments: 'none',
  define: { 'process.env.NODE_ENV': production ? '"production"' : '"development"' },
};

/**
 * The tokenizer's rank table (~2 MB) stays out of dist/extension.js: `src/context/tokens.ts`
 * requires `./tokenizer` on first use, which this plugin leaves as `require("./tokenizer.js")`,
 * a separate bundle next to the host bundle.
 */
const lazyTokenizer = {
  name: 'lazy-tokenizer',
  setup(build) {
    build.onResolve({ filter: /^\.\/tokenizer$/ }, (args) => (args.importer.endsWith('tokens.ts') ? { path: './tokenizer.js', external: true } : undefined));
  },
};

const host = {
  ...common,
  entryPoints: ['src/extension.ts'],
  outfile: 'dist/extension.js',
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  plugins: [lazyTokenizer],
  metafile: true,
};

const tokenizer = {
  ...common,
  entryPoints: ['src/context/tokenizer.ts'],
  outfile: 'dist/tokenizer.js',
  platform: 'node',
  format: 'cjs',
  target: 'node20',
};

const webview = {
  ...common,
  entryPoints: ['src/webview/main.ts'],
  outfile: 'dist/webview.js',
  platform: 'browser',
  format: 'iife',
  target: 'chrome120',
  metafile: true,
};

if (watch) {
  const contexts = await Promise.all([esbuild.context(host), esbuild.context(tokenizer), esbuild.context(webview)]);
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all([esbuild.build(host), esbuild.build(tokenizer), esbuild.build(webview)]);
}
