import assert from 'node:assert/strict';
import fc from 'fast-check';
import { after, before, describe, it } from 'node:test';
import { endpointsPath, parseEndpoint, parseEndpoints } from '../../src/openrouter/endpoints';
import { OpenRouterClient } from '../../src/openrouter/client';
import { EndpointCache } from '../../src/routing/endpointCache';
import type { EndpointInfo } from '../../src/routing/types';
import { startFakeOpenRouter, type FakeOpenRouter } from '../fake-openrouter/server';

const wire = {
  name: 'OpenAI: GPT-4',
  model_id: 'openai/gpt-4',
  provider_name: 'OpenAI',
  tag: 'openai',
  context_length: 8192,
  max_completion_tokens: 4096,
  quantization: 'fp16',
  pricing: { prompt: '0.00003', completion: '0.00006', request: '0', image: '0' },
  supported_parameters: ['temperature', 'max_tokens'],
  status: 0,
  latency_last_30m: null,
};

describe('endpoint parsing', () => {
  it('reads the contract example', () => {
    assert.deepEqual(parseEndpoint(wire), {
      tag: 'openai',
      providerName: 'OpenAI',
      supportedParameters: ['temperature', 'max_tokens'],
      quantization: 'fp16',
      promptPrice: 0.00003,
      completionPrice: 0.00006,
      contextLength: 8192,
      maxCompletionTokens: 4096,
    });
  });
  it('tolerates nulls and skips an endpoint without prices or a slug', () => {
    const { endpoints, skipped } = parseEndpoints({
      data: {
        endpoints: [
          { ...wire, quantization: null, max_completion_tokens: null },
          { ...wire, tag: '' },
          { ...wire, pricing: { prompt: 'x' } },
          42,
        ],
      },
    });
    assert.equal(endpoints.length, 1);
    assert.equal(endpoints[0]!.quantization, undefined);
    assert.equal(endpoints[0]!.maxCompletionTokens, undefined);
    assert.equal(skipped, 3);
  });
  it('refuses a wrong envelope', () => {
    assert.throws(() => parseEndpoints({ data: [] }), /endpoints/);
  });
  it('builds the path of author/slug ids only', () => {
    assert.equal(
      endpointsPath('meta-llama/llama-3.3-70b-instruct:free'),
      '/models/meta-llama/llama-3.3-70b-instruct%3Afree/endpoints',
    );
    assert.equal(endpointsPath('openrouter'), undefined);
    assert.equal(endpointsPath('a/b/c'), undefined);
  });
  // Identifiers are not paths: an id from settings or the catalogue never steers the request (with the user's key) to another API path.
  const accepted = [
    'openai/gpt-4o',
    'meta-llama/llama-3.3-70b-instruct:free',
    'openrouter/auto',
    'anthropic/claude-3.5-sonnet:beta',
    'x-ai/grok-2',
    'qwen/qwen-2.5_coder~x',
    'a/b+c',
  ];
  for (const id of accepted) {
    it(`accepts ${id}, every part percent-encoded`, () => {
      const built = endpointsPath(id)!;
      assert.equal(built, `/models/${id.split('/').map(encodeURIComponent).join('/')}/endpoints`);
      assert.equal(
        new URL(`https://openrouter.ai/api/v1${built}`).pathname,
        `/api/v1${built}`,
        'the URL keeps the path as built',
      );
    });
  }
  const refused = [
    '..',
    '../keys',
    'a/..',
    '../..',
    'a/.',
    './b',
    '%2e%2e/keys',
    'a/%2e%2e',
    'a/b%2F..',
    'a/b?x=1',
    'a/b#frag',
    'a b/c',
    'a/b\\..',
    'a\n/b',
    'a/b\u0000',
    '\u0430/b',
    'a/-',
    '/a',
    'a/',
    '',
    'a//b',
    'a/b/endpoints/../../keys',
    `${'a'.repeat(129)}/b`,
  ];
  for (const id of refused) {
    it(`refuses ${JSON.stringify(id)}`, () => assert.equal(endpointsPath(id), undefined));
  }
  it('refuses generated ids with any character outside the id alphabet', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        const built = endpointsPath(`${a}/${b}`);
        if (built === undefined) return;
        assert.match(`${a}/${b}`, /^[A-Za-z0-9][A-Za-z0-9._~:+-]*\/[A-Za-z0-9][A-Za-z0-9._~:+-]*$/);
        assert.equal(new URL(`https://h.test/api/v1${built}`).pathname, `/api/v1${built}`);
      }),
    );
  });
});

describe('endpoint cache', () => {
  let fake: FakeOpenRouter;
  before(async () => (fake = await startFakeOpenRouter()));
  after(async () => fake.close());

  it('fetches from the fake once, then serves from memory until the TTL', async () => {
    let now = 0;
    const client = new OpenRouterClient({
      baseUrl: fake.baseUrl,
      apiKey: 'sk-or-v1-endpoints-test',
      timeoutSeconds: 3,
    });
    const cache = new EndpointCache({ now: () => now, fetch: (m) => client.listEndpoints(m), ttlMs: 1000 });
    fake.clearRequests();
    assert.deepEqual((await cache.ensure(['meta-llama/llama-3.3-70b-instruct', 'openai/gpt-4o-mini'], 3000)).sort(), [
      'meta-llama/llama-3.3-70b-instruct',
      'openai/gpt-4o-mini',
    ]);
    assert.equal(cache.known().get('meta-llama/llama-3.3-70b-instruct')?.length, 6);
    assert.equal(fake.requests.length, 2);
    await cache.ensure(['meta-llama/llama-3.3-70b-instruct'], 3000);
    assert.equal(fake.requests.length, 2, 'cached');
    now = 1500;
    assert.equal(cache.known().size, 0, 'stale after the TTL');
    await cache.ensure(['meta-llama/llama-3.3-70b-instruct'], 3000);
    assert.equal(fake.requests.length, 3, 'fetched again');
  });

  it('remembers a failure briefly instead of fetching on every message', async () => {
    let now = 0;
    let calls = 0;
    const cache = new EndpointCache({
      now: () => now,
      fetch: async () => {
        calls++;
        throw new Error('offline');
      },
      failureTtlMs: 60_000,
    });
    assert.deepEqual(await cache.ensure(['a/b'], 100), []);
    assert.deepEqual(await cache.ensure(['a/b'], 100), []);
    assert.equal(calls, 1);
    now = 61_000;
    await cache.ensure(['a/b'], 100);
    assert.equal(calls, 2);
  });

  it('waits at most the given time; a slow list lands later', async () => {
    let release!: (v: EndpointInfo[]) => void;
    const cache = new EndpointCache({ now: () => 0, fetch: () => new Promise((r) => (release = r)) });
    assert.deepEqual(await cache.ensure(['a/b'], 20), []);
    release([
      { tag: 'x', providerName: 'X', supportedParameters: [], promptPrice: 0, completionPrice: 0, contextLength: 10 },
    ]);
    await new Promise((r) => setTimeout(r, 0));
    assert.equal(cache.known().get('a/b')?.length, 1);
  });

  it('does not wait again for a fetch already on its way, and drops what lands after clear()', async () => {
    let release!: (v: EndpointInfo[]) => void;
    let calls = 0;
    const cache = new EndpointCache({
      now: () => 0,
      fetch: () => {
        calls++;
        return new Promise((r) => (release = r));
      },
    });
    await cache.ensure(['a/b'], 10);
    assert.deepEqual(cache.missing(['a/b']), [], 'in flight: not missing');
    await cache.ensure(['a/b'], 10);
    assert.equal(calls, 1);
    cache.clear();
    release([
      {
        tag: 'old',
        providerName: 'Old',
        supportedParameters: [],
        promptPrice: 0,
        completionPrice: 0,
        contextLength: 10,
      },
    ]);
    await new Promise((r) => setTimeout(r, 0));
    assert.equal(cache.known().size, 0, 'a list from before clear() (another base URL) never lands');
    assert.deepEqual(cache.missing(['a/b']), ['a/b']);
  });

  it('a fetch that throws synchronously only marks the model failed', async () => {
    const cache = new EndpointCache({
      now: () => 0,
      fetch: () => {
        throw new Error('boom');
      },
    });
    assert.deepEqual(await cache.ensure(['a/b'], 50), []);
    assert.deepEqual(cache.missing(['a/b']), []);
  });
});
