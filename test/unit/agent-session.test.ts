/**
 * An agent task end to end on the host side: AgentSession + routing engine + executor + the real
 * client against the fake OpenRouter's scripted tool-using model, with an in-memory workspace.
 * The fake checks every replay (ids, tool_call_id, reasoning_details) and answers 400 when wrong,
 * so a task that finishes proves the transcript went back as providers require.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OpenRouterClient } from '../../src/openrouter/client';
import type { ModelInfo } from '../../src/openrouter/catalogue';
import { FIXTURE_MODELS } from '../fake-openrouter/catalogue';
import { textOf } from '../fake-openrouter/answer';
import { type FakeOpenRouter } from '../fake-openrouter/server';
import type { AgentScript } from '../fake-openrouter/agent';
import { agentHarness, type AgentHarnessOptions } from '../faults/agentSession';
import { fakeOpenRouterPerFile } from './fakeOpenRouterHooks';

const KEY = 'sk-or-v1-agent-test-key-0000000000';
const TEST_FILE = 'test/calc.test.js';
const SRC = 'src/calc.js';
const BROKEN = 'export function add(a, b) {\n  return a - b;\n}\n';
const FIXED = 'export function add(a, b) {\n  return a + b;\n}\n';

const HAPPY: AgentScript = {
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

let fake: FakeOpenRouter;
let models: ModelInfo[];

fakeOpenRouterPerFile(KEY, (f, m) => ((fake = f), (models = m)));

function harness(extra: Partial<AgentHarnessOptions> = {}) {
  const h = agentHarness({ baseUrl: fake.baseUrl, models, apiKey: KEY, model: FIXTURE_MODELS.claudeSonnet4, ...extra });
  h.workspace.files.set(SRC, BROKEN);
  h.workspace.files.set(TEST_FILE, "import { add } from '../src/calc.js';\n");
  return h;
}

/** Approves every card that waits (after checking nothing was written yet). */
const approveAll: AgentHarnessOptions['onPost'] = (m, h) => {
  if (m.type !== 'messageUpdated') return;
  for (const c of m.message.tools ?? []) if (c.state === 'waiting') queueMicrotask(() => h.session.decide(c.id, true));
};

const chatBodies = () =>
  fake.chatRequests().map(
    (r) =>
      r.body as {
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
      },
  );

describe('agent session against the scripted model', () => {
  it('a provider that re-sends each call’s arguments so far in every chunk (DeepSeek): the calls run with their arguments once', async () => {
    const fixed = 'return a + b; // {"sum":"ü 日本"}';
    fake.setAgentScript({
      turns: [
        {
          when: { step: 0 },
          toolCalls: [
            {
              name: 'edit_file',
              arguments: JSON.stringify({ path: SRC, edits: [{ old_text: 'return a - b;', new_text: fixed }] }),
            },
            { name: 'read_file', arguments: JSON.stringify({ path: TEST_FILE }) },
          ],
          shape: 'cumulative',
        },
        { when: { step: 1 }, text: 'Fixed.' },
      ],
    });
    const h = harness({ onPost: approveAll });
    await h.session.send('make the test pass');
    assert.equal(h.workspace.files.get(SRC), BROKEN.replace('return a - b;', fixed));
    assert.deepEqual(
      h.workspace.runs.map((c) => [c.name, c.args]),
      [['read_file', { path: TEST_FILE }]],
    );
    assert.equal(h.session.views().at(-1)!.text, 'Fixed.');
  });

  it('reads, edits after approval, runs the test and finishes with a summary; the replay passes the provider checks', async () => {
    fake.setAgentScript(HAPPY);
    const h = harness({
      onPost: (m, hh) => {
        if (m.type === 'messageUpdated')
          for (const c of m.message.tools ?? [])
            if (c.state === 'waiting' && c.tool === 'edit_file')
              assert.equal(hh.workspace.files.get(SRC), BROKEN, 'nothing is written before Approve');
        approveAll(m, hh);
      },
    });
    await h.session.send('make the test pass');
    assert.equal(h.workspace.files.get(SRC), FIXED);
    assert.deepEqual(
      h.workspace.runs.map((c) => c.name),
      ['read_file', 'list_files', 'run_command'],
    );
    const bodies = chatBodies();
    assert.equal(bodies.length, 4);
    for (const b of bodies) {
      assert.equal(b.tool_choice, 'auto');
      assert.equal(b.tools?.length, 9, 'the seven built-in tools, todo_write and run_subagent');
      assert.equal(b.provider?.require_parameters, true);
    }
    assert.ok(
      fake.chatRequests().every((r) => r.status === 200),
      'no replay was refused',
    );
    const second = bodies[1]!.messages;
    const assistant = second.find((m) => m.role === 'assistant')!;
    assert.deepEqual(
      assistant.tool_calls!.map((c) => c.id),
      ['call_fake_1', 'call_fake_2'],
    );
    assert.ok(
      Array.isArray(assistant.reasoning_details) &&
        JSON.stringify(assistant.reasoning_details).includes('"signature":"sig_'),
    );
    assert.deepEqual(
      second.filter((m) => m.role === 'tool').map((m) => m.tool_call_id),
      ['call_fake_1', 'call_fake_2'],
    );
    const last = h.session.views().at(-1)!;
    assert.equal(last.text, 'Fixed add() in src/calc.js; node --test passes.');
    assert.equal(last.status, 'done');
    const edit = [...h.cards.values()].find((c) => c.tool === 'edit_file')!;
    assert.equal(edit.state, 'done');
    assert.match(edit.diff ?? '', /-\s+return a - b;\n\+\s+return a \+ b;/);
    assert.equal(h.workspace.proposals, 1, 'the diff was shown for approval');
    assert.ok(h.session.task().spentUsd > 0);
    assert.equal(h.session.task().steps, 4);

    // Restore checkpoint of the edit step: the file comes back, and the model hears of it.
    const editStep = h.session.views().find((m) => m.tools?.some((c) => c.tool === 'edit_file'))!;
    assert.equal(editStep.checkpoint, 'available');
    await h.session.restore(editStep.id);
    assert.equal(h.workspace.files.get(SRC), BROKEN);
    assert.equal(h.session.views().find((m) => m.id === editStep.id)!.checkpoint, 'restored');
    await h.session.send('what changed?');
    const lastUser = chatBodies()
      .at(-1)!
      .messages.filter((m) => m.role === 'user')
      .at(-1)!;
    assert.match(String(lastUser.content), /restored the checkpoint from before step 2: src\/calc\.js is back/);
  });

  it('sends the effort picked for the model, and replays text and encrypted reasoning_details unchanged (the fake refuses a turn that drops them)', async () => {
    fake.setAgentScript(HAPPY);
    const h = harness({ onPost: approveAll, efforts: new Map([[FIXTURE_MODELS.claudeSonnet4, 'high']]) });
    await h.session.send('make the test pass');
    assert.ok(
      fake.chatRequests().every((r) => r.status === 200),
      'no replay was refused',
    );
    const bodies = fake
      .chatRequests()
      .map(
        (r) => r.body as { reasoning?: unknown; messages: { role: string; reasoning_details?: { type: string }[] }[] },
      );
    for (const b of bodies) assert.deepEqual(b.reasoning, { effort: 'high' });
    const replayed = bodies[1]!.messages.find((m) => m.role === 'assistant')!;
    assert.deepEqual(
      replayed.reasoning_details?.map((d) => d.type),
      ['reasoning.text', 'reasoning.encrypted'],
    );
  });

  it('a tool turn whose reasoning_details were dropped is refused by the fake, as a real provider does', async () => {
    fake.setAgentScript(HAPPY);
    const body = (details: unknown) => ({
      model: FIXTURE_MODELS.claudeSonnet4,
      stream: true,
      tools: [{ type: 'function', function: { name: 'read_file', parameters: { type: 'object' } } }],
      messages: [
        { role: 'user', content: 'make the test pass' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'call_fake_1', type: 'function', function: { name: 'read_file', arguments: '{}' } }],
          ...(details ? { reasoning_details: details } : {}),
        },
        { role: 'tool', tool_call_id: 'call_fake_1', content: 'x' },
      ],
    });
    const first = await fetch(`${fake.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: FIXTURE_MODELS.claudeSonnet4,
        stream: true,
        tools: [{ type: 'function', function: { name: 'read_file', parameters: { type: 'object' } } }],
        messages: [{ role: 'user', content: 'make the test pass' }],
      }),
    });
    await first.text();
    const dropped = await fetch(`${fake.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(body(undefined)),
    });
    assert.equal(dropped.status, 400);
    assert.match(await dropped.text(), /missing its thought signature: reasoning_details must be sent back unchanged/);
  });

  it("sends a rejected edit's feedback to the model as the tool result, and writes nothing", async () => {
    fake.setAgentScript(HAPPY);
    const h = harness({
      onPost: (m, hh) => {
        if (m.type !== 'messageUpdated') return;
        for (const c of m.message.tools ?? [])
          if (c.state === 'waiting')
            queueMicrotask(() => hh.session.decide(c.id, false, 'keep subtraction, fix the test instead'));
      },
    });
    await h.session.send('make the test pass');
    assert.equal(h.workspace.files.get(SRC), BROKEN);
    const tool = chatBodies().at(-1)!.messages.at(-1)!;
    assert.equal(tool.role, 'tool');
    // Claude: the last tool result carries a cache breakpoint, so it is sent as text parts.
    assert.equal(
      textOf(tool.content),
      'The user rejected this edit; it was not applied. Their feedback: keep subtraction, fix the test instead',
    );
    assert.equal(h.session.views().at(-1)!.text, 'Understood, I will not change it.');
    assert.equal([...h.cards.values()].find((c) => c.tool === 'edit_file')!.state, 'rejected');
  });

  it('fails over to the fallback after two tool calls with the same transcript, never re-running a tool', async () => {
    fake.setAgentScript({
      turns: [
        { ...HAPPY.turns[0]!, reasoning: false },
        {
          when: { step: 1 },
          failFor: { models: [FIXTURE_MODELS.claudeSonnet4], status: 503 },
          text: 'Both files read; finishing on the fallback.',
        },
      ],
    });
    const h = harness({ fallbackModels: [FIXTURE_MODELS.gpt4oMini], onPost: approveAll });
    await h.session.send('make the test pass');
    assert.deepEqual(
      h.workspace.runs.map((c) => c.name),
      ['read_file', 'list_files'],
      'each tool ran once',
    );
    const last = h.session.views().at(-1)!;
    assert.equal(last.text, 'Both files read; finishing on the fallback.');
    assert.equal(last.meta?.model, FIXTURE_MODELS.gpt4oMini);
    const reqs = fake.chatRequests();
    const second = reqs.slice(1).map((r) => r.body as { messages: unknown[] });
    for (const b of second)
      assert.deepEqual(b.messages, second[0]!.messages, 'every attempt of step 2 carries the same transcript');
    assert.ok(reqs.at(-1)!.servedModel === FIXTURE_MODELS.gpt4oMini);
    // The plan sends both models in OpenRouter's `models`: the walk moves on server-side, and the
    // step's meta names the model that served next to the one asked for (the card's fallback badge).
    assert.deepEqual(
      reqs[1]!.attempts?.map((a) => a.status),
      [503, 200],
    );
    assert.equal(last.meta?.requestedModel, FIXTURE_MODELS.claudeSonnet4);
  });

  it('refuses before sending when no tool-capable model is left, with the reason', async () => {
    fake.setAgentScript(HAPPY);
    const h = harness({ model: FIXTURE_MODELS.deepseekR1 });
    await h.session.send('make the test pass');
    assert.equal(fake.chatRequests().length, 0);
    const last = h.session.views().at(-1)!;
    assert.equal(last.status, 'error');
    assert.match(last.error?.message ?? '', /tool/);
  });

  it('stops mid-command: the command is interrupted and nothing further is sent or written', async () => {
    fake.setAgentScript({
      turns: [
        {
          toolCalls: [
            { name: 'run_command', arguments: '{"command":"npm run slow"}' },
            { name: 'write_file', arguments: '{"path":"x.txt","content":"x"}' },
          ],
        },
      ],
    });
    const h = harness({
      agent: {
        approval: { autoApprove: { read: true, edit: true, command: true }, allowedCommands: [], deniedCommands: [] },
      },
    });
    let interrupted = false;
    h.workspace.command = (_c, signal) =>
      new Promise((resolve) => {
        signal.addEventListener('abort', () => {
          interrupted = true;
          resolve({ ok: false, content: 'interrupted', summary: 'interrupted' });
        });
        setTimeout(() => h.session.stop(), 20);
      });
    await h.session.send('run it');
    assert.equal(interrupted, true);
    assert.equal(fake.chatRequests().length, 1);
    assert.equal(h.workspace.files.has('x.txt'), false);
    assert.equal(h.session.views().at(-1)!.status, 'stopped');
    assert.equal(h.session.busy, false);
  });

  it('answers arguments that are not valid JSON with an error result the model reads', async () => {
    fake.setAgentScript({
      turns: [
        { when: { step: 0 }, toolCalls: [{ name: 'read_file', arguments: '{"path": "src/calc.js"' }] },
        { when: { toolResultIncludes: 'not valid JSON' }, text: 'Retrying with valid JSON is not needed.' },
      ],
    });
    const h = harness();
    await h.session.send('read it');
    assert.equal(h.workspace.runs.length, 0);
    assert.equal(h.session.views().at(-1)!.text, 'Retrying with valid JSON is not needed.');
    assert.equal([...h.cards.values()][0]!.state, 'failed');
  });

  it('keeps the task across a reload (workspace storage), including checkpoints', async () => {
    fake.setAgentScript(HAPPY);
    const h = harness({ onPost: approveAll });
    await h.session.send('make the test pass');
    const saved = h.store.data.get('switchyard.agentTask.v1') as {
      messages: unknown[];
      checkpoints: { checkpoints: unknown[] };
    };
    assert.ok(saved.messages.length >= 5);
    assert.equal(saved.checkpoints.checkpoints.length, 1);
  });
});

describe('the fake refuses a wrong replay like a real provider', () => {
  it('400s on a changed tool call id, a missing tool result, or dropped reasoning_details', async () => {
    fake.setAgentScript(HAPPY);
    const client = new OpenRouterClient({ baseUrl: fake.baseUrl, apiKey: KEY });
    const tools = [{ type: 'function', function: { name: 'read_file', parameters: {} } }];
    const base = { model: FIXTURE_MODELS.claudeSonnet4, stream: true, tools, tool_choice: 'auto' as const };
    await client.streamChat({ ...base, messages: [{ role: 'user', content: 'go' }] }, { onDelta: () => undefined });
    const calls = [
      { id: 'call_fake_1', type: 'function' as const, function: { name: 'read_file', arguments: '{}' } },
      { id: 'call_fake_2', type: 'function' as const, function: { name: 'list_files', arguments: '{}' } },
    ];
    const bad = [
      [
        { role: 'user' as const, content: 'go' },
        { role: 'assistant' as const, content: null, tool_calls: [{ ...calls[0]!, id: 'call_changed' }, calls[1]!] },
      ],
      [
        { role: 'user' as const, content: 'go' },
        { role: 'assistant' as const, content: null, tool_calls: calls },
        { role: 'tool' as const, tool_call_id: 'call_fake_1', content: 'x' },
      ],
      [
        { role: 'user' as const, content: 'go' },
        { role: 'assistant' as const, content: null, tool_calls: calls },
        { role: 'tool' as const, tool_call_id: 'call_fake_1', content: 'x' },
        { role: 'tool' as const, tool_call_id: 'call_fake_2', content: 'y' },
      ],
    ];
    for (const messages of bad) {
      await assert.rejects(
        client.streamChat({ ...base, messages }, { onDelta: () => undefined }),
        (e: Error & { failure?: { status?: number; message: string } }) => {
          assert.equal(e.failure?.status, 400);
          return true;
        },
      );
    }
    const refused = fake
      .chatRequests()
      .slice(1)
      .map((r) => r.status);
    assert.deepEqual(refused, [400, 400, 400]);
  });
});

describe('agent retry', () => {
  it('goes on from the transcript after a failed step, without re-running the tools that ran', async () => {
    fake.setAgentScript({
      turns: [
        { ...HAPPY.turns[0]!, reasoning: false },
        { when: { step: 1 }, text: 'Finished after the retry.' },
      ],
    });
    let armed = false;
    const h = harness({
      onPost: (m) => {
        // Once the first step's tools ran, the next request is refused (400: not retried, no fallback).
        if (
          !armed &&
          m.type === 'messageUpdated' &&
          m.message.tools?.length === 2 &&
          m.message.tools.every((c) => c.state === 'done')
        ) {
          armed = true;
          fake.setFault(FIXTURE_MODELS.claudeSonnet4, [
            { kind: 'http', status: 400, message: 'Provider returned error' },
          ]);
        }
      },
    });
    await h.session.send('make the test pass');
    const ran = h.workspace.runs.length;
    assert.equal(ran, 2);
    const failed = h.session.views().at(-1)!;
    assert.equal(failed.status, 'error');
    await h.session.retry(failed.id);
    assert.equal(h.workspace.runs.length, ran, 'no tool ran again');
    assert.equal(h.session.views().at(-1)!.text, 'Finished after the retry.');
    const replay = chatBodies().at(-1)!.messages;
    assert.deepEqual(
      replay.filter((m) => m.role === 'tool').map((m) => m.tool_call_id),
      ['call_fake_1', 'call_fake_2'],
    );
    assert.ok(fake.chatRequests().at(-1)!.status === 200);
  });
});

describe('agent limits on the host side', () => {
  it('a command past its timeout is marked still running with Kill; Kill interrupts it', async () => {
    fake.setAgentScript({
      turns: [
        { when: { step: 0 }, toolCalls: [{ name: 'run_command', arguments: '{"command":"npm run dev"}' }] },
        { when: { toolResultIncludes: 'killed' }, text: 'The dev server was killed.' },
      ],
    });
    const h = harness({
      agent: {
        approval: { autoApprove: { read: true, edit: false, command: true }, allowedCommands: [], deniedCommands: [] },
      },
      onPost: (m, hh) => {
        if (m.type !== 'messageUpdated') return;
        for (const c of m.message.tools ?? [])
          if (c.killable && c.state === 'running') queueMicrotask(() => hh.session.kill(c.id));
      },
    });
    h.workspace.command = (_c, signal, stillRunning) =>
      new Promise((resolve) => {
        signal.addEventListener('abort', () => resolve({ ok: false, content: 'killed', summary: 'interrupted' }));
        stillRunning();
      });
    await h.session.send('start the dev server');
    const card = [...h.cards.values()][0]!;
    assert.equal(card.state, 'failed');
    assert.equal(card.killable, false);
    assert.equal(h.session.views().at(-1)!.text, 'The dev server was killed.');
  });

  it('"Always allow" runs the next call of that tool without asking, in this workspace', async () => {
    fake.setAgentScript({
      turns: [
        { when: { step: 0 }, toolCalls: [{ name: 'run_command', arguments: '{"command":"ls"}' }] },
        { when: { step: 1 }, toolCalls: [{ name: 'run_command', arguments: '{"command":"ls -la"}' }] },
        { when: { step: 2 }, text: 'Listed twice.' },
      ],
    });
    let asked = 0;
    const h = harness({
      onPost: (m, hh) => {
        if (m.type !== 'messageUpdated') return;
        for (const c of m.message.tools ?? [])
          if (c.state === 'waiting') {
            asked++;
            queueMicrotask(() => hh.session.decide(c.id, true, undefined, true));
          }
      },
    });
    await h.session.send('list twice');
    assert.equal(h.workspace.runs.length, 2);
    assert.ok(asked >= 1);
    const second = [...h.cards.values()][1]!;
    assert.equal(second.reason, 'Always allowed in this workspace.');
  });

  it('ends a task whose next step could cross the per-request budget, which applies to the whole task', async () => {
    fake.setAgentScript({ turns: [{ toolCalls: [{ name: 'read_file', arguments: JSON.stringify({ path: SRC }) }] }] });
    const h = harness({ routing: { budgets: { perRequestUsd: 0.0296 }, onBudget: 'block' } });
    await h.session.send('read forever');
    const last = h.session.views().at(-1)!;
    assert.equal(last.status, 'error');
    assert.match(last.error?.message ?? '', /over the per-request budget of \$0\.0296/);
    assert.ok(h.session.task().steps >= 1);
    assert.ok(h.session.task().spentUsd > 0);
  });
});

describe("secrets on the agent's sinks (issue 20)", () => {
  it('an edit of a .env shows and stores its diff redacted; tool results and the stored task hold no key; checkpoints stay exact', async () => {
    const secret = 'sk-or-v1-dotenv0123456789abcdef0123456789';
    fake.setAgentScript({
      turns: [
        { when: { step: 0 }, toolCalls: [{ name: 'read_file', arguments: JSON.stringify({ path: 'config.txt' }) }] },
        {
          when: { step: 1 },
          toolCalls: [
            {
              name: 'edit_file',
              arguments: JSON.stringify({ path: '.env', edits: [{ old_text: 'PORT=3000', new_text: 'PORT=4000' }] }),
            },
          ],
        },
        { when: { step: 2 }, text: 'Changed the port.' },
      ],
    });
    const h = harness({ onPost: approveAll });
    h.workspace.files.set('.env', `OPENROUTER_API_KEY=${secret}\nPORT=3000\n`);
    h.workspace.files.set(
      'config.txt',
      `url = https://deploy:hunter22@example.com/repo.git\ntoken: ghp_0123456789abcdefghijABCDEFGHIJ012345\n`,
    );
    await h.session.send('change the port');
    assert.equal(
      h.workspace.files.get('.env'),
      `OPENROUTER_API_KEY=${secret}\nPORT=4000\n`,
      'the file itself is edited exactly',
    );
    const edit = [...h.cards.values()].find((c) => c.tool === 'edit_file')!;
    assert.match(edit.diff ?? '', /OPENROUTER_API_KEY=\[redacted\]/);
    assert.match(edit.diff ?? '', /-PORT=3000\n\+PORT=4000/);
    const sent = JSON.stringify(chatBodies());
    assert.ok(!sent.includes('hunter22') && !sent.includes('ghp_0123456789'), 'tool results are redacted');
    const stored = JSON.stringify({
      messages: h.store.get<{ messages: unknown }>('switchyard.agentTask.v1')?.messages,
      transcript: h.store.get<{ transcript: unknown }>('switchyard.agentTask.v1')?.transcript,
    });
    assert.ok(
      stored.length > 100 && !stored.includes(secret) && !stored.includes('hunter22'),
      'the stored task holds no key',
    );
    assert.ok(
      JSON.stringify(h.store.get<{ checkpoints: unknown }>('switchyard.agentTask.v1')?.checkpoints).includes(secret),
      'the checkpoint keeps the real content, so a restore loses nothing',
    );
  });
});
