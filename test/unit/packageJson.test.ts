import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { SETTING_DEFAULTS } from '../../src/config/defaults';
import { WebviewCommandIds } from '../../src/protocol/messages';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  contributes: {
    configuration: { properties: Record<string, { default: unknown }> };
    commands: { command: string; category: string }[];
  };
};

describe('package.json', () => {
  it('declares every setting with the default the code uses', () => {
    for (const [name, value] of Object.entries(SETTING_DEFAULTS)) {
      const declared = pkg.contributes.configuration.properties[`switchyard.${name}`];
      assert.ok(declared, `switchyard.${name} is declared`);
      assert.deepEqual(declared.default, value, `default of switchyard.${name}`);
    }
  });
  it('contributes every command the webview may run, under the Switchyard category', () => {
    const ids = new Set(pkg.contributes.commands.map((c) => c.command));
    for (const id of WebviewCommandIds) assert.ok(ids.has(id), id);
    for (const c of pkg.contributes.commands) assert.equal(c.category, 'Switchyard');
  });
});
