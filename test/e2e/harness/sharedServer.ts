/**
 * A code-server (and a Chromium) started once for an e2e run and shared by test files in turn:
 * the run starts several side by side, its lanes (lanes.ts), and a file uses one at a time.
 *
 * Starting VS Code is most of what an e2e file costs: installing the `.vsix`, starting the server,
 * launching Chromium and the server's first workbench load (measured 2.6 + 2.1 + 2.4 + 17.7 s on
 * the 2-core machine, against 8.1 s for a later window of the same server). `test/e2e/run.ts`
 * starts them once and tells the files where they are (lanes.ts); each session
 * then gets what a fresh profile gave it before:
 *
 * - a fresh workspace folder (so fresh workspace storage: history, images) and a fresh browser
 *   context (so fresh SecretStorage and globalState, which code-server keeps in the browser);
 * - user settings rewritten from scratch, the extension's global storage folder emptied;
 * - its own extension host, started by its window and ended when the session closes, before the
 *   next one starts, with the session's `env` in its environment: code-server's environment is
 *   fixed when the run starts, so the run starts it as `node --require <preload>` (its extension
 *   hosts inherit node's options; NODE_OPTIONS it strips); the
 *   preload, in extension host processes only, adds the variables the harness wrote to
 *   {@link SharedServer.windowEnvFile} just before the window opened — what a code-server
 *   started with those variables gave the extension host before. (The workbench's own way,
 *   `extensionEnvironment` in the URL, works only in VS Code's smoke-test mode, which changes
 *   how notifications and editors behave; terminals keep code-server's environment.)
 * - its own log files (those that existed before it are left out of `extensionLog()`).
 *
 * A file run on its own (`node --test test/e2e/x.test.ts`) sees no lanes and starts
 * its own code-server as before.
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { claimLane, sharedRun } from './lanes';
import { EXTENSION_ID } from './logs';

/** Where the run's code-server and Chromium are. */
export interface SharedServer {
  readonly url: string;
  readonly port: number;
  /** code-server's process (group) id. */
  readonly pid: number;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  readonly outputLog: string;
  /** The folder code-server opens when a URL names none (never a scenario's workspace). */
  readonly workspace: string;
  /** Chromium's `launchServer` endpoint, when the lanes share one browser (`E2E_LANE_BROWSER=shared`). */
  readonly browserWsEndpoint?: string;
  /** The DevTools endpoint of the lane's own long-lived Chromium (laneChromium.ts). */
  readonly cdpEndpoint?: string;
  /** That Chromium's process (group) id, for CPU accounting. */
  readonly chromiumPid?: number;
  /** JSON `{ set, unset }` the next extension host applies to its environment (see the module comment). */
  readonly windowEnvFile: string;
}

/** The extension host's entry point, as code-server puts it in the environment of that process only. */
const EXTENSION_HOST_ENTRY = 'vs/workbench/api/node/extensionHostProcess';

/**
 * The CommonJS preload for code-server's `node --require …`: in an extension host it
 * applies `envFile`; in any other process it does nothing.
 */
export function windowEnvPreload(envFile: string): string {
  return `'use strict';
if (process.env.VSCODE_ESM_ENTRYPOINT === ${JSON.stringify(EXTENSION_HOST_ENTRY)}) {
  try {
    const { set, unset } = JSON.parse(require('node:fs').readFileSync(${JSON.stringify(envFile)}, 'utf8'));
    for (const name of unset) delete process.env[name];
    Object.assign(process.env, set);
  } catch (error) {
    console.error('[switchyard e2e] window environment not applied: ' + error);
  }
}
`;
}

/** Writes what the next window's extension host gets in its environment (`undefined` removes a variable). */
export function writeWindowEnv(server: SharedServer, env: Readonly<Record<string, string | undefined>> = {}): void {
  const entries = Object.entries(env);
  const set = Object.fromEntries(entries.filter(([, v]) => v !== undefined));
  const unset = entries.filter(([, v]) => v === undefined).map(([k]) => k);
  writeFileSync(server.windowEnvFile, JSON.stringify({ set, unset }));
}

/** The code-server this process's sessions use, when it runs under `test/e2e/run.ts`: its lane. */
export async function claimSharedServer(): Promise<SharedServer | undefined> {
  const run = sharedRun();
  return run ? claimLane(run) : undefined;
}

/** Ids of the live processes in process group `pgid` whose command line includes `needle`. */
function groupProcesses(pgid: number, needle: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name "(…)": state ppid pgrp …
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== pgid) continue;
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(needle)) found.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

/** Extension hosts the shared server runs right now (one per connected window). */
export function extensionHosts(server: Pick<SharedServer, 'pid'>): number[] {
  return groupProcesses(server.pid, '--type=extensionHost');
}

/**
 * Waits until the server runs no extension host (the previous window's has ended). One still
 * there after `timeoutMs` — a test process killed mid-scenario leaves its window's host for the
 * server's grace time — is killed, so the next session starts clean all the same.
 */
export async function waitForNoExtensionHost(server: Pick<SharedServer, 'pid'>, timeoutMs = 30_000): Promise<void> {
  let deadline = Date.now() + timeoutMs;
  while (extensionHosts(server).length > 0) {
    if (Date.now() > deadline) {
      const left = extensionHosts(server);
      console.error(
        `[e2e] the shared code-server still runs extension hosts ${JSON.stringify(left)} after ${timeoutMs} ms: killing them`,
      );
      for (const pid of left) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone meanwhile
        }
      }
      deadline = Date.now() + 5_000;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Makes the shared profile look fresh for the next window: no extension host of an earlier window,
 * user settings from scratch (written by the caller), our extension's global storage emptied,
 * `env` for the window's extension host.
 */
export async function resetSharedProfile(
  server: SharedServer,
  env?: Readonly<Record<string, string | undefined>>,
): Promise<void> {
  await waitForNoExtensionHost(server);
  rmSync(path.join(server.userDataDir, 'User', 'globalStorage', EXTENSION_ID), { recursive: true, force: true });
  writeWindowEnv(server, env);
}

/**
 * Leaves the workbench the way a closed browser tab does: the page unloads, the workbench says
 * goodbye to the server, which then ends this window's extension host (about half a second).
 */
export async function leaveWorkbench(page: Page, server: SharedServer): Promise<void> {
  await page.goto('about:blank', { timeout: 15_000 }).catch(() => undefined);
  await waitForNoExtensionHost(server);
}
