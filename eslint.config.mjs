// Flat config. The pure folders (routing, account, openrouter, protocol, context, chat, webview) must never
// import `vscode` at run time: only src/vscode/ and src/extension.ts talk to the editor.
import tseslint from 'typescript-eslint';

const pureFolders = ['src/agent/**', 'src/routing/**', 'src/account/**', 'src/openrouter/**', 'src/protocol/**', 'src/context/**', 'src/chat/**', 'src/config/**', 'src/webview/**'];

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
  {
    files: pureFolders,
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'Pure modules must not import vscode; put editor code under src/vscode/.', allowTypeImports: false }],
          patterns: [{ group: ['**/vscode/**', '../vscode/*'], message: 'Pure modules must not depend on the vscode adapters.' }],
        },
      ],
    },
  },
  {
    files: ['test/**', 'scripts/**', 'bench/**', 'esbuild.mjs'],
    rules: { 'no-console': 'off' },
  },
);
