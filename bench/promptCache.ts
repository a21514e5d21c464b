/**
 * Prompt caching's effect on spend: the same 10-turn conversation (a ~6k-token file attached to
 * the first turn only, or to every turn as the automatic editor chip does) sent to the fake OpenRouter — which prices cache reads and
 * writes like OpenRouter's price list — once with Switchyard's breakpoints and once without, for
 * each model that needs explicit breakpoints. The messages are built by the chat's own prompt
 * builder (src/chat/prompt.ts) and breakpoint rule (src/openrouter/promptCache.ts); spend is the
 * sum of each answer's `usage.cost`.
 *
 * Standalone: `node --import tsx bench/promptCache.ts` (prints the rows as JSON).
 */
import { buildMessages, userContent } from '../src/chat/prompt';
import type { StoredMessage } from '../src/chat/conversation';
import { parseCatalogue, type ModelInfo } from '../src/openrouter/catalogue';
import { OpenRouterClient } from '../src/openrouter/client';
import { cacheMessages } from '../src/openrouter/promptCache';
import { FIXTURE_MODELS } from '../test/fake-openrouter/catalogue';
import { startFakeOpenRouter } from '../test/fake-openrouter/server';

const TURNS = 10;

/** A source file of about `tokens` tokens (4 characters each), rendered like an attached chip. */
function attachedFile(tokens: number): string {
  const line = 'export function step(n: number): number { return n * 2 + 1; }\n';
  return `src/engine.ts\n\`\`\`ts\n${line.repeat(Math.ceil((tokens * 4) / line.length))}\`\`\``;
}

/** One conversation: USD spent, prompt tokens read from / written to the cache. */
async function conversation(
  client: OpenRouterClient,
  model: string,
  lookup: (id: string) => ModelInfo | undefined,
  breakpoints: boolean,
  attach: Attach,
  session: string,
): Promise<{ usd: number; cachedTokens: number; writtenTokens: number; promptTokens: number }> {
  const history: StoredMessage[] = [];
  const file = attachedFile(6000);
  let usd = 0;
  let cachedTokens = 0;
  let writtenTokens = 0;
  let promptTokens = 0;
  for (let turn = 1; turn <= TURNS; turn++) {
    const context = attach === 'everyTurn' || turn === 1 ? [file] : [];
    const text = `Turn ${turn}: what does step() return for ${turn}, and why?`;
    const built = buildMessages(history, { role: 'user', content: userContent(text, context) }, 150_000, context);
    const messages = breakpoints
      ? cacheMessages(model, lookup, built.messages, built.contextLengths).messages
      : built.messages;
    const result = await client.streamChat(
      { model, messages, stream: true, max_tokens: 1024, session_id: session },
      { onDelta: () => undefined },
    );
    usd += result.cost ?? 0;
    cachedTokens += result.cachedTokens ?? 0;
    writtenTokens += result.cacheWriteTokens ?? 0;
    promptTokens += result.promptTokens ?? 0;
    history.push(
      { id: `u${turn}`, role: 'user', text, status: 'done', createdAt: turn, ...(context.length ? { context } : {}) },
      { id: `a${turn}`, role: 'assistant', text: result.text, status: 'done', createdAt: turn },
    );
  }
  return { usd: Number(usd.toPrecision(6)), cachedTokens, writtenTokens, promptTokens };
}

/** When the file is attached: to the first turn, or to every turn (the automatic editor chip). */
type Attach = 'firstTurn' | 'everyTurn';

export interface CacheBenchRow {
  readonly model: string;
  readonly attach: Attach;
  readonly turns: number;
  readonly withBreakpointsUsd: number;
  readonly withoutBreakpointsUsd: number;
  /** 1 − with / without. */
  readonly savedPct: number;
  readonly promptTokens: number;
  readonly cachedTokens: number;
  readonly writtenTokens: number;
}

export async function benchPromptCache(): Promise<CacheBenchRow[]> {
  const fake = await startFakeOpenRouter({ tokenDelayMs: 0 });
  try {
    const client = new OpenRouterClient({ baseUrl: fake.baseUrl, apiKey: 'sk-or-v1-bench-cache-000000000000' });
    const { models } = parseCatalogue(await (await fetch(`${fake.baseUrl}/models`)).json());
    const lookup = (id: string): ModelInfo | undefined => models.find((m) => m.id === id);
    const rows: CacheBenchRow[] = [];
    for (const model of [FIXTURE_MODELS.claudeSonnet4, FIXTURE_MODELS.gemini25Flash])
      for (const attach of ['firstTurn', 'everyTurn'] as const) {
        const without = await conversation(client, model, lookup, false, attach, `bench-${model}-plain`);
        fake.reset();
        const cached = await conversation(client, model, lookup, true, attach, `bench-${model}-cached`);
        fake.reset();
        rows.push({
          model,
          attach,
          turns: TURNS,
          withBreakpointsUsd: cached.usd,
          withoutBreakpointsUsd: without.usd,
          savedPct: Number(((1 - cached.usd / without.usd) * 100).toFixed(1)),
          promptTokens: cached.promptTokens,
          cachedTokens: cached.cachedTokens,
          writtenTokens: cached.writtenTokens,
        });
      }
    return rows;
  } finally {
    await fake.close();
  }
}

if (process.argv[1]?.endsWith('promptCache.ts')) {
  void benchPromptCache().then((rows) => console.log(JSON.stringify(rows, null, 2)));
}
