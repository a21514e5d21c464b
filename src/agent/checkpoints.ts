/**
 * Checkpoints of a task: before a step writes, the prior content of every file it touches
 * (`null` = the file did not exist). Restoring step N returns every file touched at step N or
 * later to its state before step N. The store is capped in size (characters of saved content):
 * when a new checkpoint would cross the cap, the oldest steps are dropped (they can no longer be
 * restored, and say so). Plain data, so the host can keep it in workspace storage. Pure.
 */

/** One file's content before a step; `null` when the step created it. */
export interface FileBefore {
  readonly path: string;
  readonly content: string | null;
}

export interface Checkpoint {
  readonly stepId: string;
  readonly files: readonly FileBefore[];
}

/** The stored form (JSON-safe). */
export interface CheckpointData {
  readonly checkpoints: readonly Checkpoint[];
  /** Steps whose checkpoint was dropped by the cap. */
  readonly dropped: readonly string[];
}

/** Default cap: 8 MiB of characters in all. */
export const DEFAULT_CHECKPOINT_CAP = 8 * 1024 * 1024;

const sizeOf = (c: Checkpoint): number => c.files.reduce((n, f) => n + f.path.length + (f.content?.length ?? 0), 0);

export class Checkpoints {
  private checkpoints: Checkpoint[];
  private dropped: string[];

  constructor(
    data: CheckpointData = { checkpoints: [], dropped: [] },
    private readonly capChars = DEFAULT_CHECKPOINT_CAP,
  ) {
    this.checkpoints = [...data.checkpoints];
    this.dropped = [...data.dropped];
  }

  /**
   * Records the files before `stepId` writes them (a path already recorded for the same step
   * keeps its first content). False when this checkpoint alone is over the cap (nothing kept).
   */
  record(stepId: string, files: readonly FileBefore[]): boolean {
    const existing = this.checkpoints.find((c) => c.stepId === stepId);
    const merged: Checkpoint = existing
      ? { stepId, files: [...existing.files, ...files.filter((f) => !existing.files.some((e) => e.path === f.path))] }
      : { stepId, files: [...files] };
    if (sizeOf(merged) > this.capChars) {
      if (!existing) this.dropped.push(stepId);
      return false;
    }
    this.checkpoints = existing
      ? this.checkpoints.map((c) => (c.stepId === stepId ? merged : c))
      : [...this.checkpoints, merged];
    while (this.total() > this.capChars && this.checkpoints.length > 1) {
      const oldest = this.checkpoints.shift()!;
      this.dropped.push(oldest.stepId);
    }
    return true;
  }

  has(stepId: string): boolean {
    return this.checkpoints.some((c) => c.stepId === stepId);
  }

  /** Why `stepId` cannot be restored, or undefined when it can. */
  whyNot(stepId: string): string | undefined {
    if (this.has(stepId)) return undefined;
    if (this.dropped.includes(stepId)) return 'its checkpoint was dropped to keep checkpoints under their size cap';
    return 'this step wrote nothing';
  }

  /**
   * What to write to go back to before `stepId`: for each file touched at that step or later, its
   * content before the earliest of those steps (`null` = delete it). Undefined when `stepId`
   * has no checkpoint.
   */
  restorePlan(stepId: string): FileBefore[] | undefined {
    const at = this.checkpoints.findIndex((c) => c.stepId === stepId);
    if (at < 0) return undefined;
    const out = new Map<string, FileBefore>();
    for (const c of this.checkpoints.slice(at)) for (const f of c.files) if (!out.has(f.path)) out.set(f.path, f);
    return [...out.values()];
  }

  /** After a restore: the steps from `stepId` on are gone (their writes were undone). */
  forgetFrom(stepId: string): void {
    const at = this.checkpoints.findIndex((c) => c.stepId === stepId);
    if (at >= 0) this.checkpoints = this.checkpoints.slice(0, at);
  }

  total(): number {
    return this.checkpoints.reduce((n, c) => n + sizeOf(c), 0);
  }

  data(): CheckpointData {
    return { checkpoints: [...this.checkpoints], dropped: [...this.dropped] };
  }
}
