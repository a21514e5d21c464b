/**
 * `npm run bench`: the figures the issues ask for, measured side by side in one run on this
 * machine, printed as a table and written to bench/results.json. Not a test: nothing here
 * passes or fails on speed; each figure is printed next to its target.
 *
 * - catalogue: JSON.parse + parse + index of a realistic 400-model, ~1.5 MB /models response
 * - plan: planRoute over that catalogue (≥5 endpoints per candidate), p50/p99
 * - ttft: time to first token of our client (plan + compile + SDK call) vs a bare `openai` SDK
 *   call to the same fake OpenRouter, interleaved, median and ratio
 * - bundles: sizes of dist/ and the .vsix (`npm run bench` packages first)
 * - activation: logged by the extension itself in a real VS Code (code-server), over reloads
 * - streaming: 500 tokens/s for 20 s into the real webview in Chromium: dropped frames, last
 *   token → painted, Stop → posted
 * - restore: a 300- and a 1,000-message conversation with code blocks: host load, webview init →
 *   last screen painted, → all painted, and → last screen with init posted as ready arrives
 * - heap: the host-side chat over 1000 requests (bench/heap.ts)
 * - chips: counting and fitting one 500 KB attachment (minified, base64, source) on the host
 * - completions: inline completions' client time, keystroke → ghost text at 80 ms, and requests
 *   while typing a 400-character function vs one per keystroke (bench/completions.ts)
 * - promptCache: spend of a 10-turn conversation on the fake with and without cache breakpoints,
 *   per model that needs them (bench/promptCache.ts)
 * - agentCache: spend of a 10-step agent task the same way (bench/agentCache.ts)
 * - agentLong: the fake's 40-step task — spend routed + cached vs all on the picked model, prompt
 *   tokens per step with and without compaction, heap of the task (bench/agentLong.ts)
 *
 * - mcp: an MCP server's start → tools listed, tools/list of a running one, 100 MCP tools'
 *   prompt size whole vs deferred behind search_tools (bench/mcp.ts)
 * - sandbox: an agent command's added latency in bubblewrap (p50/p99) and the approval
 *   classifier's time per command line (bench/sandbox.ts)
 *
 * `BENCH_SKIP=activation,streaming` skips parts (e.g. without code-server or Chromium).
 */
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { benchActivation } from './activation';
import { benchAgent } from './agent';
import { benchAgentCache } from './agentCache';
import { benchAgentLong } from './agentLong';
import { benchChips } from './chips';
import { benchCompletions } from './completions';
import { benchEngine, round } from './engine';
import { benchHeap } from './heap';
import { benchMcp } from './mcp';
import { benchPromptCache } from './promptCache';
import { benchRestore, benchStreaming } from './render';
import { benchSandbox } from './sandbox';
import { printTable } from './table';
import { TARGETS } from './targets';

function bundles(): Record<string, number | null | Record<string, number | null>> {
  const size = (file: string): number | null => (existsSync(file) ? round(statSync(file).size / 1024, 1) : null);
  // The lazy chunks beside the host bundle (esbuild.mjs LAZY_CHUNKS), loaded on first use.
  const lazy = existsSync('dist')
    ? readdirSync('dist').filter((f) => f.endsWith('.js') && f !== 'extension.js' && f !== 'webview.js')
    : [];
  return {
    hostKiB: size('dist/extension.js'),
    lazyChunksKiB: Object.fromEntries(lazy.map((f) => [f, size(`dist/${f}`)])),
    webviewKiB: size('dist/webview.js'),
    vsixKiB: size('dist/switchyard.vsix'),
  };
}

const skip = new Set((process.env.BENCH_SKIP ?? '').split(',').filter(Boolean));
async function part<T>(name: string, run: () => Promise<T>): Promise<T | { skipped: string }> {
  if (skip.has(name)) return { skipped: 'BENCH_SKIP' };
  process.stderr.write(`bench: ${name}…\n`);
  try {
    return await run();
  } catch (error) {
    process.stderr.write(`bench: ${name} failed: ${String(error)}\n`);
    return { skipped: `failed: ${String(error).slice(0, 200)}` };
  }
}

/** Every part, in an order that keeps the heavy ones (Chromium, code-server) apart from the timing-sensitive ones. */
async function collect() {
  const { catalogue, plan, ttft } = await benchEngine();
  const chips = await part('chips', async () => benchChips());
  const heap = await part('heap', () => benchHeap());
  const agent = await part('agent', () => benchAgent());
  const streaming = await part('streaming', () => benchStreaming(500, 20));
  const restore = await part('restore', () => benchRestore(300));
  const restore1000 = await part('restore1000', () => benchRestore(1000));
  const activation = await part('activation', () => benchActivation(4));
  const completions = await part('completions', () => benchCompletions());
  const promptCache = await part('promptCache', () => benchPromptCache());
  const mcp = await part('mcp', () => benchMcp());
  const sandbox = await part('sandbox', () => benchSandbox());
  const agentCache = await part('agentCache', () => benchAgentCache());
  const agentLong = await part('agentLong', () => benchAgentLong());
  return {
    date: new Date().toISOString(),
    node: process.version,
    machine: `${os.cpus().length} CPUs, ${os.cpus()[0]?.model ?? '?'}`,
    targets: TARGETS,
    catalogue,
    plan,
    ttft,
    chips,
    bundles: bundles(),
    activation,
    streaming,
    restore,
    restore1000,
    heap,
    completions,
    agent,
    promptCache,
    mcp,
    sandbox,
    agentCache,
    agentLong,
  };
}

/** What bench/results.json holds (bench/table.ts prints it). */
export type BenchResults = Awaited<ReturnType<typeof collect>>;

async function main(): Promise<void> {
  const results = await collect();
  writeFileSync('bench/results.json', `${JSON.stringify(results, null, 2)}\n`);
  printTable(results);
  console.log('written: bench/results.json');
}

void main();
