/**
 * The models offered to VS Code's chat (src/languageModel/models.ts): Auto, the pick with its
 * fallbacks, routes and favourites, each once, with the catalogue's limits and capabilities.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AUTO_MODEL_ID, languageModelEntries, targetOf, type ModelListInput } from '../../src/languageModel/models';
import type { ModelInfo } from '../../src/openrouter/catalogue';

function info(id: string, extra: Partial<ModelInfo> = {}): ModelInfo {
  return {
    id,
    name: id.toUpperCase(),
    description: '',
    contextLength: 128_000,
    promptPrice: 1e-6,
    completionPrice: 2e-6,
    isFree: false,
    isRouter: false,
    supportsTools: true,
    supportsVision: false,
    supportsReasoning: false,
    supportedParameters: [],
    created: 0,
    ...extra,
  };
}

const CATALOGUE = new Map([
  ['openai/gpt-4o-mini', info('openai/gpt-4o-mini', { maxCompletionTokens: 16_384 })],
  [
    'anthropic/claude-sonnet-4',
    info('anthropic/claude-sonnet-4', {
      name: 'Claude Sonnet 4',
      contextLength: 200_000,
      maxCompletionTokens: 64_000,
      supportsVision: true,
    }),
  ],
  ['deepseek/deepseek-r1', info('deepseek/deepseek-r1', { contextLength: 64_000, supportsTools: false })],
  ['fake/tiny-context', info('fake/tiny-context', { contextLength: 2048 })],
  [
    'openrouter/auto',
    info('openrouter/auto', {
      name: 'Auto Router',
      isRouter: true,
      contextLength: 2_000_000,
      promptPrice: -1,
      completionPrice: -1,
    }),
  ],
]);

const base: ModelListInput = {
  lookup: (id) => CATALOGUE.get(id),
  picked: 'anthropic/claude-sonnet-4',
  fallbackModels: ['openai/gpt-4o-mini'],
  routes: [],
  favourites: [],
  tiers: {},
  maxOutputTokens: 8192,
};

describe('models for VS Code chat', () => {
  it('lists Auto first, then the pick (with its fallbacks said), then routes, then favourites — each once', () => {
    const list = languageModelEntries({
      ...base,
      routes: [
        {
          name: 'fast',
          strategy: 'priority',
          endpoints: [{ model: 'openai/gpt-4o-mini' }, { model: 'deepseek/deepseek-r1', provider: 'deepinfra' }],
        },
      ],
      favourites: ['deepseek/deepseek-r1', 'anthropic/claude-sonnet-4', 'fast'],
    });
    assert.deepEqual(
      list.map((m) => m.id),
      [AUTO_MODEL_ID, 'model:anthropic/claude-sonnet-4', 'route:fast', 'model:deepseek/deepseek-r1'],
    );
    assert.deepEqual(
      list.map((m) => m.name),
      ['Switchyard Auto', 'Claude Sonnet 4', 'Route fast', 'DEEPSEEK/DEEPSEEK-R1'],
    );
    assert.match(list[1]!.detail ?? '', /your pick · then openai\/gpt-4o-mini/);
    assert.match(list[1]!.tooltip, /falls back to openai\/gpt-4o-mini/);
    assert.match(list[2]!.detail ?? '', /in order: openai\/gpt-4o-mini, deepseek\/deepseek-r1@deepinfra/);
  });

  it('gives each model its context length, output limit, tools and images from the catalogue', () => {
    const list = languageModelEntries({
      ...base,
      favourites: ['deepseek/deepseek-r1', 'fake/tiny-context', 'vendor/unknown'],
    });
    const byId = new Map(list.map((m) => [m.id, m]));
    const claude = byId.get('model:anthropic/claude-sonnet-4')!;
    assert.deepEqual(
      [claude.maxOutputTokens, claude.maxInputTokens],
      [8192, 200_000 - 8192],
      "the user's output cap within the model's",
    );
    assert.deepEqual(claude.capabilities, { imageInput: true, toolCalling: true });
    assert.deepEqual(byId.get('model:deepseek/deepseek-r1')!.capabilities, { imageInput: false, toolCalling: false });
    const tiny = byId.get('model:fake/tiny-context')!;
    assert.deepEqual([tiny.maxOutputTokens, tiny.maxInputTokens], [1024, 1024], 'half the context at most for output');
    const unknown = byId.get('model:vendor/unknown')!;
    assert.ok(unknown.maxInputTokens > 0 && unknown.maxInputTokens < 8192, 'an unknown model gets conservative limits');
  });

  it("Auto takes the smallest limits of its tier models (or OpenRouter's router), and what at least one of them can do", () => {
    const plain = languageModelEntries(base)[0]!;
    assert.equal(plain.maxOutputTokens, 8192);
    assert.deepEqual(plain.capabilities, { imageInput: true, toolCalling: true });
    const tiered = languageModelEntries({
      ...base,
      tiers: { chat: ['deepseek/deepseek-r1'], agent: ['openai/gpt-4o-mini'] },
    })[0]!;
    assert.equal(tiered.maxInputTokens, 64_000 - 8192);
    assert.deepEqual(tiered.capabilities, { imageInput: false, toolCalling: true });
    assert.match(tiered.tooltip, /deepseek\/deepseek-r1, openai\/gpt-4o-mini/);
  });

  it('a route picked in Switchyard is listed once, as a route; Auto by task adds no pick', () => {
    const routes = [
      { name: 'research', strategy: 'loadBalance' as const, endpoints: [{ model: 'anthropic/claude-sonnet-4' }] },
    ];
    assert.deepEqual(
      languageModelEntries({ ...base, picked: 'research', routes }).map((m) => m.id),
      ['auto', 'route:research'],
    );
    assert.deepEqual(
      languageModelEntries({ ...base, picked: 'auto-by-task' }).map((m) => m.id),
      ['auto'],
    );
  });

  it('names from the catalogue are cut to one short line', () => {
    const odd = new Map([['x/y', info('x/y', { name: `evil\nname ${'x'.repeat(300)}` })]]);
    const [, entry] = languageModelEntries({ ...base, lookup: (id) => odd.get(id), picked: 'x/y', fallbackModels: [] });
    assert.doesNotMatch(entry!.name, /\n/);
    assert.ok(entry!.name.length <= 81);
  });

  it('ids map back to what they stand for; anything else is not ours', () => {
    assert.deepEqual(targetOf('auto'), { kind: 'auto' });
    assert.deepEqual(targetOf('model:openai/gpt-4o-mini'), { kind: 'model', model: 'openai/gpt-4o-mini' });
    assert.deepEqual(targetOf('route:fast'), { kind: 'route', name: 'fast' });
    for (const id of ['', 'model:', 'route:', 'openai/gpt-4o-mini', 'copilot/auto'])
      assert.equal(targetOf(id), undefined, id);
  });
});
