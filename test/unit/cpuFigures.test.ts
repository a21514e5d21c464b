import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatCpuFigures, type CpuFigures } from '../e2e/cpuMeter';
import { groupCpuSeconds, treeCpuSeconds, type ProcStat } from '../e2e/harness/cpu';

const figures: CpuFigures = {
  self: {
    'test/e2e/chat.test.ts': 3,
    'test/e2e/smoke.test.ts': 2,
    'test/unit/all.mts': 40,
    'test/webview/webview.test.ts': 30,
    'test/static/static.test.ts': 20,
  },
  lane: { 'test/e2e/chat.test.ts': 12, 'test/e2e/smoke.test.ts': 4 },
  lanesIdle: 1,
  sharedChromium: 90,
  runner: 2,
};

describe('the run CPU lines', () => {
  it('sum each tier (a file and its lane) and list e2e files by cost, the biggest first', () => {
    const text = formatCpuFigures(figures);
    assert.match(text, /e2e: 21 s \(2 file\(s\), code-server 16 s\)/);
    assert.match(text, /unit: 40 s \(1 file\(s\)\)/);
    assert.match(text, /webview: 30 s/);
    assert.match(text, /static: 20 s/);
    assert.match(text, /faults: 0 s \(0 file\(s\)\)/);
    assert.match(text, /shared Chromium 90 s/);
    assert.ok(text.indexOf('chat.test.ts: 15.0 s') < text.indexOf('smoke.test.ts: 6.0 s'), text);
  });
});

describe('CPU of a process tree and group', () => {
  const stats: ProcStat[] = [
    { pid: 10, ppid: 1, pgid: 10, seconds: 1 },
    { pid: 11, ppid: 10, pgid: 10, seconds: 2 },
    { pid: 12, ppid: 11, pgid: 12, seconds: 4 },
    { pid: 20, ppid: 1, pgid: 20, seconds: 8 },
  ];
  it('a tree counts its live descendants, whatever their group', () => {
    assert.equal(treeCpuSeconds(10, stats), 7);
    assert.equal(treeCpuSeconds(11, stats), 6);
    assert.equal(treeCpuSeconds(99, stats), 0);
  });
  it('a group counts its members only', () => {
    assert.equal(groupCpuSeconds(10, stats), 3);
    assert.equal(groupCpuSeconds(20, stats), 8);
  });
});
