/**
 * What the agent-session unit tests share: the workspace a task fixes (src/calc.js subtracts), the
 * scripted model's happy path (read, edit, run the test, finish), a fake OpenRouter per test file
 * with a harness on it, and the approval of every card.
 */
import assert from 'node:assert/strict';
import type { ModelInfo } from '../../src/openrouter/catalogue';
import { FIXTURE_MODELS } from '../fake-openrouter/catalogue';
import { type FakeOpenRouter } from '../fake-openrouter/server';
import type { AgentScript } from '../fake-openrouter/agent';
import { agentHarness, type AgentHarnessOptions } from '../faults/agentSession';
import { fakeOpenRouterPerFile } from './fakeOpenRouterHooks';

export const KEY = 'sk-or-v1-agent-test-key-0000000000';
export const TEST_FILE = 'test/calc.test.js';
export const SRC = 'src/calc.js';
export const BROKEN = 'export function add(a, b) {\n  return a - b;\n}\n';
export const FIXED = 'export function add(a, b) {\n  return a + b;\n}\n';

export const HAPPY: AgentScript = {
  turns: [
    {
      when: { step: 0 },
      text: 'Let me look at the code.',
      reasoning: true,
      toolCalls: [
        { name: 'read_file', arguments: JSON.stringify({ path: SRC }) },
        { name: 'list_files', arguments: '{}' },
      ],
      shape: 'interleaved',
    },
    {
      when: { step: 1 },
      toolCalls: [
        {
          name: 'edit_file',
          arguments: JSON.stringify({ path: SRC, edits: [{ old_text: 'return a - b;', new_text: 'return a + b;' }] }),
        },
      ],
    },
    { when: { toolResultIncludes: 'Their feedback:' }, text: 'Understood, I will not change it.' },
    {
      when: { step: 2 },
      toolCalls: [{ name: 'run_command', arguments: JSON.stringify({ command: 'node --test' }) }],
      shape: 'whole',
    },
    { when: { step: 3 }, text: 'Fixed add() in src/calc.js; node --test passes.' },
    { when: { userIncludes: 'what changed' }, text: 'Noted the restore.' },
  ],
};

/** Approves every card that waits (after checking nothing was written yet). */
export const approveAll: NonNullable<AgentHarnessOptions['onPost']> = (m, h) => {
  if (m.type !== 'messageUpdated') return;
  for (const c of m.message.tools ?? []) if (c.state === 'waiting') queueMicrotask(() => h.session.decide(c.id, true));
};

/** The file's fake OpenRouter (started before its tests, reset before each), a harness on it, and the chat bodies it got. */
export interface AgentSessionFake {
  readonly fake: FakeOpenRouter;
  /** A task on the workspace to fix, against the fake, with Claude Sonnet 4 unless `extra` says otherwise. */
  harness(extra?: Partial<AgentHarnessOptions>): ReturnType<typeof agentHarness>;
  chatBodies(): ChatBody[];
}

/** Call at the top level of a test file. */
export function agentSessionFake(): AgentSessionFake {
  let fake: FakeOpenRouter | undefined;
  let models: ModelInfo[] = [];
  fakeOpenRouterPerFile(KEY, (f, m) => ((fake = f), (models = m)));
  const started = (): FakeOpenRouter => fake ?? assert.fail('the fake OpenRouter is not started yet');
  return {
    get fake() {
      return started();
    },
    harness(extra = {}) {
      const h = agentHarness({
        baseUrl: started().baseUrl,
        models,
        apiKey: KEY,
        model: FIXTURE_MODELS.claudeSonnet4,
        ...extra,
      });
      h.workspace.files.set(SRC, BROKEN);
      h.workspace.files.set(TEST_FILE, "import { add } from '../src/calc.js';\n");
      return h;
    },
    chatBodies: () =>
      started()
        .chatRequests()
        .map((r) => r.body as ChatBody),
  };
}

/** A chat request body as the fake got it. */
export type ChatBody = {
  messages: {
    role: string;
    content: unknown;
    tool_calls?: { id: string }[];
    tool_call_id?: string;
    reasoning_details?: unknown;
  }[];
  tools?: unknown[];
  tool_choice?: string;
  provider?: { require_parameters?: boolean };
};
