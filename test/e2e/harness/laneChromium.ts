/**
 * A lane's own Chromium (lanes.ts): started once per run with a kept profile folder and a
 * DevTools port, so every window of the lane is drawn by the same long-lived browser — its HTTP
 * cache, V8's code cache of the workbench's scripts and (with the kept tab) its renderer survive
 * from one session to the next. A fresh context per window cost 15.6–19.3 s of Chromium CPU per
 * workbench load; a kept browser and tab 5.7–8.2 s (README, Testing).
 *
 * Started the way playwright-core starts Chromium (its switches, headless) but as a plain
 * process, so that no Playwright connection stays attached to its pages between sessions: each
 * session connects over CDP (laneSession.ts) and disconnects when it ends, which takes with it
 * whatever it attached to the page (listeners, routes, bindings, init scripts).
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { chromiumArgs, VIEWPORT } from './browser';
import { assertChromiumInstalled, chromiumPath } from './paths';
import { killGroup } from './processGroups';

/** What playwright-core passes to a headless Chromium besides chromiumArgs() (its chromiumSwitches). */
const PLAYWRIGHT_SWITCHES: readonly string[] = [
  '--disable-field-trial-config',
  '--disable-background-timer-throttling',
  '--disable-backgrounding-occluded-windows',
  '--disable-back-forward-cache',
  '--disable-breakpad',
  '--disable-component-extensions-with-background-pages',
  '--no-default-browser-check',
  '--disable-default-apps',
  '--disable-dev-shm-usage',
  '--disable-extensions',
  '--disable-features=AvoidUnnecessaryBeforeUnloadCheckSync,DestroyProfileOnBrowserClose,HttpsUpgrades,MediaRouter,PaintHolding,ThirdPartyStoragePartitioning,OptimizationHints,NetworkTimeServiceQuerying',
  '--allow-pre-commit-input',
  '--disable-hang-monitor',
  '--disable-ipc-flooding-protection',
  '--disable-popup-blocking',
  '--disable-prompt-on-repost',
  '--disable-renderer-backgrounding',
  '--force-color-profile=srgb',
  '--metrics-recording-only',
  '--password-store=basic',
  '--use-mock-keychain',
  '--no-service-autorun',
  '--disable-search-engine-choice-screen',
  '--enable-unsafe-swiftshader',
  '--disable-infobars',
];

/** What playwright-core adds for headless (left out with `E2E_HEADED=1`). */
const HEADLESS_SWITCHES: readonly string[] = [
  '--headless',
  '--hide-scrollbars',
  '--mute-audio',
  '--blink-settings=primaryHoverType=2,availableHoverTypes=2,primaryPointerType=4,availablePointerTypes=4',
];

/** A running lane Chromium. */
export interface LaneChromium {
  /** The DevTools endpoint (`ws://127.0.0.1:<port>/devtools/browser/<id>`) sessions connect to. */
  readonly cdpEndpoint: string;
  readonly pid: number;
  /** Ends the browser (its process group). */
  stop(): Promise<void>;
}

/** The command line of a lane Chromium on `profileDir` (one tab at about:blank, the kept tab). */
export function laneChromiumArgs(profileDir: string): string[] {
  return [
    ...PLAYWRIGHT_SWITCHES,
    ...(process.env.E2E_HEADED === '1' ? [] : HEADLESS_SWITCHES),
    ...chromiumArgs(),
    `--user-data-dir=${profileDir}`,
    '--remote-debugging-port=0',
    '--remote-debugging-address=127.0.0.1',
    `--window-size=${VIEWPORT.width},${VIEWPORT.height}`,
    'about:blank',
  ];
}

/** Starts Chromium on `profileDir` and resolves once its DevTools endpoint is known. */
export function startLaneChromium(profileDir: string, timeoutMs = 60_000): Promise<LaneChromium> {
  assertChromiumInstalled();
  mkdirSync(profileDir, { recursive: true });
  const child = spawn(chromiumPath, laneChromiumArgs(profileDir), {
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const pid = child.pid;
  const kill = (): void => {
    if (pid) killGroup(pid, 'SIGKILL');
  };
  process.once('exit', kill);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    process.removeListener('exit', kill);
    if (child.exitCode === null && child.signalCode === null) {
      kill();
      await exited;
    }
  };
  return new Promise((resolve, reject) => {
    let output = '';
    const fail = (why: string): void => {
      clearTimeout(timer);
      void stop().then(() => reject(new Error(`lane Chromium ${why}: ${output.slice(-2000)}`)));
    };
    const timer = setTimeout(() => fail(`gave no DevTools endpoint within ${timeoutMs} ms`), timeoutMs);
    const early = (code: number | null): void => fail(`exited (${code}) before it was ready`);
    child.once('exit', early);
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const endpoint = /DevTools listening on (ws:\/\/\S+)/.exec(output)?.[1];
      if (!endpoint || !pid) return;
      clearTimeout(timer);
      child.removeListener('exit', early);
      child.stderr!.removeAllListeners('data');
      child.stderr!.resume(); // keep draining, never block the browser on a full pipe
      resolve({ cdpEndpoint: endpoint, pid, stop });
    });
  });
}
