/**
 * Pattern matching for the JavaScript search fallback, off the extension host's thread: a model's
 * regular expression or glob can backtrack catastrophically (`(a+)+$`), and a JavaScript regex
 * cannot be interrupted. So the patterns run in a worker thread, and a deadline (or the task's
 * stop) terminates the worker — the host's event loop never waits on a match. Node only.
 */
import { Worker } from 'node:worker_threads';

/** Plain CommonJS run by the worker (`eval`, so the bundle needs no second entry point). */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const line = workerData.isRegex ? new RegExp(workerData.query) : undefined;
const glob = workerData.glob ? new RegExp(workerData.glob) : undefined;
const lineMatches = (text) => (line ? line.test(text) : text.includes(workerData.query));
parentPort.on('message', (m) => {
  if (m.kind === 'paths') {
    parentPort.postMessage(m.paths.filter((p) => !glob || glob.test(p) || glob.test(p.slice(p.lastIndexOf('/') + 1))));
    return;
  }
  const lines = m.text.split(/\\r?\\n/);
  const hits = [];
  for (let i = 0; i < lines.length && hits.length < m.max; i++) if (lineMatches(lines[i])) hits.push(i);
  parentPort.postMessage(hits);
});
`;

export interface MatcherPatterns {
  /** The text to find: a literal, or a JavaScript regular expression's source when `isRegex`. */
  readonly query: string;
  readonly isRegex: boolean;
  /** A RegExp source every path (or its base name) must match, when given. */
  readonly glob?: string;
}

/** Why matching ended early: the deadline passed, or the caller stopped it. */
export class MatchStopped extends Error {
  constructor(readonly why: 'deadline' | 'aborted') {
    super(why === 'deadline' ? 'the search ran out of time' : 'the search was stopped');
  }
}

/**
 * One worker for one search. Every call waits for the worker's answer or the deadline (absolute,
 * `Date.now()` based) or `signal`, whichever comes first; after a deadline or an abort the worker
 * is gone and every later call throws {@link MatchStopped}. Call {@link close} when done.
 */
export class BoundedMatcher {
  private readonly worker: Worker;
  private stopped: MatchStopped | undefined;
  private failed: Error | undefined;

  constructor(
    patterns: MatcherPatterns,
    private readonly deadline: number,
    private readonly signal?: AbortSignal,
  ) {
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { ...patterns },
      resourceLimits: { maxOldGenerationSizeMb: 256 },
    });
    this.worker.unref();
    this.worker.on('error', (error) => (this.failed = error));
  }

  /** The paths whose path or base name matches the glob (all of them without one). */
  paths(paths: readonly string[]): Promise<string[]> {
    return this.ask<string[]>({ kind: 'paths', paths });
  }

  /** 0-based indexes of the lines of `text` that match, at most `max`. */
  lines(text: string, max: number): Promise<number[]> {
    return this.ask<number[]>({ kind: 'text', text, max });
  }

  close(): void {
    void this.worker.terminate();
  }

  private ask<T>(message: unknown): Promise<T> {
    if (this.stopped) return Promise.reject(this.stopped);
    if (this.failed) return Promise.reject(this.failed);
    return new Promise<T>((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        this.signal?.removeEventListener('abort', onAbort);
        this.worker.off('message', onMessage);
        this.worker.off('error', onError);
      };
      const stop = (why: 'deadline' | 'aborted'): void => {
        done();
        this.stopped = new MatchStopped(why);
        void this.worker.terminate();
        reject(this.stopped);
      };
      const onMessage = (value: T): void => {
        done();
        resolve(value);
      };
      const onError = (error: Error): void => {
        done();
        reject(error);
      };
      const onAbort = (): void => stop('aborted');
      const timer = setTimeout(() => stop('deadline'), Math.max(0, this.deadline - Date.now()));
      if (this.signal?.aborted) return stop('aborted');
      this.signal?.addEventListener('abort', onAbort, { once: true });
      this.worker.on('message', onMessage);
      this.worker.on('error', onError);
      this.worker.postMessage(message);
    });
  }
}
