/**
 * Prompt caching on agent tasks: the same 10-step task (started with a ~1k-token attached file;
 * each step reads a ~1.5k-token file, then a summary) run by the real AgentSession on the fake OpenRouter — which prices cache reads and
 * writes like the price list — once with the turn layer's breakpoints and once without (the
 * model's catalogue entry without its cache-write price, so no breakpoints are set; the fake still
 * caches only at breakpoints, as Anthropic does). Spend is the task's own figure (the header's).
 *
 * Standalone: `node --import tsx bench/agentCache.ts` (prints the rows as JSON).
 */
import type { ModelInfo } from '../src/openrouter/catalogue';
import { OpenRouterClient } from '../src/openrouter/client';
import type { AgentScript } from '../test/fake-openrouter/agent';
import { FIXTURE_MODELS } from '../test/fake-openrouter/catalogue';
import { startFakeOpenRouter, type FakeOpenRouter } from '../test/fake-openrouter/server';
import { agentHarness } from '../test/faults/agentSession';

export const AGENT_CACHE_STEPS = 10;
const KEY = 'sk-or-v1-bench-agent-cache-0000000000';

/** A source file of about `tokens` tokens (4 characters each). */
function sourceFile(n: number, tokens: number): string {
  const line = `export function step${n}(x: number): number { return x * ${n} + 1; }\n`;
  return line.repeat(Math.ceil((tokens * 4) / line.length));
}

/** Each step reads the next file; the last one answers. */
function script(): AgentScript {
  const reads = Array.from({ length: AGENT_CACHE_STEPS - 1 }, (_, i) => ({
    when: { step: i },
    text: `Reading file ${i}.`,
    toolCalls: [{ name: 'read_file', arguments: JSON.stringify({ path: `src/f${i}.ts` }) }],
  }));
  return { turns: [...reads, { text: 'All files read; nothing to change.' }] };
}

/** What one task cost and read from the cache, per step. */
export interface AgentCacheRun {
  readonly usd: number;
  /** Prompt tokens read from the cache, per step (from each step's meta line). */
  readonly cachedPerStep: readonly number[];
  readonly writtenPerStep: readonly number[];
  /** `cache_control` breakpoints per request. */
  readonly breakpointsPerRequest: readonly number[];
}

/** Runs the task on `model` against `fake`; `breakpoints: false` hides the model's cache-write price from Switchyard. */
export async function agentCacheTask(
  fake: FakeOpenRouter,
  models: readonly ModelInfo[],
  model: string,
  breakpoints: boolean,
): Promise<AgentCacheRun> {
  fake.reset();
  fake.setAgentScript(script());
  const seen = breakpoints ? models : models.map((m) => (m.id === model ? { ...m, cacheWritePrice: undefined } : m));
  const h = agentHarness({
    baseUrl: fake.baseUrl,
    models: seen,
    apiKey: KEY,
    model,
    agent: { maxSteps: AGENT_CACHE_STEPS + 2 },
  });
  for (let i = 0; i < AGENT_CACHE_STEPS; i++) h.workspace.files.set(`src/f${i}.ts`, sourceFile(i, 1500));
  // The task comes with an attached file (a chip), as a user would start one.
  const chip = `README.md\n\`\`\`md\n${'This project computes steps. '.repeat(160)}\n\`\`\``;
  await h.session.send(
    `Read the files src/f0.ts … src/f${AGENT_CACHE_STEPS - 2}.ts one by one and tell me what they do.`,
    [chip],
  );
  await h.session.idle();
  const steps = h.session.views().filter((m) => m.role === 'assistant');
  const breakpointsPerRequest = fake
    .chatRequests()
    .map((r) => (JSON.stringify(r.body).match(/"cache_control"/g) ?? []).length);
  return {
    usd: Number(h.session.task().spentUsd.toPrecision(6)),
    cachedPerStep: steps.map((s) => s.meta?.cache?.readTokens ?? 0),
    writtenPerStep: steps.map((s) => s.meta?.cache?.writeTokens ?? 0),
    breakpointsPerRequest,
  };
}

export interface AgentCacheRow {
  readonly model: string;
  readonly steps: number;
  readonly withBreakpointsUsd: number;
  readonly withoutBreakpointsUsd: number;
  /** 1 − with / without. */
  readonly savedPct: number;
  readonly cachedTokens: number;
}

export async function benchAgentCache(): Promise<AgentCacheRow[]> {
  const fake = await startFakeOpenRouter({ tokenDelayMs: 0 });
  try {
    const models = (await new OpenRouterClient({ baseUrl: fake.baseUrl, apiKey: KEY }).listModels()).models;
    const rows: AgentCacheRow[] = [];
    for (const model of [FIXTURE_MODELS.claudeSonnet4, FIXTURE_MODELS.gemini25Flash]) {
      const without = await agentCacheTask(fake, models, model, false);
      const cached = await agentCacheTask(fake, models, model, true);
      rows.push({
        model,
        steps: AGENT_CACHE_STEPS,
        withBreakpointsUsd: cached.usd,
        withoutBreakpointsUsd: without.usd,
        savedPct: Number(((1 - cached.usd / without.usd) * 100).toFixed(1)),
        cachedTokens: cached.cachedPerStep.reduce((a, b) => a + b, 0),
      });
    }
    return rows;
  } finally {
    await fake.close();
  }
}

if (process.argv[1]?.endsWith('agentCache.ts')) {
  void benchAgentCache().then((rows) => console.log(JSON.stringify(rows, null, 2)));
}
