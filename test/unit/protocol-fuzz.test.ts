/**
 * Property-based fuzzing (fast-check) of the host's side of the webview protocol: the parser
 * never throws, accepts exactly what an independent oracle calls valid, strips what it does not
 * know; and a chat session driven by random sequences of valid messages (sent without waiting,
 * as a hostile or buggy webview could) never crashes, never rejects unhandled, never stays busy.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { parseCatalogue, type ModelInfo } from '../../src/openrouter/catalogue';
import { parseWebviewMessage, WebviewCommandIds, type WebviewToHost } from '../../src/protocol/messages';
import { startFakeOpenRouter, type FakeOpenRouter } from '../fake-openrouter/server';
import { ProcessWatch } from '../faults/invariants';
import { recordedSession } from '../faults/session';

const MAX_TEXT = 200_000;
const str = (v: unknown, min: number, max: number): boolean => typeof v === 'string' && v.length >= min && v.length <= max;

/** What the protocol should accept, written independently of the zod schema. */
function oracle(raw: unknown): boolean {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return false;
  const m = raw as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
    case 'stop':
    case 'newChat':
      return true;
    case 'send':
      return str(m.text, 1, MAX_TEXT);
    case 'retry':
      return str(m.messageId, 1, 100);
    case 'removeAttachment':
      return str(m.id, 1, 200);
    case 'copyCode':
    case 'insertCode':
      return str(m.code, 0, MAX_TEXT);
    case 'runCommand':
      return typeof m.command === 'string' && (WebviewCommandIds as readonly string[]).includes(m.command);
    default:
      return false;
  }
}

const KNOWN_KEYS: Record<string, readonly string[]> = {
  ready: ['type'],
  stop: ['type'],
  newChat: ['type'],
  send: ['type', 'text'],
  retry: ['type', 'messageId'],
  removeAttachment: ['type', 'id'],
  copyCode: ['type', 'code'],
  insertCode: ['type', 'code'],
  runCommand: ['type', 'command'],
};

const TYPES = Object.keys(KNOWN_KEYS);
const hostileStrings = fc.oneof(
  fc.string(),
  fc.constantFrom('', '__proto__', 'constructor', 'switchyard.clearApiKey', 'workbench.action.terminal.sendSequence', 'vscode.open', '<script>alert(1)</script>', '\u0000', 'x'.repeat(201)),
  fc.string({ minLength: 100, maxLength: 300 }),
);
const anyValue = fc.oneof(fc.anything(), hostileStrings, fc.constantFrom(null, undefined, NaN, -1, 0, true, [], {}));

/** Objects shaped like messages: a plausible type and random values for every field name in use. */
const messageLike = fc.record(
  {
    type: fc.oneof(fc.constantFrom(...TYPES), anyValue),
    text: anyValue,
    messageId: anyValue,
    id: anyValue,
    code: anyValue,
    command: fc.oneof(fc.constantFrom(...WebviewCommandIds), anyValue),
    path: anyValue,
    __proto__: anyValue,
  },
  { requiredKeys: ['type'] },
);

describe('webview message parser (fuzzed)', () => {
  it('never throws, and accepts exactly what the oracle accepts', () => {
    let accepted = 0;
    let rejected = 0;
    fc.assert(
      fc.property(fc.oneof(anyValue, messageLike), (raw) => {
        const result = parseWebviewMessage(raw);
        if (result.ok) accepted++;
        else rejected++;
        assert.equal(result.ok, oracle(raw), `parser and oracle disagree on ${JSON.stringify(raw)?.slice(0, 200)}`);
        if (!result.ok) assert.ok(result.error.length > 0, 'a rejection says why');
      }),
      { numRuns: 5000, seed: 6 },
    );
    // The generators reach both sides of the boundary, not just junk.
    assert.ok(accepted > 200 && rejected > 200, `accepted ${accepted}, rejected ${rejected}`);
  });

  it('passes on only the fields it knows (extra keys are stripped, never forwarded)', () => {
    fc.assert(
      fc.property(messageLike, fc.dictionary(fc.string(), fc.anything()), (raw, extra) => {
        const result = parseWebviewMessage({ ...extra, ...raw });
        if (!result.ok) return;
        const keys = Object.keys(result.message).sort();
        assert.deepEqual(keys, [...KNOWN_KEYS[result.message.type]!].sort());
      }),
      { numRuns: 3000, seed: 7 },
    );
  });
});

describe('chat session under random webview messages (fuzzed)', () => {
  let fake: FakeOpenRouter;
  let models: readonly ModelInfo[];
  const watch = new ProcessWatch();
  before(async () => {
    watch.install();
    fake = await startFakeOpenRouter({ tokenDelayMs: 0, chunks: 4 });
    models = parseCatalogue(await (await fetch(`${fake.baseUrl}/models`)).json()).models;
  });
  after(async () => {
    await fake.close();
    watch.uninstall();
  });

  /** Valid messages that reach the chat session (the others go to VS Code APIs). */
  const sessionMessage: fc.Arbitrary<WebviewToHost> = fc.oneof(
    fc.record({ type: fc.constant('send' as const), text: fc.string({ minLength: 1, maxLength: 60 }) }),
    fc.constant({ type: 'stop' as const }),
    fc.constant({ type: 'newChat' as const }),
    fc.record({ type: fc.constant('retry' as const), messageId: fc.oneof(fc.constantFrom('m1', 'm2', 'm3', 'm4', 'm6'), fc.string({ minLength: 1, maxLength: 100 })) }),
    fc.record({ type: fc.constant('removeAttachment' as const), id: fc.string({ minLength: 1, maxLength: 200 }) }),
  );

  it('never crashes, rejects nothing unhandled and ends idle', async () => {
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(sessionMessage, { minLength: 1, maxLength: 8 }), fc.constantFrom(undefined, { kind: 'cut' as const, afterChunks: 1 }, { kind: 'http' as const, status: 500 }), async (messages, fault) => {
        fake.setFault('*', fault);
        const r = recordedSession({ baseUrl: fake.baseUrl, models, apiKey: 'sk-or-v1-fuzz-000000000000', settings: { model: 'openai/gpt-4o-mini', fallbackModels: [], maxOutputTokens: 256 }, timeoutSeconds: 2, maxWaitMs: 200 });
        const running: Promise<void>[] = [];
        // Dispatched like ChatViewProvider.handle, without waiting for one to finish before the next.
        for (const raw of messages) {
          const parsed = parseWebviewMessage(raw);
          assert.ok(parsed.ok);
          const m = parsed.message;
          if (m.type === 'send') running.push(r.session.send(m.text));
          else if (m.type === 'stop') r.session.stop();
          else if (m.type === 'newChat') running.push(r.session.newChat());
          else if (m.type === 'retry') running.push(r.session.retry(m.messageId));
          else if (m.type === 'removeAttachment') r.session.removeAttachment(m.id);
          await new Promise((resolve) => setTimeout(resolve, 3));
        }
        await Promise.all(running);
        sent += r.posted.filter((p) => p.type === 'messageUpdated').length;
        assert.equal(r.session.busy, false, 'idle once every handler settled');
        const busy = r.posted.filter((p) => p.type === 'busy');
        if (busy.length) assert.deepEqual(busy.at(-1), { type: 'busy', busy: false });
        const init = r.session.initMessage(true);
        assert.ok(init.type === 'init' && init.messages.every((m) => m.status !== 'streaming'), 'nothing left streaming');
      }),
      { numRuns: 40, seed: 8 },
    );
    fake.setFault('*', undefined);
    assert.deepEqual(watch.unhandled, []);
    assert.ok(sent > 20, `answers were really run (${sent} finished)`);
  });
});
