/**
 * `npm start`: runs the freshly built extension in a real VS Code (code-server) on loopback, for a
 * person to try in their own browser. scripts/start.sh installs code-server and builds the
 * `.vsix` first, then runs this with the same arguments.
 *
 * The profile (settings, installed extension, VS Code state) persists in .cache/start-profile,
 * so a trial can be resumed after a restart.
 */
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { isPortFree, freePort, startCodeServer, type CodeServer } from '../test/e2e/harness/codeServer';
import { assertCodeServerInstalled, cacheDir, vsixPath } from '../test/e2e/harness/paths';

const HELP = `Usage: npm start [-- <options>]

Runs Switchyard (dist/switchyard.vsix, rebuilt first) in code-server — the real VS Code
workbench in your browser — on 127.0.0.1, and prints the URL to open.

Options:
  --port <n>        Port to listen on (default 8080, or a free one when 8080 is taken).
  --folder <path>   Folder to open (default: the folder npm start was run from).
  --fake            Also start the fake OpenRouter (test/fake-openrouter) in this process and
                    point switchyard.baseUrl at it; prints a sample key to paste into
                    "Switchyard: Set API Key". Without --fake, a loopback baseUrl left by an
                    earlier --fake run is removed (the real OpenRouter is used).
  --fresh           Delete the saved profile first.
  --profile <path>  Keep the profile there instead of .cache/start-profile.
  --no-build        (scripts/start.sh) Skip npm run package; use the existing .vsix.
  -h, --help        Show this help.

The profile lives in .cache/start-profile (settings, state, the installed extension), so
what you set during a trial survives restarts. Keep the same --port to keep what the browser
stores per origin. Ctrl+C stops everything.`;

/** A sample key to paste when running against the fake OpenRouter. */
const FAKE_SAMPLE_KEY = 'sk-or-v1-fake-demo';

interface StartArgs {
  readonly port: number | undefined;
  readonly folder: string;
  readonly fake: boolean;
  readonly fresh: boolean;
  readonly profile: string;
  readonly help: boolean;
}

function parse(argv: readonly string[]): StartArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      port: { type: 'string' },
      folder: { type: 'string' },
      fake: { type: 'boolean', default: false },
      fresh: { type: 'boolean', default: false },
      profile: { type: 'string' },
      'no-build': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  let port: number | undefined;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      throw new Error(`--port must be a port number, got "${values.port}"`);
  }
  // npm runs scripts in the package root; INIT_CWD is where `npm start` was typed.
  const base = process.env.INIT_CWD ?? process.cwd();
  const folder = path.resolve(base, values.folder ?? '.');
  const profile =
    values.profile === undefined ? path.join(cacheDir, 'start-profile') : path.resolve(base, values.profile);
  return { port, folder, fake: values.fake, fresh: values.fresh, profile, help: values.help };
}

async function pickPort(requested: number | undefined): Promise<number> {
  if (requested !== undefined) {
    if (!(await isPortFree(requested)))
      throw new Error(`port ${requested} on 127.0.0.1 is in use; pick another with --port`);
    return requested;
  }
  if (await isPortFree(8080)) return 8080;
  const port = await freePort();
  console.log(`[start] port 8080 is taken; using ${port}`);
  return port;
}

/** Where to open VS Code, and where its profile, logs and the OpenRouter it talks to are. */
function printWhereToGo(
  port: number,
  folder: string,
  profile: string,
  cs: CodeServer,
  baseUrl: string | undefined,
): void {
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}`;
  console.log('');
  console.log(`  Switchyard is running in VS Code (code-server) — open:`);
  console.log(`    ${url}`);
  console.log('');
  console.log(`  folder:   ${folder}`);
  console.log(`  profile:  ${profile}`);
  console.log(`  logs:     ${cs.logsDir} (extension: <time>/exthost*/switchyard.switchyard/Switchyard.log)`);
  console.log(`  code-server output: ${cs.outputLog}`);
  if (baseUrl) {
    console.log(`  fake OpenRouter: ${baseUrl}`);
    console.log(`  sample key: ${FAKE_SAMPLE_KEY}  (run "Switchyard: Set API Key" and paste it)`);
  } else {
    console.log('  OpenRouter: the real one (switchyard.baseUrl); run "Switchyard: Set API Key" with your key');
  }
  console.log('  Ctrl+C stops everything.');
}

/** The command line, or undefined after printing the help (asked for, or after a bad argument). */
function parsedArgs(): StartArgs | undefined {
  let args: StartArgs;
  try {
    args = parse(process.argv.slice(2));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${HELP}`);
    process.exitCode = 2;
    return undefined;
  }
  if (!args.help) return args;
  console.log(HELP);
  return undefined;
}

async function main(): Promise<void> {
  const args = parsedArgs();
  if (!args) return;
  assertCodeServerInstalled();
  if (!existsSync(vsixPath)) throw new Error(`${vsixPath} is missing: run npm run package (npm start does it)`);
  if (!existsSync(args.folder)) throw new Error(`--folder ${args.folder} does not exist`);

  const profile = args.profile;
  if (args.fresh) rmSync(profile, { recursive: true, force: true });
  const port = await pickPort(args.port);

  const closers: (() => Promise<void>)[] = [];
  let stopping = false;
  const stopAll = async (code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log('\n[start] stopping…');
    for (const close of closers) await close().catch((error: unknown) => console.error(`[start] ${String(error)}`));
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  let baseUrl: string | undefined;
  if (args.fake) {
    const { startFakeOpenRouter } = await import('../test/fake-openrouter/server');
    const fake = await startFakeOpenRouter();
    closers.push(() => fake.close());
    baseUrl = fake.baseUrl;
  }

  const cs: CodeServer = await startCodeServer({
    vsix: vsixPath,
    workspace: args.folder,
    port,
    userDataDir: path.join(profile, 'user-data'),
    extensionsDir: path.join(profile, 'extensions'),
    // `undefined` removes the setting: a loopback URL of an earlier --fake run is not kept.
    // Git stays on (the test harness turns it off): @diff and Generate Commit Message need it.
    // VS Code's chat stays on (VS Code's default; the harness's quiet settings turn it off): the
    // trial shows Switchyard's models in its model picker.
    settings: { 'switchyard.baseUrl': baseUrl, 'git.enabled': true, 'chat.disableAIFeatures': false },
    outputLog: path.join(profile, 'code-server.log'),
  });
  closers.unshift(() => cs.stop());

  printWhereToGo(port, args.folder, profile, cs, baseUrl);

  // If code-server dies on its own, say so and stop the rest.
  await cs.exited;
  if (!stopping) {
    console.error(`[start] code-server exited on its own; see ${cs.outputLog}`);
    await stopAll(1);
  }
}

main().catch((error: unknown) => {
  console.error(`[start] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
