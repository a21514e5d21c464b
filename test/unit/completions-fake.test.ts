/**
 * Completion requests from the real client against the fake OpenRouter: scripted insertions, the
 * latency before the first byte, aborts recorded, and a one-line stream closed after its line.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildFimPrompt } from '../../src/completions/prompt';
import { CompletionSender, isSendResult } from '../../src/completions/route';
import { OpenRouterClient } from '../../src/openrouter/client';
import { BreakerBoard } from '../../src/routing/breaker';
import type { Plan } from '../../src/routing/types';
import { FIXTURE_MODELS, startFakeOpenRouter, type FakeOpenRouter } from '../fake-openrouter/server';
import { plausibleCompletion } from '../fake-openrouter/plausible';
import { imbalance, scanBrackets } from '../../src/completions/brackets';
import { allowsMultiline, cleanCompletion } from '../../src/completions/postprocess';
import { turnEnvWith } from '../faults/turnEnv';
import { accept } from './completionsDoc';

const KEY = 'sk-or-v1-completions-test-000000000000000000';

let fake: FakeOpenRouter;
before(async () => {
  fake = await startFakeOpenRouter({ tokenDelayMs: 0 });
});
after(() => fake.close());

function sender(): CompletionSender {
  const client = new OpenRouterClient({ baseUrl: fake.baseUrl, apiKey: KEY, timeoutSeconds: 10 });
  const plan: Plan = {
    attempts: [
      { keyId: 'k', body: { model: FIXTURE_MODELS.gpt4oMini, provider: { sort: 'latency' } }, worstCaseUsd: 0.001 },
    ],
    decisions: [],
    warnings: [],
    notes: [],
    worstCaseUsd: 0.001,
  };
  return new CompletionSender({
    plan: async () => plan,
    turn: turnEnvWith(client),
    breakers: new BreakerBoard(),
    now: () => Date.now(),
  });
}

const promptAt = (prefix: string, suffix: string, multiline = false) =>
  buildFimPrompt({ prefix, suffix, languageId: 'typescript', path: 'src/math.ts', multiline, maxLines: 4 });

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('the fake OpenRouter answers completion prompts', () => {
  it('with the scripted insertion for the text before the cursor, and records it', async () => {
    fake.reset();
    fake.setCompletions({
      insertions: [
        { after: 'return a', insert: ' + b' },
        { after: 'return ', insert: 'never' },
      ],
      fallback: 'fallback',
    });
    const out = await sender().send({
      prompt: promptAt('function add(a, b) {\n  return a', ';\n}'),
      multiline: false,
      maxTokens: 48,
      signal: new AbortController().signal,
      allow: () => true,
    });
    assert.ok(isSendResult(out));
    assert.equal(out.text, ' + b');
    assert.ok(out.costUsd > 0, 'usage.cost is reported');
    const record = fake.chatRequests().at(-1)!;
    assert.deepEqual(record.completion, { before: 'function add(a, b) {\n  return a', insertion: ' + b' });
    assert.equal((record.body as { max_tokens: number }).max_tokens, 48);
    const other = await sender().send({
      prompt: promptAt('let x = ', ''),
      multiline: false,
      maxTokens: 48,
      signal: new AbortController().signal,
      allow: () => true,
    });
    assert.ok(isSendResult(other) && other.text === 'fallback');
  });

  it('waits the configured latency, and records an abort made while waiting', async () => {
    fake.reset();
    fake.setCompletions({ latencyMs: 300, fallback: 'late' });
    const started = Date.now();
    const ok = await sender().send({
      prompt: promptAt('a', ''),
      multiline: false,
      maxTokens: 48,
      signal: new AbortController().signal,
      allow: () => true,
    });
    assert.ok(isSendResult(ok));
    assert.ok(Date.now() - started >= 290, 'not before the latency');
    const keystroke = new AbortController();
    const pending = sender().send({
      prompt: promptAt('ab', ''),
      multiline: false,
      maxTokens: 48,
      signal: keystroke.signal,
      allow: () => true,
    });
    await until(() => fake.chatRequests().length === 2, 'the second request');
    keystroke.abort();
    const out = await pending;
    assert.ok(!isSendResult(out) && out.miss === 'aborted');
    await until(() => fake.chatRequests()[1]!.aborted === true, 'the fake to record the abort');
  });

  it('a one-line context closes the stream after the first line (the fake sees it leave)', async () => {
    fake.reset();
    fake.setOptions({ tokenDelayMs: 30, chunks: 12 });
    fake.setCompletions({ fallback: 'first();\nsecond();\nthird();\nfourth();' });
    const out = await sender().send({
      prompt: promptAt('x', ''),
      multiline: false,
      maxTokens: 48,
      signal: new AbortController().signal,
      allow: () => true,
    });
    assert.ok(isSendResult(out));
    assert.equal(out.cutEarly, true);
    assert.ok(out.text.startsWith('first();\n') && !out.text.includes('fourth'), out.text);
    await until(() => fake.chatRequests()[0]!.aborted === true, 'the abort');
  });

  it('is scriptable from another process through the control API (and rejects bad scripts)', async () => {
    fake.reset();
    const post = (body: unknown) =>
      fetch(`${fake.url}/__control/options`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    assert.equal(
      (await post({ completions: { latencyMs: 0, insertions: [{ after: 'let y = ', insert: '2;' }] } })).status,
      200,
    );
    const out = await sender().send({
      prompt: promptAt('let y = ', ''),
      multiline: false,
      maxTokens: 48,
      signal: new AbortController().signal,
      allow: () => true,
    });
    assert.ok(isSendResult(out) && out.text === '2;');
    assert.equal((await post({ completions: { insertions: [{ after: 1 }] } })).status, 400);
  });
});

describe('the trial fake suggests plausible code read from the cursor', () => {
  // The editor's state with VS Code's defaults (auto-closed brackets and quotes after the cursor).
  const cases: readonly [string, string, RegExp][] = [
    ['function area(width: number, height: number): number {\n  return ', '\n}\n', /^width \+ height;$/],
    ['const items = load();\nconsole.log(', ')\n', /^items\);$/],
    ['function greet(name) {\n  console.log(', ');\n}\n', /^name\);$/],
    ["const label = 'total';\nconsole.log('", "')\n", /^done'\);$/],
    ['export function double(n: number) {', '}\n', /^\n  return n;\n}$/],
    ['export function double(n: number) {\n  ', '\n}\n', /^return n;\n}$/],
    ['def scale(value, factor):\n    return ', '\n', /^value \+ factor$/],
    ['let total = 0;\n// ', '\n', /^TODO/],
  ];
  for (const [before, after, want] of cases) {
    it(`${JSON.stringify(before.split('\n').at(-1))}|${JSON.stringify(after.split('\n')[0])}`, () => {
      const answer = plausibleCompletion(before, after);
      assert.match(answer, want);
      // Cleaned and accepted, it leaves balanced code that is not what was there.
      const text = cleanCompletion(answer, {
        prefix: before,
        suffix: after,
        multiline: allowsMultiline(before, after),
        maxLines: 6,
      });
      assert.ok(text, `shown: ${JSON.stringify(answer)}`);
      const doc = accept(before, after, text);
      assert.notEqual(doc, before + after);
      assert.deepEqual(imbalance(scanBrackets(doc)), imbalance(scanBrackets(before + after)), doc);
    });
  }

  it('nothing after a finished statement', () => assert.equal(plausibleCompletion('const x = 1;', ''), ''));

  it('the fake serves it when nothing is scripted', async () => {
    fake.reset();
    const out = await sender().send({
      prompt: promptAt('function add(a: number, b: number) {\n  return ', '\n}'),
      multiline: false,
      maxTokens: 48,
      signal: new AbortController().signal,
      allow: () => true,
    });
    assert.ok(isSendResult(out) && out.text === 'a + b;', isSendResult(out) ? out.text : out.detail);
  });
});
