/**
 * `@` mentions, host side: what the text after `@` asks for. `@prob` lists the kinds that start
 * with it (and files matching it); `@file:src/ma` lists only files. Pure.
 */
import type { MentionItem, MentionKind } from '../protocol/messages';

/** The mention kinds in the order the list shows them. */
export const MENTION_ROWS: readonly (MentionItem & { readonly keyword: string })[] = [
  { kind: 'file', keyword: 'file', label: '@file', detail: 'a file of the workspace…', needsQuery: true },
  { kind: 'selection', keyword: 'selection', label: '@selection', detail: "the editor's selection" },
  { kind: 'problems', keyword: 'problems', label: '@problems', detail: "the active file's problems" },
  {
    kind: 'workspaceProblems',
    keyword: 'problems:workspace',
    label: '@problems:workspace',
    detail: 'every problem in the workspace',
  },
  { kind: 'diff', keyword: 'diff', label: '@diff', detail: 'uncommitted changes (Git)' },
  { kind: 'open', keyword: 'open', label: '@open', detail: 'the open editors' },
  {
    kind: 'terminal',
    keyword: 'terminal',
    label: '@terminal',
    detail: "the active terminal's selection or last output",
  },
  {
    kind: 'image',
    keyword: 'image',
    label: '@image',
    detail: 'an image file (PNG, JPEG, WebP, GIF) for a vision model…',
  },
];

export interface ParsedMention {
  /** Set when the query names a kind with a colon (`file:…`). */
  readonly kind?: MentionKind;
  /** The text to match (after `file:`, or the whole query). */
  readonly filter: string;
}

/** Splits `file:src/ma` into the kind and its filter; anything else is a plain filter. */
export function parseMentionQuery(query: string): ParsedMention {
  const match = /^file:(.*)$/s.exec(query);
  if (match) return { kind: 'file', filter: match[1]!.trim() };
  return { filter: query.trim() };
}

/** The kind rows whose keyword starts with the filter (all of them for `@`). */
export function kindRows(filter: string): MentionItem[] {
  const f = filter.toLowerCase();
  return MENTION_ROWS.filter((row) => row.keyword.startsWith(f)).map(({ keyword: _keyword, ...item }) => item);
}

/** A typed path that is not a workspace-relative pattern: absolute, home, or climbing out. */
export function looksLikeOutsidePath(filter: string): boolean {
  return /^(\/|~\/|[A-Za-z]:[\\/]|\.\.[\\/])/.test(filter);
}

/** An MCP resource of a running server, as the `@` list may offer it. */
export interface ResourceChoice {
  readonly server: string;
  readonly uri: string;
  readonly name: string;
  readonly description?: string;
}

/** Resource rows shown at most. */
export const MAX_RESOURCE_ROWS = 20;

/** The resources whose name, URI or server contains the filter (all of them for `@`), as rows under their server. */
export function resourceRows(filter: string, resources: readonly ResourceChoice[]): MentionItem[] {
  const f = filter.toLowerCase();
  return resources
    .filter((r) => !f || [r.name, r.uri, r.server].some((s) => s.toLowerCase().includes(f)))
    .slice(0, MAX_RESOURCE_ROWS)
    .map((r) => ({
      kind: 'resource',
      label: r.name,
      detail: `${r.server} · ${r.uri}`,
      path: r.uri,
      server: r.server,
    }));
}

/**
 * One row per MCP server still starting (the `@` menu started it): its resources are not listed
 * yet, and appear in the open menu once it runs. Picking it says so (src/vscode/mentionService.ts).
 */
export function startingRows(servers: readonly string[]): MentionItem[] {
  return servers.slice(0, MAX_RESOURCE_ROWS).map((server) => ({
    kind: 'resource',
    label: server,
    detail: 'MCP server starting… its resources appear here when it runs',
    server,
    starting: true,
  }));
}
