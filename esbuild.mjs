// Builds the two bundles: the extension host (node, cjs, `vscode` external) and the chat
// webview (browser, iife). Types are checked separately by `tsc --noEmit` (npm run typecheck).
import { copyFileSync, mkdirSync } from 'node:fs';
import * as esbuild from 'esbuild';
import { buildSharedChunks } from './scripts/sharedChunks.mjs';

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
 * Lazy chunks: code not needed at activation is its own bundle next to the host bundle. Each entry
 * is a module that its one importer `require`s on first use (a plain require, not an import); this
 * plugin leaves that require as `require("./<chunk>.js")`. Every chunk is listed in .vscodeignore.
 * - tokenizer: the rank table (~2 MB), on the first token count (src/context/tokens.ts);
 * - treeSitter: web-tree-sitter's runtime, on the agent's first command (shellSyntax.ts);
 * - mcp: the MCP client (the SDK, ajv), on the first agent task with MCP servers (mcp/lazy.ts);
 * - openaiSdk: the `openai` SDK, on the first chat request (src/openrouter/client.ts);
 * - ignore: .gitignore matching, on the first secret-name check or file index (ignorePackage.ts);
 * - fzf: fuzzy file search, on the first `@` search (src/vscode/fileIndex.ts);
 * - jsonc: jsonc-parser, on the first mcp.json read (src/vscode/mcp/configFiles.ts).
 */
const LAZY_CHUNKS = [
  { request: './tokenizer', importer: /[\\/]tokens\.ts$/, chunk: 'tokenizer', entry: 'src/context/tokenizer.ts' },
  {
    request: './treeSitter',
    importer: /[\\/]shellSyntax\.ts$/,
    chunk: 'treeSitter',
    entry: 'src/agent/sandbox/treeSitter.ts',
  },
  { request: './runtime', importer: /[\\/]mcp[\\/]lazy\.ts$/, chunk: 'mcp', entry: 'src/vscode/mcp/runtime.ts' },
  { request: './openaiSdk', importer: /[\\/]client\.ts$/, chunk: 'openaiSdk', entry: 'src/openrouter/openaiSdk.ts' },
  {
    request: './ignoreBundle',
    importer: /[\\/]ignorePackage\.ts$/,
    chunk: 'ignore',
    entry: 'src/openrouter/ignoreBundle.ts',
  },
  {
    request: './fuzzyFinder',
    importer: /[\\/]fileIndex\.ts$/,
    chunk: 'fzf',
    entry: 'src/vscode/chatView/fuzzyFinder.ts',
  },
  { request: './jsonc', importer: /[\\/]mcp[\\/]configFiles\.ts$/, chunk: 'jsonc', entry: 'src/vscode/mcp/jsonc.ts' },
];

/**
 * Lazy chunks that share the host bundle's modules instead of copying them (scripts/sharedChunks.mjs):
 * first-use features that import much of the host's code and its classes.
 * - agent: Agent and Plan mode, MCP servers, instruction files and skills, on the first task shown
 *   or the first `/` menu or MCP command (src/vscode/agent/agentFeature.ts).
 * In watch mode they are bundled into the host (still evaluated on first use).
 */
const SHARED_CHUNKS = [
  {
    request: './agentChunk',
    importer: /[\\/]agentFeature\.ts$/,
    chunk: 'agent',
    entry: 'src/vscode/agent/agentChunk.ts',
  },
];

const lazyChunks = {
  name: 'lazy-chunks',
  setup(build) {
    build.onResolve({ filter: /^\.\/\w+$/ }, (args) => {
      const lazy = [...LAZY_CHUNKS, ...(watch ? [] : SHARED_CHUNKS)].find(
        (c) => c.request === args.path && c.importer.test(args.importer),
      );
      return lazy ? { path: `./${lazy.chunk}.js`, external: true } : undefined;
    });
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

/**
 * `--analyze`: what each bundle holds, by source folder (src/agent, src/vscode, …) and by
 * npm package, largest first — the first place to look when dist/extension.js grows.
 */
function sizeReport(metafiles) {
  const kib = (bytes) => `${(bytes / 1024).toFixed(1).padStart(7)} KiB`;
  const lines = [];
  for (const [file, output] of metafiles.flatMap((metafile) => Object.entries(metafile.outputs))) {
    if (file.endsWith('.map')) continue;
    const groups = new Map();
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const parts = input.split('/');
      const at = parts.lastIndexOf('node_modules');
      const group =
        at >= 0
          ? parts.slice(at, at + (parts[at + 1]?.startsWith('@') ? 3 : 2)).join('/')
          : parts.slice(0, 2).join('/');
      groups.set(group, (groups.get(group) ?? 0) + bytesInOutput);
    }
    lines.push(`${file}: ${kib(output.bytes)}`);
    for (const [group, bytes] of [...groups].sort((a, b) => b[1] - a[1]).slice(0, file === host.outfile ? 25 : 5))
      lines.push(`  ${kib(bytes)}  ${group}`);
  }
  return lines.join('\n');
}

const host = {
  ...common,
  entryPoints: ['src/extension.ts'],
  outfile: 'dist/extension.js',
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  plugins: [lazyChunks],
  // jsonc-parser's `main` is a UMD build whose inner requires esbuild leaves unresolved ("Cannot find module './impl/format'"); its ESM build bundles cleanly.
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
  logOverride: { 'import-is-undefined': 'error' },
  metafile: true,
};

/** A lazy chunk's own bundle: built like the host bundle (a chunk may require another chunk). */
function chunkBuild({ chunk, entry }) {
  return { ...host, entryPoints: [entry], outfile: `dist/${chunk}.js` };
}

const chunks = LAZY_CHUNKS.map(chunkBuild).map((options) => {
  if (options.outfile === 'dist/openaiSdk.js') return { ...options, plugins: [openaiChatOnly] };
  if (options.outfile !== 'dist/treeSitter.js') return options;
  // web-tree-sitter's ES module build reads `import.meta.url`, which a CommonJS bundle lacks: given the file's own URL.
  return {
    ...options,
    define: { ...common.define, 'import.meta.url': '__treeSitterUrl' },
    banner: { js: 'var __treeSitterUrl = require("url").pathToFileURL(__filename).href;' },
  };
});

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
  const contexts = await Promise.all([host, ...chunks, webview].map((options) => esbuild.context(options)));
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  const results = (
    await Promise.all([
      buildSharedChunks(esbuild, host, SHARED_CHUNKS, host),
      ...[...chunks, webview].map((options) => esbuild.build(options)),
    ])
  ).flat();
  if (process.argv.includes('--analyze')) console.log(sizeReport(results.map((r) => r.metafile)));
}
