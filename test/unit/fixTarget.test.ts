/**
 * Fix with nothing selected (issue 26): the problems at the cursor, else the enclosing code
 * symbol, else the enclosing block by indentation — never a lone closing `}`. Variants over
 * languages (braces, Python's colons, Ruby's `end`), cursor places (header, body, closer, blank
 * line inside) and symbol trees (nested methods, variables inside functions).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { enclosingBlock, enclosingSymbol, fixSpan, type SymbolSpan } from '../../src/context/fixTarget';

const TS = `/** Small arithmetic helpers. */
export function add(a: number, b: number): number {
  return a + b;
}

export class Calc {
  total = 0;

  push(n: number): void {
    if (n < 0) {
      throw new RangeError('negative');
    }
    this.total += n;
  }
}
`.split('\n');

const PY = `def area(w, h):
    if w < 0:
        raise ValueError("w")

    return w + h


print(area(2, 3))
`.split('\n');

const RB = `def greet(name)
  puts "hi #{name}"
end
`.split('\n');

const sym = (kind: string, startLine: number, endLine: number, children: SymbolSpan[] = []): SymbolSpan => ({
  kind,
  startLine,
  endLine,
  children,
});
const SYMBOLS = [
  sym('Function', 1, 3),
  sym('Class', 5, 14, [sym('Property', 6, 6), sym('Method', 8, 13, [sym('Variable', 9, 9)])]),
];

describe('Fix without a selection', () => {
  it('the enclosing code symbol: innermost method, not a variable or property; a class body line takes the class', () => {
    assert.deepEqual(enclosingSymbol(SYMBOLS, 3), { startLine: 1, endLine: 3 }, 'the } of add');
    assert.deepEqual(enclosingSymbol(SYMBOLS, 9), { startLine: 8, endLine: 13 }, 'a variable inside push → push');
    assert.deepEqual(enclosingSymbol(SYMBOLS, 6), { startLine: 5, endLine: 14 }, 'a property → the class');
    assert.equal(enclosingSymbol(SYMBOLS, 4), undefined, 'between symbols');
  });

  it('by indentation when the language has no symbols: closers, headers, bodies, in braces, colons and end', () => {
    assert.deepEqual(enclosingBlock(TS, 3), { startLine: 1, endLine: 3 }, 'a lone } → its function');
    assert.deepEqual(enclosingBlock(TS, 1), { startLine: 1, endLine: 3 }, 'the header → header and body');
    assert.deepEqual(enclosingBlock(TS, 2), { startLine: 1, endLine: 3 }, 'a body line → its block');
    assert.deepEqual(enclosingBlock(TS, 11), { startLine: 9, endLine: 11 }, 'the } of an if → the if');
    assert.deepEqual(enclosingBlock(TS, 12), { startLine: 8, endLine: 13 }, 'a statement of push → push');
    assert.deepEqual(
      enclosingBlock(PY, 4),
      { startLine: 0, endLine: 4 },
      'python: a return → its def (blank line inside kept)',
    );
    assert.deepEqual(enclosingBlock(PY, 2), { startLine: 1, endLine: 2 }, 'python: the raise → its if');
    assert.deepEqual(enclosingBlock(PY, 7), { startLine: 7, endLine: 7 }, 'a top-level statement is itself');
    assert.deepEqual(enclosingBlock(RB, 2), { startLine: 0, endLine: 2 }, 'ruby: end → its def');
  });

  it('problems at the cursor win; else symbols; else blocks', () => {
    assert.deepEqual(fixSpan(TS, 3, [{ startLine: 2, endLine: 3 }], SYMBOLS), { startLine: 2, endLine: 3 });
    assert.deepEqual(fixSpan(TS, 3, [{ startLine: 10, endLine: 10 }], SYMBOLS), { startLine: 1, endLine: 3 });
    assert.deepEqual(fixSpan(TS, 11, [], []), { startLine: 9, endLine: 11 });
  });
});
