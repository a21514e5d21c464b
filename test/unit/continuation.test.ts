import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  CONTINUE_PROMPT,
  ContinuationSplicer,
  continuationMessages,
  honoursPrefill,
  overlapLength,
  spliceContinuation,
} from '../../src/chat/continuation';

/** Streams `continuation` in the given piece sizes and returns partial + what was shown. */
function streamed(partial: string, continuation: string, sizes: readonly number[] = [3]): string {
  const splicer = new ContinuationSplicer(partial);
  let shown = '';
  let at = 0;
  for (let k = 0; at < continuation.length; k++) {
    const size = Math.max(1, sizes[k % sizes.length] ?? 3);
    shown += splicer.push(continuation.slice(at, at + size));
    at += size;
  }
  shown += splicer.end();
  assert.equal(shown, splicer.shown, 'what was pushed out is what it reports as shown');
  return partial + shown;
}

describe('continuation splicing (issue 11 §2)', () => {
  it('the reported case: a fallback that restarts "The function adds " shows each word once', () => {
    assert.equal(
      streamed('The function adds ', 'The function adds two numbers and returns the sum.'),
      'The function adds two numbers and returns the sum.',
    );
  });

  it('"PartPartPart…": a restart that only repeats the partial adds nothing', () => {
    assert.equal(streamed('Part', 'Part'), 'Part');
    let text = 'Part';
    for (let i = 0; i < 4; i++) text += spliceContinuation(text, 'Part');
    assert.equal(text, 'Part');
    assert.equal(streamed(text, 'Part of the answer.'), 'Part of the answer.');
  });

  it('variants: a proper continuation, a cut mid-word, whitespace differences, a step back, a diverging restart', () => {
    assert.equal(
      streamed('The function adds ', 'two numbers.'),
      'The function adds two numbers.',
      'a model that honours the prefill',
    );
    assert.equal(
      streamed('The function add', 'The function adds two numbers.'),
      'The function adds two numbers.',
      'cut mid-word, restarted',
    );
    assert.equal(
      streamed('The  function\nadds', ' The function adds two numbers.', [1]),
      'The  function\nadds two numbers.',
      'whitespace may differ',
    );
    assert.equal(
      streamed('It returns the sum of a and b', 'the sum of a and b, as a number.'),
      'It returns the sum of a and b, as a number.',
      'a step back of a few words',
    );
    assert.equal(
      streamed('The function adds two numbers. It', 'The function adds them and logs.'),
      'The function adds two numbers. It them and logs.',
      'a restart that diverges: the shared words are not repeated',
    );
    assert.equal(streamed('Hello', '.'), 'Hello.', 'a one-character continuation is kept');
    assert.equal(streamed('', 'Fresh answer'), 'Fresh answer', 'nothing to splice onto');
    assert.equal(streamed('a b c', ' a b c d e', [100]), 'a b c d e', 'one big piece');
  });

  it("short overlaps (one word) may be the model's own: kept", () => {
    assert.equal(overlapLength('I think the', 'the answer'), 0);
    assert.equal(streamed('I think the', ' the answer is 4'), 'I think the the answer is 4');
  });

  it('holds nothing back once the continuation departs from the partial', () => {
    const splicer = new ContinuationSplicer('The function adds ');
    assert.equal(splicer.push('The func'), '', 'could still be a restart: held');
    assert.equal(splicer.push('tion adds two'), 'two');
    assert.equal(splicer.push(' numbers'), ' numbers', 'then every piece at once');
    const fresh = new ContinuationSplicer('The function adds ');
    assert.equal(fresh.push('two'), 'two', 'not in the partial: shown at once');
  });

  it('property: for random partials and restarts at any offset, no duplicated span of more than a word that the model did not write', () => {
    const wordA = fc.constantFrom('alpha', 'beta', 'gamma', 'delta', 'eps', 'zeta', 'eta', 'theta', 'iota', 'kappa');
    const wordB = fc.constantFrom('ONE', 'TWO', 'THREE', 'FOUR', 'FIVE', 'SIX');
    fc.assert(
      fc.property(
        fc.array(wordA, { minLength: 1, maxLength: 25 }),
        fc.array(wordB, { minLength: 1, maxLength: 15 }),
        fc.nat(),
        fc.constantFrom('restart', 'prefix', 'stepBack', 'proper'),
        fc.boolean(),
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 5 }),
        (p, fresh, offset, how, trailingSpace, sizes) => {
          const partial = p.join(' ') + (trailingSpace ? ' ' : '');
          const n = p.length;
          let repeated: string[];
          if (how === 'restart') repeated = p;
          else if (how === 'prefix') repeated = p.slice(0, 2 + (offset % Math.max(1, n - 1)));
          else if (how === 'stepBack') repeated = p.slice(n - Math.min(n, 2 + (offset % n)));
          else repeated = [];
          const continuation = [...repeated, ...fresh].join(' ');
          const result = streamed(partial, (trailingSpace || repeated.length ? '' : ' ') + continuation, sizes);
          const words = result.split(/\s+/).filter(Boolean);
          // The fresh words appear once, right after the partial's words; nothing of the partial repeats.
          assert.deepEqual(
            words,
            [...p, ...fresh],
            `${how}: ${JSON.stringify(partial)} + ${JSON.stringify(continuation)} → ${JSON.stringify(result)}`,
          );
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('prefill rule (per model)', () => {
  it('sends a prefill only to models that honour it; others get the partial and a "continue" user turn', () => {
    const base = [{ role: 'user' as const, content: 'Q' }];
    assert.equal(honoursPrefill('anthropic/claude-sonnet-4'), true);
    assert.equal(honoursPrefill('~anthropic/claude-sonnet-latest'), true, 'an alias of the family');
    assert.equal(honoursPrefill('anthropic/claude-3.7-sonnet:thinking'), true);
    for (const m of [
      'openai/gpt-4o-mini',
      'openrouter/auto',
      'mistralai/mistral-small:free',
      'google/gemini-2.5-flash',
      '~google/gemini-flash-latest',
      'anthropic',
    ])
      assert.equal(honoursPrefill(m), false, m);
    assert.deepEqual(continuationMessages(base, 'Part', 'anthropic/claude-sonnet-4'), [
      ...base,
      { role: 'assistant', content: 'Part' },
    ]);
    assert.deepEqual(continuationMessages(base, 'Part', 'openai/gpt-4o-mini'), [
      ...base,
      { role: 'assistant', content: 'Part' },
      { role: 'user', content: CONTINUE_PROMPT },
    ]);
    assert.deepEqual(continuationMessages(base, '', 'openai/gpt-4o-mini'), base, 'a fresh start has no partial');
  });
});
