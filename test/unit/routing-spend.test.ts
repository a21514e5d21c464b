import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addSpend, calendarKeys, spendNow } from '../../src/routing/spend';

describe('spend ledger', () => {
  const nov23 = { day: '2026-11-23', month: '2026-11' };
  const nov24 = { day: '2026-11-24', month: '2026-11' };
  const dec1 = { day: '2026-12-01', month: '2026-12' };
  it('adds up within a day and a month, and rolls over', () => {
    let ledger = addSpend(undefined, 0.5, nov23);
    ledger = addSpend(ledger, 0.25, nov23);
    assert.deepEqual(spendNow(ledger, nov23), { todayUsd: 0.75, monthUsd: 0.75 });
    ledger = addSpend(ledger, 1, nov24);
    assert.deepEqual(spendNow(ledger, nov24), { todayUsd: 1, monthUsd: 1.75 });
    assert.deepEqual(spendNow(ledger, dec1), { todayUsd: 0, monthUsd: 0 });
  });
  it('ignores costs that are not a real amount', () => {
    assert.deepEqual(spendNow(addSpend(undefined, Number.NaN, nov23), nov23), { todayUsd: 0, monthUsd: 0 });
    assert.deepEqual(spendNow(addSpend(undefined, -1, nov23), nov23), { todayUsd: 0, monthUsd: 0 });
  });
  it('uses the local calendar', () => {
    assert.deepEqual(calendarKeys(new Date(2026, 0, 5, 23, 59)), { day: '2026-01-05', month: '2026-01' });
  });
});
