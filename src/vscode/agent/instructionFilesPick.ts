/**
 * "Switchyard: Agent Instruction Files": turns each instruction file on or off for this workspace.
 * The files are read in the host bundle (./agentInstructions.ts), so this needs no agent chunk.
 * With none to list, it offers to create AGENTS.md at the first workspace folder's root (a short
 * template, opened in the editor; an existing file is never overwritten). Not offered without a
 * folder on disk: the repository's instruction files are read only from one (a virtual
 * workspace's are not read). Offered in Restricted Mode too: the files are read there, and
 * writing one is the user's own edit, like typing it.
 */
import * as vscode from 'vscode';
import { AGENTS_MD_TEMPLATE } from '../../agent/instructions';
import type { AgentInstructions } from './agentInstructions';

const CREATE = 'Create AGENTS.md';
const WHERE =
  'the agent reads AGENTS.md, CLAUDE.md and .github/copilot-instructions.md at the workspace root, ~/.switchyard/AGENTS.md and the switchyard.agent.instructions setting.';

export async function showInstructionFiles(instructions: AgentInstructions): Promise<void> {
  await instructions.refresh();
  const entries = instructions.entries();
  if (entries.length === 0) {
    await offerToCreate(instructions);
    return;
  }
  const picked = await vscode.window.showQuickPick(
    entries.map((e) => ({ label: e.label, picked: e.on })),
    { canPickMany: true, title: 'Instruction files the agent reads in this workspace' },
  );
  if (!picked) return;
  const on = new Set(picked.map((p) => p.label));
  for (const e of entries) if (e.on !== on.has(e.label)) await instructions.toggle(e.label, on.has(e.label));
}

/** No instruction file: says where they are read from and, in a folder on disk, offers to create AGENTS.md. */
async function offerToCreate(instructions: AgentInstructions): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (folder?.uri.scheme !== 'file') {
    void vscode.window.showInformationMessage(`No instruction files found: ${WHERE}`);
    return;
  }
  const file = vscode.Uri.joinPath(folder.uri, 'AGENTS.md');
  if (await exists(file)) {
    // There but not read (a link out of the workspace, binary, over 256 KiB): shown, never replaced.
    const open = await vscode.window.showWarningMessage(
      'AGENTS.md is not read: the agent reads it only as a regular text file under 256 KiB that stays in the workspace.',
      'Open AGENTS.md',
    );
    if (open) await vscode.window.showTextDocument(file, { preview: false });
    return;
  }
  const create = await vscode.window.showInformationMessage(
    `No instruction files yet: ${WHERE} Create an AGENTS.md to tell the agent how this project builds, tests and is written.`,
    CREATE,
  );
  if (create !== CREATE) return;
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
