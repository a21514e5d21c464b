/**
 * OpenRouter's `models` list sends ONE body to whichever model serves. A body is built for a model
 * (prompt-cache breakpoints, `reasoning`, the transcript's shape), so a list holds only the models
 * whose body is the first one's; a model that needs another body gets its own attempt with its
 * own body when the first fails (src/turn/attemptBody.ts `sharedModels`, src/turn/sharedPlan.ts).
 * Shown on attemptBody for pairs of vendors and reasoning shapes, and against the fake OpenRouter
 * answering as the later model.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ModelInfo } from '../../src/openrouter/catalogue';
import type { ReasoningChoice, ReasoningEffort } from '../../src/openrouter/reasoning';
import type { TextMessage } from '../../src/openrouter/wire';
import type { Plan } from '../../src/routing/types';
import { attemptBody, type TurnDraft } from '../../src/turn/attemptBody';
import { shapedPlan } from '../../src/turn/sharedPlan';
import { FIXTURE_MODELS, type FakeOpenRouter } from '../fake-openrouter/server';
import { recordedSession } from '../faults/session';
import { fakeOpenRouterPerFile } from './fakeOpenRouterHooks';

const KEY = 'sk-or-v1-shared-models-test-000000000000';
const { claudeSonnet4: CLAUDE, gemini25Flash: GEMINI, gpt4oMini: GPT, llama: LLAMA, deepseekR1: R1 } = FIXTURE_MODELS;
/** A Claude reached through a thinking budget only (`supports_max_tokens`, no effort list). */
const BUDGET_CLAUDE = 'anthropic/claude-budget';

let fake: FakeOpenRouter;
let models: ModelInfo[];
fakeOpenRouterPerFile(KEY, (f, m) => ((fake = f), (models = m)));

function catalogue(): Map<string, ModelInfo> {
  const byId = new Map(models.map((m) => [m.id, m]));
  const claude = byId.get(CLAUDE)!;
  byId.set(BUDGET_CLAUDE, { ...claude, id: BUDGET_CLAUDE, reasoning: { mandatory: false, supportsMaxTokens: true } });
  return byId;
}

const DRAFT: TurnDraft<TextMessage> = {
  body: {
    model: GPT,
    stream: true,
    messages: [
      { role: 'system', content: 'You are a helpful assistant.' },
      { role: 'user', content: 'hello' },
    ],
    max_tokens: 4096,
  },
};

interface Row {
  readonly what: string;
  readonly list: readonly string[];
  readonly efforts?: Readonly<Record<string, ReasoningChoice>>;
  readonly effort?: ReasoningEffort;
  readonly shared: readonly string[];
}

const ROWS: readonly Row[] = [
  { what: 'two automatic-cache models, no reasoning', list: [GPT, LLAMA], shared: [GPT, LLAMA] },
  {
    what: 'Claude and Gemini, both explicit caching, both default thinking',
    list: [CLAUDE, GEMINI],
    shared: [CLAUDE, GEMINI],
  },
  {
    what: 'Claude and Gemini at the same effort',
    list: [CLAUDE, GEMINI],
    efforts: { [CLAUDE]: 'high', [GEMINI]: 'high' },
    shared: [CLAUDE, GEMINI],
  },
  { what: 'Claude (breakpoints) then GPT (automatic caching)', list: [CLAUDE, GPT], shared: [CLAUDE] },
  { what: 'GPT then Claude (Claude would lose its breakpoints)', list: [GPT, CLAUDE], shared: [GPT] },
  {
    what: 'Claude thinking high, Gemini turned off',
    list: [CLAUDE, GEMINI],
    efforts: { [CLAUDE]: 'high', [GEMINI]: 'off' },
    shared: [CLAUDE],
  },
  {
    what: 'Gemini at its default, Claude remembered at low (Claude would lose its thinking)',
    list: [GEMINI, CLAUDE],
    efforts: { [CLAUDE]: 'low' },
    shared: [GEMINI],
  },
  {
    what: 'a command effort: R1 takes it, Llama has no reasoning',
    list: [R1, LLAMA],
    effort: 'low',
    shared: [R1],
  },
  {
    what: 'a budget-only Claude (max_tokens) then an effort Claude at the same level',
    list: [BUDGET_CLAUDE, CLAUDE],
    efforts: { [BUDGET_CLAUDE]: 'high', [CLAUDE]: 'high' },
    shared: [BUDGET_CLAUDE],
  },
  {
    what: 'three models: the first two agree, the third needs its own body',
    list: [CLAUDE, GEMINI, GPT],
    shared: [CLAUDE, GEMINI],
  },
  {
    what: 'three models: the second differs, so the third (which agrees) does not jump it',
    list: [CLAUDE, GPT, GEMINI],
    shared: [CLAUDE],
  },
];

describe("OpenRouter's models list holds only models that take the same body", () => {
  for (const row of ROWS) {
    it(`${row.what}: sends ${row.shared.length > 1 ? `models ${row.shared.join(', ')}` : 'no models list'}`, () => {
      const byId = catalogue();
      const env = {
        modelInfo: (id: string) => byId.get(id),
        reasoningChoice: (id: string) => row.efforts?.[id],
      };
      const draft = row.effort ? { ...DRAFT, effort: row.effort } : DRAFT;
      const built = attemptBody(draft, { model: row.list[0]!, models: row.list }, env).body;
      assert.deepEqual(built.models, row.shared.length > 1 ? row.shared : undefined);
      // The first model left out really needs another body: the one it gets when sent alone.
      const left = row.list[row.shared.length];
      if (left) {
        const { model: _a, ...alone } = attemptBody(draft, { model: left }, env).body;
        const { model: _b, ...first } = attemptBody(draft, { model: row.list[0]! }, env).body;
        assert.notDeepEqual(alone, first, `${left} needs another body`);
      }
    });
  }

  it('the plan says so: the shared attempt lists the agreeing models, costs their worst case, and a note names the one left out', () => {
    const byId = catalogue();
    const env = { modelInfo: (id: string) => byId.get(id), reasoningChoice: () => undefined };
    const plan: Plan = {
      attempts: [
        { keyId: 'k', body: { model: GEMINI, models: [GEMINI, GPT, CLAUDE] }, worstCaseUsd: 0.9 },
        { keyId: 'k', body: { model: GEMINI }, worstCaseUsd: 0.02 },
        { keyId: 'k', body: { model: GPT }, worstCaseUsd: 0.01 },
        { keyId: 'k', body: { model: CLAUDE }, worstCaseUsd: 0.9 },
      ],
      decisions: [],
      warnings: [],
      notes: [],
      worstCaseUsd: 0.9,
    };
    const shaped = shapedPlan(plan, DRAFT, env);
    assert.deepEqual(shaped.attempts[0]!.body, { model: GEMINI });
    assert.equal(shaped.attempts[0]!.worstCaseUsd, 0.02);
    assert.equal(shaped.worstCaseUsd, 0.02);
    assert.equal(shaped.notes.length, 1);
    assert.match(shaped.notes[0]!, /openai\/gpt-4o-mini is not in OpenRouter's fallback list .* messages/);
    assert.equal(shapedPlan(shaped, DRAFT, env), shaped, 'shaping twice changes nothing');
  });
});

describe('a fallback to another model gets the body built for it (fake OpenRouter)', () => {
  type Sent = { model: string; models?: string[]; reasoning?: { effort?: string; max_tokens?: number } };

  async function chat(primary: string, fallback: string, efforts: Record<string, ReasoningChoice>, byId = catalogue()) {
    const h = recordedSession({
      baseUrl: fake.baseUrl,
      models: [...byId.values()],
      apiKey: KEY,
      settings: { model: primary, fallbackModels: [fallback], maxOutputTokens: 4096 },
      timeoutSeconds: 10,
      maxWaitMs: 1000,
      efforts: new Map(Object.entries(efforts)),
      // A pricier fallback goes without asking (the test's session declines every question).
      routing: { fallback: { askBeforeUpgrade: false } },
    });
    fake.setFault(primary, { kind: 'http', status: 503, message: 'Provider overloaded' });
    await h.session.send('hello');
    fake.setFault(primary, undefined);
    const requests = fake.chatRequests();
    const served = requests.find((r) => r.servedModel)!;
    return { requests, sent: requests.map((r) => r.body as Sent), served, h };
  }

  it('Claude thinking high falls to Gemini with thinking off: Gemini is asked with effort none and does not think', async () => {
    const { sent, served } = await chat(CLAUDE, GEMINI, { [CLAUDE]: 'high', [GEMINI]: 'off' });
    assert.equal(served.servedModel, GEMINI);
    assert.deepEqual(
      sent.map((b) => [b.model, b.models ?? null, b.reasoning ?? null]),
      [
        [CLAUDE, null, { effort: 'high' }],
        [GEMINI, null, { effort: 'none' }],
      ],
    );
    assert.deepEqual((served.body as Sent).reasoning, { effort: 'none' });
  });

  it('GPT falls to Claude: Claude gets its cache breakpoints (the GPT body had none)', async () => {
    const { sent, served } = await chat(GPT, CLAUDE, {});
    assert.equal(served.servedModel, CLAUDE);
    assert.deepEqual(
      sent.map((b) => [b.model, b.models ?? null]),
      [
        [GPT, null],
        [CLAUDE, null],
      ],
    );
    assert.match(JSON.stringify(served.body), /"cache_control":\{"type":"ephemeral"\}/);
  });

  it('a budget-only Claude falls to Gemini: Gemini gets its effort, not the Claude budget', async () => {
    const byId = catalogue();
    byId.set(CLAUDE, { ...byId.get(CLAUDE)!, reasoning: { mandatory: false, supportsMaxTokens: true } });
    const { sent, served } = await chat(CLAUDE, GEMINI, { [CLAUDE]: 'high', [GEMINI]: 'low' }, byId);
    assert.equal(served.servedModel, GEMINI);
    assert.deepEqual(
      sent.map((b) => [b.model, b.models ?? null, b.reasoning ?? null]),
      [
        [CLAUDE, null, { max_tokens: 3276 }],
        [GEMINI, null, { effort: 'low' }],
      ],
    );
  });

  it('Claude and Gemini at the same effort still share one request (OpenRouter fails over)', async () => {
    const { sent, served } = await chat(CLAUDE, GEMINI, { [CLAUDE]: 'medium', [GEMINI]: 'medium' });
    assert.equal(served.servedModel, GEMINI);
    assert.deepEqual(
      sent.map((b) => [b.model, b.models ?? null, b.reasoning ?? null]),
      [[CLAUDE, [CLAUDE, GEMINI], { effort: 'medium' }]],
    );
  });
});
