/** The chat session end to end against the fake OpenRouter, without VS Code. */
import assert from 'node:assert/strict';
import { CONTINUE_PROMPT } from '../../src/chat/continuation';
import { AUTO_BY_TASK } from '../../src/config/defaults';
import { decidedBy } from '../../src/routing/explain';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ChatSession, type ChatSettings } from '../../src/chat/chatSession';
import { HistoryStore } from '../../src/chat/history';
import { parseCatalogue, type ModelInfo } from '../../src/openrouter/catalogue';
import { OpenRouterClient } from '../../src/openrouter/client';
import type { KeyOutcome, KeyRing } from '../../src/turn/keyRing';
import type { RawRoutingSettings } from '../../src/config/routingSettings';
import { targetKey } from '../../src/routing/breaker';
import type { Router } from '../../src/routing/router';
import type { Plan, RouteRequest } from '../../src/routing/types';
import type { ChatMessageView, HostToWebview } from '../../src/protocol/messages';
import { startFakeOpenRouter, type FakeOpenRouter } from '../fake-openrouter/server';
import { MemoryStore, testRouter, VirtualTime } from '../faults/session';

let fake: FakeOpenRouter;
let models: readonly ModelInfo[];

interface Harness {
  session: ChatSession;
  posted: HostToWebview[];
  store: MemoryStore;
  settings: { value: ChatSettings };
  logs: string[];
  routed: RouteRequest[];
  asked: string[];
  keyReports: string[];
  plans: Plan[];
  router: Router;
  /** The router's clock: sleeps are recorded and skipped. */
  time: VirtualTime;
}

function harness(
  options: {
    key?: string | undefined;
    keys?: string[];
    store?: MemoryStore;
    routing?: RawRoutingSettings;
    confirm?: boolean;
    maxWaitMs?: number;
    onPost?: (m: HostToWebview) => void;
  } = {},
): Harness {
  const posted: HostToWebview[] = [];
  const routed: RouteRequest[] = [];
  const asked: string[] = [];
  const logs: string[] = [];
  const store = options.store ?? new MemoryStore();
  const settings = { value: { model: 'openai/gpt-4o-mini', fallbackModels: [] as string[], maxOutputTokens: 1024 } };
  let id = 0;
  const key = 'key' in options ? options.key : 'sk-or-v1-session-test-000000';
  const secrets = options.keys ?? (key ? [key] : []);
  const keyReports: string[] = [];
  const plans: Plan[] = [];
  const time = new VirtualTime();
  const ring: KeyRing = {
    refs: async () => secrets.map((_, i) => ({ id: `k${i + 1}`, label: `key ${i + 1}` })),
    secret: async (id) => secrets[Number(id.slice(1)) - 1],
    report: (id: string, outcome: KeyOutcome) => keyReports.push(`${id}:${outcome.ok ? 'ok' : outcome.failure.kind}`),
  };
  const router = testRouter({
    baseUrl: fake.baseUrl,
    models,
    apiKey: secrets[0] ?? '',
    ...(options.routing ? { routing: options.routing } : {}),
    fallbackModels: () => settings.value.fallbackModels,
    time,
    maxWaitMs: options.maxWaitMs ?? 3000,
    timeoutSeconds: 3,
    onPlan: ({ request, plan }) => {
      routed.push(request);
      plans.push(plan);
    },
  });
  const session = new ChatSession(
    {
      keys: ring,
      client: (apiKey) => new OpenRouterClient({ baseUrl: fake.baseUrl, apiKey, timeoutSeconds: 3 }),
      settings: () => settings.value,
      modelInfo: (m) => models.find((x) => x.id === m),
      router,
      confirm: async (question) => {
        asked.push(question);
        return options.confirm ?? false;
      },
      post: (m) => {
        posted.push(m);
        options.onPost?.(m);
      },
      log: { info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(m) },
      newId: () => `id-${++id}`,
      now: () => time.now(),
    },
    new HistoryStore(store),
  );
  return { session, posted, store, settings, logs, routed, asked, keyReports, plans, router, time };
}

function lastAssistant(h: Harness): ChatMessageView {
  const updates = h.posted.filter(
    (m): m is Extract<HostToWebview, { type: 'messageUpdated' }> => m.type === 'messageUpdated',
  );
  const last = updates.at(-1);
  assert.ok(last, 'an answer was finished');
  return last.message;
}

before(async () => {
  fake = await startFakeOpenRouter();
  models = parseCatalogue(await (await fetch(`${fake.baseUrl}/models`)).json()).models;
});
after(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.clearRequests();
});

describe('ChatSession', () => {
  it('marks an answer that reached the output limit (finish_reason length) as cut off, keeps its text, and does not retry it', async () => {
    const h = harness();
    fake.setFault('openai/gpt-4o-mini', { kind: 'length', afterChunks: 2 });
    try {
      await h.session.send('Write a long essay.');
    } finally {
      fake.setFault('openai/gpt-4o-mini', undefined);
    }
    const answer = lastAssistant(h);
    assert.equal(answer.status, 'done');
    assert.equal(answer.meta?.cutOff, 'length');
    assert.ok(answer.text.length > 0, 'the text that came is kept');
    assert.equal(fake.requests.filter((r) => r.path.endsWith('/chat/completions')).length, 1, 'sent once');
    const reloaded = harness({ store: h.store }).session.initMessage(true);
    assert.ok(reloaded.type === 'init' && reloaded.messages[1]?.meta?.cutOff === 'length', 'the mark is stored');
  });

  it('streams an answer, labels it and persists the conversation', async () => {
    const h = harness();
    await h.session.send('What is 2+2?');
    const kinds = h.posted.map((m) => m.type);
    assert.deepEqual(kinds.slice(0, 3), ['messageAdded', 'messageAdded', 'busy']);
    assert.ok(kinds.filter((k) => k === 'delta').length > 1);
    assert.deepEqual(kinds.slice(-2), ['messageUpdated', 'busy']);
    const answer = lastAssistant(h);
    assert.equal(answer.status, 'done');
    assert.equal(answer.meta?.model, 'openai/gpt-4o-mini');
    assert.ok(answer.meta?.provider);
    assert.ok((answer.meta?.cost ?? 0) > 0);
    const reloaded = harness({ store: h.store });
    const init = reloaded.session.initMessage(true);
    assert.ok(init.type === 'init' && init.messages.length === 2 && init.messages[1]!.text === answer.text);
  });

  it('attaches editor context visibly and sends it', async () => {
    const h = harness();
    h.session.offerEditorContext({
      id: 'sel-1',
      kind: 'selection',
      path: 'src/math.ts',
      language: 'typescript',
      startLine: 1,
      endLine: 3,
      content: 'export function add(a: number, b: number) {\n  return a + b;\n}',
    });
    const chips = h.posted.find((m) => m.type === 'attachments');
    assert.ok(
      chips &&
        chips.type === 'attachments' &&
        chips.attachments[0]?.label === 'src/math.ts:1-3' &&
        chips.attachments[0].tokens > 0,
    );
    await h.session.send('Explain this');
    const sent = fake.requests.find((r) => r.path.endsWith('/chat/completions'))?.body as {
      messages: { role: string; content: string }[];
    };
    const user = sent.messages.at(-1)!;
    assert.match(user.content, /src\/math\.ts:1-3/);
    assert.match(user.content, /return a \+ b/);
    assert.match(user.content, /Explain this$/);
  });

  it('does not send a chip the user removed', async () => {
    const h = harness();
    h.session.offerEditorContext({
      id: 'sel-2',
      kind: 'selection',
      path: 'a.ts',
      language: 'ts',
      startLine: 1,
      endLine: 1,
      content: 'SECRET_CONTEXT',
    });
    h.session.removeAttachment('sel-2');
    h.session.offerEditorContext({
      id: 'sel-2',
      kind: 'selection',
      path: 'a.ts',
      language: 'ts',
      startLine: 1,
      endLine: 1,
      content: 'SECRET_CONTEXT',
    });
    await h.session.send('hi');
    assert.doesNotMatch(JSON.stringify(fake.requests.at(-1)?.body), /SECRET_CONTEXT/);
  });

  it('sends the fallback list and says which model served', async () => {
    // Claude and Gemini take the same body (both cache with breakpoints; neither is asked to think).
    const h = harness();
    h.settings.value = {
      ...h.settings.value,
      model: 'anthropic/claude-sonnet-4',
      fallbackModels: ['google/gemini-2.5-flash'],
    };
    fake.setFault('anthropic/claude-sonnet-4', { kind: 'http', status: 429, message: 'Rate limit exceeded' });
    await h.session.send('hello');
    fake.setFault('anthropic/claude-sonnet-4', undefined);
    const answer = lastAssistant(h);
    assert.equal(answer.meta?.requestedModel, 'anthropic/claude-sonnet-4');
    assert.equal(answer.meta?.model, 'google/gemini-2.5-flash');
    assert.equal(fake.chatRequests().length, 1, 'one request: OpenRouter fell over');
    assert.deepEqual((fake.requests.at(-1)?.body as { models: string[] }).models, [
      'anthropic/claude-sonnet-4',
      'google/gemini-2.5-flash',
    ]);
  });

  it('a fallback that needs another body (Claude breakpoints, Llama plain) is its own request, and says which model served', async () => {
    const h = harness();
    h.settings.value = {
      ...h.settings.value,
      model: 'anthropic/claude-sonnet-4',
      fallbackModels: ['meta-llama/llama-3.3-70b-instruct'],
    };
    fake.setFault('anthropic/claude-sonnet-4', { kind: 'http', status: 429, message: 'Rate limit exceeded' });
    await h.session.send('hello');
    fake.setFault('anthropic/claude-sonnet-4', undefined);
    const answer = lastAssistant(h);
    assert.equal(answer.meta?.requestedModel, 'anthropic/claude-sonnet-4');
    assert.equal(answer.meta?.model, 'meta-llama/llama-3.3-70b-instruct');
    const bodies = fake.chatRequests().map((r) => r.body as { model: string; models?: string[]; messages: unknown[] });
    assert.deepEqual(
      bodies.map((b) => [b.model, b.models ?? null]),
      [
        ['anthropic/claude-sonnet-4', null],
        ['meta-llama/llama-3.3-70b-instruct', null],
      ],
    );
    assert.match(JSON.stringify(bodies[0]!.messages), /cache_control/);
    assert.doesNotMatch(JSON.stringify(bodies[1]!.messages), /cache_control/);
  });

  it('stops at once and keeps the partial answer', async () => {
    // The whole answer first, unhurried, to compare against (the fake answers a prompt the same way each time).
    const whole = harness();
    await whole.session.send('tell me a long story');
    const full = lastAssistant(whole).text;
    const h = harness();
    fake.setFault('openai/gpt-4o-mini', { kind: 'slow', delayMs: 150 });
    const done = h.session.send('tell me a long story');
    while (!h.posted.some((m) => m.type === 'delta')) await new Promise((r) => setTimeout(r, 20));
    assert.equal(h.session.busy, true);
    h.session.stop();
    await done;
    fake.setFault('openai/gpt-4o-mini', undefined);
    const answer = lastAssistant(h);
    assert.equal(answer.status, 'stopped');
    // "At once" without a clock: the send settled before the stream could finish, with a prefix of it.
    assert.ok(
      answer.text.length > 0 && answer.text.length < full.length,
      `a part of the answer (${answer.text.length} of ${full.length} chars)`,
    );
    assert.ok(full.startsWith(answer.text));
    assert.equal(h.session.busy, false);
  });

  it('shows a failure with its fix and keeps the question; retry answers it', async () => {
    const h = harness();
    fake.setFault('openai/gpt-4o-mini', { kind: 'http', status: 401, message: 'User not found.' });
    await h.session.send('are you there?');
    fake.setFault('openai/gpt-4o-mini', undefined);
    const failed = lastAssistant(h);
    assert.equal(failed.status, 'error');
    assert.equal(failed.error?.action?.command, 'switchyard.setApiKey');
    const init = h.session.initMessage(true);
    assert.ok(init.type === 'init' && init.messages[0]!.text === 'are you there?');
    await h.session.retry(failed.id);
    const retried = lastAssistant(h);
    assert.equal(retried.status, 'done');
    const after = h.session.initMessage(true);
    assert.ok(after.type === 'init' && after.messages.length === 2, 'the failed answer is replaced');
  });

  it('keeps partial text when the stream breaks mid-answer for good', async () => {
    const h = harness({ maxWaitMs: 0 });
    fake.setFault('openai/gpt-4o-mini', {
      kind: 'midStreamError',
      afterChunks: 2,
      code: 502,
      message: 'upstream died',
    });
    await h.session.send('hello');
    fake.setFault('openai/gpt-4o-mini', undefined);
    const answer = lastAssistant(h);
    assert.equal(answer.status, 'error');
    assert.ok(answer.text.length > 0, 'partial text kept');
  });

  it('explains a missing key without sending anything', async () => {
    const h = harness({ key: undefined });
    await h.session.send('hello');
    const answer = lastAssistant(h);
    assert.equal(answer.error?.kind, 'auth');
    assert.equal(answer.error?.action?.command, 'switchyard.setApiKey');
    assert.equal(fake.requests.filter((r) => r.path.endsWith('/chat/completions')).length, 0);
  });

  it('refuses a second send while answering, giving the text back', async () => {
    const h = harness();
    fake.setFault('openai/gpt-4o-mini', { kind: 'slow', delayMs: 50 });
    const first = h.session.send('one');
    await h.session.send('two');
    assert.ok(h.posted.some((m) => m.type === 'restoreDraft' && m.text === 'two'));
    h.session.stop();
    await first;
    fake.setFault('openai/gpt-4o-mini', undefined);
  });

  it('starts a new chat mid-answer without the old answer reappearing', async () => {
    const h = harness();
    fake.setFault('openai/gpt-4o-mini', { kind: 'slow', delayMs: 100 });
    const answering = h.session.send('long one');
    while (!h.posted.some((m) => m.type === 'delta')) await new Promise((r) => setTimeout(r, 20));
    await h.session.newChat();
    await answering;
    fake.setFault('openai/gpt-4o-mini', undefined);
    const cleared = h.posted.findIndex((m) => m.type === 'cleared');
    assert.ok(cleared > 0);
    assert.deepEqual(
      h.posted.slice(cleared + 1).filter((m) => m.type === 'messageAdded' || m.type === 'messageUpdated'),
      [],
      'nothing of the old answer after the clear',
    );
    const init = h.session.initMessage(true);
    assert.ok(init.type === 'init' && init.messages.length === 0);
    const reloaded = harness({ store: h.store }).session.initMessage(true);
    assert.ok(reloaded.type === 'init' && reloaded.messages.length === 0, 'history is empty after reload');
  });

  it('records the fallbacks it sent, so only those are labelled fallback', async () => {
    const h = harness();
    h.settings.value = { ...h.settings.value, fallbackModels: ['meta-llama/llama-3.3-70b-instruct'] };
    await h.session.send('hello');
    assert.deepEqual(lastAssistant(h).meta?.fallbacks, ['meta-llama/llama-3.3-70b-instruct']);
  });

  it('routes every request through the engine and records the spend', async () => {
    const h = harness({ routing: { provider: { ignore: ['azure'], sort: 'price' } } });
    await h.session.send('hello');
    assert.equal(h.routed.length, 1);
    assert.ok(h.routed[0]!.promptTokens > 0);
    const sent = fake.chatRequests().at(-1)?.body as { provider?: { ignore?: string[]; sort?: string } };
    assert.deepEqual(sent.provider?.ignore, ['azure']);
    assert.equal(sent.provider?.sort, 'price');
    const cost = lastAssistant(h).meta?.cost ?? 0;
    assert.ok(cost > 0);
    assert.deepEqual(h.router.spend(), { todayUsd: cost, monthUsd: cost }, 'the answer’s cost is on the ledger');
  });

  it('records the spend from /generation when the stream carries no usage (budgets still count it)', async () => {
    const h = harness();
    fake.setOptions({ usageChunk: 'none' });
    try {
      await h.session.send('hello without usage');
      const id = lastAssistant(h).meta?.generationId;
      assert.ok(id, 'the answer has a generation id');
      await h.session.idle();
      const generation = fake.generation(id) as { usage?: { cost?: number } } | undefined;
      const cost = generation?.usage?.cost ?? 0;
      assert.ok(cost > 0);
      assert.deepEqual(
        h.router.spend(),
        { todayUsd: cost, monthUsd: cost },
        'the figure /generation gives is on the ledger',
      );
      assert.equal(lastAssistant(h).meta?.cost, cost, 'and on the answer');
      assert.ok(h.logs.some((l) => l.includes('read from /generation')));
    } finally {
      fake.setOptions({ usageChunk: 'empty' });
    }
  });

  it('refuses before sending when the route is impossible, with Explain Route as the fix', async () => {
    const h = harness({ routing: { capacity: { strategy: 'byokOnly', byokProviders: ['openai'] } } });
    await h.session.send('hello');
    const answer = lastAssistant(h);
    assert.equal(answer.status, 'error');
    assert.equal(answer.error?.kind, 'refused');
    assert.equal(answer.error?.action?.command, 'switchyard.explainRoute');
    assert.equal(fake.chatRequests().length, 0, 'nothing was sent');
  });

  it('blocks a request over budget, and asks first when set to ask', async () => {
    const blocked = harness({ routing: { budgets: { perDayUsd: 0.001 }, onBudget: 'block' } });
    blocked.router.recordSpend(0.001);
    await blocked.session.send('hello');
    assert.equal(lastAssistant(blocked).error?.kind, 'refused');
    assert.match(lastAssistant(blocked).error?.message ?? '', /daily budget/);
    const ways = (h: ReturnType<typeof harness>): string[] => {
      const e = lastAssistant(h).error;
      return [e?.action, ...(e?.moreActions ?? [])].map((a) => `${a?.label} → ${a?.command}`);
    };
    const forward = [
      'Raise Budget… → switchyard.editBudgets',
      'Send Once Anyway → switchyard.sendOverBudgetOnce',
      'Send with a Smaller Context → switchyard.sendSmallerContext',
      'Pick a Cheaper Model → switchyard.pickModel',
      'Explain Route → switchyard.explainRoute',
    ];
    assert.deepEqual(ways(blocked), forward, 'a budget block offers ways forward');
    for (const routing of [
      { budgets: { perRequestUsd: 0.0000001 }, onBudget: 'block' as const },
      { budgets: { perMonthUsd: 0.0000001 }, onBudget: 'block' as const },
      { budgets: { perRequestUsd: 0.0000001 }, onBudget: 'downgradeToFree' as const, mode: 'manual' as const },
    ]) {
      const h = harness({ routing });
      await h.session.send('hello');
      assert.deepEqual(ways(h), forward, JSON.stringify(routing));
    }
    const ask = harness({ routing: { budgets: { perDayUsd: 0.001 }, onBudget: 'ask' }, confirm: false });
    ask.router.recordSpend(0.001);
    await ask.session.send('hello');
    assert.equal(ask.asked.length, 1);
    assert.match(lastAssistant(ask).error?.message ?? '', /declined/);
    assert.equal(fake.chatRequests().length, 0);
    const yes = harness({ routing: { budgets: { perDayUsd: 0.001 }, onBudget: 'ask' }, confirm: true });
    yes.router.recordSpend(0.001);
    await yes.session.send('hello');
    assert.equal(lastAssistant(yes).status, 'done');
  });

  it('sends a blocked message once over the budget on "Send Once Anyway", and blocks the next one again', async () => {
    const cases = [
      { budgets: { perDayUsd: 0.001 }, onBudget: 'block' as const, spent: 0.001 },
      { budgets: { perRequestUsd: 0.0000001 }, onBudget: 'block' as const, spent: 0 },
      { budgets: { perMonthUsd: 0.0000001 }, onBudget: 'downgrade' as const, spent: 0 },
    ];
    for (const { spent, ...routing } of cases) {
      const h = harness({ routing });
      if (spent) h.router.recordSpend(spent);
      const before = fake.chatRequests().length;
      await h.session.send('over budget please');
      assert.equal(lastAssistant(h).error?.kind, 'refused', JSON.stringify(routing));
      assert.equal(fake.chatRequests().length, before, 'nothing sent on the block');
      await h.session.retryOverBudgetOnce();
      assert.equal(lastAssistant(h).status, 'done', `sent once: ${JSON.stringify(routing)}`);
      assert.equal(fake.chatRequests().length, before + 1, 'exactly one request');
      assert.match(JSON.stringify(fake.chatRequests().at(-1)?.body), /over budget please/);
      assert.ok(h.logs.some((l) => l.includes('sending one message over the budget')));
      await h.session.send('and the next one');
      assert.equal(lastAssistant(h).error?.kind, 'refused', 'the next message is checked again');
      assert.equal(fake.chatRequests().length, before + 1, 'and not sent');
    }
  });

  it('"Send with a Smaller Context" sends the blocked message without its attachments and earlier messages, and says so', async () => {
    const big = {
      id: 'big-file',
      kind: 'file' as const,
      source: 'mention' as const,
      path: 'dist/bundle.js',
      language: 'javascript',
      content: `BIGMARK ${'lorem ipsum dolor sit amet '.repeat(4000)}`,
    };
    const h = harness({ routing: { budgets: { perRequestUsd: 0.0015 }, onBudget: 'block' } });
    await h.session.send('EARLIERMARK a small question first');
    assert.equal(lastAssistant(h).status, 'done', 'a small message fits');
    const before = fake.chatRequests().length;
    await h.session.send('Summarise the bundle', { attachments: [big] });
    assert.equal(lastAssistant(h).error?.kind, 'refused', 'the bundle is over the budget');
    assert.equal(fake.chatRequests().length, before);
    await h.session.retryWithSmallerContext();
    assert.equal(lastAssistant(h).status, 'done', 'sent with a smaller context');
    assert.equal(fake.chatRequests().length, before + 1);
    const body = JSON.stringify(fake.chatRequests().at(-1)?.body);
    assert.match(body, /Summarise the bundle/);
    assert.ok(!body.includes('BIGMARK'), 'the attachment was left out');
    assert.ok(!body.includes('EARLIERMARK'), 'the earlier messages were left out');
    const user = h.posted.filter((m) => m.type === 'messageUpdated' && m.message.role === 'user').at(-1);
    assert.ok(user?.type === 'messageUpdated');
    assert.match(
      user.message.notices?.at(-1) ?? '',
      /^Sent with a smaller context to fit the budget: left out dist\/bundle\.js \(~\d+ tokens\) and the 2 earlier messages of this chat\.$/,
    );
    assert.equal(user.message.attachments?.[0]?.dropped, true, 'the chip shows it was not sent');
  });

  it('"Send with a Smaller Context" with nothing to leave out sends nothing and says why', async () => {
    const h = harness({ routing: { budgets: { perRequestUsd: 0.0000001 }, onBudget: 'block' } });
    await h.session.send('hello');
    const before = fake.chatRequests().length;
    await h.session.retryWithSmallerContext();
    assert.equal(fake.chatRequests().length, before);
    assert.equal(lastAssistant(h).error?.kind, 'refused', 'the block stays');
    const notice = h.posted.filter((m) => m.type === 'composerNotice').at(-1);
    assert.ok(notice?.type === 'composerNotice' && /Nothing to leave out/.test(notice.text));
  });

  it('"Send Once Anyway" does nothing unless the last answer is a budget block', async () => {
    const h = harness();
    await h.session.send('hello');
    const before = fake.chatRequests().length;
    await h.session.retryOverBudgetOnce();
    assert.equal(fake.chatRequests().length, before, 'a finished answer is not sent again');
    const refused = harness({ routing: { capacity: { strategy: 'byokOnly', byokProviders: ['openai'] } } });
    await refused.session.send('hello');
    await refused.session.retryOverBudgetOnce();
    assert.equal(fake.chatRequests().length, before, 'nor a refusal that is not about the budget');
    assert.equal(lastAssistant(refused).error?.action?.command, 'switchyard.explainRoute');
  });

  it('keeps a pricier fallback out of the automatic list unless allowed', async () => {
    const h = harness();
    h.settings.value = {
      ...h.settings.value,
      fallbackModels: [
        'anthropic/claude-sonnet-4',
        'meta-llama/llama-3.3-70b-instruct',
        'mistralai/mistral-small:free',
      ],
    };
    await h.session.send('hello');
    const sent = fake.chatRequests().at(-1)?.body as { models?: string[] };
    // Priced over every provider that may serve it (endpoints fetched): llama's dearest provider
    // ($0.90/M out) costs more than gpt-4o-mini's dearest ($0.75/M), so only the free model rides along.
    assert.deepEqual(
      sent.models,
      ['openai/gpt-4o-mini', 'mistralai/mistral-small:free'],
      'claude and llama may cost more than gpt-4o-mini: not sent silently',
    );
    const decisions = h.plans.at(-1)!.decisions.filter((d) => d.rule.includes('askBeforeUpgrade'));
    assert.deepEqual(decisions.map((d) => d.model).sort(), [
      'anthropic/claude-sonnet-4',
      'meta-llama/llama-3.3-70b-instruct',
    ]);
  });

  it('explains the next route', async () => {
    const h = harness();
    const { plan, request } = await h.session.planNext();
    assert.equal(request.pickedModel, 'openai/gpt-4o-mini');
    assert.equal(plan.attempts[0]?.body.model, 'openai/gpt-4o-mini');
  });

  it('recovers a stream that dies mid-answer by continuing from the partial text', async () => {
    const h = harness();
    h.settings.value = {
      ...h.settings.value,
      model: 'anthropic/claude-sonnet-4',
      fallbackModels: ['meta-llama/llama-3.3-70b-instruct'],
    };
    fake.setFault('anthropic/claude-sonnet-4', [
      { kind: 'midStreamError', afterChunks: 3, code: 502, message: 'upstream died' },
    ]);
    await h.session.send('tell me about routers');
    fake.setFault('anthropic/claude-sonnet-4', undefined);
    const answer = lastAssistant(h);
    assert.equal(answer.status, 'done');
    assert.ok(
      answer.notices?.some((n) => /claude-sonnet-4 broke off mid-answer → continuing on/.test(n)),
      JSON.stringify(answer.notices),
    );
    assert.match(answer.text, /^Echo from anthropic\/claude-sonnet-4/, 'the partial text is kept at the start');
    assert.match(answer.text, /\(continued by/, 'the continuation follows it');
    const [first, second] = fake
      .chatRequests()
      .map((r) => r.body as { model: string; messages: { role: string; content: string }[] });
    assert.ok(first && second, 'two requests');
    // Llama does not honour a prefill (src/chat/continuation.ts): the partial goes as context, then a "continue" turn.
    assert.equal(second.model, 'meta-llama/llama-3.3-70b-instruct');
    assert.deepEqual(second.messages.at(-1), { role: 'user', content: CONTINUE_PROMPT });
    const partial = second.messages.at(-2)!;
    assert.equal(partial.role, 'assistant', 'the partial answer is sent as context');
    assert.ok(answer.text.startsWith(partial.content));
  });

  it('continues on a model that honours a prefill with the partial as an assistant prefill', async () => {
    const h = harness();
    h.settings.value = { ...h.settings.value, model: 'anthropic/claude-sonnet-4', fallbackModels: [] };
    fake.setFault('anthropic/claude-sonnet-4', [{ kind: 'midStreamError', afterChunks: 3 }]);
    await h.session.send('tell me about routers');
    const answer = lastAssistant(h);
    assert.equal(answer.status, 'done');
    const second = fake.chatRequests()[1]!.body as { messages: { role: string; content: string }[] };
    assert.equal(second.messages.at(-1)!.role, 'assistant', 'the partial answer is sent as an assistant prefill');
    assert.ok(answer.text.startsWith(second.messages.at(-1)!.content));
    assert.match(answer.text, /\(continued by anthropic/);
  });

  it('a continuation that restarts from the beginning is shown and stored without repetition (issue 11 §2)', async () => {
    const h = harness();
    h.settings.value = { ...h.settings.value, model: 'openai/gpt-4o-mini', fallbackModels: [] };
    // Breaks after 3 pieces; the retry ignores the continuation and answers from the beginning.
    fake.setFault('openai/gpt-4o-mini', [{ kind: 'midStreamError', afterChunks: 3 }, { kind: 'restart' }]);
    await h.session.send('tell me about routers');
    const answer = lastAssistant(h);
    assert.equal(answer.status, 'done');
    const clean = 'Echo from openai/gpt-4o-mini: tell me about routers';
    assert.equal(answer.text.split(clean).length - 1, 1, `the echo appears once: ${answer.text}`);
    assert.match(answer.text, /That is all\.$/);
    const streamed = h.posted
      .filter((m) => m.type === 'delta')
      .map((m) => (m as { text: string }).text)
      .join('');
    assert.equal(streamed, answer.text, 'what streamed to the webview is the clean text');
    const stored = new HistoryStore(h.store).load()!.messages.at(-1)!;
    assert.equal(stored.text, answer.text, 'history holds the clean text');
  });

  it('"PartPart…": same-model retries that each restart and break do not pile up repeats; Send now ends a wait', async () => {
    const ref: { session?: ChatSession } = {};
    const waits: number[] = [];
    const h = harness({
      maxWaitMs: 10_000,
      // The user presses Send now as soon as a countdown shows.
      onPost: (m) => {
        if (m.type === 'messageUpdated' && m.message.waiting) {
          waits.push(m.message.waiting.untilMs);
          setTimeout(() => ref.session?.sendNow(), 10);
        }
      },
    });
    ref.session = h.session;
    h.settings.value = { ...h.settings.value, model: 'openai/gpt-4o-mini', fallbackModels: [] };
    fake.setFault('openai/gpt-4o-mini', [
      { kind: 'midStreamError', afterChunks: 2 },
      { kind: 'restart', afterChunks: 2 },
      { kind: 'restart' },
    ]);
    await h.session.send('tell me about routers');
    const answer = lastAssistant(h);
    assert.equal(answer.status, 'done', JSON.stringify(answer.notices));
    assert.equal(answer.text.split('Echo from').length - 1, 1, answer.text);
    assert.ok(waits.length > 0, 'the waits were shown as countdowns');
    assert.equal(answer.waiting, undefined, 'no countdown left on the finished answer');
  });

  it('waits for Retry-After when the only model is rate-limited, then succeeds', async () => {
    const h = harness();
    fake.setFault('openai/gpt-4o-mini', [{ kind: 'http', status: 429, retryAfter: 1 }]);
    await h.session.send('hello');
    const answer = lastAssistant(h);
    assert.equal(answer.status, 'done');
    assert.ok(h.time.sleptMs() >= 1000, `Retry-After was honoured: slept ${h.time.slept.join(', ')} ms`);
    assert.ok(
      answer.notices?.some((n) => /rate-limited → retrying/.test(n)) &&
        answer.notices.some((n) => /waiting 1 s/.test(n)),
      JSON.stringify(answer.notices),
    );
    assert.equal(fake.chatRequests().length, 2);
  });

  it('never falls from a free model to a paid one when onlyCheaper is set', async () => {
    const h = harness({ routing: { fallback: { onlyCheaper: true } }, maxWaitMs: 0 });
    h.settings.value = {
      ...h.settings.value,
      model: 'meta-llama/llama-3.3-70b-instruct:free',
      fallbackModels: ['openai/gpt-4o-mini'],
    };
    fake.setFault('meta-llama/llama-3.3-70b-instruct:free', { kind: 'http', status: 502 });
    await h.session.send('hello');
    fake.setFault('meta-llama/llama-3.3-70b-instruct:free', undefined);
    assert.equal(lastAssistant(h).status, 'error');
    const bodies = fake.chatRequests().map((r) => r.body as { model: string; models?: string[] });
    assert.ok(bodies.length >= 1);
    assert.ok(
      bodies.every(
        (b) => b.model === 'meta-llama/llama-3.3-70b-instruct:free' && !b.models?.includes('openai/gpt-4o-mini'),
      ),
      JSON.stringify(bodies),
    );
  });

  it('on a 401 of key 1, sends the same request with key 2, and the answer lands', async () => {
    const bad = 'sk-or-v1-revoked-key-0000000000000000';
    const good = 'sk-or-v1-second-key-1111111111111111';
    fake.setKeys({ [bad]: { status: 'invalid' } });
    const h = harness({ keys: [bad, good] });
    await h.session.send('hello');
    const answer = lastAssistant(h);
    assert.equal(answer.status, 'done');
    const chats = fake.chatRequests();
    assert.deepEqual(
      chats.map((r) => r.headers.authorization),
      [`Bearer ${bad}`, `Bearer ${good}`],
      'the same request, then on the next key',
    );
    assert.deepEqual(chats[1]!.body, chats[0]!.body, 'the body is unchanged: only the key differs');
    assert.deepEqual(h.keyReports, ['k1:auth', 'k2:ok']);
    assert.ok(
      answer.notices?.some((n) => /key “key 1” was rejected → trying key “key 2”/.test(n)),
      JSON.stringify(answer.notices),
    );
    assert.ok(
      !JSON.stringify(h.posted).includes(bad) && !h.logs.join('\n').includes(bad),
      'the key never reaches the webview or the log',
    );
  });

  it('a 402 on key 1 goes to key 2 on the same model, never to a pricier one', async () => {
    const broke = 'sk-or-v1-no-credit-key-22222222222222';
    const good = 'sk-or-v1-funded-key-3333333333333333';
    fake.setKeys({ [broke]: { status: 'nocredit' } });
    const h = harness({ keys: [broke, good] });
    h.settings.value = { ...h.settings.value, fallbackModels: ['anthropic/claude-sonnet-4'] };
    await h.session.send('hello');
    assert.equal(lastAssistant(h).status, 'done');
    const chats = fake.chatRequests();
    assert.deepEqual(
      chats.map((r) => [r.headers.authorization, (r.body as { model: string }).model]),
      [
        [`Bearer ${broke}`, 'openai/gpt-4o-mini'],
        [`Bearer ${good}`, 'openai/gpt-4o-mini'],
      ],
    );
  });

  it('after a 429 with Retry-After, the next model is asked at once and the limited one cools for that long', async () => {
    // The pricier fallback needs the user's yes, so it is its own request (not in the models list).
    const h = harness({ confirm: true });
    h.settings.value = {
      ...h.settings.value,
      model: 'google/gemini-2.5-flash',
      fallbackModels: ['anthropic/claude-sonnet-4'],
    };
    fake.setFault('google/gemini-2.5-flash', [{ kind: 'http', status: 429, retryAfter: 20 }]);
    const started = h.time.now();
    await h.session.send('hello');
    fake.setFault('google/gemini-2.5-flash', undefined);
    const answer = lastAssistant(h);
    assert.equal(answer.status, 'done');
    assert.match(answer.text, /Echo from anthropic\/claude-sonnet-4/);
    const bodies = fake.chatRequests().map((r) => r.body as { model: string; models?: string[] });
    assert.deepEqual(
      bodies.map((b) => [b.model, b.models ?? null]),
      [
        ['google/gemini-2.5-flash', null],
        ['anthropic/claude-sonnet-4', null],
      ],
    );
    assert.equal(h.asked.length, 1, 'the upgrade was asked once');
    assert.match(h.asked[0]!, /anthropic\/claude-sonnet-4/);
    assert.deepEqual(h.time.slept, [], 'no wait for the rate-limited model');
    assert.ok(
      answer.notices?.some((n) => /gemini-2\.5-flash rate-limited → trying claude-sonnet-4/.test(n)),
      JSON.stringify(answer.notices),
    );
    const until = h.router.breakers.get(targetKey('google/gemini-2.5-flash')).openUntil() ?? 0;
    assert.ok(until - started >= 19_000, `gemini cools for its Retry-After: ${until - started} ms`);
  });

  it('when every candidate is cooling, waits for the earliest to cool and then succeeds', async () => {
    const h = harness({ maxWaitMs: 5000 });
    h.settings.value = {
      ...h.settings.value,
      model: 'anthropic/claude-sonnet-4',
      fallbackModels: ['google/gemini-2.5-flash'],
    };
    // What earlier answers taught the breakers: claude cools for 3 s, gemini for 1 s.
    h.router.breakers.get(targetKey('anthropic/claude-sonnet-4')).recordFailure(h.time.now(), 3000);
    h.router.breakers.get(targetKey('google/gemini-2.5-flash')).recordFailure(h.time.now(), 1000);
    await h.session.send('hello');
    const elapsed = h.time.sleptMs();
    const answer = lastAssistant(h);
    assert.equal(answer.status, 'done', JSON.stringify(answer));
    const bodies = fake.chatRequests().map((r) => r.body as { model: string; models?: string[] });
    assert.deepEqual(
      bodies.map((b) => [b.model, b.models ?? null]),
      [['google/gemini-2.5-flash', null]],
      'one request, to the model that cooled first',
    );
    // The clock moves only by the engine's sleeps, however long the machine takes: one wait, exactly
    // the earliest cooldown, never the longest.
    assert.deepEqual(h.time.slept, [1000], `waited for the earliest cooldown (1 s), not the longest (3 s)`);
    assert.equal(elapsed, 1000);
    assert.ok(
      answer.notices?.some((n) => /waiting 1 s for gemini-2\.5-flash/.test(n)),
      JSON.stringify(answer.notices),
    );
  });

  it('fetches the endpoints of the models in play and refuses before sending when no provider can serve', async () => {
    const h = harness({ routing: { provider: { only: ['openai'], ignore: ['openai'] } } });
    await h.session.send('hello');
    const answer = lastAssistant(h);
    assert.equal(answer.status, 'error');
    assert.match(answer.error?.message ?? '', /provider/i);
    assert.equal(fake.chatRequests().length, 0, 'nothing was sent');
    assert.ok(
      fake.requests.some((r) => r.path.endsWith('/models/openai/gpt-4o-mini/endpoints')),
      'the endpoints were fetched',
    );
    assert.ok(h.router.endpoints.known().has('openai/gpt-4o-mini'));
  });

  it('keeps consecutive turns on the provider that served, until an upstream error', async () => {
    const h = harness();
    h.settings.value = { ...h.settings.value, model: 'meta-llama/llama-3.3-70b-instruct' };
    await h.session.send('first');
    const served = lastAssistant(h).meta?.provider;
    assert.ok(served, 'the first answer names its provider');
    await h.session.send('second');
    const [first, second] = fake
      .chatRequests()
      .map((r) => r.body as { provider?: { order?: string[] }; session_id?: string });
    assert.equal(first!.provider?.order, undefined, 'the first turn is not pinned');
    assert.deepEqual(second!.provider?.order, [served!.toLowerCase()], 'the second turn asks the same provider first');
    assert.ok(second!.session_id && second!.session_id === first!.session_id, 'both turns carry the conversation id');
    assert.ok(h.plans.at(-1)!.decisions.some((d) => d.rule === 'affinity.cache' && d.verdict === 'placed'));
    // An upstream error releases the pin.
    fake.setFault('meta-llama/llama-3.3-70b-instruct', [{ kind: 'http', status: 502 }]);
    await h.session.send('third');
    fake.setFault('meta-llama/llama-3.3-70b-instruct', undefined);
    await h.session.send('fourth');
    const fourth = fake.chatRequests().at(-1)!.body as { provider?: { order?: string[] } };
    assert.equal(fourth.provider?.order, undefined, 'unpinned after the error');
  });

  it('answers through a dynamic route picked like a model', async () => {
    const h = harness({
      routing: {
        routes: {
          research: {
            strategy: 'priority',
            endpoints: [{ model: 'anthropic/claude-sonnet-4' }, { model: 'google/gemini-2.5-flash' }],
          },
        },
      },
    });
    h.settings.value = { ...h.settings.value, model: 'research' };
    await h.session.send('hello');
    const answer = lastAssistant(h);
    assert.equal(answer.status, 'done');
    const body = fake.chatRequests().at(-1)!.body as { model: string; models?: string[] };
    assert.equal(body.model, 'anthropic/claude-sonnet-4');
    assert.deepEqual(body.models, ['anthropic/claude-sonnet-4', 'google/gemini-2.5-flash']);
    assert.equal(answer.meta?.requestedModel, 'anthropic/claude-sonnet-4', 'the route resolves to its first model');
    assert.equal(answer.meta?.model, 'anthropic/claude-sonnet-4');
  });

  it('starts a new chat with empty history', async () => {
    const h = harness();
    await h.session.send('hello');
    await h.session.newChat();
    assert.ok(h.posted.some((m) => m.type === 'cleared'));
    const reloaded = harness({ store: h.store });
    const init = reloaded.session.initMessage(true);
    assert.ok(init.type === 'init' && init.messages.length === 0);
  });
});

describe('ChatSession past chats', () => {
  it('New Chat keeps the old chat; it can be reopened (its messages shown again) and deleted', async () => {
    const h = harness();
    await h.session.send('First question about parsers');
    const first = h.session.chatId;
    await h.session.newChat();
    await h.session.send('Second question about closures');
    assert.deepEqual(
      h.session.chats().map((c) => c.title),
      ['Second question about closures', 'First question about parsers'],
    );
    assert.deepEqual(
      h.session.chats('parsers').map((c) => c.id),
      [first],
    );
    assert.equal(await h.session.openChat(first), true);
    const init = h.posted.filter((m) => m.type === 'init').at(-1);
    assert.ok(init?.type === 'init');
    assert.equal(init.messages[0]?.text, 'First question about parsers');
    assert.equal(init.messages.length, 2);
    // Reopened after a reload too, and the next message continues it.
    assert.equal(harness({ store: h.store }).session.chatId, first);
    await h.session.send('A follow-up');
    assert.equal(h.session.chats()[0]!.id, first, 'the continued chat is the newest');
    assert.equal(h.session.chats()[0]!.messageCount, 4);
    await h.session.deleteChat(first);
    assert.deepEqual(
      h.session.chats().map((c) => c.title),
      ['Second question about closures'],
    );
    assert.notEqual(h.session.chatId, first, 'deleting the chat on screen starts a new one');
    assert.ok(h.posted.at(-1)?.type === 'cleared');
    assert.equal(await h.session.openChat(first), false, 'a deleted chat cannot be reopened');
  });
});

describe('ChatSession context from mentions and commands', () => {
  const selection = {
    id: 'sel-auto',
    kind: 'selection' as const,
    source: 'auto' as const,
    path: 'src/math.ts',
    language: 'typescript',
    startLine: 1,
    endLine: 1,
    content: 'AUTO_SELECTION_TEXT',
  };
  const picked = {
    id: 'file-readme',
    kind: 'file' as const,
    source: 'mention' as const,
    path: 'README.md',
    language: 'markdown',
    content: '# PICKED_README_TEXT',
  };

  it('sends only the chips the webview showed, and uses up @-picked ones', async () => {
    const h = harness();
    h.session.offerEditorContext(selection);
    h.session.addAttachments([picked]);
    const chips = h.posted.filter((m) => m.type === 'attachments').at(-1);
    assert.ok(chips?.type === 'attachments');
    assert.deepEqual(
      chips.attachments.map((a) => a.label),
      ['README.md', 'src/math.ts:1'],
    );
    // The webview had only the README chip on screen when Send was pressed.
    await h.session.send('What is this?', { attachmentIds: ['file-readme'] });
    const body = JSON.stringify(fake.chatRequests().at(-1)?.body);
    assert.match(body, /PICKED_README_TEXT/);
    assert.doesNotMatch(body, /AUTO_SELECTION_TEXT/, 'a chip the user never saw is not sent');
    const after = h.posted.filter((m) => m.type === 'attachments').at(-1);
    assert.ok(after?.type === 'attachments');
    assert.deepEqual(
      after.attachments.map((a) => a.id),
      ['sel-auto'],
      'the picked file is used up; the automatic chip stays',
    );
  });

  it('Ask About Selection: the picked chip replaces the automatic one of the same range, the body carries it once, and the automatic chip is back after sending', async () => {
    const h = harness();
    h.session.offerEditorContext(selection);
    // The same lines picked explicitly (same id, as the host makes them) and once more by @selection.
    const pinned = { ...selection, source: 'mention' as const };
    h.session.addAttachments([pinned]);
    h.session.offerEditorContext(selection); // the editor reports the same selection again
    const chips = h.posted.filter((m) => m.type === 'attachments').at(-1);
    assert.ok(chips?.type === 'attachments');
    assert.deepEqual(
      chips.attachments.map((a) => a.label),
      ['src/math.ts:1'],
      'one chip for one range',
    );
    await h.session.send('What does this do?', { attachmentIds: [selection.id, selection.id] });
    const body = JSON.stringify(fake.chatRequests().at(-1)?.body);
    assert.equal(body.split('AUTO_SELECTION_TEXT').length - 1, 1, 'the selected code is in the body once');
    const user = h.posted.find((m) => m.type === 'messageAdded' && m.message.role === 'user');
    assert.ok(user?.type === 'messageAdded');
    assert.equal(user.message.attachments?.length, 1);
    const after = h.posted.filter((m) => m.type === 'attachments').at(-1);
    assert.ok(after?.type === 'attachments');
    assert.deepEqual(
      after.attachments.map((a) => a.label),
      ['src/math.ts:1'],
      'the selection is still selected: its automatic chip is back',
    );
  });

  it('never sends the same attachment twice, however chips and command context combine', async () => {
    const other = { ...selection, id: 'sel-other-id', source: 'mention' as const };
    const sameFile = { ...picked, id: 'file-readme-2', source: 'open' as const };
    const combos = [
      [selection, other],
      [picked, sameFile, picked],
      [selection, picked, other, sameFile],
    ];
    for (const combo of combos) {
      const h = harness();
      fake.clearRequests();
      await h.session.send('Once each', { attachments: combo });
      const body = JSON.stringify(fake.chatRequests().at(-1)?.body);
      for (const marker of ['AUTO_SELECTION_TEXT', 'PICKED_README_TEXT'])
        assert.ok(body.split(marker).length - 1 <= 1, `${marker} at most once for ${combo.map((a) => a.id).join(',')}`);
      const h2 = harness();
      fake.clearRequests();
      h2.session.offerEditorContext(combo[0]!);
      h2.session.addAttachments(combo.slice(1));
      await h2.session.send('Once each from chips');
      const body2 = JSON.stringify(fake.chatRequests().at(-1)?.body);
      for (const marker of ['AUTO_SELECTION_TEXT', 'PICKED_README_TEXT'])
        assert.ok(body2.split(marker).length - 1 <= 1, `${marker} at most once from chips`);
    }
  });

  it('shows an @-picked chip when there is no automatic editor context (attachEditorContext off)', () => {
    const h = harness();
    h.session.addAttachments([picked]);
    const chips = h.posted.filter((m) => m.type === 'attachments').at(-1);
    assert.ok(chips?.type === 'attachments');
    assert.deepEqual(
      chips.attachments.map((a) => a.label),
      ['README.md'],
    );
  });

  it('a command asks for its tier, shows its context as chips and remembers what Apply replaces', async () => {
    const h = harness();
    const target = {
      uri: 'file:///w/src/math.ts',
      label: 'src/math.ts:3',
      startLine: 2,
      endLine: 2,
      version: 1,
      contentHash: 'abc',
    };
    const code = {
      id: 'sel-fix',
      kind: 'selection' as const,
      source: 'action' as const,
      path: 'src/math.ts',
      language: 'typescript',
      startLine: 3,
      endLine: 3,
      content: 'const total: number = "ten";',
    };
    const problems = {
      id: 'problems-1',
      kind: 'problems' as const,
      source: 'action' as const,
      path: 'src/math.ts:3',
      language: '',
      content: "src/math.ts:3:7 error: Type 'string' is not assignable to type 'number'. (ts 2322)",
    };
    await h.session.send('Fix the problems listed in src/math.ts:3.', {
      tier: 'edit',
      attachments: [code, problems],
      target,
    });
    assert.equal(h.routed.at(-1)?.tier, 'edit');
    const user = h.posted.find((m) => m.type === 'messageAdded' && m.message.role === 'user');
    assert.ok(user?.type === 'messageAdded');
    assert.deepEqual(
      user.message.attachments?.map((a) => a.kind),
      ['selection', 'problems'],
    );
    const body = JSON.stringify(fake.chatRequests().at(-1)?.body);
    assert.match(body, /is not assignable to type/);
    const answer = lastAssistant(h);
    assert.equal(answer.applyTarget, 'src/math.ts:3');
    assert.deepEqual(h.session.applyTargetFor(answer.id), target);
    assert.ok(!('target' in user.message), 'the target stays on the host');
  });

  it('says in the conversation what did not fit the window', async () => {
    const h = harness();
    h.settings.value = { ...h.settings.value, model: 'fake/tiny-context', maxOutputTokens: 256 };
    const huge = {
      id: 'file-huge',
      kind: 'file' as const,
      source: 'mention' as const,
      path: 'src/huge.ts',
      language: 'typescript',
      content: Array.from({ length: 400 }, (_, i) => `export const v${i} = ${i};`).join('\n'),
    };
    const small = {
      id: 'sel-small',
      kind: 'selection' as const,
      source: 'mention' as const,
      path: 'src/a.ts',
      language: 'typescript',
      startLine: 1,
      endLine: 1,
      content: 'export const a = 1;',
    };
    h.session.addAttachments([huge, small]);
    await h.session.send('Summarise', { attachmentIds: ['file-huge', 'sel-small'] });
    const user = h.posted.find((m) => m.type === 'messageAdded' && m.message.role === 'user');
    assert.ok(user?.type === 'messageAdded');
    assert.match((user.message.notices ?? []).join('\n'), /src\/huge\.ts was cut to \d+ of \d+ tokens/);
    assert.equal(
      user.message.attachments?.find((a) => a.id === 'sel-small')?.truncated,
      false,
      'the selection is more relevant and stays whole',
    );
  });
});

describe('which model answers: tiers, preferredModel and Auto by task through the real ChatSession (issue 11 §6)', () => {
  const CHAT = 'mistralai/mistral-small:free';
  const EDIT = 'anthropic/claude-sonnet-4';
  const PINNED = 'google/gemini-2.5-flash';
  const PICK = 'openai/gpt-4o-mini';
  const tiers = { chat: [CHAT], edit: [EDIT] };
  // [what, status-bar pick, routing settings, command tier (undefined = a chat message), expected model sent]
  const table: readonly [string, string, RawRoutingSettings, string | undefined, string][] = [
    ['chat message, a model picked: the pick', PICK, { tiers }, undefined, PICK],
    ['chat message, Auto by task: the chat tier', AUTO_BY_TASK, { tiers }, undefined, CHAT],
    [
      'chat message, Auto by task, preferredModel: preferredModel',
      AUTO_BY_TASK,
      { tiers, preferredModel: PINNED },
      undefined,
      PINNED,
    ],
    [
      'chat message, a model picked, preferredModel: the pick',
      PICK,
      { tiers, preferredModel: PINNED },
      undefined,
      PICK,
    ],
    ['command, its tier configured, a model picked: the tier', PICK, { tiers }, 'edit', EDIT],
    ['command, tier not configured, a model picked: the pick', PICK, { tiers }, 'fast', PICK],
    ['command, tier not configured, Auto by task: the chat tier', AUTO_BY_TASK, { tiers }, 'fast', CHAT],
    ['command, preferredModel: pins every tier', PICK, { tiers, preferredModel: PINNED }, 'edit', PINNED],
    ['Auto by task, nothing configured: openrouter/auto', AUTO_BY_TASK, {}, undefined, 'openrouter/auto'],
  ];
  for (const [what, pick, routing, tier, expected] of table) {
    it(what, async () => {
      const h = harness({ routing });
      h.settings.value = { ...h.settings.value, model: pick, fallbackModels: [] };
      await h.session.send('Which model answers?', tier ? { tier } : {});
      const sent = fake.chatRequests().at(-1)?.body as { model: string } | undefined;
      assert.equal(sent?.model, expected);
      assert.equal(lastAssistant(h).status, 'done');
      if (pick === AUTO_BY_TASK) assert.equal(h.session.modelBadge().name, 'Auto by task');
    });
  }

  it('Explain Route names the rule that decided', async () => {
    const h = harness({ routing: { tiers } });
    h.settings.value = { ...h.settings.value, model: AUTO_BY_TASK };
    const { plan } = await h.session.planNext();
    assert.equal(decidedBy(plan), 'tier:chat');
  });
});

describe('the cost of a broken or stopped answer (issue 11 §5)', () => {
  it('a stopped stream has no usage: its cost is looked up (the record appears late) and shown and recorded', async () => {
    const ref: { session?: ChatSession } = {};
    let deltas = 0;
    const h = harness({ onPost: (m) => void (m.type === 'delta' && ++deltas === 2 && ref.session?.stop()) });
    ref.session = h.session;
    fake.setOptions({ tokenDelayMs: 30 });
    fake.generations.lagMs = 700;
    try {
      await h.session.send('Explain something long');
      assert.equal(lastAssistant(h).status, 'stopped');
      assert.equal(lastAssistant(h).meta?.cost, undefined, 'not known yet');
      await h.session.idle();
    } finally {
      fake.generations.lagMs = 0;
      fake.setOptions({ tokenDelayMs: 5 });
    }
    const answer = lastAssistant(h);
    assert.ok((answer.meta?.cost ?? 0) > 0, `the meta line shows it: ${JSON.stringify(answer.meta)}`);
    const spent = h.router.spend().todayUsd;
    assert.ok(spent > 0 && Math.abs(spent - (answer.meta?.cost ?? 0)) < 1e-12, 'the ledger has it');
    const stored = new HistoryStore(h.store).load()!.messages.at(-1)!;
    assert.equal(stored.meta?.cost, answer.meta?.cost, 'and history');
  });
});

describe('prompt caching and web search through the real ChatSession (issue 13)', () => {
  /** A question long enough (~1.5k tokens) that the provider caches it. */
  const long = (n: number): string =>
    `Question ${n}: ${'please review this function carefully and explain it. '.repeat(110)}`;
  const chatBodies = (): { messages: { role: string; content: unknown }[]; plugins?: unknown; session_id?: string }[] =>
    fake.chatRequests().map((r) => r.body as { messages: { role: string; content: unknown }[] });

  it('Claude: breakpoints on the wire, cache writes then reads in the meta line, sticky routing kept', async () => {
    const h = harness();
    h.settings.value = { ...h.settings.value, model: 'anthropic/claude-sonnet-4' };
    await h.session.send(long(1));
    const first = lastAssistant(h);
    assert.equal(first.status, 'done');
    assert.ok(
      (first.meta?.cache?.writeTokens ?? 0) > 1000,
      `the first turn writes the cache: ${JSON.stringify(first.meta?.cache)}`,
    );
    assert.equal(first.meta?.cache?.readTokens, 0);
    await h.session.send(long(2));
    const second = lastAssistant(h);
    assert.ok(
      (second.meta?.cache?.readTokens ?? 0) > 1000,
      `the second turn reads it: ${JSON.stringify(second.meta?.cache)}`,
    );
    assert.ok((second.meta?.cache?.savedUsd ?? 0) > 0, 'and says what it saved');
    const [b1, b2] = chatBodies();
    assert.equal(b1?.session_id, b2?.session_id, 'one session_id for the conversation (sticky routing)');
    const marks = (b: unknown): number =>
      (JSON.stringify(b).match(/"cache_control":\{"type":"ephemeral"\}/g) ?? []).length;
    assert.equal(marks(b1), 2, 'system prompt + the question');
    assert.equal(marks(b2), 3, 'system prompt + the last two user turns');
    assert.ok(
      h.plans.at(-1)!.decisions.some((d) => d.rule === 'affinity.cache' && /sticky routing/.test(d.detail)),
      "the last turn's provider is asked first",
    );
    assert.ok(h.logs.some((l) => /3 cache breakpoints/.test(l)));
  });

  it('GPT-4o-mini caches automatically: plain string contents, cached tokens still shown', async () => {
    const h = harness();
    await h.session.send(long(1));
    await h.session.send(long(2));
    assert.ok(
      chatBodies().every((b) => b.messages.every((m) => typeof m.content === 'string')),
      'nothing extra on the wire',
    );
    const second = lastAssistant(h);
    assert.ok((second.meta?.cache?.readTokens ?? 0) > 1000, JSON.stringify(second.meta));
    assert.equal(second.meta?.cache?.writeTokens, 0);
  });

  it('Explain Route of the next message says where breakpoints go', async () => {
    const h = harness();
    h.settings.value = { ...h.settings.value, model: 'anthropic/claude-sonnet-4' };
    const { caching } = await h.session.planNext();
    assert.deepEqual(
      caching && { model: caching.model, mode: caching.mode, kinds: caching.breakpoints.map((b) => b.kind) },
      { model: 'anthropic/claude-sonnet-4', mode: 'explicit', kinds: ['system', 'userTurn'] },
    );
  });

  it('Search the web: the web plugin goes with the message, its fee is planned and spent, sources are kept safe', async () => {
    const h = harness();
    await h.session.send('What is new in Switchyard?', { webSearch: true });
    const [body] = chatBodies();
    assert.deepEqual(body?.plugins, [{ id: 'web', max_results: 5 }]);
    assert.equal(h.routed.at(-1)?.webSearch, true);
    const plan = h.plans.at(-1)!;
    assert.ok(plan.notes.some((n) => /Web search: OpenRouter's web plugin adds \$0\.02 per request/.test(n)));
    const plain = harness();
    await plain.session.send('What is new in Switchyard?');
    assert.ok(
      Math.abs(plan.worstCaseUsd - plain.plans.at(-1)!.worstCaseUsd - 0.02) < 1e-9,
      'the worst case carries the $0.02 fee',
    );
    const answer = lastAssistant(h);
    assert.deepEqual(answer.sources, [
      { url: 'https://example.com/switchyard/docs', title: 'Switchyard docs — Example' },
      {
        url: 'http://news.example.org/item?id=42',
        title: 'News <img src=x onerror=alert(1)> [click](command:workbench.action.terminal.new)',
      },
      { url: 'https://flat.example.net/page', title: 'Flat-shaped citation' },
    ]);
    assert.ok((answer.meta?.cost ?? 0) > 0.02, 'the fee is in what was paid');
    assert.ok(h.router.spend().todayUsd > 0.02, 'and in the budgets');
    const stored = new HistoryStore(h.store).load()!.messages;
    assert.equal(stored.find((m) => m.role === 'user')?.webSearch, true, 'a retry searches again');
    assert.equal(stored.at(-1)?.sources?.length, 3, 'sources survive a reload');
    assert.equal(chatBodies().filter((b) => b.plugins).length, 1, 'only the message that asked searches');
  });
});
