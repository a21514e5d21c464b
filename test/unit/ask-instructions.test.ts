/**
 * Instructions in Ask mode: the instruction files in effect go after the chat's system prompt
 * (fenced as the project's text, the cache-stable prefix), nothing changes without them, and they
 * count against the context like the prompt: attached context is fitted around them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SYSTEM_PROMPT } from '../../src/chat/prompt';
import { instructionsText } from '../../src/agent/instructions';
import type { Attachment } from '../../src/context/attachment';
import { parseCatalogue, type ModelInfo } from '../../src/openrouter/catalogue';
import type { AttachmentView, HostToWebview } from '../../src/protocol/messages';
import { startFakeOpenRouter, type FakeOpenRouter } from '../fake-openrouter/server';
import { recordedSession } from '../faults/session';

const MODEL = 'openai/gpt-4o-mini';

describe('instructions in Ask mode', () => {
  let fake: FakeOpenRouter;
  let models: readonly ModelInfo[];
  before(async () => {
    fake = await startFakeOpenRouter({ tokenDelayMs: 0 });
    models = parseCatalogue(await (await fetch(`${fake.baseUrl}/models`)).json()).models;
  });
  after(() => fake.close());

  const session = (instructions: (() => string) | undefined, contextLength?: number) =>
    recordedSession({
      baseUrl: fake.baseUrl,
      models: contextLength ? models.map((m) => (m.id === MODEL ? { ...m, contextLength } : m)) : models,
      apiKey: 'sk-or-v1-ask-instructions-0000',
      settings: { model: MODEL, fallbackModels: [], maxOutputTokens: 256 },
      timeoutSeconds: 5,
      maxWaitMs: 100,
      ...(instructions ? { instructions } : {}),
    });
  const systemOf = (i: number): string =>
    (fake.chatRequests()[i]!.body as { messages: { content: string }[] }).messages[0]!.content;

  it('sends the files in effect after the system prompt, fenced as the project’s and the user’s', async () => {
    fake.clearRequests();
    const text = instructionsText([
      { label: 'AGENTS.md', origin: 'workspace', content: 'RULE-ASK: answer in British English.\n~~~~\nend' },
      { label: 'switchyard.agent.instructions', origin: 'user', content: 'Be brief.' },
    ]);
    const r = session(() => text);
    await r.session.send('What is a closure?');
    await r.session.send('And a generator?');
    const first = systemOf(0);
    assert.ok(first.startsWith(`${SYSTEM_PROMPT}\n\n`));
    assert.match(first, /Instructions of the project \(AGENTS\.md\):\n~~~~~\nRULE-ASK: answer in British English\./);
    assert.match(first, /The user's instructions \(switchyard\.agent\.instructions\):\n~~~~\nBe brief\.\n~~~~$/);
    assert.equal(systemOf(1), first, 'the same prefix on the next turn (prompt cache)');
  });

  it('sends the plain system prompt when none are in effect (turned off, or no files)', async () => {
    for (const instructions of [undefined, () => '']) {
      fake.clearRequests();
      const r = session(instructions);
      await r.session.send('Hello');
      assert.equal(systemOf(0), SYSTEM_PROMPT);
    }
  });

  it('counts them against the context: a chip gets less room beside long instructions', () => {
    const big: Attachment = {
      id: 'f1',
      kind: 'file',
      source: 'mention',
      path: 'src/big.ts',
      language: 'typescript',
      content: Array.from({ length: 600 }, (_, i) => `export const value${i} = ${i} * 2; // line ${i}`).join('\n'),
    };
    const long = instructionsText([
      { label: 'AGENTS.md', origin: 'workspace', content: 'Always explain the trade-offs. '.repeat(300) },
    ]);
    const tokensWith = (instructions: (() => string) | undefined): AttachmentView => {
      const r = session(instructions, 8_000);
      r.session.addAttachments([big]);
      const posted = r.posted.filter(
        (m): m is Extract<HostToWebview, { type: 'attachments' }> => m.type === 'attachments',
      );
      return posted.at(-1)!.attachments[0]!;
    };
    const without = tokensWith(undefined);
    const beside = tokensWith(() => long);
    assert.ok(without.truncated && beside.truncated, 'the file is larger than the context in both cases');
    assert.ok(
      without.tokens - beside.tokens > 1_000,
      `the instructions took their room: ${without.tokens} vs ${beside.tokens} tokens`,
    );
  });
});
