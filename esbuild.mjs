// Builds the two bundles: the extension host (node, cjs, `vscode` external) and the chat
// webview (browser, iife). Types are checked separately by `tsc --noEmit` (npm run typecheck).
import { copyFileSync, mkdirSync } from 'node:fs';
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
    build.onResolve({ filter: /^\.\/tokenizer$/ }, (args) =>
      args.importer.endsWith('tokens.ts') ? { path: './tokenizer.js', external: true } : undefined,
    );
    build.onResolve({ filter: /^\.\/treeSitter$/ }, (args) =>
      args.importer.endsWith('shellSyntax.ts') ? { path: './treeSitter.js', external: true } : undefined,
    );
  },
};

/**
 * The MCP client (the SDK, ajv) is its own bundle too, `dist/mcp.js`: `src/vscode/mcp/lazy.ts`
 * requires `./runtime` on the first agent task with MCP servers.
 */
const lazyMcp = {
  name: 'lazy-mcp',
  setup(build) {
    build.onResolve({ filter: /^\.\/runtime$/ }, (args) =>
      /[\\/]mcp[\\/]lazy\.ts$/.test(args.importer) ? { path: './mcp.js', external: true } : undefined,
    );
  },
};

/**
 * Switchyard calls one endpoint of the `openai` SDK: `chat.completions.create` (streaming). The
 * SDK's client constructs every other API resource (assistants, files, realtime, …) in its
 * constructor, so esbuild cannot tree-shake them: ~75 KiB of the host bundle. This plugin hands
 * `openai/client.mjs` an empty class for each resource other than `chat`. Nothing here calls them;
 * if a future SDK adds or renames a resource, the build fails (`import-is-undefined` and missing
 * exports are errors below) instead of shipping an undefined constructor. Measured: 449 → 375 KiB.
 */
const UNUSED_OPENAI_RESOURCES = [
  'Admin',
  'Audio',
  'Batches',
  'Beta',
  'Completions',
  'Containers',
  'Conversations',
  'Embeddings',
  'Evals',
  'Files',
  'FineTuning',
  'Graders',
  'Images',
  'Models',
  'Moderations',
  'Realtime',
  'Responses',
  'Skills',
  'Uploads',
  'VectorStores',
  'Videos',
  'Webhooks',
];
const unusedResources = `class Unused { constructor(client) { this._client = client; } }\n${UNUSED_OPENAI_RESOURCES.map((name) => `export class ${name} extends Unused {}`).join('\n')}\n`;
const openaiChatOnly = {
  name: 'openai-chat-only',
  setup(build) {
    build.onResolve({ filter: /^\.\/resources\// }, (args) => {
      if (
        !/[\\/]node_modules[\\/]openai[\\/]client\.mjs$/.test(args.importer) ||
        args.path === './resources/chat/chat.mjs'
      )
        return undefined;
      return { path: args.path, namespace: 'openai-unused' };
    });
    build.onLoad({ filter: /.*/, namespace: 'openai-unused' }, (args) => ({
      contents:
        args.path === './resources/index.mjs'
          ? `export { Chat } from 'openai/resources/chat/chat.mjs';\n${unusedResources}`
          : unusedResources,
      resolveDir: process.cwd(),
    }));
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
  plugins: [lazyTokenizer, lazyMcp, openaiChatOnly],
  // jsonc-parser's `main` is a UMD build whose inner requires esbuild leaves unresolved ("Cannot find module './impl/format'"); its ESM build bundles cleanly.
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
  logOverride: { 'import-is-undefined': 'error' },
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

const mcp = {
  ...common,
  entryPoints: ['src/vscode/mcp/runtime.ts'],
  outfile: 'dist/mcp.js',
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  metafile: true,
};

/** web-tree-sitter's runtime for command approvals, required on the agent's first command (src/agent/sandbox/treeSitter.ts). */
// Its ES module build reads `import.meta.url`, which a CommonJS bundle lacks: given the file's own URL.
const treeSitter = {
  ...tokenizer,
  entryPoints: ['src/agent/sandbox/treeSitter.ts'],
  outfile: 'dist/treeSitter.js',
  define: { ...common.define, 'import.meta.url': '__treeSitterUrl' },
  banner: { js: 'var __treeSitterUrl = require("url").pathToFileURL(__filename).href;' },
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

/**
 * The shell grammar for command approvals (src/agent/sandbox/shellSyntax.ts): web-tree-sitter's
 * runtime wasm and the bash grammar's wasm (@vscode/tree-sitter-wasm), copied next to the host
 * bundle and loaded on the agent's first command.
 */
const WASM_FILES = [
  'node_modules/web-tree-sitter/tree-sitter.wasm',
  'node_modules/@vscode/tree-sitter-wasm/wasm/tree-sitter-bash.wasm',
];
mkdirSync('dist', { recursive: true });
for (const file of WASM_FILES) copyFileSync(file, `dist/${file.split('/').pop()}`);

if (watch) {
  const contexts = await Promise.all([
    esbuild.context(host),
    esbuild.context(tokenizer),
    esbuild.context(mcp),
    esbuild.context(treeSitter),
    esbuild.context(webview),
  ]);
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all([
    esbuild.build(host),
    esbuild.build(tokenizer),
    esbuild.build(mcp),
    esbuild.build(treeSitter),
    esbuild.build(webview),
  ]);
}
