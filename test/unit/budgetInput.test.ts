import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseBudgetInput, withBudgetLimit } from '../../src/config/budgetInput';

describe('the budget form’s amounts', () => {
  it('reads non-negative USD amounts in the ways people type them', () => {
    const cases: [string, number][] = [
      ['0.5', 0.5],
      [' 2 ', 2],
      ['$2', 2],
      ['$ 0.25', 0.25],
      ['1,000.25', 1000.25],
      ['.75', 0.75],
      ['3.', 3],
      ['0', 0],
      ['10 USD', 10],
      ['10usd', 10],
    ];
    for (const [text, usd] of cases) assert.deepEqual(parseBudgetInput(text), { ok: true, usd }, text);
  });

  it('treats an empty box as "no limit"', () => {
    for (const text of ['', '   ', '$']) assert.deepEqual(parseBudgetInput(text), { ok: true, usd: undefined }, text);
  });

  it('refuses what is not an amount, with a message saying what is accepted', () => {
    for (const text of ['-1', 'abc', '1e3', '0x10', '1.2.3', '1,00', 'NaN', 'Infinity', '2 dollars', '１']) {
      const r = parseBudgetInput(text);
      assert.equal(r.ok, false, text);
      if (!r.ok) assert.match(r.error, /USD|too large/, text);
    }
    assert.deepEqual(parseBudgetInput('99999999999'), { ok: false, error: 'That amount is too large.' });
  });

  it('sets or removes one limit and keeps the others', () => {
    assert.deepEqual(withBudgetLimit(undefined, 'perRequestUsd', 0.1), { perRequestUsd: 0.1 });
    assert.deepEqual(withBudgetLimit({ perDayUsd: 1 }, 'perRequestUsd', 0.1), { perDayUsd: 1, perRequestUsd: 0.1 });
    assert.deepEqual(withBudgetLimit({ perDayUsd: 1, perRequestUsd: 0.1 }, 'perRequestUsd', undefined), {
      perDayUsd: 1,
    });
    assert.equal(withBudgetLimit({ perRequestUsd: 0.1 }, 'perRequestUsd', undefined), undefined);
    const current = { perMonthUsd: 5 };
    withBudgetLimit(current, 'perMonthUsd', 9);
    assert.deepEqual(current, { perMonthUsd: 5 }, 'the current value is not changed in place');
  });
});
