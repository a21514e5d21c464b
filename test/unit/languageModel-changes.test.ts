/**
 * VS Code's chat follows the model list (src/languageModel/changes.ts): a favourite toggled in the
 * model picker (ModelPrefs, src/vscode/models/modelPrefs.ts, with a fake global state) and a route added
 * or removed at run time each fire one refresh, after which the listed models include the change.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Listeners, followModelListChanges } from '../../src/languageModel/changes';
import { languageModelEntries, type ModelListInput } from '../../src/languageModel/models';
import type { DynamicRoute } from '../../src/routing/types';
import { ModelPrefs } from '../../src/vscode/models/modelPrefs';

/** The slice of `vscode.Memento` ModelPrefs uses, in memory. */
function fakeState(): ConstructorParameters<typeof ModelPrefs>[0] {
  const values = new Map<string, unknown>();
  return {
    keys: () => [...values.keys()],
    get: <T>(key: string, fallback?: T) => (values.has(key) ? (values.get(key) as T) : fallback),
    update: async (key: string, value: unknown) => void values.set(key, value),
    setKeysForSync: () => undefined,
  } as ConstructorParameters<typeof ModelPrefs>[0];
}

describe('model list changes for VS Code chat', () => {
  it('refreshes when a favourite is toggled, and the refreshed list has it', async () => {
    const prefs = new ModelPrefs(fakeState());
    const routes = new Listeners();
    const input = (): ModelListInput => ({
      lookup: () => undefined,
      picked: 'openai/gpt-4o-mini',
      fallbackModels: [],
      routes: [],
      favourites: prefs.favourites(),
      tiers: {},
      maxOutputTokens: 4096,
    });
    const seen: string[][] = [];
    const following = followModelListChanges([prefs.onDidChangeFavourites, routes.event], () =>
      seen.push(languageModelEntries(input()).map((m) => m.id)),
    );

    assert.equal(await prefs.toggleFavourite('deepseek/deepseek-r1'), true);
    assert.equal(seen.length, 1, 'one refresh for the star');
    assert.ok(seen[0]!.includes('model:deepseek/deepseek-r1'), 'the new favourite is listed');
    assert.equal(await prefs.toggleFavourite('deepseek/deepseek-r1'), false);
    assert.equal(seen.length, 2, 'one refresh for the star taken away');
    assert.ok(!seen[1]!.includes('model:deepseek/deepseek-r1'));

    following.dispose();
    await prefs.toggleFavourite('x/y');
    assert.equal(seen.length, 2, 'no refresh once disposed');
  });

  it('refreshes when a run-time route is added or removed', () => {
    let runtime: DynamicRoute[] = [];
    const routes = new Listeners();
    const ids: string[][] = [];
    const input = (): ModelListInput => ({
      lookup: () => undefined,
      picked: 'openai/gpt-4o-mini',
      fallbackModels: [],
      routes: runtime,
      favourites: [],
      tiers: {},
      maxOutputTokens: 4096,
    });
    const following = followModelListChanges([routes.event], () =>
      ids.push(languageModelEntries(input()).map((m) => m.id)),
    );
    runtime = [{ name: 'fast', strategy: 'priority', endpoints: [{ model: 'openai/gpt-4o-mini' }] }];
    routes.fire();
    runtime = [];
    routes.fire();
    assert.deepEqual(
      ids.map((list) => list.includes('route:fast')),
      [true, false],
    );
    following.dispose();
  });

  it('keeps firing the other listeners when one throws, and forgets a disposed one', () => {
    const set = new Listeners();
    let calls = 0;
    set.event(() => {
      throw new Error('boom');
    });
    const second = set.event(() => calls++);
    set.fire();
    second.dispose();
    set.fire();
    assert.equal(calls, 1);
  });
});
