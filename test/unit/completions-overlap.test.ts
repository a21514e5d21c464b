/**
 * Property tests of post-processing (fast-check): an intended document is generated, the editor
 * state a user reaches by typing it with VS Code's defaults (auto-closed brackets and quotes after
 * the cursor), and the answers models give for it — the exact insertion, the insertion with the
 * closing characters (and `;`), with only some of them, with the following lines repeated, a
 * block with or without its closing `}`, indented from column 0 or absolutely, the insertion with
 * closers the next line has already or one bracket too many, and the suffix alone. Accepting the cleaned answer must give the intended document, with balanced brackets;
 * an answer that is only the suffix shows nothing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { imbalance, scanBrackets } from '../../src/completions/brackets';
import { allowsMultiline, cleanCompletion } from '../../src/completions/postprocess';
import { accept } from './completionsDoc';

const RUNS = { numRuns: 400 };
const ident = fc.constantFrom('a', 'x', 'total', 'circleArea', 'items', 'value', 'Math.PI', 'user.name');
const word = fc.constantFrom('area', 'hello', 'total is', 'radius', 'done', 'x y');

/** A balanced expression (no `;`, no quotes of the enclosing string). */
const expr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    ident,
    fc.integer({ min: 0, max: 99 }).map(String),
    word.map((w) => `'${w}'`),
    fc.tuple(ident, fc.array(tie('e'), { maxLength: 2 })).map(([f, args]) => `${f}(${args.join(', ')})`),
    fc.array(tie('e'), { minLength: 1, maxLength: 2 }).map((xs) => `[${xs.join(', ')}]`),
    fc.tuple(tie('e'), tie('e')).map(([a, b]) => `${a} * ${b}`),
  ),
})).e;

/** One bracket or string the user opened on the line (VS Code closed it after the cursor). */
const frame = fc.oneof(
  ident.map((f) => ({ text: `${f}(`, close: ')' })),
  expr.map((e) => ({ text: `foo(${e}, `, close: ')' })),
  fc.constant({ text: '[', close: ']' }),
  fc.constant({ text: '{ key: ', close: '}' }),
);
const quote = fc.constantFrom({ text: "'", close: "'" }, { text: '"', close: '"' });

const HEAD = 'function run() {\n';
const AFTER = '\n}\n\nexport default run;\n';

interface LineCase {
  readonly prefix: string;
  readonly suffix: string;
  readonly middle: string;
  readonly closers: string;
  readonly lead: string;
  /** Text already after the auto-closed characters (`;` of existing code), or ''. */
  readonly existing: string;
}

const lineCase: fc.Arbitrary<LineCase> = fc
  .tuple(
    fc.constantFrom('console.log(', 'const s = ', 'return ', 'items.push('),
    fc.array(frame, { maxLength: 3 }),
    fc.option(quote, { nil: undefined }),
    expr,
    word,
    fc.constantFrom('', ';'),
  )
  .filter(([lead, frames, q]) => frames.length > 0 || q !== undefined || lead.endsWith('('))
  .map(([lead, frames, q, e, w, existing]) => {
    const opened = [
      ...(lead.endsWith('(') ? [{ text: lead, close: ')' }] : [{ text: lead, close: '' }]),
      ...frames,
      ...(q ? [q] : []),
    ];
    const before = `  ${opened.map((f) => f.text).join('')}`;
    const closers = opened
      .map((f) => f.close)
      .reverse()
      .join('');
    return { prefix: HEAD + before, suffix: closers + existing + AFTER, middle: q ? w : e, closers, lead, existing };
  });

const clean = (raw: string, prefix: string, suffix: string): string | undefined =>
  cleanCompletion(raw, { prefix, suffix, multiline: allowsMultiline(prefix, suffix), maxLines: 6 });

function assertAccepted(raw: string, prefix: string, suffix: string, intended: string): void {
  const got = clean(raw, prefix, suffix);
  assert.notEqual(got, undefined, `nothing shown for ${JSON.stringify(raw)}`);
  const doc = accept(prefix, suffix, got!);
  assert.equal(
    doc,
    intended,
    `answer ${JSON.stringify(raw)} at ${JSON.stringify(prefix.split('\n').at(-1))}|${JSON.stringify(suffix.split('\n')[0])}`,
  );
  assert.deepEqual(imbalance(scanBrackets(doc)), [0, 0], 'brackets stay balanced');
}

describe('post-processing leaves the intended line with auto-closed brackets and quotes', () => {
  it('the exact insertion: the auto-closed characters stay', () => {
    fc.assert(
      fc.property(lineCase, (c) => assertAccepted(c.middle, c.prefix, c.suffix, c.prefix + c.middle + c.suffix)),
      RUNS,
    );
  });

  it('the insertion with every closing character (and a `;`): they replace the auto-closed ones', () => {
    fc.assert(
      fc.property(lineCase, fc.constantFrom('', ';'), (c, tail) =>
        assertAccepted(
          c.middle + c.closers + tail,
          c.prefix,
          c.suffix,
          c.prefix + c.middle + c.closers + (tail || c.existing) + AFTER,
        ),
      ),
      RUNS,
    );
  });

  it('the insertion with some of the closing characters', () => {
    fc.assert(
      fc.property(lineCase, fc.nat(), (c, n) => {
        const closers = c.closers.replace(/ /g, '');
        const k = n % Math.max(1, closers.length);
        assertAccepted(c.middle + closers.slice(0, k), c.prefix, c.suffix, c.prefix + c.middle + c.suffix);
      }),
      RUNS,
    );
  });

  it('the rest of the line followed by the rest of the file', () => {
    fc.assert(
      fc.property(lineCase, (c) =>
        assertAccepted(
          c.middle + c.closers + ';' + AFTER,
          c.prefix,
          c.suffix,
          c.prefix + c.middle + c.closers + ';' + AFTER,
        ),
      ),
      RUNS,
    );
  });

  it('the insertion with its closing brackets, where they stand on the next line already: they are left off', () => {
    fc.assert(
      fc.property(
        lineCase.filter((c) => !/['"]/.test(c.closers) && c.closers !== ''),
        fc.constantFrom('', ';'),
        (c, tail) => {
          const suffix = `\n  ${c.closers}${tail}${AFTER}`;
          assertAccepted(c.middle + c.closers + tail, c.prefix, suffix, c.prefix + c.middle + suffix);
        },
      ),
      RUNS,
    );
  });

  it('the insertion closing one bracket more than is open, nothing after it on the line: the extra one is left off', () => {
    fc.assert(
      fc.property(
        lineCase.filter((c) => /[)\]}]$/.test(c.closers) && !/['"]/.test(c.closers)),
        fc.constantFrom('', ';'),
        (c, tail) => {
          const suffix = AFTER;
          const raw = c.middle + c.closers + c.closers.at(-1)! + tail;
          assertAccepted(raw, c.prefix, suffix, c.prefix + c.middle + c.closers + tail + suffix);
        },
      ),
      RUNS,
    );
  });

  it('an answer that is only the suffix shows nothing', () => {
    fc.assert(
      fc.property(lineCase, fc.boolean(), (c, withFile) => {
        assert.equal(clean(c.closers + c.existing + (withFile ? AFTER : ''), c.prefix, c.suffix), undefined);
      }),
      RUNS,
    );
  });
});

/** Statements of a block body, each a list of lines indented relative to the body. */
const statement = fc.oneof(
  fc.tuple(ident, expr).map(([v, e]) => [`const ${v.replace('.', '_')}2 = ${e};`]),
  expr.map((e) => [`log(${e});`]),
  fc.tuple(ident, expr).map(([v, e]) => [`if (${v}) {`, `  return ${e};`, '}']),
  fc.tuple(expr, expr).map(([a, b]) => [`items.forEach((it) => {`, `  use(it, ${a});`, `  use(${b});`, '});']),
);

const blockCase = fc
  .tuple(
    fc.array(statement, { minLength: 1, maxLength: 3 }),
    fc.constantFrom('', '  ', '    '),
    fc.constantFrom('function', 'method'),
  )
  .map(([stmts, outer, kind]) => {
    const body = stmts.flat();
    const open = kind === 'function' ? `${outer}function f(a) {` : `${outer}run(a) {`;
    const indent = `${outer}  `;
    const prefix = `// header\n${open}\n${indent}`;
    const below = [`${outer}}`, '', `${outer}export const done = true;`];
    return { prefix, suffix: `\n${below.join('\n')}\n`, body, indent, below, outer };
  });

describe('post-processing of block answers (cursor on the blank line VS Code opens inside `{}`)', () => {
  it('with or without the closing line and the following lines, indented from column 0 or absolutely', () => {
    fc.assert(
      fc.property(blockCase, fc.boolean(), fc.constantFrom(0, 1, 3), (c, absolute, repeated) => {
        const lines = c.body.map((l, i) => (absolute && i > 0 ? c.indent + l : l));
        const tail = c.below.slice(0, repeated).map((l) => (absolute ? l : l.trimStart()));
        const raw = [...lines, ...tail].join('\n');
        const intended = c.prefix + c.body.map((l, i) => (i === 0 ? l : c.indent + l)).join('\n') + c.suffix;
        const got = cleanCompletion(raw, { prefix: c.prefix, suffix: c.suffix, multiline: true, maxLines: 20 });
        assert.notEqual(got, undefined);
        assert.equal(accept(c.prefix, c.suffix, got!), intended, `answer ${JSON.stringify(raw)}`);
        assert.deepEqual(imbalance(scanBrackets(accept(c.prefix, c.suffix, got!))), [0, 0]);
      }),
      RUNS,
    );
  });

  it('the closing line and what follows, alone, show nothing', () => {
    fc.assert(
      fc.property(blockCase, fc.constantFrom(1, 3), (c, n) => {
        assert.equal(
          cleanCompletion(c.below.slice(0, n).join('\n'), {
            prefix: c.prefix,
            suffix: c.suffix,
            multiline: true,
            maxLines: 20,
          }),
          undefined,
        );
      }),
      RUNS,
    );
  });
});
