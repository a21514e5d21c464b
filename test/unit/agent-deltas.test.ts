import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ReasoningAssembler, ToolCallAssembler, type ToolCallDelta } from '../../src/turn/deltas';

/** A chunk as the stream carries it: `choices[0].delta.tool_calls`, or a usage chunk with `choices: []`. */
type Chunk = { choices: { delta: { tool_calls?: ToolCallDelta[] } }[] };

function assemble(chunks: readonly Chunk[]) {
  const a = new ToolCallAssembler();
  for (const c of chunks) for (const choice of c.choices) a.push(choice.delta.tool_calls);
  return a.finish();
}

describe('ToolCallAssembler', () => {
  it('takes id and name from the first delta only and arguments in pieces', () => {
    const calls = assemble([
      {
        choices: [
          {
            delta: {
              tool_calls: [
                { index: 0, id: 'call_a', type: 'function', function: { name: 'read_file', arguments: '' } },
              ],
            },
          },
        ],
      },
      { choices: [{ delta: { tool_calls: [{ index: 0, function: { arguments: '{"pa' } }] } }] },
      { choices: [{ delta: { tool_calls: [{ index: 0, function: { arguments: 'th":"a.ts"}' } }] } }] },
      { choices: [] },
    ]);
    assert.deepEqual(calls, [{ index: 0, id: 'call_a', name: 'read_file', arguments: '{"path":"a.ts"}' }]);
  });

  it('keeps interleaved calls apart by index and returns them in index order', () => {
    const calls = assemble([
      {
        choices: [{ delta: { tool_calls: [{ index: 1, id: 'b', function: { name: 'list_files', arguments: '{' } }] } }],
      },
      {
        choices: [
          { delta: { tool_calls: [{ index: 0, id: 'a', function: { name: 'read_file', arguments: '{"path"' } }] } },
        ],
      },
      {
        choices: [
          {
            delta: {
              tool_calls: [
                { index: 1, function: { arguments: '}' } },
                { index: 0, function: { arguments: ':"x"}' } },
              ],
            },
          },
        ],
      },
    ]);
    assert.deepEqual(
      calls.map((c) => [c.id, c.name, c.arguments]),
      [
        ['a', 'read_file', '{"path":"x"}'],
        ['b', 'list_files', '{}'],
      ],
    );
  });

  it('takes a whole call in one chunk, and a name repeated in every delta once', () => {
    const calls = assemble([
      {
        choices: [
          {
            delta: {
              tool_calls: [
                {
                  index: 0,
                  id: 'w',
                  type: 'function',
                  function: { name: 'run_command', arguments: '{"command":"ls"}' },
                },
              ],
            },
          },
        ],
      },
      {
        choices: [
          { delta: { tool_calls: [{ index: 1, id: 'r', function: { name: 'read_file', arguments: '{"path":' } }] } },
        ],
      },
      {
        choices: [
          { delta: { tool_calls: [{ index: 1, id: 'r', function: { name: 'read_file', arguments: '"b"}' } }] } },
        ],
      },
    ]);
    assert.deepEqual(
      calls.map((c) => [c.id, c.name, c.arguments]),
      [
        ['w', 'run_command', '{"command":"ls"}'],
        ['r', 'read_file', '{"path":"b"}'],
      ],
    );
  });

  it('gives a call the stream never named an id, and follows deltas without index', () => {
    const calls = assemble([
      { choices: [{ delta: { tool_calls: [{ function: { name: 'read_file', arguments: '{"path":' } }] } }] },
      { choices: [{ delta: { tool_calls: [{ function: { arguments: '"c"}' } }] } }] },
    ]);
    assert.deepEqual(calls, [{ index: 0, id: 'call_0', name: 'read_file', arguments: '{"path":"c"}' }]);
  });

  it('gives every call an id of its own: duplicates, huge ids, ids with spaces or invisible characters are replaced; huge names cut', () => {
    const calls = assemble([
      {
        choices: [
          {
            delta: {
              tool_calls: [
                { index: 0, id: 'call_0', function: { name: 'read_file', arguments: '{"path":"a"}' } },
                { index: 1, id: 'call_0', function: { name: 'run_command', arguments: '{"command":"rm -rf ."}' } },
                { index: 2, id: 'x'.repeat(100_000), function: { name: 'list_files', arguments: '{}' } },
                { index: 3, id: 'call_1', function: { name: 'n'.repeat(10_000), arguments: '{}' } },
                { index: 4, id: 'call\u202e_9', function: { name: 'read_file', arguments: '{}' } },
                { index: 5, id: 'call 5', function: { name: 'read_file', arguments: '{}' } },
                { index: 6, id: 'call_6', function: { name: 'read_file', arguments: '{}' } },
                { index: 7, id: 'call_6', function: { name: 'read_file', arguments: '{}' } },
              ],
            },
          },
        ],
      },
    ]);
    const ids = calls.map((c) => c.id);
    assert.deepEqual(ids, ['call_0', 'call_1', 'call_2', 'call_3', 'call_4', 'call_5', 'call_6', 'call_7']);
    assert.equal(new Set(ids).size, ids.length, 'no two calls share an id');
    assert.equal(calls[3]!.name.length, 128);
    assert.equal(calls[1]!.name, 'run_command', 'the call itself is kept');
  });

  describe('providers that break the index rule (Gemini parallel calls, deltas without index)', () => {
    const one = (...deltas: ToolCallDelta[]): Chunk => ({ choices: [{ delta: { tool_calls: deltas } }] });
    const call = (id: string | undefined, name: string | undefined, args: string, index?: number): ToolCallDelta => ({
      ...(index === undefined ? {} : { index }),
      ...(id ? { id } : {}),
      function: { ...(name ? { name } : {}), arguments: args },
    });
    const shape = (calls: ReturnType<typeof assemble>) => calls.map((c) => [c.id, c.name, c.arguments]);

    it('keeps parallel calls to the same tool at index 0 apart, each with its own id (hermes-agent #62940)', () => {
      const calls = assemble([
        one(call('a1', 'read_file', '{"path":"a.ts"}', 0)),
        one(call('b2', 'read_file', '{"path":"b.ts"}', 0)),
        one(call('c3', 'read_file', '{"path":"c.ts"}', 0)),
      ]);
      assert.deepEqual(shape(calls), [
        ['a1', 'read_file', '{"path":"a.ts"}'],
        ['b2', 'read_file', '{"path":"b.ts"}'],
        ['c3', 'read_file', '{"path":"c.ts"}'],
      ]);
      assert.deepEqual(
        calls.map((c) => c.index),
        [0, 1, 2],
      );
    });

    it('keeps parallel calls to different tools at index 0 apart, in one chunk or several', () => {
      const expected = [
        ['a', 'read_file', '{"path":"a"}'],
        ['b', 'list_files', '{}'],
      ];
      assert.deepEqual(
        shape(assemble([one(call('a', 'read_file', '{"path":"a"}', 0), call('b', 'list_files', '{}', 0))])),
        expected,
      );
      assert.deepEqual(
        shape(assemble([one(call('a', 'read_file', '{"path":"a"}', 0)), one(call('b', 'list_files', '{}', 0))])),
        expected,
      );
    });

    it('splits a second object started at the same index with a name but no id (same tool named again)', () => {
      const calls = assemble([
        one(call(undefined, 'read_file', '{"path":"a"}', 0)),
        one(call(undefined, 'read_file', '{"path":"b"}', 0)),
      ]);
      assert.deepEqual(shape(calls), [
        ['call_0', 'read_file', '{"path":"a"}'],
        ['call_1', 'read_file', '{"path":"b"}'],
      ]);
    });

    it('keeps a later call at index 1 after the calls split from index 0', () => {
      const calls = assemble([
        one(call('a', 'read_file', '{"path":"a"}', 0)),
        one(call('z', 'run_command', '{"command":', 1)),
        one(call('b', 'read_file', '{"path":"b"}', 0)),
        one(call(undefined, undefined, '"ls"}', 1)),
      ]);
      assert.deepEqual(shape(calls), [
        ['a', 'read_file', '{"path":"a"}'],
        ['b', 'read_file', '{"path":"b"}'],
        ['z', 'run_command', '{"command":"ls"}'],
      ]);
    });

    it('never splits a call still being streamed, even when its pieces carry changing ids', () => {
      const calls = assemble([
        one(call('x1', 'edit_file', '{"path":"a",', 0)),
        one(call('x2', undefined, '"text":"{}"', 0)),
        one(call('x3', 'edit_file', '}', 0)),
      ]);
      assert.equal(calls.length, 1);
      assert.equal(calls[0]!.arguments, '{"path":"a","text":"{}"}');
    });

    it('without index: follows a call by its id repeated on every piece, and starts a new one for a new id (dayu-agent #82)', () => {
      const calls = assemble([
        one(call('eaifhb3y', 'search', '{"q":')),
        one(call('eaifhb3y', undefined, '"arm"}')),
        one(call('mw4fnecu', 'search', '{"q":"nvda"}')),
        one(call('eaifhb3y', undefined, '')),
      ]);
      assert.deepEqual(shape(calls), [
        ['eaifhb3y', 'search', '{"q":"arm"}'],
        ['mw4fnecu', 'search', '{"q":"nvda"}'],
      ]);
    });

    it('a provider that re-sends the finished call (same id, or no id) gets one call with its arguments once (opencodex #361, eliza #16973)', () => {
      for (const resent of [
        call('s1', 'shell', '{"command":"ls"}', 0),
        call(undefined, 'shell', '{"command":"ls"}', 0),
        call(undefined, undefined, '{"command":"ls"}', 0),
        call('s1', undefined, ' {"command":"ls"} ', 0),
      ]) {
        const calls = assemble([
          one(call('s1', 'shell', '', 0)),
          one(call(undefined, undefined, '{"command":', 0)),
          one(call(undefined, undefined, '"ls"}', 0)),
          one(resent),
          one(call('r2', 'read_file', '{"path":"README.md"}', 1)),
        ]);
        assert.deepEqual(shape(calls), [
          ['s1', 'shell', '{"command":"ls"}'],
          ['r2', 'read_file', '{"path":"README.md"}'],
        ]);
      }
    });

    it('parallel calls of different tools with the same arguments stay apart (at index 0, or without index)', () => {
      for (const index of [0, undefined])
        for (const args of ['{}', '{"path":"a.ts"}']) {
          const calls = assemble([
            one(call(undefined, 'list_files', args, index)),
            one(call(undefined, 'get_diagnostics', args, index)),
            one(call(undefined, 'read_file', args, index)),
          ]);
          assert.deepEqual(
            calls.map((c) => [c.name, c.arguments]),
            [
              ['list_files', args],
              ['get_diagnostics', args],
              ['read_file', args],
            ],
            `index ${String(index)}, ${args}`,
          );
        }
    });

    it('identical parallel calls without ids at different indexes stay two calls (whole, in pieces, name every delta, one chunk)', () => {
      const args = '{"path":"a.ts"}';
      const shapes: readonly (readonly Chunk[])[] = [
        [one(call(undefined, 'read_file', args, 0)), one(call(undefined, 'read_file', args, 1))],
        [one(call(undefined, 'read_file', args, 0), call(undefined, 'read_file', args, 1))],
        [0, 1].flatMap((i) => [
          one(call(undefined, 'read_file', '', i)),
          one(call(undefined, undefined, '{"path":', i)),
          one(call(undefined, undefined, '"a.ts"}', i)),
        ]),
        [0, 1].flatMap((i) => [
          one(call(undefined, 'read_file', '{"path":', i)),
          one(call(undefined, 'read_file', '"a.ts"}', i)),
        ]),
        // Interleaved, the second call's pieces arriving before the first is whole, then both re-sent at their index.
        [
          one(call(undefined, 'read_file', '{"path":', 0)),
          one(call(undefined, 'read_file', '{"path":', 1)),
          one(call(undefined, undefined, '"a.ts"}', 0)),
          one(call(undefined, undefined, '"a.ts"}', 1)),
          one(call(undefined, 'read_file', args, 0), call(undefined, 'read_file', args, 1)),
        ],
      ];
      for (const [n, chunks] of shapes.entries())
        assert.deepEqual(
          assemble(chunks).map((c) => [c.name, c.arguments]),
          [
            ['read_file', args],
            ['read_file', args],
          ],
          `shape ${n}`,
        );
    });

    it('without index or ids: a name and a new object after a whole one is another call', () => {
      const calls = assemble([
        one(call(undefined, 'read_file', '{"path":"a"}')),
        one(call(undefined, 'list_files', '{}')),
      ]);
      assert.deepEqual(shape(calls), [
        ['call_0', 'read_file', '{"path":"a"}'],
        ['call_1', 'list_files', '{}'],
      ]);
    });
  });

  it('matches a reference assembler on any split and interleaving of any calls (property)', () => {
    const callArb = fc.record({
      id: fc.stringMatching(/^[A-Za-z0-9_.:-]{1,12}$/).map((s) => `call_${s}`),
      name: fc.constantFrom('read_file', 'list_files', 'edit_file', 'run_command'),
      args: fc.json(),
      nameEveryDelta: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(callArb, { minLength: 1, maxLength: 5, selector: (c) => c.id }),
        fc.array(fc.nat(), { maxLength: 60 }),
        fc.array(fc.nat(), { maxLength: 60 }),
        fc.nat(),
        (calls, cuts, order, usageAt) => {
          // Split each call's arguments into pieces at pseudo-random cut points.
          let cutIndex = 0;
          const queues = calls.map((call, index) => {
            const pieces: ToolCallDelta[] = [];
            let rest = call.args;
            let first = true;
            while (first || rest.length > 0) {
              const size =
                rest.length === 0 ? 0 : 1 + ((cuts[cutIndex++ % Math.max(1, cuts.length)] ?? 3) % rest.length);
              const piece = rest.slice(0, size);
              rest = rest.slice(size);
              pieces.push(
                first
                  ? { index, id: call.id, type: 'function', function: { name: call.name, arguments: piece } }
                  : {
                      index,
                      ...(call.nameEveryDelta ? { id: call.id } : {}),
                      function: { ...(call.nameEveryDelta ? { name: call.name } : {}), arguments: piece },
                    },
              );
              first = false;
            }
            return pieces;
          });
          // Interleave the queues (each call's own pieces stay in order), some chunks carrying two deltas.
          const chunks: Chunk[] = [];
          let k = 0;
          while (queues.some((q) => q.length)) {
            const live = queues.filter((q) => q.length);
            const pick = live[(order[k++ % Math.max(1, order.length)] ?? 0) % live.length]!;
            const deltas = [pick.shift()!];
            const other = live.find((q) => q !== pick && q.length);
            if (other && k % 3 === 0) deltas.push(other.shift()!);
            chunks.push({ choices: [{ delta: { tool_calls: deltas } }] });
          }
          chunks.splice(usageAt % (chunks.length + 1), 0, { choices: [] });
          const got = assemble(chunks);
          const expected = calls.map((c, index) => ({ index, id: c.id, name: c.name, arguments: c.args }));
          assert.deepEqual(got, expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('ReasoningAssembler', () => {
  it('joins pieces of the same detail and keeps the signature and unknown fields verbatim', () => {
    const r = new ReasoningAssembler();
    r.push([{ type: 'reasoning.text', index: 0, text: 'Let me ', format: 'anthropic-claude-v1' }]);
    r.push([{ type: 'reasoning.text', index: 0, text: 'read it.' }]);
    r.push([
      { type: 'reasoning.text', index: 0, text: '', signature: 'sig==' },
      { type: 'reasoning.encrypted', index: 1, data: 'opaque', extra: { a: 1 } },
    ]);
    assert.deepEqual(r.finish(), [
      { type: 'reasoning.text', index: 0, text: 'Let me read it.', format: 'anthropic-claude-v1', signature: 'sig==' },
      { type: 'reasoning.encrypted', index: 1, data: 'opaque', extra: { a: 1 } },
    ]);
  });
});
