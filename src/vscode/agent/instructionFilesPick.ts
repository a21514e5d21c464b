/**
 * "Switchyard: Agent Instruction Files": turns each instruction file on or off for this workspace.
 * The files are read in the host bundle (./agentInstructions.ts), so this needs no agent chunk.
 */
import * as vscode from 'vscode';
import type { AgentInstructions } from './agentInstructions';

export async function showInstructionFiles(instructions: AgentInstructions): Promise<void> {
  await instructions.refresh();
  const entries = instructions.entries();
  if (entries.length === 0) {
    void vscode.window.showInformationMessage(
      'No instruction files found: the agent reads AGENTS.md, CLAUDE.md and .github/copilot-instructions.md at the workspace root, ~/.switchyard/AGENTS.md and the switchyard.agent.instructions setting.',
    );
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
