import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ModelInfo } from '../../src/openrouter/catalogue';
import { abortedFailure, brokenStreamFailure, networkFailure, timeoutFailure } from '../../src/openrouter/failures';
import { failureFromHttp } from '../../src/openrouter/httpFailures';
import type { Failure } from '../../src/openrouter/failures';
import { classifyFailure, remainingModels, type NextStep } from '../../src/routing/classify';

describe('classifyFailure', () => {
  const cases: { name: string; failure: Failure; next: NextStep; coolTarget: boolean; paidAllowed: boolean }[] = [
    {
      name: '429 → cool model+provider, advance',
      failure: failureFromHttp(429, { message: 'slow down' }),
      next: 'nextCandidate',
      coolTarget: true,
      paidAllowed: true,
    },
    {
      name: '408 → cool, advance',
      failure: failureFromHttp(408, undefined),
      next: 'nextCandidate',
      coolTarget: true,
      paidAllowed: true,
    },
    {
      name: '502 → cool, advance',
      failure: failureFromHttp(502, undefined),
      next: 'nextCandidate',
      coolTarget: true,
      paidAllowed: true,
    },
    {
      name: '503 → cool, advance',
      failure: failureFromHttp(503, undefined),
      next: 'nextCandidate',
      coolTarget: true,
      paidAllowed: true,
    },
    {
      name: 'network → cool, advance',
      failure: networkFailure('ECONNRESET', 'https://openrouter.ai/api/v1'),
      next: 'nextCandidate',
      coolTarget: true,
      paidAllowed: true,
    },
    {
      name: 'client timeout → cool, advance',
      failure: timeoutFailure(90),
      next: 'nextCandidate',
      coolTarget: true,
      paidAllowed: true,
    },
    {
      name: 'broken stream → cool, advance',
      failure: brokenStreamFailure('cut', true),
      next: 'nextCandidate',
      coolTarget: true,
      paidAllowed: true,
    },
    {
      name: '401 → the key is bad: next key, not next model',
      failure: failureFromHttp(401, undefined),
      next: 'nextKey',
      coolTarget: false,
      paidAllowed: true,
    },
    {
      name: '402 → next key or stop, never another paid model',
      failure: failureFromHttp(402, undefined),
      next: 'nextKey',
      coolTarget: false,
      paidAllowed: false,
    },
    {
      name: 'context length → only larger contexts',
      failure: failureFromHttp(400, { message: 'x', metadata: { error_type: 'context_length_exceeded' } }),
      next: 'largerContext',
      coolTarget: false,
      paidAllowed: true,
    },
    {
      name: '404 no endpoints → stop and explain',
      failure: failureFromHttp(404, { message: 'No endpoints found that support tool use' }),
      next: 'stop',
      coolTarget: false,
      paidAllowed: true,
    },
    {
      name: 'moderation → stop unless allowed',
      failure: failureFromHttp(403, { metadata: { reasons: ['x'] } }),
      next: 'stop',
      coolTarget: false,
      paidAllowed: true,
    },
    { name: 'aborted → stop', failure: abortedFailure(false), next: 'stop', coolTarget: false, paidAllowed: true },
    {
      name: 'bad request → stop',
      failure: failureFromHttp(400, { message: 'bad' }),
      next: 'stop',
      coolTarget: false,
      paidAllowed: true,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const v = classifyFailure(c.failure);
      assert.deepEqual(
        { next: v.next, coolTarget: v.coolTarget, paidAllowed: v.paidAllowed },
        { next: c.next, coolTarget: c.coolTarget, paidAllowed: c.paidAllowed },
      );
      assert.ok(v.reason.length > 0);
    });
  }

  it('moderation may move on when the user allows it', () => {
    assert.equal(
      classifyFailure(failureFromHttp(403, { metadata: { reasons: ['x'] } }), { allowModerationFallback: true }).next,
      'nextCandidate',
    );
  });

  it('carries the server-requested wait', () => {
    assert.equal(classifyFailure(failureFromHttp(429, undefined, { 'retry-after-ms': '1500' })).retryAfterMs, 1500);
  });
});

describe('remainingModels', () => {
  const m = (id: string, contextLength: number, isFree = false): ModelInfo => ({
    id,
    name: id,
    description: '',
    contextLength,
    promptPrice: isFree ? 0 : 1e-6,
    completionPrice: isFree ? 0 : 1e-6,
    isFree,
    isRouter: false,
    supportsTools: true,
    supportsVision: false,
    supportsReasoning: false,
    supportedParameters: [],
    created: 0,
  });
  const models = new Map(
    [m('a', 8000), m('b', 4000), m('c', 200_000), m('d:free', 32_000, true)].map((x) => [x.id, x]),
  );
  const list = ['a', 'b', 'c', 'd:free'];
  const cases: { name: string; failure: Failure; expected: string[] }[] = [
    {
      name: 'rate limit: the others in order',
      failure: failureFromHttp(429, undefined),
      expected: ['b', 'c', 'd:free'],
    },
    {
      name: 'context length: only larger contexts',
      failure: failureFromHttp(400, { metadata: { error_type: 'context_length_exceeded' } }),
      expected: ['c', 'd:free'],
    },
    {
      name: 'credits: same models on another key, free only',
      failure: failureFromHttp(402, undefined),
      expected: ['d:free'],
    },
    {
      name: 'auth: same models on another key',
      failure: failureFromHttp(401, undefined),
      expected: ['a', 'b', 'c', 'd:free'],
    },
    { name: 'aborted: nothing', failure: abortedFailure(true), expected: [] },
  ];
  for (const c of cases)
    it(c.name, () => assert.deepEqual(remainingModels(classifyFailure(c.failure), 'a', list, models), c.expected));
});
