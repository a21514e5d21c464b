/**
 * Tool calls whose arguments a provider re-sends in full in every chunk (DeepSeek, Qianfan behind
 * OpenAI-compatible APIs), assembled by src/turn/deltas.ts with src/turn/callArguments.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ToolCallAssembler, type ToolCallDelta } from '../../src/turn/deltas';

/** A chunk as the stream carries it: `choices[0].delta.tool_calls`. */
type Chunk = { choices: { delta: { tool_calls?: ToolCallDelta[] } }[] };

function assemble(chunks: readonly Chunk[]) {
  const a = new ToolCallAssembler();
  for (const c of chunks) for (const choice of c.choices) a.push(choice.delta.tool_calls);
  return a.finish();
}

describe('providers that re-send the arguments so far in every chunk (DeepSeek, Qianfan: cumulative deltas)', () => {
  const one = (...deltas: ToolCallDelta[]): Chunk => ({ choices: [{ delta: { tool_calls: deltas } }] });
  const piece = (args: string, extra: Partial<ToolCallDelta> = {}): ToolCallDelta => ({
    ...extra,
    function: { ...(extra.function ?? {}), arguments: args },
  });
  const cumulative = (whole: string, cuts: readonly number[]) => [...cuts, whole.length].map((n) => whole.slice(0, n));
  const args = '{"path":"src/a.ts","text":"x = {\\"a\\": 1}"}';

  it('reads them as the arguments so far, from the first chunk, with or without index, ids and names', () => {
    const variants: [string, (p: string, first: boolean) => ToolCallDelta][] = [
      [
        'index, id first',
        (p, first) => piece(p, { index: 0, ...(first ? { id: 'c1', function: { name: 'edit_file' } } : {}) }),
      ],
      ['index, id and name every chunk', (p) => piece(p, { index: 0, id: 'c1', function: { name: 'edit_file' } })],
      ['no index, id every chunk', (p) => piece(p, { id: 'c1', ...{ function: { name: 'edit_file' } } })],
      ['no index, no id', (p, first) => piece(p, first ? { function: { name: 'edit_file' } } : {})],
      ['no index, name every chunk', (p) => piece(p, { function: { name: 'edit_file' } })],
    ];
    for (const [what, delta] of variants) {
      const chunks = cumulative(args, [1, 2, 9, 10, 20, 30]).map((p, i) => one(delta(p, i === 0)));
      const calls = assemble(chunks);
      assert.equal(calls.length, 1, what);
      assert.equal(calls[0]!.name, 'edit_file', what);
      assert.equal(calls[0]!.arguments, args, what);
    }
  });

  it('follows a stream that switches to cumulative mid-call, or back', () => {
    const calls = assemble([
      one(piece('{"path":', { index: 0, id: 'c1', function: { name: 'read_file' } })),
      one(piece('"src/', { index: 0 })),
      one(piece('{"path":"src/a', { index: 0 })),
      one(piece('.ts","limit":', { index: 0 })),
      one(piece('{"path":"src/a.ts","limit":20}', { index: 0 })),
    ]);
    assert.equal(calls[0]!.arguments, '{"path":"src/a.ts","limit":20}');
  });

  it('takes pieces that re-send the arguments with whitespace before them', () => {
    const calls = assemble([
      one(piece(' {"command":', { index: 0, id: 'c1', function: { name: 'run_command' } })),
      one(piece('{"command":"ls ', { index: 0 })),
      one(piece('\n {"command":"ls -la"}', { index: 0 })),
    ]);
    assert.equal(calls[0]!.arguments, '\n {"command":"ls -la"}');
  });

  it('keeps multibyte text whole', () => {
    const text = '{"text":"héllo 日本語 🎉 ∑ \\u00e9"}';
    const chunks = cumulative(text, [3, 12, 14, 18, 21]).map((p, i) =>
      one(piece(p, { index: 0, ...(i === 0 ? { id: 'm', function: { name: 'write_file' } } : {}) })),
    );
    assert.equal(assemble(chunks)[0]!.arguments, text);
    assert.doesNotThrow(() => JSON.parse(text));
  });

  it('keeps Gemini parallel calls at index 0 apart when each is cumulative', () => {
    const calls = assemble([
      one(piece('{"path":', { index: 0, id: 'a1', function: { name: 'read_file' } })),
      one(piece('{"path":"a.ts"}', { index: 0, id: 'a1' })),
      one(piece('{"path":"b', { index: 0, id: 'b2', function: { name: 'read_file' } })),
      one(piece('{"path":"b.ts"}', { index: 0, id: 'b2' })),
      one(piece('{"path":"c', { index: 0, function: { name: 'read_file' } })),
      one(piece('{"path":"c.ts"}', { index: 0 })),
    ]);
    assert.deepEqual(
      calls.map((c) => [c.id, c.arguments]),
      [
        ['a1', '{"path":"a.ts"}'],
        ['b2', '{"path":"b.ts"}'],
        ['call_2', '{"path":"c.ts"}'],
      ],
    );
  });

  it('never alters a normal stream whose pieces repeat what came before', () => {
    for (const pieces of [
      ['{"', '{":1}'],
      ['{"a":"', '{\\"a\\":', '1}"}'],
      ['{"a":["', '{\\"a\\":[\\"', '"]}'],
      ['{"a":"{', '{', '}}"}'],
      ['{"q":"{\\"q\\":\\"', '{\\"q\\":\\"x\\"}\\"}"}'],
      ['{"a":', '{"a":', '1}}'],
    ]) {
      const calls = assemble(pieces.map((p, i) => one(piece(p, { index: 0, ...(i === 0 ? { id: 'n' } : {}) }))));
      assert.equal(calls[0]!.arguments, pieces.join(''), pieces.join(' | '));
    }
  });

  it('reads a big call streamed in small pieces without re-reading its arguments per piece', () => {
    const whole = JSON.stringify({ path: 'a.ts', content: 'function f() { return {"a": [1, 2]}; }\n'.repeat(5000) });
    const a = new ToolCallAssembler();
    const started = performance.now();
    a.push([{ index: 0, id: 'big', function: { name: 'write_file', arguments: '' } }]);
    for (let i = 0; i < whole.length; i += 3) a.push([{ index: 0, function: { arguments: whole.slice(i, i + 3) } }]);
    assert.equal(a.finish()[0]!.arguments, whole);
    // About 0.06 s; re-reading the arguments so far per piece took 25 s.
    assert.ok(performance.now() - started < 3000, `${Math.round(performance.now() - started)} ms`);
  });

  it('gives any object sent cumulatively, at any cuts, exactly (property)', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.jsonValue()).map((o) => JSON.stringify(o)),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.nat(),
        (whole, cuts, switchAt) => {
          const at = [...new Set(cuts.map((c) => c % (whole.length + 1)))].sort((a, b) => a - b);
          const sent = [...at, whole.length];
          // Incremental up to `switchAt`, cumulative after it.
          const turn = switchAt % sent.length;
          const chunks = sent.map((end, i) => {
            const start = i === 0 ? 0 : sent[i - 1]!;
            const text = i <= turn ? whole.slice(start, end) : whole.slice(0, end);
            return one(piece(text, { index: 0, ...(i === 0 ? { id: 'p', function: { name: 'edit_file' } } : {}) }));
          });
          assert.equal(assemble(chunks)[0]!.arguments, whole);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('a closing chunk that re-sends the finished arguments re-serialised (other spacing, other key order)', () => {
  const streamed = '{"path": "src/a.ts", "edits": [{"old": "x", "new": "y = {\\"a\\": 1}"}], "limit": 20}';
  const resends = [
    '{"path":"src/a.ts","edits":[{"old":"x","new":"y = {\\"a\\": 1}"}],"limit":20}',
    JSON.stringify(JSON.parse(streamed), null, 2),
    '{"limit":20,"edits":[{"new":"y = {\\"a\\": 1}","old":"x"}],"path":"src/a.ts"}',
    ' {\t"path" :"src/a.ts" ,"edits":[ {"old":"x","new":"y = {\\"a\\": 1}"} ] ,"limit":20 }\n',
    // The same strings escaped another way (`\u0061` for `a`, `\/` for `/`).
    '{"p\\u0061th":"src\\/a.ts","edits":[{"old":"x","new":"y = {\\"\\u0061\\": 1}"}],"limit":2e1}',
  ];
  const pieces = (whole: string) => [whole.slice(0, 9), whole.slice(9, 30), whole.slice(30)];

  it('gets the arguments once, with an index, an id or neither', () => {
    const shapes: [string, (args: string, first: boolean) => ToolCallDelta][] = [
      ['index', (a, first) => ({ index: 0, ...(first ? { id: 'e1' } : {}), function: { name: 'edit', arguments: a } })],
      ['id, no index', (a) => ({ id: 'e1', function: { arguments: a } })],
      ['neither', (a, first) => ({ function: { ...(first ? { name: 'edit' } : {}), arguments: a } })],
    ];
    for (const [what, delta] of shapes)
      for (const resent of resends) {
        const a = new ToolCallAssembler();
        pieces(streamed).forEach((p, i) => a.push([delta(p, i === 0)]));
        a.push([delta(resent, false)]);
        const calls = a.finish();
        assert.equal(calls.length, 1, `${what}: ${resent}`);
        assert.equal(calls[0]!.arguments, streamed, `${what}: ${resent}`);
      }
  });

  it('is not taken for a second call when the re-send carries the name again (no id, no index)', () => {
    for (const resent of resends) {
      const a = new ToolCallAssembler();
      a.push([{ function: { name: 'edit', arguments: streamed } }]);
      a.push([{ function: { name: 'edit', arguments: resent } }]);
      a.push([{ function: { name: 'read_file', arguments: '{"path": "b.ts"}' } }]);
      assert.deepEqual(
        a.finish().map((c) => [c.name, c.arguments]),
        [
          ['edit', streamed],
          ['read_file', '{"path": "b.ts"}'],
        ],
        resent,
      );
    }
  });

  it('still keeps a different object apart: another call by name, other values appended as sent', () => {
    const a = new ToolCallAssembler();
    a.push([{ function: { name: 'read_file', arguments: '{"path": "a.ts"}' } }]);
    a.push([{ function: { name: 'read_file', arguments: '{"path":"b.ts"}' } }]);
    assert.deepEqual(
      a.finish().map((c) => c.arguments),
      ['{"path": "a.ts"}', '{"path":"b.ts"}'],
    );
    const b = new ToolCallAssembler();
    b.push([{ index: 0, id: 'x', function: { name: 'w', arguments: '{"a": 1}' } }]);
    b.push([{ index: 0, function: { arguments: '{"a":1.5}' } }]);
    assert.equal(b.finish()[0]!.arguments, '{"a": 1}{"a":1.5}');
  });
});
