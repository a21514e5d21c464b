import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allowsMultiline, cleanCompletion } from '../../src/completions/postprocess';
import { accept } from './completionsDoc';

interface Case {
  readonly name: string;
  readonly prefix: string;
  readonly suffix: string;
  readonly multiline?: boolean;
  readonly maxLines?: number;
  /** What the model replied (as captured from real models, anonymised). */
  readonly raw: string;
  readonly want: string | undefined;
  /** The document after accepting, when the answer replaces auto-closed characters (else prefix + want + suffix). */
  readonly doc?: string;
}

const FN = 'export function add(a: number, b: number): number {\n';
const CASES: readonly Case[] = [
  { name: 'a clean one-line insertion', prefix: `${FN}  return a`, suffix: ';\n}\n', raw: ' + b', want: ' + b' },
  {
    name: 'a fenced reply (```ts)',
    prefix: `${FN}  return a`,
    suffix: ';\n}\n',
    raw: '```typescript\n + b\n```',
    want: ' + b',
  },
  {
    name: 'a fence with prose before it',
    prefix: `${FN}  return a`,
    suffix: ';\n}\n',
    raw: "Here's the completion:\n\n```ts\n + b\n```\n\nThis adds the two numbers.",
    want: ' + b',
  },
  {
    name: 'a dangling opening fence (stream cut after the first line)',
    prefix: 'const total = ',
    suffix: '',
    raw: '```ts\nitems.reduce((s, i) => s + i.price, 0);\n',
    want: 'items.reduce((s, i) => s + i.price, 0);',
  },
  {
    name: 'trailing prose after the code',
    prefix: 'const total = ',
    suffix: '',
    multiline: true,
    raw: 'items.length;\n\nThis counts the items in the list.',
    want: 'items.length;',
  },
  {
    name: 'the repeated suffix on the line (doubled `;`)',
    prefix: `${FN}  return a`,
    suffix: ';\n}\n',
    raw: ' + b;',
    want: ' + b',
  },
  {
    name: 'doubled closing brackets on the line',
    prefix: 'console.log(sum(',
    suffix: '));',
    raw: 'a, b));',
    want: 'a, b',
  },
  {
    name: 'one closing bracket of two repeated',
    prefix: 'console.log(sum(',
    suffix: '));',
    raw: 'a, b)',
    want: 'a, b',
  },
  {
    name: 'the line before the cursor repeated',
    prefix: `${FN}  return a`,
    suffix: ';\n}\n',
    raw: 'return a + b;',
    want: ' + b',
  },
  { name: 'the word being typed repeated', prefix: '  cons', suffix: '', raw: 'const x = 1;', want: 't x = 1;' },
  {
    name: 'the last word repeated, then a member',
    prefix: 'const v = foo',
    suffix: '',
    raw: 'foo.bar();',
    want: '.bar();',
  },
  {
    name: 'the last word repeated, then an operator, before an auto-closed `)`',
    prefix: 'for (let i = 0; i < n; i',
    suffix: ')',
    raw: 'i++) {',
    want: '++) {',
    doc: 'for (let i = 0; i < n; i++) {',
  },
  { name: 'a one-letter word repeated, then a call', prefix: '  x = f', suffix: '', raw: 'f(1)', want: '(1)' },
  {
    name: 'a block whose closing brace is already below (repeated line)',
    prefix: FN,
    suffix: '}\n',
    multiline: true,
    raw: '  return a + b;\n}',
    want: '  return a + b;\n',
  },
  {
    name: 'a block after `{` at the end of the line, with the brace repeated',
    prefix: 'function f() {',
    suffix: '\n}\n',
    multiline: true,
    raw: '\n  return 1;\n}',
    want: '\n  return 1;',
  },
  {
    name: 'lines after the first lost the indentation of the cursor (relative to column 0)',
    prefix: 'class A {\n  run() {\n    ',
    suffix: '\n  }\n}\n',
    multiline: true,
    raw: 'if (this.ready) {\n  this.go();\n}',
    want: 'if (this.ready) {\n      this.go();\n    }',
  },
  {
    name: 'the reply indented again on an indented blank line',
    prefix: 'def f(x):\n    ',
    suffix: '',
    multiline: true,
    raw: '    return x * 2',
    want: 'return x * 2',
  },
  {
    name: 'a multi-line reply where only one line may go',
    prefix: 'const x = ',
    suffix: '',
    raw: '1;\nconst y = 2;\nconst z = 3;',
    want: '1;',
  },
  {
    name: 'a block longer than maxLines',
    prefix: FN,
    suffix: '}\n',
    multiline: true,
    maxLines: 2,
    raw: '  const s = a + b;\n  log(s);\n  return s;',
    want: '  const s = a + b;\n  log(s);\n',
  },
  { name: 'an empty reply', prefix: 'x', suffix: '', raw: '', want: undefined },
  { name: 'only a fence', prefix: 'x', suffix: '', raw: '```\n```', want: undefined },
  {
    name: 'only what already follows the cursor',
    prefix: FN,
    suffix: '  return a + b;\n}\n',
    multiline: true,
    raw: '  return a + b;\n}',
    want: undefined,
  },
  { name: 'the cursor marker echoed', prefix: 'let n = ', suffix: ';', raw: '<CURSOR>42', want: '42' },
  {
    name: 'Windows line endings',
    prefix: FN,
    suffix: '}\n',
    multiline: true,
    raw: '  const s = a + b;\r\n  return s;\r\n',
    want: '  const s = a + b;\n  return s;\n',
  },
  // Issue 25: auto-closed brackets, the rest of the file repeated, wrapper tags.
  {
    name: "inside an auto-closed `)`: the model's own call keeps the auto-closed `)`",
    prefix: 'console.log(',
    suffix: ')\n',
    raw: "'area', circleArea(2)",
    want: "'area', circleArea(2)",
  },
  {
    name: 'inside an auto-closed `)`: the whole rest of the line replaces it (no doubled `)`)',
    prefix: 'console.log(',
    suffix: ')\n',
    raw: "'area', circleArea(2));",
    want: '',
    doc: "console.log('area', circleArea(2));\n",
  },
  {
    name: 'inside auto-closed quotes and a call',
    prefix: "console.log('",
    suffix: "')\n",
    raw: "total is');",
    want: '',
    doc: "console.log('total is');\n",
  },
  {
    name: 'the missing line and the rest of the function and file',
    prefix: 'function f(a) {\n  ',
    suffix: '\n}\n\nexport default f;\n',
    multiline: true,
    raw: 'return a * 2;\n}\n\nexport default f;',
    want: 'return a * 2;',
  },
  {
    name: 'a block that closes its block, below a line that closes too',
    prefix: 'class A {\n  run() {\n    ',
    suffix: '\n  }\n}\n',
    multiline: true,
    raw: 'if (x) {\n  go();\n}\n  }',
    want: 'if (x) {\n      go();\n    }',
  },
  {
    name: 'a CRLF document: no stray carriage return in the replacement',
    prefix: 'function f() {\r\n  console.log(',
    suffix: ')\r\n}\r\n',
    raw: 'x);',
    want: '',
    doc: 'function f() {\r\n  console.log(x);\r\n}\r\n',
  },
  { name: '<COMPLETION> tags', prefix: 'let n = ', suffix: '', raw: '<COMPLETION>42;</COMPLETION>', want: '42;' },
  { name: 'an opening <completion> tag only', prefix: 'let n = ', suffix: '', raw: '<completion>\n42;', want: '42;' },
  {
    name: 'a fill-in-the-middle special token',
    prefix: 'let n = ',
    suffix: '',
    raw: '<|fim_middle|>42;<|endoftext|>',
    want: '42;',
  },
  {
    name: 'JSX tags are code, kept',
    prefix: 'return (',
    suffix: ')',
    raw: '<div>{name}</div>',
    want: '<div>{name}</div>',
  },
  {
    name: 'a comment line is kept (not prose)',
    prefix: FN,
    suffix: '}\n',
    multiline: true,
    raw: '  // Add them.\n  return a + b;',
    want: '  // Add them.\n  return a + b;\n',
  },
  // Fences of tildes, or of more than three backticks (Markdown's other fences).
  { name: 'a ~~~ fence', prefix: 'let n = ', suffix: '', raw: '~~~ts\n42;\n~~~', want: '42;' },
  { name: 'a ```` fence', prefix: 'let n = ', suffix: '', raw: '````typescript\n42;\n````', want: '42;' },
  {
    name: 'a ~~~~ fence after prose, with ``` inside it',
    prefix: 'fence = ',
    suffix: '\n',
    raw: 'Sure:\n~~~~python\n"```"\n~~~~',
    want: '"```"',
  },
  // Indentation in the document's kind: tabs for a tab-indented file, spaces for a space-indented one.
  {
    name: 'a tab-indented file, an answer indented with 4 spaces (Go)',
    prefix: 'func f() {\n\t',
    suffix: '\n}\n',
    multiline: true,
    raw: 'x := 1\nif x > 0 {\n    return\n}',
    want: 'x := 1\n\tif x > 0 {\n\t\treturn\n\t}',
  },
  {
    name: 'a tab-indented file, an answer indented with 2 spaces, at the cursor’s level',
    prefix: 'function f() {\n\t',
    suffix: '\n}\n',
    multiline: true,
    raw: 'const x = 1;\n  if (x) {\n    return x;\n  }',
    want: 'const x = 1;\n\tif (x) {\n\t\treturn x;\n\t}',
  },
  {
    name: 'a file indented with 2 spaces, an answer indented with tabs',
    prefix: 'function f() {\n  ',
    suffix: '\n}\n',
    multiline: true,
    raw: 'const x = 1;\nif (x) {\n\treturn x;\n}',
    want: 'const x = 1;\n  if (x) {\n    return x;\n  }',
  },
  {
    name: 'a Python file indented with 4 spaces, an answer indented with tabs',
    prefix: 'def f():\n    y = 1\n    ',
    suffix: '\n',
    multiline: true,
    raw: 'if y:\n\treturn y\nreturn 0',
    want: 'if y:\n        return y\n    return 0',
  },
  {
    name: 'an indented blank line of a tab-indented file, a reply indented with spaces to the same depth',
    prefix: 'func f() {\n\tif x {\n\t\t',
    suffix: '\n\t}\n}\n',
    raw: '        return 1',
    want: 'return 1',
  },
  {
    name: 'an indented blank line of a tab-indented file, a multi-line reply indented with 4 spaces',
    prefix: 'func f() {\n\t',
    suffix: '\n}\n',
    multiline: true,
    raw: '    x := 1\n    y := 2',
    want: 'x := 1\n\ty := 2',
  },
  {
    name: 'a tab-indented file, an answer in tabs: unchanged',
    prefix: 'function f() {\n\t',
    suffix: '\n}\n',
    multiline: true,
    raw: 'if (x) {\n\treturn x;\n}',
    want: 'if (x) {\n\t\treturn x;\n\t}',
  },
  // The line (or lines) right above the cursor written again.
  {
    name: 'the line above again, then the next line',
    prefix: 'const a = 1;\nconst b = 2;\n',
    suffix: '\n',
    raw: 'const b = 2;\nconst c = 3;',
    want: 'const c = 3;',
  },
  { name: 'only the line above again', prefix: 'x = 1\nprint(x)\n', suffix: '\n', raw: 'print(x)', want: undefined },
  {
    name: 'two lines above again in a block, its indentation not doubled',
    prefix: 'function f() {\n  const a = 1;\n\n  const b = 2;\n  ',
    suffix: '\n}\n',
    multiline: true,
    raw: 'const a = 1;\n  const b = 2;\n\n  return a + b;',
    want: 'return a + b;',
  },
  {
    name: 'the line above again in a CRLF document, indented',
    prefix: 'def f():\r\n    y = g()\r\n    ',
    suffix: '\r\n',
    raw: '    y = g()\r\n    return y',
    want: 'return y',
  },
  {
    name: 'a closer below a closer is code, kept',
    prefix: 'if (a) {\n  if (b) {\n    go();\n  }\n',
    suffix: '\n',
    raw: '}',
    want: '}',
  },
];

describe('post-processing model replies', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const got = cleanCompletion(c.raw, {
        prefix: c.prefix,
        suffix: c.suffix,
        multiline: c.multiline ?? false,
        maxLines: c.maxLines ?? 8,
      });
      // The answer replaces the rest of the line: compare the documents after accepting.
      assert.equal(
        got === undefined ? undefined : accept(c.prefix, c.suffix, got),
        c.want === undefined ? undefined : (c.doc ?? c.prefix + c.want + c.suffix),
      );
    });
  }
});

describe('where a suggestion may span lines', () => {
  const table: readonly [string, string, boolean][] = [
    ['function f() {', '\n}', true],
    ['function f() {\n  ', '\n}', true],
    ['function f() {\n\n  ', '\n}', true],
    ['def f(x):\n    ', '', true],
    ['const g = () =>', '', true],
    ['items.map((x) => {', '});', true],
    ['const x = 1;\n', '', false],
    ['  return a', ';\n}', false],
    ['foo(', 'bar)', false],
    ['if (ok) {', ' else()', false],
  ];
  for (const [prefix, suffix, want] of table) {
    it(`${JSON.stringify(prefix)} | ${JSON.stringify(suffix)} → ${want ? 'several lines' : 'one line'}`, () =>
      assert.equal(allowsMultiline(prefix, suffix), want));
  }
});
