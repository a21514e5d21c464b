/**
 * One call to get everything a scenario needs: a workspace, the fake OpenRouter, code-server with
 * our `.vsix` pointed at the fake, and Chromium showing the workbench. Everything is torn down
 * even when a step fails, so the test process exits by itself and leaves no code-server behind.
 *
 * The `.vsix` is NOT built here: `npm run test:e2e` runs `npm run package` first.
 */
import { after, before } from 'node:test';
import type { Page } from 'playwright-core';
import path from 'node:path';
import { connectBrowser, launchBrowser, openWorkbench, type BrowserSession } from './browser';
import { startCodeServer, writeUserSettings, type CodeServer } from './codeServer';
import { createWorkspace } from './fixtures';
import { connectLaneBrowser } from './laneBrowser';
import { logFilesNow, readAllLogs, readExtensionLog, waitForExtensionLog } from './logs';
import { assertVsixBuilt, vsixPath } from './paths';
import { claimSharedServer, leaveWorkbench, resetSharedProfile, type SharedServer } from './sharedServer';
import { screenshot } from './workbench';

import type { FakeOpenRouter, FakeOptions } from '../../fake-openrouter/server';

export type { FakeOpenRouter, FakeOptions };

/** Options for {@link startSwitchyard}. */
export interface SwitchyardOptions {
  /** User settings (over the harness's quiet defaults and `switchyard.baseUrl` → the fake). */
  readonly settings?: Readonly<Record<string, unknown>>;
  /** Environment for code-server / the extension host (e.g. `OPENROUTER_API_KEY`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Start the fake OpenRouter (default true), optionally with options. */
  readonly fake?: boolean | FakeOptions;
  /** Extra / replacement workspace files (relative path → content). */
  readonly files?: Readonly<Record<string, string>>;
  /** Open the workbench and wait for the extension (default true). */
  readonly open?: boolean;
  /** Show the browser window (needs a display; default `E2E_HEADED=1`). */
  readonly headed?: boolean;
  /** Keep Chromium's profile here (see `LaunchOptions.profileDir` in browser.ts); default a fresh one. */
  readonly browserProfileDir?: string;
  /** The `.vsix` to install (default dist/switchyard.vsix). */
  readonly vsix?: string;
  /**
   * Workspace trust ON, with VS Code's default trust settings (the folder opens untrusted and VS
   * Code asks; see workspaceTrust.ts): the session gets a code-server and a Chromium of its own.
   */
  readonly workspaceTrust?: boolean;
}

/** Everything a scenario drives and inspects. */
export interface SwitchyardSession {
  readonly page: Page;
  readonly browser: BrowserSession;
  readonly codeServer: CodeServer;
  /** The fake OpenRouter, unless `fake: false`. */
  readonly fake: FakeOpenRouter | undefined;
  /** The workspace folder the workbench has open. */
  readonly workspace: string;
  /** Milliseconds from navigation to "workbench drawn and Switchyard status item shown" (0 when `open: false`). */
  readonly workbenchLoadMs: number;
  /** Uncaught errors of the workbench page (not of webviews), for debugging. */
  readonly pageErrors: readonly string[];
  /**
   * Log files that existed before this session (earlier test files' windows on a shared
   * code-server): pass to the log helpers of logs.ts to read only this session's.
   */
  readonly logsBefore: ReadonlySet<string>;
  /** The extension's "Switchyard" output channel text (all of this session's windows). */
  extensionLog(): string;
  /**
   * Waits until the extension has logged a line matching `pattern` and returns it. VS Code writes
   * the channel's file a little after the line is logged (throttled), so a check right after an
   * action reads the log through this, not once with {@link extensionLog}.
   */
  waitForLog(pattern: RegExp, timeout?: number): Promise<string>;
  /** Every VS Code / code-server log file's text (for secret-leak checks). */
  allLogs(): string;
  /** `test-results/<name>.png`. */
  screenshot(name: string): Promise<string>;
  /** Tears everything down (idempotent); never throws. */
  close(): Promise<void>;
}

/** Runs every cleanup step, even when earlier ones fail; logs failures. */
async function runCleanups(steps: readonly (() => Promise<void> | void)[]): Promise<void> {
  for (const step of steps) {
    try {
      await step();
    } catch (error) {
      console.error(`[e2e] cleanup step failed: ${String(error)}`);
    }
  }
}

/** The code-server a session uses: the run's shared one (see sharedServer.ts) or its own. */
async function serverFor(
  options: SwitchyardOptions,
  vsix: string,
  workspace: string,
  settings: Record<string, unknown>,
): Promise<{ cs: CodeServer; shared: SharedServer | undefined }> {
  const ownServer = options.vsix !== undefined || options.workspaceTrust === true;
  const shared = ownServer ? undefined : await claimSharedServer();
  if (!shared) {
    const cs = await startCodeServer({
      vsix,
      workspace,
      ...(options.workspaceTrust ? trustOn(settings) : { settings }),
      ...(options.env ? { env: options.env } : {}),
    });
    return { cs, shared };
  }
  await resetSharedProfile(shared, options.env);
  writeUserSettings(shared.userDataDir, settings, true);
  const cs: CodeServer = {
    ...shared,
    workbenchUrl: `${shared.url}?folder=${encodeURIComponent(workspace)}`,
    workspace,
    logsDir: path.join(shared.userDataDir, 'logs'),
    exited: new Promise<void>(() => undefined),
    stop: async () => undefined, // the run's server outlives the session (test/e2e/run.ts stops it)
  };
  return { cs, shared };
}

/** A server with workspace trust as VS Code ships it: the quiet profile's `security.workspace.trust.enabled: false` removed. */
function trustOn(settings: Record<string, unknown>): { settings: Record<string, unknown>; workspaceTrust: true } {
  return { settings: { ...settings, 'security.workspace.trust.enabled': undefined }, workspaceTrust: true };
}

/**
 * Chromium for a session: its lane's long-lived one (laneBrowser.ts), a fresh context in a
 * browser the lanes share, or a browser of its own.
 */
async function browserFor(options: SwitchyardOptions, shared: SharedServer | undefined): Promise<BrowserSession> {
  const launch = {
    ...(options.headed === undefined ? {} : { headed: options.headed }),
    ...(options.browserProfileDir === undefined ? {} : { profileDir: options.browserProfileDir }),
  };
  // A kept profile of the test's own, or a visible window, needs a browser of its own.
  const ownBrowser = options.browserProfileDir !== undefined || options.headed !== undefined;
  if (shared?.cdpEndpoint && !ownBrowser) {
    const origin = new URL(shared.url).origin;
    // A window an earlier (killed) test process left open has just been closed: start clean again.
    const afterLeftOpen = (): Promise<void> => resetSharedProfile(shared, options.env);
    // A lane Chromium that died mid-run costs its lane the warm tab, not the scenario.
    return connectLaneBrowser(shared.cdpEndpoint, { origin, afterLeftOpen }).catch((error: unknown) => {
      console.error(`[e2e] the lane's Chromium did not answer (${String(error)}): this session launches its own`);
      return launchBrowser(launch);
    });
  }
  if (shared?.browserWsEndpoint && !ownBrowser) return connectBrowser(shared.browserWsEndpoint, launch);
  return launchBrowser(launch);
}

/** Starts workspace, fake OpenRouter, code-server and Chromium; see {@link SwitchyardOptions}. */
export async function startSwitchyard(options: SwitchyardOptions = {}): Promise<SwitchyardSession> {
  const vsix = options.vsix ?? vsixPath;
  assertVsixBuilt(vsix);
  const cleanups: (() => Promise<void> | void)[] = [];
  let codeServer: CodeServer | undefined;
  let browser: BrowserSession | undefined;
  try {
    const ws = createWorkspace(options.files);
    cleanups.unshift(() => ws.cleanup());

    let fake: FakeOpenRouter | undefined;
    if (options.fake !== false) {
      // Loaded lazily so that `fake: false` sessions do not depend on the fake at all.
      const { startFakeOpenRouter } = await import('../../fake-openrouter/server');
      const started = await startFakeOpenRouter(typeof options.fake === 'object' ? options.fake : undefined);
      fake = started;
      cleanups.unshift(() => started.close());
    }

    // A session given OPENROUTER_API_KEY plays a user who has accepted that key (switchyard.environmentKey "use");
    // a test of the question itself sets the setting back to "ask".
    const acceptEnvKey = options.env?.OPENROUTER_API_KEY ? { 'switchyard.environmentKey': 'use' } : {};
    const settings: Record<string, unknown> = {
      ...(fake ? { 'switchyard.baseUrl': fake.baseUrl } : {}),
      ...acceptEnvKey,
      ...options.settings,
    };
    const { cs, shared } = await serverFor(options, vsix, ws.dir, settings);
    codeServer = cs;
    cleanups.unshift(() => cs.stop());
    const logsBefore = shared ? logFilesNow(cs.userDataDir) : new Set<string>();

    const b = await browserFor(options, shared);
    browser = b;
    cleanups.unshift(() => b.close());
    // On a shared server, the window's extension host ends before the next session starts.
    if (shared) cleanups.unshift(() => leaveWorkbench(b.page, shared));
    const pageErrors: string[] = [];
    b.page.on('pageerror', (error) => pageErrors.push(String(error)));

    const workbenchLoadMs = options.open === false ? 0 : await openWorkbench(b.page, cs.url, ws.dir);
    return sessionOf({ b, cs, fake, workspace: ws.dir, workbenchLoadMs, pageErrors, logsBefore, cleanups });
  } catch (error) {
    if (browser) await screenshot(browser.page, 'startup-failure').catch(() => undefined);
    const where = codeServer ? ` (code-server output: ${codeServer.outputLog}; KEEP_E2E=1 keeps it)` : '';
    await runCleanups(cleanups);
    throw error instanceof Error ? Object.assign(error, { message: `${error.message}${where}` }) : error;
  }
}

interface SessionParts {
  readonly b: BrowserSession;
  readonly cs: CodeServer;
  readonly fake: FakeOpenRouter | undefined;
  readonly workspace: string;
  readonly workbenchLoadMs: number;
  readonly pageErrors: string[];
  readonly logsBefore: ReadonlySet<string>;
  readonly cleanups: readonly (() => Promise<void> | void)[];
}

function sessionOf(p: SessionParts): SwitchyardSession {
  let closed = false;
  return {
    page: p.b.page,
    browser: p.b,
    codeServer: p.cs,
    fake: p.fake,
    workspace: p.workspace,
    workbenchLoadMs: p.workbenchLoadMs,
    pageErrors: p.pageErrors,
    logsBefore: p.logsBefore,
    extensionLog: () => readExtensionLog(p.cs.userDataDir, p.logsBefore),
    waitForLog: (pattern, timeout = 60_000) => waitForExtensionLog(p.cs.userDataDir, pattern, timeout, p.logsBefore),
    allLogs: () => readAllLogs(p.cs.userDataDir, [p.cs.outputLog]),
    screenshot: (name) => screenshot(p.b.page, name),
    close: async () => {
      if (closed) return;
      closed = true;
      await runCleanups(p.cleanups);
    },
  };
}

/**
 * Runs `scenario` with a fresh session and always tears it down. When the scenario throws, a
 * screenshot `test-results/<failureName>-failure.png` is taken first.
 */
export async function withSwitchyard<T>(
  options: SwitchyardOptions & { readonly failureName?: string },
  scenario: (session: SwitchyardSession) => Promise<T>,
): Promise<T> {
  const session = await startSwitchyard(options);
  try {
    return await scenario(session);
  } catch (error) {
    await session.screenshot(`${options.failureName ?? 'scenario'}-failure`).catch(() => undefined);
    throw error;
  } finally {
    await session.close();
  }
}

/**
 * For suites whose tests share one VS Code: registers node:test `before`/`after` hooks and
 * returns a getter for the session (throws if `before` failed).
 */
export function useSwitchyard(options: SwitchyardOptions = {}): () => SwitchyardSession {
  let session: SwitchyardSession | undefined;
  before(async () => {
    session = await startSwitchyard(options);
  });
  after(async () => {
    await session?.close();
  });
  return () => {
    if (!session) throw new Error('the Switchyard session did not start (see the before hook)');
    return session;
  };
}
