/**
 * Agent mode figures (issue 12):
 * - loop overhead per step: from a model turn's end (its tool calls assembled) to the next request
 *   being sent, minus the tools' own work — AgentSession with the real router, executor and client
 *   against the fake's scripted model (in this process), 25 read_file steps;
 * - search_text (the ripgrep VS Code ships, and the JavaScript fallback) and list_files on a
 *   generated 10,000-file workspace;
 * - heap held by one finished 25-step task (transcript, cards, checkpoints), with `--expose-gc`.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import * as path from 'node:path';
import { jsSearch, listFolder, ripgrepSearch } from '../src/agent/search';
import { OpenRouterClient } from '../src/openrouter/client';
import { startFakeOpenRouter } from '../test/fake-openrouter/server';
import { agentHarness } from '../test/faults/agentSession';
import { median, percentile } from './stats';

const KEY = 'sk-or-v1-bench-agent-000000000000';
const STEPS = 25;
const FILES = 10_000;

export interface AgentBench {
  readonly steps: number;
  readonly overheadP50Ms: number;
  readonly overheadP99Ms: number;
  readonly taskHeapKiB: number;
  readonly files: number;
  readonly ripgrepP50Ms?: number;
  readonly jsSearchP50Ms: number;
  readonly listRecursiveP50Ms: number;
  readonly listFolderP50Ms: number;
}

const round = (n: number, d = 2): number => Number(n.toFixed(d));

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** The ripgrep binary of the code-server the e2e tests use (the one VS Code ships), if installed. */
function ripgrep(): string | undefined {
  const base = path.resolve(
    '.cache',
    'code-server',
    'node_modules',
    'code-server',
    'lib',
    'vscode',
    'node_modules',
    '@vscode',
  );
  for (const candidate of [
    path.join(base, 'ripgrep', 'bin', 'rg'),
    path.join(base, 'ripgrep-universal', 'bin', `${process.platform}-${process.arch}`, 'rg'),
  ])
    if (existsSync(candidate)) return candidate;
  return undefined;
}

function generateWorkspace(): { root: string; files: string[] } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'sy-agent-bench-'));
  const files: string[] = [];
  for (let i = 0; i < FILES; i++) {
    const dir = `src/pkg${i % 100}/mod${Math.floor(i / 100) % 10}`;
    const rel = `${dir}/file${i}.ts`;
    mkdirSync(path.join(root, dir), { recursive: true });
    writeFileSync(
      path.join(root, rel),
      `export const value${i} = ${i};\nexport function f${i}(x: number): number {\n  return x + ${i};\n}\n${i % 997 === 0 ? '// NEEDLE here\n' : ''}`,
    );
    files.push(rel);
  }
  return { root, files };
}

async function timeMs(fn: () => Promise<unknown> | unknown, runs: number): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  return round(median(samples.slice(1)));
}

export async function benchAgent(): Promise<AgentBench> {
  const fake = await startFakeOpenRouter({ tokenDelayMs: 0 });
  try {
    const models = [...(await new OpenRouterClient({ baseUrl: fake.baseUrl, apiKey: KEY }).listModels()).models];
    fake.setAgentScript({
      turns: [
        {
          when: { userIncludes: 'bench', toolResultIncludes: 'STEP' },
          toolCalls: [{ name: 'read_file', arguments: '{"path":"src/a.ts"}' }],
        },
        {
          when: { userIncludes: 'bench', step: 0 },
          toolCalls: [{ name: 'read_file', arguments: '{"path":"src/a.ts"}' }],
        },
      ],
    });
    // One warm-up task (JIT, endpoint lists, sockets), then the measured one on a fresh session.
    const measure = async () => {
      const turnEnds: number[] = [];
      const requests: number[] = [];
      const toolMs: number[] = [];
      const seen = new Set<string>();
      const h = agentHarness({
        baseUrl: fake.baseUrl,
        models,
        apiKey: KEY,
        model: 'anthropic/claude-sonnet-4',
        agent: { maxSteps: STEPS },
        onRequest: () => requests.push(performance.now()),
        onPost: (m) => {
          if (
            m.type === 'messageUpdated' &&
            m.message.meta?.model &&
            m.message.status === 'done' &&
            !seen.has(m.message.id)
          ) {
            seen.add(m.message.id);
            turnEnds.push(performance.now());
          }
        },
      });
      h.workspace.files.set('src/a.ts', `// STEP\n${'export const x = 1;\n'.repeat(200)}`);
      // The scripted task only reads: its tool time is the reads' time.
      const readText = h.workspace.readText.bind(h.workspace);
      h.workspace.readText = async (path) => {
        const t = performance.now();
        const r = await readText(path);
        toolMs.push(performance.now() - t);
        return r;
      };
      gc();
      const before = process.memoryUsage().heapUsed;
      await h.session.send('bench: read the file again and again');
      gc();
      const after = process.memoryUsage().heapUsed;
      // Keep the session alive until the heap is measured.
      if (h.session.views().length === 0) throw new Error('no task ran');
      return { turnEnds, requests, toolMs, heap: after - before };
    };
    await measure();
    const { turnEnds, requests, toolMs, heap } = await measure();
    // Requests: one per step; the first is not preceded by a turn.
    const overhead: number[] = [];
    for (let k = 0; k + 1 < requests.length && k < turnEnds.length; k++)
      overhead.push(requests[k + 1]! - turnEnds[k]! - (toolMs[k] ?? 0));
    const { root, files } = generateWorkspace();
    try {
      const rg = ripgrep();
      const q = { query: 'NEEDLE', isRegex: false };
      const ripgrepP50Ms = rg ? await timeMs(() => ripgrepSearch(rg, root, q), 6) : undefined;
      const jsSearchP50Ms = await timeMs(() => jsSearch(root, files, q), 4);
      const listRecursiveP50Ms = await timeMs(() => listFolder(files, '', true), 10);
      const listFolderP50Ms = await timeMs(() => listFolder(files, 'src/pkg7', false), 10);
      const found = await jsSearch(root, files, q);
      if (found.lines.length !== 11) throw new Error(`search found ${found.lines.length} matches, expected 11`);
      if (readdirSync(path.join(root, 'src')).length !== 100) throw new Error('workspace not generated');
      return {
        steps: turnEnds.length,
        overheadP50Ms: round(median(overhead)),
        overheadP99Ms: round(percentile(overhead, 99)),
        taskHeapKiB: Math.round(heap / 1024),
        files: FILES,
        ...(ripgrepP50Ms !== undefined ? { ripgrepP50Ms } : {}),
        jsSearchP50Ms,
        listRecursiveP50Ms,
        listFolderP50Ms,
      };
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  } finally {
    await fake.close();
  }
}

// `node --expose-gc --import tsx bench/agent.ts` runs this part alone.
if (process.argv[1]?.endsWith('agent.ts')) void benchAgent().then((r) => console.log(r));
