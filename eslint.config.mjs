// Flat config. Besides the usual rules it enforces the layers of src/ (docs/architecture.md):
// each folder may import only the folders listed for it in LAYERS, so imports point one way and
// the folders form no cycle. The pure folders never import `vscode` at run time: only src/vscode/
// and src/extension.ts talk to the editor. test/unit/layers.test.ts lints a deliberate violation
// of every forbidden pair with this very config.
import tseslint from 'typescript-eslint';

/**
 * Folder of src/ → the folders it may import (besides itself), lowest layer first:
 *   protocol (the webview contract, command ids, units) → openrouter (the wire)
 *   → routing · account · context → config → turn (one request sent, counted and shown)
 *   → chat · agent · completions (callers of turn/, side by side)
 *   → mcp (MCP servers' tools in agent tasks) → vscode (adapters; extension.ts is the composition root).
 * webview is the browser bundle: it sees only protocol/ (types, and zod-free helpers).
 */
export const LAYERS = {
  protocol: [],
  openrouter: ['protocol'],
  routing: ['protocol', 'openrouter'],
  account: ['protocol', 'openrouter'],
  context: ['protocol', 'openrouter'],
  config: ['protocol', 'openrouter', 'routing', 'account', 'context'],
  turn: ['protocol', 'openrouter', 'routing', 'account', 'context', 'config'],
  chat: ['protocol', 'openrouter', 'routing', 'account', 'context', 'config', 'turn'],
  agent: ['protocol', 'openrouter', 'routing', 'account', 'context', 'config', 'turn'],
  completions: ['protocol', 'openrouter', 'routing', 'context', 'config', 'turn'],
  languageModel: ['protocol', 'openrouter', 'routing', 'account', 'context', 'config', 'turn', 'chat', 'agent'],
  mcp: ['protocol', 'openrouter', 'account', 'context', 'config', 'turn', 'agent'],
  vscode: [
    'protocol',
    'openrouter',
    'routing',
    'account',
    'context',
    'config',
    'turn',
    'chat',
    'agent',
    'completions',
    'languageModel',
    'mcp',
  ],
  webview: ['protocol'],
};

/** Folders whose code runs without VS Code (no `vscode` import, not even for types). */
export const PURE_FOLDERS = Object.keys(LAYERS).filter((folder) => folder !== 'vscode');

const folders = Object.keys(LAYERS);

/** The no-restricted-imports options of one folder: every folder it may not import, and (pure ones) `vscode`. */
function layerRule(folder) {
  const forbidden = folders.filter((other) => other !== folder && !LAYERS[folder].includes(other));
  const patterns = forbidden.map((other) => ({
    regex: `^(\\.\\./)+${other}(/|$)`,
    message: `Layering: src/${folder}/ may not import src/${other}/; it may import only ${LAYERS[folder].length ? LAYERS[folder].map((f) => `src/${f}/`).join(', ') : 'its own files'} (LAYERS in eslint.config.mjs, docs/architecture.md).`,
  }));
  const paths =
    folder === 'vscode'
      ? []
      : [
          {
            name: 'vscode',
            message: 'Pure modules must not import vscode; put editor code under src/vscode/.',
            allowTypeImports: false,
          },
        ];
  return ['error', { paths, patterns }];
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.cache/**', 'test-results/**', 'out/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  ...folders.map((folder) => ({
    files: [`src/${folder}/**`],
    rules: { '@typescript-eslint/no-restricted-imports': layerRule(folder) },
  })),
  {
    files: ['test/**', 'scripts/**', 'bench/**', 'esbuild.mjs'],
    rules: { 'no-console': 'off' },
  },
  // No function over 60 lines as Prettier leaves them (blank lines and comments count). Tests'
  // describe/it callbacks are exempt (a test reads top to bottom).
  {
    files: ['src/**/*.ts', 'scripts/**/*.ts', 'test/**/*.ts', 'test/**/*.mts', 'bench/**/*.ts', 'esbuild.mjs'],
    ignores: [
      '**/*.test.ts',
      '**/*.test.mts',
      // Changed now by the #21 speed and #23 compaction branches; split once they land.
      'bench/**',
      'test/e2e/harness/**',
      'test/fake-openrouter/**',
      // Test helpers written as one scenario table each; split with the next change to them.
      'test/faults/**',
      'test/mcp/server.ts',
      'test/webview/harness.ts',
    ],
    rules: { 'max-lines-per-function': ['error', { max: 60, skipBlankLines: false, skipComments: false }] },
  },
);
