/**
 * Starts the run's lanes (see lanes.ts): `count` code-servers side by side, each with its own
 * home folder, user-data-dir, extensions dir and window-environment preload (sharedServer.ts),
 * and one Chromium they all share (each session opens a fresh browser context).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserServer } from 'playwright-core';
import { chromiumLaunchOptions } from './browser';
import { startCodeServer, type CodeServer } from './codeServer';
import type { SharedRun } from './lanes';
import { vsixPath } from './paths';
import { windowEnvPreload, writeWindowEnv, type SharedServer } from './sharedServer';

/** Seconds a window's extension host outlives a connection lost without a goodbye. */
const GRACE_SECONDS = 10;

/** Started lanes; `stop()` ends them all and removes their folders. */
export interface StartedLanes {
  readonly run: SharedRun;
  /** The shared Chromium's process id (for CPU accounting). */
  readonly chromiumPid: number | undefined;
  stop(): Promise<void>;
}

async function startLane(home: string): Promise<{ lane: SharedServer; cs: CodeServer }> {
  const windowEnvFile = path.join(home, '.window-env.json');
  const preload = path.join(home, '.window-env.cjs');
  writeFileSync(preload, windowEnvPreload(windowEnvFile));
  const cs = await startCodeServer({
    vsix: vsixPath,
    workspace: home,
    reconnectionGraceSeconds: GRACE_SECONDS,
    nodeArgs: ['--require', preload],
  });
  const lane: SharedServer = {
    url: cs.url,
    port: cs.port,
    pid: cs.pid,
    userDataDir: cs.userDataDir,
    extensionsDir: cs.extensionsDir,
    outputLog: cs.outputLog,
    workspace: home,
    windowEnvFile,
  };
  writeWindowEnv(lane);
  return { lane, cs };
}

/** Starts `count` code-servers at once and one Chromium. */
export async function startLanes(count: number): Promise<StartedLanes> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'switchyard-e2e-run-'));
  const lockDir = path.join(root, 'claims');
  mkdirSync(lockDir);
  const homes = Array.from({ length: count }, (_, i) => path.join(root, `lane-${i}`));
  for (const home of homes) mkdirSync(home);
  const started = await Promise.allSettled(homes.map((home) => startLane(home)));
  const servers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value.cs] : []));
  let browser: BrowserServer | undefined;
  const stop = async (): Promise<void> => {
    await browser?.close().catch(() => undefined);
    await Promise.all(servers.map((cs) => cs.stop()));
    rmSync(root, { recursive: true, force: true });
  };
  try {
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    browser = await chromium.launchServer(chromiumLaunchOptions());
    const endpoint = browser.wsEndpoint();
    const lanes = started.flatMap((s) =>
      s.status === 'fulfilled' ? [{ ...s.value.lane, browserWsEndpoint: endpoint }] : [],
    );
    return { run: { lanes, lockDir }, chromiumPid: browser.process()?.pid, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
