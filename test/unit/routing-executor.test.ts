/** The executor against scripted outcomes and a virtual clock: failover, waits, keys, recovery. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ModelInfo } from '../../src/openrouter/catalogue';
import { FailureError, type Failure, type FailureKind } from '../../src/openrouter/failures';
import { type BackoffOptions, INTERACTIVE_RETRY } from '../../src/routing/backoff';
import { BreakerBoard, healthFromBreakers, targetKey } from '../../src/routing/breaker';
import { executePlan, type ExecutionEvent } from '../../src/routing/executor';
import { seededRandom } from '../../src/routing/random';
import type { Attempt, KeyRef, Plan } from '../../src/routing/types';

interface Sent {
  readonly keyId: string;
  readonly model: string;
  readonly models?: readonly string[];
  readonly prefill: string;
  readonly at: number;
}

type Outcome =
  | { ok: string; provider?: string }
  | { fail: FailureKind; retryAfterMs?: number; streamed?: string; provider?: string; retryable?: boolean };

const model = (id: string, price = 1, contextLength = 100_000): ModelInfo =>
  ({
    id,
    name: id,
    contextLength,
    promptPrice: price / 1e6,
    completionPrice: price / 1e6,
    isFree: price === 0,
  }) as unknown as ModelInfo;

const MODELS = new Map<string, ModelInfo>([
  ['a/one', model('a/one')],
  ['b/two', model('b/two')],
  ['c/three', model('c/three')],
  ['f/free:free', model('f/free:free', 0)],
  ['f/free', model('f/free', 2)],
  ['big/ctx', model('big/ctx', 1, 1_000_000)],
  ['small/two', model('small/two')],
]);

function attempt(model: string, keyId = 'k1', extra: Partial<Attempt> = {}): Attempt {
  return { keyId, body: { model }, worstCaseUsd: 0.01, ...extra };
}

function plan(...attempts: Attempt[]): Plan {
  return { attempts, decisions: [], warnings: [], notes: [], worstCaseUsd: 0.01 };
}

function failure(kind: FailureKind, retryAfterMs?: number, midStream = false): Failure {
  const retryable = ['rateLimit', 'timeout', 'server', 'network', 'streamBroken'].includes(kind);
  return {
    kind,
    title: kind,
    message: `${kind} happened`,
    retryable,
    midStream,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  };
}

/** Runs a plan where `script[model]` lists the outcomes of successive sends of that model. */
async function run(
  p: Plan,
  script: Record<string, Outcome[]>,
  options: {
    keys?: KeyRef[];
    maxWaitMs?: number;
    confirm?: boolean;
    breakers?: BreakerBoard;
    start?: number;
    byKey?: Record<string, FailureKind>;
    perRequestBudgetUsd?: number;
    backoff?: BackoffOptions;
  } = {},
) {
  let now = options.start ?? 1_000_000;
  const sent: Sent[] = [];
  const events: ExecutionEvent[] = [];
  const reports: string[] = [];
  const slept: number[] = [];
  const asked: string[] = [];
  let streamed = '';
  const breakers = options.breakers ?? new BreakerBoard();
  const promise = executePlan<{ text: string; provider?: string }>(
    p,
    {
      send: async (a, prefill) => {
        sent.push({
          keyId: a.keyId,
          model: a.body.model,
          ...(a.body.models ? { models: a.body.models } : {}),
          prefill,
          at: now,
        });
        streamed = '';
        const keyFailure = options.byKey?.[a.keyId];
        if (keyFailure) throw new FailureError(failure(keyFailure));
        const next = script[a.body.model]?.shift() ?? { fail: 'server' as const };
        if ('ok' in next) return { text: next.ok, ...(next.provider ? { provider: next.provider } : {}) };
        streamed = next.streamed ?? '';
        throw new FailureError({
          ...failure(next.fail, next.retryAfterMs, streamed.length > 0),
          ...(next.provider ? { provider: next.provider } : {}),
          ...(next.retryable !== undefined ? { retryable: next.retryable } : {}),
        });
      },
      sleep: async (ms) => {
        slept.push(ms);
        now += ms;
      },
      aborted: () => false,
      now: () => now,
      random: seededRandom(7),
      breakers,
      models: MODELS,
      confirm: async (q) => {
        asked.push(q);
        return options.confirm ?? false;
      },
      notify: (e) => events.push(e),
      streamedText: () => streamed,
      ...(options.keys ? { keys: options.keys } : {}),
      reportKey: (id, outcome) => reports.push(`${id}:${outcome.ok ? 'ok' : outcome.failure.kind}`),
    },
    {
      maxWaitMs: options.maxWaitMs ?? 60_000,
      ...(options.backoff ? { backoff: options.backoff } : {}),
      ...(options.perRequestBudgetUsd !== undefined ? { perRequestBudgetUsd: options.perRequestBudgetUsd } : {}),
    },
  );
  try {
    const execution = await promise;
    return { execution, sent, events, reports, slept, asked, error: undefined as Failure | undefined };
  } catch (error) {
    assert.ok(error instanceof FailureError, String(error));
    return { execution: undefined, sent, events, reports, slept, asked, error: error.failure };
  }
}

const KEYS: KeyRef[] = [
  { id: 'k1', label: 'work' },
  { id: 'k2', label: 'personal' },
];

describe('executePlan', () => {
  it('moves to the next model on a 429 and says so', async () => {
    const r = await run(plan(attempt('a/one'), attempt('b/two')), {
      'a/one': [{ fail: 'rateLimit', retryAfterMs: 2000 }],
      'b/two': [{ ok: 'hi' }],
    });
    assert.equal(r.execution?.result.text, 'hi');
    assert.deepEqual(
      r.sent.map((s) => s.model),
      ['a/one', 'b/two'],
    );
    assert.deepEqual(
      r.events.map((e) => e.text),
      ['one rate-limited → trying two'],
    );
    assert.deepEqual(r.slept, [], 'no wait when another model is ready');
  });

  it('retries the only model after its Retry-After', async () => {
    const r = await run(plan(attempt('a/one')), {
      'a/one': [{ fail: 'rateLimit', retryAfterMs: 3000 }, { ok: 'late' }],
    });
    assert.equal(r.execution?.result.text, 'late');
    assert.equal(r.sent.length, 2);
    assert.ok(r.sent[1]!.at - r.sent[0]!.at >= 3000, `waited ${r.sent[1]!.at - r.sent[0]!.at} ms`);
    assert.ok(r.events.some((e) => e.kind === 'wait'));
  });

  it('fails when the wait would exceed its bound', async () => {
    const r = await run(
      plan(attempt('a/one')),
      { 'a/one': [{ fail: 'rateLimit', retryAfterMs: 120_000 }, { ok: 'never' }] },
      { maxWaitMs: 60_000 },
    );
    assert.equal(r.error?.kind, 'rateLimit');
    assert.equal(r.sent.length, 1);
  });

  it('continues a stream that broke mid-answer on the next model with the partial text as prefill', async () => {
    const r = await run(plan(attempt('a/one'), attempt('b/two')), {
      'a/one': [{ fail: 'streamBroken', streamed: 'The first half' }],
      'b/two': [{ ok: ' and the rest.' }],
    });
    assert.equal(r.execution?.prefix, 'The first half');
    assert.equal(r.sent[1]!.prefill, 'The first half');
    assert.match(r.events[0]!.text, /one broke off mid-answer → continuing on two/);
  });

  it('on a 401 of one key, sends the same request on the next key, and reports both', async () => {
    const r = await run(
      plan(attempt('a/one'), attempt('b/two')),
      { 'a/one': [{ ok: 'served' }] },
      { keys: KEYS, byKey: { k1: 'auth' } },
    );
    assert.equal(r.execution?.result.text, 'served');
    assert.deepEqual(
      r.sent.map((s) => `${s.keyId}:${s.model}`),
      ['k1:a/one', 'k2:a/one'],
      'same model, next key',
    );
    assert.deepEqual(r.reports, ['k1:auth', 'k2:ok']);
    assert.match(r.events[0]!.text, /key “work” was rejected → trying key “personal”/);
    assert.equal(r.execution?.attempt.keyId, 'k2');
  });

  it('on a 402 of one key, the next key serves the same model; no other model is tried', async () => {
    const r = await run(
      plan(attempt('a/one'), attempt('b/two')),
      { 'a/one': [{ ok: 'paid by k2' }] },
      { keys: KEYS, byKey: { k1: 'credits' } },
    );
    assert.deepEqual(
      r.sent.map((s) => `${s.keyId}:${s.model}`),
      ['k1:a/one', 'k2:a/one'],
    );
    assert.match(r.events[0]!.text, /out of credits/);
  });

  it('stops with the key failure when every key is rejected', async () => {
    const r = await run(
      plan(attempt('a/one'), attempt('b/two')),
      {},
      { keys: KEYS, byKey: { k1: 'auth', k2: 'auth' } },
    );
    assert.equal(r.error?.kind, 'auth');
    assert.deepEqual(
      r.sent.map((s) => s.keyId),
      ['k1', 'k2'],
      'each key once, no other model',
    );
  });

  it('never tries a paid model after a 402 when there is no other key', async () => {
    const r = await run(
      plan(attempt('f/free:free'), attempt('a/one')),
      { 'f/free:free': [{ fail: 'credits' }] },
      { keys: [KEYS[0]!] },
    );
    assert.equal(r.error?.kind, 'credits');
    assert.deepEqual(
      r.sent.map((s) => s.model),
      ['f/free:free'],
    );
  });

  it('when everything is cooling, waits for the earliest expiry and then succeeds', async () => {
    const start = 1_000_000;
    const breakers = new BreakerBoard();
    breakers.get(targetKey('a/one')).recordFailure(start, 9000);
    breakers.get(targetKey('b/two')).recordFailure(start, 4000);
    const r = await run(
      plan(attempt('a/one'), attempt('b/two')),
      { 'b/two': [{ ok: 'after the wait' }] },
      { breakers, start },
    );
    assert.equal(r.execution?.result.text, 'after the wait');
    assert.deepEqual(r.slept, [4000], 'waited for b/two, whose cooldown ends first');
    assert.deepEqual(
      r.sent.map((s) => s.model),
      ['b/two'],
    );
    assert.match(r.events[0]!.text, /waiting 4 s for two/);
  });

  it('a ready model goes before a cooling one', async () => {
    const start = 1_000_000;
    const breakers = new BreakerBoard();
    breakers.get(targetKey('a/one')).recordFailure(start, 9000);
    const r = await run(plan(attempt('a/one'), attempt('b/two')), { 'b/two': [{ ok: 'now' }] }, { breakers, start });
    assert.deepEqual(r.slept, []);
    assert.deepEqual(
      r.sent.map((s) => s.model),
      ['b/two'],
    );
  });

  it('never refuses the only model for cooling alone: beyond the wait bound it is sent at once as the probe (issue 11 §3)', async () => {
    const start = 1_000_000;
    const breakers = new BreakerBoard();
    breakers.get(targetKey('a/one')).recordFailure(start, 90_000, 'broke off');
    const r = await run(
      plan(attempt('a/one')),
      { 'a/one': [{ ok: 'probe answered' }] },
      { breakers, start, maxWaitMs: 30_000 },
    );
    assert.equal(r.execution?.result.text, 'probe answered');
    assert.deepEqual(r.slept, [], 'no wait beyond the bound');
    assert.match(
      r.events[0]!.text,
      /one is cooling down until \d\d:\d\d:\d\d \(it broke off\) → sending now as a probe/,
    );
    assert.equal(breakers.get(targetKey('a/one')).state(start), 'closed', 'the probe succeeded: closed again');
  });

  it('after two mid-stream errors on the only model the next message is sent (waited for within the bound)', async () => {
    const start = 1_000_000;
    const breakers = new BreakerBoard();
    const first = await run(
      plan(attempt('a/one')),
      {
        'a/one': [
          { fail: 'server', streamed: 'Part' },
          { fail: 'server', streamed: 'Part' },
          { fail: 'server', streamed: 'Part' },
        ],
      },
      { breakers, start, maxWaitMs: INTERACTIVE_RETRY.totalWaitMs, backoff: INTERACTIVE_RETRY.backoff },
    );
    assert.equal(first.error?.kind, 'server');
    assert.ok(first.sent.length <= 3, `at most two same-model retries: ${first.sent.length}`);
    assert.ok(first.slept.reduce((a, b) => a + b, 0) <= 10_000, `waits within 10 s: ${first.slept}`);
    const next = await run(
      plan(attempt('a/one')),
      { 'a/one': [{ ok: 'sent anyway' }] },
      { breakers, start: start + 1, maxWaitMs: 10_000 },
    );
    assert.equal(next.execution?.result.text, 'sent anyway');
    assert.ok(next.slept.every((ms) => ms <= 10_000));
  });

  it('skips an attempt that needs confirmation when the user declines', async () => {
    const r = await run(
      plan(attempt('a/one'), attempt('c/three', 'k1', { needsConfirmation: 'Use c/three at up to $1?' })),
      { 'a/one': [{ fail: 'server' }, { fail: 'server' }, { fail: 'server' }] },
      { confirm: false, maxWaitMs: 0 },
    );
    assert.ok(r.error);
    assert.deepEqual(r.asked, ['Use c/three at up to $1?'], 'the user was asked');
    assert.ok(!r.sent.some((s) => s.model === 'c/three'));
  });

  it('after a context-length failure tries only a larger context', async () => {
    const r = await run(plan(attempt('a/one'), attempt('b/two'), attempt('big/ctx')), {
      'a/one': [{ fail: 'contextLength' }],
      'big/ctx': [{ ok: 'fits' }],
    });
    assert.deepEqual(
      r.sent.map((s) => s.model),
      ['a/one', 'big/ctx'],
    );
  });

  it('stops after a moderation refusal unless allowed', async () => {
    const r = await run(plan(attempt('a/one'), attempt('b/two')), {
      'a/one': [{ fail: 'moderation' }],
      'b/two': [{ ok: 'x' }],
    });
    assert.equal(r.error?.kind, 'moderation');
    assert.equal(r.sent.length, 1);
  });

  it('cools the provider OpenRouter named, so plans expect it last', async () => {
    const breakers = new BreakerBoard();
    const r = await run(
      plan(attempt('a/one'), attempt('b/two')),
      {
        'a/one': [{ fail: 'server', retryAfterMs: 10_000, provider: 'DeepInfra' }],
        'b/two': [{ ok: 'fine', provider: 'Together' }],
      },
      { breakers },
    );
    assert.equal(r.execution?.result.text, 'fine');
    const open = breakers.cooling(1_000_000);
    assert.ok(open.includes(targetKey('a/one', 'deepinfra')), JSON.stringify(open));
    assert.deepEqual(healthFromBreakers(open), { coolingModels: ['a/one'], unstableProviders: ['deepinfra'] });
  });
});

describe('executePlan, the hard cases', () => {
  it('a transient failure after a context-length one never brings back a model too small', async () => {
    const r = await run(plan(attempt('a/one'), attempt('big/ctx'), attempt('small/two')), {
      'a/one': [{ fail: 'contextLength' }],
      'big/ctx': [{ fail: 'rateLimit', retryAfterMs: 1000 }, { ok: 'big answer' }],
    });
    assert.equal(r.execution?.result.text, 'big answer');
    assert.deepEqual(
      r.sent.map((s) => s.model),
      ['a/one', 'big/ctx', 'big/ctx'],
      'small/two is never sent; big/ctx is retried after its wait',
    );
  });

  it('asks before a continuation that would cross the per-request budget, and stops when declined', async () => {
    const p = plan(attempt('a/one', 'k1', { worstCaseUsd: 0.6 }), attempt('b/two', 'k1', { worstCaseUsd: 0.6 }));
    const r = await run(
      p,
      { 'a/one': [{ fail: 'streamBroken', streamed: 'Half of it' }], 'b/two': [{ ok: ' rest' }] },
      { perRequestBudgetUsd: 1, confirm: false },
    );
    assert.equal(r.error?.kind, 'streamBroken', 'declined: the partial answer stays as the outcome');
    assert.equal(r.error?.midStream, true);
    assert.match(r.asked[0] ?? '', /\$1\.20 in all, over your per-request budget of \$1\.00/);
    assert.deepEqual(
      r.sent.map((s) => s.model),
      ['a/one'],
    );
  });

  it('continues within the budget without asking', async () => {
    const p = plan(attempt('a/one', 'k1', { worstCaseUsd: 0.3 }), attempt('b/two', 'k1', { worstCaseUsd: 0.3 }));
    const r = await run(
      p,
      { 'a/one': [{ fail: 'streamBroken', streamed: 'Half' }], 'b/two': [{ ok: ' rest' }] },
      { perRequestBudgetUsd: 1 },
    );
    assert.equal(r.execution?.prefix, 'Half');
    assert.deepEqual(r.asked, []);
  });

  it('re-sends a confirmed attempt on the next key without asking again', async () => {
    const r = await run(
      plan(attempt('c/three', 'k1', { needsConfirmation: 'Upgrade to c/three?' })),
      { 'c/three': [{ ok: 'yes' }] },
      { keys: KEYS, byKey: { k1: 'auth' }, confirm: true },
    );
    assert.equal(r.execution?.result.text, 'yes');
    assert.deepEqual(r.asked, ['Upgrade to c/three?']);
    assert.deepEqual(
      r.sent.map((s) => s.keyId),
      ['k1', 'k2'],
    );
  });

  it('moves on to another model when one has used up its retries', async () => {
    const fails: Outcome[] = Array.from({ length: 10 }, () => ({ fail: 'server' as const }));
    const r = await run(
      plan(attempt('a/one'), attempt('b/two')),
      { 'a/one': [...fails], 'b/two': [...fails] },
      { maxWaitMs: 120_000 },
    );
    assert.ok(r.error, 'fails in the end');
    const total = r.slept.reduce((a, b) => a + b, 0);
    assert.ok(total <= 120_000, `bounded waits: ${total} ms`);
    assert.ok(r.sent.length <= 14, `bounded attempts: ${r.sent.length}`);
  });
});

describe('executePlan notices', () => {
  it('never announces a switch the user then declines', async () => {
    const r = await run(
      plan(attempt('a/one'), attempt('c/three', 'k1', { needsConfirmation: 'Upgrade?' })),
      { 'a/one': [{ fail: 'server' }] },
      { confirm: false, maxWaitMs: 0 },
    );
    assert.ok(r.error);
    assert.ok(!r.events.some((e) => /trying three/.test(e.text)), JSON.stringify(r.events));
  });

  it('never announces a retry that the wait bound then forbids', async () => {
    const r = await run(
      plan(attempt('a/one')),
      { 'a/one': [{ fail: 'rateLimit', retryAfterMs: 90_000 }] },
      { maxWaitMs: 10_000 },
    );
    assert.equal(r.error?.kind, 'rateLimit');
    assert.deepEqual(r.events, []);
  });
});

describe('healthFromBreakers', () => {
  it('sorts open breakers into models, providers and keys', () => {
    assert.deepEqual(healthFromBreakers(['target:m/a@*', 'target:m/b@groq', 'target:m/c@groq']), {
      coolingModels: ['m/a'],
      unstableProviders: ['groq'],
    });
    assert.deepEqual(healthFromBreakers([]), {});
  });
});

describe('retry only what can succeed (issue 11 §4)', () => {
  const daily = { fail: 'rateLimit' as const, retryAfterMs: 6 * 3600_000, retryable: false };

  it('a daily limit (reset hours away) is neither retried nor waited for', async () => {
    const r = await run(
      plan(attempt('a/one')),
      { 'a/one': [daily, { ok: 'never' }] },
      { maxWaitMs: INTERACTIVE_RETRY.totalWaitMs, backoff: INTERACTIVE_RETRY.backoff },
    );
    assert.equal(r.error?.kind, 'rateLimit');
    assert.deepEqual(r.slept, []);
    assert.equal(r.sent.length, 1);
  });

  it("a free model at its daily limit: the paid twin only with the user's yes", async () => {
    const no = await run(plan(attempt('f/free:free')), { 'f/free:free': [daily] }, { confirm: false });
    assert.equal(no.error?.kind, 'rateLimit');
    assert.deepEqual(
      no.sent.map((s) => s.model),
      ['f/free:free'],
    );
    assert.match(no.asked[0] ?? '', /Use the paid f\/free instead/);
    const yes = await run(
      plan(attempt('f/free:free')),
      { 'f/free:free': [daily], 'f/free': [{ ok: 'paid answer' }] },
      { confirm: true },
    );
    assert.equal(yes.execution?.result.text, 'paid answer');
    assert.deepEqual(
      yes.sent.map((s) => s.model),
      ['f/free:free', 'f/free'],
    );
  });

  it('a context overflow is never retried as is: a larger context, or the error', async () => {
    const alone = await run(plan(attempt('a/one')), { 'a/one': [{ fail: 'contextLength' }, { ok: 'never' }] });
    assert.equal(alone.error?.kind, 'contextLength');
    assert.equal(alone.sent.length, 1);
  });

  it('interactive budget: a mid-stream error on the only model is retried at most twice within 10 s', async () => {
    const fails = Array.from({ length: 6 }, () => ({ fail: 'server' as const, streamed: 'Part' }));
    const r = await run(
      plan(attempt('a/one')),
      { 'a/one': fails },
      { maxWaitMs: INTERACTIVE_RETRY.totalWaitMs, backoff: INTERACTIVE_RETRY.backoff },
    );
    assert.equal(r.error?.kind, 'server');
    assert.ok(r.sent.length <= 1 + INTERACTIVE_RETRY.sameModelRetries, `${r.sent.length} sends`);
    assert.ok(r.slept.reduce((a, b) => a + b, 0) <= INTERACTIVE_RETRY.totalWaitMs, `waited ${r.slept}`);
  });
});
