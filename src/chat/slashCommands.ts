/**
 * The composer's `/` commands: the built-ins (as in Claude Code and Cline: a new chat or task,
 * compacting an agent task, the model, Explain Route, Past chats, MCP servers, instruction
 * files), the workspace's and the user's skills, and the prompts of running MCP servers, filtered
 * by what was typed after `/`. Pure.
 */
import { revealInvisible } from '../protocol/invisibleText';
import type { ChatMode, SlashAction, SlashItem } from '../protocol/messages';

/** Rows shown at most (the list scrolls). */
export const MAX_SLASH_ROWS = 50;

interface Builtin {
  readonly name: string;
  readonly detail: string | Readonly<Record<ChatMode, string>>;
  readonly action: SlashAction;
  /** Only offered in this mode. */
  readonly mode?: ChatMode;
}

const BUILTINS: readonly Builtin[] = [
  {
    name: 'new',
    detail: {
      ask: 'Start a new chat (this one stays in Past chats)',
      plan: 'Start a new plan (this one stays in Past chats)',
      agent: 'Start a new task (this one stays in Past chats)',
    },
    action: { kind: 'newChat' },
  },
  {
    name: 'compact',
    detail: "Summarise the task so far, to free the model's context",
    action: { kind: 'send', text: '/compact' },
    mode: 'agent',
  },
  { name: 'model', detail: 'Pick the model', action: { kind: 'command', command: 'switchyard.pickModel' } },
  {
    name: 'explain',
    detail: 'Explain Route: which model serves the next message, and why',
    action: { kind: 'command', command: 'switchyard.explainRoute' },
  },
  {
    name: 'history',
    detail: 'Past chats: reopen, search or delete',
    action: { kind: 'command', command: 'switchyard.pastChats' },
  },
  {
    name: 'mcp',
    detail: 'MCP servers: state, start, stop, log',
    action: { kind: 'command', command: 'switchyard.mcpServers' },
  },
  {
    name: 'instructions',
    detail: 'Instruction files: which are read, each on or off',
    action: { kind: 'command', command: 'switchyard.instructionFiles' },
  },
];

export interface SlashSources {
  readonly mode: ChatMode;
  readonly skills: readonly { readonly name: string; readonly description: string }[];
  readonly prompts: readonly { readonly server: string; readonly name: string; readonly description?: string }[];
  /** MCP servers starting now (the menu opened them): a row each until their prompts arrive. */
  readonly starting?: readonly string[];
}

/** A row saying a server is starting; picking it opens the MCP servers list. */
function startingRow(server: string): SlashItem {
  return {
    name: server,
    detail: 'MCP server starting… its prompts appear here when it runs',
    action: { kind: 'command', command: 'switchyard.mcpServers' },
  };
}

/** The prefix of a skill's row whose name is a built-in's: `/skill:compact` (":" is never in a skill's name). */
export const SHADOWED_SKILL_PREFIX = 'skill:';

/**
 * The built-in a skill's name would run, whatever the mode (`/compact` typed as the message
 * compacts; the others are taken by the menu's first rows): compared without case, as typed.
 */
export function builtinNamed(name: string): string | undefined {
  const lower = name.trim().toLowerCase();
  return BUILTINS.find((b) => b.name === lower)?.name;
}

/**
 * A skill's row. One named like a built-in keeps the built-in's place: it is listed as
 * `skill:<name>`, says so, and picking it attaches the skill (the text typed is never the built-in's).
 */
function skillRow(skill: { readonly name: string; readonly description: string }): SlashItem {
  const builtin = builtinNamed(skill.name);
  if (!builtin) return { name: skill.name, detail: `Skill: ${oneLine(skill.description)}`, action: { kind: 'skill' } };
  return {
    name: `${SHADOWED_SKILL_PREFIX}${skill.name}`,
    // Short first: a narrow side bar cuts the row's end, and the row's label already names the skill.
    detail: `Skill (/${builtin} is the built-in): ${oneLine(skill.description)}`,
    action: { kind: 'skill', name: skill.name },
  };
}

/** A description on one row: one line, what its reader could not see written out (`⟨U+202E RLO⟩`), capped. */
const oneLine = (text: string): string => revealInvisible(text.replace(/\s+/g, ' ').trim()).slice(0, 200);

/** Every row for the mode: built-ins, then skills, then MCP prompts. */
function allRows(sources: SlashSources): SlashItem[] {
  const builtins = BUILTINS.filter((b) => !b.mode || b.mode === sources.mode).map((b): SlashItem => ({
    name: b.name,
    detail: typeof b.detail === 'string' ? b.detail : b.detail[sources.mode],
    action: b.action,
  }));
  const skills = sources.skills.map(skillRow);
  const prompts = sources.prompts.map((p): SlashItem => ({
    name: p.name,
    detail: `${p.server} (MCP prompt)${p.description ? `: ${oneLine(p.description)}` : ''}`,
    action: { kind: 'prompt', server: p.server },
  }));
  return [...builtins, ...skills, ...prompts];
}

/** The rows for `/<query>` ({@link matchingRows}), then one "starting…" row per server starting. */
export function slashRows(query: string, sources: SlashSources): SlashItem[] {
  const starting = (sources.starting ?? []).slice(0, MAX_SLASH_ROWS).map(startingRow);
  return [...matchingRows(query, sources).slice(0, MAX_SLASH_ROWS - starting.length), ...starting];
}

/**
 * The rows for `/<query>`: names starting with it first, then names containing it, then rows whose
 * description mentions it (two characters or more), each group in the order built-ins, skills,
 * prompts.
 */
function matchingRows(query: string, sources: SlashSources): SlashItem[] {
  const q = query.trim().toLowerCase();
  const rows = allRows(sources);
  if (!q) return rows.slice(0, MAX_SLASH_ROWS);
  const rank = (row: SlashItem): number => {
    const name = row.name.toLowerCase();
    if (name.startsWith(q)) return 0;
    if (name.includes(q)) return 1;
    return q.length >= 2 && (row.detail ?? '').toLowerCase().includes(q) ? 2 : 3;
  };
  return rows
    .map((row, index) => ({ row, index, rank: rank(row) }))
    .filter((r) => r.rank < 3)
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .slice(0, MAX_SLASH_ROWS)
    .map((r) => r.row);
}
