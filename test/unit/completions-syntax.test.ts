/**
 * Brackets that close nothing, in the language's own comments, strings and regular expressions:
 * a `(` in a JavaScript regex, a Python docstring, a `#` or `--` comment above the cursor must not
 * stay "open", or an answer's extra `)` looks like it closes it and is inserted (`foo(x))`). Each
 * noise line is put above the cursor inside each auto-closed bracket, answered with and without
 * the closer; the accepted document must be the one a careful typist leaves.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { imbalance, openedBefore, scanBrackets, startState } from '../../src/completions/brackets';
import { allowsMultiline, cleanCompletion } from '../../src/completions/postprocess';
import { accept } from './completionsDoc';

/** [language, a line (or lines) whose brackets close nothing]. */
const NOISE: readonly (readonly [string, string])[] = [
  ['typescript', 'const re = s.replace(/\\(/g, "");'],
  ['typescript', 'const open = /[(\\[{]/;'],
  ['javascript', 'if (/^\\(+$/.test(line)) skip();'],
  ['javascript', 'const parts = text.split(/[)(]/);'],
  ['typescriptreact', 'const ok = [/\\{/, /\\(/].some((r) => r.test(s));'],
  ['typescript', 'return /[(]/.test(x) ? 1 : 0; // a regex after return'],
  ['python', 'def f(x):\n    """Returns (a, b\n    when x is set."""'],
  ['python', "def f(x):\n    '''Steps:\n    1) read (the file\n    '''"],
  ['python', 'x = 1  #see f('],
  ['python', 'y = [1, 2]  #note: (unfinished'],
  ['ruby', 'total = 0 #(a comment'],
  ['shellscript', 'echo "$#" #open ('],
  ['sql', '-- count (rows\nSELECT 1;'],
  ['lua', 'local t = {} -- table (of'],
  ['rust', "fn get<'a>(m: &'a Map) -> Option<&'a V> { None }"],
  ['kotlin', 'val s = """a ( b\n  c"""'],
];

/** [text before the cursor on its line, the auto-closed text after it, the insertion, its closers]. */
const FRAMES: readonly (readonly [string, string, string, string])[] = [
  ['foo(', ')', 'x', ')'],
  ['foo(bar(', '))', 'x', '))'],
  ['xs = [', ']', '1, 2', ']'],
  ['call({ a: ', '})', '1', '})'],
];

describe('brackets in comments, strings and regular expressions close nothing', () => {
  for (const [languageId, noise] of NOISE)
    for (const [head, closers, middle] of FRAMES)
      for (const withClosers of [false, true]) {
        const raw = middle + (withClosers ? closers : '');
        it(`${languageId}: ${JSON.stringify(noise)} above ${head}|${closers}, answer ${JSON.stringify(raw)}`, () => {
          const prefix = `${noise}\n${head}`;
          const suffix = `${closers}\nnext()\n`;
          const ctx = { prefix, suffix, multiline: allowsMultiline(prefix, suffix), maxLines: 6, languageId };
          const got = cleanCompletion(raw, ctx);
          assert.notEqual(got, undefined, 'a suggestion is shown');
          assert.equal(accept(prefix, suffix, got!), `${noise}\n${head}${middle}${closers}\nnext()\n`);
        });
      }

  it('the brackets still open where a prefix starts skip them too (a noise line far above the cursor)', () => {
    for (const [languageId, noise] of NOISE) {
      const before = `${noise}\n`;
      const opened = openedBefore(before.length, (from, to) => before.slice(from, to), languageId);
      assert.deepEqual(opened?.stack, [], `${languageId}: ${noise}`);
      const got = cleanCompletion('x)', { prefix: 'foo(', suffix: ')\n', opened, multiline: false, maxLines: 1 });
      assert.equal(accept('foo(', ')\n', got!), 'foo(x)\n', `${languageId}: ${noise}`);
    }
  });
});

describe('what only looks like a comment or a regular expression is code', () => {
  const TABLE: readonly (readonly [string, string, readonly string[]])[] = [
    // A division is no regular expression: its brackets count.
    ['typescript', 'const half = (total / 2', ['(']],
    ['typescript', 'const r = f(a) / (b', ['(']],
    ['typescriptreact', 'return <div>{items.map((i) => (<p>{i}</p>', ['{', '(', '(']],
    ['javascript', 'let n = i / j; call(', ['(']],
    // `//` divides in Python; `#` in a shell `${#x}` is no comment; C's `#define` is code.
    ['python', 'n = (a // 2', ['(']],
    ['shellscript', 'n=${#arr[@]}; f(', ['(']],
    ['c', '#define SQ(x) ((x) * (x)\n', ['(']],
    ['css', '#main { color: #fff;', ['{']],
    ['go', 'x := f(a, // note (\n', ['(']],
  ];
  for (const [languageId, text, stack] of TABLE)
    it(`${languageId}: ${JSON.stringify(text)} leaves ${stack.join('')} open`, () =>
      assert.deepEqual(scanBrackets(text, startState(languageId)).stack, stack));

  it('a string that spans lines in triple quotes is open until its closing quotes', () => {
    const state = scanBrackets('s = """a (\nb', startState('python'));
    assert.equal(state.quote, '"""');
    assert.deepEqual(imbalance(state), [0, 1]);
    assert.deepEqual(imbalance(scanBrackets('"""', state)), [0, 0]);
  });
});
