/** How tests start the test MCP server (test/mcp/server.ts) as a stdio process: node with tsx's loader. */
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const TEST_SERVER = path.join(root, 'test', 'mcp', 'server.ts');
const TSX_LOADER = pathToFileURL(path.join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

/** `command` + `args` of a stdio definition that runs the test server with `node` (default: this process's). */
export function stdioLaunch(node = process.execPath): { command: string; args: string[] } {
  return { command: node, args: ['--import', TSX_LOADER, TEST_SERVER] };
}

/** The question VS Code shows before a workspace's server (`.vscode/mcp.json`) first starts (src/vscode/mcp/permissions.ts). */
export function workspaceServerStartQuestion(name: string): RegExp {
  return new RegExp(`This workspace's \\.vscode/mcp\\.json defines the MCP server "${name}"\\. Start it\\?`);
}
