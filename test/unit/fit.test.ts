import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attachmentLabel, relevance, renderAttachment, type Attachment } from '../../src/context/attachment';
import { attachmentBudget, fitAttachments, fitReport, truncateToTokens } from '../../src/context/fit';
import { estimateTokens } from '../../src/context/tokens';

const code = (lines: number): string =>
  Array.from(
    { length: lines },
    (_, i) => `export function f${i}(a: number, b: number): number { return a * ${i} + b; }`,
  ).join('\n');
const attach = (content: string, extra: Partial<Attachment> = {}): Attachment => ({
  id: 'a1',
  kind: 'selection',
  path: 'src/app.ts',
  language: 'typescript',
  startLine: 10,
  endLine: 20,
  content,
  ...extra,
});

describe('estimateTokens (the real cl100k_base tokenizer)', () => {
  it('counts exactly what the tokenizer counts', () => {
    assert.equal(estimateTokens(''), 0);
    assert.equal(estimateTokens('hello world'), 2);
    assert.equal(estimateTokens('function add(a, b) { return a + b; }'), 13);
    assert.ok(estimateTokens(code(100)) > estimateTokens(code(10)) * 9);
  });
  it('lands at 3-5 characters per token on code', () => {
    const text = code(200);
    const ratio = text.length / estimateTokens(text);
    assert.ok(ratio > 2 && ratio < 6, `chars/token ${ratio}`);
  });
  it('gives the same count for a remembered large text', () => {
    const big = code(3000);
    assert.equal(estimateTokens(big), estimateTokens(big));
  });
});

describe('fitting by relevance (least relevant dropped first)', () => {
  const sel = attach(code(40), { id: 'sel', kind: 'selection', source: 'mention' });
  const picked = attach(code(300), {
    id: 'picked',
    kind: 'file',
    source: 'mention',
    path: 'src/picked.ts',
    startLine: undefined,
    endLine: undefined,
  });
  const auto = attach(code(300), {
    id: 'auto',
    kind: 'file',
    source: 'auto',
    path: 'src/active.ts',
    startLine: undefined,
    endLine: undefined,
  });
  const problems = attach('src/app.ts:12:3 error: Type string is not assignable to type number.', {
    id: 'problems',
    kind: 'problems',
    source: 'action',
    path: 'src/app.ts',
    startLine: undefined,
    endLine: undefined,
  });

  it('drops the automatic active file before a file you picked, and keeps your selection and problems whole', () => {
    const whole = (a: Attachment): number => estimateTokens(renderAttachment(a));
    // Room for everything but the automatic file.
    const budget = whole(sel) + whole(picked) + whole(problems) + 50;
    const contextLength = Math.ceil((budget + 1000 + 100) / 0.95) + 1;
    const fitted = fitAttachments({
      attachments: [auto, picked, sel, problems],
      contextLength,
      reservedOutput: 1000,
      otherTokens: 100,
    });
    assert.deepEqual(
      fitted.map((f) => f.attachment.id),
      ['auto', 'picked', 'sel', 'problems'],
      'the order given is kept',
    );
    const byId = Object.fromEntries(fitted.map((f) => [f.attachment.id, f]));
    assert.ok(
      byId.auto!.dropped || byId.auto!.truncated,
      'the least relevant is the one cut (to the few tokens left) or dropped',
    );
    assert.equal(byId.picked!.dropped, false);
    assert.equal(byId.picked!.truncated, false);
    assert.equal(byId.sel!.truncated, false);
    assert.equal(byId.problems!.truncated, false);
    const report = fitReport(fitted, attachmentLabel);
    assert.equal(report.length, 1);
    assert.match(
      report[0]!,
      /^src\/active\.ts (was not sent: it did not fit the model's context window|was cut to \d+ of \d+ tokens)/,
    );
  });

  it('cuts the most relevant one when even it does not fit, and drops everything less relevant', () => {
    const fitted = fitAttachments({
      attachments: [auto, sel, problems],
      contextLength: 1800,
      reservedOutput: 1000,
      otherTokens: 100,
    });
    const byId = Object.fromEntries(fitted.map((f) => [f.attachment.id, f]));
    assert.equal(byId.sel!.truncated, true);
    assert.equal(byId.sel!.dropped, false);
    assert.equal(
      byId.problems!.dropped,
      true,
      'less relevant than the selection: dropped, never sent whole after a cut',
    );
    assert.equal(byId.auto!.dropped, true);
    assert.ok(fitted.reduce((n, f) => n + f.tokens, 0) <= attachmentBudget(1800, 1000, 100));
    assert.match(fitReport(fitted, attachmentLabel).join('\n'), /src\/app\.ts:10-20 was cut to \d+ of \d+ tokens/);
  });

  it('ranks selection > problems > picked file > diff > terminal > open editors > automatic file', () => {
    const order = (['selection', 'problems', 'file', 'diff', 'terminal'] as const).map((kind) =>
      relevance({ kind, source: 'mention' }),
    );
    assert.deepEqual(
      [...order].sort((a, b) => b - a),
      order,
    );
    assert.ok(relevance({ kind: 'file', source: 'open' }) < relevance({ kind: 'terminal' }));
    assert.ok(relevance({ kind: 'file', source: 'auto' }) < relevance({ kind: 'file', source: 'open' }));
  });
});

describe('fitAttachments', () => {
  it('keeps an attachment whole when it fits', () => {
    const [f] = fitAttachments({
      attachments: [attach(code(10))],
      contextLength: 128000,
      reservedOutput: 4096,
      otherTokens: 100,
    });
    assert.equal(f!.truncated, false);
    assert.equal(f!.tokens, f!.originalTokens);
    assert.ok(f!.rendered.includes('src/app.ts:10-20'));
  });
  it('truncates at a line boundary to fit the window and says so', () => {
    const content = code(2000);
    const [f] = fitAttachments({
      attachments: [attach(content)],
      contextLength: 8192,
      reservedOutput: 2048,
      otherTokens: 200,
    });
    assert.equal(f!.truncated, true);
    assert.equal(f!.dropped, false);
    assert.ok(f!.tokens <= attachmentBudget(8192, 2048, 200), `${f!.tokens} fits`);
    assert.ok(f!.originalTokens > f!.tokens);
    assert.match(f!.rendered, /truncated to fit/);
    const body = f!.rendered.split('\n').slice(2, -1);
    assert.ok(
      body.every((line) => content.includes(line)),
      'only whole lines are kept',
    );
  });
  it('drops what no longer fits', () => {
    const fitted = fitAttachments({
      attachments: [attach(code(3000)), attach(code(5), { id: 'a2' })],
      contextLength: 4096,
      reservedOutput: 1024,
      otherTokens: 0,
    });
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
      const fitted = fitAttachments({
        attachments: [attach(minified), attach(code(500), { id: 'a2' })],
        contextLength,
        reservedOutput: 1024,
        otherTokens: 50,
      });
      const used = fitted.reduce((n, f) => n + f.tokens, 0);
      assert.ok(used <= attachmentBudget(contextLength, 1024, 50), `${used} tokens fit ${contextLength}`);
    }
  });
  it('reserves at most half the window for output', () => {
    assert.equal(attachmentBudget(2048, 100_000, 0), Math.floor(2048 * 0.95) - 1024);
  });
});
