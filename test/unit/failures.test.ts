import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { failureFromHttp } from '../../src/openrouter/httpFailures';
import { retryAfterMs, statusOfErrorBody } from '../../src/openrouter/errorBody';

describe('failureFromHttp', () => {
  const cases: [number, object | undefined, string, string | undefined][] = [
    [401, { code: 401, message: 'User not found.' }, 'auth', 'switchyard.setApiKey'],
    [
      402,
      { code: 402, message: 'This request requires more credits, or fewer max_tokens.' },
      'credits',
      'switchyard.openCredits',
    ],
    [
      403,
      { code: 403, message: 'flagged', metadata: { reasons: ['misc'], flagged_input: 'x' } },
      'moderation',
      'switchyard.pickModel',
    ],
    [403, { code: 403, message: 'nope' }, 'forbidden', 'switchyard.showLog'],
    [404, { code: 404, message: 'No endpoints found that support tool use' }, 'noEndpoints', 'switchyard.pickModel'],
    [
      400,
      { code: 400, message: 'too long', metadata: { error_type: 'context_length_exceeded' } },
      'contextLength',
      'switchyard.pickModel',
    ],
    // A model id that does not exist: Retry cannot help, another model can.
    [400, { code: 400, message: 'openai/gpt-4o-mni is not a valid model ID' }, 'badRequest', 'switchyard.pickModel'],
    [400, { code: 400, message: 'Model not found: acme/x' }, 'badRequest', 'switchyard.pickModel'],
    [400, { code: 400, message: 'Invalid JSON in body' }, 'badRequest', 'switchyard.showLog'],
    [400, { code: 400, message: 'acme/fake-1.0 is not a valid model ID' }, 'badRequest', 'switchyard.pickModel'],
    [429, { code: 429, message: 'Rate limit exceeded' }, 'rateLimit', 'switchyard.pickModel'],
    [408, undefined, 'timeout', 'switchyard.pickModel'],
    [524, undefined, 'timeout', 'switchyard.pickModel'],
    [502, { code: 502, message: 'Provider returned error' }, 'server', 'switchyard.pickModel'],
    [503, undefined, 'server', 'switchyard.pickModel'],
  ];
  for (const [status, body, kind, command] of cases) {
    it(`${status} ${kind}`, () => {
      const f = failureFromHttp(status, body);
      assert.equal(f.kind, kind);
      assert.equal(f.action?.command, command);
      assert.equal(f.status, status);
      assert.ok(f.title.length > 0 && f.message.length > 0);
    });
  }
  it('says what fixes a 401 and marks rate limits retryable', () => {
    assert.match(failureFromHttp(401, { message: 'No auth credentials found' }).message, /Set a valid key/);
    assert.equal(
      failureFromHttp(401, { message: 'User not found.' }).message,
      'User not found. Set a valid key to continue.',
    );
    assert.equal(failureFromHttp(429, undefined).retryable, true);
    assert.equal(failureFromHttp(401, undefined).retryable, false);
  });
  it('never echoes a key from the server message', () => {
    const f = failureFromHttp(401, { message: 'Key sk-or-v1-deadbeefdeadbeefdeadbeef is disabled' });
    assert.doesNotMatch(f.message, /deadbeef/);
  });
});

describe('retryAfterMs', () => {
  const now = 1_741_305_000_000;
  it('reads retry-after-ms, Retry-After seconds and dates', () => {
    assert.equal(retryAfterMs({ 'retry-after-ms': '1500' }, undefined, now), 1500);
    assert.equal(retryAfterMs({ 'Retry-After': '3' }, undefined, now), 3000);
    assert.equal(retryAfterMs(new Headers({ 'retry-after': '2' }), undefined, now), 2000);
    assert.equal(retryAfterMs({ 'retry-after': new Date(now + 5000).toUTCString() }, undefined, now), 5000);
  });
  it('reads X-RateLimit-Reset in epoch ms from error.metadata.headers', () => {
    const metadata = {
      headers: { 'X-RateLimit-Limit': '50', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(now + 600_000) },
    };
    assert.equal(retryAfterMs(undefined, metadata, now), 600_000);
  });
  it('is undefined when nothing says', () => {
    assert.equal(retryAfterMs({}, undefined, now), undefined);
  });
  it('puts the wait in a 429 message', () => {
    assert.match(failureFromHttp(429, { message: 'Rate limit exceeded' }, { 'retry-after': '7' }).message, /7 s/);
  });
});

describe('statusOfErrorBody', () => {
  it('reads integer codes, numeric strings and error types', () => {
    assert.equal(statusOfErrorBody({ code: 429 }), 429);
    assert.equal(statusOfErrorBody({ code: '503' }), 503);
    assert.equal(statusOfErrorBody({ code: 'rate_limit', metadata: { error_type: 'rate_limit_exceeded' } }), 429);
    assert.equal(statusOfErrorBody({ code: 'weird' }), 502);
    assert.equal(statusOfErrorBody(undefined), 502);
  });
});

describe('reading the whole error (issue 11 §4)', () => {
  const inner =
    "This model's maximum context length is 16000 tokens. However, you requested 17165 tokens (16141 in the messages, 1024 in the completion). Please reduce the length of the messages or completion.";
  const vllm = JSON.stringify({ object: 'error', message: inner, type: 'BadRequestError', param: null, code: 400 });
  const variants: readonly [string, number, Record<string, unknown>][] = [
    [
      'a JSON document as error.message of a 502',
      502,
      { code: 502, message: vllm, metadata: { provider_name: 'DeepInfra' } },
    ],
    [
      'JSON after a prefix (ConnectionError: {…})',
      502,
      { code: 502, message: `ConnectionError: ${vllm}`, metadata: { provider_name: 'DeepInfra' } },
    ],
    [
      'metadata.raw as a JSON string',
      502,
      { code: 502, message: 'Provider returned error', metadata: { provider_name: 'Together', raw: vllm } },
    ],
    [
      'metadata.raw as an object',
      502,
      {
        code: 502,
        message: 'Provider returned error',
        metadata: { provider_name: 'Together', raw: { error: { message: inner, type: 'invalid_request_error' } } },
      },
    ],
    ['a nested error.error', 500, { code: 500, message: 'Upstream error', error: { error: { message: inner } } }],
    [
      'only a context_length_exceeded code deep inside',
      502,
      {
        code: 502,
        message: 'Provider returned error',
        metadata: {
          raw: JSON.stringify({ error: { code: 'context_length_exceeded', message: 'Input too long for this model' } }),
        },
      },
    ],
    [
      'a plain 400 (as before)',
      400,
      { code: 400, message: inner, metadata: { error_type: 'context_length_exceeded' } },
    ],
  ];
  for (const [what, status, body] of variants) {
    it(`a context overflow in ${what} is contextLength, not retried, with the inner sentence`, () => {
      const f = failureFromHttp(status, body);
      assert.equal(f.kind, 'contextLength');
      assert.equal(f.retryable, false);
      assert.doesNotMatch(f.message, /\{"object"|ConnectionError|Provider returned error/);
      if (JSON.stringify(body).includes('16000')) {
        assert.match(f.message, /^This model's maximum context length is 16000 tokens/);
        assert.match(f.message, /Cut about 1165 tokens/);
      }
    });
  }

  it('a wrapped error that is not an overflow still shows its inner sentence', () => {
    const f = failureFromHttp(502, {
      code: 502,
      message: 'Provider returned error',
      metadata: { raw: JSON.stringify({ error: { message: 'CUDA out of memory on worker 3' } }) },
    });
    assert.equal(f.kind, 'server');
    assert.match(f.message, /^CUDA out of memory on worker 3\./);
  });

  it('a free-models-per-day 429 with a reset hours ahead is not retried; the message names the limit and the local reset time', () => {
    const now = new Date(2026, 10, 29, 21, 15, 0).getTime();
    const reset = now + 6 * 3600_000;
    for (const headers of [{ 'X-RateLimit-Reset': String(reset) }, undefined]) {
      const metadata = headers
        ? {}
        : { headers: { 'X-RateLimit-Limit': '50', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(reset) } };
      const f = failureFromHttp(
        429,
        { code: 429, message: 'Rate limit exceeded: free-models-per-day', metadata },
        headers,
        false,
        now,
      );
      assert.equal(f.kind, 'rateLimit');
      assert.equal(f.retryable, false, 'not retried');
      assert.match(f.message, /free-models-per-day limit/);
      assert.match(f.message, /resets at 03:15, in 6 h/);
      assert.doesNotMatch(f.message, /Try again in \d+ s/);
    }
    const short = failureFromHttp(
      429,
      { code: 429, message: 'Rate limit exceeded' },
      { 'Retry-After': '2' },
      false,
      now,
    );
    assert.equal(short.retryable, true, 'a short limit is still retried');
    const noReset = failureFromHttp(
      429,
      { code: 429, message: 'Rate limit exceeded: free-models-per-day' },
      undefined,
      false,
      now,
    );
    assert.equal(noReset.retryable, false, 'a named daily limit without a reset time is not retried either');
  });
});
