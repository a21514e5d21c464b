import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatCpuFigures, type CpuFigures } from '../e2e/cpuMeter';
import { GroupDeltas, groupCpuSeconds, treeCpuSeconds, type ProcStat } from '../e2e/harness/cpu';

const figures: CpuFigures = {
  self: {
    'test/e2e/chat.test.ts': 3,
    'test/e2e/smoke.test.ts': 2,
    'test/unit/all.mts': 40,
    'test/webview/webview.test.ts': 30,
    'test/static/static.test.ts': 20,
  },
  lane: { 'test/e2e/chat.test.ts': 12, 'test/e2e/smoke.test.ts': 4 },
  drawn: { 'test/e2e/chat.test.ts': 6, 'test/e2e/smoke.test.ts': 1 },
  lanesIdle: 1,
  sharedChromium: 90,
  runner: 2,
};

describe('the run CPU lines', () => {
  it("sum each tier (a file, its lane and its lane's Chromium) and list e2e files by cost, the biggest first", () => {
    const text = formatCpuFigures(figures);
    assert.match(text, /e2e: 28 s \(2 file\(s\), code-server 16 s, lane Chromium 7 s\)/);
    assert.match(text, /unit: 40 s \(1 file\(s\)\)/);
    assert.match(text, /webview: 30 s/);
    assert.match(text, /static: 20 s/);
    assert.match(text, /faults: 0 s \(0 file\(s\)\)/);
    assert.match(text, /shared Chromium 90 s/);
    assert.ok(text.indexOf('chat.test.ts: 21.0 s') < text.indexOf('smoke.test.ts: 7.0 s'), text);
    assert.match(
      text,
      /chat\.test\.ts: 21\.0 s \(its process and children 3\.0, code-server 12\.0, lane Chromium 6\.0\)/,
    );
  });
});

describe('CPU of a process tree and group', () => {
  const stats: ProcStat[] = [
    { pid: 10, ppid: 1, pgid: 10, seconds: 1, own: 1 },
    { pid: 11, ppid: 10, pgid: 10, seconds: 2, own: 2 },
    { pid: 12, ppid: 11, pgid: 12, seconds: 4, own: 4 },
    { pid: 20, ppid: 1, pgid: 20, seconds: 8, own: 8 },
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

describe('CPU a group used between samples', () => {
  const proc = (pid: number, pgid: number, own: number, reaped = 0): ProcStat => ({
    pid,
    ppid: 1,
    pgid,
    own,
    seconds: own + reaped,
  });
  it("adds each member's own time since the last sample, new members whole", () => {
    const d = new GroupDeltas();
    assert.equal(d.delta(10, [proc(10, 10, 2), proc(11, 10, 3), proc(20, 20, 9)]), 5);
    assert.equal(d.delta(10, [proc(10, 10, 2.5), proc(11, 10, 4), proc(12, 10, 1)]), 2.5);
  });
  it('never goes below zero when a member ends, reaped by the group or not', () => {
    const d = new GroupDeltas();
    d.delta(10, [proc(10, 10, 1), proc(11, 10, 30), proc(12, 10, 5)]);
    // 11 ended and nobody in the group reaped it (the old group total fell by 30: a negative "lanes idle")
    assert.equal(d.delta(10, [proc(10, 10, 1.5), proc(12, 10, 5)]), 0.5);
    // 12 ended and 10 reaped it: its time shows in 10's children's time, which is not counted again
    assert.equal(d.delta(10, [proc(10, 10, 2, 5)]), 0.5);
  });
  it('keeps groups apart', () => {
    const d = new GroupDeltas();
    const stats = [proc(10, 10, 2), proc(20, 20, 7)];
    assert.equal(d.delta(10, stats), 2);
    assert.equal(d.delta(20, stats), 7);
    assert.equal(d.delta(20, stats), 0);
  });
});
