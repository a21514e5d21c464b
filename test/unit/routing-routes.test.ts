import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addRoute, effectiveRoutes, listRoutes, removeRoute, validateRoute } from '../../src/routing/routes';
import type { DynamicRoute } from '../../src/routing/types';

const route = (name: string, model = 'a/b', strategy: DynamicRoute['strategy'] = 'priority'): DynamicRoute => ({
  name,
  strategy,
  endpoints: [{ model }],
});
const config = [route('fast', 'cfg/fast'), route('research', 'cfg/research')];

describe('dynamic routes', () => {
  it('run-time routes shadow config ones of the same name', () => {
    const runtime = [route('fast', 'rt/fast')];
    assert.deepEqual(
      effectiveRoutes(config, runtime).map((r) => `${r.name}:${r.endpoints[0]?.model}`),
      ['fast:rt/fast', 'research:cfg/research'],
    );
    assert.deepEqual(
      listRoutes(config, runtime).map((l) => [l.route.name, l.origin, l.shadows]),
      [
        ['fast', 'runtime', true],
        ['research', 'config', false],
      ],
    );
  });

  const validation: [DynamicRoute, RegExp | undefined][] = [
    [route('ok-name.1'), undefined],
    [route('has/slash'), /no "\/"/],
    [{ name: 'empty', strategy: 'priority', endpoints: [] }, /at least one endpoint/],
    [route('bad', 'noslash'), /not a model id/],
  ];
  for (const [r, error] of validation) {
    it(`validates "${r.name}"`, () => {
      const got = validateRoute(r);
      if (error) assert.match(got ?? '', error);
      else assert.equal(got, undefined);
    });
  }

  it('add replaces a run-time route of the same name; invalid ones are refused', () => {
    const one = addRoute([route('x', 'a/one')], route('x', 'a/two'));
    assert.ok('routes' in one);
    assert.deepEqual(
      one.routes.map((r) => r.endpoints[0]?.model),
      ['a/two'],
    );
    assert.ok('error' in addRoute([], route('bad/name')));
  });

  it('remove: run-time yes, config no, unknown no', () => {
    const removed = removeRoute(config, [route('mine')], 'mine');
    assert.ok('routes' in removed && removed.routes.length === 0);
    const cfg = removeRoute(config, [], 'fast');
    assert.ok('error' in cfg && /defined in settings/.test(cfg.error));
    const none = removeRoute(config, [], 'nope');
    assert.ok('error' in none && /No route named/.test(none.error));
    // Removing a run-time shadow brings the config route back.
    const back = removeRoute(config, [route('fast', 'rt/fast')], 'fast');
    assert.ok('routes' in back);
    assert.equal(effectiveRoutes(config, back.routes)[0]?.endpoints[0]?.model, 'cfg/fast');
  });
});
