/**
 * Agent Skills: folders holding a `SKILL.md` whose front matter names the skill (`name`) and says
 * when to use it (`description`). Only names and descriptions go into the prompt; the `skill`
 * tool loads one skill's instructions when the model decides to use it (its other files are
 * listed, readable through the normal, confined tools). Pure.
 */
import type { ExtraFunction } from './extras';
import { shownName, shownToModel } from '../protocol/invisibleText';

/** Skill folders of the workspace, in the order they are searched. */
export const WORKSPACE_SKILL_FOLDERS = ['.agents/skills', '.claude/skills', '.github/skills'] as const;
export const SKILL_TOOL = 'skill';
const MAX_SKILL_CHARS = 32_000;
const MAX_LISTED = 40;
/** Skills read and offered at most of each origin (a repository can ship thousands; each costs a read and prompt space). */
export const MAX_SKILLS = 100;

export interface Skill {
  readonly name: string;
  readonly description: string;
  /** Where its SKILL.md is (workspace-relative, or the user-level folder's path). */
  readonly file: string;
  readonly origin: 'workspace' | 'user';
}

/**
 * Reads a SKILL.md's front matter (`---` lines holding `key: value`, values optionally quoted).
 * A skill without a description is skipped (the model could not know when to use it).
 */
export function parseSkill(
  text: string,
  folderName: string,
  file: string,
  origin: Skill['origin'],
): { skill: Skill; body: string } | { error: string } {
  const m = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
  if (!m) return { error: `${file} has no front matter (--- name/description ---)` };
  const fields = new Map<string, string>();
  for (const line of m[1]!.split(/\r?\n/)) {
    const kv = /^([A-Za-z_-]+)\s*:\s*(.*)$/.exec(line);
    if (kv) fields.set(kv[1]!.toLowerCase(), unquote(kv[2]!.trim()));
  }
  const name = (fields.get('name') || folderName).trim().slice(0, 64);
  const description = (fields.get('description') ?? '').trim().slice(0, 1024);
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name))
    return { error: `${file}: the name "${name.slice(0, 40)}" should be letters, digits, "-", "_" or "."` };
  if (!description) return { error: `${file} has no description, so the model could not know when to use it` };
  return { skill: { name, description, file, origin }, body: m[2]! };
}

function unquote(value: string): string {
  if (
    value.length >= 2 &&
    ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'")))
  )
    return value.slice(1, -1);
  return value;
}

/**
 * The skills, at most {@link MAX_SKILLS} of each origin (a repository's many cannot crowd out the
 * user's own), one per name regardless of case: the user's own wins over a repository's of the
 * same name (a cloned repository cannot take the place of a skill the user relies on), else the
 * first found. Listed workspace first, then the user's.
 */
export function uniqueSkills(skills: readonly Skill[]): Skill[] {
  const capped = (origin: Skill['origin']): Skill[] => skills.filter((s) => s.origin === origin).slice(0, MAX_SKILLS);
  const key = (s: Skill): string => s.name.toLowerCase();
  const seen = new Set<string>();
  const first = (list: readonly Skill[]): Skill[] =>
    list.filter((s) => (seen.has(key(s)) ? false : (seen.add(key(s)), true)));
  const user = first(capped('user'));
  return [...first(capped('workspace')), ...user];
}

/** A skill's text as the model gets it: a repository's with what its reader cannot see written out. */
const ownText = (skill: Skill, text: string): string => (skill.origin === 'workspace' ? shownToModel(text) : text);
/** A file name of a repository's skill, on one line. */
const ownName = (skill: Skill, name: string): string => (skill.origin === 'workspace' ? shownName(name) : name);

/** The prompt's list of skills ('' when none). */
export function skillsPromptText(skills: readonly Skill[]): string {
  if (skills.length === 0) return '';
  return [
    'Skills you can load with the skill tool when a task needs one (only load what you use):',
    ...skills.map((s) => `- ${s.name}: ${ownText(s, s.description).replace(/\s+/g, ' ')}`),
  ].join('\n');
}

export function skillToolDefinition(skills: readonly Skill[]): ExtraFunction {
  return {
    type: 'function',
    function: {
      name: SKILL_TOOL,
      description: 'Load the instructions of one of the skills listed in the system prompt, to follow them.',
      parameters: {
        type: 'object',
        properties: { name: { type: 'string', enum: skills.map((s) => s.name), description: "The skill's name." } },
        required: ['name'],
        additionalProperties: false,
      },
    },
  };
}

/** The skill tool's result: the skill's instructions and its other files. */
export function skillResult(skill: Skill, raw: string, files: readonly string[]): string {
  const body = ownText(skill, raw);
  const text =
    body.length > MAX_SKILL_CHARS
      ? `${body.slice(0, MAX_SKILL_CHARS)}\n[… cut at ${MAX_SKILL_CHARS} characters]`
      : body;
  const listed = files.slice(0, MAX_LISTED).map((f) => ownName(skill, f));
  const more = files.length > listed.length ? `\n[${files.length - listed.length} more files]` : '';
  return `Skill ${skill.name} (${ownName(skill, skill.file)}):\n${text.trim()}${listed.length ? `\n\nFiles of this skill${skill.origin === 'workspace' ? ' (read them with read_file)' : ''}:\n${listed.join('\n')}${more}` : ''}`;
}
