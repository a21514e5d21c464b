/**
 * Lanes: a test run starts several code-servers (each with its own user-data-dir, so settings,
 * global storage, logs and extension hosts stay apart) and the e2e files run in parallel, one
 * file per lane at a time. `test/e2e/run.ts` starts the lanes and passes them in
 * {@link SHARED_ENV}; a test file's process claims a free lane the first time a session needs
 * VS Code and keeps it until the process exits (its scenarios run one after another).
 *
 * A claim is a directory `lane-<n>` in the run's lock folder (`mkdir` is atomic) holding the
 * claiming process's id; a claim whose process is gone is taken over, so a killed test file
 * never blocks a lane.
 */
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { SharedServer } from './sharedServer';
import { processAlive } from '../../../src/agent/processAlive';

/** The environment variable `test/e2e/run.ts` sets for the test files: a {@link SharedRun} as JSON. */
export const SHARED_ENV = 'SWITCHYARD_E2E_SERVER';

/** The run's lanes, and where their claims are kept. */
export interface SharedRun {
  readonly lanes: readonly SharedServer[];
  readonly lockDir: string;
}

/** The run's lanes, when this process runs under `test/e2e/run.ts`. */
export function sharedRun(): SharedRun | undefined {
  const raw = process.env[SHARED_ENV];
  if (!raw) return undefined;
  const parsed = JSON.parse(raw) as Partial<SharedRun>;
  if (!Array.isArray(parsed.lanes) || parsed.lanes.length === 0 || typeof parsed.lockDir !== 'string')
    throw new Error(`${SHARED_ENV} is not a run's lane list: ${raw}`);
  return parsed as SharedRun;
}

/** Claims lane `index` for this process; false when another live process holds it. */
export function tryClaim(lockDir: string, index: number): boolean {
  const dir = path.join(lockDir, `lane-${index}`);
  const pidFile = path.join(dir, 'pid');
  try {
    mkdirSync(dir);
  } catch {
    let holder = NaN;
    try {
      holder = Number(readFileSync(pidFile, 'utf8'));
    } catch {
      // Being claimed right now (directory made, pid not yet written), unless that was long ago.
      const made = statSync(dir, { throwIfNoEntry: false });
      if (!made) return tryClaim(lockDir, index); // released meanwhile
      if (Date.now() - made.mtimeMs < 5_000) return false;
    }
    if (holder === process.pid) return true;
    if (Number.isInteger(holder) && processAlive(holder)) return false;
    rmSync(dir, { recursive: true, force: true });
    return tryClaim(lockDir, index);
  }
  writeFileSync(pidFile, String(process.pid));
  return true;
}

/** Gives lane `index` back (what process exit does for a claim). */
export function releaseClaim(lockDir: string, index: number): void {
  rmSync(path.join(lockDir, `lane-${index}`), { recursive: true, force: true });
}

let claimed: Promise<SharedServer> | undefined;

/**
 * The lane this process uses: the first free one, waiting for one to come free when every lane
 * is busy (more test files run at once than there are lanes). Kept for the process's lifetime.
 */
export function claimLane(run: SharedRun, pollMs = 200): Promise<SharedServer> {
  claimed ??= (async () => {
    for (;;) {
      const free = run.lanes.findIndex((_, i) => tryClaim(run.lockDir, i));
      if (free >= 0) {
        process.once('exit', () => releaseClaim(run.lockDir, free));
        return run.lanes[free]!;
      }
      await new Promise((r) => setTimeout(r, pollMs));
    }
  })();
  return claimed;
}
