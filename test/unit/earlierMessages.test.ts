/** A restored chat in pages (src/chat/earlierMessages.ts): `init` with the newest messages, the older ones per `loadEarlier`. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EarlierMessages, INIT_CHARS, INIT_MESSAGES, PAGE_CHARS, PAGE_MESSAGES } from '../../src/chat/earlierMessages';
import type { ChatMessageView, HostToWebview } from '../../src/protocol/messages';

function message(i: number, chars = 20): ChatMessageView {
  return { id: `m${i}`, role: i % 2 ? 'assistant' : 'user', text: 'x'.repeat(chars), status: 'done', createdAt: i };
}

function chat(count: number, chars = 20): ChatMessageView[] {
  return Array.from({ length: count }, (_, i) => message(i, chars));
}

function init(messages: readonly ChatMessageView[]): HostToWebview {
  return {
    type: 'init',
    messages,
    model: { id: 'openai/gpt-4o-mini', name: 'GPT-4o mini', contextLength: 128_000, fallbacks: [] },
    hasKey: true,
    attachments: [],
    busy: false,
  };
}

/** What the webview ends up with: init's messages, then every page asked for, first id after first id. */
function restored(
  host: EarlierMessages,
  full: readonly ChatMessageView[],
): { init: number; all: string[]; asks: number } {
  const first = host.outgoing(init(full));
  assert.equal(first.type, 'init');
  if (first.type !== 'init') return { init: 0, all: [], asks: 0 };
  let ids = first.messages.map((m) => m.id);
  let earlier = first.earlier ?? 0;
  let asks = 0;
  while (earlier > 0) {
    const page = host.page(ids[0] ?? '');
    assert.ok(page, `a page before ${ids[0]}`);
    assert.ok(page.messages.length > 0, 'a page is never empty while older messages are left');
    ids = [...page.messages.map((m) => m.id), ...ids];
    assert.equal(page.earlier, full.length - ids.length, 'earlier counts what is still left');
    earlier = page.earlier;
    asks++;
  }
  return { init: first.messages.length, all: ids, asks };
}

describe('a restored chat in pages', () => {
  it('sends a short chat whole, and other messages untouched', () => {
    const host = new EarlierMessages();
    for (const count of [0, 1, 5, INIT_MESSAGES]) {
      const full = init(chat(count));
      assert.equal(host.outgoing(full), full, `${count} messages`);
    }
    const delta: HostToWebview = { type: 'delta', id: 'm1', text: 'x' };
    assert.equal(host.outgoing(delta), delta);
  });

  it('cuts init to the newest messages and pages the rest, each message once and in order', () => {
    for (const [count, chars] of [
      [INIT_MESSAGES + 1, 20],
      [300, 500],
      [1000, 500],
      [250, 20_000],
      [40, 200_000],
    ] as const) {
      const full = chat(count, chars);
      const r = restored(new EarlierMessages(), full);
      assert.deepEqual(
        r.all,
        full.map((m) => m.id),
        `${count} × ${chars}`,
      );
      assert.ok(r.init >= 2 && r.init <= INIT_MESSAGES, `init of ${r.init}`);
      assert.ok(
        r.init === 2 || r.init * (chars + 200) <= INIT_CHARS + chars + 200,
        `init within its budget: ${r.init}`,
      );
      assert.ok(r.asks >= Math.ceil((count - r.init) / PAGE_MESSAGES), `${r.asks} pages`);
    }
  });

  it('keeps pages within their size, a huge message alone', () => {
    const full = chat(30, PAGE_CHARS);
    const host = new EarlierMessages();
    host.outgoing(init(full));
    const page = host.page('m28');
    assert.equal(page?.messages.length, 1);
    assert.equal(page?.messages[0]?.id, 'm27');
  });

  it('answers nothing for a message it does not have, and pages from the latest init', () => {
    const host = new EarlierMessages();
    host.outgoing(init(chat(100)));
    assert.equal(host.page('nope'), undefined);
    const other = chat(50).map((m) => ({ ...m, id: `b${m.id}` }));
    host.outgoing(init(other));
    assert.equal(host.page('m90'), undefined, "the previous chat's pages are gone");
    assert.deepEqual(
      host.page('bm40')?.messages.map((m) => m.id),
      other.slice(0, 40).map((m) => m.id),
    );
  });
});
