import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CompletionSender,
  hasFirstLine,
  isSendResult,
  latencyFirst,
  pickAttempt,
  stickTo,
  type SendRequest,
} from '../../src/completions/route';
import { buildFimPrompt } from '../../src/completions/prompt';
import type { ChatResult } from '../../src/openrouter/streamAssembly';
import { abortedFailure, FailureError } from '../../src/openrouter/failures';
import { failureFromHttp } from '../../src/openrouter/httpFailures';
import type { ChatRequestBody } from '../../src/openrouter/wire';
import { BreakerBoard, targetKey } from '../../src/routing/breaker';
import { planRoute } from '../../src/routing/plan';
import { seededRandom } from '../../src/routing/random';
import type { Attempt, Plan, RouteRequest, RoutingPolicy } from '../../src/routing/types';
import { turnEnvWith } from '../faults/turnEnv';

const policy = (o: Partial<RoutingPolicy> = {}): RoutingPolicy => ({
  mode: 'auto',
  tiers: { complete: ['fast/coder', 'other/coder'] },
  freeFirst: false,
  fallbackModels: [],
  fallback: { onlyCheaper: false, askBeforeUpgrade: false },
  provider: {},
  capacity: { strategy: 'shared', byokProviders: [] },
  budgets: {},
  onBudget: 'block',
  routes: [],
  ...o,
});

const attempt = (model: string, o: Partial<Attempt> = {}): Attempt => ({
  keyId: 'k',
  body: { model },
  worstCaseUsd: 0.001,
  ...o,
});
const planOf = (...attempts: Attempt[]): Plan => ({
  attempts,
  decisions: [],
  warnings: [],
  notes: [],
  worstCaseUsd: attempts[0]?.worstCaseUsd ?? 0,
});

describe('completion routing rules', () => {
  it('is latency-first unless the user chose a sort or a variant', () => {
    assert.equal(latencyFirst(policy()).provider.sort, 'latency');
    assert.equal(latencyFirst(policy({ provider: { sort: 'price' } })).provider.sort, 'price');
    assert.equal(latencyFirst(policy({ provider: { variant: 'nitro' } })).provider.sort, undefined);
  });

  it('goes through the engine: the complete tier, budgets and free-first apply', () => {
    const knowledge = {
      models: new Map(),
      endpoints: new Map(),
      health: {},
      spend: { todayUsd: 0, monthUsd: 0 },
      keys: [{ id: 'k', label: 'k' }],
    };
    const req: RouteRequest = {
      tier: 'complete',
      promptTokens: 800,
      maxOutputTokens: 48,
      needsVision: false,
      needsTools: false,
    };
    const planned = planRoute(
      latencyFirst(policy({ freeFirst: true, tiers: { complete: ['fast/coder', 'free/coder:free'] } })),
      req,
      knowledge,
      seededRandom(1),
    );
    assert.equal(planned.attempts[0]!.body.model, 'free/coder:free');
    assert.deepEqual(planned.attempts[0]!.body.provider, { sort: 'latency' });
    const blocked = planRoute(
      latencyFirst(policy({ budgets: { perDayUsd: 1 } })),
      req,
      { ...knowledge, spend: { todayUsd: 2, monthUsd: 2 } },
      seededRandom(1),
    );
    assert.equal(blocked.attempts.length, 0);
    assert.ok(blocked.refusal);
  });

  it('skips attempts needing confirmation and models cooling for completions; trims cooling models from a grouped list', () => {
    const breakers = new BreakerBoard();
    breakers.get(targetKey('a/x')).recordFailure(0, 60_000);
    const plan = planOf(
      attempt('a/x', { body: { model: 'a/x', models: ['a/x', 'b/y', 'c/z'] } }),
      attempt('a/x'),
      attempt('p/pricey', { needsConfirmation: 'Upgrade?' }),
      attempt('b/y'),
    );
    const picked = pickAttempt(plan, breakers, 1000);
    assert.deepEqual(picked?.body, { model: 'b/y', models: ['b/y', 'c/z'] });
    assert.equal(
      pickAttempt(planOf(attempt('a/x'), attempt('p/pricey', { needsConfirmation: 'Upgrade?' })), breakers, 1000),
      undefined,
    );
  });

  it('sticks to the last provider unless the user ordered or sorted providers', () => {
    const a = attempt('m/x', { body: { model: 'm/x', provider: { sort: 'latency' } } });
    assert.deepEqual(stickTo(a, { model: 'm/x', provider: 'groq' }, policy()).body.provider, {
      sort: 'latency',
      order: ['groq'],
    });
    assert.equal(
      stickTo(a, { model: 'm/x', provider: 'groq' }, policy({ provider: { sort: 'latency' } })),
      a,
      'the user sorted: not pinned',
    );
    assert.equal(stickTo(a, { model: 'other/y', provider: 'groq' }, policy()), a);
    const ignoring = attempt('m/x', { body: { model: 'm/x', provider: { sort: 'latency', ignore: ['groq'] } } });
    assert.equal(
      stickTo(ignoring, { model: 'm/x', provider: 'groq' }, policy({ provider: { ignore: ['groq'] } })),
      ignoring,
    );
  });

  it('knows when a first line is complete (after a fence or blank lines)', () => {
    assert.equal(hasFirstLine(' + b'), false);
    assert.equal(hasFirstLine(' + b;\n'), true);
    assert.equal(hasFirstLine('```ts\n'), false);
    assert.equal(hasFirstLine('```ts\nfoo();\n'), true);
    assert.equal(hasFirstLine('\n'), false);
  });
});

function sender(
  stream: (body: ChatRequestBody, signal: AbortSignal, onDelta: (t: string) => void) => Promise<ChatResult>,
  o: { breakers?: BreakerBoard; plan?: Plan; seen?: ChatRequestBody[] } = {},
) {
  const breakers = o.breakers ?? new BreakerBoard();
  return {
    breakers,
    sender: new CompletionSender({
      plan: async (_req, adjust) => {
        adjust(policy());
        return (
          o.plan ?? planOf(attempt('fast/coder', { body: { model: 'fast/coder', provider: { sort: 'latency' } } }))
        );
      },
      // The turn layer sends through this client (a stand-in for the wire: the routing rules are tested here).
      turn: turnEnvWith({
        streamChat: (body, handlers, signal) => {
          o.seen?.push(body as ChatRequestBody);
          return stream(body as ChatRequestBody, signal!, (t) => handlers.onDelta(t));
        },
        generationCost: async () => undefined,
      }),
      breakers,
      now: () => 1000,
    }),
  };
}

const prompt = buildFimPrompt({
  prefix: 'const x = ',
  suffix: '',
  languageId: 'typescript',
  path: 'a.ts',
  multiline: false,
  maxLines: 1,
});
const req = (o: Partial<SendRequest> = {}): SendRequest => ({
  prompt,
  multiline: false,
  maxTokens: 48,
  signal: new AbortController().signal,
  allow: () => true,
  ...o,
});

describe('CompletionSender', () => {
  it('sends a small, deterministic streaming body and records the sticky provider', async () => {
    const seen: ChatRequestBody[] = [];
    const { sender: s } = sender(
      async (_b, _s, onDelta) => {
        onDelta('42;');
        return { text: '42;', cost: 0.0002, model: 'fast/coder', provider: 'Groq' };
      },
      { seen },
    );
    const out = await s.send(req());
    assert.ok(isSendResult(out));
    assert.equal(out.text, '42;');
    assert.equal(out.costUsd, 0.0002);
    assert.equal(seen[0]!.max_tokens, 48);
    assert.equal(seen[0]!.temperature, 0);
    assert.equal(seen[0]!.stream, true);
    assert.deepEqual(seen[0]!.provider, { sort: 'latency' });
    assert.deepEqual(s.stickyRoute, { model: 'fast/coder', provider: 'groq' });
    await s.send(req());
    assert.deepEqual(seen[1]!.provider, { sort: 'latency', order: ['groq'] }, 'the next request asks Groq first');
  });

  for (const [name, multiline, raw, expected] of [
    [
      'a multi-line reply keeps its complete lines',
      true,
      'if (a) {\n  run(a);\n  return compute(a, b',
      'if (a) {\n  run(a);\n',
    ],
    ['a one-line reply cut mid-line leaves nothing', false, 'computeTheThing(alpha, beta, gam', ''],
    ['a reply that ends on a line break loses nothing', true, 'run(a);\n', 'run(a);\n'],
  ] as const)
    it(`drops the line the output limit cut off (finish_reason length): ${name}`, async () => {
      for (const finishReason of ['length', 'max_tokens', 'MAX_TOKENS', 'model_context_window_exceeded']) {
        const { sender: s } = sender(async (_b, _s, onDelta) => {
          onDelta(raw);
          return { text: raw, finishReason, cost: 0.0001, model: 'fast/coder' };
        });
        const out = await s.send(req({ multiline, maxTokens: multiline ? 72 : 48 }));
        assert.ok(isSendResult(out));
        assert.equal(out.text, expected, finishReason);
        assert.equal(out.costUsd, 0.0001, 'still billed once');
      }
      const { sender: whole } = sender(async () => ({ text: raw, finishReason: 'stop', model: 'fast/coder' }));
      const out = await whole.send(req({ multiline }));
      assert.ok(isSendResult(out) && out.text === raw, 'a reply that finished by itself is kept whole');
    });

  it('closes a one-line stream after its first line and bills the worst case', async () => {
    let aborted = false;
    const { sender: s } = sender((_b, signal, onDelta) => {
      onDelta('42;');
      onDelta('\nconst y');
      assert.equal(signal.aborted, true);
      aborted = true;
      return Promise.reject(new FailureError(abortedFailure(true)));
    });
    const out = await s.send(req());
    assert.ok(aborted && isSendResult(out));
    assert.equal(out.text, '42;\nconst y');
    assert.equal(out.cutEarly, true);
    // Nothing reported its cost (no usage, no generation to look up): the worst case, counted once settled.
    assert.equal(out.costUsd, 0);
    assert.equal(await out.later, 0.001);
  });

  it('drops a failure silently and cools that model for completions only', async () => {
    const { sender: s, breakers } = sender(() =>
      Promise.reject(new FailureError(failureFromHttp(429, { message: 'rate limited' }, { 'retry-after': '30' }))),
    );
    const out = await s.send(req());
    assert.ok(!isSendResult(out));
    assert.equal(out.miss, 'failed');
    // The status item is told which model failed and how (never the error's raw text alone).
    assert.equal(out.model, 'fast/coder');
    assert.deepEqual([out.failure?.kind, out.failure?.status, out.failure?.title], ['rateLimit', 429, 'Rate limited']);
    assert.equal(breakers.get(targetKey('fast/coder')).state(1000), 'open');
    const again = await s.send(req());
    assert.ok(!isSendResult(again) && again.miss === 'cooling', 'no request while it cools');
  });

  it('does not send over the budget, nor after the keystroke that superseded it', async () => {
    let sent = 0;
    const { sender: s } = sender(async () => {
      sent++;
      return { text: 'x' };
    });
    const over = await s.send(req({ allow: (worst) => worst < 0.0005 }));
    assert.ok(!isSendResult(over) && over.miss === 'budget');
    const stopped = new AbortController();
    stopped.abort();
    const superseded = await s.send(req({ signal: stopped.signal }));
    assert.ok(!isSendResult(superseded) && superseded.miss === 'aborted');
    assert.equal(sent, 0);
  });

  it('reports an abort by the next keystroke as aborted (not a failure: no cooling)', async () => {
    const keystroke = new AbortController();
    const { sender: s, breakers } = sender(
      (_b, signal) =>
        new Promise((_r, reject) =>
          signal.addEventListener('abort', () => reject(new FailureError(abortedFailure(false)))),
        ),
    );
    const pending = s.send(req({ signal: keystroke.signal }));
    keystroke.abort();
    const out = await pending;
    assert.ok(!isSendResult(out) && out.miss === 'aborted');
    assert.equal(breakers.get(targetKey('fast/coder')).state(1000), 'closed');
  });
});

describe('completions through the Router', () => {
  it('plan with the latency-first policy without waiting for endpoint lists, and leave the chat policy alone', async () => {
    const { Router } = await import('../../src/routing/router');
    let fetches = 0;
    const router = new Router({
      policy: () => policy(),
      models: () => new Map(),
      fetchEndpoints: () => {
        fetches++;
        return new Promise(() => undefined); // never answers: a plan that waited would hang
      },
      ledger: { get: () => undefined, set: () => undefined },
      time: { now: () => 0, random: () => 0.5, sleep: async () => undefined },
    });
    const req: RouteRequest = {
      tier: 'complete',
      promptTokens: 500,
      maxOutputTokens: 48,
      needsVision: false,
      needsTools: false,
    };
    const planned = await router.plan(req, [{ id: 'k', label: 'k' }], {
      advance: false,
      adjust: latencyFirst,
      waitMs: 0,
    });
    assert.deepEqual(planned.attempts[0]!.body.provider, { sort: 'latency' });
    assert.equal(fetches, 2, 'the endpoint lists are fetched for the next request');
    const chat = await router.plan({ ...req, tier: 'complete' }, [{ id: 'k', label: 'k' }], {
      advance: false,
      waitMs: 0,
    });
    assert.equal(chat.attempts[0]!.body.provider, undefined, "without adjust the policy is the user's");
  });
});
