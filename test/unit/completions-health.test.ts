import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CompletionHealth, FAILURE_SHOWN_MS, fixFor } from '../../src/completions/health';
import { describeLatency, LatencyLog, latencySample, ownMs } from '../../src/completions/latency';

const MODEL = 'openai/gpt-4o-mini';

describe('completion health: a failing model is visible', () => {
  it('a 429 with a cooldown: down until the breaker closes, with the reason and the fix', () => {
    const h = new CompletionHealth();
    h.failed({ model: MODEL, kind: 'rateLimit', title: 'Rate limited', status: 429, at: 1000 });
    const until = (m: string) => (m === MODEL ? 13_000 : undefined);
    assert.deepEqual(h.down(2000, until), {
      model: MODEL,
      reason: `${MODEL} answered 429 Rate limited`,
      fix: fixFor('rateLimit'),
      until: 13_000,
    });
    assert.match(fixFor('rateLimit'), /another completion model/);
    assert.equal(h.nextChange(2000, until), 13_000, 'first the cooldown ends');
    assert.equal(h.nextChange(14_000, until), 31_000, 'then the shown time');
    // Past the cooldown, still said for a while after the failure; then no more.
    assert.equal(h.down(20_000, until)?.until, undefined);
    assert.equal(h.down(1000 + FAILURE_SHOWN_MS, until), undefined);
  });

  for (const [kind, title, status, fix] of [
    ['server', 'Provider error', 500, /provider is having trouble/],
    ['auth', 'Invalid key', 401, /API key/],
    ['credits', 'Out of credits', 402, /credits/],
    ['network', 'No connection', undefined, /network/],
  ] as const) {
    it(`${kind}: the reason names the model and status; the fix fits`, () => {
      const h = new CompletionHealth();
      h.failed({ model: MODEL, kind, title, ...(status ? { status } : {}), at: 0 });
      const down = h.down(10, () => undefined)!;
      assert.equal(down.reason, `${MODEL} answered ${status ? `${status} ` : ''}${title}`);
      assert.match(down.fix, fix);
    });
  }

  it('a success clears it', () => {
    const h = new CompletionHealth();
    h.failed({ model: MODEL, kind: 'server', title: 'Provider error', status: 503, at: 0 });
    h.succeeded();
    assert.equal(
      h.down(1, () => 5000),
      undefined,
    );
    assert.equal(
      h.nextChange(1, () => 5000),
      undefined,
    );
  });
});

describe('keystroke → ghost latency inside the extension', () => {
  it("splits waiting from Switchyard's own time", () => {
    const s = latencySample(312.4, { debounceMs: 200, modelMs: 95 }, 5000, 'request');
    assert.equal(Math.round(ownMs(s)), 17);
    assert.equal(
      describeLatency(s),
      '312 ms after the keystroke: debounce 200 ms, model 95 ms, Switchyard 17 ms (5,000 lines)',
    );
    assert.equal(
      describeLatency(latencySample(3, undefined, 40, 'cache')),
      '3 ms after the keystroke: from the cache, Switchyard 3 ms (40 lines)',
    );
  });

  it('keeps the median own time of the last suggestions', () => {
    const log = new LatencyLog();
    assert.equal(log.describe(), undefined);
    for (const own of [5, 9, 7]) log.add(latencySample(300 + own, { debounceMs: 200, modelMs: 100 }, 100, 'request'));
    assert.equal(log.medianOwnMs(), 7);
    assert.deepEqual(log.describe(), {
      label: 'Last suggestion 307 ms after the keystroke',
      detail: "debounce 200 ms, model 100 ms, Switchyard 7 ms (100 lines); Switchyard's median 7 ms over 3",
    });
  });
});
