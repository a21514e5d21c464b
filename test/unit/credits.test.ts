import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { creditsSummary, keyCreditsLine } from '../../src/account/credits';
import { parseKeyInfo } from '../../src/openrouter/keyInfo';
import type { KeyInfo } from '../../src/openrouter/wire';

// What the fake OpenRouter's GET /key answers by default.
const FAKE: KeyInfo = parseKeyInfo({
  data: {
    label: 'sk-or-v1-abc...xyz',
    limit: 100,
    limit_remaining: 74.5,
    usage: 25.5,
    usage_daily: 25.5,
    usage_weekly: 25.5,
    usage_monthly: 25.5,
    is_free_tier: false,
  },
})!;

describe('credits in words', () => {
  it('one key: what is left and what today cost', () => {
    assert.equal(creditsSummary([{ label: 'API key', info: FAKE }]), '$74.50 of $100.00 left · today $25.50');
    assert.equal(
      keyCreditsLine({ label: 'API key', info: FAKE }),
      'API key: $74.50 of $100.00 left · today $25.50 · week $25.50 · month $25.50',
    );
  });

  it('a key without a limit, on the free tier', () => {
    const info = parseKeyInfo({ data: { limit: null, usage: 0.5, is_free_tier: true } })!;
    assert.equal(creditsSummary([{ label: 'k', info }]), '$0.50 used, no limit (free tier)');
  });

  it('several keys: the count, money left on limited keys, and the unknown ones', () => {
    const unlimited = parseKeyInfo({ data: { limit: null, usage: 3, usage_daily: 1 } })!;
    assert.equal(
      creditsSummary([
        { label: 'a', info: FAKE },
        { label: 'b', info: unlimited },
        { label: 'c', error: 'OpenRouter did not accept the API key' },
      ]),
      '3 keys · $74.50 of $100.00 left · 1 without limit · today $26.50 · 1 unknown',
    );
    assert.equal(keyCreditsLine({ label: 'c', error: 'offline' }), 'c: credits unknown (offline)');
  });

  it('nothing known yet: nothing to say', () => {
    assert.equal(creditsSummary([]), '');
    assert.equal(creditsSummary([{ label: 'a' }]), '');
  });
});
