/**
 * One body function (src/turn/attemptBody.ts) for what is sent and what Explain Route shows:
 * for every option combination — reasoning effort (or budget), images, web search, cache
 * breakpoints, the sticky provider of a second turn — the body Explain shows for the next message
 * is the body the chat then sends (messages: the same history and breakpoints; only the new
 * question's text differs). An agent step's body is the layer's body for its transcript with the
 * tool definitions. A caller that built its own body would fail here.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { agentDraft } from '../../src/agent/turn';
import { TODO_WRITE_DEFINITION } from '../../src/agent/todos';
import { SUBAGENT_TOOL } from '../../src/agent/subagent';
import type { AgentMessage } from '../../src/agent/transcript';
import { AGENT_SYSTEM_PROMPT } from '../../src/agent/session';
import type { ModelInfo } from '../../src/openrouter/catalogue';
import type { ReasoningChoice } from '../../src/openrouter/reasoning';
import { attemptBody } from '../../src/turn/attemptBody';
import { FIXTURE_MODELS, type FakeOpenRouter } from '../fake-openrouter/server';
import { agentHarness } from '../faults/agentSession';
import { MemoryImages } from '../faults/memoryImages';
import { recordedSession } from '../faults/session';
import { fakeOpenRouterPerFile } from './fakeOpenRouterHooks';

const KEY = 'sk-or-v1-turn-body-test-00000000000000';
/** A real 1×1 PNG. */
const PNG = new Uint8Array(
  Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
    'base64',
  ),
);

let fake: FakeOpenRouter;
let models: ModelInfo[];

fakeOpenRouterPerFile(KEY, (f, m) => ((fake = f), (models = m)));

type Body = { readonly messages: readonly { readonly role: string; readonly content: unknown }[] } & Record<
  string,
  unknown
>;

/** The shape of a message's content: text, or its parts' types and breakpoints. */
const shape = (content: unknown): unknown =>
  typeof content === 'string'
    ? 'text'
    : Array.isArray(content)
      ? content.map((p: { type: string; cache_control?: unknown }) => `${p.type}${p.cache_control ? '+cache' : ''}`)
      : content;

function assertSameBody(shown: Body, sent: Body, what: string): void {
  const { messages: a, ...shownRest } = shown;
  const { messages: b, ...sentRest } = sent;
  assert.deepEqual(shownRest, sentRest, `${what}: every field but messages`);
  assert.equal(a.length, b.length, `${what}: message count`);
  assert.deepEqual(a.slice(0, -1), b.slice(0, -1), `${what}: the history, byte for byte`);
  assert.deepEqual(shape(a.at(-1)!.content), shape(b.at(-1)!.content), `${what}: the new turn's parts and breakpoints`);
}

const MODELS = [FIXTURE_MODELS.claudeSonnet4, FIXTURE_MODELS.gemini25Flash, FIXTURE_MODELS.gpt4oMini];
const EFFORTS: readonly ReasoningChoice[] = ['default', 'high', 'low'];

describe('Explain Route shows what the chat sends', () => {
  for (const model of MODELS) {
    for (const effort of EFFORTS) {
      for (const web of [false, true]) {
        for (const image of model === FIXTURE_MODELS.gpt4oMini ? [false] : [false, true]) {
          it(`${model}, effort ${effort}, web ${web ? 'on' : 'off'}, ${image ? 'an image' : 'no image'}: turn 1 and turn 2 (sticky)`, async () => {
            const h = recordedSession({
              baseUrl: fake.baseUrl,
              models,
              apiKey: KEY,
              settings: { model, fallbackModels: [], maxOutputTokens: 1024 },
              timeoutSeconds: 10,
              maxWaitMs: 1000,
              efforts: new Map([[model, effort]]),
              images: new MemoryImages(),
            });
            for (const turn of [1, 2]) {
              if (image) await h.session.addImageBytes('shot.png', PNG);
              const next = await h.session.planNext({ webSearch: web });
              const shown = JSON.parse(JSON.stringify(next.bodyFor(next.plan.attempts[0]!))) as Body;
              await h.session.send(`Question ${turn}: ${'please explain this in detail. '.repeat(turn * 40)}`, {
                webSearch: web,
              });
              const sent = fake.chatRequests().at(-1)!.body as Body;
              assertSameBody(shown, sent, `turn ${turn}`);
              if (effort !== 'default' && model !== FIXTURE_MODELS.gpt4oMini)
                assert.ok(sent.reasoning, 'the effort goes with the request');
              if (turn === 2 && model === FIXTURE_MODELS.claudeSonnet4)
                assert.match(JSON.stringify(sent.messages), /cache_control/, 'breakpoints');
            }
          });
        }
      }
    }
  }
});

describe("an agent step sends the turn layer's body (tools first, then the transcript)", () => {
  for (const model of [FIXTURE_MODELS.claudeSonnet4, FIXTURE_MODELS.gpt4oMini]) {
    for (const effort of ['default', 'high'] as const) {
      it(`${model}, effort ${effort}`, async () => {
        fake.setAgentScript({ turns: [{ text: 'Nothing to do.' }] });
        const efforts = new Map<string, ReasoningChoice>([[model, effort]]);
        const h = agentHarness({ baseUrl: fake.baseUrl, models, apiKey: KEY, model, efforts });
        await h.session.send('say hello');
        const sent = fake.chatRequests().at(-1)!.body as Body & {
          model: string;
          models?: string[];
          provider?: Record<string, unknown>;
          session_id: string;
          max_tokens: number;
        };
        const transcript: AgentMessage[] = [
          { role: 'system', content: AGENT_SYSTEM_PROMPT },
          { role: 'user', content: 'say hello' },
        ];
        const env = {
          modelInfo: (id: string) => models.find((m) => m.id === id),
          reasoningChoice: (id: string) => efforts.get(id),
        };
        const expected = attemptBody(
          agentDraft(transcript, model, sent.max_tokens, sent.session_id, [TODO_WRITE_DEFINITION, SUBAGENT_TOOL]),
          {
            model: sent.model,
            ...(sent.models ? { models: sent.models } : {}),
            ...(sent.provider ? { provider: sent.provider } : {}),
          },
          env,
        ).body;
        assert.deepEqual(sent, JSON.parse(JSON.stringify(expected)));
        assert.ok(Array.isArray(sent.tools) && sent.tool_choice === 'auto');
      });
    }
  }
});
