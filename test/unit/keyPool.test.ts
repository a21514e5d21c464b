import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KEY_COOLDOWN_MS, KeyPool, cooldownFor, describeHealth, uniqueLabel } from '../../src/account/keyPool';
import { networkFailure, type Failure } from '../../src/openrouter/failures';
import { failureFromHttp } from '../../src/openrouter/httpFailures';
import { maskKey } from '../../src/openrouter/secrets';

const A = { id: 'a', label: 'Work' };
const B = { id: 'b', label: 'Personal' };
const C = { id: 'c', label: 'CI' };
const T0 = 5_000_000;
const ids = (pool: KeyPool, now = T0): string[] => pool.order(now).map((k) => k.id);
const fail = (f: Failure) => ({ ok: false as const, failure: f });
const OK = { ok: true as const };

describe('key pool order', () => {
  it('failover keeps the stored order while every key is healthy', () => {
    const pool = new KeyPool('failover');
    pool.setKeys([A, B, C]);
    pool.report('a', OK, T0);
    pool.report('b', OK, T0);
    assert.deepEqual(ids(pool), ['a', 'b', 'c']);
  });

  it('round-robin starts each request after the key used last', () => {
    const pool = new KeyPool('roundRobin');
    pool.setKeys([A, B, C]);
    assert.deepEqual(ids(pool), ['a', 'b', 'c']);
    pool.report('a', OK, T0);
    assert.deepEqual(ids(pool), ['b', 'c', 'a']);
    pool.report('b', OK, T0);
    assert.deepEqual(ids(pool), ['c', 'a', 'b']);
    pool.report('c', OK, T0);
    assert.deepEqual(ids(pool), ['a', 'b', 'c']);
    // Asking for the order (Explain Route, endpoint fetches) does not advance it.
    assert.deepEqual(ids(pool), ['a', 'b', 'c']);
  });

  it('puts a cooling key last, and brings it back once its cooldown ends', () => {
    const pool = new KeyPool('failover');
    pool.setKeys([A, B, C]);
    pool.report('a', fail(failureFromHttp(401, { message: 'User not found.' })), T0);
    assert.deepEqual(ids(pool), ['b', 'c', 'a']);
    assert.deepEqual(ids(pool, T0 + KEY_COOLDOWN_MS.auth - 1), ['b', 'c', 'a']);
    assert.deepEqual(ids(pool, T0 + KEY_COOLDOWN_MS.auth), ['a', 'b', 'c'], 'retried after the cooldown');
  });

  it('orders several cooling keys by the end of their cooldown, and never drops them', () => {
    const pool = new KeyPool('failover');
    pool.setKeys([A, B]);
    pool.report('a', fail(failureFromHttp(402, { message: 'Insufficient credits' })), T0);
    pool.report('b', fail(failureFromHttp(429, { message: 'Rate limit exceeded' }, { 'retry-after': '20' })), T0);
    assert.deepEqual(ids(pool), ['b', 'a']);
    assert.deepEqual(ids(pool, T0 + 20_000), ['b', 'a'], 'b is ready again, a still cools');
  });

  it('round-robin skips a cooling key', () => {
    const pool = new KeyPool('roundRobin');
    pool.setKeys([A, B, C]);
    pool.report('a', OK, T0);
    pool.report('b', fail(failureFromHttp(401, {})), T0);
    // b was used last: start after it, and b (cooling) goes last.
    assert.deepEqual(ids(pool), ['c', 'a', 'b']);
  });
});

describe('key health', () => {
  it('counts successes and key failures, keeps the last error, and a success ends the cooldown', () => {
    const pool = new KeyPool();
    pool.setKeys([A]);
    pool.report('a', OK, T0);
    pool.report('a', fail(failureFromHttp(402, { message: 'Insufficient credits' })), T0 + 1);
    let h = pool.health('a');
    assert.equal(h.successes, 1);
    assert.equal(h.failures, 1);
    assert.match(h.lastError ?? '', /Out of credits: Insufficient credits/);
    assert.equal(h.coolingUntil, T0 + 1 + KEY_COOLDOWN_MS.credits);
    assert.equal(pool.isCooling('a', T0 + 2), true);
    pool.report('a', OK, T0 + 3);
    h = pool.health('a');
    assert.equal(h.successes, 2);
    assert.equal(h.coolingUntil, undefined);
    assert.equal(pool.isCooling('a', T0 + 4), false);
    assert.match(h.lastError ?? '', /Insufficient/, 'the last error stays visible');
  });

  it('cools a rate-limited key until its Retry-After, and for 15 s without one', () => {
    assert.equal(cooldownFor(failureFromHttp(429, {}, { 'Retry-After': '7' })), 7_000);
    assert.equal(cooldownFor(failureFromHttp(429, {})), KEY_COOLDOWN_MS.rateLimit);
  });

  it('leaves key health alone on failures that are not the key’s (server, network, timeout)', () => {
    const pool = new KeyPool();
    pool.setKeys([A, B]);
    pool.report('a', fail(failureFromHttp(502, {})), T0);
    pool.report('a', fail(networkFailure('ECONNREFUSED', 'http://x')), T0);
    assert.deepEqual(pool.health('a'), { successes: 0, failures: 0 });
    assert.deepEqual(ids(pool), ['a', 'b']);
  });

  it('forgets removed keys and ignores reports of unknown ones', () => {
    const pool = new KeyPool();
    pool.setKeys([A, B]);
    pool.report('a', fail(failureFromHttp(401, {})), T0);
    pool.report('zzz', OK, T0);
    pool.setKeys([B]);
    pool.setKeys([A, B]);
    assert.deepEqual(pool.health('a'), { successes: 0, failures: 0 });
  });

  it('describes health in words', () => {
    assert.equal(describeHealth({ successes: 0, failures: 0 }, T0), 'not used yet');
    assert.equal(describeHealth({ successes: 3, failures: 0 }, T0), '3 ok · healthy');
    assert.equal(
      describeHealth({ successes: 3, failures: 1, coolingUntil: T0 + 240_000 }, T0),
      '3 ok · 1 failed · cooling 4 min',
    );
  });
});

describe('key labels and masking', () => {
  it('masks keys as sk-or-v1-abc…xyz, never revealing more', () => {
    const key = 'sk-or-v1-abcdef0123456789abcdef0123456789xyz';
    assert.equal(maskKey(key), 'sk-or-v1-abc…xyz');
    assert.equal(maskKey(`  ${key}\n`), 'sk-or-v1-abc…xyz', 'trimmed');
    assert.equal(maskKey('short'), '…');
  });

  it('makes labels unique', () => {
    assert.equal(uniqueLabel('Work', ['API key']), 'Work');
    assert.equal(uniqueLabel('Work', ['Work', 'Work (2)']), 'Work (3)');
    assert.equal(uniqueLabel('  ', []), 'API key');
  });
});
