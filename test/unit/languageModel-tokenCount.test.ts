/**
 * `provideTokenCount` on every input shape VS Code can pass: VS Code trims a conversation's history
 * by these counts, so each must be what is sent (src/languageModel/tokenCount.ts) — a JSON tool
 * result by its text, not as an image; what is never sent (cache hints, thinking text) as nothing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { IMAGE_TOKENS } from '../../src/chat/images';
import { estimateTokens } from '../../src/context/tokens';
import { messageTokens } from '../../src/languageModel/tokenCount';
import type { LmInputPart, LmMessage } from '../../src/languageModel/types';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const user = (...content: LmInputPart[]): LmMessage => ({ role: 'user', content });
const EMPTY = messageTokens(user());

describe('provideTokenCount counts what is sent', () => {
  it('a JSON tool result counts its text, large or small (not 1,600 as an image)', () => {
    const big = JSON.stringify(Array.from({ length: 2000 }, (_, i) => ({ id: i, name: `row ${i}`, ok: i % 2 === 0 })));
    const result = (json: string): LmMessage =>
      user({
        kind: 'toolResult',
        callId: 'c1',
        content: [{ kind: 'data', mimeType: 'application/json', data: utf8(json) }],
      });
    assert.ok(messageTokens(result(big)) >= estimateTokens(big), 'a large JSON result is not undercounted');
    assert.ok(messageTokens(result('{"ok":true}')) < 50, 'a small one is not counted as an image');
    const text = user({
      kind: 'toolResult',
      callId: 'c2',
      content: [{ kind: 'data', mimeType: 'text/plain', data: utf8('hello world') }],
    });
    assert.ok(messageTokens(text) < 50);
  });

  it('images count IMAGE_TOKENS, in a user turn and in a tool result', () => {
    assert.ok(messageTokens(user({ kind: 'data', mimeType: 'image/png', data: PNG })) >= IMAGE_TOKENS);
    const fromTool = user({
      kind: 'toolResult',
      callId: 'c',
      content: [{ kind: 'data', mimeType: 'image/png', data: PNG }],
    });
    assert.ok(messageTokens(fromTool) >= IMAGE_TOKENS);
  });

  it('what is never sent counts nothing: a cache hint, thinking text, data that is no image it can name', () => {
    const hint = user(
      { kind: 'text', text: 'hi' },
      { kind: 'data', mimeType: 'cache_control', data: utf8('ephemeral') },
    );
    assert.equal(messageTokens(hint), messageTokens(user({ kind: 'text', text: 'hi' })));
    const bogus = user({ kind: 'data', mimeType: 'image/png', data: utf8('not a png at all'.repeat(200)) });
    assert.equal(messageTokens(bogus), EMPTY);
    const thought: LmMessage = {
      role: 'assistant',
      content: [
        { kind: 'thinking', text: 'long private thought '.repeat(500) },
        { kind: 'text', text: 'ok' },
      ],
    };
    assert.equal(messageTokens(thought), messageTokens({ role: 'assistant', content: [{ kind: 'text', text: 'ok' }] }));
  });

  it('reasoning_details replayed on an assistant turn count by their JSON', () => {
    const details = [{ type: 'reasoning.encrypted', data: 'x'.repeat(4000) }];
    const turn: LmMessage = {
      role: 'assistant',
      content: [
        { kind: 'thinking', text: '', details },
        { kind: 'text', text: 'ok' },
      ],
    };
    assert.ok(messageTokens(turn) >= estimateTokens(JSON.stringify(details)));
  });

  it('tool calls count their name and arguments; odd inputs do not throw', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    for (const input of [undefined, null, 'text', { path: 'a.ts' }, circular, { n: 10n }]) {
      const n = messageTokens({
        role: 'assistant',
        content: [{ kind: 'toolCall', callId: 'c', name: 'read_file', input }],
      });
      assert.ok(Number.isFinite(n) && n > EMPTY, String(input));
    }
  });

  it('any message of any parts gives a finite count, at least a message’s overhead', () => {
    const part: fc.Arbitrary<LmInputPart> = fc.oneof(
      fc.string().map((text) => ({ kind: 'text' as const, text })),
      fc
        .tuple(fc.constantFrom('image/png', 'application/json', 'text/plain', 'cache_control', ''), fc.uint8Array())
        .map(([mimeType, data]) => ({ kind: 'data' as const, mimeType, data })),
      fc
        .tuple(fc.string(), fc.jsonValue())
        .map(([name, input]) => ({ kind: 'toolCall' as const, callId: 'c', name, input })),
      fc.string().map((text) => ({ kind: 'thinking' as const, text })),
      fc.array(fc.string().map((text) => ({ kind: 'text' as const, text }))).map((content) => ({
        kind: 'toolResult' as const,
        callId: 'missing-call',
        content,
      })),
    );
    fc.assert(
      fc.property(
        fc.constantFrom('user', 'assistant', 'system') as fc.Arbitrary<LmMessage['role']>,
        fc.array(part),
        (role, content) => {
          const n = messageTokens({ role, content });
          assert.ok(Number.isFinite(n) && n >= 4);
        },
      ),
      { numRuns: 300 },
    );
  });
});
