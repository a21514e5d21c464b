/** The shell parser for unit tests and the bench, its wasm files from node_modules (the extension loads them from dist/). */
import * as path from 'node:path';
import { approvalFor, type ApprovalSettings, type ApprovalVerdict } from '../../src/agent/policy';
import { loadShellParser, type ShellParser } from '../../src/agent/sandbox/shellSyntax';

const root = path.resolve(import.meta.dirname, '../..');

export function testShellParser(): Promise<ShellParser> {
  return loadShellParser({
    runtimeWasm: path.join(root, 'node_modules/web-tree-sitter/tree-sitter.wasm'),
    bashWasm: path.join(root, 'node_modules/@vscode/tree-sitter-wasm/wasm/tree-sitter-bash.wasm'),
  });
}

/** The approval verdict on `run_command` with `command`, parsed by `parser` as the editor side does. */
export function commandVerdict(
  parser: ShellParser,
  command: string,
  settings: ApprovalSettings,
  sandboxed = true,
  always: ReadonlySet<string> = new Set(),
): ApprovalVerdict {
  return approvalFor({ id: 'c', name: 'run_command', args: { command } }, settings, always, {
    sandboxed,
    command: { line: parser.parse(command), parse: (t) => parser.parse(t) },
  });
}

/** A verdict as the tables write it: `deny` asks whatever the settings say, without "Always allow". */
export type ApprovalKind = 'auto' | 'ask' | 'deny';

/** The kind of the verdict on `command`. */
export function approvalKind(parser: ShellParser, command: string, settings: ApprovalSettings): ApprovalKind {
  const v = commandVerdict(parser, command, settings);
  return v.decision === 'auto' ? 'auto' : v.canAlwaysAllow || !v.reason.startsWith('Always asked') ? 'ask' : 'deny';
}
