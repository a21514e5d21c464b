import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { balancedFromEndpoints, defaultProviderOrder, loadBalanceWeight } from '../../src/routing/loadBalance';
import { seededRandom } from '../../src/routing/random';

describe('defaultProviderOrder (OpenRouter default load balancing)', () => {
  // The docs' example: A $1, B $2 (recent outages), C $3.
  const example = [
    { provider: 'A', price: 1, unstable: false },
    { provider: 'B', price: 2, unstable: true },
    { provider: 'C', price: 3, unstable: false },
  ];

  it('A goes first about 9× as often as C; then the other stable one; B always last', () => {
    const random = seededRandom(2024);
    const firsts = { A: 0, B: 0, C: 0 };
    for (let i = 0; i < 10_000; i++) {
      const order = defaultProviderOrder(example, random);
      firsts[order[0] as 'A' | 'B' | 'C'] += 1;
      assert.equal(order[2], 'B');
      assert.deepEqual(order, order[0] === 'A' ? ['A', 'C', 'B'] : ['C', 'A', 'B']);
    }
    assert.equal(firsts.B, 0);
    const ratio = firsts.A / firsts.C;
    assert.ok(ratio > 7 && ratio < 11, `ratio ${ratio}`);
  });

  const cases: {
    name: string;
    input: { provider: string; price: number; unstable: boolean }[];
    draw: number;
    expected: string[];
  }[] = [
    { name: 'low draw picks the likeliest (cheapest)', input: example, draw: 0.0, expected: ['A', 'C', 'B'] },
    { name: 'high draw picks the pricier stable one', input: example, draw: 0.95, expected: ['C', 'A', 'B'] },
    {
      name: 'all unstable: by price',
      input: [
        { provider: 'x', price: 3, unstable: true },
        { provider: 'y', price: 1, unstable: true },
      ],
      draw: 0.5,
      expected: ['y', 'x'],
    },
    {
      name: 'a free stable provider always first',
      input: [
        { provider: 'paid', price: 1, unstable: false },
        { provider: 'free', price: 0, unstable: false },
      ],
      draw: 0.99,
      expected: ['free', 'paid'],
    },
    { name: 'empty', input: [], draw: 0.5, expected: [] },
  ];
  for (const c of cases) {
    it(c.name, () =>
      assert.deepEqual(
        defaultProviderOrder(c.input, () => c.draw),
        c.expected,
      ),
    );
  }

  it('weights are 1/price²', () => {
    assert.equal(loadBalanceWeight(1) / loadBalanceWeight(3), 9);
    assert.equal(loadBalanceWeight(0), Number.POSITIVE_INFINITY);
  });

  it('is deterministic for a seed', () => {
    const run = (seed: number) => {
      const r = seededRandom(seed);
      return Array.from({ length: 50 }, () => defaultProviderOrder(example, r)[0]).join('');
    };
    assert.equal(run(7), run(7));
    assert.notEqual(run(7), run(8));
  });

  it('builds inputs from endpoints (base slug, unstable flags)', () => {
    const e = balancedFromEndpoints(
      [
        {
          tag: 'deepinfra/fp8',
          providerName: 'DeepInfra',
          supportedParameters: [],
          promptPrice: 1e-6,
          completionPrice: 1e-6,
          contextLength: 1000,
        },
        {
          tag: 'together',
          providerName: 'Together',
          supportedParameters: [],
          promptPrice: 2e-6,
          completionPrice: 2e-6,
          contextLength: 1000,
        },
      ],
      ['together'],
    );
    assert.deepEqual(e, [
      { provider: 'deepinfra', price: 2e-6, unstable: false },
      { provider: 'together', price: 4e-6, unstable: true },
    ]);
  });
});

describe('seededRandom', () => {
  it('same seed, same sequence; values in [0, 1)', () => {
    const a = seededRandom(1);
    const b = seededRandom(1);
    for (let i = 0; i < 1000; i++) {
      const x = a();
      assert.equal(x, b());
      assert.ok(x >= 0 && x < 1);
    }
  });
});
