/**
 * Command containment figures (issue 20):
 * - the sandbox's added latency per command: `/bin/bash -c true` started directly vs inside
 *   bubblewrap with the plan the extension uses (workspace writable, protected paths read-only —
 *   the missing ones as placeholders created before and removed after —, home secrets hidden, no
 *   network), interleaved, p50/p99 of each and the difference; and what the placeholders add, vs
 *   the same line binding only the protected paths that exist (`.git` here);
 * - the approval classifier's time per command line (tree-sitter parse + rules), over a mix of
 *   plain, chained, substituted and wrapped lines; and the grammar's first load (wasm).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import * as path from 'node:path';
import { approvalFor, DEFAULT_APPROVAL } from '../src/agent/policy';
import { bwrapArguments, homeSecrets } from '../src/agent/sandbox/bwrap';
import { NestedProtected } from '../src/agent/sandbox/nestedProtected';
import { ProtectedPlaceholders } from '../src/agent/sandbox/placeholders';
import { testShellParser } from '../test/unit/shellGrammar';
import { median, percentile } from './stats';

const RUNS = 40;
/** Folders the nested walk reads in the bench workspace: the root, src, 20 and 20 × 25 below it. */
const NESTED_FOLDERS = 1 + 1 + 20 + 20 * 25;
const LINES = [
  'npm test',
  'git status -s && git diff --stat',
  'ls -la | grep src > out.txt 2>&1',
  'echo $(git rev-parse HEAD) `date`',
  '"r"m -rf /tmp/x; env nice timeout 5 rm -r ../y',
  "bash -c 'cd .. && rm -rf proj' | tee >(wc -l)",
  'node -e "console.log(1)" && python3 -m pytest -q tests/unit/test_x.py::test_y',
  'find . -name "*.ts" -exec grep -l TODO {} + | xargs -n1 wc -l',
  'cat <<EOF > notes.md\nline $(id)\nEOF',
  'FOO=1 BAR=2 make -j4 build && git -c core.pager=cat log --oneline -n 20',
];

const round = (n: number, d = 2): number => Number(n.toFixed(d));
const ms = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6;

export interface SandboxBench {
  readonly grammarLoadMs: number;
  readonly classifyP50Us: number;
  readonly classifyP99Us: number;
  readonly lines: number;
  readonly directP50Ms: number;
  readonly sandboxP50Ms?: number;
  readonly sandboxP99Ms?: number;
  readonly addedP50Ms?: number;
  readonly addedP99Ms?: number;
  /** The same without placeholders (only the existing `.git` bound read-only). */
  readonly existingOnlyP50Ms?: number;
  readonly placeholdersAddedP50Ms?: number;
  readonly placeholders?: number;
  /** The same as the extension runs it now: also the nested protected names held and checked after (nestedProtected.ts). */
  readonly withNestedP50Ms?: number;
  readonly nestedAddedP50Ms?: number;
  readonly nestedAddedP99Ms?: number;
  /** Folders of the bench workspace walked (its `node_modules` is not). */
  readonly nestedFolders?: number;
  readonly sandbox: string;
}

export async function benchSandbox(): Promise<SandboxBench> {
  const loadStart = process.hrtime.bigint();
  const parser = await testShellParser();
  const grammarLoadMs = ms(loadStart);
  const settings = { ...DEFAULT_APPROVAL, allowedCommands: ['npm test', 'git status', 'git diff', 'ls', 'grep'] };
  const classify: number[] = [];
  for (let round_ = 0; round_ < 200; round_++) {
    for (const command of LINES) {
      const start = process.hrtime.bigint();
      approvalFor({ id: 'b', name: 'run_command', args: { command } }, settings, new Set(), {
        sandboxed: true,
        command: { line: parser.parse(command), parse: (t) => parser.parse(t) },
      });
      if (round_ >= 20) classify.push(ms(start) * 1000);
    }
  }
  const { direct, sandboxed, existingOnly, withNested, placeholders, why } = await spawnTimes();
  const added = sandboxed.length
    ? {
        sandboxP50Ms: round(median(sandboxed)),
        sandboxP99Ms: round(percentile(sandboxed, 99)),
        addedP50Ms: round(median(sandboxed) - median(direct)),
        addedP99Ms: round(percentile(sandboxed, 99) - percentile(direct, 99)),
        existingOnlyP50Ms: round(median(existingOnly)),
        placeholdersAddedP50Ms: round(median(sandboxed) - median(existingOnly)),
        placeholders,
        withNestedP50Ms: round(median(withNested)),
        nestedAddedP50Ms: round(median(withNested) - median(sandboxed)),
        nestedAddedP99Ms: round(percentile(withNested, 99) - percentile(sandboxed, 99)),
        nestedFolders: NESTED_FOLDERS,
      }
    : {};
  return {
    grammarLoadMs: round(grammarLoadMs, 1),
    classifyP50Us: round(median(classify), 1),
    classifyP99Us: round(percentile(classify, 99), 1),
    lines: LINES.length,
    directP50Ms: round(median(direct)),
    ...added,
    sandbox: why,
  };
}

interface SpawnTimes {
  readonly direct: number[];
  readonly sandboxed: number[];
  readonly existingOnly: number[];
  readonly withNested: number[];
  readonly placeholders: number;
  readonly why: string;
}

async function spawnTimes(): Promise<SpawnTimes> {
  const bwrap = ['/usr/bin/bwrap', '/usr/local/bin/bwrap'].find((p) => existsSync(p));
  const workspace = mkdtempSync(path.join(os.tmpdir(), 'switchyard-bench-sandbox-'));
  mkdirSync(path.join(workspace, '.git'));
  // A project's tree for the nested walk: 20 × 25 source folders with a file each, and packages it skips.
  for (let a = 0; a < 20; a++)
    for (let b = 0; b < 25; b++) {
      mkdirSync(path.join(workspace, 'src', `a${a}`, `b${b}`), { recursive: true });
      writeFileSync(path.join(workspace, 'src', `a${a}`, `b${b}`, 'index.ts'), '');
      mkdirSync(path.join(workspace, 'node_modules', `p${a}`, `q${b}`), { recursive: true });
    }
  const nested = new NestedProtected(os.homedir());
  const secrets = homeSecrets(os.homedir());
  const line = (readOnly: readonly string[]): string[] =>
    bwrapArguments({
      writable: [workspace],
      readOnly,
      hiddenFolders: secrets.folders.filter((p) => existsSync(p)),
      hiddenFiles: secrets.files.filter((p) => existsSync(p)),
      cwd: workspace,
      network: false,
      shell: '/bin/bash',
      command: 'true',
    });
  // Recorded like the extension's (a file per process in its storage).
  const records = mkdtempSync(path.join(os.tmpdir(), 'switchyard-bench-records-'));
  const holder = new ProtectedPlaceholders(() => undefined, records);
  const times = {
    direct: [] as number[],
    sandboxed: [] as number[],
    existingOnly: [] as number[],
    withNested: [] as number[],
  };
  let why = bwrap ? 'bubblewrap' : 'no bwrap here';
  let placeholders = 0;
  const inBwrap = (args: string[], into: number[], start: bigint): boolean => {
    const r = spawnSync(bwrap!, args);
    if (r.status !== 0) why = `bwrap failed: ${String(r.stderr).trim().slice(0, 120)}`;
    into.push(ms(start));
    return r.status === 0;
  };
  try {
    for (let i = 0; i < RUNS; i++) {
      let start = process.hrtime.bigint();
      spawnSync('/bin/bash', ['-c', 'true'], { cwd: workspace });
      times.direct.push(ms(start));
      if (!bwrap) continue;
      // As the extension does it: placeholders created, the command run on them, then removed.
      start = process.hrtime.bigint();
      const held = holder.hold([workspace]);
      placeholders = held.placeholders.length;
      const ok = inBwrap(line(held.readOnly), times.sandboxed, start);
      held.release();
      if (!ok || !inBwrap(line([path.join(workspace, '.git')]), times.existingOnly, process.hrtime.bigint())) {
        times.sandboxed.length = 0;
        break;
      }
      // As the extension does it now: the nested names held too, and what the command created undone after.
      start = process.hrtime.bigint();
      const heldToo = holder.hold([workspace]);
      const hold = await nested.hold([workspace]);
      inBwrap(line([...heldToo.readOnly, ...hold.existing]), times.withNested, start);
      heldToo.release();
      await hold.undoCreated();
      times.withNested[times.withNested.length - 1] = ms(start);
    }
  } finally {
    rmSync(workspace, { recursive: true, force: true });
    rmSync(records, { recursive: true, force: true });
  }
  return { ...times, placeholders, why };
}
