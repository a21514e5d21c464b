/**
 * `run_command`: runs in a VS Code terminal named "Switchyard Agent" so the user sees it live.
 * With shell integration, the output is read from the execution (`execution.read()`) and the exit
 * code from `onDidEndTerminalShellExecution`; without it (no integration within a few seconds),
 * the command runs as a child process in the same cwd whose output is echoed into a
 * "Switchyard Agent" pseudo-terminal. Output is kept head + tail (agent/outputBuffer.ts). Past
 * `switchyard.agent.commandTimeoutSeconds` the card is told it is still running (and offers Kill);
 * Stop or Kill interrupts it (Ctrl+C in the terminal; SIGTERM, then SIGKILL, to the child).
 */
import { spawn } from 'node:child_process';
import * as vscode from 'vscode';
import { OutputBuffer } from '../agent/outputBuffer';
import type { ToolRun } from '../agent/session';
import type { Logger } from './log';
import { stripAnsi } from './terminalOutput';

export const AGENT_TERMINAL_NAME = 'Switchyard Agent';
/** How long to wait for a new terminal's shell integration before falling back to a child process. */
const SHELL_INTEGRATION_WAIT_MS = 4000;

export interface CommandOptions {
  readonly cwd: string;
  readonly timeoutSeconds: number;
  readonly signal: AbortSignal;
  onStillRunning(): void;
}

export class AgentTerminal implements vscode.Disposable {
  private terminal: vscode.Terminal | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly log: Logger) {
    this.disposables.push(vscode.window.onDidCloseTerminal((t) => {
      if (t === this.terminal) this.terminal = undefined;
    }));
  }

  async run(command: string, options: CommandOptions): Promise<ToolRun> {
    const terminal = await this.terminalWithIntegration(options.cwd);
    if (terminal?.shellIntegration) return this.runIntegrated(terminal, terminal.shellIntegration, command, options);
    this.log.info('agent: shell integration unavailable; running the command as a child process');
    return runChild(command, options);
  }

  private async terminalWithIntegration(cwd: string): Promise<vscode.Terminal | undefined> {
    // A terminal in another folder is replaced, so `cwd` holds.
    if (this.terminal && this.terminalCwd !== cwd) {
      this.terminal.dispose();
      this.terminal = undefined;
    }
    const terminal = (this.terminal ??= vscode.window.createTerminal({ name: AGENT_TERMINAL_NAME, cwd, iconPath: new vscode.ThemeIcon('hubot') }));
    this.terminalCwd = cwd;
    terminal.show(true);
    if (terminal.shellIntegration) return terminal;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        listener.dispose();
        resolve(undefined);
      }, SHELL_INTEGRATION_WAIT_MS);
      const listener = vscode.window.onDidChangeTerminalShellIntegration((e) => {
        if (e.terminal !== terminal) return;
        clearTimeout(timer);
        listener.dispose();
        resolve(terminal);
      });
    });
  }

  private terminalCwd: string | undefined;

  private runIntegrated(terminal: vscode.Terminal, integration: vscode.TerminalShellIntegration, command: string, options: CommandOptions): Promise<ToolRun> {
    return new Promise<ToolRun>((resolve) => {
      const output = new OutputBuffer();
      let exitCode: number | undefined;
      let finished = false;
      let interrupted = false;
      const execution = integration.executeCommand(command);
      const reading = (async () => {
        try {
          for await (const data of execution.read()) output.push(stripAnsi(data));
        } catch {
          // The terminal went away: keep what arrived.
        }
      })();
      const done = (): void => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        endListener.dispose();
        closeListener.dispose();
        options.signal.removeEventListener('abort', onAbort);
        void Promise.race([reading, new Promise((r) => setTimeout(r, 500))]).then(() => resolve(result(output.text(), exitCode, interrupted)));
      };
      const endListener = vscode.window.onDidEndTerminalShellExecution((e) => {
        if (e.execution !== execution) return;
        exitCode = e.exitCode;
        done();
      });
      const closeListener = vscode.window.onDidCloseTerminal((t) => {
        if (t === terminal) {
          interrupted = true;
          done();
        }
      });
      const timer = setTimeout(() => options.onStillRunning(), options.timeoutSeconds * 1000);
      const onAbort = (): void => {
        interrupted = true;
        terminal.sendText('\u0003', false);
        // A shell that ignores Ctrl+C: the result is reported anyway.
        setTimeout(done, 3000);
      };
      if (options.signal.aborted) onAbort();
      else options.signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}

/** The fallback: a child process whose output is also shown in a pseudo-terminal. */
function runChild(command: string, options: CommandOptions): Promise<ToolRun> {
  return new Promise<ToolRun>((resolve) => {
    // What the child prints before the terminal is open is kept and shown once it opens.
    const emitter = new vscode.EventEmitter<string>();
    let pending: string[] | undefined = [`$ ${command}\r\n`];
    const write = {
      fire: (text: string): void => {
        if (pending) pending.push(text);
        else emitter.fire(text);
      },
    };
    const pty: vscode.Pseudoterminal = {
      onDidWrite: emitter.event,
      open: () => {
        const earlier = pending ?? [];
        pending = undefined;
        for (const text of earlier) emitter.fire(text);
      },
      close: () => child.kill('SIGTERM'),
    };
    const terminal = vscode.window.createTerminal({ name: AGENT_TERMINAL_NAME, pty });
    terminal.show(true);
    const output = new OutputBuffer();
    let interrupted = false;
    const shell = process.platform === 'win32' ? (process.env.ComSpec ?? 'cmd.exe') : (process.env.SHELL ?? '/bin/sh');
    const args = process.platform === 'win32' ? ['/d', '/s', '/c', command] : ['-c', command];
    const child = spawn(shell, args, { cwd: options.cwd, detached: process.platform !== 'win32', stdio: ['ignore', 'pipe', 'pipe'] });
    const onData = (data: Buffer): void => {
      const text = data.toString('utf8');
      output.push(stripAnsi(text));
      write.fire(text.replace(/\r?\n/g, '\r\n'));
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = setTimeout(() => options.onStillRunning(), options.timeoutSeconds * 1000);
    const kill = (): void => {
      interrupted = true;
      try {
        if (child.pid && process.platform !== 'win32') process.kill(-child.pid, 'SIGTERM');
        else child.kill('SIGTERM');
      } catch {
        // Already gone.
      }
      setTimeout(() => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }, 2000);
    };
    if (options.signal.aborted) kill();
    else options.signal.addEventListener('abort', kill, { once: true });
    const finish = (code: number | null, error?: Error): void => {
      clearTimeout(timer);
      options.signal.removeEventListener('abort', kill);
      if (error) output.push(`\n${error.message}`);
      write.fire(`\r\n[exit code ${code ?? '?'}]\r\n`);
      resolve(result(output.text(), code ?? undefined, interrupted));
    };
    child.on('error', (error) => finish(null, error));
    child.on('close', (code) => finish(code));
  });
}

function result(text: string, exitCode: number | undefined, interrupted: boolean): ToolRun {
  const status = interrupted ? 'interrupted (stopped by the user)' : exitCode === undefined ? 'exit code unknown' : `exit code ${exitCode}`;
  const body = text.trim() ? text.trimEnd() : '(no output)';
  return { ok: !interrupted && (exitCode === 0 || exitCode === undefined), content: `${body}\n[${status}]`, summary: status };
}
