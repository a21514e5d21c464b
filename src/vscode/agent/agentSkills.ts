/**
 * Skills on VS Code's file system: each folder with a SKILL.md under the workspace's
 * `.agents/skills/`, `.claude/skills/`, `.github/skills/`, and the user's `~/.switchyard/skills/`.
 * A SKILL.md without a usable front matter is skipped with a log line (src/agent/skills.ts). The
 * workspace's are read as any repository file the model sees unasked (`readWorkspaceText`: no
 * link out, no secret's file); at most {@link MAX_SKILLS} of each origin are read, and a skill's file list never
 * goes down a folder link.
 */
import * as os from 'node:os';
import * as vscode from 'vscode';
import {
  MAX_SKILLS,
  parseSkill,
  skillResult,
  uniqueSkills,
  WORKSPACE_SKILL_FOLDERS,
  type Skill,
} from '../../agent/skills';
import { readText, readWorkspaceText } from './agentInstructions';
import type { Logger } from '../log';

const MAX_FILES = 60;

export class AgentSkills {
  private skills: Skill[] = [];

  constructor(private readonly log: Logger) {}

  list(): readonly Skill[] {
    return this.skills;
  }

  async refresh(): Promise<void> {
    const found: Skill[] = [];
    const root = vscode.workspace.workspaceFolders?.[0]?.uri;
    if (root)
      for (const folder of WORKSPACE_SKILL_FOLDERS)
        found.push(...(await this.scan(vscode.Uri.joinPath(root, folder), 'workspace', folder, found.length)));
    const home = vscode.Uri.file(`${os.homedir()}/.switchyard/skills`);
    found.push(...(await this.scan(home, 'user', '~/.switchyard/skills', 0)));
    this.skills = uniqueSkills(found);
  }

  private async scan(folder: vscode.Uri, origin: Skill['origin'], label: string, before: number): Promise<Skill[]> {
    let entries: [string, vscode.FileType][];
    try {
      entries = await vscode.workspace.fs.readDirectory(folder);
    } catch {
      return [];
    }
    const skills: Skill[] = [];
    for (const [name, type] of entries) {
      if (!(type & vscode.FileType.Directory)) continue;
      if (before + skills.length >= MAX_SKILLS) {
        this.log.warn(`skills: more than ${MAX_SKILLS} skills; the rest of ${label} is skipped`);
        break;
      }
      const file = `${label}/${name}/SKILL.md`;
      const text = await this.read(file);
      if (text === undefined) continue;
      const parsed = parseSkill(text, name, file, origin);
      if ('error' in parsed) this.log.warn(`skills: ${parsed.error}; skipped`);
      else skills.push(parsed.skill);
    }
    return skills;
  }

  /** The `skill` tool's result for one skill: its SKILL.md body and its other files. */
  async load(name: string): Promise<{ ok: true; text: string; skill: Skill } | { ok: false; error: string }> {
    const skill = this.skills.find((s) => s.name === name);
    if (!skill)
      return {
        ok: false,
        error: `there is no skill named "${name}"; the skills are ${this.skills.map((s) => s.name).join(', ') || 'none'}`,
      };
    const uri = this.uriOf(skill.file);
    const text = uri ? await this.read(skill.file) : undefined;
    if (!uri || text === undefined) return { ok: false, error: `${skill.file} could not be read` };
    const parsed = parseSkill(text, name, skill.file, skill.origin);
    const body = 'body' in parsed ? parsed.body : text;
    const folder = vscode.Uri.joinPath(uri, '..');
    const files = (await this.files(folder, skill.file.replace(/\/SKILL\.md$/, ''))).filter(
      (f) => !f.endsWith('/SKILL.md'),
    );
    return { ok: true, text: skillResult(skill, body, files), skill };
  }

  /** A skill's file as listed: the user's own by path, the workspace's only as a confined read. */
  private read(file: string): Promise<string | undefined> {
    if (file.startsWith('~/')) return readText(vscode.Uri.file(`${os.homedir()}/${file.slice(2)}`));
    return readWorkspaceText(file);
  }

  /** Where a skill file (as listed) is: workspace-relative or under the home folder. */
  uriOf(file: string): vscode.Uri | undefined {
    if (file.startsWith('~/')) return vscode.Uri.file(`${os.homedir()}/${file.slice(2)}`);
    const root = vscode.workspace.workspaceFolders?.[0]?.uri;
    return root ? vscode.Uri.joinPath(root, file) : undefined;
  }

  private async files(folder: vscode.Uri, label: string, depth = 0): Promise<string[]> {
    if (depth > 3) return [];
    const out: string[] = [];
    const entries = await vscode.workspace.fs.readDirectory(folder).then(
      (e) => e,
      () => [] as [string, vscode.FileType][],
    );
    for (const [name, type] of entries) {
      if (out.length >= MAX_FILES) break;
      // A folder link is listed, never entered: it may lead out of the workspace.
      if (type & vscode.FileType.Directory && !(type & vscode.FileType.SymbolicLink))
        out.push(...(await this.files(vscode.Uri.joinPath(folder, name), `${label}/${name}`, depth + 1)));
      else out.push(`${label}/${name}`);
    }
    return out.slice(0, MAX_FILES);
  }
}
