/** The one way amounts and durations are written (src/protocol/units.ts), host and webview alike. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDuration, formatUsd } from '../../src/protocol/units';

describe('formatUsd', () => {
  it('writes cents above a dollar, four decimals below, six below a cent', () => {
    const cases: [number, string][] = [
      [0, '$0.00'],
      [100, '$100.00'],
      [74.5, '$74.50'],
      [1.2, '$1.20'],
      [0.5, '$0.50'],
      [0.0123456, '$0.0123'],
      [0.0012, '$0.0012'],
      [0.000123, '$0.000123'],
      [0.0000004, '<$0.000001'],
    ];
    for (const [usd, text] of cases) assert.equal(formatUsd(usd), text, `${usd}`);
  });

  it('writes nothing for a negative or non-finite amount', () => {
    for (const bad of [-0.01, Number.NaN, Number.POSITIVE_INFINITY]) assert.equal(formatUsd(bad), '');
  });
});

describe('formatDuration', () => {
  it('is as precise as useful, from milliseconds to hours', () => {
    const cases: [number, string][] = [
      [420, '420 ms'],
      [1430, '1.4 s'],
      [45_000, '45 s'],
      [59_400, '59 s'],
      [90_000, '2 min'],
      [30 * 60_000 - 2000, '30 min'],
      [119 * 60_000, '119 min'],
      [2 * 3_600_000, '2 h'],
    ];
    for (const [ms, text] of cases) assert.equal(formatDuration(ms), text, `${ms} ms`);
  });
});
