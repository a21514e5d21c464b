/**
 * An agent task end to end on the host side: AgentSession + routing engine + executor + the real
 * client against the fake OpenRouter's scripted tool-using model, with an in-memory workspace.
 * The fake checks every replay (ids, tool_call_id, reasoning_details) and answers 400 when wrong,
 * so a task that finishes proves the transcript went back as providers require. Retry, the host's
 * limits and secrets on the agent's sinks: agent-session-host.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OpenRouterClient } from '../../src/openrouter/client';
import { FIXTURE_MODELS } from '../fake-openrouter/catalogue';
import { textOf } from '../fake-openrouter/answer';
import { agentSessionFake, approveAll, BROKEN, FIXED, HAPPY, KEY, SRC, TEST_FILE } from './agentSessionFixture';

const fx = agentSessionFake();
describe('agent session against the scripted model', () => {
  it('a provider that re-sends each call’s arguments so far in every chunk (DeepSeek): the calls run with their arguments once', async () => {
    const fixed = 'return a + b; // {"sum":"ü 日本"}';
    fx.fake.setAgentScript({
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
    const h = fx.harness({ onPost: approveAll });
    await h.session.send('make the test pass');
    assert.equal(h.workspace.files.get(SRC), BROKEN.replace('return a - b;', fixed));
    assert.deepEqual(
      h.workspace.runs.map((c) => [c.name, c.args]),
      [['read_file', { path: TEST_FILE }]],
    );
    assert.equal(h.session.views().at(-1)!.text, 'Fixed.');
  });

  it('reads, edits after approval, runs the test and finishes with a summary; the replay passes the provider checks', async () => {
    fx.fake.setAgentScript(HAPPY);
    const h = fx.harness({
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
    const bodies = fx.chatBodies();
    assert.equal(bodies.length, 4);
    for (const b of bodies) {
      assert.equal(b.tool_choice, 'auto');
      assert.equal(b.tools?.length, 9, 'the seven built-in tools, todo_write and run_subagent');
      assert.equal(b.provider?.require_parameters, true);
    }
    assert.ok(
      fx.fake.chatRequests().every((r) => r.status === 200),
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
    const lastUser = fx
      .chatBodies()
      .at(-1)!
      .messages.filter((m) => m.role === 'user')
      .at(-1)!;
    assert.match(String(lastUser.content), /restored the checkpoint from before step 2: src\/calc\.js is back/);
  });

  it('sends the effort picked for the model, and replays text and encrypted reasoning_details unchanged (the fake refuses a turn that drops them)', async () => {
    fx.fake.setAgentScript(HAPPY);
    const h = fx.harness({ onPost: approveAll, efforts: new Map([[FIXTURE_MODELS.claudeSonnet4, 'high']]) });
    await h.session.send('make the test pass');
    assert.ok(
      fx.fake.chatRequests().every((r) => r.status === 200),
      'no replay was refused',
    );
    const bodies = fx.fake
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
    fx.fake.setAgentScript(HAPPY);
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
    const first = await fetch(`${fx.fake.baseUrl}/chat/completions`, {
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
    const dropped = await fetch(`${fx.fake.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(body(undefined)),
    });
    assert.equal(dropped.status, 400);
    assert.match(await dropped.text(), /missing its thought signature: reasoning_details must be sent back unchanged/);
  });

  it("sends a rejected edit's feedback to the model as the tool result, and writes nothing", async () => {
    fx.fake.setAgentScript(HAPPY);
    const h = fx.harness({
      onPost: (m, hh) => {
        if (m.type !== 'messageUpdated') return;
        for (const c of m.message.tools ?? [])
          if (c.state === 'waiting')
            queueMicrotask(() => hh.session.decide(c.id, false, 'keep subtraction, fix the test instead'));
      },
    });
    await h.session.send('make the test pass');
    assert.equal(h.workspace.files.get(SRC), BROKEN);
    const tool = fx.chatBodies().at(-1)!.messages.at(-1)!;
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
    fx.fake.setAgentScript({
      turns: [
        { ...HAPPY.turns[0]!, reasoning: false },
        {
          when: { step: 1 },
          failFor: { models: [FIXTURE_MODELS.claudeSonnet4], status: 503 },
          text: 'Both files read; finishing on the fallback.',
        },
      ],
    });
    const h = fx.harness({ fallbackModels: [FIXTURE_MODELS.gpt4oMini], onPost: approveAll });
    await h.session.send('make the test pass');
    assert.deepEqual(
      h.workspace.runs.map((c) => c.name),
      ['read_file', 'list_files'],
      'each tool ran once',
    );
    const last = h.session.views().at(-1)!;
    assert.equal(last.text, 'Both files read; finishing on the fallback.');
    assert.equal(last.meta?.model, FIXTURE_MODELS.gpt4oMini);
    const reqs = fx.fake.chatRequests();
    // Claude's body has cache breakpoints (text parts), GPT's plain strings: the same transcript either way.
    const plain = (content: unknown): unknown =>
      Array.isArray(content) ? content.map((p: { text?: string }) => p.text ?? '').join('') : content;
    const second = reqs
      .slice(1)
      .map((r) =>
        (r.body as { messages: { content?: unknown }[] }).messages.map((m) => ({ ...m, content: plain(m.content) })),
      );
    for (const messages of second)
      assert.deepEqual(messages, second[0], 'every attempt of step 2 carries the same transcript');
    assert.ok(reqs.at(-1)!.servedModel === FIXTURE_MODELS.gpt4oMini);
    // GPT takes another body than Claude (no breakpoints), so it is not in OpenRouter's `models`:
    // Claude's 503 moves the executor on to GPT's own request, and the step's meta names the model
    // that served next to the one asked for (the card's fallback badge).
    assert.deepEqual(
      reqs
        .slice(1)
        .map((r) => [(r.body as { model: string }).model, (r.body as { models?: string[] }).models ?? null, r.status]),
      [
        [FIXTURE_MODELS.claudeSonnet4, null, 503],
        [FIXTURE_MODELS.gpt4oMini, null, 200],
      ],
    );
    assert.equal(last.meta?.requestedModel, FIXTURE_MODELS.claudeSonnet4);
  });

  it('refuses before sending when no tool-capable model is left, with the reason', async () => {
    fx.fake.setAgentScript(HAPPY);
    const h = fx.harness({ model: FIXTURE_MODELS.deepseekR1 });
    await h.session.send('make the test pass');
    assert.equal(fx.fake.chatRequests().length, 0);
    const last = h.session.views().at(-1)!;
    assert.equal(last.status, 'error');
    assert.match(last.error?.message ?? '', /tool/);
  });

  it('stops mid-command: the command is interrupted and nothing further is sent or written', async () => {
    fx.fake.setAgentScript({
      turns: [
        {
          toolCalls: [
            { name: 'run_command', arguments: '{"command":"npm run slow"}' },
            { name: 'write_file', arguments: '{"path":"x.txt","content":"x"}' },
          ],
        },
      ],
    });
    const h = fx.harness({
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
    assert.equal(fx.fake.chatRequests().length, 1);
    assert.equal(h.workspace.files.has('x.txt'), false);
    assert.equal(h.session.views().at(-1)!.status, 'stopped');
    assert.equal(h.session.busy, false);
  });

  it('answers arguments that are not valid JSON with an error result the model reads', async () => {
    fx.fake.setAgentScript({
      turns: [
        { when: { step: 0 }, toolCalls: [{ name: 'read_file', arguments: '{"path": "src/calc.js"' }] },
        { when: { toolResultIncludes: 'not valid JSON' }, text: 'Retrying with valid JSON is not needed.' },
      ],
    });
    const h = fx.harness();
    await h.session.send('read it');
    assert.equal(h.workspace.runs.length, 0);
    assert.equal(h.session.views().at(-1)!.text, 'Retrying with valid JSON is not needed.');
    assert.equal([...h.cards.values()][0]!.state, 'failed');
  });

  it('keeps the task across a reload (workspace storage), including checkpoints', async () => {
    fx.fake.setAgentScript(HAPPY);
    const h = fx.harness({ onPost: approveAll });
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
    fx.fake.setAgentScript(HAPPY);
    const client = new OpenRouterClient({ baseUrl: fx.fake.baseUrl, apiKey: KEY });
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
    const refused = fx.fake
      .chatRequests()
      .slice(1)
      .map((r) => r.status);
    assert.deepEqual(refused, [400, 400, 400]);
  });
});
