/**
 * Starts code-server (the real VS Code workbench + Node extension host) with our `.vsix`
 * installed into a fresh, throw-away profile, on a free loopback port.
 *
 * Every instance runs in its own process group, is killed by that group id in `stop()`, and is
 * also killed synchronously if the test process exits without calling `stop()`.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { assertCodeServerInstalled, codeServerEntry, node24Binary } from './paths';
import { forgetGroup, killGroup, trackGroup, waitExit } from './processGroups';
import { processAlive } from '../../../src/agent/processAlive';

/** Settings that keep a fresh VS Code quiet, offline and free of first-run noise. */
export const QUIET_SETTINGS: Readonly<Record<string, unknown>> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'workbench.settings.enableNaturalLanguageSearch': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'git.openRepositoryInParentFolders': 'never',
  'git.enabled': false,
  'npm.fetchOnlinePackageInfo': false,
  'typescript.disableAutomaticTypeAcquisition': true,
  'window.restoreWindows': 'none',
  'editor.accessibilitySupport': 'off',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

/** Options for {@link startCodeServer}. */
export interface CodeServerOptions {
  /** The extension package to install (`--install-extension <vsix> --force`). */
  readonly vsix: string;
  /** The folder the workbench opens. */
  readonly workspace: string;
  /** User settings merged over {@link QUIET_SETTINGS} (and over an existing settings.json). */
  readonly settings?: Readonly<Record<string, unknown>>;
  /**
   * Extra environment for code-server and its extension host. By default the test's own
   * `OPENROUTER_API_KEY` and every `VSCODE_*` variable are NOT inherited; pass a key here to
   * give one to the extension. A value of `undefined` removes a variable.
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** A fixed port (default: a free one). */
  readonly port?: number;
  /** Use this user-data-dir instead of a fresh temp one (it is then never deleted). */
  readonly userDataDir?: string;
  /** Use this extensions-dir instead of a fresh temp one (it is then never deleted). */
  readonly extensionsDir?: string;
  /** Where to write code-server's stdout + stderr (default: in the temp dir, removed on stop). */
  readonly outputLog?: string;
  /** Milliseconds to wait for the HTTP port to answer (default 60 s). */
  readonly startTimeoutMs?: number;
  /**
   * Seconds an extension host outlives its window's lost connection (code-server's
   * `--reconnection-grace-time`; default its own 3 hours). A server shared by many windows in
   * turn sets it short, so a window that went away without a goodbye does not linger.
   */
  readonly reconnectionGraceSeconds?: number;
  /** Node options for code-server's processes (they pass to the extension hosts it forks). */
  readonly nodeArgs?: readonly string[];
  /**
   * Workspace trust as VS Code ships it (a folder opens untrusted and asks): no
   * `--disable-workspace-trust`. Default off, so no scenario meets the trust dialog by accident.
   */
  readonly workspaceTrust?: boolean;
}

/** A running code-server. */
export interface CodeServer {
  /** Base URL, e.g. `http://127.0.0.1:41234/`. */
  readonly url: string;
  /** URL that opens {@link CodeServer.workspace} in the workbench. */
  readonly workbenchUrl: string;
  readonly port: number;
  readonly pid: number;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  readonly workspace: string;
  /** `<userDataDir>/logs`: one folder per server start, holding `exthost*` and window logs. */
  readonly logsDir: string;
  /** code-server's own stdout + stderr. */
  readonly outputLog: string;
  /** Settles when the code-server process exits (for whatever reason). */
  readonly exited: Promise<void>;
  /** Kills the process group and removes the temp dirs (kept when `KEEP_E2E=1`). Idempotent. */
  stop(): Promise<void>;
}

/** Returns a port that was free a moment ago on 127.0.0.1 (listen on 0, read it, close). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

/** Whether `port` on 127.0.0.1 can be bound right now. */
export async function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * The environment code-server gets: ours minus secrets and VS Code IPC hooks, with the extension
 * gallery disabled, plus `extra`.
 */
export function codeServerEnv(extra: Readonly<Record<string, string | undefined>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    // VSCODE_IPC_HOOK_CLI & co. would make code-server's CLI talk to an outer VS Code instead;
    // NODE_TEST_CONTEXT (set by the runner of these tests) would turn a `node --test` run in
    // VS Code's terminal into a silent child of it.
    if (
      key.startsWith('VSCODE_') ||
      key === 'NODE_TEST_CONTEXT' ||
      key === 'OPENROUTER_API_KEY' ||
      key === 'PASSWORD' ||
      key === 'HASHED_PASSWORD' ||
      key === 'PORT'
    )
      continue;
    env[key] = value;
  }
  // No extension gallery: otherwise the workbench queries open-vsx.org (off-limits here).
  env.EXTENSIONS_GALLERY = '{}';
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/**
 * Writes `<ud>/User/settings.json`: existing content < {@link QUIET_SETTINGS} < `settings`
 * (`replace`: the existing content is dropped, as for a fresh profile).
 * A setting whose value is `undefined` is removed.
 */
export function writeUserSettings(
  userDataDir: string,
  settings: Readonly<Record<string, unknown>> = {},
  replace = false,
): string {
  const file = path.join(userDataDir, 'User', 'settings.json');
  mkdirSync(path.dirname(file), { recursive: true });
  let existing: Record<string, unknown> = {};
  if (!replace && existsSync(file)) {
    try {
      existing = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch {
      existing = {}; // settings.json may hold comments; ours are rewritten anyway.
    }
  }
  writeFileSync(file, `${JSON.stringify({ ...existing, ...QUIET_SETTINGS, ...settings }, null, 2)}\n`);
  return file;
}

/** Runs code-server's CLI once (e.g. `--install-extension`), failing with its output. */
async function runCli(args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(node24Binary, [codeServerEntry, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`code-server ${args.join(' ')} timed out after ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else reject(new Error(`code-server ${args.join(' ')} exited with ${String(code)}:\n${output}`));
    });
  });
}

/** Installs (or updates) a `.vsix` into the given profile. */
export async function installExtension(
  vsix: string,
  userDataDir: string,
  extensionsDir: string,
  env: NodeJS.ProcessEnv = codeServerEnv(),
): Promise<void> {
  const output = await runCli(
    ['--install-extension', vsix, '--force', '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir],
    env,
    120_000,
  );
  if (!/successfully installed|already installed/i.test(output)) {
    throw new Error(`installing ${vsix} did not report success:\n${output}`);
  }
}

/** Resolves once `GET <url>healthz` answers (any status), or rejects after `timeoutMs`. */
async function waitForHttp(url: string, timeoutMs: number, exited: () => string | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const why = exited();
    if (why) throw new Error(why);
    const ok = await new Promise<boolean>((resolve) => {
      const req = http.get(`${url}healthz`, { timeout: 2_000 }, (res) => {
        res.resume();
        resolve(true);
      });
      req.once('timeout', () => req.destroy());
      req.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`code-server did not answer on ${url} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Tail of a text file, for error messages. */
function tail(file: string, lines = 40): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/**
 * Makes a profile (temp unless given), writes settings, installs the `.vsix`, starts code-server
 * on 127.0.0.1 and waits until its HTTP port answers.
 */
export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  assertCodeServerInstalled();
  if (!existsSync(options.vsix)) throw new Error(`${options.vsix} does not exist: run npm run package`);
  const root = mkdtempSync(path.join(os.tmpdir(), 'switchyard-e2e-'));
  const userDataDir = options.userDataDir ?? path.join(root, 'user-data');
  const extensionsDir = options.extensionsDir ?? path.join(root, 'extensions');
  mkdirSync(userDataDir, { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  // code-server and the extension host leave IPC sockets (vscode-ipc-*.sock) and tsserver
  // folders in the temp dir when killed: give them one of ours, removed on stop.
  const tmp = path.join(root, 'tmp');
  mkdirSync(tmp);
  const env = codeServerEnv({ TMPDIR: tmp, ...options.env });
  const cleanup = (): void => {
    if (process.env.KEEP_E2E === '1') return;
    // A given user-data-dir / extensions-dir lives outside `root` and is therefore kept.
    rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  };

  writeUserSettings(userDataDir, options.settings);
  try {
    await installExtension(options.vsix, userDataDir, extensionsDir, env);
  } catch (error) {
    cleanup();
    throw error;
  }

  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}/`;
  // Our own config file, so code-server neither reads nor writes ~/.config/code-server.
  const configFile = path.join(root, 'config.yaml');
  writeFileSync(configFile, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const outputLog = options.outputLog ?? path.join(root, 'code-server.log');
  mkdirSync(path.dirname(outputLog), { recursive: true });
  const out = openSync(outputLog, 'a');
  const args = [
    ...(options.nodeArgs ?? []),
    codeServerEntry,
    '--config',
    configFile,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--ignore-last-opened',
    ...(options.reconnectionGraceSeconds === undefined
      ? []
      : ['--reconnection-grace-time', String(options.reconnectionGraceSeconds)]),
    options.workspace,
  ];
  const child = spawn(node24Binary, args, { env, stdio: ['ignore', out, out], detached: true });
  closeSync(out);
  const pid = child.pid;
  if (pid === undefined) {
    cleanup();
    throw new Error('code-server did not start (no pid)');
  }
  trackGroup(pid);
  let exitInfo: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exitInfo = `code-server exited early (code ${String(code)}, signal ${String(signal)}); its output:\n${tail(outputLog)}`;
      resolve();
    });
  });

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    killGroup(pid, 'SIGTERM');
    if (!(await waitExit(child, 5_000))) killGroup(pid, 'SIGKILL');
    await waitExit(child, 5_000);
    // The extension host and file watchers live in the same group; make sure none is left.
    killGroup(pid, 'SIGKILL');
    forgetGroup(pid);
    if (processAlive(pid)) console.error(`[e2e] code-server ${pid} is still alive after SIGKILL`);
    if (process.env.KEEP_E2E === '1') console.error(`[e2e] KEEP_E2E=1: kept ${root}`);
    cleanup();
  };

  try {
    await waitForHttp(url, options.startTimeoutMs ?? 60_000, () => exitInfo);
  } catch (error) {
    await stop();
    throw error;
  }
  const workbenchUrl = `${url}?folder=${encodeURIComponent(options.workspace)}`;
  return {
    url,
    workbenchUrl,
    port,
    pid,
    userDataDir,
    extensionsDir,
    workspace: options.workspace,
    logsDir: path.join(userDataDir, 'logs'),
    outputLog,
    exited,
    stop,
  };
}
