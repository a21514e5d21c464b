/**
 * Where MCP server definitions are read: the user's `mcp.json` (VS Code's, beside the user's
 * settings.json), the `switchyard.mcp.servers` setting (user settings only: a workspace defines
 * servers in its `.vscode/mcp.json`, which asks before it starts), and each workspace folder's
 * `.vscode/mcp.json`. Files are JSON with comments; a file that does not parse is one problem,
 * an entry that does not fit is one problem, the rest is kept.
 */
import * as vscode from 'vscode';
import type { ParseError } from './jsonc';
import { mergeMcpConfigs, parseMcpConfig, type McpSource, type ParsedMcpConfig } from '../../mcp/config';

/** The user's mcp.json: `<user data>/User/mcp.json`, two folders above the extension's global storage. */
export function userMcpFile(globalStorage: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(globalStorage, '..', '..', 'mcp.json');
}

async function readFile(uri: vscode.Uri, source: McpSource, label: string): Promise<ParsedMcpConfig> {
  let text: string;
  try {
    text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return { servers: [], inputs: [], problems: [] };
  }
  // A plain require so esbuild keeps jsonc-parser out of the host bundle (see esbuild.mjs).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parse: parseJsonc, printParseErrorCode } = require('./jsonc') as typeof import('./jsonc');
  const errors: ParseError[] = [];
  const raw: unknown = parseJsonc(text, errors, { allowTrailingComma: true });
  if (errors.length && raw === undefined)
    return {
      servers: [],
      inputs: [],
      problems: [
        `${label} could not be read: ${printParseErrorCode(errors[0]!.error)} at offset ${errors[0]!.offset}.`,
      ],
    };
  return parseMcpConfig(raw, source, label);
}

/** Every definition, merged (user's file, then the setting, then the workspace's files), with problems. */
export async function readMcpConfig(globalStorage: vscode.Uri): Promise<ParsedMcpConfig> {
  const parts: ParsedMcpConfig[] = [await readFile(userMcpFile(globalStorage), 'user', 'Your mcp.json')];
  const setting = vscode.workspace.getConfiguration('switchyard').inspect<unknown>('mcp.servers')?.globalValue;
  parts.push(
    parseMcpConfig(
      setting === undefined ? undefined : { servers: setting },
      'setting',
      'The switchyard.mcp.servers setting',
    ),
  );
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    parts.push(
      await readFile(
        vscode.Uri.joinPath(folder.uri, '.vscode', 'mcp.json'),
        'workspace',
        `${folder.name}/.vscode/mcp.json`,
      ),
    );
  }
  return mergeMcpConfigs(parts);
}
