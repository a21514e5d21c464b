/** The key's source: the environment's key only after acceptance (per key), and one line naming who pays. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { environmentKeyUsable, keyFingerprint, paidByLine } from '../../src/account/keySource';

const KEY = 'sk-or-v1-0123456789abcdef0123456789abcdef';

describe('environmentKeyUsable', () => {
  it('asks by default: usable only once this very key was accepted', () => {
    assert.equal(environmentKeyUsable(KEY, 'ask', []), false);
    assert.equal(environmentKeyUsable(KEY, 'ask', [keyFingerprint(KEY)]), true);
    assert.equal(
      environmentKeyUsable(`${KEY}x`, 'ask', [keyFingerprint(KEY)]),
      false,
      'another environment, another key: ask again',
    );
    assert.equal(
      environmentKeyUsable(`  ${KEY}\n`, 'ask', [keyFingerprint(KEY)]),
      true,
      'whitespace around it does not matter',
    );
  });
  it('"use" and "ignore" are the user\'s standing answers', () => {
    assert.equal(environmentKeyUsable(KEY, 'use', []), true);
    assert.equal(environmentKeyUsable(KEY, 'ignore', [keyFingerprint(KEY)]), false);
  });
  it('no key, no use', () => {
    for (const k of [undefined, '', '   ']) assert.equal(environmentKeyUsable(k, 'use', []), false);
  });
  it('the fingerprint is not the key', () => {
    assert.match(keyFingerprint(KEY), /^[0-9a-f]{16}$/);
    assert.ok(!KEY.includes(keyFingerprint(KEY)));
  });
});

describe('paidByLine', () => {
  for (const [first, size, expected] of [
    [{ label: 'API key', source: 'secretStorage' }, 1, 'Key: "API key" (stored)'],
    [{ label: 'Work', source: 'secretStorage' }, 3, 'Key: "Work" (pool, first of 3, failover)'],
    [{ label: 'OPENROUTER_API_KEY', source: 'environment' }, 1, 'Key: OPENROUTER_API_KEY (environment)'],
    [{ label: 'evil\nline', source: 'secretStorage' }, 1, 'Key: "evil line" (stored)'],
    [undefined, 0, 'No key in use'],
  ] as const) {
    it(expected, () => assert.equal(paidByLine(first, size, 'failover'), expected));
  }
  it('says when the environment key waits for a yes', () =>
    assert.match(paidByLine(undefined, 0, 'failover', true), /not accepted yet/));
});
