import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_RATE_LIMIT_MS, RateLimitBook, describeRateLimit } from '../../src/account/rateLimits';
import { failureFromHttp } from '../../src/openrouter/httpFailures';
import { rateLimitOf } from '../../src/openrouter/errorBody';

const T0 = 1_741_305_000_000;

describe('rate-limit headers', () => {
  it('reads X-RateLimit-* from the headers, reset in epoch ms', () => {
    assert.deepEqual(
      rateLimitOf(
        { 'X-RateLimit-Limit': '20', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(T0 + 60_000) },
        undefined,
      ),
      { limit: 20, remaining: 0, resetAt: T0 + 60_000 },
    );
  });

  it('reads them from error.metadata.headers, as OpenRouter repeats them in the body', () => {
    const f = failureFromHttp(
      429,
      {
        message: 'Rate limit exceeded: free-models-per-day',
        metadata: {
          headers: { 'X-RateLimit-Limit': '50', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': '1741305600000' },
        },
      },
      undefined,
    );
    assert.deepEqual(f.rateLimit, { limit: 50, remaining: 0, resetAt: 1741305600000 });
    assert.equal(f.kind, 'rateLimit');
  });

  it('tolerates a reset in epoch seconds and ignores junk', () => {
    assert.deepEqual(rateLimitOf({ 'x-ratelimit-reset': '1741305600' }, undefined), { resetAt: 1741305600000 });
    assert.equal(rateLimitOf({ 'x-ratelimit-limit': 'lots' }, { headers: 'nope' }), undefined);
    assert.equal(failureFromHttp(429, {}).rateLimit, undefined);
  });
});

describe('rate limits per model', () => {
  it('keeps a limit while it lasts, from Retry-After or the reset, whichever is later', () => {
    const book = new RateLimitBook();
    book.record(
      'openai/gpt-4o-mini',
      failureFromHttp(429, { message: 'Rate limit exceeded' }, { 'retry-after': '5' }, false),
      T0,
    );
    book.record(
      'meta-llama/llama-3.3-70b-instruct:free',
      failureFromHttp(429, {
        metadata: {
          headers: {
            'X-RateLimit-Limit': '50',
            'X-RateLimit-Remaining': '0',
            'X-RateLimit-Reset': String(T0 + 3_600_000),
          },
        },
      }),
      T0,
    );
    const active = book.active(T0 + 1_000);
    assert.deepEqual(
      active.map((e) => e.model),
      ['openai/gpt-4o-mini', 'meta-llama/llama-3.3-70b-instruct:free'],
    );
    assert.equal(active[0]!.until, T0 + 5_000);
    assert.equal(active[1]!.limit, 50);
    assert.deepEqual(
      book.active(T0 + 5_000).map((e) => e.model),
      ['meta-llama/llama-3.3-70b-instruct:free'],
      'over once Retry-After passed',
    );
    assert.equal(
      describeRateLimit(active[1]!, () => '15:00'),
      'llama-3.3-70b-instruct:free: 0 of 50 requests left, until 15:00',
    );
  });

  it('assumes a short limit when a 429 says nothing, ignores other failures, clears on success', () => {
    const book = new RateLimitBook();
    assert.equal(book.record('m/x', failureFromHttp(500, {}), T0), undefined);
    assert.equal(book.record('m/x', failureFromHttp(429, {}), T0)?.until, T0 + DEFAULT_RATE_LIMIT_MS);
    book.clear('m/x');
    assert.deepEqual(book.active(T0), []);
  });
});
