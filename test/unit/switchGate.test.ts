/**
 * A message sent right after New Chat or a mode switch goes to the conversation the user sees
 * (src/chat/switchGate.ts, through the chat view's dispatcher), not to the one being replaced —
 * where New Chat's `cleared` used to wipe it from the view when saving the old one took a while.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SwitchGate } from '../../src/chat/switchGate';
import { chatViewHandlers, type ChatViewHost, type WebviewSession } from '../../src/chat/webviewDispatch';
import type { HostToWebview } from '../../src/protocol/messages';
import { MemoryStore, recordedSession } from '../faults/session';

/** A promise and its resolve, to hold a step until the test lets it go. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const ticks = (n = 5): Promise<void> => new Promise((r) => setTimeout(r, n));

describe('SwitchGate', () => {
  it('runs an action at once, in the same tick, when no change is under way', () => {
    const gate = new SwitchGate();
    let ran = false;
    void gate.after(() => void (ran = true));
    assert.equal(ran, true);
  });

  it('holds an action until the changes started before it have finished, in order', async () => {
    const gate = new SwitchGate();
    const order: string[] = [];
    const first = deferred();
    const second = deferred();
    const changes = [
      gate.change(async () => {
        await first.promise;
        order.push('change 1');
      }),
      gate.change(async () => {
        await second.promise;
        order.push('change 2');
      }),
    ];
    const action = gate.after(() => order.push('send'));
    second.resolve();
    await ticks();
    assert.deepEqual(order, [], 'the second change waits for the first, the send for both');
    first.resolve();
    await Promise.all([...changes, action]);
    assert.deepEqual(order, ['change 1', 'change 2', 'send']);
    let later = false;
    void gate.after(() => void (later = true));
    assert.equal(later, true, 'idle again once they are done');
  });

  it('a change that fails rejects its own promise and holds nothing back', async () => {
    const gate = new SwitchGate();
    const failed = gate.change(() => Promise.reject(new Error('storage full')));
    const thrown = gate.change(() => {
      throw new Error('sync throw');
    });
    const sent = gate.after(() => 'sent');
    await assert.rejects(failed, /storage full/);
    await assert.rejects(thrown, /sync throw/);
    assert.equal(await sent, 'sent');
  });
});

describe("the chat view's dispatcher", () => {
  /** A session whose New Chat takes until `release`; records the calls. */
  function slowSession(calls: string[], release: Promise<void>): WebviewSession {
    return {
      send: async (text) => void calls.push(`send ${text}`),
      stop: () => void calls.push('stop'),
      sendNow: () => void calls.push('sendNow'),
      newChat: async () => {
        await release;
        calls.push('newChat done');
      },
      retry: async (id) => void calls.push(`retry ${id}`),
      removeAttachment: () => undefined,
      setReasoningEffort: async () => undefined,
      addImage: async () => undefined,
    };
  }
  const host = (agent: ChatViewHost['agent']): ChatViewHost =>
    new Proxy({} as ChatViewHost, { get: (_, name) => (name === 'agent' ? agent : async () => undefined) });

  it('a send or retry after New Chat waits for it; Stop does not', async () => {
    const calls: string[] = [];
    const saving = deferred();
    const handlers = chatViewHandlers(
      () => slowSession(calls, saving.promise),
      host(async () => undefined),
    );
    const running = [
      handlers.newChat({ type: 'newChat' }),
      handlers.send({ type: 'send', text: 'first message' }),
      handlers.retry({ type: 'retry', messageId: 'm1' }),
      handlers.stop({ type: 'stop' }),
    ];
    await ticks();
    assert.deepEqual(calls, ['stop'], 'only Stop went through while New Chat saves');
    saving.resolve();
    await Promise.all(running);
    assert.deepEqual(calls, ['stop', 'newChat done', 'send first message', 'retry m1']);
  });

  it('a send after a mode switch goes to the mode switched to', async () => {
    let mode = 'ask';
    const calls: string[] = [];
    const switching = deferred();
    const sessionOf = (): WebviewSession => ({
      ...slowSession(calls, Promise.resolve()),
      send: async (text) => void calls.push(`${mode}: ${text}`),
    });
    const handlers = chatViewHandlers(
      sessionOf,
      host(async () => {
        await switching.promise;
        mode = 'agent';
      }),
    );
    const running = [
      handlers.setMode({ type: 'setMode', mode: 'agent' }),
      handlers.send({ type: 'send', text: 'fix the test' }),
    ];
    await ticks();
    assert.deepEqual(calls, []);
    switching.resolve();
    await Promise.all(running);
    assert.deepEqual(calls, ['agent: fix the test']);
  });

  it('with the real chat session, a message sent while New Chat clears slow storage shows after `cleared`', async () => {
    /** Workspace storage that takes a while to write (a busy machine). */
    class SlowStore extends MemoryStore {
      override async update(key: string, value: unknown): Promise<void> {
        await ticks(30);
        return super.update(key, value);
      }
    }
    const r = recordedSession({
      baseUrl: 'http://127.0.0.1:9/api/v1', // nothing listens: the answer fails, the message stays
      models: [],
      apiKey: 'sk-or-v1-gate-000000000000',
      settings: { model: 'openai/gpt-4o-mini', fallbackModels: [], maxOutputTokens: 64 },
      timeoutSeconds: 1,
      maxWaitMs: 0,
      store: new SlowStore(),
    });
    const handlers = chatViewHandlers(
      () => r.session,
      host(async () => undefined),
    );
    await Promise.all([
      handlers.newChat({ type: 'newChat' }),
      handlers.send({ type: 'send', text: 'typed right after New Chat' }),
    ]);
    const shown = (m: HostToWebview): boolean =>
      m.type === 'messageAdded' && m.message.text === 'typed right after New Chat';
    const cleared = r.posted.findIndex((m) => m.type === 'cleared');
    const message = r.posted.findIndex(shown);
    assert.ok(cleared >= 0 && message >= 0, JSON.stringify(r.posted.map((m) => m.type)));
    assert.ok(cleared < message, `cleared (${cleared}) comes before the message (${message})`);
    assert.equal(r.posted.slice(message).filter((m) => m.type === 'cleared').length, 0, 'nothing wipes it after');
  });
});
