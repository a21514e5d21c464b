/**
 * What one e2e window costs on a lane, per way of drawing it (issue 21's e2e tier): starts one
 * lane (harness/startLanes.ts) in the given mode and opens `--windows=N` sessions in turn through the
 * harness's own startSwitchyard, each opening the chat view, then closing. Prints, per mode, the
 * median Chromium CPU seconds per window load and per whole session, code-server's, and the
 * wall time of a load. Not part of `npm run bench` (it needs a quiet slot of its own):
 *
 *   npm run package && for m in shared lane lane-new; do node --import tsx bench/e2eWindows.ts --windows=6 $m; done
 *
 * `--idle=S` also keeps each window open S seconds with the chat view's input focused (its caret
 * blinking, as a scenario's window spends most of its time) and gives Chromium's CPU per second
 * of that. `E2E_CHROMIUM_ARGS="--flag …"` (harness/browser.ts) compares Chromium flags:
 *
 *   for f in '' --force-prefers-reduced-motion; do E2E_CHROMIUM_ARGS=$f node --import tsx bench/e2eWindows.ts --windows=4 --idle=20 lane; done
 *
 * Modes: `shared` one Chromium for the run, a fresh context per session (before issue 21);
 * `lane` the lane's own Chromium, its kept tab reused; `lane-new` the lane's Chromium, a new tab
 * per session.
 */
import { groupCpuSeconds, treeCpuSeconds } from '../test/e2e/harness/cpu';
import { SHARED_ENV } from '../test/e2e/harness/lanes';
import { startLanes } from '../test/e2e/harness/startLanes';
import { startSwitchyard } from '../test/e2e/harness/session';
import { openChatView } from '../test/e2e/harness/workbench';
import { median } from './stats';
import type { Frame } from 'playwright-core';

const MODES = {
  shared: { E2E_LANE_BROWSER: 'shared', E2E_LANE_PAGE: 'keep' },
  lane: { E2E_LANE_BROWSER: 'lane', E2E_LANE_PAGE: 'keep' },
  'lane-new': { E2E_LANE_BROWSER: 'lane', E2E_LANE_PAGE: 'new' },
} as const;

interface WindowFigures {
  readonly loadMs: number;
  readonly chromiumLoad: number;
  readonly chromiumSession: number;
  readonly codeServerSession: number;
  /** Chromium CPU seconds per second of an open window, its chat input focused (`--idle`). */
  readonly chromiumIdlePerS: number;
}

/** Chromium CPU per second over `seconds` of an open window with the chat input focused. */
async function idleRate(chat: Frame, chromium: () => number, seconds: number): Promise<number> {
  if (seconds <= 0) return 0;
  await chat.locator('textarea').first().click();
  const c0 = chromium();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000)); // the measuring window itself
  return (chromium() - c0) / seconds;
}

/** Opens `windows` sessions one after another on a fresh lane of `mode`. */
async function measure(mode: keyof typeof MODES, windows: number, idleS: number): Promise<WindowFigures[]> {
  Object.assign(process.env, MODES[mode]);
  const lanes = await startLanes(1);
  process.env[SHARED_ENV] = JSON.stringify(lanes.run);
  const lane = lanes.run.lanes[0]!;
  const chromium = (): number =>
    lane.chromiumPid ? groupCpuSeconds(lane.chromiumPid) : treeCpuSeconds(lanes.chromiumPid ?? -1);
  const figures: WindowFigures[] = [];
  try {
    for (let i = 0; i < windows; i++) {
      const c0 = chromium();
      const s0 = groupCpuSeconds(lane.pid);
      const s = await startSwitchyard({ settings: { 'switchyard.model': 'openai/gpt-4o' } });
      const chromiumLoad = chromium() - c0;
      const chromiumIdlePerS = await idleRate(await openChatView(s.page), chromium, idleS);
      await s.close();
      figures.push({
        loadMs: s.workbenchLoadMs,
        chromiumLoad,
        chromiumSession: chromium() - c0,
        codeServerSession: groupCpuSeconds(lane.pid) - s0,
        chromiumIdlePerS,
      });
      console.log(`[${mode}] window ${i + 1}: ${JSON.stringify(figures.at(-1))}`);
    }
  } finally {
    await lanes.stop();
  }
  return figures;
}

/** The number after `--name=` on the command line, or `fallback`. */
function numberArg(name: string, fallback: number): number {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg ? Number(arg.slice(name.length + 3)) : fallback;
}

async function main(): Promise<void> {
  const windows = numberArg('windows', 6);
  // One mode per process: a process claims its lane once (lanes.ts).
  const mode = process.argv.slice(2).find((a) => a in MODES) as keyof typeof MODES | undefined;
  if (!mode) throw new Error(`name one mode: ${Object.keys(MODES).join(', ')}`);
  const all = await measure(mode, windows, numberArg('idle', 0));
  const later = all.slice(1); // the first window of a lane is cold in every mode
  const med = (pick: (f: WindowFigures) => number): string => median(later.map(pick)).toFixed(1);
  console.log(
    `${mode}: first window Chromium ${all[0]?.chromiumLoad.toFixed(1)} s; later windows (median of ${later.length}): ` +
      `Chromium ${med((f) => f.chromiumLoad)} s per load, ${med((f) => f.chromiumSession)} s per session; ` +
      `code-server ${med((f) => f.codeServerSession)} s; load ${med((f) => f.loadMs / 1000)} s wall; ` +
      `Chromium ${median(later.map((f) => f.chromiumIdlePerS)).toFixed(3)} s per open second`,
  );
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
