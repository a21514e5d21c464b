/**
 * A long agent task (issue 23): the fake's scripted 40-step task (test/fake-openrouter/longTask.ts,
 * a ~1k-token part read per step) run by the real AgentSession on the fake OpenRouter, which
 * prices like the price list and caches at breakpoints as Anthropic does. Figures:
 *
 * - spend with per-step routing and caching (the `compact` tier on a cheap model, breakpoints
 *   on) vs every request on the picked model without breakpoints — and each half alone;
 * - prompt tokens per step with compaction (the picked model seen with a 32K context) and without
 *   (the same model seen with its 200K context: nothing compacts or is elided);
 * - heap held by the finished task (`--expose-gc`).
 *
 * Standalone: `node --expose-gc --import tsx bench/agentLong.ts` (prints the figures as JSON).
 */
import type { ModelInfo } from '../src/openrouter/catalogue';
import { OpenRouterClient } from '../src/openrouter/client';
import type { RawRoutingSettings } from '../src/config/routingSettings';
import { DEFAULT_TIER_MODELS } from '../src/agent/tiers';
import { promptTokens, type ChatMessage } from '../test/fake-openrouter/answer';
import { FIXTURE_MODELS } from '../test/fake-openrouter/catalogue';
import { LONG_TASK_REQUEST, LONG_TASK_STEPS, longTaskFiles, longTaskScript } from '../test/fake-openrouter/longTask';
import { startFakeOpenRouter, type FakeOpenRouter } from '../test/fake-openrouter/server';
import { agentHarness, type AgentHarness } from '../test/faults/agentSession';

const KEY = 'sk-or-v1-bench-agent-long-00000000000';
/** The picked model (the strong, expensive one) and the `compact` tier's. */
export const LONG_PICKED = FIXTURE_MODELS.claudeSonnet4;
export const LONG_COMPACT = FIXTURE_MODELS.gemini25Flash;

export interface LongTaskOptions {
  /** The context Switchyard sees for the picked model (the fake still serves its own). */
  readonly contextLength: number;
  /** Breakpoints on (the picked model's cache-write price visible). */
  readonly caching: boolean;
  /** The `compact` tier on {@link LONG_COMPACT}; else compaction uses the picked model. */
  readonly routed: boolean;
  readonly steps?: number;
  /** Tokens of each part read (default 1000). */
  readonly tokensPerPart?: number;
  /** Keep the fake's records (a test reads them); the heap figure then includes them. */
  readonly keepRequests?: boolean;
  /** The model (default {@link LONG_PICKED}). */
  readonly model?: string;
}

export interface LongTaskRun {
  readonly harness: AgentHarness;
  readonly usd: number;
  /** Prompt tokens of each step's request as the fake counted them (compaction requests left out). */
  readonly promptPerStep: readonly number[];
  /** Steps (model turns) of the task. */
  readonly steps: number;
  /** Compactions (summary requests) sent, and the model that served each. */
  readonly compactions: readonly string[];
  readonly heapKiB: number;
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Runs the long task once against `fake`. */
export async function longTask(
  fake: FakeOpenRouter,
  models: readonly ModelInfo[],
  options: LongTaskOptions,
): Promise<LongTaskRun> {
  const steps = options.steps ?? LONG_TASK_STEPS;
  const model = options.model ?? LONG_PICKED;
  fake.reset();
  fake.setAgentScript(longTaskScript(steps));
  const seen = models.map((m) =>
    m.id === model
      ? { ...m, contextLength: options.contextLength, ...(options.caching ? {} : { cacheWritePrice: undefined }) }
      : m,
  );
  const routing: RawRoutingSettings = options.routed ? { tiers: { compact: [LONG_COMPACT] } } : {};
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const h = agentHarness({
    baseUrl: fake.baseUrl,
    models: seen,
    apiKey: KEY,
    model,
    routing,
    // Unrouted: every request on the pick, summaries too (the compact tier's `auto` would pick a cheaper model).
    agent: { maxSteps: steps + 5, ...(options.routed ? {} : { tiers: { ...DEFAULT_TIER_MODELS, compact: 'picked' } }) },
  });
  for (const [path, text] of Object.entries(longTaskFiles(steps, options.tokensPerPart)))
    h.workspace.files.set(path, text);
  await h.session.send(LONG_TASK_REQUEST);
  await h.session.idle();
  const requests = fake.chatRequests();
  const isStep = (r: (typeof requests)[number]): boolean => Array.isArray((r.body as { tools?: unknown }).tools);
  const promptPerStep = requests
    .filter(isStep)
    .map((r) => promptTokens((r.body as { messages: ChatMessage[] }).messages));
  const compactions = requests.filter((r) => !isStep(r)).map((r) => r.servedModel ?? '?');
  // What the task holds (its view, transcript, checkpoints), not the fake's records of it.
  if (!options.keepRequests) fake.clearRequests();
  gc();
  const heapKiB = Math.round((process.memoryUsage().heapUsed - heapBefore) / 1024);
  return {
    harness: h,
    usd: Number(h.session.task().spentUsd.toPrecision(6)),
    promptPerStep,
    steps: h.session.task().steps,
    compactions,
    heapKiB,
  };
}

export interface AgentLongFigures {
  readonly steps: number;
  readonly model: string;
  readonly compactModel: string;
  /** USD of the whole task. */
  readonly routedCachedUsd: number;
  readonly routedUsd: number;
  readonly cachedUsd: number;
  readonly unroutedUsd: number;
  /** routedCached / unrouted. */
  readonly spendRatio: number;
  readonly compactions: number;
  readonly promptPerStepWith: readonly number[];
  readonly promptPerStepWithout: readonly number[];
  readonly maxPromptWith: number;
  readonly maxPromptWithout: number;
  readonly totalPromptWith: number;
  readonly totalPromptWithout: number;
  readonly heapKiBWith: number;
  readonly heapKiBWithout: number;
}

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

export async function benchAgentLong(): Promise<AgentLongFigures> {
  const fake = await startFakeOpenRouter({ tokenDelayMs: 0 });
  try {
    const models = (await new OpenRouterClient({ baseUrl: fake.baseUrl, apiKey: KEY }).listModels()).models;
    const at32k = { contextLength: 32_768 };
    const routedCached = await longTask(fake, models, { ...at32k, caching: true, routed: true });
    const routed = await longTask(fake, models, { ...at32k, caching: false, routed: true });
    const cached = await longTask(fake, models, { ...at32k, caching: true, routed: false });
    const unrouted = await longTask(fake, models, { ...at32k, caching: false, routed: false });
    const without = await longTask(fake, models, { contextLength: 200_000, caching: true, routed: true });
    return {
      steps: routedCached.steps,
      model: LONG_PICKED,
      compactModel: LONG_COMPACT,
      routedCachedUsd: routedCached.usd,
      routedUsd: routed.usd,
      cachedUsd: cached.usd,
      unroutedUsd: unrouted.usd,
      spendRatio: Number((routedCached.usd / unrouted.usd).toFixed(3)),
      compactions: routedCached.compactions.length,
      promptPerStepWith: routedCached.promptPerStep,
      promptPerStepWithout: without.promptPerStep,
      maxPromptWith: Math.max(...routedCached.promptPerStep),
      maxPromptWithout: Math.max(...without.promptPerStep),
      totalPromptWith: sum(routedCached.promptPerStep),
      totalPromptWithout: sum(without.promptPerStep),
      heapKiBWith: routedCached.heapKiB,
      heapKiBWithout: without.heapKiB,
    };
  } finally {
    await fake.close();
  }
}

if (process.argv[1]?.endsWith('agentLong.ts')) {
  void benchAgentLong().then((r) => console.log(JSON.stringify(r, null, 2)));
}
