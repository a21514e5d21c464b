/**
 * Where a run's CPU goes (test/e2e/run.ts, Linux): sampled every {@link SAMPLE_MS} from /proc.
 *
 * - `self` per file: the test file's process and everything under it — the webview tier's
 *   Chromium, the static tier's tsc / eslint / prettier, a Chromium an e2e session launches itself.
 * - `lane` per file: the lane's code-server and its windows' extension hosts while that file
 *   held the lane (lanes.ts claims), and `drawn` the lane's own Chromium (laneChromium.ts) in
 *   that time, so a file's e2e cost is self + lane + drawn.
 * - `lanes idle` (no file held the lane: the lanes' start, the gaps between files), `shared
 *   Chromium` (when the lanes share one, `E2E_LANE_BROWSER=shared`: one figure for all
 *   windows), and the runner itself.
 *
 * A file's last second before it exits may be missed (it is sampled, not told on exit); lanes
 * are summed per process (GroupDeltas), so no figure goes below zero.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { allStats, GroupDeltas, treeCpuSeconds, type ProcStat } from './harness/cpu';
import type { SharedRun } from './harness/lanes';

const SAMPLE_MS = 1_000;

/** CPU seconds per file (repository-relative) and the rest. */
export interface CpuFigures {
  readonly self: Record<string, number>;
  readonly lane: Record<string, number>;
  readonly drawn: Record<string, number>;
  readonly lanesIdle: number;
  readonly sharedChromium: number;
  readonly runner: number;
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

function holderPid(run: SharedRun, lane: number): number | undefined {
  try {
    return Number(readFileSync(path.join(run.lockDir, `lane-${lane}`, 'pid'), 'utf8'));
  } catch {
    return undefined;
  }
}

/** Starts sampling; `stop()` takes a last sample and returns the figures. */
export function startCpuMeter(
  files: readonly string[],
  run: SharedRun | undefined,
  sharedChromiumPid: number | undefined,
  root: string,
): { stop(): CpuFigures } {
  const self: Record<string, number> = {};
  const lane: Record<string, number> = {};
  const drawn: Record<string, number> = {};
  const fileOf = new Map<number, string>();
  const deltas = new GroupDeltas();
  let lanesIdle = 0;
  const fileFor = (pid: number): string | undefined => {
    if (!fileOf.has(pid)) {
      const args = cmdline(pid).split('\0');
      const f = files.find((file) => args.includes(path.join(root, file)) || args.includes(file));
      if (f) fileOf.set(pid, f);
    }
    return fileOf.get(pid);
  };
  const sampleLanes = (stats: readonly ProcStat[]): void => {
    run?.lanes.forEach((l, i) => {
      const server = deltas.delta(l.pid, stats);
      const browser = l.chromiumPid ? deltas.delta(l.chromiumPid, stats) : 0;
      const holder = holderPid(run, i);
      const file = holder === undefined ? undefined : fileFor(holder);
      if (!file) {
        lanesIdle += server + browser;
        return;
      }
      lane[file] = (lane[file] ?? 0) + server;
      drawn[file] = (drawn[file] ?? 0) + browser;
    });
  };
  const sample = (): void => {
    const stats = allStats();
    for (const s of stats) {
      if (s.ppid !== process.pid) continue;
      const file = fileFor(s.pid);
      if (file) self[file] = Math.max(self[file] ?? 0, treeCpuSeconds(s.pid, stats));
    }
    sampleLanes(stats);
  };
  sample();
  const timer = setInterval(sample, SAMPLE_MS);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      const sharedChromium = sharedChromiumPid ? treeCpuSeconds(sharedChromiumPid) : 0;
      const used = process.cpuUsage();
      const runner = (used.user + used.system) / 1e6;
      return { self, lane, drawn, lanesIdle, sharedChromium, runner };
    },
  };
}

const TIERS = ['static', 'unit', 'faults', 'webview', 'e2e'] as const;

const sumOf = (record: Record<string, number>, files: readonly string[]): number =>
  files.reduce((s, file) => s + (record[file] ?? 0), 0);

/** The closing table: CPU seconds per tier (self + lane + drawn) and the biggest e2e files. */
export function formatCpuFigures(f: CpuFigures): string {
  const files = new Set([...Object.keys(f.self), ...Object.keys(f.lane), ...Object.keys(f.drawn)]);
  const total = (file: string): number => (f.self[file] ?? 0) + (f.lane[file] ?? 0) + (f.drawn[file] ?? 0);
  const lines = TIERS.map((tier) => {
    const inTier = [...files].filter((file) => file.startsWith(`test/${tier}/`));
    const sum = inTier.reduce((s, file) => s + total(file), 0);
    const laneSum = sumOf(f.lane, inTier);
    const drawnSum = sumOf(f.drawn, inTier);
    const parts = [
      `${inTier.length} file(s)`,
      ...(laneSum > 0 ? [`code-server ${laneSum.toFixed(0)} s`] : []),
      ...(drawnSum > 0 ? [`lane Chromium ${drawnSum.toFixed(0)} s`] : []),
    ];
    return `  ${tier}: ${sum.toFixed(0)} s (${parts.join(', ')})`;
  });
  const e2e = [...files].filter((file) => file.startsWith('test/e2e/')).sort((a, b) => total(b) - total(a));
  const top = e2e.map(
    (file) =>
      `    ${file}: ${total(file).toFixed(1)} s (its process and children ${(f.self[file] ?? 0).toFixed(1)}, code-server ${(f.lane[file] ?? 0).toFixed(1)}, lane Chromium ${(f.drawn[file] ?? 0).toFixed(1)})`,
  );
  const rest = `  lanes idle ${f.lanesIdle.toFixed(0)} s, shared Chromium ${f.sharedChromium.toFixed(0)} s, runner ${f.runner.toFixed(0)} s`;
  return [
    '[tests] CPU seconds per tier (the file and its children, plus its lane while it held one):',
    ...lines,
    rest,
    ...top,
  ].join('\n');
}
