/**
 * The MCP tools the model is offered: each as a `server__tool` function with the server's JSON
 * Schema, names made safe for every provider (`^[A-Za-z_][A-Za-z0-9_-]{0,63}$`, unique, stable), at most
 * {@link MAX_TOOLS} functions in all (providers refuse more, e.g. OpenAI's 128). When the
 * definitions would take more than {@link DEFER_RATIO} of the model's context, they are deferred
 * behind one `search_tools` function (as Claude Code and Copilot do): the model searches, and the
 * tools it found are offered whole from the next request on. Each schema is fitted to what every
 * provider accepts (../openrouter/schemaFit.ts). Pure.
 */
import { createHash } from 'node:crypto';
import { toolSchema } from '../openrouter/schemaFit';
import { shownToModel as shown } from '../protocol/invisibleText';

/** What a server says about one of its tools (MCP `tools/list`). */
export interface McpToolInfo {
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly inputSchema: Readonly<Record<string, unknown>>;
  readonly annotations?: {
    readonly readOnlyHint?: boolean;
    readonly destructiveHint?: boolean;
    readonly title?: string;
  };
}

/** One MCP tool as offered: the function name the model calls, and where it goes. */
export interface McpToolEntry {
  readonly fn: string;
  readonly server: string;
  readonly tool: McpToolInfo;
}

/** A function definition as OpenRouter takes it in `tools`. */
export interface FunctionTool {
  readonly type: 'function';
  readonly function: {
    readonly name: string;
    readonly description: string;
    readonly parameters: Readonly<Record<string, unknown>>;
  };
}

/** Providers' cap on functions per request (OpenAI: 128). */
export const MAX_TOOLS = 128;
/** Tool definitions beyond this share of the context window are deferred behind `search_tools`. */
export const DEFER_RATIO = 0.1;
export const SEARCH_TOOLS = 'search_tools';
const MAX_DESCRIPTION = 1024;
const MAX_FOUND = 8;

const safe = (text: string): string => text.replace(/[^A-Za-z0-9_-]/g, '_');
/** A server name that `server__tool` keeps exactly: a letter first, no `__`, no `_` last, short. */
const EXACT_SERVER = /^[A-Za-z][A-Za-z0-9-]*(?:_[A-Za-z0-9-]+)*$/;
const SERVER_CHARS = 24;
const MAX_NAME = 64;

/**
 * The function name of one tool: `server__tool` when that names exactly this tool (no other server
 * and tool can give it); otherwise the names made safe, led by a letter or `_` (Vertex's Gemini
 * refuses any other start), with a hash of the exact server and tool names — so a name never
 * passes to another tool when servers start, stop or list in another order.
 */
function functionName(server: string, tool: string): string {
  const exact = `${server}__${tool}`;
  if (
    EXACT_SERVER.test(server) &&
    server.length <= SERVER_CHARS &&
    /^[A-Za-z0-9_-]+$/.test(tool) &&
    exact.length <= MAX_NAME
  )
    return exact;
  const base = `${safe(server).slice(0, SERVER_CHARS)}__${safe(tool)}`;
  const hash = createHash('sha256')
    .update(JSON.stringify([server, tool]))
    .digest('hex')
    .slice(0, 8);
  return `${/^[A-Za-z_]/.test(base) ? '' : '_'}${base}`.slice(0, MAX_NAME - hash.length - 1) + `_${hash}`;
}

/** Function names for every tool of every server: unique, safe for every provider, never a reserved (built-in) name. */
export function toolEntries(
  servers: readonly { readonly server: string; readonly tools: readonly McpToolInfo[] }[],
  reserved: readonly string[] = [],
): McpToolEntry[] {
  const taken = new Set(reserved);
  const entries: McpToolEntry[] = [];
  for (const { server, tools } of servers) {
    for (const tool of tools) {
      const base = functionName(server, tool.name);
      let fn = base;
      // Only a deliberate hash collision (or a repeated name) gets here.
      for (let n = 2; taken.has(fn); n++) fn = `${base.slice(0, MAX_NAME - String(n).length - 1)}_${n}`;
      taken.add(fn);
      entries.push({ fn, server, tool });
    }
  }
  return entries;
}

/** The function definition of one MCP tool (its description says which server it comes from). */
export function definitionOf(entry: McpToolEntry): FunctionTool {
  const about = shown(entry.tool.description ?? entry.tool.title ?? entry.tool.name).slice(0, MAX_DESCRIPTION);
  const schema = entry.tool.inputSchema && typeof entry.tool.inputSchema === 'object' ? entry.tool.inputSchema : {};
  return {
    type: 'function',
    function: {
      name: entry.fn,
      description: `[MCP server ${shown(entry.server)}] ${about}`,
      parameters: toolSchema(schema),
    },
  };
}

export const SEARCH_TOOLS_DEFINITION: FunctionTool = {
  type: 'function',
  function: {
    name: SEARCH_TOOLS,
    description:
      "Find tools of the user's MCP servers by keywords (their definitions are not all listed, to save context). The tools found can be called from your next step on.",
    parameters: {
      type: 'object',
      properties: { query: { type: 'string', description: 'Keywords: what the tool should do, or a server name.' } },
      required: ['query'],
      additionalProperties: false,
    },
  },
};

export interface OfferOptions {
  /** Functions already offered (the built-in tools), counted against {@link MAX_TOOLS}. */
  readonly builtInCount: number;
  /** The model's context window in tokens. */
  readonly contextTokens: number;
  readonly tokens: (text: string) => number;
  /** Functions found by `search_tools` in this task: offered whole even when deferred. */
  readonly loaded: ReadonlySet<string>;
}

export interface Offer {
  readonly definitions: readonly FunctionTool[];
  readonly deferred: boolean;
  /** Tools left out by the provider cap (never offered, even deferred). */
  readonly dropped: number;
  /** Estimated tokens of the definitions sent. */
  readonly tokens: number;
}

/** The MCP functions for the next request, whole or deferred behind `search_tools`. */
export function offerTools(entries: readonly McpToolEntry[], options: OfferOptions): Offer {
  const room = Math.max(0, MAX_TOOLS - options.builtInCount);
  const all = entries.map(definitionOf);
  const size = (defs: readonly FunctionTool[]): number => options.tokens(JSON.stringify(defs));
  const wholeTokens = size(all);
  if (all.length <= room && wholeTokens <= options.contextTokens * DEFER_RATIO)
    return { definitions: all, deferred: false, dropped: 0, tokens: wholeTokens };
  const loaded = all.filter((d) => options.loaded.has(d.function.name)).slice(0, Math.max(0, room - 1));
  const definitions = [SEARCH_TOOLS_DEFINITION, ...loaded];
  return { definitions, deferred: true, dropped: Math.max(0, all.length - (room - 1)), tokens: size(definitions) };
}

/** The tools matching a `search_tools` query, best first: every word of the query counts once per field it occurs in. */
export function searchTools(entries: readonly McpToolEntry[], query: string): McpToolEntry[] {
  const words = query
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 1);
  if (words.length === 0) return [];
  const scored = entries.map((e) => {
    const fields = [e.fn, e.server, e.tool.title ?? '', e.tool.description ?? ''].map((f) => f.toLowerCase());
    const score = words.reduce((n, w) => n + fields.filter((f) => f.includes(w)).length, 0);
    return { e, score };
  });
  return scored
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score)
    .slice(0, MAX_FOUND)
    .map((s) => s.e);
}

/** The `search_tools` result for the model: each tool found with its description and parameters. */
export function searchResultText(found: readonly McpToolEntry[], query: string): string {
  if (found.length === 0) return `No MCP tool matches "${query}". Try other keywords or a server name.`;
  return shown(
    [
      `${found.length} tool${found.length === 1 ? '' : 's'} found; call them by name from your next step:`,
      ...found.map(
        (e) =>
          `- ${e.fn}: ${(e.tool.description ?? e.tool.name).slice(0, 300)}\n  parameters: ${JSON.stringify(e.tool.inputSchema).slice(0, 1500)}`,
      ),
    ].join('\n'),
  );
}
