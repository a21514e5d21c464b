/**
 * Starts the run's lanes (see lanes.ts): `count` code-servers side by side, each with its own
 * home folder, user-data-dir, extensions dir and window-environment preload (sharedServer.ts),
 * and each with its own long-lived Chromium on a kept profile (laneChromium.ts), whose tab every
 * session of the lane reuses (laneBrowser.ts). `E2E_LANE_BROWSER=shared` starts one Chromium for
 * all lanes instead, each session in a fresh browser context (the way before; for comparison).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserServer } from 'playwright-core';
import { chromiumLaunchOptions } from './browser';
import { startCodeServer, type CodeServer } from './codeServer';
import type { SharedRun } from './lanes';
import { vsixPath } from './paths';
import { startLaneChromium, type LaneChromium } from './laneChromium';
import { windowEnvPreload, writeWindowEnv, type SharedServer } from './sharedServer';

/** Seconds a window's extension host outlives a connection lost without a goodbye. */
const GRACE_SECONDS = 10;

/** Started lanes; `stop()` ends them all and removes their folders. */
export interface StartedLanes {
  readonly run: SharedRun;
  /** The shared Chromium's process id (for CPU accounting), when the lanes share one. */
  readonly chromiumPid: number | undefined;
  stop(): Promise<void>;
}

/** Whether each lane gets a long-lived Chromium of its own (default) or all share one. */
export function laneBrowsers(): 'lane' | 'shared' {
  return process.env.E2E_LANE_BROWSER === 'shared' ? 'shared' : 'lane';
}

async function startLane(home: string): Promise<{ lane: SharedServer; cs: CodeServer; chromium?: LaneChromium }> {
  const windowEnvFile = path.join(home, '.window-env.json');
  const preload = path.join(home, '.window-env.cjs');
  writeFileSync(preload, windowEnvPreload(windowEnvFile));
  const [cs, ownBrowser] = await Promise.all([
    startCodeServer({
      vsix: vsixPath,
      workspace: home,
      reconnectionGraceSeconds: GRACE_SECONDS,
      nodeArgs: ['--require', preload],
    }),
    laneBrowsers() === 'lane' ? startLaneChromium(path.join(home, 'chromium-profile')) : undefined,
  ]);
  const lane: SharedServer = {
    url: cs.url,
    port: cs.port,
    pid: cs.pid,
    userDataDir: cs.userDataDir,
    extensionsDir: cs.extensionsDir,
    outputLog: cs.outputLog,
    workspace: home,
    windowEnvFile,
    ...(ownBrowser ? { cdpEndpoint: ownBrowser.cdpEndpoint, chromiumPid: ownBrowser.pid } : {}),
  };
  writeWindowEnv(lane);
  return { lane, cs, ...(ownBrowser ? { chromium: ownBrowser } : {}) };
}

/** Starts `count` code-servers at once, with a Chromium each (or one for all, see {@link laneBrowsers}). */
export async function startLanes(count: number): Promise<StartedLanes> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'switchyard-e2e-run-'));
  const lockDir = path.join(root, 'claims');
  mkdirSync(lockDir);
  const homes = Array.from({ length: count }, (_, i) => path.join(root, `lane-${i}`));
  for (const home of homes) mkdirSync(home);
  const started = await Promise.allSettled(homes.map((home) => startLane(home)));
  const servers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value.cs] : []));
  const chromiums = started.flatMap((s) => (s.status === 'fulfilled' && s.value.chromium ? [s.value.chromium] : []));
  let browser: BrowserServer | undefined;
  const stop = async (): Promise<void> => {
    await browser?.close().catch(() => undefined);
    await Promise.all(chromiums.map((c) => c.stop()));
    await Promise.all(servers.map((cs) => cs.stop()));
    rmSync(root, { recursive: true, force: true });
  };
  try {
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    const lanes = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value.lane] : []));
    if (chromiums.length > 0) return { run: { lanes, lockDir }, chromiumPid: undefined, stop };
    browser = await chromium.launchServer(chromiumLaunchOptions());
    const endpoint = browser.wsEndpoint();
    const sharing = lanes.map((lane) => ({ ...lane, browserWsEndpoint: endpoint }));
    return { run: { lanes: sharing, lockDir }, chromiumPid: browser.process()?.pid, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
