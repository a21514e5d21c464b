/**
 * MCP server definitions in the formats users already have: VS Code's `mcp.json` (the user's and
 * the workspace's `.vscode/mcp.json`: `servers` with `type` / `command` / `args` / `env` / `cwd` /
 * `url` / `headers`, and `inputs` prompted once) and the `switchyard.mcp.servers` setting (the
 * same `servers` object). Each entry is checked on its own: a bad one is skipped with a sentence
 * naming it, the others are kept. Variables: `${input:id}` (prompted, kept in SecretStorage),
 * `${workspaceFolder}`, and `${env:NAME}` for the user's own definitions only (a workspace file
 * cannot read the user's environment). Pure.
 */
import { createHash } from 'node:crypto';
import * as z from 'zod/mini';

/** Where a definition comes from: the user's `mcp.json`, the setting, or the workspace's `.vscode/mcp.json`. */
export type McpSource = 'user' | 'setting' | 'workspace';

interface McpServerBase {
  /** The key under `servers`. */
  readonly name: string;
  readonly source: McpSource;
}

export interface McpStdioServer extends McpServerBase {
  readonly transport: 'stdio';
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd?: string;
}

export interface McpRemoteServer extends McpServerBase {
  /** `http`: Streamable HTTP, falling back to SSE; `sse`: SSE only. */
  readonly transport: 'http' | 'sse';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
}

export type McpServerConfig = McpStdioServer | McpRemoteServer;

/** An `inputs` entry: asked once (a password box when `password`), kept in SecretStorage. */
export interface McpInput {
  readonly id: string;
  readonly description: string;
  readonly password: boolean;
  readonly default?: string;
}

export interface ParsedMcpConfig {
  readonly servers: readonly McpServerConfig[];
  readonly inputs: readonly McpInput[];
  /** One sentence per skipped entry or field. */
  readonly problems: readonly string[];
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,47}$/;
const strings = z.record(z.string(), z.string());
const stdioSchema = z.object({
  type: z.optional(z.literal('stdio')),
  command: z.string().check(z.minLength(1), z.maxLength(4096)),
  args: z.optional(z.array(z.string().check(z.maxLength(8192))).check(z.maxLength(200))),
  env: z.optional(strings),
  cwd: z.optional(z.string().check(z.maxLength(4096))),
});
const remoteSchema = z.object({
  type: z.optional(z.enum(['http', 'sse'])),
  url: z.string().check(z.minLength(1), z.maxLength(4096)),
  headers: z.optional(strings),
});
const inputSchema = z.object({
  id: z.string().check(z.regex(/^[A-Za-z0-9_.-]{1,64}$/)),
  type: z.optional(z.string()),
  description: z.optional(z.string()),
  password: z.optional(z.boolean()),
  default: z.optional(z.string()),
});

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Parses one `mcp.json`-shaped value (`{servers, inputs}`; the setting passes `{servers: value}`).
 * `label` names the file or setting in problems ("the workspace's .vscode/mcp.json").
 */
export function parseMcpConfig(raw: unknown, source: McpSource, label: string): ParsedMcpConfig {
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { servers: [], inputs: [], problems };
  if (!isObject(raw))
    return { servers: [], inputs: [], problems: [`${label} should be an object with "servers"; it was ignored.`] };
  const servers: McpServerConfig[] = [];
  const rawServers = raw.servers ?? {};
  if (!isObject(rawServers)) problems.push(`${label}: "servers" should be an object of named servers; it was ignored.`);
  else {
    for (const [name, entry] of Object.entries(rawServers)) {
      const parsed = parseServer(name, entry, source);
      if (typeof parsed === 'string') problems.push(`${label}: server "${name.slice(0, 60)}" was skipped: ${parsed}.`);
      else if (parsed) servers.push(parsed);
    }
  }
  const inputs: McpInput[] = [];
  if (raw.inputs !== undefined) {
    if (!Array.isArray(raw.inputs)) problems.push(`${label}: "inputs" should be a list; it was ignored.`);
    else {
      raw.inputs.forEach((entry, i) => {
        const parsed = inputSchema.safeParse(entry);
        if (!parsed.success)
          problems.push(`${label}: input ${i + 1} was skipped: it needs an "id" of letters, digits, "_", "." or "-".`);
        else
          inputs.push({
            id: parsed.data.id,
            description: parsed.data.description ?? parsed.data.id,
            password: parsed.data.password ?? false,
            ...(parsed.data.default !== undefined ? { default: parsed.data.default } : {}),
          });
      });
    }
  }
  return { servers, inputs, problems };
}

/** One server entry: its config, a reason it is unusable, or undefined when it is turned off (`"disabled": true`). */
function parseServer(name: string, entry: unknown, source: McpSource): McpServerConfig | string | undefined {
  if (!NAME.test(name))
    return 'its name should be 1–48 letters, digits, "_", "." or "-", starting with a letter or digit';
  if (!isObject(entry)) return 'it should be an object with "command" or "url"';
  if (entry.disabled === true) return undefined;
  if (entry.command === undefined && entry.url === undefined)
    return 'it needs "command" (a local server) or "url" (a remote one)';
  const type = entry.type;
  if (type !== undefined && type !== 'stdio' && type !== 'http' && type !== 'sse')
    return `"type" should be "stdio", "http" or "sse", not ${JSON.stringify(type).slice(0, 40)}`;
  if (
    type === 'http' ||
    type === 'sse' ||
    (type === undefined && entry.url !== undefined && entry.command === undefined)
  ) {
    const parsed = remoteSchema.safeParse(entry);
    if (!parsed.success) return issueText(parsed.error.issues[0]);
    if (!/^https?:\/\//i.test(parsed.data.url)) return `"url" should start with http:// or https://`;
    return {
      name,
      source,
      transport: parsed.data.type ?? 'http',
      url: parsed.data.url,
      headers: parsed.data.headers ?? {},
    };
  }
  const parsed = stdioSchema.safeParse(entry);
  if (!parsed.success) return issueText(parsed.error.issues[0]);
  const { command, args, env, cwd } = parsed.data;
  return { name, source, transport: 'stdio', command, args: args ?? [], env: env ?? {}, ...(cwd ? { cwd } : {}) };
}

function issueText(
  issue: { path: readonly PropertyKey[]; message: string; code?: string; expected?: unknown } | undefined,
): string {
  if (!issue) return 'it is malformed';
  const field = issue.path.map(String).join('.') || 'the entry';
  const why =
    issue.code === 'invalid_type' && typeof issue.expected === 'string'
      ? `should be ${issue.expected === 'record' ? 'an object of strings' : `${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}`}`
      : issue.code === 'too_big' || issue.code === 'too_small'
        ? 'has the wrong length'
        : issue.message;
  return `"${field}" is invalid (${why})`;
}

/**
 * Joins the sources in precedence order (the user's `mcp.json`, then the setting, then the
 * workspace's): a later server with a name already taken is skipped — a workspace cannot replace
 * the user's definition of a server.
 */
export function mergeMcpConfigs(parts: readonly ParsedMcpConfig[]): ParsedMcpConfig {
  const servers: McpServerConfig[] = [];
  const inputs = new Map<string, McpInput>();
  const problems: string[] = [];
  for (const part of parts) {
    problems.push(...part.problems);
    for (const s of part.servers) {
      const taken = servers.find((t) => t.name === s.name);
      if (taken)
        problems.push(
          `MCP server "${s.name}" of the ${s.source === 'workspace' ? "workspace's .vscode/mcp.json" : s.source === 'setting' ? 'switchyard.mcp.servers setting' : "user's mcp.json"} was skipped: the ${taken.source === 'workspace' ? 'workspace' : taken.source === 'setting' ? 'setting' : "user's mcp.json"} already defines a server with that name.`,
        );
      else servers.push(s);
    }
    for (const i of part.inputs) if (!inputs.has(i.id)) inputs.set(i.id, i);
  }
  return { servers, inputs: [...inputs.values()], problems };
}

/** The `${input:id}` variables a definition uses. */
export function inputsUsed(server: McpServerConfig): string[] {
  const ids = new Set<string>();
  for (const text of definitionStrings(server))
    for (const m of text.matchAll(/\$\{input:([A-Za-z0-9_.-]+)\}/g)) ids.add(m[1]!);
  return [...ids];
}

function definitionStrings(server: McpServerConfig): string[] {
  return server.transport === 'stdio'
    ? [server.command, ...server.args, ...Object.values(server.env), server.cwd ?? '']
    : [server.url, ...Object.values(server.headers)];
}

export interface VariableValues {
  readonly inputs: ReadonlyMap<string, string>;
  readonly workspaceFolder?: string;
  /** The user's environment; only read for `user` and `setting` definitions. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The definition with its variables replaced; an unknown `${…}` is left as it is (the server sees it and can say so). */
export function resolveVariables<T extends McpServerConfig>(server: T, values: VariableValues): T {
  const sub = (text: string): string =>
    text.replace(
      /\$\{(input|env):([A-Za-z0-9_.-]+)\}|\$\{workspaceFolder\}/g,
      (whole, kind: string | undefined, id: string | undefined) => {
        if (!kind) return values.workspaceFolder ?? whole;
        if (kind === 'input') return values.inputs.get(id!) ?? whole;
        return server.source === 'workspace' ? '' : (values.env[id!] ?? '');
      },
    );
  const map = (r: Readonly<Record<string, string>>): Record<string, string> =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, sub(v)]));
  if (server.transport === 'stdio')
    return {
      ...server,
      command: sub(server.command),
      args: server.args.map(sub),
      env: map(server.env),
      ...(server.cwd ? { cwd: sub(server.cwd) } : {}),
    };
  return { ...server, url: sub(server.url), headers: map(server.headers) };
}

/** An argument as a POSIX shell would need it written (bare when it is safe). */
export const shellQuote = (a: string): string => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);

/**
 * A server's command line (its environment's names, never their values: a definition may hold a
 * token) or URL, on one line, as the MCP Servers list shows it.
 */
export function launchLine(server: McpServerConfig): string {
  if (server.transport !== 'stdio') return server.url;
  const env = Object.keys(server.env)
    .sort()
    .map((k) => `${k}=…`);
  return [...env, shellQuote(server.command), ...server.args.map(shellQuote)].join(' ');
}

/** A fingerprint of everything that decides what runs (before variables are filled): a changed definition asks again. */
export function definitionFingerprint(server: McpServerConfig): string {
  const what =
    server.transport === 'stdio'
      ? { t: 'stdio', command: server.command, args: server.args, env: sortKeys(server.env), cwd: server.cwd ?? '' }
      : { t: server.transport, url: server.url, headers: sortKeys(server.headers) };
  return createHash('sha256')
    .update(`${server.name}\n${JSON.stringify(what)}`)
    .digest('hex');
}

function sortKeys(r: Readonly<Record<string, string>>): [string, string][] {
  return Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
