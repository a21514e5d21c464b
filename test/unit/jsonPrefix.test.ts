import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { JsonPrefix } from '../../src/turn/jsonPrefix';

describe('JsonPrefix', () => {
  it('finds every prefix of any JSON text valid, and the text a whole object exactly when it is one (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(undefined, 2), (value, indent) => {
        const text = JSON.stringify(value, null, indent);
        const scan = new JsonPrefix();
        for (const c of text) assert.equal(scan.feed(c), true, text);
        const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
        assert.equal(scan.wholeObject, isObject, text);
        assert.equal(JsonPrefix.of(text + ' \n').wholeObject, isObject);
      }),
      { numRuns: 400 },
    );
  });

  it('agrees with JSON.parse on objects with one character dropped, doubled or changed (property)', () => {
    const parsesToObject = (text: string): boolean => {
      try {
        const v: unknown = JSON.parse(text);
        return typeof v === 'object' && v !== null && !Array.isArray(v);
      } catch {
        return false;
      }
    };
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.jsonValue(), { minKeys: 1 }).map((o) => JSON.stringify(o)),
        fc.nat(),
        fc.constantFrom('drop', 'double', ...'{}[]":,\\ tfn0-.eE'),
        (text, at, edit) => {
          const i = at % text.length;
          const changed =
            edit === 'drop'
              ? text.slice(0, i) + text.slice(i + 1)
              : edit === 'double'
                ? text.slice(0, i + 1) + text.slice(i)
                : text.slice(0, i) + edit + text.slice(i + 1);
          assert.equal(JsonPrefix.of(changed).wholeObject, parsesToObject(changed), changed);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('rejects what cannot become JSON', () => {
    for (const text of [
      '{"a":1{',
      '{"a"1',
      '{a',
      '{"a":1,}',
      '[1,]',
      '{"a":tru3',
      '{"a":01',
      '{"a":1.}',
      '{"a":-}',
      '{"a":"\\x"}',
      '{"a":"\\u12g',
      '{}{',
      '{"a":1]',
      '[1}',
      '{"a":1}}',
    ])
      assert.equal(JsonPrefix.of(text).valid, false, text);
  });

  it('takes what models send inside strings: raw newlines and tabs, escapes, multibyte text', () => {
    for (const text of ['{"a":"line\nnext\t"}', '{"a":"\\u00e9\\n\\"q\\""}', '{"日本":"🎉 ∑"}'])
      assert.equal(JsonPrefix.of(text).wholeObject, true, text);
  });
});
