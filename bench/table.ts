/**
 * The table `npm run bench` prints (bench/run.ts): one row per figure, beside its target.
 */
import type { BenchResults } from './run';
import type { benchAgentCache } from './agentCache';
import type { benchAgentLong } from './agentLong';
import type { benchCompletions } from './completions';
import type { benchMcp } from './mcp';
import type { benchPromptCache } from './promptCache';
import type { benchSandbox } from './sandbox';
import { ENDPOINTS, round } from './engine';
import { TARGETS } from './targets';

type Rows = Record<string, Record<string, unknown>>;

/** A part's figures, or nothing when it was skipped. */
const v = <T extends object>(r: T | { skipped: string }): Partial<T> => ('skipped' in r ? {} : r);

/** Activation, the chat view's first show, bundle sizes. */
function startRows(results: BenchResults): Rows {
  const a = v(results.activation);
  const b = results.bundles;
  return {
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
  };
}

/** The routing engine: catalogue, plan, time to first token. */
function engineRows(results: BenchResults): Rows {
  const { catalogue, plan, ttft } = results;
  return {
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
  };
}

/** Streaming into the webview. */
function streamRows(results: BenchResults): Rows {
  const st = v(results.streaming);
  return {
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
  };
}

/** Restoring a long chat. */
function restoreRows(results: BenchResults): Rows {
  const re = v(results.restore);
  const re1k = v(results.restore1000);
  return {
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
  };
}

/** Counting and fitting one 500 KB attachment. */
function chipRows(results: BenchResults): Rows {
  const c = v(results.chips);
  const chipRow = (name: 'minified' | 'base64' | 'source', what: string) => {
    const r = c[name];
    return {
      p50: r?.p50Ms ?? '—',
      'p99/max': r?.maxMs ?? '—',
      target: `< ${TARGETS.chipMs}`,
      note: r ? `${r.kib} KiB ${what}, ~${r.tokens} tokens, fit into 128K (7 fresh runs)` : 'skipped',
    };
  };
  return {
    'chip, 500 KB minified file (ms)': chipRow('minified', 'one-line bundle'),
    'chip, 500 KB base64 blob (ms)': chipRow('base64', 'no whitespace'),
    'chip, 500 KB source file (ms)': chipRow('source', 'ordinary TypeScript'),
  };
}

/** The host heap and the agent loop. */
function hostRows(results: BenchResults): Rows {
  const h = v(results.heap);
  const ag = v(results.agent);
  return {
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
  };
}

/** Prints every row, in the order of the figures' parts. */
export function printTable(results: BenchResults): void {
  const ag = v(results.agent);
  console.log('\nSwitchyard benchmarks (one run, this machine)\n');
  console.table({
    ...startRows(results),
    ...engineRows(results),
    ...streamRows(results),
    ...restoreRows(results),
    ...chipRows(results),
    ...completionRows(results.completions),
    ...cacheRows(results.promptCache),
    ...agentCacheRows(results.agentCache),
    ...agentLongRows(results.agentLong),
    ...hostRows(results),
    ...sandboxRows(results.sandbox),
    'agent 25-step task heap (KiB)': {
      p50: ag.taskHeapKiB ?? '—',
      'p99/max': '',
      target: '',
      note: 'transcript, cards and checkpoints of one finished task',
    },
    ...mcpRows(results.mcp),
  });
}

/** The table rows of bench/mcp.ts. */
function mcpRows(r: Awaited<ReturnType<typeof benchMcp>> | { skipped: string }): Rows {
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
function sandboxRows(r: Awaited<ReturnType<typeof benchSandbox>> | { skipped: string }): Rows {
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
    'agent command, protected placeholders added (ms)': {
      p50: r.placeholdersAddedP50Ms ?? '—',
      'p99/max': '',
      target: '',
      note:
        r.existingOnlyP50Ms !== undefined
          ? `${r.placeholders} missing protected paths made, bound read-only and removed: ${r.sandboxP50Ms} ms vs ${r.existingOnlyP50Ms} ms binding only the existing .git`
          : r.sandbox,
    },
    'agent command, nested protected names added (ms)': {
      p50: r.nestedAddedP50Ms ?? '—',
      'p99/max': r.nestedAddedP99Ms ?? '',
      target: '',
      note:
        r.withNestedP50Ms !== undefined
          ? `nested .git/.envrc/*.code-workspace held and checked after, ${r.nestedFolders} folders walked: ${r.withNestedP50Ms} ms vs ${r.sandboxP50Ms} ms without`
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
function cacheRows(r: Awaited<ReturnType<typeof benchPromptCache>> | { skipped: string }): Rows {
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
function agentCacheRows(r: Awaited<ReturnType<typeof benchAgentCache>> | { skipped: string }): Rows {
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
function agentLongRows(r: Awaited<ReturnType<typeof benchAgentLong>> | { skipped: string }): Rows {
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
function completionRows(r: Awaited<ReturnType<typeof benchCompletions>> | { skipped: string }): Rows {
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
