/** The shell parser for unit tests and the bench, its wasm files from node_modules (the extension loads them from dist/). */
import * as path from 'node:path';
import { loadShellParser, type ShellParser } from '../../src/agent/sandbox/shellSyntax';

const root = path.resolve(import.meta.dirname, '../..');

export function testShellParser(): Promise<ShellParser> {
  return loadShellParser({
    runtimeWasm: path.join(root, 'node_modules/web-tree-sitter/tree-sitter.wasm'),
    bashWasm: path.join(root, 'node_modules/@vscode/tree-sitter-wasm/wasm/tree-sitter-bash.wasm'),
  });
}
