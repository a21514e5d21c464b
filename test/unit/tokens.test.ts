/**
 * Issue 15, kind 5: token counting is bounded. Correctness only (speed is `npm run bench`, the
 * "chip, 500 KB …" rows): exact where it used to be exact, long runs counted in slices, long texts
 * estimated close to (and not below) the exact count, and cutting a long text stays within budget.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { truncateToTokens } from '../../src/context/fit';
import { countTokens } from '../../src/context/tokenizer';
import { estimateTokens, EXACT_MAX_CHARS, isEstimated, RUN_SLICE } from '../../src/context/tokens';
import { chipTexts } from '../../bench/chips';

const source = `export function add(a: number, b: number): number {\n  // adds two numbers\n  return a + b;\n}\n`;

describe('estimateTokens (bounded)', () => {
  it('is exact for ordinary text up to the exact limit', () => {
    for (const text of ['hello world', source, source.repeat(50)])
      assert.equal(estimateTokens(text), countTokens(text), `${text.length} chars`);
    assert.ok(source.repeat(50).length < EXACT_MAX_CHARS);
  });
  it('counts a long unbroken run in slices: within one token per slice of exact', () => {
    for (const run of ['a'.repeat(3000), '='.repeat(3000), ' '.repeat(3000), `x${'ab'.repeat(1500)}`]) {
      const exact = countTokens(run);
      const bounded = estimateTokens(run);
      const slices = Math.ceil(run.length / RUN_SLICE) + 1;
      assert.ok(Math.abs(bounded - exact) <= slices, `${bounded} vs exact ${exact} (${slices} slices)`);
    }
  });
  it('gives a finite count for a 500 KB run of one letter (it used to take minutes)', () => {
    const count = estimateTokens('a'.repeat(500 * 1024));
    assert.ok(count > (500 * 1024) / RUN_SLICE && count < 500 * 1024, String(count));
  });
  for (const [name, text] of Object.entries(chipTexts())) {
    it(`estimates a 500 KB ${name} text within 15 % above its exact count`, () => {
      assert.equal(isEstimated(text), true);
      const estimate = estimateTokens(text);
      // The exact count of the same text, in 8 KB pieces at whitespace or anywhere (a reference, not the product).
      let exact = 0;
      for (let i = 0; i < text.length; i += 8192) exact += countTokens(text.slice(i, i + 8192));
      assert.ok(estimate >= exact * 0.97, `${name}: estimate ${estimate} vs exact ${exact}`);
      assert.ok(estimate <= exact * 1.15, `${name}: estimate ${estimate} vs exact ${exact}`);
    });
  }
});

describe('truncateToTokens on long texts', () => {
  for (const [name, text] of Object.entries(chipTexts())) {
    it(`cuts a 500 KB ${name} text to a prefix within the budget`, () => {
      const cut = truncateToTokens(text, 20_000);
      assert.ok(cut.length > 0, 'something is kept');
      assert.ok(text.startsWith(cut), 'a prefix');
      assert.ok(estimateTokens(cut) <= 20_000, `${estimateTokens(cut)} tokens`);
      assert.ok(estimateTokens(cut) > 20_000 * 0.6, 'most of the budget is used');
    });
  }
});
