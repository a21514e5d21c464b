/**
 * Reading what the extension and VS Code logged.
 *
 * In code-server the extension host writes one folder per window session:
 * `<user-data-dir>/logs/<yyyymmddThhmmss>/exthost<N>/`, with `remoteexthost.log` and one
 * `<publisher.name>/<channel>.log` per LogOutputChannel, so ours is
 * `<ud>/logs/<time>/exthost<N>/switchyard.switchyard/Switchyard.log`. A window reload starts a new
 * extension host (`exthost<N+1>`, sometimes a new `<time>` folder), hence several files.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** The extension id and output channel name whose log files we read. */
export const EXTENSION_ID = 'switchyard.switchyard';
export const CHANNEL_NAME = 'Switchyard';

/** Every file under `dir`, recursively (missing dir → none). */
function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

/** Orders log files by session folder, then extension host number, then mtime. */
function byAge(a: string, b: string): number {
  const key = (file: string): [string, number, number] => {
    const host = /exthost(\d+)/.exec(file);
    const session = /logs[\\/](\d{8}T\d{6})/.exec(file);
    return [session?.[1] ?? '', host ? Number(host[1]) : 0, statSync(file).mtimeMs];
  };
  const [sa, ha, ma] = key(a);
  const [sb, hb, mb] = key(b);
  return sa.localeCompare(sb) || ha - hb || ma - mb;
}

/**
 * Every log file under `<ud>/logs` right now. A session on a code-server shared by several test
 * files passes this (taken when it starts) as `before` below, so it reads only its own windows.
 */
export function logFilesNow(userDataDir: string): ReadonlySet<string> {
  return new Set(walk(path.join(userDataDir, 'logs')));
}

/** Paths of the Switchyard output channel's log files, oldest first, minus those in `before`. */
export function extensionLogFiles(userDataDir: string, before: ReadonlySet<string> = new Set()): string[] {
  return walk(path.join(userDataDir, 'logs'))
    .filter(
      (f) =>
        path.basename(path.dirname(f)) === EXTENSION_ID && path.basename(f) === `${CHANNEL_NAME}.log` && !before.has(f),
    )
    .sort(byAge);
}

/** The text the extension logged to its "Switchyard" channel, across window reloads (files in `before` left out). */
export function readExtensionLog(userDataDir: string, before?: ReadonlySet<string>): string {
  return extensionLogFiles(userDataDir, before)
    .map((f) => readFileSync(f, 'utf8'))
    .join('');
}

/**
 * Everything VS Code and code-server logged (all files under `<ud>/logs`, plus code-server's
 * output when given) — for checks such as "the API key never appears in any log".
 */
export function readAllLogs(userDataDir: string, extraFiles: readonly string[] = []): string {
  const files = [...walk(path.join(userDataDir, 'logs')), ...extraFiles.filter((f) => existsSync(f))];
  return files.map((f) => `=== ${f}\n${readFileSync(f, 'utf8')}`).join('\n');
}

/** Waits until the extension log has a line matching `pattern`; returns that line. */
export async function waitForExtensionLog(
  userDataDir: string,
  pattern: RegExp,
  timeout = 60_000,
  before?: ReadonlySet<string>,
): Promise<string> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const line = readExtensionLog(userDataDir, before)
      .split('\n')
      .find((l) => pattern.test(l));
    if (line !== undefined) return line;
    if (Date.now() > deadline) {
      throw new Error(
        `the Switchyard log has no line matching ${String(pattern)} after ${timeout} ms; files: ${JSON.stringify(extensionLogFiles(userDataDir))}`,
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Activation line written by src/extension.ts: `Switchyard <version> activated in <ms> ms`. */
export const ACTIVATION_LINE = /Switchyard (\S+) activated in (\d+(?:\.\d+)?) ms/;

/** Every activation in the log (one per extension host start), in order. */
export function activations(logText: string): { version: string; ms: number }[] {
  const out: { version: string; ms: number }[] = [];
  for (const match of logText.matchAll(new RegExp(ACTIVATION_LINE, 'g'))) {
    out.push({ version: match[1] ?? '', ms: Number(match[2]) });
  }
  return out;
}

/** Waits for the (latest) activation line and returns its version and milliseconds. */
export async function waitForActivation(
  userDataDir: string,
  timeout = 60_000,
  before?: ReadonlySet<string>,
): Promise<{ version: string; ms: number }> {
  await waitForExtensionLog(userDataDir, ACTIVATION_LINE, timeout, before);
  const all = activations(readExtensionLog(userDataDir, before));
  const last = all[all.length - 1];
  if (!last) throw new Error('activation line vanished');
  return last;
}
