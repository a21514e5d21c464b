/**
 * `run_command`: every command is a fresh process — a new shell at the workspace root (or its
 * `cwd` inside it), inside the OS sandbox where there is one (commandSandbox.ts) — so nothing
 * carries from one command to the next (`cd ..`, variables, functions). Its output is echoed live
 * into one "Switchyard Agent" pseudo-terminal the user sees, and kept head + tail
 * (agent/outputBuffer.ts) as plain text; stdout and stderr are each decoded as a stream
 * (agent/terminalText.ts), so a character or an escape cut between chunks stays whole. Past `switchyard.agent.commandTimeoutSeconds` the card is told it is
 * still running (and offers Kill); Stop, Kill or closing the terminal ends the command's whole
 * process group (SIGTERM, then SIGKILL); in the sandbox its process namespace goes with it.
 */
import { spawn } from 'node:child_process';
import * as vscode from 'vscode';
import { OutputBuffer } from '../../agent/outputBuffer';
import { TerminalTextStream } from '../../agent/terminalText';
import { revealInvisible } from '../../protocol/invisibleText';
import type { ToolRun } from '../../agent/session';
import type { SpawnLine } from './commandSandbox';

export const AGENT_TERMINAL_NAME = 'Switchyard Agent';

export interface CommandOptions {
  readonly timeoutSeconds: number;
  readonly signal: AbortSignal;
  /** One line shown in the terminal before the command ("sandboxed, network off"). */
  readonly banner: string;
  onStillRunning(): void;
}

export class AgentTerminal implements vscode.Disposable {
  private terminal: vscode.Terminal | undefined;
  private readonly writes = new vscode.EventEmitter<string>();
  /** What was written before the terminal opened (shown once it opens). */
  private pending: string[] | undefined;
  private readonly running = new Set<() => void>();
  private readonly disposables: vscode.Disposable[] = [this.writes];

  constructor() {
    this.disposables.push(
      vscode.window.onDidCloseTerminal((t) => {
        if (t !== this.terminal) return;
        this.terminal = undefined;
        for (const kill of this.running) kill();
      }),
    );
  }

  private write(text: string): void {
    if (this.pending) this.pending.push(text);
    else this.writes.fire(text);
  }

  private show(): void {
    if (!this.terminal) {
      this.pending = [];
      const pty: vscode.Pseudoterminal = {
        onDidWrite: this.writes.event,
        open: () => {
          const earlier = this.pending ?? [];
          this.pending = undefined;
          for (const text of earlier) this.writes.fire(text);
        },
        close: () => undefined,
      };
      this.terminal = vscode.window.createTerminal({
        name: AGENT_TERMINAL_NAME,
        pty,
        iconPath: new vscode.ThemeIcon('hubot'),
      });
    }
    this.terminal.show(true);
  }

  /** Runs one command line as a new process; resolves with its output and exit status. */
  run(command: string, line: SpawnLine, cwd: string, options: CommandOptions): Promise<ToolRun> {
    this.show();
    this.write(`\r\n\x1b[2m[${options.banner}]\x1b[0m\r\n$ ${revealInvisible(command).replace(/\n/g, '\r\n  ')}\r\n`);
    return new Promise<ToolRun>((resolve) => {
      const output = new OutputBuffer();
      let interrupted = false;
      const child = spawn(line.file, [...line.args], {
        cwd,
        env: line.env,
        detached: process.platform !== 'win32',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      // stdout and stderr each decoded as a stream: a character or an escape cut between chunks stays whole.
      const streams = [new TerminalTextStream(), new TerminalTextStream()] as const;
      const show = (part: { text: string; plain: string }): void => {
        output.push(part.plain);
        if (part.text) this.write(part.text.replace(/\r?\n/g, '\r\n'));
      };
      child.stdout.on('data', (data: Buffer) => show(streams[0].push(data)));
      child.stderr.on('data', (data: Buffer) => show(streams[1].push(data)));
      const timer = setTimeout(() => options.onStillRunning(), options.timeoutSeconds * 1000);
      const kill = (): void => {
        interrupted = true;
        killTree(child.pid, 'SIGTERM');
        setTimeout(() => {
          if (child.exitCode === null && child.signalCode === null) killTree(child.pid, 'SIGKILL');
        }, 2000);
      };
      this.running.add(kill);
      if (options.signal.aborted) kill();
      else options.signal.addEventListener('abort', kill, { once: true });
      let finished = false;
      const finish = (code: number | null, error?: Error): void => {
        if (finished) return;
        finished = true;
        // The sandbox's processes are gone with it: its placeholders can go too.
        line.release?.();
        clearTimeout(timer);
        this.running.delete(kill);
        options.signal.removeEventListener('abort', kill);
        streams.forEach((stream) => show(stream.end()));
        if (error) output.push(`\n${error.message}`);
        this.write(`\r\n[exit code ${code ?? '?'}]\r\n`);
        resolve(result(output.text(), code ?? undefined, interrupted));
      };
      child.on('error', (error) => finish(null, error));
      child.on('close', (code) => finish(code));
    });
  }

  dispose(): void {
    for (const kill of this.running) kill();
    this.terminal?.dispose();
    this.disposables.forEach((d) => d.dispose());
  }
}

/** Signals the process group the command leads (all it started), or the process alone on Windows. */
function killTree(pid: number | undefined, signal: NodeJS.Signals): void {
  if (!pid) return;
  try {
    if (process.platform !== 'win32') process.kill(-pid, signal);
    else process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

function result(text: string, exitCode: number | undefined, interrupted: boolean): ToolRun {
  const status = interrupted
    ? 'interrupted (stopped by the user)'
    : exitCode === undefined
      ? 'exit code unknown'
      : `exit code ${exitCode}`;
  const body = text.trim() ? text.trimEnd() : '(no output)';
  return { ok: !interrupted && exitCode === 0, content: `${body}\n[${status}]`, summary: status };
}
