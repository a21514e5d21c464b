import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCatalogue } from '../../src/openrouter/catalogue';
import { modelDetail, pickerEntries } from '../../src/openrouter/pickerEntries';

const { models } = parseCatalogue({
  data: [
    {
      id: 'z/paid',
      name: 'Zed Paid',
      context_length: 200000,
      pricing: { prompt: '0.000003', completion: '0.000015' },
      supported_parameters: ['tools'],
    },
    { id: 'a/free:free', name: 'Alpha Free', context_length: 32768, pricing: { prompt: '0', completion: '0' } },
    { id: 'm/mid', name: 'Mid', context_length: 8192, pricing: { prompt: '0.0000005', completion: '0.0000015' } },
  ],
});

describe('pickerEntries', () => {
  it('puts favourites and recents on top, then all models by name', () => {
    const rows = pickerEntries(models, {
      favourites: ['m/mid'],
      recents: ['z/paid', 'm/mid'],
      freeOnly: false,
      current: 'z/paid',
    });
    const shape = rows.map((r) => (r.kind === 'separator' ? `# ${r.label}` : r.model.id));
    assert.deepEqual(shape, ['# Favourites', 'm/mid', '# Recently used', 'z/paid', '# All models', 'a/free:free']);
    const current = rows.find((r) => r.kind === 'model' && r.current);
    assert.ok(current && current.kind === 'model' && current.label.includes('$(check)'));
  });
  it('filters to free models', () => {
    const rows = pickerEntries(models, { favourites: ['z/paid'], recents: [], freeOnly: true, current: '' });
    assert.deepEqual(
      rows.map((r) => (r.kind === 'separator' ? `# ${r.label}` : r.model.id)),
      ['# Free models', 'a/free:free'],
    );
  });
  it('gives reasoning models their effort choices from the catalogue and shows the remembered effort', () => {
    const { models: thinking } = parseCatalogue({
      data: [
        {
          id: 'r/think',
          name: 'Thinker',
          context_length: 8192,
          pricing: { prompt: '0', completion: '0' },
          supported_parameters: ['reasoning'],
          reasoning: { mandatory: true, supported_efforts: ['high', 'low'] },
        },
        { id: 'r/plain', name: 'Plain', context_length: 8192, pricing: { prompt: '0', completion: '0' } },
      ],
    });
    const rows = pickerEntries(thinking, {
      favourites: [],
      recents: [],
      freeOnly: false,
      current: '',
      effort: (id) => (id === 'r/think' ? 'high' : undefined),
    });
    const think = rows.find((r) => r.kind === 'model' && r.model.id === 'r/think');
    const plain = rows.find((r) => r.kind === 'model' && r.model.id === 'r/plain');
    assert.ok(think?.kind === 'model' && plain?.kind === 'model');
    assert.deepEqual(think.reasoningChoices, ['default', 'high', 'low']);
    assert.equal(think.detail, 'free · 8K context · reasoning: high');
    assert.deepEqual(plain.reasoningChoices, []);
  });
  it('describes price per million, context and capabilities', () => {
    assert.equal(modelDetail(models[0]!), 'in $3.00 · out $15.00 /M tokens · 200K context · tools');
    assert.equal(modelDetail(models[1]!), 'free · 33K context');
  });
});
