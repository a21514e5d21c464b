import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { COMPLETION_DEFAULTS, defaultCompletionModel, typicalRequestUsd } from '../../src/completions/defaults';
import {
  languageOn,
  resolveCompletionExclude,
  resolveCompletionSettings,
  type Inspected,
} from '../../src/completions/settings';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, { default: unknown }> } };
};

const resolve = (values: Record<string, Inspected>) => resolveCompletionSettings((name) => values[name]);

describe('completion settings', () => {
  it('are declared in package.json with the defaults the code uses; off by default', () => {
    for (const [name, value] of Object.entries(COMPLETION_DEFAULTS)) {
      assert.deepEqual(
        pkg.contributes.configuration.properties[`switchyard.completions.${name}`]?.default,
        value,
        name,
      );
    }
    assert.equal(COMPLETION_DEFAULTS.enabled, false);
    assert.deepEqual(resolve({}).settings, COMPLETION_DEFAULTS);
  });

  it('a workspace can only make them stricter', () => {
    const { settings } = resolve({
      enabled: { globalValue: true, workspaceValue: true },
      languages: { globalValue: { python: false }, workspaceValue: { python: true, markdown: false } },
      model: { workspaceValue: 'expensive/model' },
      debounceMs: { globalValue: 300, workspaceValue: 100, workspaceFolderValue: 500 },
      maxLines: { globalValue: 4, workspaceValue: 20 },
      dailyBudget: { globalValue: 1, workspaceValue: 50 },
    });
    assert.equal(settings.enabled, true);
    assert.deepEqual(settings.languages, { python: false, markdown: false }, 'turned off, never on');
    assert.equal(settings.model, '', 'the workspace cannot pick the model');
    assert.equal(settings.debounceMs, 500);
    assert.equal(settings.maxLines, 4);
    assert.equal(settings.dailyBudget, 1);
    assert.equal(
      resolve({ enabled: { workspaceValue: true } }).settings.enabled,
      false,
      'a workspace cannot turn them on',
    );
    assert.equal(
      resolve({ enabled: { globalValue: true, workspaceFolderValue: false } }).settings.enabled,
      false,
      'but can turn them off',
    );
    assert.equal(resolve({ dailyBudget: { globalValue: 1, workspaceValue: 0.1 } }).settings.dailyBudget, 0.1);
    assert.equal(languageOn(settings, 'typescript'), true);
    assert.equal(languageOn(settings, 'markdown'), false);
  });

  it('report malformed user values and keep the default', () => {
    const { settings, problems } = resolve({
      dailyBudget: { globalValue: -3 },
      maxLines: { globalValue: 'ten' },
      enabled: { globalValue: true },
      debounceMs: { workspaceValue: 'x' },
    });
    assert.equal(settings.dailyBudget, COMPLETION_DEFAULTS.dailyBudget);
    assert.equal(settings.maxLines, COMPLETION_DEFAULTS.maxLines);
    assert.equal(settings.enabled, true);
    assert.equal(problems.length, 2);
    assert.match(
      problems[0]!,
      /switchyard\.completions\.maxLines should be a number of lines from 1 to 100, not "ten"; using the default 6\./,
    );
  });

  it('the fast, cheap default is the first the catalogue has', () => {
    assert.equal(
      defaultCompletionModel((id) => id === 'openai/gpt-4o-mini' || id === 'openai/gpt-4.1-nano'),
      'openai/gpt-4.1-nano',
    );
    assert.equal(
      defaultCompletionModel(() => false),
      'openai/gpt-4o-mini',
    );
    assert.equal(typicalRequestUsd(0.15e-6, 0.6e-6, 48).toFixed(6), '0.000344');
  });
});

describe('switchyard.completions.exclude', () => {
  it('every scope adds globs; malformed entries are dropped', () => {
    assert.deepEqual(
      resolveCompletionExclude({
        globalValue: ['*.local.json', ' config/** '],
        workspaceValue: ['secrets/', 3, ''],
        workspaceFolderValue: 'nope',
      }),
      ['*.local.json', 'config/**', 'secrets/'],
    );
    assert.deepEqual(resolveCompletionExclude(undefined), []);
    assert.equal(
      (pkg.contributes.configuration.properties['switchyard.completions.exclude']?.default as unknown[]).length,
      0,
    );
  });
});
