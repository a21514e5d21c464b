/**
 * The agent's built-in tools, one object each (./readFile.ts …): the `tools` array every agent
 * request offers (sent with `tool_choice: "auto"`; README "Agent mode" documents the same), each
 * function's JSON Schema generated from the zod schema its arguments are checked with, a call's
 * arguments parsed and checked, the call in human form for its card, and a read or command run
 * on the injected host. Pure: no `vscode`.
 */
import type * as z from 'zod/mini';
import { redactSecrets } from '../../openrouter/secrets';
import { shownToModel } from '../../protocol/invisibleText';
import { parseArguments } from './arguments';
import { functionDefinition, type BuiltInTool, type EditTool, type FunctionDefinition, type RunTool } from './define';
import { editFile } from './editFile';
import { getDiagnostics } from './getDiagnostics';
import type { RunContext, ToolHost, ToolRun } from './host';
import { listFiles } from './listFiles';
import { readFile } from './readFile';
import { runCommand } from './runCommand';
import { searchText } from './searchText';
import { writeFile } from './writeFile';

export type { ToolKind } from './define';
export type { Problem, Refused, RunContext, RunEvents, ToolHost, ToolRun } from './host';

/** The built-in tools, in the order they are offered. */
export const BUILT_IN_TOOLS = [
  readFile,
  listFiles,
  searchText,
  getDiagnostics,
  editFile,
  writeFile,
  runCommand,
] as const;

type Tools = (typeof BUILT_IN_TOOLS)[number];
export type ToolName = Tools['name'];
type ToolOf<K extends ToolName> = Extract<Tools, { name: K }>;
export type ToolArgs = { [K in ToolName]: z.infer<ToolOf<K>['args']> };

export const ToolNames: readonly ToolName[] = BUILT_IN_TOOLS.map((t) => t.name);

const BY_NAME: ReadonlyMap<string, BuiltInTool> = new Map(BUILT_IN_TOOLS.map((t) => [t.name, t as BuiltInTool]));

/** The tool object of a built-in name. */
export function builtInTool(name: ToolName): BuiltInTool {
  return BY_NAME.get(name)!;
}

/** What approving a call of each tool means. */
export const TOOL_KIND = Object.fromEntries(BUILT_IN_TOOLS.map((t) => [t.name, t.kind])) as Readonly<
  Record<ToolName, Tools['kind']>
>;

/** A call whose arguments were checked: the tool, its id on the wire, and typed arguments. */
export type ToolCall = {
  [K in ToolName]: { readonly id: string; readonly name: K; readonly args: ToolArgs[K] };
}[ToolName];

/** One function definition as OpenAI / OpenRouter take it in `tools`. */
export type ToolDefinition = FunctionDefinition<ToolName>;

/** The `tools` array of every agent request, generated from the tools' zod schemas. */
export const TOOL_DEFINITIONS: readonly ToolDefinition[] = BUILT_IN_TOOLS.map((t) =>
  functionDefinition(t.name, t.description, t.args),
);

export function isToolName(name: string): name is ToolName {
  return BY_NAME.has(name);
}

/**
 * Parses a call's `arguments` (a JSON string as streamed) with the tool's own schema. Errors are
 * sentences for the model, e.g. `arguments of read_file were not valid JSON: Unexpected end of JSON input`.
 */
export function parseToolCall(
  id: string,
  name: string,
  argumentsJson: string,
): { ok: true; call: ToolCall } | { ok: false; error: string } {
  if (!isToolName(name))
    return { ok: false, error: `there is no tool named "${name}"; the tools are ${ToolNames.join(', ')}` };
  const parsed = parseArguments(name, builtInTool(name).args, argumentsJson);
  return parsed.ok ? { ok: true, call: { id, name, args: parsed.args } as ToolCall } : parsed;
}

/** The call in human form, for its card: "Read src/calc.ts lines 1–40", "Run node --test". */
export function describeCall(call: ToolCall): string {
  return builtInTool(call.name).title(call.args as never);
}

/** The edit tool of a call that writes a file, else undefined. */
export function editToolOf(call: ToolCall): EditTool | undefined {
  const tool = builtInTool(call.name);
  return tool.kind === 'edit' ? tool : undefined;
}

/** The files a call writes (empty for reads and commands). */
export function writtenPaths(call: ToolCall): readonly string[] {
  const edit = editToolOf(call);
  return edit ? [edit.path(call.args as never)] : [];
}

/**
 * Runs a read or a command on the host. A throw becomes a failed result ("read_file failed: …");
 * what comes back has the host's known secrets and every token-shaped string redacted, and what
 * its reader could not see (a file's or a file name's tag characters, bidi overrides, zero-width
 * characters; a command's) written out — a repository is as untrusted as an MCP server.
 */
export async function runBuiltIn(call: ToolCall, host: ToolHost, context: RunContext): Promise<ToolRun> {
  const tool = builtInTool(call.name);
  if (tool.kind === 'edit') return { ok: false, content: `${call.name} is not run here` };
  let run: ToolRun;
  try {
    run = await (tool as RunTool).run(call.args as never, host, context);
  } catch (error) {
    run = {
      ok: false,
      content: `${call.name} failed: ${error instanceof Error ? error.message : String(error)}`,
      summary: 'failed',
    };
  }
  const known = host.knownSecrets?.() ?? [];
  return {
    ...run,
    content: shownToModel(redactSecrets(run.content, known)),
    ...(run.summary ? { summary: redactSecrets(run.summary, known) } : {}),
  };
}
