import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  chipLabelParts,
  chipText,
  formatCompact,
  formatCost,
  formatCount,
  formatDuration,
  isFallback,
  metaSegments,
  modelTooltip,
} from '../../src/webview/format';
import { sanitizeState } from '../../src/webview/vscodeApi';

describe('webview formatting', () => {
  it('formats costs in USD', () => {
    assert.equal(formatCost(0), 'free');
    assert.equal(formatCost(0.000123), '$0.000123');
    assert.equal(formatCost(0.0001234), '$0.000123');
    assert.equal(formatCost(0.0000004), '<$0.000001');
    assert.equal(formatCost(0.000001), '$0.000001');
    assert.equal(formatCost(0.0001), '$0.0001');
    assert.equal(formatCost(0.009192), '$0.009192');
    assert.equal(formatCost(0.0123456), '$0.0123');
    assert.equal(formatCost(0.5), '$0.50');
    assert.equal(formatCost(1), '$1.00');
    assert.equal(formatCost(12.345), '$12.35');
    assert.equal(formatCost(-1), '');
    assert.equal(formatCost(Number.NaN), '');
  });

  it('formats counts exactly and compactly', () => {
    assert.equal(formatCount(1234567), '1,234,567');
    assert.equal(formatCount(12.6), '13');
    assert.equal(formatCompact(950), '950');
    assert.equal(formatCompact(1234), '1.2k');
    assert.equal(formatCompact(4000), '4k');
    assert.equal(formatCompact(9800), '9.8k');
    assert.equal(formatCompact(12_345), '12k');
    assert.equal(formatCompact(200_000), '200k');
    assert.equal(formatCompact(1_048_576), '1M');
    assert.equal(formatCompact(1_500_000), '1.5M');
    assert.equal(formatCompact(-5), '0');
  });

  it('formats durations', () => {
    assert.equal(formatDuration(0), '0 ms');
    assert.equal(formatDuration(820), '820 ms');
    assert.equal(formatDuration(1430), '1.4 s');
    assert.equal(formatDuration(2000), '2.0 s');
    assert.equal(formatDuration(14_200), '14 s');
    assert.equal(formatDuration(125_000), '2 min');
    assert.equal(formatDuration(240_000), '4 min');
    assert.equal(formatDuration(3 * 3_600_000), '3 h');
    assert.equal(formatDuration(-1), '');
  });

  it('describes attachment chips', () => {
    const plain = chipText({
      id: 'a',
      kind: 'selection',
      label: 'src/a.ts:1-9',
      tokens: 182,
      truncated: false,
      originalTokens: 182,
    });
    assert.deepEqual(plain, {
      label: 'src/a.ts:1-9',
      tokens: '~182 tokens',
      title: 'Selection src/a.ts:1-9 (~182 tokens)',
    });
    const cut = chipText({
      id: 'b',
      kind: 'file',
      label: 'big.ts',
      tokens: 4000,
      truncated: true,
      originalTokens: 9800,
    });
    assert.equal(cut.tokens, '~4k tokens');
    assert.equal(cut.truncated, 'truncated from ~9.8k');
    assert.match(cut.title, /^File big\.ts: ~4k tokens, truncated from ~9\.8k/);
    // Same path, other kind: the label says which (`@problems` and `@open` of one file).
    assert.equal(
      chipText({ id: 'c', kind: 'problems', label: 'src/math.ts', tokens: 40, truncated: false, originalTokens: 40 })
        .label,
      'Problems: src/math.ts',
    );
    assert.equal(
      chipText({ id: 'd', kind: 'file', label: 'src/math.ts', tokens: 400, truncated: false, originalTokens: 400 })
        .label,
      'src/math.ts',
    );
  });

  it('splits a chip label so a narrow view can hide the folders and keep the name', () => {
    const cases: [string, { prefix: string; folders: string; name: string }][] = [
      ['src/lib/math.ts:3-9', { prefix: '', folders: 'src/lib/', name: 'math.ts:3-9' }],
      ['Problems: src/math.ts', { prefix: 'Problems: ', folders: 'src/', name: 'math.ts' }],
      ['README.md', { prefix: '', folders: '', name: 'README.md' }],
      ['Terminal: bash', { prefix: 'Terminal: ', folders: '', name: 'bash' }],
      ['Diff: my-repo (uncommitted changes)', { prefix: 'Diff: ', folders: '', name: 'my-repo (uncommitted changes)' }],
      ['a/b/', { prefix: '', folders: 'a/b/', name: '' }],
    ];
    for (const [label, parts] of cases) {
      assert.deepEqual(chipLabelParts(label), parts, label);
      assert.equal(parts.prefix + parts.folders + parts.name, label, 'the parts give the label back');
    }
  });

  it('puts id, context length and fallbacks in the model tooltip', () => {
    const tooltip = modelTooltip({
      id: 'anthropic/claude-sonnet-4',
      name: 'Claude Sonnet 4',
      contextLength: 200_000,
      fallbacks: ['google/gemini-2.5-flash'],
    });
    assert.equal(
      tooltip,
      'anthropic/claude-sonnet-4\nContext: 200,000 tokens\nFallbacks: google/gemini-2.5-flash\nClick to pick another model',
    );
    assert.match(modelTooltip({ id: 'x/y', name: 'Y', fallbacks: [] }), /^x\/y\nFallbacks: none/);
  });

  it('builds the meta line of a served answer', () => {
    const segments = metaSegments(
      {
        requestedModel: 'a/b',
        model: 'a/b',
        provider: 'Anthropic',
        promptTokens: 1234,
        completionTokens: 56,
        cost: 0.000123,
        ttftMs: 820,
        generationId: 'gen-1',
      },
      'done',
    );
    assert.deepEqual(
      segments.map((s) => [s.kind, s.text]),
      [
        ['model', 'a/b'],
        ['provider', 'Anthropic'],
        ['tokens', '1,234 in / 56 out'],
        ['cost', '$0.000123'],
        ['ttft', '820 ms to first token'],
      ],
    );
    assert.equal(segments[0]?.title, 'Generation gen-1');
  });

  it('flags a fallback, but not the auto router choosing a model', () => {
    const fallback = { requestedModel: 'anthropic/claude-sonnet-4', model: 'google/gemini-2.5-flash' };
    assert.equal(isFallback(fallback), true);
    assert.deepEqual(
      metaSegments(fallback, 'done').map((s) => [s.kind, s.text]),
      [
        ['model', 'google/gemini-2.5-flash'],
        ['fallback', 'fallback from anthropic/claude-sonnet-4'],
      ],
    );
    const routed = { requestedModel: 'openrouter/auto', model: 'openai/gpt-4.1-mini' };
    assert.equal(isFallback(routed), false);
    assert.deepEqual(
      metaSegments(routed, 'done').map((s) => s.kind),
      ['model', 'routed'],
    );
    assert.equal(isFallback({ requestedModel: 'a/b' }), false, 'nothing served yet');
  });

  it('says first when an answer finished incomplete: cut off at the output limit, or by a content filter', () => {
    const cut = metaSegments({ requestedModel: 'a/b', completionTokens: 4096, cutOff: 'length' }, 'done');
    assert.deepEqual(
      cut.map((s) => [s.kind, s.text]),
      [
        ['status', 'Cut off at the output limit'],
        ['model', 'a/b'],
        ['tokens', '4,096 out'],
      ],
    );
    assert.match(cut[0]?.title ?? '', /switchyard\.maxOutputTokens/);
    assert.deepEqual(
      metaSegments({ requestedModel: 'a/b', cutOff: 'content_filter' }, 'done').map((s) => s.text),
      ['Stopped by a content filter', 'a/b'],
    );
  });

  it('marks stopped answers and leaves out what is unknown', () => {
    assert.deepEqual(
      metaSegments({ requestedModel: 'a/b' }, 'stopped').map((s) => [s.kind, s.text]),
      [
        ['status', 'Stopped'],
        ['model', 'a/b'],
      ],
    );
    assert.deepEqual(metaSegments(undefined, 'done'), []);
    assert.deepEqual(
      metaSegments({ requestedModel: 'a/b', model: 'a/b', completionTokens: 3, cost: 0 }, 'done').map((s) => s.text),
      ['a/b', '3 out', 'free'],
    );
  });

  it('marks a cost that is partly a worst-case estimate', () => {
    const cost = metaSegments({ requestedModel: 'a/b', cost: 0.0012, costEstimatedUsd: 0.001 }, 'stopped').find(
      (s) => s.kind === 'cost',
    )!;
    assert.equal(cost.text, '$0.0012 (est.)');
    assert.match(cost.title ?? '', /0\.001 USD of it is a worst-case estimate/);
    assert.equal(
      metaSegments({ requestedModel: 'a/b', cost: 0.0012 }, 'done').find((s) => s.kind === 'cost')!.text,
      '$0.0012',
    );
  });

  it('keeps only well-typed fields of a persisted webview state', () => {
    assert.deepEqual(sanitizeState(undefined), { draft: '', scrollTop: 0, atBottom: true });
    assert.deepEqual(sanitizeState({ draft: 'hi', scrollTop: 40, atBottom: false }), {
      draft: 'hi',
      scrollTop: 40,
      atBottom: false,
    });
    assert.deepEqual(sanitizeState({ draft: 3, scrollTop: Number.NaN, atBottom: 'no' }), {
      draft: '',
      scrollTop: 0,
      atBottom: true,
    });
  });
});

describe('isFallback with the fallbacks that were sent', () => {
  it('labels only a served model that was one of the fallbacks', () => {
    assert.equal(isFallback({ requestedModel: 'a/x', model: 'b/y', fallbacks: ['b/y'] }), true);
    assert.equal(
      isFallback({ requestedModel: 'a/x', model: 'a/x-2025-01-01', fallbacks: ['b/y'] }),
      false,
      'a dated variant of the same model is not a fallback',
    );
    assert.equal(isFallback({ requestedModel: 'a/x', model: 'a/x', fallbacks: ['b/y'] }), false);
  });
});

describe('BYOK cost split (issue 11 §5)', () => {
  it('shows the total paid and the split in the tooltip', () => {
    const segments = metaSegments(
      { requestedModel: 'm', cost: 0.011, costSplit: { fee: 0.0005, upstream: 0.0105 } },
      'done',
    );
    const cost = segments.find((s) => s.kind === 'cost');
    assert.ok(cost);
    assert.match(cost.text, /0\.011/);
    assert.match(cost.title ?? '', /OpenRouter fee 0\.0005 \+ provider 0\.0105/);
  });
});
