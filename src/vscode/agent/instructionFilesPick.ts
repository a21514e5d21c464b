/**
 * "Switchyard: Agent Instruction Files": turns each instruction file on or off for this workspace.
 * The files are read in the host bundle (./agentInstructions.ts), so this needs no agent chunk.
 * Without an AGENTS.md at the first workspace folder's root it offers to create one (a short
 * template, opened in the editor; an existing file is never overwritten): a notification when
 * there is nothing to list, a title-bar button beside the list otherwise (CLAUDE.md or the user's
 * own files are read, but other agents look for AGENTS.md). An AGENTS.md that is there but not
 * read (a link out of the workspace, binary, too big) is said so, with a way to open it. Not
 * offered without a folder on disk: the repository's instruction files are read only from one (a
 * virtual workspace's are not read). Offered in Restricted Mode too: the files are read there, and
 * writing one is the user's own edit, like typing it.
 */
import * as vscode from 'vscode';
import { AGENTS_MD_TEMPLATE } from '../../agent/instructions';
import type { AgentInstructions } from './agentInstructions';

const CREATE = 'Create AGENTS.md';
const OPEN = 'Open AGENTS.md';
const WHERE =
  'the agent reads AGENTS.md, CLAUDE.md and .github/copilot-instructions.md at the workspace root, ~/.switchyard/AGENTS.md and the switchyard.agent.instructions setting.';
const NOT_READ =
  'AGENTS.md is not read: the agent reads it only as a regular text file under 256 KiB that stays in the workspace.';

/** Where the workspace's AGENTS.md stands: none to create, there but not read, read, or no folder on disk. */
type AgentsMd =
  { readonly state: 'missing' | 'unread'; readonly file: vscode.Uri } | { readonly state: 'read' | 'no-folder' };

export async function showInstructionFiles(instructions: AgentInstructions): Promise<void> {
  await instructions.refresh();
  const entries = instructions.entries();
  const agentsMd = await agentsMdState(entries.some((e) => e.label === 'AGENTS.md'));
  if (entries.length === 0) {
    await offerWithoutFiles(instructions, agentsMd);
    return;
  }
  const picked = await pickFiles(instructions, entries, agentsMd);
  if (!picked) return;
  const on = new Set(picked);
  for (const e of entries) if (e.on !== on.has(e.label)) await instructions.toggle(e.label, on.has(e.label));
}

async function agentsMdState(read: boolean): Promise<AgentsMd> {
  if (read) return { state: 'read' };
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (folder?.uri.scheme !== 'file') return { state: 'no-folder' };
  const file = vscode.Uri.joinPath(folder.uri, 'AGENTS.md');
  return (await exists(file)) ? { state: 'unread', file } : { state: 'missing', file };
}

/**
 * The list with a check box per file; resolves to the labels left checked (undefined when
 * dismissed, or when the title-bar button created or opened AGENTS.md instead).
 */
function pickFiles(
  instructions: AgentInstructions,
  entries: readonly { label: string; on: boolean }[],
  agentsMd: AgentsMd,
): Promise<string[] | undefined> {
  const pick = vscode.window.createQuickPick();
  pick.title = 'Instruction files read in this workspace (Agent, Plan, Ask)';
  pick.canSelectMany = true;
  pick.items = entries.map((e) => ({ label: e.label }));
  pick.selectedItems = pick.items.filter((_, i) => entries[i]?.on);
  const button = titleButton(agentsMd);
  if (button) pick.buttons = [button];
  if (agentsMd.state === 'unread') pick.placeholder = 'AGENTS.md is not read (the ⚠ button says why and opens it)';
  return new Promise((resolve) => {
    let result: string[] | undefined;
    pick.onDidAccept(() => {
      result = pick.selectedItems.map((i) => i.label);
      pick.hide();
    });
    pick.onDidTriggerButton(() => {
      pick.hide();
      if (agentsMd.state === 'missing') void createAgentsMd(instructions, agentsMd.file);
      if (agentsMd.state === 'unread') void vscode.window.showTextDocument(agentsMd.file, { preview: false });
    });
    pick.onDidHide(() => {
      pick.dispose();
      resolve(result);
    });
    pick.show();
  });
}

function titleButton(agentsMd: AgentsMd): vscode.QuickInputButton | undefined {
  if (agentsMd.state === 'missing') return { iconPath: new vscode.ThemeIcon('new-file'), tooltip: CREATE };
  if (agentsMd.state === 'unread') return { iconPath: new vscode.ThemeIcon('warning'), tooltip: `${NOT_READ} ${OPEN}` };
  return undefined;
}

/** No instruction file: says where they are read from and, in a folder on disk, offers to create AGENTS.md. */
async function offerWithoutFiles(instructions: AgentInstructions, agentsMd: AgentsMd): Promise<void> {
  if (!('file' in agentsMd)) {
    void vscode.window.showInformationMessage(`No instruction files found: ${WHERE}`);
    return;
  }
  if (agentsMd.state === 'unread') {
    const open = await vscode.window.showWarningMessage(NOT_READ, OPEN);
    if (open) await vscode.window.showTextDocument(agentsMd.file, { preview: false });
    return;
  }
  const create = await vscode.window.showInformationMessage(
    `No instruction files yet: ${WHERE} Create an AGENTS.md to tell the agent how this project builds, tests and is written.`,
    CREATE,
  );
  if (create === CREATE) await createAgentsMd(instructions, agentsMd.file);
}

/** Creates AGENTS.md from the template (never over an existing file) and opens it. */
async function createAgentsMd(instructions: AgentInstructions, file: vscode.Uri): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.createFile(file, { ignoreIfExists: true, contents: new TextEncoder().encode(AGENTS_MD_TEMPLATE) });
  await vscode.workspace.applyEdit(edit);
  await vscode.window.showTextDocument(file, { preview: false });
  await instructions.refresh();
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
