/**
 * `npm test`'s runner: every tier's files (static checks, unit/all.mts, faults, webview, e2e)
 * under node's test runner in ONE run, printing its closing lines once for all of them.
 *
 * E2E files run in lanes (harness/lanes.ts): `--lanes=N` code-servers (default E2E_LANES or
 * {@link DEFAULT_LANES}), each with its own long-lived Chromium, used by one file at a time. Files start
 * longest first by test/durations.json (schedule.ts), `lanes + extra` at once, so files without a
 * browser (`--extra=N`, default E2E_EXTRA or 1) run beside the lanes. Each file's measured time
 * is written to test-results/durations.json (copy it over test/durations.json to update the
 * order). A failing file fails the run, and the last lines name it. The closing lines also give
 * the CPU seconds per tier and per e2e file (cpuMeter.ts), so a change's cost shows in its run.
 *
 *   npm run package && node --import tsx test/e2e/run.ts [--lanes=N] [--extra=N] [--test-name-pattern=…] [files…]
 *
 * With no file named it runs every test/e2e/*.test.ts. The `.vsix` must be built first.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import { startLanes, type StartedLanes } from './harness/startLanes';
import { SHARED_ENV } from './harness/lanes';
import { assertChromiumInstalled, assertVsixBuilt, projectRoot, resultsDir } from './harness/paths';
import { formatCpuFigures, startCpuMeter } from './cpuMeter';
import { planRun, type Durations, type RunPlan } from './schedule';

/** Code-servers side by side when neither --lanes nor E2E_LANES says (measured in the README's Testing section). */
const DEFAULT_LANES = 2;

const relative = (file: string): string => path.relative(projectRoot, path.resolve(file)).split(path.sep).join('/');

function defaultFiles(): string[] {
  const dir = path.join(projectRoot, 'test/e2e');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => `test/e2e/${f}`);
}

function recordedDurations(): Durations {
  try {
    return JSON.parse(readFileSync(path.join(projectRoot, 'test/durations.json'), 'utf8')) as Durations;
  } catch {
    return {};
  }
}

function plan(): RunPlan {
  const args = process.argv.slice(2).map((a) => (a.startsWith('--') ? a : relative(a)));
  const withFiles = args.some((a) => !a.startsWith('--')) ? args : [...args, ...defaultFiles()];
  const env = (name: string, fallback: number): number => (process.env[name] ? Number(process.env[name]) : fallback);
  return planRun(
    withFiles,
    { lanes: env('E2E_LANES', DEFAULT_LANES), extra: env('E2E_EXTRA', 1) },
    recordedDurations(),
  );
}

/** Runs the files; resolves with each file's seconds and the files that failed. */
function runFiles(p: RunPlan): Promise<{ seconds: Record<string, number>; failed: Set<string> }> {
  const seconds: Record<string, number> = {};
  const failed = new Set<string>();
  const stream = run({
    files: p.files.map((f) => path.join(projectRoot, f)),
    concurrency: p.concurrency,
    ...(p.testNamePatterns.length > 0 ? { testNamePatterns: [...p.testNamePatterns] } : {}),
    only: p.only,
  });
  const count = (event: { nesting: number; file?: string; details: { duration_ms: number } }): void => {
    if (event.nesting !== 0 || !event.file) return;
    const file = relative(event.file);
    seconds[file] = (seconds[file] ?? 0) + event.details.duration_ms / 1000;
  };
  stream.on('test:pass', count);
  stream.on('test:fail', (event) => {
    count(event);
    if (event.file) failed.add(relative(event.file));
  });
  return new Promise((resolve, reject) => {
    stream.on('error', reject);
    const report = stream.compose(new spec());
    report.once('end', () => resolve({ seconds, failed }));
    report.pipe(process.stdout);
  });
}

function writeDurations(seconds: Record<string, number>): void {
  mkdirSync(resultsDir, { recursive: true });
  const sorted = Object.entries(seconds).sort(([, a], [, b]) => b - a);
  const rounded = Object.fromEntries(sorted.map(([f, s]) => [f, Math.max(1, Math.round(s))]));
  writeFileSync(path.join(resultsDir, 'durations.json'), `${JSON.stringify(rounded, null, 2)}\n`);
}

async function main(): Promise<void> {
  const p = plan();
  const started = Date.now();
  let lanes: StartedLanes | undefined;
  try {
    if (p.lanes > 0) {
      assertVsixBuilt();
      assertChromiumInstalled();
      lanes = await startLanes(p.lanes);
      process.env[SHARED_ENV] = JSON.stringify(lanes.run);
      const ready = Date.now() - started;
      const browsers = lanes.chromiumPid === undefined ? 'a Chromium each' : 'one shared Chromium';
      console.log(`[tests] ${p.lanes} code-server lane(s) and ${browsers} ready in ${ready} ms`);
    }
    console.log(`[tests] ${p.files.length} file(s), ${p.concurrency} at once, longest first`);
    const meter = startCpuMeter(p.files, lanes?.run, lanes?.chromiumPid, projectRoot);
    const { seconds, failed } = await runFiles(p);
    console.log(formatCpuFigures(meter.stop()));
    writeDurations(seconds);
    if (failed.size > 0) {
      process.exitCode = 1;
      console.log(`[tests] failed in: ${[...failed].join(', ')}`);
    }
  } finally {
    await lanes?.stop();
    console.log(`[tests] run took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => process.exit(130));

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
