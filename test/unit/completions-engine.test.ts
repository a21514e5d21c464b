import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openedBefore } from '../../src/completions/brackets';
import { CompletionCache, typedAhead } from '../../src/completions/cache';
import { AdaptiveDebounce } from '../../src/completions/debounce';
import { CompletionEngine, type CompletionContext, type EngineSettings } from '../../src/completions/engine';
import type { SendMiss, SendRequest, SendResult } from '../../src/completions/route';
import { budgetPause, figuresFor, type DailyFigures } from '../../src/completions/stats';

const SETTINGS: EngineSettings = { debounceMs: 100, maxLines: 8, dailyBudgetUsd: 1 };
const DOC = 'function total(items: Item[]): number {\n  return ';

const at = (typed = '', suffix = ';\n}\n'): CompletionContext => ({
  editorId: 'file:///a.ts',
  languageId: 'typescript',
  path: 'a.ts',
  prefix: DOC + typed,
  suffix,
  offset: DOC.length + typed.length,
});

interface Pending {
  readonly request: SendRequest;
  resolve(value: SendResult | SendMiss): void;
  /** Streams some text (the request's onText). */
  stream(raw: string): void;
}

function harness(figures0?: Partial<DailyFigures>) {
  let now = 0;
  let figures: DailyFigures = { day: 'd', shown: 0, accepted: 0, requests: 0, spendUsd: 0, ...figures0 };
  const pending: Pending[] = [];
  const sleeps: number[] = [];
  let ids = 0;
  const engine = new CompletionEngine(
    {
      now: () => now,
      sleep: async (ms, signal) => {
        sleeps.push(ms);
        await Promise.resolve();
        return !signal.aborted;
      },
      send: (request) =>
        new Promise((resolve) => {
          request.onSent?.({ keyId: 'k', body: { model: 'm' }, worstCaseUsd: 0.001 });
          const p: Pending = {
            request,
            resolve,
            stream: (raw) => request.onText?.(raw),
          };
          request.signal.addEventListener('abort', () =>
            resolve({ miss: 'aborted', detail: 'aborted', costUsd: 0.001 }),
          );
          pending.push(p);
        }),
      figures: () => figures,
      saveFigures: (f) => {
        figures = f;
      },
      newId: () => `s${++ids}`,
    },
    SETTINGS.debounceMs,
  );
  const tick = (ms: number): void => {
    now += ms;
  };
  const flush = async (): Promise<void> => {
    for (let i = 0; i < 10; i++) await Promise.resolve();
  };
  return { engine, pending, sleeps, tick, flush, figures: () => figures };
}

const ok = (text: string, costUsd = 0.0001): SendResult => ({ text, costUsd, model: 'm', cutEarly: false });

describe('CompletionEngine', () => {
  it('asks once after the debounce, then answers the same cursor from the cache', async () => {
    const h = harness();
    const first = h.engine.provide(at(), SETTINGS, new AbortController().signal);
    await h.flush();
    assert.equal(h.pending.length, 1);
    assert.deepEqual(h.sleeps, [100]);
    h.tick(120); // the model takes 120 ms: waiting, not the extension's own time
    h.pending[0]!.resolve(ok('items.length'));
    // A suggestion replaces the rest of the cursor's line: the `;` after the cursor is part of it.
    assert.deepEqual(await first, {
      kind: 'suggestion',
      id: 's1',
      text: 'items.length;',
      source: 'request',
      waited: { debounceMs: 0, modelMs: 120 },
    });
    const again = await h.engine.provide(at(), SETTINGS, new AbortController().signal);
    assert.deepEqual(again, { kind: 'suggestion', id: 's1', text: 'items.length;', source: 'cache' });
    assert.equal(h.pending.length, 1, 'no second request');
    assert.equal(h.figures().requests, 1);
    assert.equal(h.figures().spendUsd, 0.0001);
  });

  it('typed-ahead: typing the first characters of a shown suggestion shows the rest without a request', async () => {
    const h = harness();
    const first = h.engine.provide(at(), SETTINGS, new AbortController().signal);
    await h.flush();
    h.pending[0]!.resolve(ok('items.reduce((s, i) => s + i.price, 0)'));
    await first;
    h.engine.shown('s1');
    const typed = await h.engine.provide(at('items.re'), SETTINGS, new AbortController().signal);
    assert.deepEqual(typed, { kind: 'suggestion', id: 's1', text: 'duce((s, i) => s + i.price, 0);', source: 'cache' });
    h.engine.shown('s1');
    assert.equal(h.figures().shown, 1, 'a continuation is the same suggestion');
    assert.equal(h.pending.length, 1);
    // Typing something else is a new cursor: a new request.
    const other = h.engine.provide(at('items.x'), SETTINGS, new AbortController().signal);
    await h.flush();
    assert.equal(h.pending.length, 2);
    h.pending[1]!.resolve(ok('[0]'));
    assert.equal((await other).kind, 'suggestion');
  });

  it('typed-ahead on the request in flight: its streamed start matches what was typed, so it is awaited, not aborted', async () => {
    const h = harness();
    const editor1 = new AbortController();
    const first = h.engine.provide(at(), SETTINGS, editor1.signal);
    await h.flush();
    h.pending[0]!.stream('items.len');
    editor1.abort(); // the next keystroke cancels the editor's first call
    const second = h.engine.provide(at('it'), SETTINGS, new AbortController().signal);
    await h.flush();
    assert.equal(h.pending[0]!.request.signal.aborted, false, 'kept: it is streaming what the user types');
    h.tick(40);
    h.pending[0]!.resolve(ok('items.length'));
    assert.deepEqual(await second, {
      kind: 'suggestion',
      id: 's1',
      text: 'ems.length;',
      source: 'inflight',
      waited: { debounceMs: 0, modelMs: 40 },
    });
    assert.deepEqual(await first, { kind: 'none', reason: 'superseded' }, 'no stale suggestion for the old cursor');
    assert.equal(h.pending.length, 1);
  });

  it('the next keystroke aborts the request in flight when nothing matching has streamed, and asks again', async () => {
    const h = harness();
    const editor1 = new AbortController();
    const first = h.engine.provide(at(), SETTINGS, editor1.signal);
    await h.flush();
    editor1.abort();
    assert.equal(h.pending[0]!.request.signal.aborted, true, 'aborted on cancellation: nothing streamed');
    const second = h.engine.provide(at('x'), SETTINGS, new AbortController().signal);
    await h.flush();
    assert.equal(h.pending.length, 2);
    h.pending[1]!.resolve(ok('.count'));
    assert.deepEqual(await second, {
      kind: 'suggestion',
      id: 's2',
      text: '.count;',
      source: 'request',
      waited: { debounceMs: 0, modelMs: 0 },
    });
    assert.deepEqual(await first, { kind: 'none', reason: 'superseded' });
  });

  it('a keystroke that contradicts what is streaming aborts it', async () => {
    const h = harness();
    const editor1 = new AbortController();
    void h.engine.provide(at(), SETTINGS, editor1.signal);
    await h.flush();
    h.pending[0]!.stream('items.len');
    editor1.abort();
    void h.engine.provide(at('z'), SETTINGS, new AbortController().signal);
    await h.flush();
    assert.equal(h.pending[0]!.request.signal.aborted, true);
    assert.equal(h.pending.length, 2);
  });

  it('a keystroke during the debounce sends nothing for the old cursor', async () => {
    const h = harness();
    const editor1 = new AbortController();
    editor1.abort();
    const first = await h.engine.provide(at(), SETTINGS, editor1.signal);
    assert.deepEqual(first, { kind: 'none', reason: 'superseded' });
    assert.equal(h.pending.length, 0);
  });

  it('scans the document above the prefix once per burst, after the debounce; never for a cache hit', async () => {
    const h = harness();
    let scans = 0;
    // The text above the 12,000 characters read: a `describe(() => {` still open there.
    const above = `describe('t', () => {\n${'  it("x", () => 1);\n'.repeat(800)}`;
    const read = (from: number, to: number): string => (scans++, above.slice(from, to));
    const keystroke = (typed: string): CompletionContext => ({
      ...at(typed, '\n'),
      opened: () => openedBefore(above.length, read),
    });
    const results = [];
    let editor = new AbortController();
    for (const typed of ['', 'i', 'it', 'ite', 'item']) {
      editor.abort(); // VS Code cancels the previous call on the next keystroke
      editor = new AbortController();
      results.push(h.engine.provide(keystroke(typed), SETTINGS, editor.signal));
    }
    await h.flush();
    assert.equal(scans, 1, 'one scan for five keystrokes');
    assert.equal(h.pending.length, 1);
    h.pending[0]!.resolve(ok('s.length; } });'));
    const last = await results.at(-1)!;
    // The scan's open `describe(` lets the answer close it; without it the `});` is one too many.
    assert.deepEqual(last.kind === 'suggestion' && last.text, 's.length; } });');
    for (const r of results.slice(0, -1)) assert.deepEqual(await r, { kind: 'none', reason: 'superseded' });
    await h.engine.provide(keystroke('item'), SETTINGS, new AbortController().signal);
    assert.equal(scans, 1, 'the cached answer needs no scan');
  });

  it('pauses at the daily budget, and never sends a request whose worst case would cross it', async () => {
    const spent = harness({ spendUsd: 1 });
    assert.deepEqual(await spent.engine.provide(at(), SETTINGS, new AbortController().signal), {
      kind: 'none',
      reason: 'budget',
    });
    assert.equal(spent.pending.length, 0);
    assert.match(spent.engine.budgetPaused(1) ?? '', /daily budget/);

    const close = harness({ spendUsd: 0.9995 });
    const p = close.engine.provide(at(), SETTINGS, new AbortController().signal);
    await close.flush();
    assert.equal(close.pending[0]!.request.allow(0.001), false, 'the worst case $0.001 would cross $1');
    assert.equal(close.pending[0]!.request.allow(0.0001), true);
    close.pending[0]!.resolve({ miss: 'budget', detail: 'x', costUsd: 0 });
    assert.deepEqual(await p, { kind: 'none', reason: 'budget' });
    assert.match(
      close.engine.budgetPaused(1) ?? '',
      /could cost up to \$0\.001, over what is left of the \$1\.00 daily budget/,
      'paused (the status says so) while it does not fit',
    );
    assert.deepEqual(await close.engine.provide(at('x'), SETTINGS, new AbortController().signal), {
      kind: 'none',
      reason: 'budget',
    });
    assert.equal(close.pending.length, 1, 'nothing sent while paused');
    assert.equal(close.engine.budgetPaused(2), undefined, 'a raised budget lifts the pause');
  });

  it('counts requests, spend (aborted ones at their worst case), shown once, and accepted', async () => {
    const h = harness();
    const e1 = new AbortController();
    const p = h.engine.provide(at(), SETTINGS, e1.signal);
    await h.flush();
    e1.abort();
    await p;
    assert.equal(h.figures().requests, 1);
    assert.equal(h.figures().spendUsd, 0.001);
    h.engine.shown('a');
    h.engine.shown('a');
    h.engine.accepted('a');
    assert.deepEqual(
      { ...h.figures(), spendUsd: undefined },
      { day: 'd', shown: 1, accepted: 1, requests: 1, spendUsd: undefined },
    );
  });
});

describe('completion cache', () => {
  it('finds the rest of a suggestion only when its start was typed at the same place', () => {
    const cache = new CompletionCache(2);
    cache.put({ prefix: 'let a = ', suffix: '', offset: 8 }, { id: '1', text: 'foo(bar)' });
    assert.deepEqual(cache.get({ prefix: 'let a = fo', suffix: '', offset: 10 }), { id: '1', text: 'o(bar)' });
    assert.equal(
      cache.get({ prefix: 'let a = foo(bar)', suffix: '', offset: 16 }),
      undefined,
      'typed all of it: nothing left',
    );
    assert.equal(cache.get({ prefix: 'let a = fx', suffix: '', offset: 10 }), undefined);
    assert.equal(cache.get({ prefix: 'let a = fo', suffix: ';', offset: 10 }), undefined, 'another suffix');
    assert.equal(cache.get({ prefix: 'let b = fo', suffix: '', offset: 10 }), undefined, 'another line');
    // A prefix given as a tail of a long document (offset is absolute).
    assert.deepEqual(
      cache.get({ prefix: ' = fo', suffix: '', offset: 10 }),
      undefined,
      'too little text to check the place',
    );
    cache.put({ prefix: 'x', suffix: '', offset: 1 }, { id: '2', text: 'y' });
    cache.put({ prefix: 'z', suffix: '', offset: 1 }, { id: '3', text: 'w' });
    assert.equal(cache.length, 2, 'least recently made dropped');
    assert.equal(typedAhead('abc', 'abc'), undefined);
    assert.equal(typedAhead('abc', ''), 'abc');
  });
});

describe('adaptive debounce', () => {
  it('starts at the setting, follows a slow rhythm up to twice it, never below it', () => {
    const d = new AdaptiveDebounce(150);
    assert.equal(d.keystroke(0), 150);
    let t = 0;
    for (let i = 0; i < 20; i++) d.keystroke((t += 60));
    assert.equal(d.delayMs(), 150, 'fast typing: the setting');
    for (let i = 0; i < 20; i++) d.keystroke((t += 200));
    assert.ok(d.delayMs() > 250 && d.delayMs() <= 300, `slow typing: ${d.delayMs()}`);
    d.keystroke((t += 5000));
    assert.ok(d.delayMs() > 250, 'a long pause is not rhythm');
    for (let i = 0; i < 20; i++) d.keystroke((t += 900));
    assert.equal(d.delayMs(), 300, 'capped at twice the setting');
  });
});

describe('daily figures', () => {
  it('start from zero on a new day and ignore malformed values', () => {
    assert.deepEqual(figuresFor({ day: 'old', shown: 3 }, 'new'), {
      day: 'new',
      shown: 0,
      accepted: 0,
      requests: 0,
      spendUsd: 0,
    });
    assert.deepEqual(figuresFor({ day: 'd', shown: -1, accepted: 'x', requests: 2, spendUsd: 0.5 }, 'd'), {
      day: 'd',
      shown: 0,
      accepted: 0,
      requests: 2,
      spendUsd: 0.5,
    });
    assert.equal(figuresFor(null, 'd').spendUsd, 0);
    assert.equal(budgetPause(figuresFor({ day: 'd', spendUsd: 0.2 }, 'd'), 0.5), undefined);
  });
});
