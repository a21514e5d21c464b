/**
 * `@terminal`: the active terminal's selection, or the output of its last command. VS Code has
 * no API to read a terminal's selection, so it is copied through the clipboard (which is put
 * back); the last output comes from shell integration (`onDidStartTerminalShellExecution` →
 * `execution.read()`), which only works in shells where VS Code's shell integration is active.
 */
import * as vscode from 'vscode';
import { keepEnd, PlainTextStream } from '../../agent/terminalText';

/** Output kept per terminal (the end of it). */
const MAX_OUTPUT_CHARS = 64 * 1024;

export class TerminalOutput implements vscode.Disposable {
  private readonly last = new WeakMap<vscode.Terminal, { command: string; output: string }>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor() {
    this.disposables.push(vscode.window.onDidStartTerminalShellExecution((event) => void this.capture(event)));
  }

  private async capture(event: vscode.TerminalShellExecutionStartEvent): Promise<void> {
    let output = '';
    // Plain text as it arrives, so keeping only the end never cuts an escape sequence in two.
    const plain = new PlainTextStream();
    try {
      for await (const data of event.execution.read()) {
        output = keepEnd(output + plain.push(data), MAX_OUTPUT_CHARS);
      }
    } catch {
      // The terminal went away mid-command: keep what arrived.
    }
    output += plain.end();
    this.last.set(event.terminal, { command: event.execution.commandLine.value, output });
  }

  /** The active terminal's selection, else its last command's output, else why neither. */
  async read(): Promise<
    { ok: true; name: string; text: string; what: 'selection' | 'output' } | { ok: false; reason: string }
  > {
    const terminal = vscode.window.activeTerminal;
    if (!terminal) return { ok: false, reason: 'No terminal is open.' };
    const selection = await copySelection();
    if (selection) return { ok: true, name: terminal.name, text: selection, what: 'selection' };
    const last = this.last.get(terminal);
    if (last?.output.trim())
      return { ok: true, name: terminal.name, text: `$ ${last.command}\n${last.output.trimEnd()}`, what: 'output' };
    return {
      ok: false,
      reason: `Nothing to attach from terminal "${terminal.name}": select some text in it, or run a command in a shell with VS Code's shell integration so its output can be read.`,
    };
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}

/** The terminal's selection via the clipboard, which is restored afterwards. */
async function copySelection(): Promise<string | undefined> {
  const saved = await vscode.env.clipboard.readText();
  const marker = `switchyard-no-selection-${Date.now()}`;
  await vscode.env.clipboard.writeText(marker);
  try {
    await vscode.commands.executeCommand('workbench.action.terminal.copySelection');
    const copied = await vscode.env.clipboard.readText();
    return copied && copied !== marker ? copied : undefined;
  } finally {
    await vscode.env.clipboard.writeText(saved);
  }
}
