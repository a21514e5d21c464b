/**
 * The static tier of `npm test`: the type check and the linter (eslint + prettier --check), as
 * tests, so they run beside the other tiers instead of before them and count in the run's
 * closing lines. Each fails with the tool's own output. `npm run typecheck` / `npm run lint`
 * run the same commands alone.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Runs a package binary from node_modules/.bin; resolves with its exit code and output. */
function runBin(bin: string, args: readonly string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(root, 'node_modules/.bin', bin), args, { cwd: root, stdio: 'pipe' });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

describe('static checks', { concurrency: true }, () => {
  it('the TypeScript compiler finds no type error (npm run typecheck)', { timeout: 900_000 }, async () => {
    const { code, output } = await runBin('tsc', ['--noEmit', '-p', 'tsconfig.json']);
    assert.equal(code, 0, output);
  });

  it('eslint finds no problem (npm run lint)', { timeout: 900_000 }, async () => {
    const { code, output } = await runBin('eslint', ['.']);
    assert.equal(code, 0, output);
  });

  it('every file is formatted as prettier formats it (npm run format fixes it)', { timeout: 900_000 }, async () => {
    const { code, output } = await runBin('prettier', ['--check', '--log-level=warn', '.']);
    assert.equal(code, 0, output);
  });
});
