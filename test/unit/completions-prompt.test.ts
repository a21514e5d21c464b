import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildFimPrompt, CURSOR, FIM_SYSTEM_PROMPT, fitPrefix, fitSuffix } from '../../src/completions/prompt';
import { estimateTokens } from '../../src/context/tokens';

describe('the fill-in-the-middle prompt', () => {
  it('is exactly this for a one-line context with a snippet', () => {
    const prompt = buildFimPrompt({
      prefix: 'export function add(a: number, b: number): number {\n  return a',
      suffix: ';\n}\n',
      languageId: 'typescript',
      path: 'src/math.ts',
      snippets: [{ path: 'src/util.ts', text: 'export const TWO = 2;\n\n' }],
      multiline: false,
      maxLines: 8,
    });
    assert.equal(prompt.messages.length, 2);
    assert.deepEqual(prompt.messages[0], { role: 'system', content: FIM_SYSTEM_PROMPT });
    assert.equal(
      prompt.messages[1]!.content,
      [
        'Language: typescript',
        'File: src/math.ts',
        '',
        'Recently edited code in other files (for reference only):',
        '--- src/util.ts',
        'export const TWO = 2;',
        '',
        'Complete the code at <CURSOR>: the rest of the current line only.',
        '<document>',
        'export function add(a: number, b: number): number {',
        '  return a<CURSOR>;',
        '}',
        '',
        '</document>',
      ].join('\n'),
    );
    assert.equal(prompt.prefix, 'export function add(a: number, b: number): number {\n  return a');
    assert.equal(prompt.suffix, ';\n}\n');
  });

  it('asks for a block, with the line limit, where a block starts; no snippet section without snippets', () => {
    const prompt = buildFimPrompt({
      prefix: 'def f(x):\n',
      suffix: '',
      languageId: 'python',
      path: 'a.py',
      multiline: true,
      maxLines: 5,
    });
    assert.equal(
      prompt.messages[1]!.content,
      [
        'Language: python',
        'File: a.py',
        '',
        `Complete the code at ${CURSOR}: the rest of the statement or block, at most 5 lines.`,
        '<document>',
        'def f(x):\n<CURSOR>',
        '</document>',
      ].join('\n'),
    );
  });

  it('leaves out snippets of the file itself, keeps at most three, and cuts long ones to whole lines', () => {
    const long = Array.from({ length: 200 }, (_, i) => `const value${i} = ${i};`).join('\n');
    const prompt = buildFimPrompt({
      prefix: 'x',
      suffix: '',
      languageId: 'typescript',
      path: 'a.ts',
      snippets: [
        { path: 'a.ts', text: 'self' },
        { path: 'b.ts', text: long },
        { path: 'c.ts', text: 'c' },
        { path: 'd.ts', text: '   ' },
        { path: 'e.ts', text: 'e' },
      ],
      multiline: false,
      maxLines: 1,
    });
    const user = prompt.messages[1]!.content;
    assert.ok(!user.includes('--- a.ts'));
    assert.ok(user.includes('--- b.ts\nconst value0 = 0;'));
    assert.ok(!user.includes('const value199'), 'the long snippet is cut');
    assert.ok(user.includes('--- c.ts\nc'));
    assert.ok(!user.includes('--- d.ts'), 'a blank snippet is dropped');
    assert.ok(!user.includes('--- e.ts'), 'three snippets at most (of the first three others)');
    const b = /--- b\.ts\n([\s\S]*?)\n--- c\.ts/.exec(user)![1]!;
    assert.ok(estimateTokens(b) <= 125, `snippet within its share (${estimateTokens(b)})`);
    assert.ok(
      b.split('\n').every((l) => /^const value\d+ = \d+;$/.test(l)),
      'whole lines only',
    );
  });

  it('fits the prefix from the cursor up and the suffix from the cursor down, in whole lines', () => {
    const lines = Array.from({ length: 3000 }, (_, i) => `line ${i}`);
    const prefix = `${lines.join('\n')}\npartial`;
    const suffix = `rest\n${lines.join('\n')}`;
    const p = fitPrefix(prefix, 1500);
    const s = fitSuffix(suffix, 500);
    assert.ok(p.endsWith('line 2999\npartial'));
    assert.ok(p.startsWith('line '), 'starts at a line start');
    assert.ok(prefix.endsWith(p));
    assert.ok(s.startsWith('rest\nline 0\n'));
    assert.ok(suffix.startsWith(s));
    const pt = estimateTokens(p);
    const st = estimateTokens(s);
    assert.ok(pt <= 1500 && pt > 1400, `prefix ${pt} tokens`);
    assert.ok(st <= 500 && st > 450, `suffix ${st} tokens`);
    const prompt = buildFimPrompt({
      prefix,
      suffix,
      languageId: 'plaintext',
      path: 'big.txt',
      multiline: false,
      maxLines: 1,
    });
    const real = estimateTokens(prompt.messages.map((m) => m.content).join('\n'));
    assert.ok(
      Math.abs(prompt.promptTokens - real) / real < 0.05,
      `estimated ${prompt.promptTokens} vs counted ${real}`,
    );
  });

  it('cuts one overlong line (minified code) by characters instead of dropping it', () => {
    const minified = 'a'.repeat(50_000);
    assert.equal(fitPrefix(minified, 100), 'a'.repeat(400));
    assert.equal(fitSuffix(minified, 100), 'a'.repeat(400));
    assert.ok(
      fitPrefix(`x\n${minified}`, 100).endsWith(`\n${'a'.repeat(400)}`),
      'lines above still fit around the cut',
    );
    assert.equal(fitPrefix('', 100), '');
  });
});
