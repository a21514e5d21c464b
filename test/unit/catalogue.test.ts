import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CatalogueIndex,
  formatContextLength,
  formatPricePerMillion,
  parseCatalogue,
  readCatalogueCache,
  shortModelName,
} from '../../src/openrouter/catalogue';

const good = (id: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  id,
  name: `Name of ${id}`,
  context_length: 128000,
  architecture: { input_modalities: ['text'], output_modalities: ['text'] },
  pricing: { prompt: '0.000003', completion: '0.000015', request: '0', image: '0' },
  supported_parameters: ['tools', 'temperature'],
  ...extra,
});

describe('parseCatalogue', () => {
  it('parses prices (USD per token strings) and capabilities', () => {
    const { models, skipped } = parseCatalogue({
      data: [good('anthropic/claude-sonnet-4', { architecture: { input_modalities: ['text', 'image'] } })],
    });
    assert.equal(skipped.length, 0);
    const m = models[0]!;
    assert.equal(m.promptPrice, 0.000003);
    assert.equal(m.completionPrice, 0.000015);
    assert.equal(m.supportsTools, true);
    assert.equal(m.supportsVision, true);
    assert.equal(m.isFree, false);
  });
  it('skips odd entries and keeps the rest', () => {
    const body = {
      data: [
        good('a/one'),
        { id: 'b/no-pricing', name: 'x', context_length: 1000 },
        good('c/string-context', { context_length: '128000' }),
        'not an object',
        null,
        good('d/nan-price', { pricing: { prompt: 'abc', completion: '0' } }),
        good('e/extra-keys', {
          brand_new_field: { deep: true },
          top_provider: null,
          architecture: null,
          supported_parameters: null,
        }),
        good('a/one'),
      ],
    };
    const { models, skipped } = parseCatalogue(body);
    assert.deepEqual(
      models.map((m) => m.id),
      ['a/one', 'e/extra-keys'],
    );
    assert.equal(skipped.length, 6);
    assert.ok(skipped.some((s) => s.id === 'b/no-pricing' && s.reason.includes('pricing')));
    assert.ok(skipped.some((s) => s.reason === 'duplicate id'));
  });
  it('recognises free models and router pseudo-models', () => {
    const { models } = parseCatalogue({
      data: [
        good('meta-llama/llama-3.3-70b-instruct:free', { pricing: { prompt: '0', completion: '0' } }),
        good('x/zero', { pricing: { prompt: 0, completion: 0 } }),
        good('openrouter/auto', { pricing: { prompt: '-1', completion: '-1' } }),
      ],
    });
    assert.deepEqual(
      models.map((m) => [m.isFree, m.isRouter]),
      [
        [true, false],
        [true, false],
        [false, true],
      ],
    );
  });
  it('falls back to top_provider context and a conservative default', () => {
    const { models } = parseCatalogue({
      data: [
        good('a/b', { context_length: null, top_provider: { context_length: 32000 } }),
        good('c/d', { context_length: undefined }),
      ],
    });
    assert.equal(models[0]!.contextLength, 32000);
    assert.equal(models[1]!.contextLength, 8192);
  });
  it('rejects a body without data', () => {
    assert.throws(() => parseCatalogue({ error: 'x' }), /data/);
  });
});

describe('formatting', () => {
  it('shows prices per million tokens', () => {
    assert.equal(formatPricePerMillion(0.000003), '$3.00');
    assert.equal(formatPricePerMillion(0.00000015), '$0.15');
    assert.equal(formatPricePerMillion(0.0006), '$600');
    assert.equal(formatPricePerMillion(0), 'free');
    assert.equal(formatPricePerMillion(0.000000001), '$0.0010');
  });
  it('shows context lengths and short names', () => {
    assert.equal(formatContextLength(128000), '128K');
    assert.equal(formatContextLength(1048576), '1M');
    assert.equal(formatContextLength(512), '512');
    assert.equal(shortModelName('anthropic/claude-sonnet-4'), 'claude-sonnet-4');
    assert.equal(shortModelName('x'), 'x');
  });
});

describe('catalogue cache', () => {
  it('is fresh for 24 hours and tied to the base URL', () => {
    const { models } = parseCatalogue({ data: [good('a/b')] });
    const now = Date.now();
    const index = new CatalogueIndex(models, now - 1000);
    assert.equal(index.isFresh(now), true);
    assert.equal(new CatalogueIndex(models, now - 25 * 3600_000).isFresh(now), false);
    const file = JSON.parse(JSON.stringify({ version: 1, fetchedAt: now, baseUrl: 'https://x/api/v1', models }));
    assert.equal(readCatalogueCache(file, 'https://x/api/v1')?.get('a/b')?.id, 'a/b');
    assert.equal(readCatalogueCache(file, 'https://other/api/v1'), undefined);
    assert.equal(readCatalogueCache({ version: 2 }, 'https://x/api/v1'), undefined);
  });
});
