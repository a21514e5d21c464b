import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  backoffCeilingMs,
  backoffDelayMs,
  DEFAULT_BACKOFF,
  nextBackoffMs,
  type BackoffOptions,
} from '../../src/routing/backoff';
import { BreakerBoard, CircuitBreaker, targetKey, waitForCoolingMs } from '../../src/routing/breaker';
import { seededRandom } from '../../src/routing/random';
import type { RandomSource } from '../../src/routing/types';

/** Every delay the executor's backoff would take in a row for one random source (as it calls nextBackoffMs). */
function backoffSchedule(random: RandomSource, options: BackoffOptions = DEFAULT_BACKOFF): number[] {
  const out: number[] = [];
  let waited = 0;
  for (let retry = 0; ; retry++) {
    const d = nextBackoffMs(retry, waited, random, undefined, options);
    if (d === undefined) return out;
    out.push(d);
    waited += d;
  }
}

type Step = ['ok' | 'fail', number] | ['fail', number, number] | ['state', number, 'closed' | 'open' | 'halfOpen'];

function run(steps: readonly Step[]): CircuitBreaker {
  const b = new CircuitBreaker();
  steps.forEach((step, i) => {
    const [what, now] = step;
    if (what === 'ok') b.recordSuccess(now);
    else if (what === 'fail') b.recordFailure(now, step[2] as number | undefined);
    else assert.equal(b.state(now), step[2], `step ${i}: state at ${now}`);
  });
  return b;
}

describe('CircuitBreaker', () => {
  it('tryAcquire: closed lets every request go, open none, half-open exactly one probe until its outcome', () => {
    const b = new CircuitBreaker();
    assert.equal(b.tryAcquire(0), true);
    assert.equal(b.tryAcquire(0), true, 'closed: no limit');
    b.recordFailure(0);
    b.recordFailure(0);
    assert.equal(b.tryAcquire(4999), false, 'open while cooling');
    assert.equal(b.tryAcquire(5000), true, 'half-open: the probe');
    assert.equal(b.tryAcquire(5001), false, 'half-open: only one probe at a time');
    b.recordFailure(5100);
    assert.equal(b.tryAcquire(5200), false, 'the failed probe re-opened it');
    assert.equal(b.tryAcquire(5100 + 10_000), true, 'after the doubled cooldown: a new probe');
    b.recordSuccess(5100 + 10_000);
    assert.equal(b.tryAcquire(15_200), true, 'the probe succeeded: closed again');
    assert.equal(b.tryAcquire(15_200), true);
  });

  const cases: { name: string; steps: Step[] }[] = [
    {
      name: 'one failure keeps it closed',
      steps: [
        ['fail', 0],
        ['state', 0, 'closed'],
      ],
    },
    {
      name: 'closed → open on 2 consecutive failures',
      steps: [
        ['fail', 0],
        ['fail', 10],
        ['state', 10, 'open'],
        ['state', 100, 'open'],
      ],
    },
    {
      name: 'a success between failures resets the streak',
      steps: [
        ['fail', 0],
        ['ok', 1],
        ['fail', 2],
        ['state', 2, 'closed'],
      ],
    },
    {
      name: 'open → half-open after the 5 s cooldown',
      steps: [
        ['fail', 0],
        ['fail', 0],
        ['state', 4999, 'open'],
        ['state', 5000, 'halfOpen'],
      ],
    },
    {
      name: 'half-open stays half-open until an outcome',
      steps: [
        ['fail', 0],
        ['fail', 0],
        ['state', 5000, 'halfOpen'],
        ['state', 60_000, 'halfOpen'],
      ],
    },
    {
      name: 'a success after the cooldown closes',
      steps: [
        ['fail', 0],
        ['fail', 0],
        ['ok', 5100],
        ['state', 5100, 'closed'],
        ['fail', 5200],
        ['state', 5200, 'closed'],
      ],
    },
    {
      name: 'a failure after the cooldown reopens with a doubled cooldown (5 s → 10 s → 20 s)',
      steps: [
        ['fail', 0],
        ['fail', 0],
        ['state', 5000, 'halfOpen'],
        ['fail', 5000],
        ['state', 14_999, 'open'],
        ['state', 15_000, 'halfOpen'],
        ['fail', 15_000],
        ['state', 34_999, 'open'],
        ['state', 35_000, 'halfOpen'],
      ],
    },
    {
      name: 'retryAfterMs is honoured (opens at once)',
      steps: [
        ['fail', 0, 30_000],
        ['state', 29_999, 'open'],
        ['state', 30_000, 'halfOpen'],
      ],
    },
    {
      name: 'a straggler failure while open does not extend the cooldown',
      steps: [
        ['fail', 0],
        ['fail', 0],
        ['fail', 3000],
        ['state', 5000, 'halfOpen'],
      ],
    },
  ];
  for (const c of cases) it(c.name, () => void run(c.steps));

  it('the cooldown is capped at 5 minutes', () => {
    const b = new CircuitBreaker();
    b.recordFailure(0);
    b.recordFailure(0);
    let now = 0;
    for (let i = 0; i < 12; i++) {
      now = b.openUntil() ?? now;
      assert.equal(b.state(now), 'halfOpen');
      b.recordFailure(now);
    }
    assert.equal((b.openUntil() ?? 0) - now, 300_000);
    assert.equal(new CircuitBreaker().state(0), 'closed');
  });

  it('opens at ≥ 35 % failures in a full window of 23, never before it is full', () => {
    const b = new CircuitBreaker();
    // Never two failures in a row; 9 failures in 23 = 39 %, the 9th arriving as the window fills.
    const failures = new Set([0, 3, 6, 9, 12, 15, 18, 20, 22]);
    const outcomes = Array.from({ length: 23 }, (_, i) => failures.has(i));
    outcomes.forEach((failed, i) => {
      assert.equal(b.state(i), 'closed', `closed before outcome ${i}`);
      if (failed) b.recordFailure(i);
      else b.recordSuccess(i);
    });
    assert.equal(b.state(22), 'open');
  });

  it('8 spaced failures in a full window (34.8 %) stay closed; high ratios before the window fills do not open', () => {
    const b = new CircuitBreaker();
    const failures = new Set([0, 3, 6, 9, 12, 15, 18, 21]);
    for (let i = 0; i < 23; i++) {
      if (failures.has(i)) b.recordFailure(i);
      else b.recordSuccess(i);
    }
    assert.equal(b.state(23), 'closed');
    const c = new CircuitBreaker();
    // 50 % failures, but the window is not full.
    for (let i = 0; i < 10; i++) {
      if (i % 2 === 0) c.recordFailure(i);
      else c.recordSuccess(i);
    }
    assert.equal(c.state(10), 'closed');
  });
});

describe('BreakerBoard', () => {
  it('keeps breakers per (model, provider); earliest expiry for waiting', () => {
    const board = new BreakerBoard();
    board.get(targetKey('m', 'openai')).recordFailure(0, 8000);
    board.get(targetKey('n')).recordFailure(100, 3000);
    board.get(targetKey('m', 'azure')).recordSuccess(0);
    assert.deepEqual(board.cooling(1000).sort(), ['target:m@openai', 'target:n@*']);
    assert.equal(board.earliestExpiry(1000), 3100);
    assert.equal(board.earliestExpiry(4000), 8000);
    assert.equal(board.earliestExpiry(9000), undefined);
    assert.equal(targetKey('m'), 'target:m@*');
  });

  it('when everything is cooling, waits for the earliest expiry within a bound', () => {
    const board = new BreakerBoard();
    assert.equal(waitForCoolingMs(board, 0, 10_000), undefined);
    board.get(targetKey('a')).recordFailure(0, 4000);
    board.get(targetKey('b')).recordFailure(0, 9000);
    assert.equal(waitForCoolingMs(board, 1000, 10_000), 3000);
    assert.equal(waitForCoolingMs(board, 1000, 2000), undefined);
  });
});

describe('backoff', () => {
  it('ceilings are 1, 2, 4, 8, 16 s and stay capped', () => {
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5, 9].map((n) => backoffCeilingMs(n)),
      [1000, 2000, 4000, 8000, 16_000, 16_000, 16_000],
    );
  });

  it('full jitter stays within [0, ceiling)', () => {
    const r = seededRandom(3);
    for (let n = 0; n < 6; n++) {
      for (let i = 0; i < 200; i++) {
        const d = backoffDelayMs(n, r);
        assert.ok(d >= 0 && d < backoffCeilingMs(n));
      }
    }
    assert.equal(
      backoffDelayMs(2, () => 0.999999),
      3999,
    );
  });

  it('a schedule has at most 5 retries and never exceeds 60 s in total; deterministic per seed', () => {
    for (let seed = 0; seed < 50; seed++) {
      const s = backoffSchedule(seededRandom(seed));
      assert.ok(s.length <= 5);
      assert.ok(s.reduce((a, b) => a + b, 0) <= 60_000);
      assert.deepEqual(s, backoffSchedule(seededRandom(seed)));
    }
    const tight = backoffSchedule(() => 0.999, { baseMs: 1000, maxMs: 16_000, totalMs: 10_000, maxRetries: 10 });
    assert.equal(
      tight.reduce((a, b) => a + b, 0),
      10_000,
    );
  });

  const cases: { name: string; retry: number; waited: number; retryAfter?: number; expected: number | undefined }[] = [
    { name: 'a server wait replaces the jitter', retry: 0, waited: 0, retryAfter: 7000, expected: 7000 },
    {
      name: 'a server wait beyond the total budget → give up',
      retry: 0,
      waited: 50_000,
      retryAfter: 20_000,
      expected: undefined,
    },
    { name: 'retries spent → give up', retry: 5, waited: 0, expected: undefined },
    { name: 'total spent → give up', retry: 1, waited: 60_000, expected: undefined },
    { name: 'jitter clipped to what is left', retry: 4, waited: 59_000, expected: 1000 },
  ];
  for (const c of cases)
    it(c.name, () =>
      assert.equal(
        nextBackoffMs(c.retry, c.waited, () => 0.5, c.retryAfter),
        c.expected,
      ),
    );
});
