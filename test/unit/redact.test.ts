import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { maskKey, redactSecrets } from '../../src/openrouter/redact';

describe('redactSecrets', () => {
  it('removes OpenRouter keys, generic keys and bearer tokens', () => {
    const text = 'key sk-or-v1-0123456789abcdef0123 and sk-proj-ABCDEFGHIJKLMNOPQRST and Authorization: Bearer abc.def-ghi_jkl';
    const out = redactSecrets(text);
    assert.doesNotMatch(out, /0123456789abcdef/);
    assert.doesNotMatch(out, /ABCDEFGHIJKLMNOP/);
    assert.doesNotMatch(out, /abc\.def-ghi_jkl/);
    assert.match(out, /Bearer \[redacted\]/);
  });
  it('removes known secrets verbatim whatever their shape', () => {
    assert.equal(redactSecrets('my key is hunter2hunter2!', ['hunter2hunter2']), 'my key is [redacted]!');
  });
  it('leaves ordinary text alone', () => {
    assert.equal(redactSecrets('Rate limit exceeded: free-models-per-day'), 'Rate limit exceeded: free-models-per-day');
  });
});

describe('maskKey', () => {
  it('shows only a recognisable head and tail', () => {
    assert.equal(maskKey('sk-or-v1-abcdef0123456789xyz'), 'sk-or-v1-abc…xyz');
    assert.equal(maskKey('short'), '…');
  });
});
