/**
 * The routing engine's figures for `npm run bench` (bench/run.ts): JSON.parse + parse + index of a
 * realistic 400-model catalogue, planRoute over it (≥5 endpoints per candidate), and time to first
 * token of our client against a bare `openai` SDK call to the same fake OpenRouter.
 */
import OpenAI from 'openai';
import { CatalogueIndex, parseCatalogue } from '../src/openrouter/catalogue';
import { OpenRouterClient } from '../src/openrouter/client';
import { parseEndpoint } from '../src/openrouter/endpoints';
import { planRoute } from '../src/routing/plan';
import { seededRandom } from '../src/routing/random';
import type { EndpointInfo, Knowledge, RouteRequest, RoutingPolicy } from '../src/routing/types';
import { startFakeOpenRouter } from '../test/fake-openrouter/server';
import { generateCatalogue } from '../test/fake-openrouter/catalogue';
import { realisticCatalogue } from './catalogueFixture';
import { median, percentile, timeUs } from './stats';

export const MODELS = 400;
export const ENDPOINTS = 5;

export function round(n: number, digits = 1): number {
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

/** The catalogue, plan and time-to-first-token figures, measured in that order. */
export async function benchEngine(): Promise<{
  catalogue: ReturnType<typeof benchCatalogue>;
  plan: ReturnType<typeof benchPlan>;
  ttft: Awaited<ReturnType<typeof benchTtft>>;
}> {
  const { body, wire } = realisticCatalogue(MODELS, ENDPOINTS);
  const catalogue = benchCatalogue(body);
  const knowledge = knowledgeFrom(body, wire);
  const plan = benchPlan(knowledge);
  const ttft = await benchTtft(knowledge);
  return { catalogue, plan, ttft };
}
