/**
 * What activation does must stay light: the host builds a ChatSession, renders the chat view's
 * init and re-posts chips when the model views refresh. None of that may load the ~1 MB
 * tokenizer while there is nothing to count (it cost 100+ ms of activation once).
 * Its own file, so the tokenizer's module state is fresh.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChatSession, type ChatEnvironment } from '../../src/chat/chatSession';
import { HistoryStore } from '../../src/chat/history';
import { tokenizerLoadMs, estimateTokens } from '../../src/context/tokens';
import { parseRoutingSettings } from '../../src/config/routingSettings';
import { Router } from '../../src/routing/router';
import type { HostToWebview } from '../../src/protocol/messages';

describe('activation weight', () => {
  it('does not load the tokenizer until something is counted', () => {
    const posted: HostToWebview[] = [];
    const env: ChatEnvironment = {
      keys: { refs: async () => [], secret: async () => undefined, report: () => undefined },
      client: () => ({ kind: 'config', title: 'x', message: 'x', retryable: false }),
      router: new Router({
        policy: () => ({ ...parseRoutingSettings({}).policy, fallbackModels: [], routes: [] }),
        models: () => new Map(),
        fetchEndpoints: async () => [],
        ledger: { get: () => undefined, set: () => undefined },
        time: { now: () => 0, random: () => 0.5, sleep: async () => undefined },
      }),
      confirm: async () => false,
      settings: () => ({ model: 'openai/gpt-4o-mini', fallbackModels: [], maxOutputTokens: 1024 }),
      modelInfo: () => undefined,
      post: (m) => posted.push(m),
      log: { info: () => undefined, warn: () => undefined, error: () => undefined },
      newId: () => 'id',
      now: () => 0,
    };
    const store = new Map<string, unknown>();
    const session = new ChatSession(
      env,
      new HistoryStore({
        get: <T>(k: string) => store.get(k) as T | undefined,
        update: async (k, v) => void store.set(k, v),
      }),
    );
    const init = session.initMessage(true);
    session.refreshAttachments();
    session.offerEditorContext(undefined);
    assert.equal(init.type === 'init' && init.attachments.length, 0);
    assert.ok(posted.length > 0, 'the chips were posted');
    assert.equal(tokenizerLoadMs(), 0, 'the tokenizer was not loaded');
    // …and it does load (and count) once there is a chip: an @-picked file shows with its count.
    session.addAttachments([
      {
        id: 'f1',
        kind: 'file',
        path: 'README.md',
        language: 'markdown',
        content: '# Demo workspace\n\nA tiny project for the end-to-end tests.\n',
      },
    ]);
    const chips = posted
      .filter((m): m is Extract<HostToWebview, { type: 'attachments' }> => m.type === 'attachments')
      .at(-1);
    assert.deepEqual(
      chips?.attachments.map((a) => a.label),
      ['README.md'],
      'the picked file is a chip',
    );
    assert.ok((chips?.attachments[0]?.tokens ?? 0) > 5);
    assert.ok(tokenizerLoadMs() > 0);
    assert.ok(estimateTokens('function add(a, b) { return a + b; }') > 5);
  });
});
