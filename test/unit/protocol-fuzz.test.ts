/**
 * Property-based fuzzing (fast-check) of the host's side of the webview protocol. The message
 * types, fields and bounds are read from the zod schema itself (test/unit/protocolSpec.ts), so a
 * new message type or field is fuzzed without anyone listing it; the oracle is LIMITS below, the
 * documented contract, decided by code of its own. The parser never throws, accepts exactly what
 * the oracle accepts (values are drawn on and just past every bound of both), strips what it does
 * not know; the dispatcher runs exactly the handler of each message; and a chat session driven
 * through the dispatcher by random sequences of every valid message (sent without waiting, as a
 * hostile or buggy webview could) never crashes, never rejects unhandled, never stays busy.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import {
  chatViewHandlers,
  receiveWebviewMessage,
  type ChatViewHost,
  type WebviewHandlers,
} from '../../src/chat/webviewDispatch';
import { parseCatalogue, type ModelInfo } from '../../src/openrouter/catalogue';
import { parseWebviewMessage, WebviewToHostSchema, type WebviewToHost } from '../../src/protocol/messages';
import { startFakeOpenRouter, type FakeOpenRouter } from '../fake-openrouter/server';
import { ProcessWatch } from '../faults/invariants';
import { recordedSession } from '../faults/session';
import { accepts, messageArbitrary, readSpec, validValue, type ProtocolSpec } from './protocolSpec';

const MAX_TEXT = 200_000;
/** The one field allowed past MAX_TEXT: an image's data URL (a bound of its own). */
const IMAGE_DATA_URL = 7_000_000;
const LARGE_FIELDS: ReadonlyMap<string, number> = new Map([['attachImage.dataUrl', IMAGE_DATA_URL]]);
const text = (min: number, max: number) => ({ kind: 'string', min, max }) as const;
const code = { kind: 'string', max: MAX_TEXT } as const;

/**
 * The contract, written independently of the schema: every message type, its fields and their
 * bounds. The commands are the webview's whole allow-list, spelled out (a security boundary).
 */
const LIMITS: ProtocolSpec = {
  ready: {},
  send: {
    text: text(1, MAX_TEXT),
    attachmentIds: { kind: 'array', max: 100, item: text(1, 200), optional: true },
    webSearch: { kind: 'boolean', optional: true },
  },
  stop: {},
  loadEarlier: { before: text(1, 100) },
  sendNow: {},
  newChat: {},
  retry: { messageId: text(1, 100) },
  removeAttachment: { id: text(1, 200) },
  // An image as a data URL: 5 MiB of image in base64 plus its prefix (src/protocol/images.ts).
  attachImage: { name: text(1, 200), dataUrl: text(1, IMAGE_DATA_URL) },
  copyCode: { code },
  insertCode: { code },
  runCommand: {
    command: {
      kind: 'enum',
      values: [
        'switchyard.setApiKey',
        'switchyard.pickModel',
        'switchyard.refreshModels',
        'switchyard.showLog',
        'switchyard.openCredits',
        'switchyard.explainRoute',
        'switchyard.signIn',
        'switchyard.cancelSignIn',
        'switchyard.manageKeys',
        'switchyard.refreshCredits',
        'switchyard.pastChats',
        'switchyard.attachImage',
        'switchyard.pickVisionModel',
        'switchyard.agent.setTaskBudget',
        'switchyard.useInVsCodeChat',
        'switchyard.mcpServers',
        'switchyard.instructionFiles',
        'switchyard.editBudgets',
        'switchyard.sendOverBudgetOnce',
        'switchyard.sendSmallerContext',
      ],
    },
  },
  mentionQuery: { id: { kind: 'int', min: 0 }, query: { kind: 'string', max: 500 } },
  attachMention: {
    kind: {
      kind: 'enum',
      values: ['file', 'selection', 'problems', 'workspaceProblems', 'diff', 'open', 'terminal', 'image', 'resource'],
    },
    path: { ...text(1, 2000), optional: true },
    server: { ...text(1, 200), optional: true },
  },
  // `/` commands and the composer's instruction files.
  slashQuery: { id: { kind: 'int', min: 0 }, query: { kind: 'string', max: 200 } },
  slashPick: {
    kind: { kind: 'enum', values: ['skill', 'prompt'] },
    name: text(1, 200),
    server: { ...text(1, 200), optional: true },
  },
  openInstructions: { label: text(1, 500) },
  applyCode: { messageId: text(1, 100), code, language: { kind: 'string', max: 64 } },
  newFile: { code, language: { kind: 'string', max: 64 }, messageId: { ...text(1, 100), optional: true } },
  // Agent mode.
  setMode: { mode: { kind: 'enum', values: ['ask', 'plan', 'agent'] } },
  planAction: { messageId: text(1, 100), action: { kind: 'enum', values: ['act', 'revise'] } },
  toolDecision: {
    callId: text(1, 200),
    approve: { kind: 'boolean' },
    feedback: { kind: 'string', max: 4000, optional: true },
    always: { kind: 'boolean', optional: true },
    alwaysServer: { kind: 'boolean', optional: true },
    allowNetwork: { kind: 'boolean', optional: true },
  },
  restoreCheckpoint: { stepId: text(1, 100) },
  killCommand: { callId: text(1, 200) },
  continueTask: {},
  useCode: { messageId: text(1, 100), code },
  // Web search sources (the host opens only http/https).
  openSource: { url: text(1, 2048) },
  // A link in an answer, with its text (the host asks when the text does not say where it goes).
  openLink: { url: text(1, 2048), text: { kind: 'string', max: 500 } },
  // The header's reasoning effort control.
  setReasoningEffort: {
    model: text(1, 300),
    effort: { kind: 'enum', values: ['default', 'off', 'max', 'xhigh', 'high', 'medium', 'low', 'minimal'] },
  },
};

const SCHEMA = readSpec(WebviewToHostSchema);

describe('webview protocol contract', () => {
  it('the schema has exactly the documented message types, fields and bounds', () => {
    assert.deepEqual(
      Object.keys(SCHEMA).sort(),
      Object.keys(LIMITS).sort(),
      'a message type was added or removed: describe it in LIMITS',
    );
    for (const type of Object.keys(LIMITS))
      assert.deepEqual(SCHEMA[type], LIMITS[type], `the fields or bounds of "${type}" differ from LIMITS`);
  });

  it('bounds every field of every message: strings and lists by length, numbers from below, choices by a list', () => {
    const unbounded: string[] = [];
    const check = (where: string, f: ProtocolSpec[string][string]): void => {
      if (f.kind === 'unknown') unbounded.push(`${where}: a ${f.zodType} the fuzzer cannot read`);
      const limit = LARGE_FIELDS.get(where) ?? MAX_TEXT;
      if ((f.kind === 'string' || f.kind === 'array') && (f.max === undefined || f.max > limit))
        unbounded.push(`${where}: no length limit (≤ ${limit})`);
      if ((f.kind === 'int' || f.kind === 'number') && f.min === undefined) unbounded.push(`${where}: no lower bound`);
      if (f.kind === 'array') check(`${where}[]`, f.item);
    };
    for (const [type, fields] of Object.entries(SCHEMA))
      for (const [name, f] of Object.entries(fields)) check(`${type}.${name}`, f);
    assert.deepEqual(unbounded, []);
  });
});

describe('webview message parser (fuzzed)', () => {
  it('never throws, and accepts exactly what the oracle accepts', () => {
    const accepted = new Map<string, number>();
    let rejected = 0;
    fc.assert(
      fc.property(messageArbitrary(SCHEMA, LIMITS), (raw) => {
        const result = parseWebviewMessage(raw);
        if (result.ok) accepted.set(result.message.type, (accepted.get(result.message.type) ?? 0) + 1);
        else rejected++;
        assert.equal(
          result.ok,
          accepts(LIMITS, raw),
          `parser and oracle disagree on ${JSON.stringify(raw, (_, v: unknown) => (typeof v === 'string' && v.length > 80 ? `<${v.length} chars>` : Array.isArray(v) && v.length > 10 ? `<${v.length} items>` : v))?.slice(0, 300)}`,
        );
        if (!result.ok) assert.ok(result.error.length > 0, 'a rejection says why');
      }),
      { numRuns: 30_000, seed: 6 },
    );
    // The generators reach both sides of the boundary, for every message type, not just junk
    // (a type with many optional fields, like toolDecision's five, is all-valid less often: hence 30,000 runs).
    for (const type of Object.keys(SCHEMA))
      assert.ok((accepted.get(type) ?? 0) > 10, `valid "${type}" messages were generated: ${accepted.get(type) ?? 0}`);
    assert.ok(rejected > 2000, `rejected ${rejected}`);
  });

  it('passes on only the fields it knows (extra keys are stripped, never forwarded)', () => {
    fc.assert(
      fc.property(messageArbitrary(SCHEMA), fc.dictionary(fc.string(), fc.anything()), (raw, extra) => {
        const result = parseWebviewMessage({ ...extra, ...(raw as object) });
        if (!result.ok) return;
        const known = new Set(['type', ...Object.keys(LIMITS[result.message.type] ?? {})]);
        for (const key of Object.keys(result.message))
          assert.ok(known.has(key), `"${key}" passed through on "${result.message.type}"`);
      }),
      { numRuns: 3000, seed: 7 },
    );
  });
});

/** Valid messages of every type the schema has (retry ids aim at real messages half the time). */
const validMessage: fc.Arbitrary<WebviewToHost> = fc.oneof(
  ...Object.entries(SCHEMA).map(([type, fields]) => {
    const arbs = Object.fromEntries(
      Object.entries(fields).map(([name, f]) => [
        name,
        type === 'retry' ? fc.oneof(fc.constantFrom('m1', 'm2', 'm3', 'm4', 'm6'), validValue(f)) : validValue(f),
      ]),
    );
    const required = Object.entries(fields)
      .filter(([, f]) => !f.optional)
      .map(([name]) => name);
    const model: Record<string, fc.Arbitrary<unknown>> = { type: fc.constant(type), ...arbs };
    return fc.record(model, { requiredKeys: ['type', ...required] }) as unknown as fc.Arbitrary<WebviewToHost>;
  }),
);

describe('webview dispatcher', () => {
  it('runs exactly the handler of each valid message, with the message as parsed', async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(validMessage, async (message) => {
        const calls: [string, unknown][] = [];
        const handlers = Object.fromEntries(
          Object.keys(SCHEMA).map((type) => [type, (m: unknown) => void calls.push([type, m])]),
        ) as unknown as WebviewHandlers;
        const errors: string[] = [];
        await receiveWebviewMessage(message, handlers, { error: (e) => errors.push(e) });
        assert.deepEqual(errors, []);
        assert.deepEqual(calls, [
          [
            message.type,
            parseWebviewMessage(message).ok && (parseWebviewMessage(message) as { message: unknown }).message,
          ],
        ]);
        seen.add(message.type);
      }),
      { numRuns: 500, seed: 9 },
    );
    assert.deepEqual([...seen].sort(), Object.keys(SCHEMA).sort(), 'every message type was dispatched');
  });

  it('drops an invalid message and a failing handler with a log line, never a rejection', async () => {
    const errors: string[] = [];
    const failing = chatViewHandlers(() => {
      throw new Error('no session');
    }, recordingHost([]));
    await receiveWebviewMessage({ type: 'runCommand', command: 'workbench.action.terminal.sendSequence' }, failing, {
      error: (e) => errors.push(e),
    });
    await receiveWebviewMessage({ type: 'stop' }, failing, { error: (e) => errors.push(e) });
    assert.equal(errors.length, 2);
    assert.match(errors[0]!, /invalid message \(command:/);
    assert.match(errors[1]!, /handling "stop" failed: Error: no session/);
  });
});

/** A host that records what the chat view asked of the editor. */
function recordingHost(calls: string[]): ChatViewHost {
  const record =
    (name: string) =>
    async (...args: unknown[]): Promise<void> =>
      void calls.push(`${name}(${args.map((a) => JSON.stringify(a) ?? 'undefined').join(', ')})`);
  return {
    ready: record('ready'),
    loadEarlier: record('loadEarlier'),
    copyCode: record('copyCode'),
    insertCode: record('insertCode'),
    runCommand: record('runCommand'),
    mentionQuery: record('mentionQuery'),
    attachMention: record('attachMention'),
    applyCode: record('applyCode'),
    newFile: record('newFile'),
    agent: record('agent'),
    composer: record('composer'),
    useCode: record('useCode'),
    openSource: record('openSource'),
    openLink: record('openLink'),
  };
}

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

  it('never crashes, rejects nothing unhandled and ends idle', async () => {
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(validMessage, { minLength: 1, maxLength: 8 }),
        fc.constantFrom(undefined, { kind: 'cut' as const, afterChunks: 1 }, { kind: 'http' as const, status: 500 }),
        async (messages, fault) => {
          fake.setFault('*', fault);
          const r = recordedSession({
            baseUrl: fake.baseUrl,
            models,
            apiKey: 'sk-or-v1-fuzz-000000000000',
            settings: { model: 'openai/gpt-4o-mini', fallbackModels: [], maxOutputTokens: 256 },
            timeoutSeconds: 2,
            maxWaitMs: 200,
          });
          const running: Promise<void>[] = [];
          // Through the provider's own dispatcher, without waiting for one to finish before the next.
          const hostCalls: string[] = [];
          const handlers = chatViewHandlers(() => r.session, recordingHost(hostCalls));
          const errors: string[] = [];
          const expectedHost: string[] = [];
          for (const raw of messages) {
            assert.ok(parseWebviewMessage(raw).ok);
            // Agent mode's messages go to the host's agent side, as one call.
            if (
              ![
                'send',
                'stop',
                'sendNow',
                'newChat',
                'retry',
                'removeAttachment',
                'setReasoningEffort',
                'attachImage',
              ].includes(raw.type)
            )
              expectedHost.push(
                ['setMode', 'toolDecision', 'restoreCheckpoint', 'killCommand', 'planAction', 'continueTask'].includes(
                  raw.type,
                )
                  ? 'agent'
                  : ['slashQuery', 'slashPick', 'openInstructions'].includes(raw.type)
                    ? 'composer'
                    : raw.type,
              );
            running.push(receiveWebviewMessage(raw, handlers, { error: (e) => errors.push(e) }));
            await new Promise((resolve) => setTimeout(resolve, 3));
          }
          await Promise.all(running);
          assert.deepEqual(errors, [], 'no handler failed');
          assert.deepEqual(
            hostCalls.map((c) => c.slice(0, c.indexOf('('))),
            expectedHost,
            'the editor was asked exactly for the host messages, in order',
          );
          sent += r.posted.filter((p) => p.type === 'messageUpdated').length;
          assert.equal(r.session.busy, false, 'idle once every handler settled');
          const busy = r.posted.filter((p) => p.type === 'busy');
          if (busy.length) assert.deepEqual(busy.at(-1), { type: 'busy', busy: false });
          const init = r.session.initMessage(true);
          assert.ok(
            init.type === 'init' && init.messages.every((m) => m.status !== 'streaming'),
            'nothing left streaming',
          );
        },
      ),
      { numRuns: 100, seed: 8 },
    );
    fake.setFault('*', undefined);
    assert.deepEqual(watch.unhandled, []);
    assert.ok(sent > 20, `answers were really run (${sent} finished)`);
  });
});
