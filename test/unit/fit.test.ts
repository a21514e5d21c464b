import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attachmentLabel, renderAttachment, type Attachment } from '../../src/context/attachment';
import { attachmentBudget, fitAttachments, truncateToTokens } from '../../src/context/fit';
import { estimateTokens } from '../../src/context/tokens';

const code = (lines: number): string => Array.from({ length: lines }, (_, i) => `export function f${i}(a: number, b: number): number { return a * ${i} + b; }`).join('\n');
const attach = (content: string, extra: Partial<Attachment> = {}): Attachment => ({ id: 'a1', kind: 'selection', path: 'src/app.ts', language: 'typescript', startLine: 10, endLine: 20, content, ...extra });

describe('estimateTokens', () => {
  it('is zero for nothing and grows with text', () => {
    assert.equal(estimateTokens(''), 0);
    assert.ok(estimateTokens('hello world') >= 2);
    assert.ok(estimateTokens(code(100)) > estimateTokens(code(10)) * 9);
  });
  it('lands near 3-4 characters per token on code', () => {
    const text = code(200);
    const ratio = text.length / estimateTokens(text);
    assert.ok(ratio > 2 && ratio < 5, `chars/token ${ratio}`);
  });
});

describe('fitAttachments', () => {
  it('keeps an attachment whole when it fits', () => {
    const [f] = fitAttachments({ attachments: [attach(code(10))], contextLength: 128000, reservedOutput: 4096, otherTokens: 100 });
    assert.equal(f!.truncated, false);
    assert.equal(f!.tokens, f!.originalTokens);
    assert.ok(f!.rendered.includes('src/app.ts:10-20'));
  });
  it('truncates at a line boundary to fit the window and says so', () => {
    const content = code(2000);
    const [f] = fitAttachments({ attachments: [attach(content)], contextLength: 8192, reservedOutput: 2048, otherTokens: 200 });
    assert.equal(f!.truncated, true);
    assert.equal(f!.dropped, false);
    assert.ok(f!.tokens <= attachmentBudget(8192, 2048, 200), `${f!.tokens} fits`);
    assert.ok(f!.originalTokens > f!.tokens);
    assert.match(f!.rendered, /truncated to fit/);
    const body = f!.rendered.split('\n').slice(2, -1);
    assert.ok(body.every((line) => content.includes(line)), 'only whole lines are kept');
  });
  it('drops what no longer fits', () => {
    const fitted = fitAttachments({ attachments: [attach(code(3000)), attach(code(5), { id: 'a2' })], contextLength: 4096, reservedOutput: 1024, otherTokens: 0 });
    assert.equal(fitted[1]!.dropped, true);
    assert.equal(fitted[1]!.rendered, '');
  });
});

describe('truncateToTokens', () => {
  it('cuts a single huge line by characters', () => {
    const out = truncateToTokens('x'.repeat(100_000), 100);
    assert.ok(out.length > 0 && estimateTokens(out) <= 100);
  });
  it('returns nothing for a zero budget', () => {
    assert.equal(truncateToTokens('abc', 0), '');
  });
});

describe('attachments', () => {
  it('labels ranges and files', () => {
    assert.equal(attachmentLabel({ path: 'a.ts', startLine: 3, endLine: 3 }), 'a.ts:3');
    assert.equal(attachmentLabel({ path: 'a.ts' }), 'a.ts');
  });
  it('uses a longer fence when the content has one', () => {
    assert.match(renderAttachment(attach('```js\nx\n```')), /^Selected code.*\n````typescript/);
  });
});

describe('fitting never exceeds the budget', () => {
  const minified = Array.from({ length: 20_000 }, (_, i) => `a${i}:[{},()];`).join('');
  it('cuts a punctuation-heavy single line within budget', () => {
    for (const budget of [10, 100, 1000, 3000]) {
      const out = truncateToTokens(minified, budget);
      assert.ok(out.length > 0, `something is kept at ${budget}`);
      assert.ok(estimateTokens(out) <= budget, `${estimateTokens(out)} <= ${budget}`);
    }
  });
  it('keeps every fitted attachment inside the window', () => {
    for (const contextLength of [2048, 8192, 32768]) {
      const fitted = fitAttachments({ attachments: [attach(minified), attach(code(500), { id: 'a2' })], contextLength, reservedOutput: 1024, otherTokens: 50 });
      const used = fitted.reduce((n, f) => n + f.tokens, 0);
      assert.ok(used <= attachmentBudget(contextLength, 1024, 50), `${used} tokens fit ${contextLength}`);
    }
  });
  it('reserves at most half the window for output', () => {
    assert.equal(attachmentBudget(2048, 100_000, 0), Math.floor(2048 * 0.95) - 1024);
  });
});
