/**
 * Completions that close too many brackets: the model's answer ends with closers the text after
 * the cursor already has — on the same line after a space, on the next lines, mixed, quotes, the
 * auto-closed pairs VS Code inserted — or closes more than is open. Accepting must leave the
 * intended code once, with balanced brackets, and a suggestion VS Code can show as ghost text.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { imbalance, isSubsequence, openedBefore, scanBrackets } from '../../src/completions/brackets';
import { CompletionEngine } from '../../src/completions/engine';
import { allowsMultiline, cleanCompletion } from '../../src/completions/postprocess';
import { accept } from './completionsDoc';

/** [what, text before the cursor, text after it, the model's answer, the document after accepting]. */
const TABLE: readonly (readonly [string, string, string, string, string])[] = [
  // Closers the suffix has after whitespace on the line.
  ['`}` before an auto-closed ` };`', 'const o = { ', ' };\n', 'a: 1}', 'const o = { a: 1 };\n'],
  ['`)` before ` )` (spaced call)', 'print( ', ' )\n', 'x)', 'print( x )\n'],
  ["a quote and `)` before `' )`", "log('a', '", "' )\n", "b')", "log('a', 'b' )\n"],
  ['`});` before `}) ;`', 'f(() => {', '}) ;\n', '\n  go();\n});', 'f(() => {\n  go();\n}) ;\n'],
  // Closers the suffix has on the next lines.
  ['`)` before `)` on the next line', 'foo(\n  a,\n  ', '\n);\n', 'b)', 'foo(\n  a,\n  b\n);\n'],
  ['`);` before `);` on the next line', 'foo(\n  a,\n  ', '\n);\n', 'b);', 'foo(\n  a,\n  b\n);\n'],
  ['`});` before `});` on the next line', 'foo({\n  a: 1,\n  ', '\n});\n', 'b: 2 });', 'foo({\n  a: 1,\n  b: 2\n});\n'],
  ['`]` before `]` after a blank line', 'const xs = [\n  1,\n  ', '\n\n];\n', '2]', 'const xs = [\n  1,\n  2\n\n];\n'],
  // More closed than is open, nothing after to take over.
  ['`));` where one `(` is open', 'foo(a', '\n', ', b));', 'foo(a, b);\n'],
  ['`]]` at the end of the file', 'x = [1, 2', '', ', 3]]', 'x = [1, 2, 3]'],
  [
    '`})` where only `{` is open',
    'const o = { a: 1',
    '\nuse(o);\n',
    ', b: 2 });',
    'const o = { a: 1, b: 2 };\nuse(o);\n',
  ],
  ['`)` of an arrow body closed twice', 'arr.map((x) => ', ')\n', 'x * 2))', 'arr.map((x) => x * 2)\n'],
  // A multi-line answer whose last line re-types part of the suffix's first line.
  ['`}` of `});`', 'f(() => {', '});\n', '\n  go();\n}', 'f(() => {\n  go();\n});\n'],
  ['`})` of `});`', 'f(() => {', '});\n', '\n  go();\n})', 'f(() => {\n  go();\n});\n'],
  ['`)` of `);`', 'foo(', ');\n', '\n  a,\n  b\n)', 'foo(\n  a,\n  b\n);\n'],
  // A one-line answer that re-types the code after the cursor on a second line.
  [
    'a statement, then the line the cursor is on',
    'function f() {\n  ',
    'return x;\n}\n',
    'const x = 1;\nreturn x;',
    'function f() {\n  const x = 1;\n  return x;\n}\n',
  ],
  // Brackets in a string or a comment close nothing: none is taken off there.
  ['a `)` inside a string', 'const s = "(', '";\n', 'abc)', 'const s = "(abc)";\n'],
  ['`))` inside a line comment', '// see f(', '\n', 'x))', '// see f(x))\n'],
  ["a string's `)` before a real extra one", "log('(a", '\n', "b)'));", "log('(ab)');\n"],
  // A tag's `>` after the auto-closed `}` or quote of an attribute (TSX, HTML): taken over with them.
  [
    '`}>` of a TSX attribute',
    'return <div className={',
    '}></div>\n',
    'styles.box}>',
    'return <div className={styles.box}></div>\n',
  ],
  ['`">` of an HTML attribute', '<a href="', '"></a>\n', 'x.html">', '<a href="x.html"></a>\n'],
  ['`)}>` of a handler', '<b onClick={() => go(', ')}>\n', '1)}>', '<b onClick={() => go(1)}>\n'],
  ['`}>` answered without the `>`', 'return <p key={', '}>\n', 'id}', 'return <p key={id}>\n'],
  ['a comparison’s `>` is not a closer', 'if (a ', '> 0) go();\n', '>= 1 || a', 'if (a >= 1 || a> 0) go();\n'],
  // Before code already on the line: the answer's trailing space stays between them.
  ['an argument inserted before another', 'f(', 'x)\n', 'a, ', 'f(a, x)\n'],
  ['an operand before an existing one', 'const x = ', 'y;\n', 'a + ', 'const x = a + y;\n'],
  ['before a string that opens', 'log(', '"x")\n', 'level, ', 'log(level, "x")\n'],
  ['a tab kept as typed', 'f(', 'x)\n', 'a,\t', 'f(a,\tx)\n'],
  ['not before a closer', 'f(', ')\n', 'a ', 'f(a)\n'],
  ['not inside the string the answer ends in', 's = "', '"\n', 'hello ', 's = "hello"\n'],
  // What already worked stays.
  ['auto-closed `))` retyped', 'f(g(', '))\n', 'x))', 'f(g(x))\n'],
  ['mixed `})` on the line', 'foo({ a: 1, ', '})\n', 'b: 2 })', 'foo({ a: 1, b: 2 })\n'],
  ['an auto-closed quote and `)`', 'print("hello', '")\n', ', world")', 'print("hello, world")\n'],
  ['a call the answer closes itself before an outer `)`', 'foo(', ')\n', 'bar(1)', 'foo(bar(1))\n'],
  ['a legitimately nested close over lines', 'f(g(', '\n)\n', 'x)', 'f(g(x)\n)\n'],
];

describe('completions that close too many brackets', () => {
  for (const [what, prefix, suffix, raw, doc] of TABLE)
    it(what, () => {
      const got = cleanCompletion(raw, { prefix, suffix, multiline: allowsMultiline(prefix, suffix), maxLines: 6 });
      assert.notEqual(got, undefined, 'a suggestion is shown');
      assert.equal(accept(prefix, suffix, got!), doc);
      assert.deepEqual(imbalance(scanBrackets(doc)), [0, 0]);
      const rest = suffix.split('\n', 1)[0]!;
      assert.ok(isSubsequence(rest, got!), 'VS Code can show it as ghost text (what it replaces is in it, in order)');
    });
});

describe('a one-line answer that writes the cursor’s line again', () => {
  it('goes on a line of its own only when its first line is a statement (its brackets balanced)', () => {
    const at = { prefix: 'function f() {\n  ', suffix: 'return x;\n}\n', multiline: false, maxLines: 1 };
    assert.equal(cleanCompletion('const x = g(1);\nreturn x;', at), 'const x = g(1);\n  return x;');
    const block = cleanCompletion('if (ok) {\n  log(1);\nreturn x;', at);
    assert.ok(block !== undefined && !block.includes('\n'), `no block opened above the line: ${block}`);
  });
});

describe('a closer whose opener is far above the cursor (beyond the prompt’s prefix, or the text read)', () => {
  /** The provider reads 12,000 characters before the cursor and scans the document before them. */
  const READ = 12_000;
  const SETTINGS = { debounceMs: 0, maxLines: 1, dailyBudgetUsd: 1 };

  async function suggest(before: string, after: string, answer: string): Promise<string | undefined> {
    const engine = new CompletionEngine(
      {
        now: () => 0,
        sleep: async () => true,
        send: async () => ({ text: answer, costUsd: 0, model: 'm', cutEarly: false }),
        figures: () => ({ day: 'd', shown: 0, accepted: 0, requests: 0, spendUsd: 0 }),
        saveFigures: () => undefined,
        newId: () => 's1',
      },
      0,
    );
    const cut = Math.max(0, before.length - READ);
    const at = {
      ...{ editorId: 'file:///a.ts', languageId: 'typescript', path: 'a.ts', offset: before.length },
      ...{ prefix: before.slice(cut), suffix: after, opened: () => openedBefore(cut, (f, t) => before.slice(f, t)) },
    };
    const got = await engine.provide(at, SETTINGS, new AbortController().signal);
    return got.kind === 'suggestion' ? got.text : undefined;
  }

  const lines = (n: number, line: (i: number) => string) => Array.from({ length: n }, (_, i) => line(i)).join('\n');
  // [what, the document before the cursor, the answer]; each long enough to put the opener out of the prompt (~4,000 characters) or out of the text read (12,000).
  const CASES: readonly (readonly [string, string, string])[] = [
    ...[100, 400].map(
      (n) =>
        [
          `\`});\` of a describe( ${n} tests up`,
          `describe('f', () => {\n${lines(n, (i) => `  it('case ${i}', () => expect(f(${i})).toBe(${i}));`)}\n`,
          '});',
        ] as const,
    ),
    [
      '`}` of a class 600 methods up',
      `class Store {\n${lines(600, (i) => `  get${i}() {\n    return this.items[${i}];\n  }`)}\n`,
      '}',
    ],
    ['`];` of a long table', `const ROWS = [\n${lines(2000, (i) => `  [${i}, 'row ${i}'],`)}\n`, '];'],
  ];

  for (const [what, before, answer] of CASES)
    it(`${what}: kept (${before.length} characters before the cursor)`, async () => {
      assert.ok(before.length > 4_500, 'the opener is above the prompt’s prefix');
      const got = await suggest(before, '\n', answer);
      assert.equal(got, answer);
      assert.deepEqual(imbalance(scanBrackets(before + got + '\n')), [0, 0]);
    });

  it('still takes off a closer one too many on the cursor’s line of a long file', async () => {
    const before = `describe('f', () => {\n${lines(400, (i) => `  it('c${i}', () => go(${i}));`)}\n  go(a`;
    assert.equal(await suggest(before, '\n});\n', ', b));'), ', b);');
    const table = `const ROWS = [\n${lines(2000, (i) => `  [${i}, 'row ${i}'],`)}\n  [2000, 'x'`;
    assert.equal(await suggest(table, '\n];\n', ']],'), '],');
  });
});
