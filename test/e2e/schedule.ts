/**
 * The order the test runner takes files in, and how many run at once (pure: no I/O).
 *
 * Files start longest first by their recorded durations (test/durations.json, seconds), so the
 * long ones do not start last and leave one lane running alone at the end; a file with no record
 * counts as {@link UNKNOWN_SECONDS} (a new file is probably an e2e file, and it starts early
 * rather than late). Ties keep the order given.
 */

/** What a file with no recorded duration is assumed to take, in seconds. */
export const UNKNOWN_SECONDS = 60;

/** Seconds per file (repository-relative path with `/`). */
export type Durations = Readonly<Record<string, number>>;

/** `files` (repository-relative) longest first by `durations`. */
export function longestFirst(files: readonly string[], durations: Durations): string[] {
  const seconds = (f: string): number => {
    const recorded = durations[f];
    return typeof recorded === 'number' && Number.isFinite(recorded) ? recorded : UNKNOWN_SECONDS;
  };
  return files
    .map((file, index) => ({ file, index, s: seconds(file) }))
    .sort((a, b) => b.s - a.s || a.index - b.index)
    .map((x) => x.file);
}

/** Whether a file drives VS Code (needs a lane). */
export function isE2eFile(file: string): boolean {
  return /(^|\/)test\/e2e\/[^/]+\.test\.ts$/.test(file);
}

/** What the run's command line asks for. */
export interface RunPlan {
  readonly files: readonly string[];
  /** code-servers to start: at most the number of e2e files. */
  readonly lanes: number;
  /** Files running at once: each lane's, plus `extra` without a browser beside them. */
  readonly concurrency: number;
  readonly testNamePatterns: readonly string[];
  readonly only: boolean;
}

/**
 * Reads `--lanes=N`, `--extra=N` (files beside the lanes, default 1), `--test-name-pattern=…`
 * (repeatable) and `--test-only` from `args`; every other argument is a file. `defaults` fill
 * what the arguments leave out (the caller reads E2E_LANES / E2E_EXTRA).
 */
export function planRun(
  args: readonly string[],
  defaults: { readonly lanes: number; readonly extra: number },
  durations: Durations,
): RunPlan {
  const value = (name: string): string[] =>
    args.filter((a) => a.startsWith(`--${name}=`)).map((a) => a.slice(name.length + 3));
  const count = (name: string, fallback: number): number => {
    const given = value(name).at(-1);
    const n = given === undefined ? fallback : Number(given);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, got ${given}`);
    return n;
  };
  const unknown = args.filter(
    (a) => a.startsWith('--') && !/^--(lanes|extra|test-name-pattern)=/.test(a) && a !== '--test-only',
  );
  if (unknown.length > 0) throw new Error(`unknown option(s): ${unknown.join(' ')}`);
  const files = longestFirst(
    args.filter((a) => !a.startsWith('--')),
    durations,
  );
  const e2e = files.filter(isE2eFile).length;
  const lanes = Math.min(Math.max(1, count('lanes', defaults.lanes)), e2e);
  const extra = count('extra', defaults.extra);
  return {
    files,
    lanes,
    concurrency: Math.max(1, lanes + extra),
    testNamePatterns: value('test-name-pattern'),
    only: args.includes('--test-only'),
  };
}
