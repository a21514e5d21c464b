/**
 * An agent task on the host side past its happy path (agent-session.test.ts): a retry after a failed
 * step, the host's limits (a command's timeout and Kill, "Always allow", the per-request budget) and
 * secrets on the agent's sinks — against the fake OpenRouter's scripted model, in-memory workspace.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FIXTURE_MODELS } from '../fake-openrouter/catalogue';
import { agentSessionFake, approveAll, HAPPY, SRC } from './agentSessionFixture';

const fx = agentSessionFake();

describe('agent retry', () => {
  it('goes on from the transcript after a failed step, without re-running the tools that ran', async () => {
    fx.fake.setAgentScript({
      turns: [
        { ...HAPPY.turns[0]!, reasoning: false },
        { when: { step: 1 }, text: 'Finished after the retry.' },
      ],
    });
    let armed = false;
    const h = fx.harness({
      onPost: (m) => {
        // Once the first step's tools ran, the next request is refused (400: not retried, no fallback).
        if (
          !armed &&
          m.type === 'messageUpdated' &&
          m.message.tools?.length === 2 &&
          m.message.tools.every((c) => c.state === 'done')
        ) {
          armed = true;
          fx.fake.setFault(FIXTURE_MODELS.claudeSonnet4, [
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
    const replay = fx.chatBodies().at(-1)!.messages;
    assert.deepEqual(
      replay.filter((m) => m.role === 'tool').map((m) => m.tool_call_id),
      ['call_fake_1', 'call_fake_2'],
    );
    assert.ok(fx.fake.chatRequests().at(-1)!.status === 200);
  });
});

describe('agent limits on the host side', () => {
  it('a command past its timeout is marked still running with Kill; Kill interrupts it', async () => {
    fx.fake.setAgentScript({
      turns: [
        { when: { step: 0 }, toolCalls: [{ name: 'run_command', arguments: '{"command":"npm run dev"}' }] },
        { when: { toolResultIncludes: 'killed' }, text: 'The dev server was killed.' },
      ],
    });
    const h = fx.harness({
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
    fx.fake.setAgentScript({
      turns: [
        { when: { step: 0 }, toolCalls: [{ name: 'run_command', arguments: '{"command":"ls"}' }] },
        { when: { step: 1 }, toolCalls: [{ name: 'run_command', arguments: '{"command":"ls -la"}' }] },
        { when: { step: 2 }, text: 'Listed twice.' },
      ],
    });
    let asked = 0;
    const h = fx.harness({
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
    fx.fake.setAgentScript({
      turns: [{ toolCalls: [{ name: 'read_file', arguments: JSON.stringify({ path: SRC }) }] }],
    });
    const h = fx.harness({ routing: { budgets: { perRequestUsd: 0.0296 }, onBudget: 'block' } });
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
    fx.fake.setAgentScript({
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
    const h = fx.harness({ onPost: approveAll });
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
    const sent = JSON.stringify(fx.chatBodies());
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
