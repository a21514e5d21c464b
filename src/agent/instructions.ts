/**
 * Project and user instructions for the agent (and, when switched on, Ask mode): the workspace
 * root's `AGENTS.md`, `CLAUDE.md` and `.github/copilot-instructions.md`, the user's own
 * (`switchyard.agent.instructions` and a user-level file), and nested `AGENTS.md` files for the
 * folders the task touches — the nearest one to a file wins, as the AGENTS.md convention says.
 * The root ones go right after the system prompt (the cache-stable prefix); a nested one is told
 * to the model as a note the first time the task touches a file under it. Repository files are
 * untrusted: each is capped and fenced as the project's text, never as Switchyard's, with the
 * characters its reader cannot see written out. Pure.
 */

import { shownName, shownToModel } from '../protocol/invisibleText';

/** Instruction files read at the workspace root, in this order. */
export const ROOT_INSTRUCTION_FILES = ['AGENTS.md', 'CLAUDE.md', '.github/copilot-instructions.md'] as const;
export const NESTED_FILE = 'AGENTS.md';
/**
 * What "Create AGENTS.md" writes: the headings agents look for, each with a line saying what goes
 * there, short enough to be filled in rather than deleted.
 */
export const AGENTS_MD_TEMPLATE = `# AGENTS.md

Instructions for AI coding agents working in this repository. Switchyard's agent reads this file at
the start of every task (so do other agents that follow https://agents.md). Keep it short and true.

## Project

<!-- What this project is, and where things live (e.g. src/ for the code, test/ for the tests). -->

## Commands

<!-- The exact commands, so the agent runs these instead of guessing. -->
- Install:
- Build:
- Test (all / one file):
- Lint and format:

## Conventions

<!-- Code style, naming, patterns to follow, libraries to use or avoid. -->

## Boundaries

<!-- What not to touch (generated files, secrets, migrations) and what to ask about first. -->
`;

/** Characters kept of one instruction file (the rest is cut, with a note). */
export const MAX_FILE_CHARS = 24_000;

export interface InstructionSource {
  /** Shown to the user and the model: `AGENTS.md`, `pkg/api/AGENTS.md`, `user settings`, `~/.switchyard/instructions.md`. */
  readonly label: string;
  readonly origin: 'workspace' | 'user';
  readonly content: string;
}

const cap = (text: string): string =>
  text.length > MAX_FILE_CHARS
    ? `${text.slice(0, MAX_FILE_CHARS)}\n[… cut: the file is ${text.length} characters, the first ${MAX_FILE_CHARS} are shown]`
    : text;
/** A fence the content cannot close (no line of the content equals it). */
function fence(content: string): string {
  let f = '~~~~';
  while (content.split('\n').some((l) => l.trim().startsWith(f))) f += '~';
  return f;
}

function block(source: InstructionSource): string {
  const project = source.origin === 'workspace';
  const body = cap((project ? shownToModel(source.content) : source.content).trim());
  const f = fence(body);
  const label = project ? shownName(source.label) : source.label;
  return `${project ? 'Instructions of the project' : "The user's instructions"} (${label}):\n${f}\n${body}\n${f}`;
}

/** The text after the system prompt: each source fenced, the user's own last (they win over the project's). '' when there are none. */
export function instructionsText(sources: readonly InstructionSource[]): string {
  const used = sources.filter((s) => s.content.trim() !== '');
  if (used.length === 0) return '';
  const ordered = [...used.filter((s) => s.origin === 'workspace'), ...used.filter((s) => s.origin === 'user')];
  return [
    "Follow these instructions while you work, unless the user's request says otherwise. Where they differ, the user's own instructions win over the project's, and a folder's AGENTS.md wins over the root's for files under that folder.",
    ...ordered.map(block),
  ].join('\n\n');
}

/** The folder of a workspace-relative path ('' for the root), with `/` separators. */
const folderOf = (path: string): string => {
  const clean = path.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');
  const i = clean.lastIndexOf('/');
  return i < 0 ? '' : clean.slice(0, i);
};

/**
 * The nearest nested `AGENTS.md` for a file: the one in its folder or the closest folder above it,
 * not the root's (that one is always read). `known` are the workspace's AGENTS.md paths.
 */
export function nearestNestedFile(path: string, known: readonly string[]): string | undefined {
  const set = new Set(known.map((k) => k.replace(/\\/g, '/')));
  for (let folder = folderOf(path); folder !== ''; folder = folderOf(folder)) {
    const candidate = `${folder}/${NESTED_FILE}`;
    if (set.has(candidate)) return candidate;
  }
  return undefined;
}

/** The nearest nested `AGENTS.md` of each path, each once, in the order of the paths (Ask mode's attached files). */
export function nearestNestedFiles(paths: readonly string[], known: readonly string[]): string[] {
  const found = paths.map((p) => nearestNestedFile(p, known)).filter((f): f is string => f !== undefined);
  return [...new Set(found)];
}

/** The note telling the model a nested AGENTS.md applies from now on. */
export function nestedNote(source: InstructionSource): string {
  const folder = shownName(folderOf(source.label));
  return `${block(source)}\nThese apply to files under ${folder}/ and win over the root instructions there.`;
}
