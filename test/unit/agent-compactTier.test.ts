/**
 * Which model summarizes an agent task's older steps (issue 23): the `compact` tier of
 * `switchyard.agent.models`, resolved through src/agent/tiers.ts as the explore tier is — on
 * `auto` the cheapest paid tool-capable model with a large context that is no dearer than the
 * pick; `picked`; a model id — while a `switchyard.routing.tiers.compact` list still applies when
 * the tier is `auto`, and manual routing keeps the pick. Each variant runs the fake's long task on
 * its 32K-context model until it compacts and reads the summary request the fake received.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_TIER_MODELS } from '../../src/agent/tiers';
import type { ModelInfo } from '../../src/openrouter/catalogue';
import type { RawRoutingSettings } from '../../src/config/routingSettings';
import { FIXTURE_MODELS, type FakeOpenRouter } from '../fake-openrouter/server';
import { LONG_TASK_REQUEST, longTaskFiles, longTaskScript } from '../fake-openrouter/longTask';
import { agentHarness } from '../faults/agentSession';
import { fakeOpenRouterPerFile } from './fakeOpenRouterHooks';

const KEY = 'sk-or-v1-agent-compact-tier-000000000';
const STEPS = 16;
let fake: FakeOpenRouter;
let models: ModelInfo[];

fakeOpenRouterPerFile(KEY, (started, catalogue) => {
  fake = started;
  models = catalogue;
});

/** What a typical agent step costs on `m` (the tier compares prices this way: 8000 in, 800 out). */
const typical = (m: ModelInfo): number => m.promptPrice * 8000 + m.completionPrice * 800;

/** The models of every summary request (a request without tools) of a long task run with these settings. */
async function summaryModels(compact: string, routing: RawRoutingSettings = {}): Promise<string[]> {
  fake.reset();
  fake.setAgentScript(longTaskScript(STEPS));
  const h = agentHarness({
    baseUrl: fake.baseUrl,
    models,
    apiKey: KEY,
    model: FIXTURE_MODELS.agent32k,
    routing,
    agent: { maxSteps: STEPS + 5, tiers: { ...DEFAULT_TIER_MODELS, compact } },
  });
  for (const [path, text] of Object.entries(longTaskFiles(STEPS, 2500))) h.workspace.files.set(path, text);
  await h.session.send(LONG_TASK_REQUEST);
  await h.session.idle();
  const bodies = fake.chatRequests().map((r) => r.body as { model: string; tools?: unknown[] });
  assert.ok(
    fake.chatRequests().every((r) => r.status === 200),
    'every request was answered',
  );
  return bodies.filter((b) => !Array.isArray(b.tools)).map((b) => b.model);
}

describe('compaction resolves the compact tier of switchyard.agent.models', () => {
  it('"auto": the cheapest paid tool-capable model with ≥ 128K context, no dearer than the pick', async () => {
    const pick = models.find((m) => m.id === FIXTURE_MODELS.agent32k)!;
    const eligible = models
      .filter((m) => !m.isFree && !m.isRouter && m.supportsTools && m.contextLength >= 128_000 && m.promptPrice >= 0)
      .filter((m) => typical(m) <= typical(pick))
      .sort((a, b) => typical(a) - typical(b) || a.id.localeCompare(b.id));
    assert.ok(eligible.length > 0 && eligible[0]!.id !== pick.id, 'the catalogue has a cheaper large-context model');
    const used = await summaryModels('auto');
    assert.ok(used.length >= 1, 'the task compacted');
    assert.deepEqual(new Set(used), new Set([eligible[0]!.id]));
  });

  const variants: { name: string; compact: string; routing?: RawRoutingSettings; expected: string }[] = [
    { name: '"picked": the pick', compact: 'picked', expected: FIXTURE_MODELS.agent32k },
    { name: 'a model id: that model', compact: FIXTURE_MODELS.llama, expected: FIXTURE_MODELS.llama },
    {
      name: '"auto" with a routing.tiers.compact list: the list',
      compact: 'auto',
      routing: { tiers: { compact: [FIXTURE_MODELS.gpt4oMini] } },
      expected: FIXTURE_MODELS.gpt4oMini,
    },
    {
      name: 'manual routing: the pick, whatever the tier says',
      compact: FIXTURE_MODELS.llama,
      routing: { mode: 'manual' },
      expected: FIXTURE_MODELS.agent32k,
    },
  ];
  for (const v of variants)
    it(v.name, async () => {
      const used = await summaryModels(v.compact, v.routing);
      assert.ok(used.length >= 1, 'the task compacted');
      assert.deepEqual(new Set(used), new Set([v.expected]));
    });
});
