/** A small, throw-away workspace folder for the workbench to open. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** `src/math.ts`: a few small functions to select and ask about. Line numbers are stable. */
export const MATH_TS = `/** Small arithmetic helpers. */
export function add(a: number, b: number): number {
  return a + b;
}

export function multiply(a: number, b: number): number {
  return a * b;
}

export function factorial(n: number): number {
  if (n < 0) throw new RangeError('n must be non-negative');
  return n <= 1 ? 1 : n * factorial(n - 1);
}

export function fibonacci(n: number): number {
  let [a, b] = [0, 1];
  for (let i = 0; i < n; i++) [a, b] = [b, a + b];
  return a;
}
`;

/** Line range (1-based, inclusive) of `factorial` in {@link MATH_TS}. */
export const FACTORIAL_LINES = { from: 10, to: 13 } as const;

export const README_MD = `# Demo workspace

A tiny project used by Switchyard's end-to-end tests.
`;

/** The default files: relative path → content. */
export const DEFAULT_FILES: Readonly<Record<string, string>> = {
  'src/math.ts': MATH_TS,
  'README.md': README_MD,
};

/** A created workspace. */
export interface Workspace {
  readonly dir: string;
  /** Removes the folder (kept when `KEEP_E2E=1`). */
  cleanup(): void;
}

/** Creates a temp workspace with {@link DEFAULT_FILES} plus/overridden by `files`. */
export function createWorkspace(files: Readonly<Record<string, string>> = {}): Workspace {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-ws-'));
  for (const [rel, content] of Object.entries({ ...DEFAULT_FILES, ...files })) {
    const full = path.join(dir, rel);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  return {
    dir,
    cleanup: () => {
      if (process.env.KEEP_E2E !== '1') rmSync(dir, { recursive: true, force: true });
    },
  };
}
