/**
 * Runs e2e test files (default: every test/e2e/*.test.ts) against ONE code-server and ONE
 * Chromium for the whole run, instead of one per file (see harness/sharedServer.ts for what each
 * scenario still gets fresh). The files run one after another in their own processes under
 * node's test runner, which prints its usual closing lines — once for the whole run, so
 * `npm test` passes every tier's files here (unit/all.mts, faults, webview, e2e) and gets one
 * summary; files that start no VS Code simply ignore the shared one.
 *
 *   npm run package && node --import tsx test/e2e/run.ts [--test-name-pattern=…] [files…]
 *
 * The `.vsix` must be built first (`npm run test:e2e` does). Exits with the test runner's code.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserServer } from 'playwright-core';
import { chromiumLaunchOptions } from './harness/browser';
import { startCodeServer, type CodeServer } from './harness/codeServer';
import { assertChromiumInstalled, assertVsixBuilt, projectRoot, vsixPath } from './harness/paths';
import { SHARED_ENV, windowEnvPreload, writeWindowEnv, type SharedServer } from './harness/sharedServer';

/** Seconds a window's extension host outlives a connection lost without a goodbye. */
const GRACE_SECONDS = 10;

function testFiles(args: readonly string[]): string[] {
  const named = args.filter((a) => !a.startsWith('--'));
  if (named.length > 0) return named;
  const dir = path.join(projectRoot, 'test/e2e');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.test.ts'))
    .sort()
    .map((f) => path.join(dir, f));
}

let child: ChildProcess | undefined;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  const forward = (): void => {
    child?.kill(signal);
    process.removeListener(signal, forward);
  };
  process.on(signal, forward);
}

function runTests(args: readonly string[], shared: SharedServer): Promise<number> {
  const flags = args.filter((a) => a.startsWith('--'));
  const reporter = flags.some((f) => f.startsWith('--test-reporter')) ? [] : ['--test-reporter=spec'];
  const argv = ['--import', 'tsx', '--test', '--test-concurrency=1', ...reporter, ...flags, ...testFiles(args)];
  child = spawn(process.execPath, argv, {
    stdio: 'inherit',
    env: { ...process.env, [SHARED_ENV]: JSON.stringify(shared) },
  });
  return new Promise((resolve) => child?.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

async function main(): Promise<void> {
  assertVsixBuilt();
  assertChromiumInstalled();
  const started = Date.now();
  const home = mkdtempSync(path.join(os.tmpdir(), 'switchyard-e2e-home-'));
  let cs: CodeServer | undefined;
  let browser: BrowserServer | undefined;
  try {
    const windowEnvFile = path.join(home, '.window-env.json');
    const preload = path.join(home, '.window-env.cjs');
    writeFileSync(preload, windowEnvPreload(windowEnvFile));
    cs = await startCodeServer({
      vsix: vsixPath,
      workspace: home,
      reconnectionGraceSeconds: GRACE_SECONDS,
      nodeArgs: ['--require', preload],
    });
    browser = await chromium.launchServer(chromiumLaunchOptions());
    const shared: SharedServer = {
      url: cs.url,
      port: cs.port,
      pid: cs.pid,
      userDataDir: cs.userDataDir,
      extensionsDir: cs.extensionsDir,
      outputLog: cs.outputLog,
      workspace: home,
      browserWsEndpoint: browser.wsEndpoint(),
      windowEnvFile,
    };
    writeWindowEnv(shared);
    console.log(`[e2e] one code-server (${cs.url}) and one Chromium for the run, ready in ${Date.now() - started} ms`);
    process.exitCode = await runTests(process.argv.slice(2), shared);
  } finally {
    await browser?.close().catch(() => undefined);
    await cs?.stop();
    rmSync(home, { recursive: true, force: true });
    console.log(`[e2e] run took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
