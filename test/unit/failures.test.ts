import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { failureFromHttp, retryAfterMs, statusOfErrorBody } from '../../src/openrouter/failures';

describe('failureFromHttp', () => {
  const cases: [number, object | undefined, string, string | undefined][] = [
    [401, { code: 401, message: 'User not found.' }, 'auth', 'switchyard.setApiKey'],
    [402, { code: 402, message: 'This request requires more credits, or fewer max_tokens.' }, 'credits', 'switchyard.openCredits'],
    [403, { code: 403, message: 'flagged', metadata: { reasons: ['misc'], flagged_input: 'x' } }, 'moderation', 'switchyard.pickModel'],
    [403, { code: 403, message: 'nope' }, 'forbidden', 'switchyard.showLog'],
    [404, { code: 404, message: 'No endpoints found that support tool use' }, 'noEndpoints', 'switchyard.pickModel'],
    [400, { code: 400, message: 'too long', metadata: { error_type: 'context_length_exceeded' } }, 'contextLength', 'switchyard.pickModel'],
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
    assert.equal(failureFromHttp(401, { message: 'User not found.' }).message, 'User not found. Set a valid key to continue.');
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
    const metadata = { headers: { 'X-RateLimit-Limit': '50', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(now + 600_000) } };
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
