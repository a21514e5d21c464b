/**
 * The instruction files the agent reads, found on VS Code's file system: the root's AGENTS.md,
 * CLAUDE.md and .github/copilot-instructions.md, the workspace's nested AGENTS.md files (read
 * when the task touches a file under them), the user's `switchyard.agent.instructions` setting
 * and their file `~/.switchyard/AGENTS.md`. Each can be turned off for this workspace
 * (workspace state); the composer lists them (src/agent/instructions.ts has the rules). The
 * repository's files are untrusted: each is read only by `readWorkspaceText` (no link out of the
 * workspace, no secret's file, no pipe, binary or huge file).
 */
import * as os from 'node:os';
import * as vscode from 'vscode';
import { readConfinedText } from '../../context/confinedRead';
import { readSettings } from '../settings/settings';
import {
  instructionsText,
  nearestNestedFile,
  nearestNestedFiles,
  nestedNote,
  ROOT_INSTRUCTION_FILES,
  NESTED_FILE,
  type InstructionSource,
} from '../../agent/instructions';

const OFF_KEY = 'switchyard.instructions.off';
const MAX_BYTES = 256 * 1024;
export const USER_INSTRUCTIONS_LABEL = '~/.switchyard/AGENTS.md';
export const SETTING_LABEL = 'switchyard.agent.instructions';

/** One instruction file as the composer lists it. */
export interface InstructionEntry {
  readonly label: string;
  readonly on: boolean;
}

/** A file of the user's own (under the home folder): a regular file under the size limit. */
export async function readText(uri: vscode.Uri): Promise<string | undefined> {
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (!(stat.type & vscode.FileType.File) || stat.size > MAX_BYTES) return undefined;
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}

/**
 * A repository file (relative to the first workspace folder) read for the model without asking:
 * undefined when it is not there, or is a link out of the workspace, a secret's file (by either
 * name), not a regular file, binary or over the size limit (src/context/confinedRead.ts).
 */
export async function readWorkspaceText(rel: string): Promise<string | undefined> {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (root?.scheme !== 'file') return undefined;
  const read = await readConfinedText(root.fsPath, rel, {
    maxBytes: MAX_BYTES,
    secretGlobs: readSettings().settings.contextExclude,
  });
  return read.ok ? read.text : undefined;
}

export class AgentInstructions {
  private sources: InstructionSource[] = [];
  private nested: string[] = [];
  private readonly told = new Set<string>();

  private readonly toggled = new vscode.EventEmitter<void>();
  /** A file was turned on or off (the composer's list follows). */
  readonly onDidToggle = this.toggled.event;

  constructor(private readonly state: vscode.Memento) {}

  private off(): Set<string> {
    const v = this.state.get<unknown>(OFF_KEY);
    return new Set(Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  }

  async toggle(label: string, on: boolean): Promise<void> {
    const off = this.off();
    if (on) off.delete(label);
    else off.add(label);
    await this.state.update(OFF_KEY, [...off]);
    this.toggled.fire();
  }

  /** Reads the files again (each task start; the composer's list). */
  async refresh(): Promise<void> {
    const root = vscode.workspace.workspaceFolders?.[0]?.uri;
    const found: InstructionSource[] = [];
    if (root) {
      for (const file of ROOT_INSTRUCTION_FILES) {
        const content = await readWorkspaceText(file);
        if (content !== undefined) found.push({ label: file, origin: 'workspace', content });
      }
      const uris = await vscode.workspace.findFiles(`**/${NESTED_FILE}`, '**/node_modules/**', 200);
      this.nested = uris.map((u) => vscode.workspace.asRelativePath(u, false)).filter((p) => p !== NESTED_FILE);
    }
    const userFile = await readText(vscode.Uri.file(`${os.homedir()}/.switchyard/AGENTS.md`));
    if (userFile !== undefined) found.push({ label: USER_INSTRUCTIONS_LABEL, origin: 'user', content: userFile });
    const setting = vscode.workspace.getConfiguration('switchyard').inspect<unknown>('agent.instructions')?.globalValue;
    if (typeof setting === 'string' && setting.trim())
      found.push({ label: SETTING_LABEL, origin: 'user', content: setting });
    this.sources = found;
  }

  /** What the composer lists: every file found, on or off. */
  entries(): InstructionEntry[] {
    const off = this.off();
    return this.sources.map((s) => ({ label: s.label, on: !off.has(s.label) }));
  }

  /** The instructions text (files turned off left out). */
  text(): string {
    const off = this.off();
    return instructionsText(this.sources.filter((s) => !off.has(s.label)));
  }

  /** The instructions text with `extra` sources after the root's (Ask mode's nested AGENTS.md files). */
  textWith(extra: readonly InstructionSource[]): string {
    const off = this.off();
    return instructionsText([...this.sources, ...extra].filter((s) => !off.has(s.label)));
  }

  /** The nearest nested AGENTS.md of each path (files turned off left out), read now. */
  async nestedFor(paths: readonly string[]): Promise<InstructionSource[]> {
    const root = vscode.workspace.workspaceFolders?.[0]?.uri;
    if (!root) return [];
    const off = this.off();
    const found: InstructionSource[] = [];
    for (const label of nearestNestedFiles(paths, this.nested)) {
      const content = off.has(label) ? undefined : await readWorkspaceText(label);
      if (content?.trim()) found.push({ label, origin: 'workspace', content });
    }
    return found;
  }

  /** The note for a nested AGENTS.md the first time the task touches a path under it. */
  async touched(paths: readonly string[]): Promise<string[]> {
    const root = vscode.workspace.workspaceFolders?.[0]?.uri;
    if (!root) return [];
    const notes: string[] = [];
    for (const p of paths) {
      const nearest = nearestNestedFile(p, this.nested);
      if (!nearest || this.told.has(nearest) || this.off().has(nearest)) continue;
      this.told.add(nearest);
      const content = await readWorkspaceText(nearest);
      if (content?.trim()) notes.push(nestedNote({ label: nearest, origin: 'workspace', content }));
    }
    return notes;
  }

  reset(): void {
    this.told.clear();
  }
}
