import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { affinityConflict, applyAffinity, providerSlug } from '../../src/routing/affinity';
import type { Attempt, Decision, EndpointInfo } from '../../src/routing/types';

const ep = (tag: string, providerName: string): EndpointInfo => ({
  tag,
  providerName,
  supportedParameters: [],
  promptPrice: 0,
  completionPrice: 0,
  contextLength: 1000,
});

describe('sticky routing (cache affinity)', () => {
  it('turns a provider name into the slug provider.order takes', () => {
    assert.equal(providerSlug('DeepInfra'), 'deepinfra');
    assert.equal(providerSlug('Google Vertex'), 'google-vertex');
    assert.equal(providerSlug('Amazon Bedrock'), 'amazon-bedrock');
    assert.equal(providerSlug('Google AI Studio', [ep('google-ai-studio', 'Google AI Studio')]), 'google-ai-studio');
    assert.equal(
      providerSlug('DeepInfra', [ep('deepinfra/turbo', 'DeepInfra')]),
      'deepinfra',
      'the base slug of a variant tag',
    );
  });

  const cases: { name: string; provider?: Attempt['body']['provider']; servable?: string[]; conflict?: RegExp }[] = [
    { name: 'no provider settings: pinned' },
    { name: 'an explicit order wins', provider: { order: ['together'] }, conflict: /provider\.order/ },
    { name: 'an explicit sort wins', provider: { sort: 'price' }, conflict: /provider\.sort/ },
    { name: 'only without it', provider: { only: ['together'] }, conflict: /provider\.only leaves out deepinfra/ },
    { name: 'only with a variant of it', provider: { only: ['deepinfra/turbo'] } },
    { name: 'ignored', provider: { ignore: ['deepinfra'] }, conflict: /provider\.ignore/ },
    {
      name: 'fallbacks off (byokOnly, or the user): a pin would leave one provider',
      provider: { only: ['deepinfra', 'together'], allow_fallbacks: false },
      conflict: /allow_fallbacks is off/,
    },
    { name: 'no longer among the servable providers', servable: ['together', 'groq'], conflict: /no longer serves/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      if (c.conflict) assert.match(affinityConflict(c.provider, 'deepinfra', c.servable) ?? '', c.conflict);
      else assert.equal(affinityConflict(c.provider, 'deepinfra', c.servable), undefined);
    });
  }

  it('pins only the attempts of the affinity model, keeping their other provider fields', () => {
    const attempts: Attempt[] = [
      {
        keyId: 'k',
        body: { model: 'm/a', models: ['m/a', 'm/b'], provider: { data_collection: 'deny' } },
        worstCaseUsd: 1,
      },
      { keyId: 'k', body: { model: 'm/a', provider: { data_collection: 'deny' } }, worstCaseUsd: 1 },
      { keyId: 'k', body: { model: 'm/b' }, worstCaseUsd: 1 },
    ];
    const decisions: Decision[] = [];
    const out = applyAffinity(attempts, { model: 'm/a', provider: 'deepinfra' }, new Map(), decisions);
    assert.deepEqual(out[0]!.body.provider, { data_collection: 'deny', order: ['deepinfra'] });
    assert.deepEqual(out[1]!.body.provider, { data_collection: 'deny', order: ['deepinfra'] });
    assert.equal(out[2]!.body.provider, undefined);
    assert.equal(decisions.length, 1);
    assert.equal(decisions[0]!.rule, 'affinity.cache');
    assert.equal(decisions[0]!.verdict, 'placed');
  });

  it('explains why it did not pin', () => {
    const decisions: Decision[] = [];
    const attempts: Attempt[] = [
      { keyId: 'k', body: { model: 'm/a', provider: { order: ['groq'] } }, worstCaseUsd: 1 },
    ];
    const out = applyAffinity(attempts, { model: 'm/a', provider: 'deepinfra' }, new Map(), decisions);
    assert.deepEqual(out, attempts);
    assert.equal(decisions[0]!.rule, 'affinity.skipped');
    assert.match(decisions[0]!.detail, /provider\.order/);
  });

  it('resolves a multi-word provider name through the endpoint list', () => {
    const attempts: Attempt[] = [{ keyId: 'k', body: { model: 'm/a' }, worstCaseUsd: 1 }];
    const endpoints = new Map([['m/a', [ep('nebius', 'Nebius AI Studio'), ep('moonshotai', 'Moonshot AI')]]]);
    const out = applyAffinity(attempts, { model: 'm/a', provider: 'Nebius AI Studio' }, new Map(), [], endpoints);
    assert.deepEqual(out[0]!.body.provider, { order: ['nebius'] });
  });

  it('without affinity, attempts are unchanged', () => {
    const attempts: Attempt[] = [{ keyId: 'k', body: { model: 'm/a' }, worstCaseUsd: 1 }];
    assert.deepEqual(applyAffinity(attempts, undefined, new Map(), []), attempts);
  });
});
