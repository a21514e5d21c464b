/**
 * CPU seconds of processes, read from /proc (Linux; elsewhere every figure is 0): what
 * test/e2e/cpuMeter.ts adds up per test file and tier.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's times (USER_HZ, 100 on Linux). */
const TICKS = 100;

export interface ProcStat {
  readonly pid: number;
  readonly ppid: number;
  readonly pgid: number;
  /** utime + stime + cutime + cstime, seconds: the process and the children it reaped. */
  readonly seconds: number;
  /** utime + stime, seconds: the process alone. */
  readonly own: number;
}

/** One process's figures; undefined when it is gone. */
export function readStat(pid: string): ProcStat | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const own = Number(f[11]) + Number(f[12]);
    const ticks = own + Number(f[13]) + Number(f[14]);
    return { pid: Number(pid), ppid: Number(f[1]), pgid: Number(f[2]), seconds: ticks / TICKS, own: own / TICKS };
  } catch {
    return undefined; // ended while we looked, or no /proc
  }
}

/** Every process's figures right now. */
export function allStats(): ProcStat[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return [];
  }
  return entries.flatMap((e) => readStat(e) ?? []);
}

/**
 * CPU seconds of process group `pgid` so far: its live processes and what they reaped. A process
 * that ended and was reaped counts through its parent, so nothing counts twice.
 */
export function groupCpuSeconds(pgid: number, stats: readonly ProcStat[] = allStats()): number {
  return stats.filter((s) => s.pgid === pgid).reduce((sum, s) => sum + s.seconds, 0);
}

/** CPU seconds of `root` and its live descendants so far (see {@link groupCpuSeconds}). */
export function treeCpuSeconds(root: number, stats: readonly ProcStat[] = allStats()): number {
  let total = 0;
  const todo = [root];
  while (todo.length > 0) {
    const pid = todo.pop()!;
    for (const s of stats) {
      if (s.pid === pid) total += s.seconds;
      if (s.ppid === pid) todo.push(s.pid);
    }
  }
  return total;
}

/**
 * CPU a process group used between samples, added up per process from each one's own time, so
 * a figure never goes down: a group's total (live members and what they reaped) drops when a
 * member ends unreaped by the group, which made the "lanes idle" line negative. A process that
 * ends between two samples loses at most its last interval.
 */
export class GroupDeltas {
  private readonly last = new Map<number, number>();

  /** CPU seconds group `pgid` used since the previous call for it (the first call: all so far). */
  delta(pgid: number, stats: readonly ProcStat[]): number {
    let sum = 0;
    for (const s of stats) {
      if (s.pgid !== pgid) continue;
      sum += Math.max(0, s.own - (this.last.get(s.pid) ?? 0));
      this.last.set(s.pid, s.own);
    }
    return sum;
  }
}
