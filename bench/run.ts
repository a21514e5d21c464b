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
import OpenAI from 'openai';
import { CatalogueIndex, parseCatalogue } from '../src/openrouter/catalogue';
import { OpenRouterClient } from '../src/openrouter/client';
import { parseEndpoint } from '../src/openrouter/endpoints';
import { planRoute } from '../src/routing/plan';
import { seededRandom } from '../src/routing/random';
import type { EndpointInfo, Knowledge, RouteRequest, RoutingPolicy } from '../src/routing/types';
import { startFakeOpenRouter } from '../test/fake-openrouter/server';
import { generateCatalogue } from '../test/fake-openrouter/catalogue';
import { benchActivation } from './activation';
import { benchAgent } from './agent';
import { benchChips } from './chips';
import { benchCompletions } from './completions';
import { realisticCatalogue } from './catalogueFixture';
import { benchHeap } from './heap';
import { benchPromptCache } from './promptCache';
import { benchMcp } from './mcp';
import { benchAgentCache } from './agentCache';
import { benchAgentLong } from './agentLong';
import { benchRestore, benchStreaming } from './render';
import { benchSandbox } from './sandbox';
import { median, percentile, timeUs } from './stats';

const MODELS = 400;
const ENDPOINTS = 5;

function round(n: number, digits = 1): number {
  return Number(n.toFixed(digits));
}

function benchCatalogue(body: string): { bytes: number; p50Ms: number; p99Ms: number; models: number } {
  const samples: number[] = [];
  let models = 0;
  for (let i = 0; i < 40; i++) {
    samples.push(
      timeUs(() => {
        const parsed = parseCatalogue(JSON.parse(body));
        models = new CatalogueIndex(parsed.models, Date.now()).size;
      }) / 1000,
    );
  }
  return {
    bytes: body.length,
    p50Ms: round(median(samples.slice(5)), 2),
    p99Ms: round(percentile(samples.slice(5), 99), 2),
    models,
  };
}

function knowledgeFrom(body: string, wire: ReturnType<typeof generateCatalogue>): Knowledge {
  const { models } = parseCatalogue(JSON.parse(body));
  // The same parser the extension uses for `/models/{a}/{s}/endpoints`.
  const endpoints = new Map<string, EndpointInfo[]>(
    [...wire.endpoints].map(([id, list]) => [id, list.flatMap((e) => parseEndpoint(e) ?? [])]),
  );
  return {
    models: new Map(models.map((m) => [m.id, m])),
    endpoints,
    health: { unstableProviders: ['groq'] },
    spend: { todayUsd: 1.2, monthUsd: 14 },
    keys: [{ id: 'k1', label: 'main' }],
  };
}

const policy: RoutingPolicy = {
  mode: 'auto',
  tiers: {
    chat: ['anthropic/claude-sonnet-4', 'openai/gpt-4o-mini'],
    edit: ['anthropic/claude-sonnet-4'],
    fast: ['openai/gpt-4o-mini'],
  },
  freeFirst: true,
  fallbackModels: [
    'meta-llama/llama-3.3-70b-instruct',
    'google/gemini-2.5-flash',
    'meta-llama/llama-3.3-70b-instruct:free',
  ],
  fallback: { onlyCheaper: false, askBeforeUpgrade: true },
  provider: { ignore: ['lambda'], data_collection: 'deny', sort: 'price', max_price: { prompt: 20, completion: 80 } },
  capacity: { strategy: 'shared', byokProviders: [] },
  budgets: { perRequestUsd: 1, perDayUsd: 20, perMonthUsd: 200 },
  onBudget: 'warn',
  routes: [],
};
const request: RouteRequest = {
  tier: 'chat',
  promptTokens: 6000,
  maxOutputTokens: 4096,
  needsVision: false,
  needsTools: false,
};

function benchPlan(knowledge: Knowledge): { p50Us: number; p99Us: number; attempts: number; iterations: number } {
  const random = seededRandom(7);
  let attempts = 0;
  for (let i = 0; i < 2000; i++) planRoute(policy, request, knowledge, random); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < 20_000; i++)
    samples.push(timeUs(() => (attempts = planRoute(policy, request, knowledge, random).attempts.length)));
  return {
    p50Us: round(median(samples), 2),
    p99Us: round(percentile(samples, 99), 2),
    attempts,
    iterations: samples.length,
  };
}

async function benchTtft(
  knowledge: Knowledge,
): Promise<{ runs: number; bareMs: number; oursMs: number; addedMs: number; ratio: number }> {
  const fake = await startFakeOpenRouter({ tokenDelayMs: 0 });
  const key = 'sk-or-v1-bench-0000000000000000';
  const messages = [{ role: 'user' as const, content: 'Say hello' }];
  const bare = new OpenAI({ apiKey: key, baseURL: fake.baseUrl, maxRetries: 0 });
  const ours = new OpenRouterClient({ baseUrl: fake.baseUrl, apiKey: key });
  const random = seededRandom(3);

  const bareOnce = async (): Promise<number> => {
    const started = performance.now();
    const stream = await bare.chat.completions.create({ model: 'openai/gpt-4o-mini', messages, stream: true });
    let first = 0;
    for await (const chunk of stream)
      if (!first && chunk.choices[0]?.delta?.content) first = performance.now() - started;
    return first;
  };
  const oursOnce = async (): Promise<number> => {
    const started = performance.now();
    const plan = planRoute(policy, { ...request, pickedModel: 'openai/gpt-4o-mini' }, knowledge, random);
    const route = plan.attempts[0]!.body;
    let first = 0;
    await ours.streamChat(
      { ...route, messages, stream: true, max_tokens: 256 },
      { onDelta: () => (first ||= performance.now() - started) },
    );
    return first;
  };
  for (let i = 0; i < 30; i++) {
    await bareOnce();
    await oursOnce();
  }
  const bareSamples: number[] = [];
  const ourSamples: number[] = [];
  const runs = 300;
  for (let i = 0; i < runs; i++) {
    // Alternate who goes first so drift on a noisy machine hits both sides alike.
    if (i % 2) {
      bareSamples.push(await bareOnce());
      ourSamples.push(await oursOnce());
    } else {
      ourSamples.push(await oursOnce());
      bareSamples.push(await bareOnce());
    }
  }
  await fake.close();
  const bareMs = median(bareSamples);
  const oursMs = median(ourSamples);
  return {
    runs,
    bareMs: round(bareMs, 3),
    oursMs: round(oursMs, 3),
    addedMs: round(oursMs - bareMs, 3),
    ratio: round(oursMs / bareMs, 3),
  };
}

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

const TARGETS = {
  agentStepMs: 5,
  chipMs: 100,
  activationMs: 20,
  restoreMs: 100,
  hostKiB: 400,
  webviewKiB: 250,
  vsixKiB: 1024,
  catalogueMs: 30,
  lagMs: 50,
  stopMs: 100,
  heapGrowthPct: 10,
};

async function main(): Promise<void> {
  const { body, wire } = realisticCatalogue(MODELS, ENDPOINTS);
  const catalogue = benchCatalogue(body);
  const knowledge = knowledgeFrom(body, wire);
  const plan = benchPlan(knowledge);
  const ttft = await benchTtft(knowledge);
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
  const results = {
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
  writeFileSync('bench/results.json', `${JSON.stringify(results, null, 2)}\n`);
  const v = <T extends object>(r: T | { skipped: string }): Partial<T> => ('skipped' in r ? {} : r);
  const a = v(activation);
  const st = v(streaming);
  const re = v(restore);
  const re1k = v(restore1000);
  const h = v(heap);
  const ag = v(agent);
  const c = v(chips);
  const chipRow = (name: 'minified' | 'base64' | 'source', what: string) => {
    const r = c[name];
    return {
      p50: r?.p50Ms ?? '—',
      'p99/max': r?.maxMs ?? '—',
      target: `< ${TARGETS.chipMs}`,
      note: r ? `${r.kib} KiB ${what}, ~${r.tokens} tokens, fit into 128K (7 fresh runs)` : 'skipped',
    };
  };
  const b = results.bundles;
  console.log('\nSwitchyard benchmarks (one run, this machine)\n');
  console.table({
    'activation (ms, logged by the extension)': {
      p50: a.p50Ms ?? '—',
      'p99/max': a.maxMs ?? '—',
      target: `< ${TARGETS.activationMs}`,
      note: a.samples
        ? `${a.samples.length} starts in code-server; ${a.requestsAtActivation} requests at activation`
        : 'skipped',
    },
    'chat view first show, Ask (ms, host: ready → init)': {
      p50: a.firstShow?.readyP50Ms ?? '—',
      'p99/max': a.firstShow?.readyMaxMs ?? '—',
      target: '',
      note: a.firstShow
        ? `${a.firstShow.samples} shows; resolve → init p50 ${a.firstShow.resolveP50Ms} ms; then instruction files ${a.firstShow.instructionsP50Ms} ms; agent chunk loaded ${a.firstShow.agentChunkLoads}×`
        : 'skipped',
    },
    'host bundle (KiB)': {
      p50: b.hostKiB,
      'p99/max': '',
      target: `< ${TARGETS.hostKiB}`,
      note: 'dist/extension.js, minified',
    },
    'webview bundle (KiB)': {
      p50: b.webviewKiB,
      'p99/max': '',
      target: `< ${TARGETS.webviewKiB}`,
      note: 'dist/webview.js, minified',
    },
    '.vsix (KiB)': { p50: b.vsixKiB, 'p99/max': '', target: `< ${TARGETS.vsixKiB}`, note: 'dist/switchyard.vsix' },
    'catalogue parse+index (ms)': {
      p50: catalogue.p50Ms,
      'p99/max': catalogue.p99Ms,
      target: `< ${TARGETS.catalogueMs}`,
      note: `${catalogue.models} models, ${round(catalogue.bytes / 1024 / 1024, 2)} MB`,
    },
    'route plan (µs)': {
      p50: plan.p50Us,
      'p99/max': plan.p99Us,
      target: '',
      note: `${plan.iterations} plans, ${plan.attempts} attempts each, ${ENDPOINTS} endpoints/model`,
    },
    'TTFT bare SDK (ms)': {
      p50: ttft.bareMs,
      'p99/max': '',
      target: '',
      note: `${ttft.runs} interleaved runs, fake on loopback`,
    },
    'TTFT Switchyard (ms)': {
      p50: ttft.oursMs,
      'p99/max': '',
      target: '',
      note: `added ${ttft.addedMs} ms, ratio ${ttft.ratio}`,
    },
    'stream: last token → painted (ms)': {
      p50: st.lastTokenToPaintMs ?? '—',
      'p99/max': '',
      target: `< ${TARGETS.lagMs}`,
      note: st.tokens ? `${st.tokens} tokens at ${st.tokensPerSecond}/s, Chromium` : 'skipped',
    },
    'stream: dropped frames': {
      p50: st.droppedFrames ?? '—',
      'p99/max': st.worstFrameMs !== undefined ? `${st.worstFrameMs} ms worst` : '',
      target: '',
      note: st.frames ? `of ${st.frames} frames` : '',
    },
    'stream: Stop → posted (ms)': {
      p50: st.stopToPostedMs ?? '—',
      'p99/max': '',
      target: `< ${TARGETS.stopMs}`,
      note: 'clicked halfway through the stream',
    },
    'restore 300 messages, webview: last screen (ms)': {
      p50: re.webviewP50Ms ?? '—',
      'p99/max': re.webviewMaxMs ?? '',
      target: `< ${TARGETS.restoreMs}`,
      note: re.initKiB ? `init ${re.initKiB} KiB, ${re.runs} page loads` : 'skipped',
    },
    'restore 300 messages, webview: last screen, init at once (ms)': {
      p50: re.atOnceP50Ms ?? '—',
      'p99/max': re.atOnceMaxMs ?? '',
      target: '',
      note: `init posted as ready arrives (no time to prepare); 1000 messages: ${re1k.atOnceP50Ms ?? '—'}`,
    },
    'restore 300 messages, webview: all (ms)': {
      p50: re.allP50Ms ?? '—',
      'p99/max': re.allMaxMs ?? '',
      target: '',
      note: 'older answers render when idle',
    },
    'restore 1000 messages, webview: last screen (ms)': {
      p50: re1k.webviewP50Ms ?? '—',
      'p99/max': re1k.webviewMaxMs ?? '',
      target: '',
      note: re1k.initKiB ? `init ${re1k.initKiB} KiB, ${re1k.runs} page loads` : 'skipped',
    },
    'restore 1000 messages, webview: all (ms)': {
      p50: re1k.allP50Ms ?? '—',
      'p99/max': re1k.allMaxMs ?? '',
      target: '',
      note: 'older answers render when idle',
    },
    'restore 300 messages, host (ms)': {
      p50: re.hostLoadP50Ms ?? '—',
      'p99/max': '',
      target: '',
      note: 'history load + init message',
    },
    'chip, 500 KB minified file (ms)': chipRow('minified', 'one-line bundle'),
    'chip, 500 KB base64 blob (ms)': chipRow('base64', 'no whitespace'),
    'chip, 500 KB source file (ms)': chipRow('source', 'ordinary TypeScript'),
    ...completionRows(completions),
    ...cacheRows(promptCache),
    ...agentCacheRows(agentCache),
    ...agentLongRows(agentLong),
    'host heap over 1000 requests (%)': {
      p50: h.growthPct ?? '—',
      'p99/max': '',
      target: `< ${TARGETS.heapGrowthPct}`,
      note: h.beforeMiB
        ? `${h.beforeMiB} → ${h.afterMiB} MiB after ${h.warmupRequests} warm-up requests (ChatSession in Node)`
        : 'skipped',
    },
    'agent loop overhead per step (ms)': {
      p50: ag.overheadP50Ms ?? '—',
      'p99/max': ag.overheadP99Ms ?? '',
      target: `< ${TARGETS.agentStepMs}`,
      note: ag.steps
        ? `tool-call finish → next request sent, tools excluded; ${ag.steps} steps, AgentSession in Node`
        : 'skipped',
    },
    'agent search_text, 10k files (ms)': {
      p50: ag.ripgrepP50Ms ?? '—',
      'p99/max': '',
      target: '',
      note: ag.files ? `VS Code's ripgrep; JavaScript fallback ${ag.jsSearchP50Ms} ms` : 'skipped',
    },
    'agent list_files, 10k files (ms)': {
      p50: ag.listRecursiveP50Ms ?? '—',
      'p99/max': '',
      target: '',
      note: ag.files ? `recursive from the root; one folder ${ag.listFolderP50Ms} ms` : 'skipped',
    },
    ...sandboxRows(sandbox),
    'agent 25-step task heap (KiB)': {
      p50: ag.taskHeapKiB ?? '—',
      'p99/max': '',
      target: '',
      note: 'transcript, cards and checkpoints of one finished task',
    },
    ...mcpRows(mcp),
  });
  console.log('written: bench/results.json');
}

/** The table rows of bench/mcp.ts. */
function mcpRows(
  r: Awaited<ReturnType<typeof benchMcp>> | { skipped: string },
): Record<string, Record<string, unknown>> {
  if ('skipped' in r) return { mcp: { p50: '—', 'p99/max': '', target: '', note: r.skipped } };
  return {
    'MCP stdio server start → tools listed (ms)': {
      p50: r.startP50Ms,
      'p99/max': r.startMaxMs,
      target: '',
      note: 'test server under tsx (its start included); 3 starts',
    },
    'MCP tools/list of a running server (ms)': {
      p50: r.relistP50Ms,
      'p99/max': r.relistP99Ms,
      target: '',
      note: '50 re-lists, as on list_changed',
    },
    'MCP 100 tools in the prompt (tokens)': {
      p50: r.tools100WholeTokens,
      'p99/max': '',
      target: `deferred: ${r.tools100DeferredTokens}`,
      note: `whole vs behind search_tools; deferred below a ${r.deferredAtContext}-token context (10 %)`,
    },
  };
}

/** The table rows of bench/sandbox.ts. */
function sandboxRows(
  r: Awaited<ReturnType<typeof benchSandbox>> | { skipped: string },
): Record<string, Record<string, unknown>> {
  if ('skipped' in r) return { 'agent sandbox': { p50: '—', 'p99/max': '', target: '', note: r.skipped } };
  return {
    'agent command, sandbox added (ms)': {
      p50: r.addedP50Ms ?? '—',
      'p99/max': r.addedP99Ms ?? '',
      target: '',
      note:
        r.sandboxP50Ms !== undefined
          ? `bash -c true: ${r.directP50Ms} ms direct, ${r.sandboxP50Ms} ms in bubblewrap (p99 ${r.sandboxP99Ms})`
          : r.sandbox,
    },
    'agent command approval (µs/line)': {
      p50: r.classifyP50Us,
      'p99/max': r.classifyP99Us,
      target: '',
      note: `tree-sitter parse + rules, ${r.lines} lines; grammar first load ${r.grammarLoadMs} ms`,
    },
  };
}

/** The table rows of bench/promptCache.ts: spend with and without breakpoints, per model. */
function cacheRows(
  r: Awaited<ReturnType<typeof benchPromptCache>> | { skipped: string },
): Record<string, Record<string, unknown>> {
  if ('skipped' in r) return { 'prompt cache, 10 turns': { p50: '—', 'p99/max': '', target: '', note: r.skipped } };
  return Object.fromEntries(
    r.map((row) => [
      `prompt cache, 10 turns, ${row.model}, file ${row.attach === 'everyTurn' ? 'every turn' : 'turn 1'} (USD)`,
      {
        p50: row.withBreakpointsUsd,
        'p99/max': '',
        target: `vs ${row.withoutBreakpointsUsd}`,
        note: `with breakpoints vs without: ${row.savedPct}% saved; ${row.cachedTokens} of ${row.promptTokens} prompt tokens read from cache, ${row.writtenTokens} written (fake priced like the price list)`,
      },
    ]),
  );
}

/** The table rows of bench/agentCache.ts: an agent task's spend with and without breakpoints, per model. */
function agentCacheRows(
  r: Awaited<ReturnType<typeof benchAgentCache>> | { skipped: string },
): Record<string, Record<string, unknown>> {
  if ('skipped' in r) return { 'prompt cache, agent task': { p50: '—', 'p99/max': '', target: '', note: r.skipped } };
  return Object.fromEntries(
    r.map((row) => [
      `prompt cache, ${row.steps}-step agent task, ${row.model} (USD)`,
      {
        p50: row.withBreakpointsUsd,
        'p99/max': '',
        target: `vs ${row.withoutBreakpointsUsd}`,
        note: `with breakpoints vs without: ${row.savedPct}% saved; ${row.cachedTokens} prompt tokens read from cache (AgentSession on the fake)`,
      },
    ]),
  );
}

/** The table rows of bench/agentLong.ts: the long task's spend, prompt sizes and heap. */
function agentLongRows(
  r: Awaited<ReturnType<typeof benchAgentLong>> | { skipped: string },
): Record<string, Record<string, unknown>> {
  if ('skipped' in r) return { 'agent long task': { p50: '—', 'p99/max': '', target: '', note: r.skipped } };
  return {
    [`agent ${r.steps}-step task, routed + cached vs unrouted (USD)`]: {
      p50: r.routedCachedUsd,
      'p99/max': '',
      target: `vs ${r.unroutedUsd}`,
      note: `ratio ${r.spendRatio}; routing alone ${r.routedUsd}, caching alone ${r.cachedUsd}; ${r.model}, compact tier ${r.compactModel}, ${r.compactions} compaction(s)`,
    },
    [`agent ${r.steps}-step task, largest prompt (tokens)`]: {
      p50: r.maxPromptWith,
      'p99/max': '',
      target: `vs ${r.maxPromptWithout}`,
      note: `with compaction (32K context) vs without; all steps ${r.totalPromptWith} vs ${r.totalPromptWithout} prompt tokens`,
    },
    [`agent ${r.steps}-step task heap (KiB)`]: {
      p50: r.heapKiBWith,
      'p99/max': '',
      target: `vs ${r.heapKiBWithout}`,
      note: 'held by the finished task (view, transcript, checkpoints), with vs without compaction',
    },
  };
}

/** The table rows of bench/completions.ts's figures. */
function completionRows(
  r: Awaited<ReturnType<typeof benchCompletions>> | { skipped: string },
): Record<string, Record<string, unknown>> {
  if ('skipped' in r) return { completions: { p50: '—', 'p99/max': '', target: '', note: r.skipped } };
  const t = r.typing;
  return {
    'completion: call → request leaves (ms)': {
      p50: r.clientMs.p50Ms,
      'p99/max': r.clientMs.p99Ms,
      target: `< ${r.clientMs.targetMs}`,
      note: 'prompt fit + Router plan + SDK, debounce excluded',
    },
    [`completion: Switchyard's own time, ${r.ownMs.large.lines.toLocaleString('en-US')}-line file (ms)`]: {
      p50: r.ownMs.large.p50Ms,
      'p99/max': r.ownMs.large.p99Ms,
      target: '',
      note: `${r.ownMs.small.lines}-line file: ${r.ownMs.small.p50Ms} / ${r.ownMs.small.p99Ms}; keystroke → ghost minus debounce and model`,
    },
    'completion: keystroke → ghost text (ms)': {
      p50: r.keystrokeToGhostMs.p50Ms,
      'p99/max': r.keystrokeToGhostMs.p99Ms,
      target: `≈ ${r.keystrokeToGhostMs.targetMs}`,
      note: `debounce ${r.keystrokeToGhostMs.debounceMs} + fake ${r.keystrokeToGhostMs.latencyMs} ms`,
    },
    'completion: requests typing 400 chars': {
      p50: t.predictingModel.requests,
      'p99/max': '',
      target: `vs ${t.naiveRequests}`,
      note: `ratio ${t.predictingModel.ratio} (${t.nonPredictingModel.ratio} if never right); debounce 75 ms: ${t.debounce75Ms.predictingModel.ratio} / ${t.debounce75Ms.nonPredictingModel.ratio}`,
    },
  };
}

void main();
