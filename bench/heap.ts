/**
 * Extension-host heap over 1000 chat requests, measured by driving the host-side ChatSession
 * (routing engine, executor, OpenRouter client, history) in this Node process against the fake
 * OpenRouter — the same code the extension host runs, without VS Code around it (1000 requests
 * through code-server would take far longer). The fake runs in a child process so its records do
 * not count. A new chat every 10 requests, as people do; the recorded webview messages are dropped
 * after each request so only the session's own memory counts. Needs `node --expose-gc`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { parseCatalogue } from '../src/openrouter/catalogue';
import { recordedSession } from '../test/faults/session';

/** The fake OpenRouter CLI in a child process; resolves with its base URL. */
async function startFakeProcess(): Promise<{ baseUrl: string; origin: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/fake-openrouter/cli.ts', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const baseUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`fake-openrouter exited with ${code}`)));
  });
  const origin = new URL(baseUrl).origin;
  await fetch(`${origin}/__control/options`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tokenDelayMs: 0 }),
  });
  return { baseUrl, origin, child };
}

export interface HeapResult {
  readonly requests: number;
  readonly warmupRequests: number;
  readonly beforeMiB: number;
  readonly afterMiB: number;
  readonly growthPct: number;
  readonly msPerRequestP50: number;
}

const mib = (n: number): number => Number((n / 1024 / 1024).toFixed(2));

function settledHeap(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  for (let i = 0; i < 4; i++) gc();
  return process.memoryUsage().heapUsed;
}

export async function benchHeap(requests = 1000, warmupRequests = 300): Promise<HeapResult> {
  const fake = await startFakeProcess();
  const models = parseCatalogue(await (await fetch(`${fake.baseUrl}/models`)).json()).models;
  const r = recordedSession({
    baseUrl: fake.baseUrl,
    models,
    apiKey: 'sk-or-v1-bench-heap-000000000',
    settings: { model: 'openai/gpt-4o-mini', fallbackModels: ['mistralai/mistral-small:free'], maxOutputTokens: 1024 },
    timeoutSeconds: 30,
    maxWaitMs: 5000,
  });
  const durations: number[] = [];
  const one = async (i: number): Promise<void> => {
    if (i % 10 === 0) await r.session.newChat();
    const started = performance.now();
    await r.session.send(`Question ${i}: explain \`Array.prototype.flatMap\` with an example.`);
    durations.push(performance.now() - started);
    r.posted.length = 0;
    r.logs.length = 0;
    r.keyReports.length = 0;
    if (i % 100 === 0) await fetch(`${fake.origin}/__control/requests`, { method: 'DELETE' });
  };
  for (let i = 0; i < warmupRequests; i++) await one(i);
  const before = settledHeap();
  for (let i = warmupRequests; i < warmupRequests + requests; i++) await one(i);
  const after = settledHeap();
  fake.child.kill('SIGTERM');
  const sorted = durations.slice(warmupRequests).sort((a, b) => a - b);
  return {
    requests,
    warmupRequests,
    beforeMiB: mib(before),
    afterMiB: mib(after),
    growthPct: Number((((after - before) / before) * 100).toFixed(1)),
    msPerRequestP50: Number(sorted[Math.floor(sorted.length / 2)]!.toFixed(2)),
  };
}
