import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isLoopbackHost, originOf, validateBaseUrl } from '../../src/openrouter/baseUrl';

describe('validateBaseUrl', () => {
  it('accepts https and strips the trailing slash', () => {
    assert.deepEqual(validateBaseUrl('https://openrouter.ai/api/v1/'), {
      ok: true,
      url: 'https://openrouter.ai/api/v1',
    });
  });
  it('accepts plain http only on loopback', () => {
    for (const url of [
      'http://127.0.0.1:8080/api/v1',
      'http://localhost:3000/api/v1',
      'http://[::1]:9/api/v1',
      'http://127.1.2.3/api/v1',
    ]) {
      assert.equal(validateBaseUrl(url).ok, true, url);
    }
    for (const url of [
      'http://openrouter.ai/api/v1',
      'http://10.0.0.5/api/v1',
      'http://192.168.1.2/api/v1',
      'http://localhost.evil.com/api/v1',
      'ftp://127.0.0.1/x',
    ]) {
      const result = validateBaseUrl(url);
      assert.equal(result.ok, false, url);
      if (!result.ok) assert.match(result.message, /https|URL/);
    }
  });
  it('explains empty, malformed and credential-bearing values', () => {
    const empty = validateBaseUrl('  ');
    assert.equal(empty.ok, false);
    const bad = validateBaseUrl('not a url');
    assert.ok(!bad.ok && bad.message.includes('not a URL'));
    const creds = validateBaseUrl('https://user:sk-or-v1-secret@openrouter.ai/api/v1');
    assert.ok(!creds.ok && !creds.message.includes('sk-or-v1-secret'));
    assert.equal(validateBaseUrl(42).ok, false);
  });
  it('drops query and hash', () => {
    assert.deepEqual(validateBaseUrl('https://gw.example.com/v1?x=1#y'), {
      ok: true,
      url: 'https://gw.example.com/v1',
    });
  });
  it('knows loopback hosts and origins', () => {
    assert.equal(isLoopbackHost('127.0.0.1'), true);
    assert.equal(isLoopbackHost('128.0.0.1'), false);
    assert.equal(originOf('https://openrouter.ai/api/v1'), 'https://openrouter.ai');
  });
});
