/**
 * Process groups the harness starts detached (code-server with its extension hosts and watchers):
 * killed by group id, and killed synchronously if the test process exits, or is stopped by the
 * test runner's signal, without having stopped them.
 */
import type { ChildProcess } from 'node:child_process';

/** Process groups still alive, killed synchronously if the test process exits abruptly. */
const liveGroups = new Set<number>();
let exitHookInstalled = false;

function killLiveGroups(): void {
  for (const pgid of liveGroups) killGroup(pgid, 'SIGKILL');
  liveGroups.clear();
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', killLiveGroups);
  // The test runner stops a timed-out file with a signal: kill the groups, then die as asked.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      killLiveGroups();
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

/** Kills the group led by `pgid` if this process ends before {@link forgetGroup}. */
export function trackGroup(pgid: number): void {
  installExitHook();
  liveGroups.add(pgid);
}

/** The group was stopped: nothing to kill on exit. */
export function forgetGroup(pgid: number): void {
  liveGroups.delete(pgid);
}

/** Sends `signal` to the whole process group led by `pgid` (ignores "no such process"). */
export function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // the group is already gone
  }
}

/** Waits for `child` to exit, up to `ms`; true when it did. */
export async function waitExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return true;
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
