import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isE2eFile, longestFirst, planRun, UNKNOWN_SECONDS } from '../e2e/schedule';

describe('test run schedule', () => {
  const durations = { 'test/e2e/chat.test.ts': 100, 'test/unit/all.mts': 60, 'test/e2e/smoke.test.ts': 12 };

  it('starts the longest files first, unknown ones as if they took a minute, ties in the given order', () => {
    const files = ['test/e2e/smoke.test.ts', 'test/e2e/new.test.ts', 'test/unit/all.mts', 'test/e2e/chat.test.ts'];
    assert.deepEqual(longestFirst(files, durations), [
      'test/e2e/chat.test.ts',
      'test/e2e/new.test.ts',
      'test/unit/all.mts',
      'test/e2e/smoke.test.ts',
    ]);
    assert.equal(UNKNOWN_SECONDS, 60);
    assert.deepEqual(longestFirst(['b', 'a'], { a: Number.NaN }), ['b', 'a']);
  });

  it('knows which files drive VS Code', () => {
    assert.ok(isE2eFile('test/e2e/chat.test.ts'));
    assert.ok(isE2eFile('/work/x/test/e2e/chat.test.ts'));
    for (const f of [
      'test/unit/all.mts',
      'test/e2e/run.ts',
      'test/webview/webview.test.ts',
      'test/e2e/harness/a.test.ts',
    ])
      assert.ok(!isE2eFile(f), f);
  });

  it('starts no more code-servers than there are e2e files, and at least one when there is one', () => {
    const defaults = { lanes: 3, extra: 1 };
    assert.equal(planRun(['test/unit/all.mts'], defaults, durations).lanes, 0);
    const one = planRun(['test/unit/all.mts', 'test/e2e/smoke.test.ts'], defaults, durations);
    assert.equal(one.lanes, 1);
    assert.equal(one.concurrency, 2);
    assert.equal(planRun(['test/e2e/smoke.test.ts', '--lanes=0'], defaults, durations).lanes, 1);
    const many = ['test/e2e/a.test.ts', 'test/e2e/b.test.ts', 'test/e2e/c.test.ts', 'test/e2e/d.test.ts'];
    assert.equal(planRun(many, defaults, durations).lanes, 3);
    assert.equal(planRun([...many, '--lanes=2', '--extra=0'], defaults, durations).concurrency, 2);
  });

  it('passes name patterns and --test-only on, and refuses what it does not know with a clear message', () => {
    const plan = planRun(
      ['--test-name-pattern=key', 'test/e2e/keys.test.ts', '--test-name-pattern=pool', '--test-only'],
      { lanes: 2, extra: 1 },
      durations,
    );
    assert.deepEqual(plan.testNamePatterns, ['key', 'pool']);
    assert.equal(plan.only, true);
    assert.deepEqual(plan.files, ['test/e2e/keys.test.ts']);
    assert.throws(
      () => planRun(['--lanes=two'], { lanes: 2, extra: 1 }, {}),
      /--lanes must be a whole number, got two/,
    );
    assert.throws(() => planRun(['--extra=-1'], { lanes: 2, extra: 1 }, {}), /--extra must be a whole number/);
    assert.throws(
      () => planRun(['--test-reporter=tap'], { lanes: 2, extra: 1 }, {}),
      /unknown option\(s\): --test-reporter=tap/,
    );
  });
});
