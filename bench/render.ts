/**
 * The chat webview in Chromium (test/webview/harness.ts: the real bundle under the real CSP):
 * - streaming: tokens arrive at 500/s for 20 s, delivered by a timer in the page the way the host
 *   posts them; measures frames dropped while streaming, the lag from the last token's arrival to
 *   the frame that shows it, and how long a click on Stop waits before the webview posts `stop`;
 * - long conversation: the `init` of a 300-message chat with code blocks, from delivery to painted
 *   (what a reload restores), as the chat view posts it (the newest messages in `init`, the older
 *   ones a page per `loadEarlier`), plus the host-side load of that history.
 */
import { HistoryStore } from '../src/chat/history';
import type { ChatMessageView } from '../src/protocol/messages';
import { MemoryStore, recordedSession } from '../test/faults/session';
import { ANSWER_LOAD_EARLIER, asPosted } from '../test/webview/earlierPages';
import { assistant, FIRST_ANSWER, init, user } from '../test/webview/fixtures';
import { startHarness } from '../test/webview/harness';
import { median, percentile } from './stats';

export interface StreamResult {
  readonly tokensPerSecond: number;
  readonly seconds: number;
  readonly tokens: number;
  readonly frames: number;
  readonly droppedFrames: number;
  readonly worstFrameMs: number;
  readonly lastTokenToPaintMs: number;
  readonly stopToPostedMs: number;
}

export interface RestoreResult {
  readonly messages: number;
  readonly initKiB: number;
  /** init delivered → the last screen painted (the older messages may still wait for their markdown). */
  readonly webviewP50Ms: number;
  readonly webviewMaxMs: number;
  /** init delivered → every message's markdown rendered and painted. */
  readonly allP50Ms: number;
  readonly allMaxMs: number;
  /**
   * init delivered → the last screen painted, the host answering `ready` with `init` as the next
   * task: the webview has had no time to prepare (./warmUp.ts), the worst case.
   */
  readonly atOnceP50Ms: number;
  readonly atOnceMaxMs: number;
  readonly hostLoadP50Ms: number;
  readonly runs: number;
}

/** Runs in the page. Plain JavaScript: tsx's helpers do not exist there. */
const STREAM_500 = `({ tokensPerSecond, seconds, sentinel }) => new Promise((resolve) => {
  const words = ['The ', 'parser ', 'reads ', '\`chunk\` ', 'and ', 'emits ', 'tokens; ', 'each ', 'carries ', 'its ', 'offset.\\n\\n', '- item ', '**bold** ', 'text ', '\`\`\`ts\\nconst x = 1;\\n\`\`\`\\n\\n'];
  const total = tokensPerSecond * seconds;
  const el = () => document.querySelector('[data-id="bench"] .markdown');
  let sent = 0, frames = 0, dropped = 0, worst = 0, stopAt = 0, stopMs = -1;
  const start = performance.now();
  let last = start;
  const frame = (now) => {
    const gap = now - last;
    last = now;
    frames++;
    worst = Math.max(worst, gap);
    dropped += Math.max(0, Math.round(gap / (1000 / 60)) - 1);
    if (sent < total) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  const tick = () => {
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * tokensPerSecond));
    while (sent < due) {
      sent++;
      window.__deliver({ type: 'delta', id: 'bench', text: sent === total ? sentinel : words[sent % words.length] });
    }
    // Halfway, the user clicks Stop: a task queued now runs once the page is free to handle input.
    if (!stopAt && sent >= total / 2) {
      stopAt = performance.now();
      setTimeout(() => {
        document.querySelector('#stop').click();
        if (window.__posted.some((m) => m.type === 'stop')) stopMs = performance.now() - stopAt;
      }, 0);
    }
    if (sent < total) return setTimeout(tick, 4);
    const lastAt = performance.now();
    const wait = () => requestAnimationFrame(() => {
      const node = el();
      if (node && node.textContent.includes(sentinel.trim())) {
        // The frame after the one that rendered it: the text is on screen.
        requestAnimationFrame(() => resolve({ tokens: sent, frames, dropped, worst, lag: performance.now() - lastAt, stopMs }));
      } else wait();
    });
    wait();
  };
  setTimeout(tick, 4);
})`;

/**
 * In the page: delivers `message` (an `init`) and resolves with [last screen painted, all
 * painted], in ms since `start`. The last screen: the frame after the one that first shows every
 * message of the init (two animation frames later); all: the same once the older pages are in and
 * every answer's markdown rendered (`data-all-rendered`).
 */
const DELIVER_AND_MEASURE = `(message, start) => new Promise((resolve) => {
  window.__deliver(message);
  let last = 0;
  const painted = () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - start))));
  const wait = () => requestAnimationFrame(async () => {
    const list = document.querySelector('#messages');
    if (!last && list.querySelectorAll('.message').length >= message.messages.length) last = await painted();
    if (last && list.dataset.allRendered === 'true') resolve([last, await painted()]);
    else wait();
  });
  wait();
})`;

/**
 * Run before the page's own scripts: plays a host that answers `ready` with `init` as the next
 * task (before anything the webview queues after posting `ready`) and `loadEarlier` with its
 * pages; `window.__restored` becomes the promise of {@link DELIVER_AND_MEASURE}.
 */
const ANSWER_READY_AT_ONCE = `(message, pages) => {
  let posted;
  Object.defineProperty(window, '__posted', {
    configurable: true,
    get: () => posted,
    set: (list) => {
      posted = list;
      (${ANSWER_LOAD_EARLIER})(pages, false);
      const push = list.push.bind(list);
      list.push = (m) => {
        if (m.type === 'ready') setTimeout(() => (window.__restored = (${DELIVER_AND_MEASURE})(message, performance.now())), 0);
        return push(m);
      };
    },
  });
}`;

export async function benchStreaming(tokensPerSecond = 500, seconds = 20): Promise<StreamResult> {
  const harness = await startHarness();
  try {
    const w = await harness.open();
    await w.deliver(
      init(),
      { type: 'busy', busy: true },
      {
        type: 'messageAdded',
        message: assistant('bench', '', { status: 'streaming', meta: { requestedModel: 'openai/gpt-4o-mini' } }),
      },
    );
    const r = await w.page.evaluate<{
      tokens: number;
      frames: number;
      dropped: number;
      worst: number;
      lag: number;
      stopMs: number;
    }>(`(${STREAM_500})(${JSON.stringify({ tokensPerSecond, seconds, sentinel: ' END-OF-STREAM-7f3a' })})`);
    await w.close();
    const round = (n: number): number => Number(n.toFixed(1));
    return {
      tokensPerSecond,
      seconds,
      tokens: r.tokens,
      frames: r.frames,
      droppedFrames: r.dropped,
      worstFrameMs: round(r.worst),
      lastTokenToPaintMs: round(r.lag),
      stopToPostedMs: round(r.stopMs),
    };
  } finally {
    await harness.close();
  }
}

function longConversation(count: number): ChatMessageView[] {
  const out: ChatMessageView[] = [];
  for (let i = 0; i < count; i += 2) {
    out.push(user(`u${i}`, `Question ${i}: why does \`factorial(25)\` lose precision, and how do I fix it?`));
    out.push(
      assistant(
        `a${i}`,
        `${FIRST_ANSWER}\n\n\`\`\`ts\nexport function step${i}(n: bigint): bigint {\n  return n <= 1n ? 1n : n * step${i}(n - 1n);\n}\n\`\`\``,
        {
          meta: {
            requestedModel: 'openai/gpt-4o-mini',
            model: 'openai/gpt-4o-mini',
            provider: 'OpenAI',
            promptTokens: 1200,
            completionTokens: 300,
            cost: 0.00042,
          },
        },
      ),
    );
  }
  return out;
}

export async function benchRestore(count = 300, runs = 7): Promise<RestoreResult> {
  const messages = longConversation(count);
  // Host side: the history as stored, loaded by a new session (what activation after a reload does).
  const store = new MemoryStore();
  await new HistoryStore(store).save({ id: 'c1', messages });
  const hostSamples: number[] = [];
  for (let i = 0; i < runs * 3; i++) {
    const started = performance.now();
    const { session } = recordedSession({
      baseUrl: 'http://127.0.0.1:9/api/v1',
      models: [],
      apiKey: 'unused',
      settings: { model: 'openai/gpt-4o-mini', fallbackModels: [], maxOutputTokens: 1024 },
      timeoutSeconds: 1,
      maxWaitMs: 1,
      store,
    });
    session.initMessage(true);
    hostSamples.push(performance.now() - started);
  }
  // What the host posts: `init` with the newest messages, then a page of older ones per `loadEarlier`.
  const { init: initMessage, pages } = asPosted(init({ messages }));
  const harness = await startHarness();
  const samples: number[] = [];
  const allSamples: number[] = [];
  const atOnce: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const w = await harness.open();
      const [ms, allMs] = await w.page.evaluate<[number, number]>(
        `((message, pages) => {
          (${ANSWER_LOAD_EARLIER})(pages, false);
          return (${DELIVER_AND_MEASURE})(message, performance.now());
        })(${JSON.stringify(initMessage)}, ${JSON.stringify(pages)})`,
      );
      samples.push(ms);
      allSamples.push(allMs);
      await w.close();
    }
    for (let i = 0; i < runs; i++) {
      const w = await harness.open({
        beforeLoad: `(${ANSWER_READY_AT_ONCE})(${JSON.stringify(initMessage)}, ${JSON.stringify(pages)})`,
      });
      await w.page.waitForFunction(() => (window as { __restored?: unknown }).__restored !== undefined);
      atOnce.push((await w.page.evaluate<[number, number]>('window.__restored'))[0]);
      await w.close();
    }
  } finally {
    await harness.close();
  }
  const round = (n: number): number => Number(n.toFixed(1));
  return {
    messages: count,
    initKiB: round(JSON.stringify(initMessage).length / 1024),
    webviewP50Ms: round(median(samples.slice(1))),
    webviewMaxMs: round(percentile(samples.slice(1), 100)),
    allP50Ms: round(median(allSamples.slice(1))),
    allMaxMs: round(percentile(allSamples.slice(1), 100)),
    atOnceP50Ms: round(median(atOnce.slice(1))),
    atOnceMaxMs: round(percentile(atOnce.slice(1), 100)),
    hostLoadP50Ms: Number(median(hostSamples.slice(runs)).toFixed(2)),
    runs: runs - 1,
  };
}
