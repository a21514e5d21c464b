/**
 * The agent's tools as the model sees them (OpenAI function-calling JSON schemas, sent as
 * `tools` with `tool_choice: "auto"`), their arguments parsed and checked, and each call in
 * human form for its card ("Read src/calc.ts lines 1–40"). Pure: no `vscode`.
 */
import * as z from 'zod/mini';

export const ToolNames = [
  'read_file',
  'list_files',
  'search_text',
  'get_diagnostics',
  'edit_file',
  'write_file',
  'run_command',
] as const;
export type ToolName = (typeof ToolNames)[number];

/** What approving a call means: reading, writing files, or running a command. */
export type ToolKind = 'read' | 'edit' | 'command';

export const TOOL_KIND: Readonly<Record<ToolName, ToolKind>> = {
  read_file: 'read',
  list_files: 'read',
  search_text: 'read',
  get_diagnostics: 'read',
  edit_file: 'edit',
  write_file: 'edit',
  run_command: 'command',
};

const path = z.string().check(z.minLength(1), z.maxLength(4096));
const line = z.number().check(z.int(), z.minimum(1));

const schemas = {
  read_file: z.object({ path, start_line: z.optional(line), end_line: z.optional(line) }),
  list_files: z.object({ path: z.optional(z.string().check(z.maxLength(4096))), recursive: z.optional(z.boolean()) }),
  search_text: z.object({
    query: z.string().check(z.minLength(1), z.maxLength(2000)),
    is_regex: z.optional(z.boolean()),
    glob: z.optional(z.string().check(z.maxLength(500))),
  }),
  get_diagnostics: z.object({ path: z.optional(z.string().check(z.maxLength(4096))) }),
  edit_file: z.object({
    path,
    edits: z
      .array(z.object({ old_text: z.string().check(z.minLength(1)), new_text: z.string() }))
      .check(z.minLength(1), z.maxLength(50)),
  }),
  write_file: z.object({ path, content: z.string() }),
  run_command: z.object({
    command: z.string().check(z.minLength(1), z.maxLength(4000)),
    cwd: z.optional(z.string().check(z.maxLength(4096))),
  }),
};

export type ToolArgs = { [K in ToolName]: z.infer<(typeof schemas)[K]> };

/** A call whose arguments were checked: the tool, its id on the wire, and typed arguments. */
export type ToolCall = {
  [K in ToolName]: { readonly id: string; readonly name: K; readonly args: ToolArgs[K] };
}[ToolName];

/** One function definition as OpenAI / OpenRouter take it in `tools`. */
export interface ToolDefinition {
  readonly type: 'function';
  readonly function: {
    readonly name: ToolName;
    readonly description: string;
    readonly parameters: Readonly<Record<string, unknown>>;
  };
}

const str = (description: string): Record<string, unknown> => ({ type: 'string', description });

/** The `tools` array of every agent request (README "Agent mode" documents the same). */
export const TOOL_DEFINITIONS: readonly ToolDefinition[] = [
  fn(
    'read_file',
    'Read a text file of the workspace. Large files are returned a page at a time; ask for a line range to read further.',
    {
      path: str('Path relative to the workspace root.'),
      start_line: { type: 'integer', minimum: 1, description: 'First line to read (1-based).' },
      end_line: { type: 'integer', minimum: 1, description: 'Last line to read (inclusive).' },
    },
    ['path'],
  ),
  fn(
    'list_files',
    'List files and folders of a workspace folder (honours .gitignore and files.exclude).',
    {
      path: str('Folder relative to the workspace root; empty for the root.'),
      recursive: { type: 'boolean', description: 'List the whole tree below the folder.' },
    },
    [],
  ),
  fn(
    'search_text',
    'Search the text of the workspace files (ripgrep). Returns path:line: text matches.',
    {
      query: str('Text or regular expression to search for.'),
      is_regex: { type: 'boolean', description: 'Treat query as a regular expression (default: literal text).' },
      glob: str('Only files matching this glob, e.g. src/**/*.ts'),
    },
    ['query'],
  ),
  fn(
    'get_diagnostics',
    'Errors and warnings VS Code knows (compiler, linters) for one file or the whole workspace.',
    {
      path: str('A file relative to the workspace root; omit for the whole workspace.'),
    },
    [],
  ),
  fn(
    'edit_file',
    'Replace exact text in a file. Each old_text must occur exactly once in the file; include enough surrounding lines to make it unique.',
    {
      path: str('Path relative to the workspace root.'),
      edits: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          properties: { old_text: str('The exact text to replace.'), new_text: str('The replacement.') },
          required: ['old_text', 'new_text'],
          additionalProperties: false,
        },
      },
    },
    ['path', 'edits'],
  ),
  fn(
    'write_file',
    'Create a file, or replace a whole file with new content.',
    {
      path: str('Path relative to the workspace root.'),
      content: str('The complete content of the file.'),
    },
    ['path', 'content'],
  ),
  fn(
    'run_command',
    'Run a shell command in the workspace (in a terminal the user sees) and get its output and exit code.',
    {
      command: str('The command line, e.g. "node --test".'),
      cwd: str('Working folder relative to the workspace root (default: the root).'),
    },
    ['command'],
  ),
];

function fn(
  name: ToolName,
  description: string,
  properties: Record<string, unknown>,
  required: readonly string[],
): ToolDefinition {
  return {
    type: 'function',
    function: { name, description, parameters: { type: 'object', properties, required, additionalProperties: false } },
  };
}

export function isToolName(name: string): name is ToolName {
  return (ToolNames as readonly string[]).includes(name);
}

/**
 * Parses a call's `arguments` (a JSON string as streamed). Errors are sentences for the model,
 * e.g. `arguments were not valid JSON: Unexpected end of JSON input`.
 */
export function parseToolCall(
  id: string,
  name: string,
  argumentsJson: string,
): { ok: true; call: ToolCall } | { ok: false; error: string } {
  if (!isToolName(name))
    return { ok: false, error: `there is no tool named "${name}"; the tools are ${ToolNames.join(', ')}` };
  let raw: unknown;
  try {
    raw = argumentsJson.trim() === '' ? {} : JSON.parse(argumentsJson);
  } catch (error) {
    return { ok: false, error: `arguments were not valid JSON: ${(error as Error).message}` };
  }
  const parsed = schemas[name].safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      error: `arguments of ${name} are invalid: ${issue ? `${issue.path.join('.') || 'arguments'}: ${issue.message}` : 'invalid'}`,
    };
  }
  return { ok: true, call: { id, name, args: parsed.data } as ToolCall };
}

const lines = (n: number): string => `line${n === 1 ? '' : 's'}`;

/** The call in human form, for its card: "Read src/calc.ts lines 1–40", "Run node --test". */
export function describeCall(call: ToolCall): string {
  switch (call.name) {
    case 'read_file': {
      const { path: p, start_line: s, end_line: e } = call.args;
      if (s !== undefined && e !== undefined) return `Read ${p} lines ${s}–${e}`;
      if (s !== undefined) return `Read ${p} from line ${s}`;
      return `Read ${p}`;
    }
    case 'list_files':
      return `List ${call.args.path || 'the workspace'}${call.args.recursive ? ' (recursive)' : ''}`;
    case 'search_text':
      return `Search for ${call.args.is_regex ? '/' + call.args.query + '/' : `“${call.args.query}”`}${call.args.glob ? ` in ${call.args.glob}` : ''}`;
    case 'get_diagnostics':
      return `Problems in ${call.args.path ?? 'the workspace'}`;
    case 'edit_file': {
      const n = call.args.edits.length;
      return `Edit ${call.args.path} (${n} replacement${n === 1 ? '' : 's'})`;
    }
    case 'write_file':
      return `Write ${call.args.path} (${call.args.content.split('\n').length} ${lines(call.args.content.split('\n').length)})`;
    case 'run_command':
      return `Run ${call.args.command}${call.args.cwd ? ` in ${call.args.cwd}` : ''}`;
  }
}

/** The files a call writes (empty for reads and commands). */
export function writtenPaths(call: ToolCall): readonly string[] {
  return call.name === 'edit_file' || call.name === 'write_file' ? [call.args.path] : [];
}
