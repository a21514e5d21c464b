/**
 * `npm run test:faults`: the fault matrix and the soak (see docs/reliability.md, which this run
 * writes). Every row checks the outcome a user should get and the three invariants; the soak
 * counts outcomes over 1000 sequential and 20 concurrent requests with seeded random faults.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { ChatSettings } from '../../src/chat/chatSession';
import { parseCatalogue, type ModelInfo } from '../../src/openrouter/catalogue';
import type { HostToWebview } from '../../src/protocol/messages';
import { INTERACTIVE_RETRY } from '../../src/routing/backoff';
import { BreakerBoard, DEFAULT_BREAKER } from '../../src/routing/breaker';
import { seededRandom } from '../../src/routing/random';
import { startFakeOpenRouter, type FakeOpenRouter } from '../fake-openrouter/server';
import { FALLBACK, FAULT_CASES, GOOD_KEY, PRIMARY, SOAK_FAULTS, type Expected } from './cases';
import { checkAnswer, ProcessWatch, settlesWithin, type AnswerCheck } from './invariants';
import { renderReliability, type RowResult, type SoakResult } from './report';
import { waitUntil } from '../e2e/harness/wait';
import { recordedSession, type RecordedSession } from './session';

/** Longer than any retry budget here: past it, an answer counts as hung. */
const HANG_DEADLINE_MS = 60_000;
const SOAK_SEED = 20251123;

let fake: FakeOpenRouter;
let models: readonly ModelInfo[];
const rows: RowResult[] = [];
const soaks: SoakResult[] = [];
const watch = new ProcessWatch();

before(async () => {
  watch.install();
  fake = await startFakeOpenRouter({ tokenDelayMs: 2 });
  models = parseCatalogue(await (await fetch(`${fake.baseUrl}/models`)).json()).models;
});

after(async () => {
  await fake.close();
  watch.uninstall();
  // Only `npm run test:faults` rewrites the report (so `npm test` leaves the tree clean).
  if (
    process.env.npm_lifecycle_event === 'test:faults' &&
    rows.length === FAULT_CASES.length * 2 &&
    soaks.length === 2
  ) {
    writeFileSync(
      'docs/reliability.md',
      renderReliability(rows, soaks, {
        date: new Date().toISOString().slice(0, 10),
        seed: SOAK_SEED,
        node: process.version,
      }),
    );
  }
});

function settingsFor(fallbacks: boolean): ChatSettings {
  return { model: PRIMARY, fallbackModels: fallbacks ? [FALLBACK] : [], maxOutputTokens: 512 };
}

const servedAs = (model: string | undefined): string | undefined =>
  model === PRIMARY ? 'primary' : model === FALLBACK ? 'fallback' : model;

function matches(expected: Expected, check: AnswerCheck): boolean {
  if (check.status !== expected.status) return false;
  if (expected.status === 'done') return servedAs(check.served) === expected.served;
  if (expected.status === 'error') return check.failureKind === expected.failureKind;
  return true;
}

/** Sends one message and checks the answer; presses Stop after `stopAfter` pieces when asked. */
async function runOne(
  make: (onPost: (m: HostToWebview) => void) => RecordedSession,
  text: string,
  stopAfter?: number,
  awaitCosts = true,
): Promise<{ check: AnswerCheck; ms: number; recorded: RecordedSession }> {
  let deltas = 0;
  const recorded: RecordedSession = make((m) => {
    if (m.type === 'delta' && stopAfter !== undefined && ++deltas === stopAfter) recorded.session.stop();
  });
  const from = recorded.posted.length;
  const started = performance.now();
  const settled = await settlesWithin(recorded.session.send(text), HANG_DEADLINE_MS);
  const ms = performance.now() - started;
  // Cost look-ups of broken-off attempts finish after the answer (the soak does not wait for them:
  // in the product they run in the background while the user goes on).
  if (awaitCosts) await settlesWithin(recorded.session.idle(), HANG_DEADLINE_MS);
  return { check: checkAnswer(recorded, from, settled), ms, recorded };
}

describe('fault matrix (streaming; without and with a fallback model)', () => {
  for (const fault of FAULT_CASES) {
    for (const fallbacks of [false, true]) {
      const expected = fallbacks ? fault.with : fault.without;
      it(`${fault.label} — ${fallbacks ? 'with' : 'without'} fallbacks`, async () => {
        fake.reset();
        fake.setOptions({ tokenDelayMs: 2, ...(fault.usageChunk ? { usageChunk: fault.usageChunk } : {}) });
        if (fault.fault) fake.setFault(PRIMARY, fault.fault);
        if (fault.fallbackFault) fake.setFault(FALLBACK, fault.fallbackFault);
        const unhandledBefore = watch.unhandled.length;
        const { check, ms } = await runOne(
          (onPost) =>
            recordedSession({
              baseUrl: fake.baseUrl,
              models,
              apiKey: fault.key ?? GOOD_KEY,
              settings: settingsFor(fallbacks),
              timeoutSeconds: 1,
              maxWaitMs: 3000,
              breakers: new BreakerBoard(),
              onPost,
            }),
          'Explain exponential backoff in two sentences.',
          fault.stopAfterDeltas,
        );
        // Every connection of this row is closed (a stream torn down after Stop included), and the
        // event loop has turned twice: a rejection nobody handled has surfaced by now.
        await waitUntil(
          () => fake.chatRequests().every((r) => r.closed === true),
          5000,
          'every chat connection of the row is closed',
        );
        await new Promise((resolve) => setImmediate(resolve));
        await new Promise((resolve) => setImmediate(resolve));
        const chats = fake.chatRequests();
        const row: RowResult = {
          fault,
          fallbacks,
          expected,
          check,
          ...(check.served ? { observedServed: servedAs(check.served) } : {}),
          requests: chats.length,
          unhandled: watch.unhandled.slice(unhandledBefore),
          ms,
          matches: matches(expected, check),
        };
        rows.push(row);
        assert.deepEqual(check.problems, [], 'invariants');
        assert.deepEqual(row.unhandled, [], 'no unhandled rejection');
        assert.ok(
          chats.every((r) => (r.body as { stream?: unknown }).stream === true),
          'every chat request streams',
        );
        assert.ok(
          row.matches,
          `expected ${JSON.stringify(expected)}, observed ${check.status} ${check.served ?? ''} ${check.failureKind ?? ''} (${check.notices.join('; ')})`,
        );
        if (fault.stopAfterDeltas !== undefined)
          assert.ok(check.seen.length > 0 && check.text === check.seen, 'the pieces shown before Stop stay');
        if (expected.status === 'done') assert.ok(check.text.length > 0, 'an answer has text');
        if (fault.id.startsWith('usage')) assert.ok((check.cost ?? 0) > 0, 'the cost is read from either usage form');
        assert.ok(
          check.text.split('Echo from').length <= 2 && check.text.split('That is all.').length <= 2,
          `no text repeated: ${check.text}`,
        );
        // The interactive retry budget (src/routing/backoff.ts): at most two same-model retries.
        if (!fallbacks)
          assert.ok(
            chats.length <= 1 + INTERACTIVE_RETRY.sameModelRetries,
            `at most ${INTERACTIVE_RETRY.sameModelRetries} retries: ${chats.length} requests`,
          );
        if (!fallbacks && fault.maxRequestsWithout !== undefined)
          assert.ok(chats.length <= fault.maxRequestsWithout, `not retried: ${chats.length} requests`);
        if (typeof fault.cost === 'number' && expected.served === 'primary')
          assert.ok(Math.abs((check.cost ?? 0) - fault.cost) < 1e-9, `cost ${check.cost} = ${fault.cost}`);
        if (fault.cost === 'paid' && !fallbacks) assert.ok((check.cost ?? 0) > 0, `a cost is shown: ${check.cost}`);
        if (expected.status === 'done') assert.equal(check.cutOff, fault.cutOff, 'marked incomplete only when it is');
        if (fault.errorMessage && expected.status === 'error')
          assert.match(check.errorMessage ?? '', fault.errorMessage);
      });
    }
  }
});

/** Outcome of one soak answer, as counted in the report. */
function outcomeOf(check: AnswerCheck): string {
  if (check.status === 'done') return check.served === PRIMARY ? 'answered' : `answered by fallback`;
  if (check.status === 'error') return `error: ${check.failureKind ?? '?'}`;
  return check.status;
}

function tally(checks: readonly AnswerCheck[], unhandled: number, ms: number, label: string): SoakResult {
  const outcomes: Record<string, number> = {};
  for (const c of checks) outcomes[outcomeOf(c)] = (outcomes[outcomeOf(c)] ?? 0) + 1;
  return {
    label,
    requests: checks.length,
    outcomes,
    textLost: checks.filter((c) => !c.textKept).length,
    stuck: checks.filter((c) => !c.notStuck).length,
    unhandled,
    ms,
  };
}

/**
 * The soak runs the product's timings scaled down about 100× (timeout 0.3 s, wait budget 1 s,
 * breaker cooldowns from 50 ms) so 1000 requests fit in a test run and cooling still matters.
 */
const soakBreakers = (): BreakerBoard =>
  new BreakerBoard({ ...DEFAULT_BREAKER, baseCooldownMs: 50, maxCooldownMs: 3000 });

describe('soak (seeded random faults)', () => {
  const soakSession = (
    fallbacks: boolean,
    breakers: BreakerBoard,
    onPost?: (m: HostToWebview) => void,
  ): RecordedSession =>
    recordedSession({
      baseUrl: fake.baseUrl,
      models,
      apiKey: GOOD_KEY,
      settings: settingsFor(fallbacks),
      timeoutSeconds: 0.3,
      maxWaitMs: 1000,
      breakers,
      ...(onPost ? { onPost } : {}),
    });

  it('1000 sequential requests lose no text, never hang and reject nothing unhandled', async () => {
    fake.reset();
    fake.setOptions({ tokenDelayMs: 0, chunks: 6 });
    const random = seededRandom(SOAK_SEED);
    const breakers = soakBreakers();
    const unhandledBefore = watch.unhandled.length;
    const checks: AnswerCheck[] = [];
    const started = performance.now();
    for (let i = 0; i < 1000; i++) {
      const fault = SOAK_FAULTS[Math.floor(random() * SOAK_FAULTS.length)];
      const fallbacks = random() < 0.5;
      const stop = random() < 0.03;
      fake.setFault(PRIMARY, fault ? [fault] : undefined);
      const { check } = await runOne(
        (onPost) => soakSession(fallbacks, breakers, onPost),
        `Soak request ${i}`,
        stop ? 1 : undefined,
        false,
      );
      checks.push(check);
    }
    const result = tally(
      checks,
      watch.unhandled.length - unhandledBefore,
      performance.now() - started,
      '1000 sequential',
    );
    soaks.push(result);
    console.log(`${result.label}: ${JSON.stringify(result.outcomes)} in ${(result.ms / 1000).toFixed(1)} s`);
    assert.equal(result.textLost, 0, 'no text lost');
    assert.equal(result.stuck, 0, 'never stuck generating');
    assert.equal(result.unhandled, 0, watch.unhandled.slice(unhandledBefore).join('\n'));
    assert.ok((result.outcomes['answered'] ?? 0) > 500, `most answers succeed: ${JSON.stringify(result.outcomes)}`);
  });

  it('20 concurrent requests lose no text, never hang and reject nothing unhandled', async () => {
    fake.reset();
    fake.setOptions({ tokenDelayMs: 1, chunks: 20 });
    const random = seededRandom(SOAK_SEED + 1);
    const breakers = soakBreakers();
    // One fault per request, taken in arrival order.
    fake.setFault(
      PRIMARY,
      Array.from(
        { length: 20 },
        () => SOAK_FAULTS[Math.floor(random() * SOAK_FAULTS.length)] ?? { kind: 'usageInChoice' as const },
      ),
    );
    const unhandledBefore = watch.unhandled.length;
    const started = performance.now();
    const checks = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        runOne((onPost) => soakSession(i % 2 === 0, breakers, onPost), `Concurrent request ${i}`).then((r) => r.check),
      ),
    );
    const result = tally(
      checks,
      watch.unhandled.length - unhandledBefore,
      performance.now() - started,
      '20 concurrent',
    );
    soaks.push(result);
    console.log(`${result.label}: ${JSON.stringify(result.outcomes)} in ${(result.ms / 1000).toFixed(1)} s`);
    assert.equal(result.textLost, 0, 'no text lost');
    assert.equal(result.stuck, 0, 'never stuck generating');
    assert.equal(result.unhandled, 0, watch.unhandled.slice(unhandledBefore).join('\n'));
  });
});
