/**
 * Every request is sent, counted and shown through the turn layer (src/turn/): no other module
 * streams a chat request, looks up a generation's cost, builds an attempt's body, assembles tool
 * calls or reasoning details, or writes the spend ledger. A caller that bypassed the layer (its own
 * client call, body or spend record) fails here; the behaviour it would lose is tested in
 * turn-spend.test.ts and turn-attemptBody.test.ts.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = join(__dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Calls only the turn layer may make, and the one place each may appear outside it (its definition). */
const TURN_ONLY: readonly { readonly call: RegExp; readonly what: string; readonly allowed: readonly string[] }[] = [
  { call: /\.streamChat\(/, what: 'streams a chat request', allowed: [] },
  { call: /\.generationCost\(/, what: "looks up a generation's cost", allowed: [] },
  { call: /\battemptRequestBody\(/, what: 'builds an attempt body', allowed: ['src/routing/requestBody.ts'] },
  { call: /new (ToolCallAssembler|ReasoningAssembler)\(/, what: 'assembles streamed deltas', allowed: [] },
  // The router's ledger (the budgets'): services.ts hands it to the completions' turn environment.
  { call: /router\.recordSpend\(/, what: 'writes the spend ledger', allowed: ['src/vscode/services.ts'] },
];

describe('the turn layer is the only way to send', () => {
  const files = sources(join(ROOT, 'src')).map((path) => ({
    path: relative(ROOT, path).split('\\').join('/'),
    text: readFileSync(path, 'utf8'),
  }));

  for (const rule of TURN_ONLY) {
    it(`only src/turn/ ${rule.what}`, () => {
      const offenders = files
        .filter((f) => !f.path.startsWith('src/turn/') && !rule.allowed.includes(f.path) && rule.call.test(f.text))
        .map((f) => f.path);
      assert.deepEqual(offenders, []);
    });
  }

  it('chat/, agent/ and completions/ import the layer, and agent/ does not import chat/', () => {
    const of = (folder: string): string =>
      files
        .filter((f) => f.path.startsWith(`src/${folder}/`))
        .map((f) => f.text)
        .join('\n');
    for (const folder of ['chat', 'agent', 'completions'])
      assert.match(of(folder), /from '\.\.\/turn\/send'/, `${folder}/ sends through src/turn/send.ts`);
    assert.doesNotMatch(of('agent'), /from '\.\.\/chat\//);
  });
});
